"""The game a scenario describes, as arrays the engines can index.

Players act in world states drawn by nature. In state ``s`` player ``i`` has ``n_actions[s, i]``
actions (a player with no listed action has one, ``pass``). A joint action is stored as one
integer ``j = sum_i a_i * strides[s, i]`` (row-major over players), so every per-state table is a
flat array padded to ``max_joint`` entries.

* ``stances[s, i, a, k]`` is the stance (from -1 to +1) of player ``i``'s action ``a`` toward ``k``.
* ``payoffs[s, j, i]`` is player ``i``'s payoff at joint action ``j`` in state ``s`` (nominal
  values).
* ``transition[s, t]`` is nature's chance of state ``t`` after ``s``; ``start`` the first
  analysed state's distribution (after any scripted history).
* ``moves[s, j, t]``, when the actions move the world (a stochastic game: ``[[nature.after]]``),
  is the chance of state ``t`` after a round in state ``s`` with joint action ``j`` (padding
  slots hold ``transition[s]``); ``None`` when nature ignores the actions, so that
  ``transition`` says it all.
* ``parameters`` are the scenario's uncertain payoff values, and ``payoff_basis[p]`` the flat
  indices into ``payoffs.reshape(-1)`` (row-major over state, joint action, player) to which
  parameter ``p`` adds its value. Payoffs are linear in the parameters, with coefficient 1 at
  those entries: ``payoffs(theta) = payoffs + sum_p (theta_p - nominal_p) 1[payoff_basis[p]]``
  (:meth:`Game.payoffs_for`). The indices are sparse: a term covers only the joint actions it
  names, a table entry one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .errors import ScenarioError, suggest
from .params import Param
from .text import echo

PASS = "pass"


def is_iid(transition: np.ndarray) -> bool:
    """Whether every row of nature's transition matrix is the same law (exactly)."""
    return bool(np.all(transition == transition[:1]))


@dataclass(frozen=True, eq=False)
class Game:
    """Players, world states, actions, stances and payoff tensors (nominal values)."""

    players: tuple[str, ...]
    states: tuple[str, ...]
    actions: tuple[tuple[tuple[str, ...], ...], ...]  # [state][player] -> action names
    acts: np.ndarray  # (S, n) bool: has a real choice (listed actions) in the state
    n_actions: np.ndarray  # (S, n) int
    strides: np.ndarray  # (S, n) int
    n_joint: np.ndarray  # (S,) int
    stances: np.ndarray  # (S, n, A, n) float32, in [-1, 1]
    payoffs: np.ndarray  # (S, J, n) float
    transition: np.ndarray  # (S, S)
    start: np.ndarray  # (S,)
    history: tuple[tuple[int, int], ...]  # (state, joint action) of scripted rounds
    parameters: tuple[Param, ...] = ()
    #: Per uncertain parameter, the flat indices of ``payoffs`` it adds its value to.
    payoff_basis: tuple[np.ndarray, ...] = ()
    #: (S, J, S) next-state law by (state, joint action), or None (see the module docstring).
    moves: np.ndarray | None = None

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def iid(self) -> bool:
        """Whether nature draws each round's world state afresh from one law (and there is more
        than one state): the exact evaluator then averages its chain over the world state."""
        return self.n_states > 1 and self.moves is None and is_iid(self.transition)

    @property
    def actions_move_nature(self) -> bool:
        """Whether the next world state's law depends on the round's joint action."""
        return self.moves is not None

    def next_law(self, s: int, j: int) -> np.ndarray:
        """The chance of each world state after a round in state ``s`` with joint action ``j``."""
        return self.transition[s] if self.moves is None else self.moves[s, j]

    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def max_actions(self) -> int:
        return self.stances.shape[2]

    @property
    def max_joint(self) -> int:
        return self.payoffs.shape[1]

    def player_index(self, name: str) -> int:
        """The index of player ``name`` (a :class:`ScenarioError` naming the players if it is
        not one)."""
        try:
            return self.players.index(name)
        except ValueError:
            raise ScenarioError(
                f"unknown player {echo(name)}; {suggest(str(name), self.players)}", key="player"
            ) from None

    def state_index(self, name: str) -> int:
        """The index of world state ``name`` (a :class:`ScenarioError` naming the states if it
        is not one)."""
        try:
            return self.states.index(name)
        except ValueError:
            raise ScenarioError(
                f"unknown world state {echo(name)}; {suggest(str(name), self.states)}",
                key="state",
            ) from None

    @cached_property
    def joint_actions(self) -> np.ndarray:
        """``joint_actions[s, j, i]``: player ``i``'s action in joint action ``j`` of state ``s``
        (``-1`` in padding)."""
        out = np.full((self.n_states, self.max_joint, self.n_players), -1, dtype=np.int64)
        for s in range(self.n_states):
            j = np.arange(self.n_joint[s])
            for i in range(self.n_players):
                out[s, : self.n_joint[s], i] = (j // self.strides[s, i]) % self.n_actions[s, i]
        return out

    def joint_label(self, s: int, j: int) -> dict[str, str]:
        """The actions of the active players in joint action ``j`` of state ``s``."""
        acts = self.joint_actions[s, j]
        return {
            p: self.actions[s][i][acts[i]] for i, p in enumerate(self.players) if self.acts[s, i]
        }

    def joint_index(self, s: int, actions: dict[str, str]) -> int:
        j = 0
        for i, p in enumerate(self.players):
            if self.acts[s, i]:
                j += self.actions[s][i].index(actions[p]) * int(self.strides[s, i])
        return j

    def payoffs_for(self, values: np.ndarray) -> np.ndarray:
        """The payoff tensor with the uncertain parameters at ``values`` instead of their nominal
        values: ``values`` of shape ``(P,)`` gives ``(S, J, n)``; ``(N, P)`` gives
        ``(N, S, J, n)``, one tensor per row (a loop over parameters, never over rows).
        """
        values = np.asarray(values, dtype=float)
        rows = values.reshape(-1, len(self.parameters))
        out = np.repeat(self.payoffs.reshape(1, -1), rows.shape[0], axis=0)
        for p, (param, index) in enumerate(zip(self.parameters, self.payoff_basis, strict=True)):
            out[:, index] += (rows[:, p] - param.nominal)[:, None]
        return out.reshape(*values.shape[:-1], *self.payoffs.shape)

    def with_payoffs(self, payoffs: np.ndarray) -> Game:
        """The same game with another payoff tensor (same shape)."""
        from dataclasses import replace

        return replace(self, payoffs=np.asarray(payoffs, dtype=float))

    def stage_game(self, s: int) -> tuple[list[int], np.ndarray]:
        """Active players of state ``s`` and their payoffs as a tensor
        ``(A_1, ..., A_k, k)`` over the active players' actions."""
        active = [i for i in range(self.n_players) if self.acts[s, i]]
        shape = [int(self.n_actions[s, i]) for i in active]
        table = self.payoffs[s, : self.n_joint[s]][:, active]
        return active, table.reshape([*shape, len(active)]) if active else table.reshape(
            len(active)
        )
