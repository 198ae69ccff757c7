"""A scenario's uncertain inputs, as axes with distributions, and seeded samples of them.

Every number a scenario file writes as an uncertain value is an input: payoff values
(``payoffs.oil_revenue.russia``, ``tables.round.row[1][0]``), the discount factor
(``horizon.discount``), execution noise (``noise.execution``, ``noise.execution.<player>``) and
numeric strategy parameters (``strategies.india.tolerance``); and every player with
``[[alternatives.<player>]]`` is a structural input whose value is one of its alternative
strategies, drawn with its weight.

>>> from recip.scenario.load import load_scenario
>>> inputs = declared_inputs(load_scenario("sindoor-2025"))
>>> [i.key for i in inputs][:2]
['payoffs.oil_revenue.russia', 'payoffs.diplomatic_cover.russia']
>>> X = sample(inputs, 8, seed=1)
>>> X.shape == (8, len(inputs))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.params import Uncertain
from ..scenario.load import Scenario
from ..scenario.overrides import value_text
from .points import Axis, make_axis
from .sampling import choices, quantiles, unit_points

#: Where a range has no end (a normal value without ``low``/``high``), the tornado and the
#: break-even search use these quantiles instead.
TAIL = 0.025


@dataclass(frozen=True)
class Input:
    """One uncertain input: its axis (key and kind), nominal value and distribution; for a
    structural input, the alternative strategies (``axis.options``) and their ``weights``."""

    axis: Axis
    nominal: float
    distribution: Uncertain | None = None
    weights: tuple[float, ...] = ()
    player: str | None = None

    @property
    def key(self) -> str:
        return self.axis.key

    @property
    def discrete(self) -> bool:
        return bool(self.axis.options)

    @property
    def low(self) -> float:
        """The low end of the range (for a choice: the first alternative)."""
        if self.discrete:
            return 0.0
        d = self.distribution
        if d.low is not None:
            return float(d.low)
        return float(quantiles(d, np.array([TAIL]))[0])

    @property
    def high(self) -> float:
        """The high end of the range (for a choice: the last alternative)."""
        if self.discrete:
            return float(len(self.axis.options) - 1)
        d = self.distribution
        if d.high is not None:
            return float(d.high)
        return float(quantiles(d, np.array([1.0 - TAIL]))[0])

    def draw(self, u: np.ndarray) -> np.ndarray:
        """The input's values at probabilities ``u`` (option indices for a choice)."""
        if self.discrete:
            return choices(np.array(self.weights), u).astype(float)
        return quantiles(self.distribution, u)

    def text(self, x: float) -> str:
        return self.axis.text(x)

    def describe(self) -> str:
        """The input and its range in words."""
        if self.discrete:
            opts = ", ".join(
                f"{o if isinstance(o, str) else value_text(o)} {w:g}"
                for o, w in zip(self.axis.options, self.weights, strict=True)
            )
            return f"{self.key}: one of {opts}"
        d = self.distribution
        spread = f"sd {d.sd:g}" if d.distribution == "normal" else f"[{d.low:g}, {d.high:g}]"
        return f"{self.key}: {d.distribution} {spread}, nominal {self.nominal:g}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "kind": self.axis.kind, "nominal": self.nominal}
        if self.discrete:
            out["alternatives"] = [
                {"strategy": o, "weight": w}
                for o, w in zip(self.axis.options, self.weights, strict=True)
            ]
        else:
            d = self.distribution
            out.update({"distribution": d.distribution, "low": d.low, "high": d.high, "sd": d.sd})
        return out


def declared_inputs(scenario: Scenario) -> list[Input]:
    """The scenario's uncertain inputs, in the order the file declares them: payoff values,
    then the discount factor, noise and strategy parameters, then structural alternatives."""
    out: list[Input] = []
    for param in (*scenario.game.parameters, *scenario.spec.inputs):
        axis = make_axis(scenario, param.key)
        player = param.key.split(".")[1] if param.key.startswith("strategies.") else None
        out.append(Input(axis, float(param.nominal), param.uncertain, player=player))
    for player, options in scenario.spec.alternatives.items():
        specs = tuple(spec for spec, _ in options)
        weights = tuple(w for _, w in options)
        axis = make_axis(scenario, f"strategies.{player}", specs)
        current = scenario.spec.strategies.get(player)
        nominal = next((k for k, s in enumerate(specs) if s == current), -1)
        out.append(Input(axis, float(nominal), None, weights, player))
    return out


def sample(inputs: Sequence[Input], n: int, *, seed: int = 0, method: str = "sobol") -> np.ndarray:
    """``n`` seeded draws of the inputs (rows; a power of two for Sobol'): a design over the
    unit cube (:func:`recip.model.sampling.unit_points`) mapped by each input's quantiles."""
    u = unit_points(len(inputs), n, method=method, seed=seed)
    return np.column_stack([i.draw(u[:, k]) for k, i in enumerate(inputs)]) if inputs else u
