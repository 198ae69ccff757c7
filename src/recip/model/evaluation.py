"""What an evaluation returns: values, the per-round payoff curve, and who did what how often."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.game import Game
from .conditions import Conditions
from .result import Result

#: The 97.5% quantile of the standard normal distribution (two-sided 95% intervals).
Z95 = 1.959963984540054


@dataclass(frozen=True, eq=False)
class Evaluation(Result):
    """Values of a profile, per player, with how they came about.

    ``values[i]`` is player ``i``'s per-round value under ``criterion``; ``curve[t, i]`` its
    expected payoff in round ``t`` (after any scripted history); ``occupancy[s, j]`` the
    (discount-)weighted frequency of joint action ``j`` in world state ``s``, summing to 1.
    Simulated evaluations add ``stderr`` (standard error of each value), ``samples`` (each
    replicate's values) and, when recorded, ``trajectories``.

    When the players have discount factors of their own, ``discount`` is None, ``discounts``
    holds each player's (``values[i]`` is at player ``i``'s) and ``weighted_by`` names the
    player whose discount factor weights ``occupancy`` (and so every frequency).
    """

    title: str
    conditions: Conditions
    game: Game
    profile: tuple[str, ...]
    method: str
    criterion: str
    discount: float | None
    rounds: int | None
    noise: tuple[float, ...]
    values: np.ndarray
    curve: np.ndarray
    occupancy: np.ndarray
    chain_size: int | None = None
    stderr: np.ndarray | None = None
    samples: np.ndarray | None = field(default=None, repr=False)
    replicates: int | None = None
    seed: int | None = None
    #: ``(actions[R, T, n], payoffs[R, T, n])``: every realised action index and payoff of a
    #: simulation that recorded them (``record=True``), else None.
    trajectories: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    discounts: tuple[float, ...] | None = None
    weighted_by: str | None = None

    def __repr__(self) -> str:
        vals = ", ".join(
            f"{p}={v:.4g}" for p, v in zip(self.game.players, self.values, strict=True)
        )
        return f"Evaluation({self.method}, {self.criterion}: {vals})"

    @property
    def players(self) -> tuple[str, ...]:
        return self.game.players

    def value(self, player: str) -> float:
        return float(self.values[self.game.player_index(player)])

    def interval(self, player: str) -> tuple[float, float]:
        """95% confidence interval of a simulated value (a point for exact values)."""
        i = self.game.player_index(player)
        v = float(self.values[i])
        if self.stderr is None:
            return (v, v)
        half = Z95 * float(self.stderr[i])
        return (v - half, v + half)

    def state_frequency(self) -> dict[str, float]:
        """Weighted share of rounds spent in each world state."""
        return {s: float(self.occupancy[k].sum()) for k, s in enumerate(self.game.states)}

    def action_frequency(self, player: str, state: str) -> dict[str, float]:
        """Chance of each of ``player``'s actions in ``state`` (conditional on the state)."""
        g = self.game
        s, i = g.state_index(state), g.player_index(player)
        occ = self.occupancy[s, : g.n_joint[s]]
        total = occ.sum()
        acts = g.joint_actions[s, : g.n_joint[s], i]
        freq = np.bincount(acts, weights=occ, minlength=g.n_actions[s, i])
        freq = freq / total if total > 0 else np.full_like(freq, np.nan)
        return {a: float(f) for a, f in zip(g.actions[s][i], freq, strict=True)}

    def stance_frequency(
        self, actor: str, toward: str, state: str | None = None
    ) -> dict[int, float]:
        """How often ``actor`` sided with (+1), stayed neutral toward (0) or sided against (-1)
        ``toward``, over the rounds where ``actor``'s choice concerned ``toward`` (or in one
        ``state``); a graded stance counts by its sign."""
        g = self.game
        i, k = g.player_index(actor), g.player_index(toward)
        states = [g.state_index(state)] if state else range(g.n_states)
        out = np.zeros(3)
        for s in states:
            if not g.acts[s, i] or not np.any(g.stances[s, i, : g.n_actions[s, i], k]):
                continue
            J = g.n_joint[s]
            st = g.stances[s, i, g.joint_actions[s, :J, i], k]
            sign = np.sign(st).astype(np.int64)
            out += np.bincount(sign + 1, weights=self.occupancy[s, :J], minlength=3)
        total = out.sum()
        if total <= 0:
            return {1: float("nan"), 0: float("nan"), -1: float("nan")}
        return {1: float(out[2] / total), 0: float(out[1] / total), -1: float(out[0] / total)}

    kind = "evaluation"

    @property
    def summary(self) -> str:
        how = "exact" if self.method == "exact" else f"simulated, {self.replicates} replicates"
        vals = ", ".join(
            f"{p} {v:.4g}" for p, v in zip(self.game.players, self.values, strict=True)
        )
        return f"Per-round values: {vals} ({how})."

    def payload(self) -> dict[str, Any]:
        g = self.game
        out: dict[str, Any] = {
            "method": self.method,
            "criterion": self.criterion,
            "discount": self.discount,
            **(
                {
                    "discounts": dict(zip(g.players, self.discounts, strict=True)),
                    "frequencies_weighted_by": self.weighted_by,
                }
                if self.discounts is not None
                else {}
            ),
            "rounds": self.rounds,
            "noise": dict(zip(g.players, self.noise, strict=True)),
            "profile": dict(zip(g.players, self.profile, strict=True)),
            "values": {p: float(v) for p, v in zip(g.players, self.values, strict=True)},
        }
        if self.stderr is not None:
            out["stderr"] = {p: float(v) for p, v in zip(g.players, self.stderr, strict=True)}
            out["replicates"] = self.replicates
            out["seed"] = self.seed
        if self.chain_size is not None:
            out["chain_states"] = self.chain_size
        out["state_frequency"] = self.state_frequency()
        out["actions"] = {
            s: {p: self.action_frequency(p, s) for i, p in enumerate(g.players) if g.acts[k, i]}
            for k, s in enumerate(g.states)
        }
        out["curve"] = {p: [float(x) for x in self.curve[:, i]] for i, p in enumerate(g.players)}
        return out
