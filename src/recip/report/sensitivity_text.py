"""Text of a sensitivity analysis (``recip sensitivity``): the tornado, the Sobol' indices, the
break-even values, the inert inputs and the sentence of where the verdict flips.

Every table fits :data:`~recip.report.tables.WIDTH` columns; full labels and every number are in
the JSON document.
"""

from __future__ import annotations

from ..questions.sensitivity import InputEffect, Sensitivity
from .base import body
from .tables import shorten, table, wrap

#: Widest label of an alternative in the tornado table.
OPTION_WIDTH = 12


def _ends(e: InputEffect) -> tuple[str, str, float, float]:
    """The two ends of an input's bar: its range's (numbers) or, for alternatives, the least and
    the most favourable alternative."""
    if e.kind != "alternatives":
        return e.ends[0], e.ends[1], e.changes[0], e.changes[1]
    lo = min(range(len(e.changes)), key=lambda k: e.changes[k])
    hi = max(range(len(e.changes)), key=lambda k: e.changes[k])
    return (
        shorten(e.ends[lo], OPTION_WIDTH),
        shorten(e.ends[hi], OPTION_WIDTH),
        e.changes[lo],
        e.changes[hi],
    )


def _interval(pair) -> str:
    return f"[{pair[0]:.3f}, {pair[1]:.3f}]"


@body.register
def _sensitivity(r: Sensitivity, *, verbose: bool = False) -> list[str]:
    name, what = r.quantity.split(": ", 1)
    lines = wrap(f"At the nominal values, {r.verdict}.")
    lines += wrap(f"Measured by the {name}: {what}.")
    lines += [""]
    lines += wrap(
        f"Tornado: the change in the {name} with each input at the low and the high end of its "
        "range, the others nominal (alternatives: the least and the most favourable); largest "
        "swing first."
    )
    rows = []
    for e in r.effects:
        low, high, at_low, at_high = _ends(e)
        rows.append([e.key, low, high, f"{at_low:+.4f}", f"{at_high:+.4f}", f"{e.swing:.4f}"])
    lines += ["", table(["input", "low", "high", "at low", "at high", "swing"], rows), ""]

    lines += wrap(
        f"Sobol' indices: the share of the variance of the {name} over the declared "
        f"distributions that each input explains alone (first order) and with its interactions "
        f"(total); {r.confidence:.0%} bootstrap intervals; {r.samples} base samples, "
        f"{r.evaluations} exact evaluations, {r.design} design, seed {r.seed}."
    )
    by_total = sorted(r.effects, key=lambda e: -e.total)
    rows = [
        [
            e.key,
            f"{e.first:.3f}",
            _interval(e.first_interval),
            f"{e.total:.3f}",
            _interval(e.total_interval),
        ]
        for e in by_total
    ]
    header = ["input", "first", "interval", "total", "interval"]
    lines += ["", table(header, rows), ""]

    lines += wrap("Break-even values: where the verdict flips, the other inputs nominal.")
    moving = [e for e in r.effects if not e.inert]
    for e in moving:
        lines += wrap(f"  {e.key}: {e.break_even_text()}")
    if not moving:
        lines.append("  (every input is inert)")
    lines.append("")
    if r.inert:
        lines += wrap("Inert inputs: they cannot move the verdict under the compared strategies.")
        for e in r.inert:
            lines += wrap(f"  {e.key}: {e.inert}")
        lines.append("")
    lines += wrap(f"Where the verdict flips (Sobol' sample): {r.discovery.sentence}")
    return lines
