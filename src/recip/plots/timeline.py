"""A relationship timeline: one simulated history per policy, round by round, who took which
stance toward whom."""

from __future__ import annotations

import numpy as np

from ..core.text import join_words
from .reading import read
from .style import (
    GREEN,
    NEGATIVE,
    NEUTRAL,
    ORANGE,
    POSITIVE,
    PURPLE,
    SKY,
    YELLOW,
    caption,
    finish,
    new_figure,
    styled,
)
from .text import label

#: Colours of world states (none of them a stance's colour).
STATE_COLOURS = (GREEN, YELLOW, PURPLE, "#9A9A9A", ORANGE, SKY, "#4D4D4D", "#E0C0D0")
#: Most (actor, target) rows per history; beyond, only those involving the focal player.
MAX_PAIRS = 8


def stance_map():
    """Vermillion (against, -1) through light grey (neutral) to blue (sides with, +1)."""
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("recip-stance", [NEGATIVE, NEUTRAL, POSITIVE])
    return cmap.with_extremes(bad="white")


def headline(t: dict) -> str:
    focal = t["focal"]
    toward = [(a, b) for a, b in t["pairs"] if b == focal]
    if not toward:
        return f"One history per policy of {focal} (seed {t['seed']})"
    actor = toward[0][0]
    counts = {p: t["histories"][p]["counts"][f"{actor}->{focal}"] for p in t["policies"]}
    parts = [f"{c['sides']} of {sum(c.values())} under {p}" for p, c in counts.items()]
    if len(parts) > 3:  # the fewest and the most
        order = sorted(counts, key=lambda p: counts[p]["sides"])
        parts = [parts[t["policies"].index(order[0])], parts[t["policies"].index(order[-1])]]
        parts[0] = f"from {parts[0]}"
        parts[1] = f"to {parts[1]}"
        return (
            f"One history (seed {t['seed']}): {actor} sides with {focal} {' '.join(parts)}"
            f" of its chances (rounds where its choice concerns {focal})"
        )
    return (
        f"One history (seed {t['seed']}): {actor} sides with {focal} in "
        + join_words(parts)
        + f" of its chances (rounds where its choice concerns {focal})"
    )


@styled
def timeline_figure(result, *, source=None):
    """One panel per policy of the focal player: the world state of each round (top strip) and,
    below, each player's stance toward each other player it has a choice about (blue: sides
    with; grey: neutral; vermillion: against; white: its choice that round does not concern
    them). ``result``: a :class:`~recip.questions.timeline.Timeline` or its document."""
    t, src = read(result, "timeline", "timeline", source)
    pairs = [tuple(p) for p in t["pairs"]]
    focal = t["focal"]
    left_out = 0
    if len(pairs) > MAX_PAIRS:
        kept = [p for p in pairs if focal in p]
        left_out, pairs = len(pairs) - len(kept), kept
    states = t["states"]
    colours = {s: STATE_COLOURS[k % len(STATE_COLOURS)] for k, s in enumerate(states)}
    rows = len(pairs) + 1
    T = t["rounds"]
    P = len(t["policies"])
    fig = new_figure(max(8.0, 3.2 + 0.24 * T), P * (0.55 + 0.27 * rows))
    axes = np.atleast_1d(fig.subplots(P, 1, sharex=True, squeeze=False)).ravel()
    cmap = stance_map()
    from matplotlib.colors import ListedColormap, Normalize

    state_cmap = ListedColormap([colours[s] for s in states])
    x = np.arange(T + 1) + 0.5
    for ax, policy in zip(axes, t["policies"], strict=True):
        h = t["histories"][policy]
        world = np.array([[states.index(s) for s in h["states"]]], dtype=float)
        ax.pcolormesh(x, [-0.5, 0.5], world, cmap=state_cmap, vmin=-0.5, vmax=len(states) - 0.5)
        grid = np.array(
            [[np.nan if v is None else v for v in h["stances"][f"{a}->{b}"]] for a, b in pairs]
        ).reshape(len(pairs), T)
        y = np.arange(len(pairs) + 1) + 0.5
        ax.pcolormesh(
            x,
            y,
            np.ma.masked_invalid(grid),
            cmap=cmap,
            norm=Normalize(-1, 1),
            edgecolors="white",
            linewidth=0.6,
        )
        ax.set_ylim(len(pairs) + 0.5, -0.5)
        ax.set_yticks(
            range(rows), ["world state", *(f"{label(a, 20)} → {label(b, 20)}" for a, b in pairs)]
        )
        ax.set_title(f"{focal}: {label(policy, 50)}", loc="left", fontweight="bold", fontsize=10)
        ax.grid(False)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xlabel(
        "round"
        + (f" (after {t['scripted_rounds']} scripted rounds)" if t["scripted_rounds"] else "")
    )
    step = 1 if T <= 20 else 5
    axes[-1].set_xticks(range(step if step > 1 else 1, T + 1, step))
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=POSITIVE, label="sides with (+1)"),
        Patch(facecolor=NEUTRAL, label="neutral (0)"),
        Patch(facecolor=NEGATIVE, label="against (−1)"),
        Patch(facecolor="white", edgecolor="#999999", label="no choice about them"),
        *(
            Patch(facecolor=colours[s], label=label(f"state: {lab}", 40))
            for s, lab in t["state_labels"].items()
        ),
    ]
    body = (
        f"Each panel is one simulated history of {T} rounds (seed {t['seed']}); every policy "
        "sees the same draws of nature and of the others' randomness and slips, so the "
        "histories differ by what the policy changes. "
        "A row is one player's stance toward another in the rounds where its choice concerns "
        "it; graded stances are shaded in between."
    )
    if left_out:
        body += f" {left_out} pairs not involving {focal} are left out (see the document)."
    finish(
        fig,
        headline(t),
        caption(src, seed=t["seed"], body=body, conditions=t["conditions"]["text"]),
        (handles, [h.get_label() for h in handles]),
    )
    return fig
