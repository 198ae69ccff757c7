"""What the verdict hangs on: a tornado, Sobol' indices, break-even values, inert inputs and the
region where the verdict flips, over a scenario's declared uncertain inputs.

**The verdict quantity** ``q``. With two policies, the focal advantage ``q = v_f(policies[1]) -
v_f(policies[0])`` (the focal player's per-round value under the second policy minus under the
first), as ``recip compare`` and ``recip threshold`` report it. With more, the *margin* of the
nominal winner ``w`` (the best policy at the nominal values) over the best other policy:
``q = v_f(w) - max_{p != w} v_f(p)``, positive while ``w`` stays best. The verdict *flips* at a
point when ``q`` there has the opposite sign to ``q`` at the nominal values (beyond the tie
tolerance of :data:`recip.questions.compare.TIE`).

Every value is exact (:class:`recip.model.points.PointEvaluator`: payoff and discount inputs
share each chain and solve; strategy parameters and alternatives are compiled again, sharing a
chain where the automata come out the same; noise rebuilds the scenario).

* **Tornado**: each input at the low and the high end of its range, the others nominal (a
  choice among alternatives: each alternative), and the change in ``q``; sorted by swing.
* **Sobol' indices** (:mod:`recip.questions.sobol`): the shares of the variance of ``q`` over
  the declared distributions that each input explains alone (first order) and with its
  interactions (total), from ``samples`` base samples: ``samples (d + 2)`` exact evaluations.
  A numeric input that rebuilds the scenario (a strategy parameter, noise) is drawn on
  ``levels`` equally likely strata (each at its median), so that it costs at most ``levels``
  chains; payoffs, the discount factor and alternatives are drawn exactly.
* **Break-even values** (:mod:`recip.questions.breakeven`) of each numeric input, within its
  range and beyond it; for alternatives, those under which the verdict flips.
* **Inert inputs** (:mod:`recip.questions.inert`): exactly where it can be shown, otherwise
  numerically (no change at either end and a total index below :data:`INERT_TOTAL`).
* **Where the verdict flips** (:mod:`recip.questions.discovery`): boxes over the Sobol' sample
  (every row of the design is a draw from the inputs' joint distribution).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_SENSITIVITY_POINTS
from ..core.text import echo
from ..model.inputs import Input, declared_inputs
from ..model.sampling import DESIGNS, sobol_size
from ..model.setting import Setting, as_setting
from ..scenario.load import Scenario, load_scenario
from . import breakeven
from .breakeven import BreakEven
from .checks import check_choice, check_count, check_number, check_seed
from .discovery import describe_flips, option_label
from .inert import exact_reasons
from .sensitivity_result import InputEffect, Sensitivity
from .sobol import sobol
from .verdict import Verdict

__all__ = ["DEFAULT_SAMPLES", "InputEffect", "Sensitivity", "planned_points", "sensitivity"]

#: Base samples of the Sobol' design by default (``samples (d + 2)`` evaluations).
DEFAULT_SAMPLES = 256
#: Strata of a numeric input that rebuilds the scenario in the Sobol' design.
LEVELS = 64
#: A total index below this, with no change at either end, is "no effect found".
INERT_TOTAL = 0.01


def sensitivity(
    scenario: Scenario | str,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    method: str = "sobol",
    workers: int = 1,
    inputs: Sequence[str | Input] | None = None,
    levels: int = LEVELS,
    confidence: float = 0.95,
    progress: Callable[[int], None] | None = None,
) -> Sensitivity:
    """What the focal player's verdict hangs on, over the scenario's declared uncertain inputs
    (or the ``inputs`` named, by dotted key): see the module docstring.

    ``samples`` base samples of the ``method`` design (``sobol``, ``lhs``, ``random``; rounded
    up to a power of two), reproducible from ``seed``; ``workers`` processes evaluate the
    Sobol' points (:func:`recip.model.chunks.values_at`); ``progress(k)`` counts points.

    >>> r = sensitivity("sindoor-2025", inputs=["horizon.discount"], samples=8)
    >>> r.effect("horizon.discount").break_even_text()
    'flips at 0.4566'
    """
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    seed = check_seed(seed)
    method = check_choice(method, DESIGNS, "method")
    workers = check_count(workers, "workers", low=1, high=1024)
    levels = check_count(levels, "levels", low=1, high=1 << 20)
    confidence = check_number(confidence, "confidence", low=0.5, high=1.0, high_open=True)
    plan = _Plan(scenario, samples, inputs)
    verdict = Verdict(scenario, focal, policies, workers=workers, progress=progress)
    chosen, n, points, spans, grids = plan.chosen, plan.n, plan.points, plan.spans, plan.grids

    ends, breaks = {}, {}
    for inp in chosen:
        if inp.discrete:
            labels = tuple(option_label(o) for o in inp.axis.options)
            q = verdict.at((inp.axis,), np.arange(len(labels), dtype=float)[:, None])
            ends[inp.key] = (labels, q)
            continue
        xs = grids[inp.key]
        q = verdict.at((inp.axis,), np.concatenate([[inp.low, inp.high], xs])[:, None])
        ends[inp.key] = ((inp.text(inp.low), inp.text(inp.high)), q[:2])
        crossings = breakeven.crossings(
            verdict.along(inp.axis), xs, q[2:], tie=verdict.tie, low=inp.low, high=inp.high
        )
        breaks[inp.key] = BreakEven(inp.key, inp.low, inp.high, spans[inp.key], crossings)

    strata = [
        _Strata(i, levels if i.axis.kind == "structure" and not i.discrete else 0) for i in chosen
    ]
    axes = tuple(i.axis for i in chosen)
    indices = sobol(
        lambda X: verdict.at(axes, X), strata, n, seed=seed, method=method, confidence=confidence
    )
    flips = verdict.flips(indices.values)
    discovery = describe_flips(chosen, indices.points, flips, outcome=verdict.other, seed=seed)

    exact = exact_reasons(scenario, verdict.setting, chosen, verdict.focal, verdict.strategies)
    effects = []
    for k, inp in enumerate(chosen):
        labels, q = ends[inp.key]
        changes = tuple(float(x - verdict.nominal) for x in q)
        flipping = tuple(lab for lab, x in zip(labels, q, strict=True) if verdict.flips(x))
        total = float(indices.total[k])
        inert = exact.get(inp.key)
        if inert is not None and indices.total_interval[k][0] > INERT_TOTAL:
            inert += (
                f"; it matters only together with other uncertain inputs (total index {total:.2f})"
            )
        elif inert is None and max(map(abs, changes)) <= verdict.tie and total < INERT_TOTAL:
            inert = "no effect found (no change at either end, total index about 0)"
        effects.append(
            InputEffect(
                key=inp.key,
                kind="alternatives" if inp.discrete else inp.axis.kind,
                description=inp.describe(),
                ends=labels,
                changes=changes,
                first=float(indices.first[k]),
                first_interval=tuple(map(float, indices.first_interval[k])),
                total=total,
                total_interval=tuple(map(float, indices.total_interval[k])),
                break_even=breaks.get(inp.key),
                flipping=flipping if inp.discrete else (),
                inert=inert,
            )
        )
    effects.sort(key=lambda e: -e.swing)
    notes = []
    if n != samples:
        notes.append(f"{samples} samples rounded up to {n}, a power of two (Sobol' designs).")
    if any(s.levels for s in strata):
        notes.append(
            f"Sobol' design: strategy parameters and noise on {levels} equally likely strata "
            "(a chain each); tornado and break-evens are exact."
        )
    return Sensitivity(
        title=f"What {verdict.focal}'s verdict hangs on: {verdict.setting.title}",
        scenario=scenario.name,
        conditions=verdict.conditions,
        focal=verdict.focal,
        policies=verdict.labels,
        quantity=verdict.quantity,
        nominal=verdict.nominal,
        verdict=verdict.sentence,
        effects=tuple(effects),
        discovery=discovery,
        samples=n,
        evaluations=points,
        seed=seed,
        design=method,
        levels=levels,
        confidence=confidence,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _Strata:
    """An input's quantile function for the Sobol' design; with ``levels``, on that many
    equally likely strata (each drawn at its median)."""

    input: Input
    levels: int = 0

    def ppf(self, u: np.ndarray) -> np.ndarray:
        if self.levels:
            u = (np.floor(np.asarray(u) * self.levels) + 0.5) / self.levels
        return self.input.draw(u)


def _chosen(scenario: Scenario, inputs: Sequence[str | Input] | None) -> list[Input]:
    """The inputs analysed: the scenario's declared ones, or those named among them."""
    declared = declared_inputs(scenario)
    if inputs is None:
        if not declared:
            raise ScenarioError(
                "the scenario declares no uncertain inputs: give a payoff, the discount factor, "
                "noise or a strategy parameter a range (e.g. value = 0.9, low = 0.5, high = "
                "0.99), or list [[alternatives.<player>]] (docs/scenario-format.md)",
                file=scenario.source,
            )
        return declared
    if isinstance(inputs, str) or not isinstance(inputs, Sequence) or not inputs:
        raise ScenarioError(
            f"inputs are a non-empty list of dotted keys, not {echo(inputs)}", key="inputs"
        )
    by_key = {i.key: i for i in declared}
    out: list[Input] = []
    for item in inputs:
        if isinstance(item, Input):
            out.append(item)
            continue
        key = item
        if isinstance(item, str):
            try:
                key = scenario.canonical_key(item)
            except ScenarioError:
                key = item
        if key not in by_key:
            raise ScenarioError(
                f"{echo(item)} is not one of the scenario's uncertain inputs; "
                f"{suggest(str(item), list(by_key))}",
                key="inputs",
            )
        out.append(by_key[key])
    if len({i.key for i in out}) != len(out):
        raise ScenarioError("an input is named twice", key="inputs")
    return out


class _Plan:
    """The work of a sensitivity analysis, known before any of it is done: the inputs, the
    base samples ``n`` and Sobol' ``points``, each numeric input's search domain and grid, and
    the ``total`` number of points evaluated (for progress bars; root refinement not counted).
    """

    def __init__(self, scenario: Scenario, samples: int, inputs: Sequence[str | Input] | None):
        samples = check_count(samples, "samples", low=4, high=MAX_SENSITIVITY_POINTS)
        self.n = n = sobol_size(samples)
        self.chosen = chosen = _chosen(scenario, inputs)
        self.points = points = n * (len(chosen) + 2)
        if points > MAX_SENSITIVITY_POINTS:
            raise ScenarioError(
                f"{n} base samples of {len(chosen)} inputs make {points:,} evaluations, over "
                f"recip's limit of {MAX_SENSITIVITY_POINTS:,} (MAX_SENSITIVITY_POINTS): take "
                "fewer samples or fewer inputs",
                key="samples",
            )
        setting = as_setting(scenario)
        self.spans = {i.key: _span(i, setting) for i in chosen if not i.discrete}
        self.grids = {i.key: breakeven.grid(i, self.spans[i.key]) for i in chosen if not i.discrete}
        self.total = (
            points
            + sum(len(g) + 2 for g in self.grids.values())
            + sum(len(i.axis.options) for i in chosen if i.discrete)
        )


def planned_points(
    scenario: Scenario | str,
    *,
    samples: int = DEFAULT_SAMPLES,
    inputs: Sequence[str | Input] | None = None,
) -> int:
    """How many points :func:`sensitivity` evaluates with these arguments (for a progress
    bar's total), checked as :func:`sensitivity` checks them."""
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return _Plan(scenario, samples, inputs).total


def _span(inp: Input, setting: Setting) -> tuple[float, float]:
    parameter = None
    parts = inp.key.split(".")
    if parts[0] == "strategies" and len(parts) == 3:
        strategy = setting.strategies[setting.players.index(parts[1])]
        if strategy is not None:
            parameter = next((p for p in strategy.parameters if p.name == parts[2]), None)
    return breakeven.domain(inp, finite=setting.rounds is not None, parameter=parameter)
