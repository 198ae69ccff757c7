"""The tornado of a sensitivity analysis, beside its Sobol' indices.

Colours are the Okabe-Ito palette (distinguishable with every common colour-vision deficiency),
and the two ends of a bar differ in hatching as well as colour, so the figure also reads in grey.
"""

from __future__ import annotations

import numpy as np

from ..core.text import join_words
from .reading import read
from .style import BLUE, GREEN, ORANGE, SKY, VERMILLION, caption, finish, new_figure, styled
from .text import TITLE, label

LOW, HIGH, CHOICE = BLUE, ORANGE, GREEN
FIRST, TOTAL = BLUE, SKY
#: Most inputs drawn (largest swings first); the rest are in results.json and the text.
MAX_BARS = 15


def sensitivity_figures(result) -> dict:
    return {"tornado": tornado_figure(result)}


def flipping(r: dict) -> list[dict]:
    """The inputs that flip the verdict within their range (or under an alternative)."""
    out = []
    for e in r["inputs"]:
        within = any(c["within_range"] for c in (e["break_even"] or {}).get("crossings", []))
        if e.get("flipping_alternatives") or within:
            out.append(e)
    return out


def headline(r: dict) -> str:
    """The figure's title: what the verdict flips with, or that nothing in range flips it."""
    name = r["quantity"].split(":")[0]
    subject = (
        f"{r['verdict'].split(' for ')[0]} for {r['focal']}" if len(r["policies"]) == 2 else name
    )
    flips = [e["key"] for e in flipping(r)]
    if flips:
        shown = flips[:2] + ([f"{len(flips) - 2} more"] if len(flips) > 2 else [])
        return f"{subject}: flips with {join_words(shown)}"
    top = r["inputs"][0]["key"] if r["inputs"] else "no input"
    return f"{subject}: no input flips it within its range; it moves most with {top}"


@styled
def tornado_figure(result, *, source=None):
    """Left: each input's change of the verdict quantity at the low and high end of its range
    (alternatives: under each), largest swing on top, the line where the verdict flips dashed.
    Right: first-order and total Sobol' indices with their intervals, in the same order.
    ``result``: a sensitivity analysis or its results document."""
    r, src = read(result, "sensitivity", "tornado", source)
    name = r["quantity"].split(":")[0]
    drawn = [e for e in r["inputs"] if not e["inert"]][:MAX_BARS]
    left_out = len(r["inputs"]) - len(drawn)
    sobol = r["sobol"]
    body = (
        f"{_design(sobol['design'])} design, {sobol['base_samples']} base samples "
        f"({sobol['evaluations']} exact evaluations). Left: change in the {name} "
        f"({r['quantity'].split(': ', 1)[-1]}) with one input at the low (blue) or high "
        "(orange, hatched) end of its range, the others nominal; green: alternative strategies. "
        f"Beyond the dashed line the verdict flips. Right: Sobol' indices with "
        f"{sobol['confidence']:.0%} bootstrap intervals."
    )
    if left_out:
        body += f" {left_out} inert or smaller inputs are not drawn (see results.json)."
    fig = new_figure(12, 0.9 + 0.42 * max(len(drawn), 3))
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[2.2, 1])
    y = np.arange(len(drawn))[::-1]
    for yk, e in zip(y, drawn, strict=True):
        _bar(left, yk, e)
    lo, hi = left.get_xlim()
    pad = 0.12 * (hi - lo)
    left.set_xlim(lo - pad, hi + pad)
    left.axvline(0, color="black", linewidth=0.8)
    left.axvline(-r["nominal"], color=VERMILLION, linestyle="--", linewidth=1.2)
    left.set_yticks(y, [label(e["key"], 45) for e in drawn])
    left.set_xlabel(f"change in the {name} (per round)")
    left.grid(axis="y", visible=False)
    _indices(right, y, drawn)
    finish(
        fig,
        label(headline(r), TITLE),
        caption(src, seed=sobol["seed"], body=body, conditions=r["conditions"]["text"]),
    )
    return fig


def _design(name: str) -> str:
    return {"sobol": "Sobol'", "lhs": "Latin hypercube", "random": "Random"}.get(name, name)


def _bar(ax, y: float, e: dict) -> None:
    """One input's bar: two halves (low, high) for a number, a mark per alternative."""
    ends = [t["at"] for t in e["tornado"]]
    changes = [t["change"] for t in e["tornado"]]
    if e["kind"] == "alternatives":
        lo, hi = min(changes), max(changes)
        ax.barh(y, hi - lo, left=lo, height=0.5, color=CHOICE, alpha=0.35)
        alike: dict[float, list[str]] = {}
        for option, change in zip(ends, changes, strict=True):
            alike.setdefault(round(change, 12), []).append(label(option, 24))
        for change, options in alike.items():
            ax.plot([change], [y], "D", color=CHOICE, markersize=5)
            ax.annotate(
                " / ".join(options),
                (change, y),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                fontsize="x-small",
            )
        return
    for change, end, colour, hatch in (
        (changes[0], ends[0], LOW, None),
        (changes[1], ends[1], HIGH, "//"),
    ):
        ax.barh(y, change, height=0.6, color=colour, hatch=hatch, edgecolor="white")
        ax.annotate(
            label(end, 12),
            (change, y),
            xytext=(3 if change >= 0 else -3, 0),
            textcoords="offset points",
            ha="left" if change >= 0 else "right",
            va="center",
            fontsize="x-small",
        )


def _indices(ax, y: np.ndarray, drawn: list[dict]) -> None:
    """First-order and total indices as paired bars with interval whiskers."""
    if not drawn:
        return
    for offset, attr, colour, name in (
        (0.17, "first_order", FIRST, "first order"),
        (-0.17, "total", TOTAL, "total"),
    ):
        values = np.array([e[attr] for e in drawn])
        intervals = np.array([e[f"{attr}_interval"] for e in drawn])
        err = np.abs(np.vstack([values - intervals[:, 0], intervals[:, 1] - values]))
        ax.barh(y + offset, values, height=0.32, color=colour, label=name)
        ax.errorbar(values, y + offset, xerr=err, fmt="none", ecolor="black", elinewidth=0.8)
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
    ax.set_xlabel("Sobol' index (share of variance)")
    ax.legend(fontsize="small", loc="lower right", frameon=True, framealpha=0.85)
    ax.grid(axis="y", visible=False)


#: The name this figure had before the catalogue.
tornado = tornado_figure
