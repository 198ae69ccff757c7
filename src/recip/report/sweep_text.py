"""Text of a sweep (``recip sweep``): what was swept and what it cost, where each policy is the
focal player's best, the spread of the advantage, and the scenario's own point. The points
themselves are in the CSV."""

from __future__ import annotations

from ..questions.sweep_result import Sweep
from .base import body
from .tables import table, wrap

#: What one distinct value of a key costs, by its kind.
COST = {
    "payoff": "nearly free",
    "discount": "a solve per value",
    "structure": "a chain per value",
}
DESIGN_WORDS = {"sobol": "scrambled Sobol'", "lhs": "Latin hypercube", "random": "random"}


def _spread(s) -> str:
    if s.axis.options:
        return f"{s.count} values: {s.spec}"
    if s.values:
        lo, hi = s.span
        return f"{lo:g} to {hi:g}, {s.count} values"
    return f"{s.low:g} to {s.high:g}"


@body.register
def _sweep(sw: Sweep, *, verbose: bool = False) -> list[str]:
    n = len(sw.points)
    if sw.shape is not None:
        how = f"a grid of {' x '.join(str(c) for c in sw.shape)} = {n:,} points"
    else:
        how = f"{n:,} points of a {DESIGN_WORDS[sw.design]} design (seed {sw.seed})"
    lines = [f"Swept: {how}, each evaluated exactly.", ""]
    rows = [[s.key, s.axis.kind, _spread(s), COST[s.axis.kind]] for s in sw.inputs]
    lines.append(table(["key", "kind", "values", "cost"], rows))
    lines += wrap(
        f"Work: {sw.structures:,} structural combination{'s' * (sw.structures != 1)}, "
        f"{sw.solves:,} solve{'s' * (sw.solves != 1)} per policy, {sw.chunks:,} "
        f"chunk{'s' * (sw.chunks != 1)}."
    )
    wins = sw.wins()
    rows = [[p, f"{wins[p]:,}", f"{100 * wins[p] / n:.1f}%"] for p in sw.policies]
    if wins["tie"]:
        rows.append(["tie", f"{wins['tie']:,}", f"{100 * wins['tie'] / n:.1f}%"])
    lines += ["", f"Where each policy is {sw.focal}'s best:", ""]
    lines.append(table(["policy", "points", "share"], rows))
    if len(sw.policies) > 1:
        adv = sw.advantage
        rows = [
            [p, f"{adv[:, k].min():+.4g}", f"{adv[:, k].mean():+.4g}", f"{adv[:, k].max():+.4g}"]
            for k, p in enumerate(sw.policies)
            if k
        ]
        lines += ["", f"Advantage over {sw.policies[0]}, per round, across the points:", ""]
        lines.append(table(["policy", "min", "mean", "max"], rows))
    f = sw.players.index(sw.focal)
    own = ", ".join(f"{p} {v:.4g}" for p, v in zip(sw.policies, sw.own_values[:, f], strict=True))
    verdict = f"{sw.policies[sw.own_best]} is best ({own} per round)"
    lines += ["", *wrap(f"At the scenario's own point ({sw.own_text()}): {verdict}.")]
    lines += ["", *wrap(f"Summary: {sw.summary}")]
    return lines
