"""The game a scenario describes, as arrays the engines can index.

Players act in world states drawn by nature. In state ``s`` player ``i`` has ``n_actions[s, i]``
actions (a player with no listed action has one, ``pass``). A joint action is stored as one
integer ``j = sum_i a_i * strides[s, i]`` (row-major over players), so every per-state table is a
flat array padded to ``max_joint`` entries.

* ``stances[s, i, a, k]`` is the stance (-1, 0, +1) of player ``i``'s action ``a`` toward ``k``.
* ``payoffs[s, j, i]`` is player ``i``'s payoff at joint action ``j`` in state ``s`` (nominal
  values).
* ``transition[s, t]`` is nature's chance of state ``t`` after ``s``; ``start`` the first
  analysed state's distribution (after any scripted history).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .scenario.schema import UncertainValue
from .scenario.semantics import Param, Spec

PASS = "pass"


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
    stances: np.ndarray  # (S, n, A, n) int8
    payoffs: np.ndarray  # (S, J, n) float
    transition: np.ndarray  # (S, S)
    start: np.ndarray  # (S,)
    history: tuple[tuple[int, int], ...]  # (state, joint action) of scripted rounds
    parameters: tuple[Param, ...] = ()
    #: (P, S, J, n) sensitivity of the payoffs to each uncertain parameter (payoffs are linear)
    payoff_basis: np.ndarray | None = None

    @property
    def n_players(self) -> int:
        return len(self.players)

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
        return self.players.index(name)

    def state_index(self, name: str) -> int:
        return self.states.index(name)

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


def _nominal(v: float | UncertainValue) -> float:
    return float(v.value) if isinstance(v, UncertainValue) else float(v)


def build_game(spec: Spec) -> Game:
    """Build the :class:`Game` of a checked scenario specification."""
    players = spec.players
    n = len(players)
    S = len(spec.states)
    actions = []
    acts = np.zeros((S, n), dtype=bool)
    for s, st in enumerate(spec.states):
        row = []
        for i, p in enumerate(players):
            if p in st.actions:
                row.append(tuple(st.actions[p]))
                acts[s, i] = True
            else:
                row.append((PASS,))
        actions.append(tuple(row))
    n_actions = np.array([[len(a) for a in row] for row in actions], dtype=np.int64).reshape(S, n)
    strides = np.ones((S, n), dtype=np.int64)
    for i in range(n - 2, -1, -1):
        strides[:, i] = strides[:, i + 1] * n_actions[:, i + 1]
    n_joint = n_actions.prod(axis=1)
    A = int(n_actions.max())
    J = int(n_joint.max())
    stances = np.zeros((S, n, A, n), dtype=np.int8)
    for s, st in enumerate(spec.states):
        for i, p in enumerate(players):
            for a, (_, toward) in enumerate(st.actions.get(p, {}).items()):
                for other, stance in toward.items():
                    stances[s, i, a, players.index(other)] = stance

    game = Game(
        players=players,
        states=tuple(st.name for st in spec.states),
        actions=tuple(actions),
        acts=acts,
        n_actions=n_actions,
        strides=strides,
        n_joint=n_joint,
        stances=stances,
        payoffs=np.zeros((S, J, n)),
        transition=spec.transition,
        start=spec.start,
        history=(),
    )
    payoffs, params, basis = _payoffs(spec, game)
    history = tuple(
        (game.state_index(s), game.joint_index(game.state_index(s), acts_))
        for s, acts_, _ in spec.history
    )
    from dataclasses import replace

    return replace(game, payoffs=payoffs, history=history, parameters=params, payoff_basis=basis)


def _payoffs(spec: Spec, game: Game):
    """Nominal payoff tensor, uncertain parameters, and each parameter's unit contribution."""
    S, J, n = game.n_states, game.max_joint, game.n_players
    total = np.zeros((S, J, n))
    params: list[Param] = []
    contributions: list[np.ndarray] = []
    ja = game.joint_actions

    def add(mask: np.ndarray, i: int, value, key: str) -> None:
        total[..., i] += mask * _nominal(value)
        if isinstance(value, UncertainValue):
            unit = np.zeros((S, J, n))
            unit[..., i] = mask
            params.append(Param(key, float(value.value), value))
            contributions.append(unit)

    for term in spec.terms:
        mask = np.zeros((S, J))
        for sname in term.states:
            s = game.state_index(sname)
            ok = np.ones(J, dtype=bool)
            ok[game.n_joint[s] :] = False
            for p, allowed in term.when.items():
                i = game.player_index(p)
                idx = [game.actions[s][i].index(a) for a in allowed]
                ok &= np.isin(ja[s, :, i], idx)
            mask[s] = ok
        label = term.id if term.id is not None else term.key
        prefix = f"payoffs.{label}" if term.id is not None else term.key
        for p, value in term.values.items():
            add(mask, game.player_index(p), value, f"{prefix}.{p}")
    for sname, per_player in spec.tables.items():
        s = game.state_index(sname)
        for p, arr in per_player.items():
            i = game.player_index(p)
            flat = arr.reshape(-1)  # row-major over active players == joint index order
            for j, value in enumerate(flat):
                mask = np.zeros((S, J))
                mask[s, j] = 1.0
                add(mask, i, value, f"tables.{sname}.{p}[{j}]")
    basis = np.stack(contributions) if contributions else np.zeros((0, S, J, n))
    return total, tuple(params), basis
