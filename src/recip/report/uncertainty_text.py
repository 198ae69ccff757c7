"""Text of an uncertainty analysis (``recip uncertainty``): what was sampled, how often each
policy is the focal player's best, the spread of each advantage, and where the verdict flips."""

from __future__ import annotations

from ..questions.uncertainty import QUANTILES, Uncertainty
from .base import body
from .tables import table, wrap

DESIGN_WORDS = {"sobol": "scrambled Sobol'", "lhs": "Latin hypercube", "random": "random"}


@body.register
def _uncertainty(u: Uncertainty, *, verbose: bool = False) -> list[str]:
    lines = [
        f"{u.samples} draws ({DESIGN_WORDS[u.method]} design, seed {u.seed}) of "
        f"{len(u.inputs)} uncertain inputs, each draw evaluated exactly:",
        "",
    ]
    shown = u.inputs if verbose else u.inputs[:20]
    rows = [[i.key, i.describe().split(": ", 1)[1]] for i in shown]
    lines.append(table(["input", "distribution"], rows))
    if len(shown) < len(u.inputs):
        lines.append(f"... and {len(u.inputs) - len(shown)} more (--verbose lists them all)")
    lines += ["", f"How often each policy is {u.focal}'s best:", ""]
    rows = []
    for p, share, (lo, hi) in zip(u.policies, u.best_share, u.best_interval, strict=True):
        nominal = "  (nominal verdict)" if p == u.policies[u.nominal_best] else ""
        rows.append([p, f"{100 * share:.1f}%", f"[{100 * lo:.1f}%, {100 * hi:.1f}%]{nominal}"])
    lines.append(table(["policy", "best in", "95% interval"], rows))
    lines += ["", f"Advantage over {u.policies[0]}, per round, across the draws:", ""]
    header = ["policy", "mean", *[f"q{100 * q:g}" for q in QUANTILES], "> 0"]
    rows = [
        [
            s.policy,
            f"{s.mean:+.3f}",
            *[f"{q:+.3f}" for q in s.quantiles],
            f"{100 * s.positive:.1f}%",
        ]
        for s in u.spreads
    ]
    lines.append(table(header, rows))
    lines += wrap(
        "q50 is the median; q5 and q95 bound 90% of the draws. The 95% interval of a share "
        "is Wilson's, which treats the draws as independent (conservative for these designs); "
        "it is about sampling only: each draw is evaluated exactly."
    )
    if u.discovery is not None:
        lines += ["", *wrap(f"Where the verdict flips: {u.discovery.sentence}")]
    elif (u.best_share[u.nominal_best] < 1.0) is False:
        lines += ["", "The verdict does not flip in any draw."]
    lines += ["", *wrap(f"Summary: {u.summary}")]
    return lines
