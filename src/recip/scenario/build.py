"""Build the :class:`recip.core.game.Game` of a checked scenario specification."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..core.game import PASS, Game
from ..core.params import Param, Uncertain
from .schema import UncertainValue
from .semantics import Spec


def _nominal(v: float | UncertainValue) -> float:
    return float(v.value) if isinstance(v, UncertainValue) else float(v)


def _uncertain(v: UncertainValue) -> Uncertain:
    dist = v.distribution or ("normal" if v.sd is not None else "uniform")
    return Uncertain(float(v.value), v.low, v.high, v.sd, dist)


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
            params.append(Param(key, float(value.value), _uncertain(value)))
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
