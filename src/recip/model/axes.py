"""The axes of a scenario's input space: a dotted key, the kind of work changing it costs
(:mod:`recip.model.points`), and the ranges of declared uncertain values a point may widen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.errors import ScenarioError
from ..core.text import echo
from ..scenario.load import Scenario
from ..scenario.overrides import value_text

KINDS = ("payoff", "discount", "structure")


@dataclass(frozen=True)
class Axis:
    """One varying input: its dotted ``key``, its ``kind`` (see the module docstring) and, for a
    choice among strategies or other values, the ``options`` (a point then holds an index)."""

    key: str
    kind: str
    options: tuple[Any, ...] = ()

    def value(self, x: float) -> Any:
        """The value an override sets at ``x``."""
        if self.options:
            return self.options[int(x)]
        return float(x)

    def text(self, x: float) -> str:
        """``x`` as a reader would write it."""
        if self.options:
            option = self.options[int(x)]
            return option if isinstance(option, str) else value_text(option)
        return f"{float(x):.6g}"


def make_axis(scenario: Scenario, key: str, options: Sequence[Any] = ()) -> Axis:
    """The axis of ``key`` in ``scenario``, its kind found from where the key points; a key the
    scenario does not have is refused (as ``--set`` would refuse it)."""
    if not isinstance(key, str):
        raise ScenarioError(f"an input is a dotted key, not {echo(key)}", key="inputs")
    canonical = scenario.canonical_key(key)
    if canonical in scenario.payoff_slots and not options:
        return Axis(canonical, "payoff")
    if canonical == "horizon.discount" and not options:
        return Axis(canonical, "discount")
    return Axis(canonical, "structure", tuple(options))


def widen(scenario: Scenario, changes: Mapping[str, Any]) -> dict[str, float]:
    """Overrides of the ``low``/``high`` ends of a declared uncertain value (a discount, noise
    rate or strategy parameter) that a changed number lies beyond: the declared range says how
    uncertain the value is, not where it may lie (the schema's own range still holds, so a
    tolerance of 2 is still refused, as not in [0, 1])."""
    declared = {param.key: param.uncertain for param in scenario.spec.inputs}
    out = {}
    for key, x in changes.items():
        d = declared.get(key)
        if d is None and key.startswith("horizon.discount."):
            # one player's own, where the file has one uncertain value for all: each player
            # gets a copy of it (see recip.scenario.overrides), with its range
            d = declared.get("horizon.discount")
        if d is None or isinstance(x, bool) or not isinstance(x, int | float):
            continue
        if d.low is not None and x < d.low:
            out[f"{key}.low"] = float(x)
        if d.high is not None and x > d.high:
            out[f"{key}.high"] = float(x)
    return out
