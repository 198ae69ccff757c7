"""Several scenarios' advantage against the discount factor on one panel: the op-ed's scenario
and its counter-scenarios, every critical value marked, each scenario's own discount factor on
its curve."""

from __future__ import annotations

import numpy as np

from .reading import read
from .style import BLACK, caption, colour, dash, finish, marker, new_figure, styled, wrap
from .text import label
from .threshold import capitalised, where, y_label


def headline(rs: list[dict]) -> str:
    """How the verdict depends on the discount factor across the scenarios, in one sentence."""
    base, other = rs[0]["policies"]
    same = all(r["what"] == "advantage" and r["policies"] == [base, other] for r in rs)
    if not same:
        return f"Where the verdict flips with the discount factor δ, in {len(rs)} scenarios"
    found = [where(r) for r in rs]
    groups = {
        "above a critical δ": sum(f.startswith("above") for f in found),
        "below a critical δ": sum(f.startswith("below") for f in found),
        "at every δ": sum(f == "at every δ" for f in found),
        "in stretches of δ": sum(f.startswith("for δ") for f in found),
        "at no δ": sum(f == "never" for f in found),
    }
    ranked = sorted((n, -i, key) for i, (key, n) in enumerate(groups.items()) if n)[::-1]
    parts = [f"{key} in {n}" for n, _, key in ranked]
    parts[0] += f" of {len(rs)} scenarios"
    lead = f"{other} pays {rs[0]['focal']} more than {base}: "
    return capitalised(lead + ", ".join(parts))


@styled
def discount_overlay_figure(result, *, source=None):
    """One curve per scenario (colour, line style and marker), the zero line, each scenario's
    critical discount factors as dots on it and its own discount factor as a marker on its
    curve; the legend says where each scenario's second policy pays more. ``result``: a
    :class:`~recip.questions.overlay.DiscountOverlay` or its results document."""
    doc, src = read(result, "critical-discounts", "discount-overlay", source)
    scenarios = doc["scenarios"]
    rs = [s["result"] for s in scenarios]
    fig = new_figure(10.0, 5.0)
    ax = fig.subplots()
    ax.axhline(0.0, color="#555555", linewidth=0.9)
    handles, texts = [], []
    for k, (s, r) in enumerate(zip(scenarios, rs, strict=True)):
        x = np.asarray(r["grid"]["discounts"], dtype=float)
        y = np.array([np.nan if v is None else v for v in r["grid"]["values"]], dtype=float)
        style = {"color": colour(k), "linestyle": dash(k)}
        (line,) = ax.plot(x, y, **style, linewidth=2.0)
        for c in r["crossings"]:
            ax.plot([c["discount"]], [0.0], "o", color=colour(k), markersize=6, zorder=4)
        own = r.get("own_point")
        if own is not None:
            ax.plot(
                [own["discount"]],
                [own["value"]],
                marker=marker(k),
                markersize=9,
                markerfacecolor="white",
                markeredgecolor=colour(k),
                markeredgewidth=1.8,
                linestyle="none",
                zorder=5,
            )
        pair = "" if r["policies"] == rs[0]["policies"] else f" ({' vs '.join(r['policies'])})"
        handles.append(line)
        texts.append(label(f"{s['name']}{pair}: {where(r)}", 70))
    from matplotlib.lines import Line2D

    handles += [
        Line2D([], [], marker="o", color=BLACK, linestyle="none", markersize=6),
        Line2D([], [], marker="o", markerfacecolor="white", color=BLACK, linestyle="none"),
    ]
    texts += ["a critical discount factor", "the scenario's own δ (marker of its colour)"]
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("discount factor δ (the weight of the future; the chance of another round)")
    ax.set_ylabel(wrap(y_label(rs[0]), 4.6, 10, 2))
    names = ", ".join(
        f"{s['name']} ({s['hash'][:8]})" if s.get("hash") else s["name"] for s in scenarios
    )
    body = (
        f"Scenarios: {names}. Each curve is exact on a grid of discount factors, its critical "
        "values refined between them; every scenario keeps its own payoffs, strategies and noise, "
        f"and only δ varies. Conditions of {scenarios[0]['name']}: {rs[0]['conditions']['text']}."
    )
    finish(fig, headline(rs), caption(src, seed=None, body=body), (handles, texts))
    return fig
