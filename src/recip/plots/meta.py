"""The meta-game as heatmaps: each player's per-round value for every candidate strategy
(rows) against every profile of the others' candidates (columns), best responses outlined and
pure equilibria starred."""

from __future__ import annotations

import itertools

import numpy as np

from .reading import read
from .style import BLACK, VERMILLION, caption, finish, new_figure, number, styled
from .text import label

#: Most columns (profiles of the others' candidates) in a panel; beyond, the players after the
#: first other keep their scenario strategies.
MAX_COLUMNS = 36
#: Most cells whose values are written in them.
MAX_WRITTEN = 400


def headline(m: dict) -> str:
    pure = [e for e in m["equilibria"]["equilibria"] if e.get("pure")]
    mixed = len(m["equilibria"]["equilibria"]) - len(pure)
    if not pure:
        text = "No pure equilibrium among these candidates"
    else:
        shown = [
            " & ".join(f"{p} {next(iter(e['strategies'][p]))}" for p in m["players"])
            for e in pure[:2]
        ]
        more = f" (and {len(pure) - 2} more)" if len(pure) > 2 else ""
        text = f"Pure equilibri{'a' if len(pure) > 1 else 'um'}: {'; '.join(shown)}{more}"
    return text + (f"; {mixed} mixed" if mixed else "")


def _columns(m: dict, player: str) -> tuple[list[dict], str]:
    """The profiles of the others' candidates drawn as columns, and a note when some were left
    out (the players after the first other held at their scenario strategies)."""
    others = [p for p in m["players"] if p != player]
    cands = m["candidates"]
    every = [
        dict(zip(others, combo, strict=True))
        for combo in itertools.product(*(cands[p] for p in others))
    ]
    if len(every) <= MAX_COLUMNS or len(others) < 2:
        return every[:MAX_COLUMNS], ""
    ref = m.get("reference") or {}
    held = {p: ref.get(p) for p in others[1:] if ref.get(p)}
    kept = [c for c in every if all(c[p] == v for p, v in held.items())][:MAX_COLUMNS]
    note = ", ".join(f"{p} at {v}" for p, v in held.items())
    return kept, f"{player}'s panel holds {note}"


def _tick(col: dict) -> str:
    return "\n".join(label(f"{p}: {c}", 28) for p, c in col.items())


@styled
def meta_figure(result, *, source=None):
    """One heatmap per player: rows are its candidate strategies, columns the profiles of the
    others' candidates, colour and number its exact per-round value; its best responses to each
    column are outlined and the pure equilibria starred. ``result``: a meta-game or its
    results document."""
    from matplotlib.patches import Rectangle

    m, src = read(result, "meta-game", "meta", source)
    players, cands = m["players"], m["candidates"]
    value = {tuple(row["profile"][p] for p in players): row["values"] for row in m["payoffs"]}
    pure = [
        tuple(next(iter(e["strategies"][p])) for p in players)
        for e in m["equilibria"]["equilibria"]
        if e.get("pure")
    ]
    best = {
        (b["player"], tuple(sorted(b["others"].items()))): set(b["best"])
        for b in m["best_responses"]
    }
    panels = [(p, *_columns(m, p)) for p in players]
    widest = max(len(cols) for _, cols, _ in panels)
    width = min(26.0, max(8.0, 2.8 + 0.62 * widest))
    heights, turned = [], []
    for p, cols, _ in panels:
        ticks = [_tick(c) for c in cols]
        longest = max(len(line) for t in ticks for line in t.splitlines())
        column = (width - 3.2) / len(cols)
        turn = longest * 8 * 0.6 / 72 > column
        lines = max(t.count("\n") + 1 for t in ticks)
        tick_h = longest * 8 * 0.6 / 72 if turn else lines * 8 * 1.3 / 72
        heights.append(0.42 * len(cands[p]) + 0.45 + tick_h)
        turned.append(turn)
    fig = new_figure(width, sum(heights) + 0.2)
    axes = fig.subplots(len(players), 1, squeeze=False, height_ratios=heights).ravel()
    notes = []
    for ax, (player, cols, note), turn in zip(axes, panels, turned, strict=True):
        if note:
            notes.append(note)
        rows = cands[player]
        grid = np.array(
            [
                [value[tuple({**c, player: r}[p] for p in players)][player] for c in cols]
                for r in rows
            ]
        )
        image = ax.imshow(grid, cmap="cividis", aspect="auto")
        lo, hi = float(grid.min()), float(grid.max())
        write = grid.size <= MAX_WRITTEN
        for (i, j), v in np.ndenumerate(grid):
            profile = tuple({**cols[j], player: rows[i]}[p] for p in players)
            if write:
                dark = (v - lo) / (hi - lo or 1.0) < 0.55
                ax.text(
                    j,
                    i,
                    number(v),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if dark else BLACK,
                )
            if rows[i] in best.get((player, tuple(sorted(cols[j].items()))), ()):
                ax.add_patch(
                    Rectangle(
                        (j - 0.46, i - 0.46),
                        0.92,
                        0.92,
                        fill=False,
                        edgecolor=VERMILLION,
                        linewidth=2.0,
                    )
                )
            if profile in pure:
                ax.plot(
                    [j + 0.3],
                    [i - 0.25],
                    marker="*",
                    markersize=9,
                    markerfacecolor="white",
                    markeredgecolor=BLACK,
                    linestyle="none",
                )
        ax.set_yticks(range(len(rows)), [label(r, 28) for r in rows])
        ax.set_xticks(range(len(cols)), [_tick(c) for c in cols], rotation=90 if turn else 0)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_ylabel(f"{label(player, 20)}'s strategy")
        ax.set_title(
            f"{label(player, 30)}'s value per round against the others' candidates",
            fontsize=10,
            loc="left",
        )
        ax.grid(False)
        for side in ax.spines.values():
            side.set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.9, pad=0.01, aspect=12)
        bar.set_label("per round", fontsize=8.5)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor="none", edgecolor=VERMILLION, linewidth=2.0),
        Line2D(
            [],
            [],
            marker="*",
            markerfacecolor="white",
            markeredgecolor=BLACK,
            linestyle="none",
            markersize=10,
        ),
    ]
    texts = ["a best response to that column", "a pure Nash equilibrium of the meta-game"]
    body = (
        "Each cell: the row player's exact per-round value in the repeated game when every "
        "player follows the candidate strategies of its row and column. Equilibria are among "
        "these candidates only." + (f" {'; '.join(notes)}." if notes else "")
    )
    conditions = m["conditions"]["text"]
    finish(
        fig,
        headline(m),
        caption(src, seed=None, body=body, conditions=conditions),
        (handles, texts),
    )
    return fig
