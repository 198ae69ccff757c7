"""The region map of a sweep over two keys: where each policy is the focal player's best."""

from __future__ import annotations

import numpy as np

from ..questions.sweep_result import Sweep
from .text import label, paragraph

#: A diverging map from ColorBrewer (red-blue), readable with the common colour-vision
#: deficiencies; it is centred at 0 by symmetric limits.
CMAP = "RdBu"
#: The gid of the break-even line (advantage = 0), for tools and tests that look for it.
BREAK_EVEN = "break-even"


def region_map(sw: Sweep):
    """The advantage of the best other policy over the first (per round) as colour over the
    two swept keys (blue: another policy pays the focal player more; red: the first does),
    the break-even line where it is 0, and the scenario's own point.

    A grid is drawn cell by cell, a design's points as dots; the break-even line is the zero
    contour of the advantage interpolated linearly between points (Delaunay triangles for a
    design), drawn only when both keys are numbers."""
    from matplotlib.colors import Normalize

    from .figure import Figure

    a_key, b_key = sw.inputs[0], sw.inputs[1]
    x, y = sw.points[:, 0], sw.points[:, 1]
    adv = sw.region_advantage
    top = float(np.abs(adv).max()) or 1.0
    norm = Normalize(vmin=-top, vmax=top)
    fig = Figure(figsize=(8.6, 7.4))
    fig.subplots_adjust(left=0.13, right=0.97, top=0.87, bottom=0.21)
    ax = fig.subplots()
    if sw.shape is not None:
        xs = np.array(a_key.values) if a_key.numeric else np.arange(a_key.count, dtype=float)
        ys = np.array(b_key.values) if b_key.numeric else np.arange(b_key.count, dtype=float)
        Z = adv.reshape(sw.shape).T
        mesh = ax.pcolormesh(xs, ys, Z, shading="nearest", cmap=CMAP, norm=norm)
    else:
        Z = None
        mesh = ax.scatter(x, y, c=adv, s=max(4.0, 4000.0 / len(x)), cmap=CMAP, norm=norm)
    numeric = a_key.numeric and b_key.numeric
    flips = bool((adv > 0).any() and (adv < 0).any())
    if numeric and flips:
        if Z is not None and min(Z.shape) >= 2:
            contour = ax.contour(xs, ys, Z, levels=[0.0], colors="black", linewidths=1.6)
        elif Z is None:
            contour = ax.tricontour(x, y, adv, levels=[0.0], colors="black", linewidths=1.6)
        else:
            contour = None
        if contour is not None:
            contour.set_gid(BREAK_EVEN)
            ax.plot([], [], color="black", label="break-even (advantage = 0)")
    own = sw.own_point
    if own[0] is not None and own[1] is not None:
        ax.plot(
            own[0],
            own[1],
            marker="*",
            markersize=18,
            markerfacecolor="white",
            markeredgecolor="black",
            linestyle="none",
            label=f"the scenario's own point ({label(a_key.axis.text(own[0]), 30)}, "
            f"{label(b_key.axis.text(own[1]), 30)})",
        )
    for s, set_ticks, set_label in (
        (a_key, ax.set_xticks, ax.set_xlabel),
        (b_key, ax.set_yticks, ax.set_ylabel),
    ):
        if not s.numeric:
            set_ticks(range(s.count), [label(s.axis.text(k), 24) for k in range(s.count)])
        set_label(label(s.key, 60))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize="small", framealpha=0.85)
    base = sw.policies[0]
    other = sw.policies[1] if len(sw.policies) == 2 else "the best other policy"
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(label(f"{other} minus {base} for {sw.focal} (per round)", 70))
    fig.suptitle(paragraph(_finding(sw), 80, 2), fontsize="large", fontweight="bold")
    fig.text(
        0.5,
        0.015,
        paragraph(_caption(sw, numeric), 120, 6),
        ha="center",
        va="bottom",
        fontsize="small",
    )
    return fig


def _finding(sw: Sweep) -> str:
    n = len(sw.points)
    adv = sw.region_advantage
    base = sw.policies[0]
    other = sw.policies[1] if len(sw.policies) == 2 else "another policy"
    wins = int((adv > 0).sum())
    if wins == 0:
        return f"{base} is {sw.focal}'s best policy everywhere on this map"
    if wins == n:
        return f"{other} beats {base} for {sw.focal} everywhere on this map"
    return (
        f"{other} beats {base} for {sw.focal} in {100 * wins / n:.0f}% of this map (blue), "
        f"{base} wins or ties in the rest (red)"
    )


def _caption(sw: Sweep, numeric: bool) -> str:
    if sw.shape is not None:
        how = f"a {sw.shape[0]} x {sw.shape[1]} grid of exact values (no random numbers: no seed)"
    else:
        how = f"{len(sw.points)} points of a {sw.design} design, seed {sw.seed}, exact values"
    line = (
        "The black line is the break-even (advantage = 0), interpolated between points."
        if numeric
        else "No break-even line is drawn across a key whose values are not numbers."
    )
    return (
        f"{sw.title}. Scenario {sw.scenario_name}; {how}. Conditions: {sw.conditions.text()}. "
        f"{line} The star is the scenario's own point."
    )
