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
    ax.plot(x[keep], y[keep], color=BLUE, linewidth=2.0)
    ax.axhline(0.0, color="black", linewidth=1.0)
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
    ax.set_xlabel("discount factor δ (the chance that the relationship goes on)")
    ax.set_ylabel(paragraph(ylabel, 40, 2))
    ax.grid(alpha=0.3)
    fig.suptitle(paragraph(r.sentence, 80, 3), fontsize="large", fontweight="bold")
    caption = (
        f"{r.title}. Exact values on a grid of {len(x)} discount factors, critical values "
        f"refined between them (dashed). Conditions: {r.conditions.text()}. {legend}."
    )
    fig.text(0.5, 0.02, paragraph(caption, 120, 5), ha="center", va="bottom", fontsize="small")
    return fig


def threshold_figures(r: CriticalDiscount) -> dict:
    return {"discount": discount_curve(r)}
