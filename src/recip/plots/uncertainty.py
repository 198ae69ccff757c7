"""The distribution of the focal player's advantage under the scenario's declared uncertainty."""

from __future__ import annotations

import numpy as np

from ..questions.uncertainty import Uncertainty
from .text import label, paragraph

#: Colour-blind-safe colours (Okabe-Ito): the advantage's distribution, and the side where the
#: baseline wins.
BLUE, VERMILLION = "#0072B2", "#D55E00"


def advantage_histogram(u: Uncertainty):
    """One panel per compared policy (after the first): a histogram of its advantage over the
    first across the draws, the side where the first policy wins shaded, the share of draws
    with a positive advantage and the median marked."""
    from .figure import Figure

    k = len(u.spreads)
    width = max(9.0, 5.5 * k + 1.0)
    fig = Figure(figsize=(width, 5.2))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.80, bottom=0.27, wspace=0.25)
    axes = np.atleast_1d(fig.subplots(1, k))
    adv = u.advantages
    for ax, spread, p in zip(axes, u.spreads, range(1, k + 1), strict=True):
        edges, counts = spread.histogram
        widths = np.diff(edges)
        share = np.asarray(counts) / u.samples
        colours = [
            VERMILLION if (e + w) <= 0 else BLUE for e, w in zip(edges[:-1], widths, strict=True)
        ]
        ax.bar(edges[:-1], share, width=widths, align="edge", color=colours, edgecolor="white")
        ax.axvline(0.0, color="black", linewidth=1.0)
        median = float(np.median(adv[:, p]))
        ax.axvline(median, color="black", linestyle="--", linewidth=1.0)
        ax.set_xlabel(f"{label(spread.policy, 40)} minus {label(u.policies[0], 40)} (per round)")
        ax.set_ylabel("share of draws")
        ax.set_title(
            f"advantage > 0 in {100 * spread.positive:.1f}% of draws; median {median:.3g} (dashed)",
            fontsize="medium",
        )
        ax.grid(alpha=0.3)
    best = u.policies[u.nominal_best]
    share = 100 * u.best_share[u.nominal_best]
    fig.suptitle(
        paragraph(
            f"{best} stays {u.focal}'s best policy in {share:.1f}% of {u.samples} draws of "
            f"the scenario's uncertain inputs",
            int(width * 8),
            2,
        ),
        fontsize="large",
        fontweight="bold",
    )
    caption = (
        f"{u.title}. Draws: {u.samples}, {u.method} design, seed {u.seed}; every draw evaluated "
        f"exactly. Conditions: {u.conditions.text()}. Vermillion bars: draws where "
        f"{u.policies[0]} pays {u.focal} more."
    )
    fig.text(
        0.5,
        0.02,
        paragraph(caption, int(width * 14), 5),
        ha="center",
        va="bottom",
        fontsize="small",
    )
    return fig
