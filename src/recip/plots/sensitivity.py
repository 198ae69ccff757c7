"""The tornado of a sensitivity analysis, beside its Sobol' indices.

Colours are the Okabe-Ito palette (distinguishable with every common colour-vision deficiency),
and the two ends of a bar differ in hatching as well as colour, so the figure also reads in grey.
"""

from __future__ import annotations

import numpy as np

from ..core.text import join_words
from ..questions.sensitivity import InputEffect, Sensitivity
from .text import TITLE, label, paragraph

LOW, HIGH, CHOICE = "#0072B2", "#E69F00", "#009E73"  # blue, orange, bluish green
FIRST, TOTAL = "#0072B2", "#56B4E9"  # blue, sky blue
#: Most inputs drawn (largest swings first); the rest are in results.json and the text.
MAX_BARS = 15
#: Characters per line of the caption, and most lines of it.
NOTE_WIDTH = 170
NOTE_LINES = 6


def sensitivity_figures(result: Sensitivity) -> dict:
    return {"tornado": tornado(result)}


def headline(r: Sensitivity) -> str:
    """The figure's title: what the verdict flips with, or that nothing in range flips it."""
    name = r.quantity.split(":")[0]
    subject = f"{r.verdict.split(' for ')[0]} for {r.focal}" if len(r.policies) == 2 else name
    flips = [e.key for e in r.flipping]
    if flips:
        shown = flips[:2] + ([f"{len(flips) - 2} more"] if len(flips) > 2 else [])
        return f"{subject}: flips with {join_words(shown)}"
    top = r.effects[0].key if r.effects else "no input"
    return f"{subject}: no input flips it within its range; it moves most with {top}"


def tornado(r: Sensitivity):
    """Left: each input's change of the verdict quantity at the low and high end of its range
    (alternatives: under each), largest swing on top, the line where the verdict flips dashed.
    Right: first-order and total Sobol' indices with their intervals, in the same order."""
    from .figure import Figure

    name = r.quantity.split(":")[0]
    drawn = [e for e in r.effects if not e.inert][:MAX_BARS]
    left_out = len(r.effects) - len(drawn)
    fig = Figure(figsize=(12, 1.6 + 0.42 * max(len(drawn), 3)))
    caption = (
        f"Scenario {r.scenario}; {r.design} design, {r.samples} base samples "
        f"({r.evaluations} exact evaluations), seed {r.seed}. Conditions: "
        f"{r.conditions.text()}. Left: change in the {name} ({r.quantity.split(': ', 1)[-1]}) "
        "with one input at the low (blue) or high (orange) end of its range, the others nominal; "
        f"green: alternative strategies. Beyond the dashed line the verdict flips. Right: Sobol' "
        f"indices with {r.confidence:.0%} bootstrap intervals."
    )
    if left_out:
        caption += f" {left_out} inert or smaller inputs are not drawn (see results.json)."
    note = paragraph(caption, NOTE_WIDTH, NOTE_LINES)
    n_lines = note.count("\n") + 1
    height = fig.get_figheight()
    fig.subplots_adjust(
        left=0.25,
        right=0.98,
        top=1 - 0.6 / height,
        bottom=(0.45 + 0.16 * n_lines) / height,
        wspace=0.08,
    )
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[2.2, 1])
    y = np.arange(len(drawn))[::-1]
    for yk, e in zip(y, drawn, strict=True):
        _bar(left, yk, e)
    lo, hi = left.get_xlim()
    pad = 0.12 * (hi - lo)
    left.set_xlim(lo - pad, hi + pad)
    left.axvline(0, color="black", linewidth=0.8)
    left.axvline(-r.nominal, color="#D55E00", linestyle="--", linewidth=1.2)
    left.set_yticks(y, [label(e.key, 45) for e in drawn])
    left.set_xlabel(f"change in the {name} (per round)")
    left.grid(axis="x", alpha=0.3)
    _indices(right, y, drawn)
    fig.suptitle(label(headline(r), TITLE), fontsize="large", fontweight="bold")
    fig.text(0.5, 0.012, note, ha="center", va="bottom", fontsize="small")
    return fig


def _bar(ax, y: float, e: InputEffect) -> None:
    """One input's bar: two halves (low, high) for a number, a mark per alternative."""
    if e.kind == "alternatives":
        lo, hi = min(e.changes), max(e.changes)
        ax.barh(y, hi - lo, left=lo, height=0.5, color=CHOICE, alpha=0.35)
        alike: dict[float, list[str]] = {}
        for option, change in zip(e.ends, e.changes, strict=True):
            alike.setdefault(round(change, 12), []).append(label(option, 18))
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
        (e.changes[0], e.ends[0], LOW, None),
        (e.changes[1], e.ends[1], HIGH, "//"),
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


def _indices(ax, y: np.ndarray, drawn: list[InputEffect]) -> None:
    """First-order and total indices as paired bars with interval whiskers."""
    if not drawn:
        return
    for offset, attr, colour, name in (
        (0.17, "first", FIRST, "first order"),
        (-0.17, "total", TOTAL, "total"),
    ):
        values = np.array([getattr(e, attr) for e in drawn])
        intervals = np.array([getattr(e, f"{attr}_interval") for e in drawn])
        err = np.abs(np.vstack([values - intervals[:, 0], intervals[:, 1] - values]))
        ax.barh(y + offset, values, height=0.32, color=colour, label=name)
        ax.errorbar(values, y + offset, xerr=err, fmt="none", ecolor="black", elinewidth=0.8)
    ax.set_xlim(min(0.0, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
    ax.set_xlabel("Sobol' index (share of variance)")
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(axis="x", alpha=0.3)
