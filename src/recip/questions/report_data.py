"""Everything ``recip report`` shows, computed before the page is written: the explanation
(verdict, claims, sensitivity, uncertainty, credibility, counter-scenarios), the critical
discount factor, the what-if grid and a two-key region map. The page itself
(:mod:`recip.report.html`) computes nothing.

>>> d = report_data("prisoners-dilemma", samples=8)
>>> d.whatif.sliders[0].key, d.explanation.sensitivity is None
('horizon.discount', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import RecipError
from ..model.conditions import Conditions
from ..model.result import Result
from ..model.setting import ScenarioLike
from ..scenario.load import Scenario, load_scenario
from .explain import Explanation, explain
from .whatif import DISCOUNT_GRID, WhatIf, what_if

#: Sobol' base samples of the report's sensitivity analysis by default.
DEFAULT_SAMPLES = 64
#: Values of the payoff axis of the region map.
REGION_STEPS = 41


@dataclass(frozen=True, eq=False)
class ReportData(Result):
    """What a report shows: ``explanation``; ``threshold`` (a
    :class:`~recip.questions.threshold.CriticalDiscount`, or None when the scenario has no
    discount factor to vary); ``whatif`` (None when nothing can be varied); ``region`` (a
    two-key :class:`~recip.questions.sweep_result.Sweep`, or None); the ``notes`` of whatever
    could not be computed and why."""

    title: str
    conditions: Conditions
    scenario: str
    explanation: Explanation
    threshold: Any = None
    whatif: WhatIf | None = None
    region: Any = None
    notes: tuple[str, ...] = field(default=())
    #: the advantage against the discount factor in this scenario and every bundled scenario
    #: arguing about its claim map (a :class:`~recip.questions.overlay.DiscountOverlay`), or None
    overlay: Any = None

    kind = "report"

    @property
    def summary(self) -> str:
        return self.explanation.summary

    def payload(self) -> dict[str, Any]:
        return {
            "explanation": self.explanation.to_dict(),
            "threshold": None if self.threshold is None else self.threshold.summary,
            "whatif": None if self.whatif is None else self.whatif.to_dict(),
            "region": None if self.region is None else self.region.summary,
            "overlay": None if self.overlay is None else self.overlay.summary,
            "notes": list(self.notes),
        }


def report_data(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    whatif: Sequence[str] | None = None,
) -> ReportData:
    """Compute what ``recip report`` shows (see the module docstring); ``whatif`` names the
    panel's keys (default: :func:`recip.questions.whatif.default_keys`)."""
    from .overlay import MAX_SCENARIOS, counter_scenarios, critical_discounts
    from .sweep import sweep
    from .threshold import critical_discount

    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    e = explain(s, focal=focal, policies=policies, samples=samples, seed=seed)
    notes: list[str] = []
    focal = e.comparison.focal
    threshold = None
    if s.spec.discount is not None and len(e.comparison.policies) > 1:
        try:
            threshold = critical_discount(s, focal=focal, policies=policies)
        except RecipError as exc:
            notes.append(f"no critical discount factor: {exc.message}")
    ranking = e.sensitivity.effects if e.sensitivity is not None else ()
    w = None
    try:
        w = what_if(s, whatif, ranking=ranking, focal=focal, policies=policies)
    except RecipError as exc:
        if whatif is not None:
            raise
        notes.append(f"no what-if panel: {exc.message}")
    region = None
    if w is not None and w.curve is not None:
        curve = w.sliders[w.curve].key
        numeric = [sl for sl in w.sliders if sl.key != curve and not sl.options]
        payoffs = [sl for sl in numeric if sl.key in s.payoff_slots]
        other = next(iter(payoffs or numeric), None)
        if other is not None:
            low, high = min(other.values), max(other.values)
            step = (high - low) / (REGION_STEPS - 1)
            values = [round(low + k * step, 12) for k in range(REGION_STEPS)]
            grid = {curve: list(DISCOUNT_GRID), other.key: values}
            region = sweep(s, grid, focal=focal, policies=policies, workers=1)
    overlay = None
    others = counter_scenarios(s) if threshold is not None else []
    if others and s.spec.claims_ref is not None:
        try:  # the counter-scenarios side by side, as curves against the discount factor
            overlay = critical_discounts([s, *others][:MAX_SCENARIOS])
        except RecipError as exc:
            notes.append(f"no overlay of the counter-scenarios: {exc.message}")
    return ReportData(
        title=f"Report: {s.title}",
        conditions=e.conditions,
        scenario=s.name,
        explanation=e,
        threshold=threshold,
        whatif=w,
        region=region,
        notes=tuple(notes),
        overlay=overlay,
    )
