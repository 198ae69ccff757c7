"""Every change of answer of a function of the discount factor on ``[0, 1)``.

The function is sampled on a grid; each bracket where the answer changes is refined by
:func:`scipy.optimize.brentq` (to about 1e-12) where the function changes sign, by bisection
otherwise (a gain that reaches the tolerance without changing sign); between grid points with
the same answer, each local minimum on the grid of the distance to the boundary is searched
(bounded Brent, then golden sections, which also pin down kinks) for a hidden dip: two close
crossings, or a root where the function touches zero without changing sign.

An equilibrium question may also say, at each discount factor, what floating point can decide:
its function then returns ``(value, answer)`` with ``answer`` 1 (fails), -1 (holds) or 0
(undecided: the gains are within their rounding error of the tolerance). The answer, not the
value, then decides; a change to or from "undecided" is located by bisection on the answer, and
no dip is searched inside an undecided stretch.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from ..core.errors import ScenarioError
from ..core.text import number_text

#: Default grid: steps of 0.005 up to 0.99, then ever closer to 1.
DEFAULT_GRID = np.unique(
    np.concatenate([np.linspace(0.0, 0.99, 199), 1.0 - np.geomspace(1e-2, 1e-6, 9)])
)
#: Precision of roots and boundaries.
XTOL = 1e-12
#: Two boundaries closer than this are one point (a touch).
POINT = 1e-7


@dataclass(frozen=True)
class Interval:
    """A range of discount factors with one answer (``status``): for the advantage
    ``"positive"``, ``"negative"`` or ``"zero"``; for equilibria ``"holds"`` or ``"fails"``."""

    low: float
    high: float
    status: str
    closed_low: bool = True
    closed_high: bool = False

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def text(self, digits: int = 4) -> str:
        if self.is_point:
            return number_text(self.low, digits)
        hi = "1" if self.high >= 1.0 else number_text(self.high, digits)
        return (
            f"{'[' if self.closed_low else '('}{number_text(self.low, digits)}, {hi}"
            f"{']' if self.closed_high else ')'}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "status": self.status,
            "closed_low": self.closed_low,
            "closed_high": self.closed_high,
            "text": self.text(),
        }


@dataclass(frozen=True)
class Crossing:
    """A discount factor where the answer changes (``kind="crossing"``: the function changes
    sign there; ``"boundary"``: it reaches the tolerance without changing sign) or where the
    function touches zero and the answer differs only at that point (``"touch"``)."""

    discount: float
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {"discount": self.discount, "kind": self.kind}


def check_grid(grid) -> np.ndarray:
    """The grid of discount factors a scan samples: :data:`DEFAULT_GRID`, ``grid`` evenly
    spaced points in ``[0, 1)``, or a list of them (checked)."""
    if grid is None:
        return DEFAULT_GRID
    if isinstance(grid, int) and not isinstance(grid, bool):
        if grid < 2:
            raise ScenarioError(f"the grid needs at least 2 points, not {grid}", key="grid")
        return np.linspace(0.0, 1.0, grid + 1)[:-1]
    try:
        arr = np.unique(np.asarray(grid, dtype=float).reshape(-1))
    except (TypeError, ValueError):
        raise ScenarioError(
            f"the grid is a number of points or a list of discount factors, not {grid!r}",
            key="grid",
        ) from None
    if arr.size < 2 or not np.all((arr >= 0) & (arr < 1)):
        raise ScenarioError(
            "the grid needs at least 2 distinct discount factors, each in [0, 1)", key="grid"
        )
    return arr


def _classifier(what: str, tol: float) -> Callable[[float], int]:
    if what == "advantage":
        return lambda v: 0 if abs(v) <= tol else int(np.sign(v))
    return lambda v: 1 if v > tol else -1


Sampler = Callable[[float], float | tuple[float, int]]


def locate(
    func: Sampler, grid: np.ndarray, what: str, tol: float
) -> tuple[list[Interval], list[Crossing], np.ndarray]:
    """Partition ``[0, 1)`` by the answer of ``func`` (see the module docstring).

    For ``what="advantage"`` the answer is the sign of ``func`` (values within ``tol`` of 0 are
    ties; a function within ``tol`` of 0 on the whole grid is identically zero); otherwise it is
    whether ``func <= tol``, or the answer ``func`` returns with its value. Returns the
    intervals, the crossings and ``func``'s value on the grid.
    """
    classify = _classifier(what, tol)
    memo: dict[float, tuple[float, int, float]] = {}

    def sample(x: float) -> tuple[float, int, float]:
        """``(value, answer, raw value)`` at ``x``, each evaluated once."""
        if x not in memo:
            out = func(x)
            value = float(out[0]) if isinstance(out, tuple) else float(out)
            finite = value if np.isfinite(value) else -1.0  # -inf: nobody can deviate
            given = int(out[1]) if isinstance(out, tuple) else classify(finite)
            memo[x] = (finite, given, value)
        return memo[x]

    x = [float(g) for g in grid]
    samples = [sample(g) for g in x]
    values = np.array([raw for _, _, raw in samples])
    if what == "advantage" and np.all(np.abs(values) <= tol):
        return [Interval(0.0, 1.0, "zero")], [], values
    level = 0.0 if what == "advantage" else tol
    equilibrium = what != "advantage"

    def f(t: float) -> float:
        return sample(t)[0]

    def answer(t: float) -> int:
        return sample(t)[1]

    finite = np.array([v for v, _, _ in samples])
    cls = np.array([c for _, c, _ in samples])

    def crossing(a: float, b: float) -> tuple[float, str]:
        r = brentq(f, a, b, xtol=XTOL, rtol=4 * np.finfo(float).eps, maxiter=500)
        return float(r), "crossing"

    def root(a: float, b: float, fa: float, fb: float) -> tuple[float, str]:
        """Where the answer changes between ``a`` and ``b``: a root of ``func`` if it changes
        sign there (and neither end is undecided); else the point where the answer changes
        (bisection), polished to a root of ``func`` if it changes sign just beyond (an exact
        zero on the grid)."""
        ca, cb = answer(a), answer(b)
        if fa * fb < 0 and not (equilibrium and 0 in (ca, cb)):
            return crossing(a, b)
        lo, hi = a, b
        while hi - lo > XTOL:
            m = 0.5 * (lo + hi)
            if answer(m) == ca:
                lo = m
            else:
                hi = m
        if equilibrium and 0 not in (ca, cb):
            # the side that holds: f <= tol there; a strictly negative value close by means a
            # transversal root of f (the exact threshold), not a stretch where f stays at 0
            step = min(1e-6, 0.5 * (b - a))
            fails_lo = ca == 1
            near = min(hi + step, b) if fails_lo else max(lo - step, a)
            edge = lo if fails_lo else hi
            f_near, f_edge = f(near), f(edge)
            if f_near < 0 < f_edge:
                return crossing(*sorted((edge, near)))
        return 0.5 * (lo + hi), "boundary"

    crossings: list[Crossing] = []
    points: list[float] = []

    def dip(a: float, b: float, fa: float, fb: float, side: int) -> None:
        """Between ``a`` and ``b`` the answer is ``side`` at both ends: look for a stretch (or a
        point) where it differs, around the minimum of ``side * (func - level)``."""

        def distance(t: float) -> float:
            return side * (f(t) - level)

        res = minimize_scalar(
            distance, bounds=(a, b), method="bounded", options={"xatol": XTOL, "maxiter": 500}
        )
        # Brent's method stops at a relative 1.5e-8; a kink (a maximum of smooth gains) needs
        # a closer look, by golden sections around its answer
        x_min = float(_golden(distance, max(a, res.x - 1e-7), min(b, res.x + 1e-7)))
        low = distance(x_min)
        if low > res.fun:
            x_min, low = float(res.x), float(res.fun)
        if what == "advantage":
            if low > tol:
                return
            if low >= -tol:
                points.append(x_min)
                crossings.append(Crossing(x_min, "touch"))
                return
        elif low > 0 and answer(x_min) == side:
            return
        fm = f(x_min)
        left, kind_l = root(a, x_min, fa, fm)
        right, kind_r = root(x_min, b, fm, fb)
        if right - left < POINT:
            points.append(x_min)
            crossings.append(Crossing(x_min, "touch"))
        else:
            crossings.extend([Crossing(left, kind_l), Crossing(right, kind_r)])

    # 1. the answer differs between neighbouring grid points (for the advantage: between
    #    neighbouring points that are not ties; a run of ties between equal signs is a touch)
    decided = np.flatnonzero(cls != 0) if not equilibrium else np.arange(len(x))
    for p, q in itertools.pairwise(decided):
        if cls[p] != cls[q]:
            crossings.append(Crossing(*root(x[p], x[q], finite[p], finite[q])))
        elif q > p + 1:
            dip(x[p], x[q], finite[p], finite[q], int(cls[p]))
    # 2. hidden dips: local minima of the distance to the boundary on the grid
    distance = np.abs(finite - level)
    for k in range(1, len(x) - 1):
        if cls[k] == 0 or not (cls[k - 1] == cls[k] == cls[k + 1]):
            continue
        lower = distance[k] <= distance[k - 1] and distance[k] <= distance[k + 1]
        strict = distance[k] < distance[k - 1] or distance[k] < distance[k + 1]
        if lower and strict:
            dip(x[k - 1], x[k + 1], finite[k - 1], finite[k + 1], int(cls[k]))
    unique: list[Crossing] = []
    for c in sorted(crossings, key=lambda c: c.discount):
        if not unique or c.discount - unique[-1].discount >= POINT:
            unique.append(c)  # neighbouring searches can find the same dip twice
    points = [c.discount for c in unique if c.kind == "touch"]
    return _intervals(answer, unique, points, what), unique, values


def _golden(fun: Callable[[float], float], a: float, b: float, xtol: float = 1e-14) -> float:
    """Minimum of a unimodal ``fun`` on ``[a, b]`` by golden-section search."""
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = fun(c), fun(d)
    while b - a > xtol:
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = fun(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = fun(d)
    return 0.5 * (a + b)


def _intervals(answer, crossings, points, what) -> list[Interval]:
    """The pieces of ``[0, 1)`` between crossings, each with the answer at its midpoint;
    neighbours with the same answer merge, and a touch adds a one-point interval."""
    names = (
        {1: "positive", -1: "negative", 0: "zero"}
        if what == "advantage"
        else {1: "fails", -1: "holds", 0: "undecided"}
    )
    touch = set(points)
    edges = [0.0, *[c.discount for c in crossings], 1.0]
    pieces = [
        [lo, hi, names[answer(0.5 * (lo + hi))]] for lo, hi in itertools.pairwise(edges) if hi > lo
    ]
    point_status = "zero" if what == "advantage" else "holds"
    # an equilibrium set is closed at its ends (the gain is <= tol there); at a root of the
    # advantage both sides are open
    closed = what != "advantage"
    out: list[Interval] = []
    for lo, hi, status in pieces:
        if out and lo not in touch and out[-1].status == status:
            prev = out.pop()
            lo = prev.low
        out.append(
            Interval(
                lo,
                hi,
                status,
                closed_low=lo == 0.0 or (closed and status == "holds"),
                closed_high=hi < 1.0 and closed and status == "holds",
            )
        )
        if hi in touch:
            out.append(Interval(hi, hi, point_status, True, True))
    return out
