"""Critical discount factors of several scenarios side by side: an op-ed's scenario and its
counter-scenarios, each answered by :func:`recip.questions.threshold.critical_discount`.

Each scenario keeps its own payoffs, strategies and noise; only the discount factor varies,
over ``[0, 1)``, so the curves show where each scenario's verdict flips and how far each
scenario's own discount factor lies from that point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.errors import ScenarioError
from ..model.conditions import Conditions
from ..model.result import Result
from ..model.setting import Origin, as_setting
from .threshold import CriticalDiscount, critical_discount

#: Most scenarios drawn on one figure (the palette has eight colours).
MAX_SCENARIOS = 12


@dataclass(frozen=True, eq=False)
class DiscountOverlay(Result):
    """Result of :func:`critical_discounts`: ``results[k]`` answers about ``origins[k]``."""

    title: str
    conditions: Conditions
    origins: tuple[Origin, ...]
    results: tuple[CriticalDiscount, ...]

    kind = "critical-discounts"

    @property
    def summary(self) -> str:
        return " ".join(
            f"{o.name}: {r.sentence}" for o, r in zip(self.origins, self.results, strict=True)
        )

    def payload(self) -> dict[str, Any]:
        return {
            "scenarios": [
                {**o.to_dict(), "overrides": dict(o.overrides), "result": r.to_dict()}
                for o, r in zip(self.origins, self.results, strict=True)
            ]
        }


def counter_scenarios(scenario) -> list[str]:
    """The bundled scenarios that argue about the same claim map (the same citation) as
    ``scenario``, itself left out, by name: those tagged ``counterpoint`` first, then those
    tagged ``pro`` (arguments for the source's conclusion)."""
    from ..scenario.bundled import scenario_names
    from ..scenario.load import load_scenario

    origin = as_setting(scenario).origin
    if origin.claims is None:
        return []
    found: dict[str, list[str]] = {"counterpoint": [], "pro": []}
    for name in scenario_names():
        if name == origin.name:
            continue
        other = load_scenario(name)
        tags = other.data.get("tags") or ()
        if other.claim_map is None or other.claim_map.citation() != origin.claims:
            continue
        for tag, names in found.items():
            if tag in tags:
                names.append(name)
                break
    return [*found["counterpoint"], *found["pro"]]


def critical_discounts(
    scenarios: Sequence[Any],
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    grid: int | Sequence[float] | None = None,
) -> DiscountOverlay:
    """The advantage of the second policy over the first against the discount factor, with
    every critical value, for each of ``scenarios`` (anything :func:`recip.as_setting`
    accepts; at most :data:`MAX_SCENARIOS`). ``focal`` and ``policies`` default to each
    scenario's own ``[compare]``.

    >>> r = critical_discounts(["prisoners-dilemma", "donation-game"])
    >>> [round(x.roots[0], 4) for x in r.results]
    [0.6597, 0.3333]
    """
    if isinstance(scenarios, str) or not isinstance(scenarios, Sequence) or not scenarios:
        raise ScenarioError("give a list of one or more scenarios", key="scenarios")
    if len(scenarios) > MAX_SCENARIOS:
        raise ScenarioError(
            f"at most {MAX_SCENARIOS} scenarios are drawn together, not {len(scenarios)}",
            key="scenarios",
        )
    settings = [as_setting(s) for s in scenarios]
    names = [s.origin.name for s in settings]
    if len(set(names)) != len(names):
        raise ScenarioError(f"a scenario is named twice: {', '.join(names)}", key="scenarios")
    results = tuple(
        critical_discount(s, focal=focal, policies=policies, grid=grid) for s in settings
    )
    first = settings[0]
    return DiscountOverlay(
        title=f"{first.title} and {len(settings) - 1} other scenario(s): where the verdict flips"
        if len(settings) > 1
        else f"{first.title}: where the verdict flips",
        conditions=results[0].conditions,
        origins=tuple(s.origin for s in settings),
        results=results,
    )
