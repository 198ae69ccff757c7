"""Break-even values: where along one input, the others at their nominal values, the verdict
quantity changes sign.

The quantity ``q(x)`` is evaluated exactly (:mod:`recip.model.points`) on a grid: the declared
range ``[low, high]`` in :data:`WITHIN` points, and -- as information -- the rest of the input's
valid *domain* in :data:`BEYOND` points on each side:

* the discount factor (every player's, or one player's own): ``[0, 1)`` (``[0, 1]`` with a
  finite number of rounds), the grid growing denser towards 1 where values change fastest;
* an execution-noise rate: ``[0, 1]``;
* a strategy parameter: the strategy's own range (e.g. a tolerance in ``[0, 1]``);
* a payoff: ``low - 10 w .. high + 10 w`` (``w`` the width of the range), within recip's payoff
  bound.

Each pair of neighbouring grid points where ``q`` has opposite signs (values within the tie
tolerance of 0 are skipped) brackets a break-even value, refined by :func:`scipy.optimize.brentq`
on the exact function to about 1e-12 of the domain's scale. Where ``q`` jumps across 0 (a
strategy's rule changes, e.g. aligning's tolerance leaving 0) brentq closes in on the jump; such
a point is marked ``jump``. Two sign changes closer than the grid spacing can be missed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from ..core.limits import MAX_ABS_PAYOFF
from ..model.inputs import Input

#: Grid points within the declared range.
WITHIN = 33
#: Grid points beyond it, on each side of the domain.
BEYOND = 16
#: How far beyond its declared range a payoff is searched, in widths of the range.
PAYOFF_REACH = 10.0
#: Closest approach to a discount factor of 1 searched over an infinite horizon.
NEAR_ONE = 1e-6
#: A refined value where ``|q|`` stays above this share of its bracketing values is a jump.
JUMP = 1e-6


@dataclass(frozen=True)
class Crossing:
    """A value of the input where the quantity changes sign: ``rising`` (from negative to
    positive as the input grows) or falling; a ``jump`` across 0 or a continuous crossing;
    ``within`` the declared range or beyond it."""

    value: float
    rising: bool
    jump: bool
    within: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "direction": "rising" if self.rising else "falling",
            "jump": self.jump,
            "within_range": self.within,
        }


@dataclass(frozen=True)
class BreakEven:
    """Every break-even value of one numeric input, within its declared range ``[low, high]``
    and beyond it in the ``domain`` searched."""

    key: str
    low: float
    high: float
    domain: tuple[float, float]
    crossings: tuple[Crossing, ...]

    @property
    def within(self) -> tuple[Crossing, ...]:
        return tuple(c for c in self.crossings if c.within)

    @property
    def beyond(self) -> tuple[Crossing, ...]:
        return tuple(c for c in self.crossings if not c.within)

    def value_text(self, c: Crossing) -> str:
        """``at 0.4566``; ``just above 0`` for a jump within a millionth of the range of its
        low end (aligning's tolerance leaving 0), ``just below`` its high end likewise."""
        width = max(self.high - self.low, 1e-300)
        if c.jump and self.low < c.value and (c.value - self.low) < 1e-6 * width:
            return f"just above {self.low:.6g}"
        if c.jump and c.value < self.high and (self.high - c.value) < 1e-6 * width:
            return f"just below {self.high:.6g}"
        return f"at {c.value:.4g}"

    @property
    def text(self) -> str:
        """The break-even values in words: the ones within the range first."""
        if self.within:
            text = "flips " + " and ".join(self.value_text(c) for c in self.within)
            if self.beyond:
                text += "; beyond its range also " + " and ".join(
                    self.value_text(c) for c in self.beyond
                )
            return text
        rng = f"[{self.low:.6g}, {self.high:.6g}]"
        if self.beyond:
            where = " and ".join(self.value_text(c) for c in self.beyond)
            return f"does not flip in its range {rng}; beyond it, flips {where}"
        lo, hi = self.domain
        return f"does not flip (searched {lo:.6g} to {hi:.6g})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "range": [self.low, self.high],
            "searched": list(self.domain),
            "crossings": [c.to_dict() for c in self.crossings],
            "text": self.text,
        }


def domain(inp: Input, *, finite: bool, parameter: Any = None) -> tuple[float, float]:
    """Where the input may lie (see the module docstring); ``finite``: the horizon has a
    number of rounds; ``parameter``: the strategy's :class:`~recip.strategies.base.Parameter`
    for a strategy parameter."""
    low, high = inp.low, inp.high
    width = high - low if high > low else max(1.0, abs(inp.nominal))
    key = inp.key
    if _discount(inp):
        return 0.0, 1.0 if finite else 1.0 - NEAR_ONE
    if key.startswith("noise."):
        return 0.0, 1.0
    lo, hi = low - PAYOFF_REACH * width, high + PAYOFF_REACH * width
    if parameter is not None:
        lo = parameter.low if parameter.low is not None else lo
        hi = parameter.high if parameter.high is not None else hi
    bound = MAX_ABS_PAYOFF / 10
    return min(max(lo, -bound), low, inp.nominal), max(min(hi, bound), high, inp.nominal)


def _discount(inp: Input) -> bool:
    """Whether the input is a discount factor: every player's, or one player's own
    (``horizon.discount.india``)."""
    return inp.axis.kind == "discount" or inp.key.startswith("horizon.discount.")


def grid(inp: Input, span: tuple[float, float]) -> np.ndarray:
    """The points searched: the declared range, the nominal value and the domain beyond."""
    low, high = inp.low, inp.high
    lo, hi = span
    inside = np.linspace(low, high, WITHIN)
    below = np.linspace(lo, low, BEYOND + 1)[:-1] if lo < low else np.zeros(0)
    if hi <= high:
        above = np.zeros(0)
    elif _discount(inp):
        above = 1.0 - np.geomspace(1.0 - high, max(1.0 - hi, NEAR_ONE / 10), BEYOND + 1)[1:]
        above = np.minimum(above, hi)
    else:
        above = np.linspace(high, hi, BEYOND + 1)[1:]
    return np.unique(np.concatenate([below, inside, [inp.nominal], above]))


def crossings(
    q: Callable[[float], float],
    xs: np.ndarray,
    values: np.ndarray,
    *,
    tie: float,
    low: float,
    high: float,
) -> tuple[Crossing, ...]:
    """The sign changes of ``q`` between neighbouring points of ``xs`` (``values = q(xs)``),
    each refined by brentq on ``q``."""
    from scipy.optimize import brentq

    signs = np.where(values > tie, 1, np.where(values < -tie, -1, 0))
    kept = np.flatnonzero(signs)
    out = []
    scale = max(1.0, float(np.abs(xs).max()))
    for a, b in pairwise(kept):
        if signs[a] == signs[b]:
            continue
        x0, x1 = float(xs[a]), float(xs[b])
        root = brentq(q, x0, x1, xtol=1e-12 * scale, rtol=4 * np.finfo(float).eps)
        here = abs(q(root))
        jump = here > JUMP * max(abs(values[a]), abs(values[b])) and here > tie
        within = low - 1e-12 * scale <= root <= high + 1e-12 * scale
        out.append(Crossing(float(root), bool(signs[b] > 0), bool(jump), bool(within)))
    return tuple(out)
