"""The region map of a sweep over two keys: where each policy is the focal player's best."""

from __future__ import annotations

import numpy as np

from ..core.errors import ScenarioError
from .reading import read
from .style import BLACK, NEGATIVE, POSITIVE, caption, finish, new_figure, styled, wrap
from .text import label

#: The gid of the break-even line (advantage = 0), for tools and tests that look for it.
BREAK_EVEN = "break-even"


def diverging():
    """Vermillion (the first policy wins) through white to blue (another policy wins): the
    Okabe-Ito ends of a diverging map, centred at 0 by symmetric limits."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("recip-diverging", [NEGATIVE, "#F7F7F7", POSITIVE])


@styled
def region_figure(result, *, source=None):
    """The advantage of the best other policy over the first (per round) as colour over the
    two swept keys (blue: another policy pays the focal player more; vermillion: the first
    does), the break-even line where it is 0, and the scenario's own point as a star.

    A grid is drawn cell by cell, a design's points as dots; the break-even line is the zero
    contour of the advantage interpolated linearly between points (Delaunay triangles for a
    design), drawn only when both keys are numbers. ``result``: a two-key sweep or its
    results document."""
    from matplotlib.colors import Normalize, TwoSlopeNorm

    sw, src = read(result, "sweep", "region", source)
    reg = sw.get("region")
    if reg is None and hasattr(result, "region"):
        reg = result.region()  # a sweep too large for its document still has its map
    if reg is None:
        raise ScenarioError(
            "the region map needs a sweep over two keys comparing two or more policies (and, "
            "read from results.json, at most 40,000 points)",
            key="figure",
        )
    a, b = reg["axes"]
    x, y = np.asarray(reg["x"]), np.asarray(reg["y"])
    adv = np.asarray(reg["advantage"], dtype=float)
    low, high = float(adv.min()), float(adv.max())
    if low < 0 < high:  # each side of 0 spans its colours: both regions stand out
        norm = TwoSlopeNorm(vcenter=0.0, vmin=low, vmax=high)
    else:
        top = max(abs(low), abs(high)) or 1.0
        norm = Normalize(vmin=-top, vmax=top)
    cmap = diverging()
    fig = new_figure(8.6, 6.0)
    ax = fig.subplots()
    shape = reg["shape"]
    if shape is not None:
        xs, ys = np.asarray(a["values"]), np.asarray(b["values"])
        Z = adv.reshape(shape).T
        mesh = ax.pcolormesh(xs, ys, Z, shading="nearest", cmap=cmap, norm=norm)
    else:
        Z = None
        mesh = ax.scatter(x, y, c=adv, s=max(4.0, 4000.0 / len(x)), cmap=cmap, norm=norm)
    numeric = a["numeric"] and b["numeric"]
    handles = []
    if numeric and (adv > 0).any() and (adv < 0).any():
        contour = None
        if Z is not None and min(Z.shape) >= 2:
            contour = ax.contour(xs, ys, Z, levels=[0.0], colors=BLACK, linewidths=1.8)
        elif Z is None:
            contour = ax.tricontour(x, y, adv, levels=[0.0], colors=BLACK, linewidths=1.8)
        if contour is not None:
            contour.set_gid(BREAK_EVEN)
            (line,) = ax.plot([], [], color=BLACK, linewidth=1.8)
            handles.append((line, "break-even (advantage = 0)"))
    if a["own"] is not None and b["own"] is not None:
        (star,) = ax.plot(
            a["own"],
            b["own"],
            marker="*",
            markersize=18,
            markerfacecolor="white",
            markeredgecolor=BLACK,
            linestyle="none",
        )
        handles.append(
            (
                star,
                f"the scenario's own point ({label(a['own_text'], 30)}, "
                f"{label(b['own_text'], 30)})",
            )
        )
    for s, set_ticks, set_label in (
        (a, ax.set_xticks, ax.set_xlabel),
        (b, ax.set_yticks, ax.set_ylabel),
    ):
        if not s["numeric"]:
            set_ticks(s["values"], [label(t, 24) for t in s["labels"]])
        set_label(label(s["key"], 60))
    ax.grid(False)
    base = sw["policies"][0]
    other = sw["policies"][1] if len(sw["policies"]) == 2 else "the best other policy"
    bar = fig.colorbar(mesh, ax=ax, shrink=0.9)
    if isinstance(norm, TwoSlopeNorm):  # round ticks on both sides of 0
        from matplotlib.ticker import MaxNLocator

        ticks = [
            t
            for side in (MaxNLocator(3).tick_values(low, 0), MaxNLocator(3).tick_values(0, high))
            for t in side
            if low <= t <= high
        ]
        bar.set_ticks(np.unique(ticks))
    bar.set_label(wrap(f"{other} minus {base} for {sw['focal']} (per round)", 5.0, 10, 2))
    finish(
        fig,
        _finding(sw),
        caption(
            src,
            seed=sw["design"]["seed"],
            body=_body(sw, numeric),
            conditions=sw["conditions"]["text"],
        ),
        ([h for h, _ in handles], [t for _, t in handles]) if handles else None,
    )
    return fig


def _finding(sw: dict) -> str:
    n = sw["design"]["points"]
    base = sw["policies"][0]
    other = sw["policies"][1] if len(sw["policies"]) == 2 else "another policy"
    wins = sum(c for p, c in sw["wins"].items() if p not in (base, "tie"))
    focal = sw["focal"]
    if wins == 0:
        return f"{base} is {focal}'s best policy (or ties) everywhere on this map"
    if wins == n:
        return f"{other} beats {base} for {focal} everywhere on this map"
    return (
        f"{other} beats {base} for {focal} in {100 * wins / n:.0f}% of this map (blue); "
        f"{base} wins or ties in the rest (vermillion)"
    )


def _body(sw: dict, numeric: bool) -> str:
    d = sw["design"]
    if d["shape"] is not None:
        how = f"a {d['shape'][0]} x {d['shape'][1]} grid of exact values"
    else:
        how = f"{d['points']} points of a {d['kind']} design, exact values"
    line = (
        "The black line is the break-even (advantage = 0), interpolated between points."
        if numeric
        else "No break-even line is drawn across a key whose values are not numbers."
    )
    return (
        f"{how[:1].upper()}{how[1:]}. {line} The star is the scenario's own point. Colours "
        "saturate at each side's largest advantage (see the scale)."
    )


#: The name this figure had before the catalogue.
region_map = region_figure
