"""The distribution of the focal player's advantage under the scenario's declared uncertainty,
with the probability that it is positive."""

from __future__ import annotations

import math

import numpy as np

from .reading import read
from .style import BLACK, NEGATIVE, NEUTRAL, POSITIVE, caption, finish, new_figure, styled
from .text import label

#: Most panels side by side.
COLUMNS = 3


def headline(u: dict) -> str:
    best = u["nominal_best"]
    share = 100 * u["best"][best]["share"]
    lo, hi = (100 * x for x in u["best"][best]["interval"])
    return (
        f"{best}, the nominal verdict, is {u['focal']}'s best policy in {share:.1f}% of "
        f"{u['samples']} draws (95% interval {lo:.1f}% to {hi:.1f}%)"
    )


@styled
def uncertainty_figure(result, *, source=None):
    """One panel per compared policy after the first: a histogram of its advantage over the
    first across the draws of the scenario's uncertain inputs (blue bars: it pays more;
    vermillion: the first does), the share of draws where it is positive in the panel's title
    and the median dashed. ``result``: an uncertainty analysis or its results document."""
    u, src = read(result, "uncertainty", "uncertainty", source)
    spreads = u["advantage"]
    k = len(spreads)
    cols = min(k, COLUMNS)
    rows = math.ceil(k / cols)
    width = max(8.0, 3.9 * cols + 0.8)
    fig = new_figure(width, 3.5 * rows)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    base = u["policies"][0]
    straddle = False
    for ax, spread in zip(axes, spreads, strict=False):
        edges = np.asarray(spread["histogram"]["edges"], dtype=float)
        counts = np.asarray(spread["histogram"]["counts"], dtype=float)
        widths = np.diff(edges)
        share = counts / u["samples"]
        colours = [
            NEGATIVE if e + w <= 0 else POSITIVE for e, w in zip(edges[:-1], widths, strict=True)
        ]
        ax.bar(edges[:-1], share, width=widths, align="edge", color=colours, edgecolor="white")
        ax.axvline(0.0, color=BLACK, linewidth=1.0)
        median = spread["quantiles"]["0.5"]
        ax.axvline(median, color=BLACK, linestyle="--", linewidth=1.1)
        ax.set_xlabel(f"{label(spread['policy'], 28)} minus {label(base, 28)} (per round)")
        ax.set_ylabel("share of draws")
        ax.set_title(
            f"advantage > 0 in {100 * spread['share_positive']:.1f}% of draws; median {median:.3g}",
            fontsize=10,
        )
    for ax in axes[k:]:
        ax.remove()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    legend = (
        [
            Patch(facecolor=POSITIVE),
            Patch(facecolor=NEGATIVE),
            Line2D([], [], color=BLACK, linestyle="--"),
        ],
        [
            "draws where the policy pays more than " + label(base, 30),
            f"draws where {label(base, 30)} pays more",
            "median advantage",
        ],
    )
    if straddle:
        legend[0].insert(2, Patch(facecolor=NEUTRAL))
        legend[1].insert(2, "a bin around 0 (both signs, or ties)")
    n = len(u["inputs"])
    inputs = ", ".join(i["key"] for i in u["inputs"][:3]) + (f" and {n - 3} more" if n > 3 else "")
    body = (
        f"{u['samples']} draws ({_design(u['design'])} design) of the scenario's {n} declared "
        "uncertain inputs, every draw evaluated exactly. The share of draws with a positive "
        "advantage is a frequency over the declared ranges, not a probability of the world. "
        f"Inputs: {inputs} (all in results.json)."
    )
    finish(
        fig,
        headline(u),
        caption(src, seed=u["seed"], body=body, conditions=u["conditions"]["text"]),
        legend,
    )
    return fig


def _design(name: str) -> str:
    return {"sobol": "scrambled Sobol'", "lhs": "Latin hypercube", "random": "random"}.get(
        name, name
    )


#: The name this figure had before the catalogue.
advantage_histogram = uncertainty_figure
