"""What if: the verdict on a grid over the few inputs that matter most, computed exactly before a
reader asks, for a page whose sliders only look values up.

:func:`what_if` chooses up to :data:`MAX_SLIDERS` inputs (by default the discount factor and
then the uncertain inputs that move the verdict most, from a sensitivity analysis's ranking;
numeric inputs before alternative strategies), gives each a grid of values, and runs
:func:`recip.sweep` over their product: every policy's exact value at every point. Each point's
verdict is worded as :attr:`recip.questions.compare.Comparison.verdict` words it (the same rule
for ties, the margin with four significant digits), so that a page showing
:meth:`WhatIf.verdict_at` shows what ``recip compare --set ...`` prints there.

Grids (:func:`grid_values`):

* the discount factor (the focal player's own, where each player has one): 0.02 to 0.98 in
  steps of 0.02, and 0.99, and the scenario's value;
* another numeric input: its declared range (and its nominal value) in round steps (1, 2, 2.5 or
  5 times a power of ten, about :data:`STEPS` of them); a payoff whose break-even value lies
  beyond its range, but within one width of it, is extended past that value, so that the slider
  reaches the point where the verdict flips (and the page says the range was extended);
* alternative strategies: each alternative.

The discount factor, when it is a slider, is the last key of the sweep, so that the values
along it at fixed other sliders (the page's curve) are consecutive points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.text import echo
from ..model.conditions import Conditions
from ..model.inputs import Input, declared_inputs
from ..model.result import Result
from ..scenario.load import Scenario, load_scenario
from .compare import TIE
from .discovery import option_label
from .sweep import sweep

#: Most sliders of a what-if panel.
MAX_SLIDERS = 3
#: About how many steps a numeric slider takes over its range.
STEPS = 16
#: The discount factors of the grid: 0.02 to 0.98 in steps of 0.02, and 0.99.
DISCOUNT_GRID = (*(round(0.02 * k, 2) for k in range(1, 50)), 0.99)
DISCOUNT = "horizon.discount"


@dataclass(frozen=True)
class Slider:
    """One input of the panel: its dotted ``key``, the grid ``values`` (numbers, or option
    indices for alternatives) with their ``texts``, the index of the scenario's own value
    (``nominal``) and a ``note`` on how its range was chosen."""

    key: str
    values: tuple[float, ...]
    texts: tuple[str, ...]
    nominal: int
    note: str
    options: tuple[Any, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "values": list(self.values) if not self.options else None,
            "texts": list(self.texts),
            "nominal": self.nominal,
            "note": self.note,
        }


@dataclass(frozen=True, eq=False)
class WhatIf(Result):
    """Result of :func:`what_if`. ``advantage[k, p]`` is the focal player's value under policy
    ``p`` minus under the first policy at grid point ``k`` (points in sweep order: the first
    slider slowest); ``verdicts[k]`` indexes :attr:`templates` (``{}`` stands for the margin,
    ``margins[k]``, written with four significant digits) and :attr:`winners` (the policy that
    wins under that template, None for no clear difference)."""

    title: str
    conditions: Conditions
    scenario: str
    focal: str
    policies: tuple[str, ...]
    sliders: tuple[Slider, ...]
    advantage: np.ndarray
    templates: tuple[str, ...]
    winners: tuple[str | None, ...]
    verdicts: np.ndarray
    margins: tuple[str, ...]
    solves: int = 0
    notes: tuple[str, ...] = field(default=())

    kind = "what-if"

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s.values) for s in self.sliders)

    @property
    def curve(self) -> int | None:
        """The slider drawn along the page's curve (the discount factor), if any."""
        keys = [s.key for s in self.sliders]
        return next((k for k, key in enumerate(keys) if is_discount(key)), None)

    def point(self, indices: Sequence[int]) -> int:
        """The grid point at the sliders' ``indices``."""
        return int(np.ravel_multi_index(tuple(indices), self.shape)) if self.sliders else 0

    def verdict_at(self, indices: Sequence[int]) -> str:
        k = self.point(indices)
        return self.templates[int(self.verdicts[k])].replace("{}", self.margins[k])

    @property
    def nominal(self) -> tuple[int, ...]:
        return tuple(s.nominal for s in self.sliders)

    @property
    def summary(self) -> str:
        keys = ", ".join(s.key for s in self.sliders) or "no input"
        return (
            f"{len(self.verdicts):,} exact points over {keys}; at the scenario's values: "
            f"{self.verdict_at(self.nominal)}."
        )

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "policies": list(self.policies),
            "sliders": [s.to_dict() for s in self.sliders],
            "points": len(self.verdicts),
            "solves": self.solves,
            "verdict_at_nominal": self.verdict_at(self.nominal),
        }


def what_if(
    scenario: Scenario | str,
    keys: Sequence[str] | None = None,
    *,
    ranking: Sequence[Any] = (),
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
) -> WhatIf:
    """The verdict at every point of a grid over ``keys`` (at most :data:`MAX_SLIDERS`; by
    default chosen from ``ranking``, the sensitivity analysis's
    :class:`~recip.questions.sensitivity_result.InputEffect` list, largest effect first).

    >>> w = what_if("sindoor-2025", ["horizon.discount"])
    >>> w.verdict_at(w.nominal)
    'aligning beats balancing for russia by 0.3744 per round'
    """
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    declared = {i.key: i for i in declared_inputs(s)}
    effects = {getattr(e, "key", None): e for e in ranking}
    if keys is None:
        keys = default_keys(s, ranking)
    else:
        keys = [s.canonical_key(k) for k in keys]
        if len(keys) > MAX_SLIDERS or len(set(keys)) != len(keys):
            raise ScenarioError(
                f"the what-if panel takes 1 to {MAX_SLIDERS} different keys, not {len(keys)}",
                key="--whatif",
            )
    keys = sorted(keys, key=is_discount)  # the curve's axis last
    sliders = tuple(_slider(s, k, declared.get(k), effects.get(k)) for k in keys)
    grid = {sl.key: list(sl.options) if sl.options else list(sl.values) for sl in sliders}
    if not grid:
        raise ScenarioError("no input to vary in the what-if panel", key="--whatif")
    sw = sweep(s, grid, focal=focal, policies=policies, workers=1)
    if len(sw.policies) < 2:
        raise ScenarioError("the what-if panel compares at least two policies", key="policies")
    adv = sw.advantage
    templates: dict[tuple[str, str | None], int] = {}
    codes, margins = [], []
    for row in adv:
        template, margin, winner = verdict_template(sw.focal, sw.policies, row)
        codes.append(templates.setdefault((template, winner), len(templates)))
        margins.append(margin)
    return WhatIf(
        title=f"What if: {s.title}",
        conditions=sw.conditions,
        scenario=s.name,
        focal=sw.focal,
        policies=sw.policies,
        sliders=sliders,
        advantage=adv,
        templates=tuple(t for t, _ in templates),
        winners=tuple(w for _, w in templates),
        verdicts=np.array(codes, dtype=np.int64),
        margins=tuple(margins),
        solves=sw.solves,
        notes=sw.notes,
    )


def verdict_template(
    focal: str, policies: Sequence[str], adv: np.ndarray
) -> tuple[str, str, str | None]:
    """The exact verdict of :class:`~recip.questions.compare.Comparison` at one point, without
    its conditions: a template (``{}`` for the margin), the margin's text and the winning
    policy (None for no clear difference)."""
    base = policies[0]
    best = int(np.flatnonzero(adv >= adv.max() - TIE)[0])
    if best == 0:
        rivals = [k for k in range(1, len(policies)) if abs(adv[k]) > TIE and adv[k] < 0]
        if not rivals:
            return f"no clear difference for {focal} between {' and '.join(policies)}", "", None
        k = max(rivals, key=lambda r: adv[r])
        return f"{base} beats {policies[k]} for {focal} by {{}} per round", f"{-adv[k]:.4g}", base
    if abs(adv[best]) <= TIE:
        text = f"no clear difference for {focal} between {policies[best]} and {base}"
        return text, "", None
    winner = policies[best]
    return f"{winner} beats {base} for {focal} by {{}} per round", f"{adv[best]:.4g}", winner


def is_discount(key: str) -> bool:
    """Whether ``key`` is the discount factor or one player's own (``horizon.discount.<p>``)."""
    return key == DISCOUNT or (key.startswith(f"{DISCOUNT}.") and key.count(".") == 2)


def discount_key(s: Scenario, focal: str | None = None) -> str | None:
    """The discount factor the focal player's verdict is read at: ``horizon.discount``, or the
    focal player's own where each player has one; None without a discount factor."""
    if s.spec.discount is None:
        return None
    if isinstance(s.spec.discount, Mapping):
        return f"{DISCOUNT}.{focal or s.spec.focal}"
    return DISCOUNT


def default_keys(s: Scenario, ranking: Sequence[Any]) -> list[str]:
    """The discount factor (when the scenario has one), then the numeric inputs that move the
    verdict most, then alternative strategies, up to :data:`MAX_SLIDERS`."""
    own = discount_key(s)
    keys = [own] if own is not None else []
    moving = [e for e in ranking if not e.inert and e.swing > TIE and not is_discount(e.key)]
    keys += [e.key for e in moving if e.kind != "alternatives"]
    keys += [e.key for e in moving if e.kind == "alternatives"]
    return keys[:MAX_SLIDERS]


def _slider(s: Scenario, key: str, inp: Input | None, effect: Any) -> Slider:
    if is_discount(key):
        if s.spec.discount is None:
            raise ScenarioError("the scenario has no discount factor", key="--whatif")
        d = s.spec.discount
        player = key.split(".")[2] if key.count(".") == 2 else s.spec.focal
        nominal = float(d[player] if isinstance(d, Mapping) else d)
        values = sorted({*DISCOUNT_GRID, nominal})
        note = "0.02 to 0.98 in steps of 0.02, and 0.99"
        return _numeric(key, values, nominal, note)
    if inp is not None and inp.discrete:
        options = tuple(inp.axis.options)
        texts = tuple(option_label(o) for o in options)
        nominal = max(int(inp.nominal), 0)
        note = "the scenario's alternative strategies for this player"
        return Slider(key, tuple(range(len(options))), texts, nominal, note, options)
    if inp is not None:
        low, high, nominal = inp.low, inp.high, inp.nominal
        note = f"the declared range {low:g} to {high:g}"
    elif key in s.payoff_slots:
        nominal = s.payoff_slots[key][1]
        spread = max(1.0, abs(nominal))
        low, high = nominal - spread, nominal + spread
        note = f"no range declared: {low:g} to {high:g} around the scenario's value"
    else:
        raise ScenarioError(
            f"{echo(key)} is neither the discount factor, a payoff nor an uncertain input of "
            "the scenario; give it a range (value, low, high) or alternatives to put it in the "
            "what-if panel",
            key="--whatif",
        )
    lo, hi = min(low, nominal), max(high, nominal)
    be = getattr(effect, "break_even", None)
    kind = getattr(getattr(inp, "axis", None), "kind", "payoff")
    if be is not None and not be.within and be.beyond and kind == "payoff":
        x = be.beyond[0].value
        width = hi - lo
        if lo - width <= x < lo or hi < x <= hi + width:
            lo, hi = min(lo, x - 0.1 * width), max(hi, x + 0.1 * width)
            note += f", extended to where the verdict flips ({x:.4g})"
    values = grid_values(lo, hi, nominal)
    if kind != "payoff":  # a strategy parameter or a noise rate: within its declared range
        values = sorted({lo, hi, *(v for v in values if lo <= v <= hi)})
    return _numeric(key, values, nominal, note)


def grid_values(low: float, high: float, nominal: float) -> list[float]:
    """Round values from ``low`` to ``high`` (ends rounded outward to the step), and
    ``nominal``; the step is 1, 2, 2.5 or 5 times a power of ten, at least the width over
    :data:`STEPS`."""
    width = high - low
    if not width > 0:
        return [nominal]
    target = width / STEPS
    power = 10.0 ** math.floor(math.log10(target))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= target * (1 - 1e-12))
    a, b = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    values = {round(k * step, 12) for k in range(a, b + 1)}
    return sorted({*values, round(nominal, 12)})


def _numeric(key: str, values: Sequence[float], nominal: float, note: str) -> Slider:
    values = tuple(float(v) for v in values)
    index = min(range(len(values)), key=lambda k: abs(values[k] - nominal))
    return Slider(key, values, tuple(f"{v:.6g}" for v in values), index, note)
