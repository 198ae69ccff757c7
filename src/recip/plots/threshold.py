"""The answer against the discount factor: the focal player's advantage (or, for equilibria, the
largest gain from deviating) over [0, 1), with every critical discount factor marked."""

from __future__ import annotations

import numpy as np

from ..questions.threshold import CriticalDiscount
from .text import label, paragraph

#: Okabe-Ito colours: the curve, where the second policy pays (or the profile holds), where not.
BLUE, GREEN, VERMILLION = "#0072B2", "#009E73", "#D55E00"


def discount_curve(r: CriticalDiscount):
    """One panel: the function recip scanned (the advantage of ``policies[1]`` over
    ``policies[0]`` per round, or the largest gain from deviating in total discounted payoff),
    on its grid of discount factors, the side where the answer is favourable shaded, and a
    dashed line with its value at every critical discount factor."""
    from .figure import Figure

    x = np.asarray(r.discounts, dtype=float)
    y = np.asarray(r.samples, dtype=float)
    keep = np.isfinite(y)
    fig = Figure(figsize=(9.0, 5.6))
    fig.subplots_adjust(left=0.11, right=0.97, top=0.80, bottom=0.28)
    ax = fig.subplots()
    if r.by_player and r.what != "advantage":
        return _own_curves(fig, ax, r, x)
    ax.plot(x[keep], y[keep], color=BLUE, linewidth=2.0)
    ax.axhline(0.0, color="black", linewidth=1.0)
    for c in r.by_player:  # the focal player's own discount factor
        ax.axvline(c.own, color=BLUE, linestyle=":", linewidth=1.5)
        ax.annotate(
            f"{label(c.player, 20)}'s own {c.own:g}",
            (c.own, 0.0),
            xytext=(3, 6),
            textcoords="offset points",
            fontsize="small",
            color=BLUE,
        )
    if r.what == "advantage":
        good, bad = y > 0, y < 0
        ylabel = f"{label(r.policies[1], 30)} minus {label(r.policies[0], 30)}, per round"
        legend = (
            f"green: {label(r.policies[1], 30)} pays {r.focal} more; "
            f"vermillion: {label(r.policies[0], 30)} does"
        )
    else:
        good, bad = y <= r.tol, y > r.tol
        ylabel = "largest gain from deviating (total discounted payoff)"
        legend = "green: an equilibrium; vermillion: someone gains by deviating"
    low, high = ax.get_ylim()
    ax.fill_between(x, low, high, where=good, color=GREEN, alpha=0.12, linewidth=0)
    ax.fill_between(x, low, high, where=bad, color=VERMILLION, alpha=0.12, linewidth=0)
    ax.set_ylim(low, high)
    for c in r.crossings:
        ax.axvline(c.discount, color="black", linestyle="--", linewidth=1.0)
        ax.annotate(
            f"{c.discount:.4g}",
            (c.discount, high),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize="small",
        )
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel(
        f"{label(r.by_player[0].player, 30)}'s own discount factor δ (its value depends on no "
        "other)"
        if r.by_player
        else "discount factor δ (the chance that the relationship goes on)"
    )
    ax.set_ylabel(paragraph(ylabel, 40, 2))
    ax.grid(alpha=0.3)
    fig.suptitle(paragraph(r.sentence, 80, 3), fontsize="large", fontweight="bold")
    caption = (
        f"{r.title}. Exact values on a grid of {len(x)} discount factors, critical values "
        f"refined between them (dashed). Conditions: {r.conditions.text()}. {legend}."
    )
    fig.text(0.5, 0.02, paragraph(caption, 120, 5), ha="center", va="bottom", fontsize="small")
    return fig


#: Okabe-Ito colours for each player's curve (players beyond them reuse them).
PLAYER_COLOURS = (BLUE, VERMILLION, GREEN, "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")


def _own_curves(fig, ax, r: CriticalDiscount, x: np.ndarray):
    """Players with discount factors of their own: each player's largest gain from deviating
    against its own discount factor, one colour per player, its own discount factor dotted and
    its critical values dashed."""
    n = len(r.by_player)
    for k, c in enumerate(r.by_player):
        colour = PLAYER_COLOURS[k % len(PLAYER_COLOURS)]
        y = np.asarray(c.samples, dtype=float)
        keep = np.isfinite(y)
        # earlier players drawn wider underneath: curves that coincide stay visible
        width = 2.0 + 2.0 * (n - 1 - k) / max(n - 1, 1)
        ax.plot(x[keep], y[keep], color=colour, linewidth=width, label=label(c.player, 30))
        ax.axvline(c.own, color=colour, linestyle=":", linewidth=1.5)
        for cross in c.crossings:
            ax.axvline(cross.discount, color=colour, linestyle="--", linewidth=1.0)
    ax.axhline(r.tol, color="black", linewidth=1.0)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("each player's own discount factor δ")
    ax.set_ylabel(paragraph("largest gain from deviating (total discounted payoff)", 40, 2))
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    fig.suptitle(paragraph(r.headline, 80, 3), fontsize="large", fontweight="bold")
    caption = (
        f"{r.title}. Each player's gain against its own discount factor (its value depends on "
        f"no other), on a grid of {len(x)} points; dotted: the player's own discount factor in "
        f"the scenario, dashed: its critical values; a player deviates where its curve is "
        f"above the tolerance line. Conditions: {r.conditions.text()}."
    )
    fig.text(0.5, 0.02, paragraph(caption, 120, 5), ha="center", va="bottom", fontsize="small")
    return fig


def threshold_figures(r: CriticalDiscount) -> dict:
    return {"discount": discount_curve(r)}
