"""The verdict as one number: the quantity sensitivity analyses follow across input values.

With two policies ``q`` is the focal advantage ``v_f(policies[1]) - v_f(policies[0])``; with more,
the margin of the nominal winner ``w`` over the best other policy, ``v_f(w) - max_{p != w}
v_f(p)``. The verdict flips where ``q`` has the sign opposite to its nominal one (beyond the tie
tolerance). :class:`Verdict` evaluates ``q`` exactly at many points at once
(:class:`~recip.model.points.PointEvaluator`, or :func:`~recip.model.chunks.values_at` with
several workers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..model.chunks import values_at
from ..model.points import Axis, PointEvaluator
from ..model.profile import compile_profile
from ..scenario.load import Scenario
from .compare import TIE


class Verdict:
    """The verdict quantity of the focal player's ``policies`` in ``scenario`` (see the module
    docstring): ``nominal`` at the scenario's values, :meth:`at` any points."""

    def __init__(
        self,
        scenario: Scenario,
        focal: str | None,
        policies: Sequence[Any] | None,
        *,
        workers: int = 1,
        progress: Callable[[int], None] | None = None,
    ):
        evaluator = PointEvaluator(scenario, (), focal=focal, policies=policies)
        self.scenario = scenario
        self.setting = setting = evaluator.setting
        self.focal = evaluator.focal
        self.strategies = evaluator.policies
        self.labels = evaluator.labels
        self.specs = None if policies is None else tuple(policies)
        self.workers = workers
        self.progress = progress
        if len(self.strategies) < 2:
            raise ScenarioError(
                "a verdict compares at least two policies; give two or more (e.g. --policy "
                "balancing --policy aligning)",
                key="policies",
            )
        self.f = setting.players.index(self.focal)
        profiles = [setting.profile({self.focal: p}) for p in self.strategies]
        values = np.array([compile_profile(setting, p).values() for p in profiles])
        v = values[:, self.f]
        self.winner = None if len(v) == 2 else int(np.flatnonzero(v >= v.max() - TIE)[0])
        self.tie = TIE * max(1.0, float(np.abs(setting.game.payoffs).max()))
        self.nominal = float(self.of(values[None])[0])
        self.conditions = setting.conditions(profiles[0], focal=self.focal)

    def of(self, values: np.ndarray) -> np.ndarray:
        """``q`` from every player's values ``(K, P, n)`` at ``K`` points."""
        v = np.asarray(values)[:, :, self.f]
        if self.winner is None:
            return v[:, 1] - v[:, 0]
        others = np.delete(v, self.winner, axis=1)
        return v[:, self.winner] - others.max(axis=1)

    def at(self, axes: Sequence[Axis], X: np.ndarray) -> np.ndarray:
        """``q`` at the points ``X`` (rows; one column per axis), in one batch."""
        X = np.asarray(X, dtype=float).reshape(-1, len(axes))
        if self.workers == 1:
            evaluator = PointEvaluator(self.scenario, axes, focal=self.focal, policies=self.specs)
            values = evaluator.values(X, progress=self.progress)
        else:
            values = values_at(
                self.scenario,
                axes,
                X,
                focal=self.focal,
                policies=self.specs,
                workers=self.workers,
                progress=self.progress,
            )
        return self.of(values)

    def along(self, axis: Axis) -> Callable[[float], float]:
        """``x -> q`` with ``axis`` at ``x`` and every other input nominal (for root finding)."""
        evaluator = PointEvaluator(self.scenario, (axis,), focal=self.focal, policies=self.specs)

        def q(x: float) -> float:
            return float(self.of(evaluator.values(np.array([[x]])))[0])

        return q

    def flips(self, q: np.ndarray | float) -> np.ndarray:
        """Whether the verdict at ``q`` is the opposite of the nominal one."""
        q = np.asarray(q, dtype=float)
        if self.nominal > self.tie:
            return q < -self.tie
        if self.nominal < -self.tie:
            return q > self.tie
        return np.abs(q) > self.tie

    @property
    def quantity(self) -> str:
        """What ``q`` is, in words."""
        if self.winner is None:
            base, other = self.labels
            return f"advantage: {self.focal}'s value under {other} minus under {base} (per round)"
        return (
            f"margin: {self.focal}'s value under {self.labels[self.winner]} (best at the "
            "nominal values) minus under the best other policy (per round)"
        )

    @property
    def sentence(self) -> str:
        """The nominal verdict in words."""
        q, focal = self.nominal, self.focal
        if self.winner is not None:
            best = self.labels[self.winner]
            return f"{best} is {focal}'s best policy, by {q:.4g} per round over the next best"
        base, other = self.labels
        if q > self.tie:
            return f"{other} beats {base} for {focal} by {q:.4g} per round"
        if q < -self.tie:
            return f"{base} beats {other} for {focal} by {-q:.4g} per round"
        return f"{base} and {other} tie for {focal}"

    @property
    def other(self) -> str:
        """What holds where the verdict flips ("balancing wins")."""
        if self.winner is not None:
            return f"{self.labels[self.winner]} is not {self.focal}'s best"
        base, other = self.labels
        if self.nominal > self.tie:
            return f"{base} wins"
        if self.nominal < -self.tie:
            return f"{other} wins"
        return "one policy wins"
