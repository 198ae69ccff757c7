"""Build the :class:`recip.core.game.Game` of a checked scenario specification.

Payoffs are assembled sparsely: a term adds its value at the joint actions it covers, found as
index arrays (a Cartesian product of the allowed actions, one axis per player, weighted by the
joint-action strides), so that building costs time and memory linear in the number of payoff
entries written, never a dense mask per term or per table entry. Every uncertain value keeps
the flat indices it adds to (``Game.payoff_basis``).

After summing, every payoff (per state, joint action and player) must lie within
:data:`~recip.core.limits.MAX_ABS_PAYOFF`, and so must the sum of the largest magnitudes the
uncertain values' ranges allow, so that every later computation stays finite.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from ..core.errors import ScenarioError
from ..core.game import PASS, Game
from ..core.limits import MAX_ABS_PAYOFF, MAX_MOVE_ENTRIES, MAX_PAYOFF_WRITES
from ..core.params import Param, Uncertain
from .schema import UncertainValue
from .semantics import Spec

#: How far a normal value without bounds is taken to reach, in standard deviations, when its
#: range is checked against the payoff bound (a draw beyond 10 sd has chance < 2e-23).
NORMAL_REACH = 10.0


def _nominal(v: float | UncertainValue) -> float:
    return float(v.value) if isinstance(v, UncertainValue) else float(v)


def _reach(v: float | UncertainValue) -> float:
    """The largest magnitude a value can take: its nominal value, or its range's far end."""
    if not isinstance(v, UncertainValue):
        return abs(float(v))
    spread = NORMAL_REACH * v.sd if v.sd is not None else 0.0
    low = v.low if v.low is not None else v.value - spread
    high = v.high if v.high is not None else v.value + spread
    return max(abs(low), abs(high), abs(v.value))


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
    stances = np.zeros((S, n, A, n), dtype=np.float32)
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
        payoffs=np.zeros((0, J, n)),
        transition=spec.transition,
        start=spec.start,
        history=(),
    )
    payoffs, params, basis = _payoffs(spec, game)
    history = tuple(
        (game.state_index(s), game.joint_index(game.state_index(s), acts_))
        for s, acts_, _ in spec.history
    )
    moves = _moves(spec, game)
    start = game.start
    if moves is not None and history and not spec.start_given:
        # nature goes on from the last scripted round, whose actions may have moved it
        start = moves[history[-1]].copy()
    return replace(
        game,
        payoffs=payoffs,
        history=history,
        parameters=params,
        payoff_basis=basis,
        moves=moves,
        start=start,
    )


def _moves(spec: Spec, game: Game) -> np.ndarray | None:
    """The next state's law by (state, joint action) under ``[[nature.after]]``: nature's own
    row, except where a rule matches (the first that matches decides); ``None`` without rules."""
    if not spec.rules:
        return None
    S, J = game.n_states, game.max_joint
    if S * J * S > MAX_MOVE_ENTRIES:
        raise ScenarioError(
            f"the next-state laws of this stochastic game would have {S * J * S:,} entries ({S} "
            f"states x {J} joint actions x {S} states); recip's limit is {MAX_MOVE_ENTRIES:,} "
            "(MAX_MOVE_ENTRIES): fewer states, players or actions",
            key="nature.after",
        )
    moves = np.repeat(np.asarray(spec.transition, dtype=float)[:, None, :], J, axis=1)
    for rule in reversed(spec.rules):  # earlier rules overwrite later ones: the first decides
        for sname in rule.states:
            s = game.state_index(sname)
            moves[s, _covered(game, s, rule.when)] = rule.next
    return moves


def _allowed(game: Game, s: int, when: dict[str, tuple[str, ...]]) -> list[np.ndarray]:
    """Per player, the indices of its actions in state ``s`` that a ``when`` table allows."""
    out = []
    for i, p in enumerate(game.players):
        if p in when:
            names = game.actions[s][i]
            out.append(np.array([names.index(a) for a in when[p]], dtype=np.int64))
        else:
            out.append(np.arange(int(game.n_actions[s, i]), dtype=np.int64))
    return out


def _covered(game: Game, s: int, when: dict[str, tuple[str, ...]]) -> np.ndarray:
    """The joint actions of state ``s`` that match ``when``: sum_i a_i * stride_i over the
    Cartesian product of the allowed actions (as many entries as the term covers)."""
    joint = np.zeros(1, dtype=np.int64)
    for i, allowed in enumerate(_allowed(game, s, when)):
        joint = (joint[:, None] + allowed[None, :] * game.strides[s, i]).reshape(-1)
    return joint


def _writes(spec: Spec, game: Game) -> int:
    """The payoff entries building the game will write, counted from the shapes alone."""
    total = 0
    for term in spec.terms:
        for sname in term.states:
            s = game.state_index(sname)
            total += math.prod(len(a) for a in _allowed(game, s, term.when)) * len(term.values)
    for per_player in spec.tables.values():
        total += sum(arr.size for arr in per_player.values())
    return total


def _payoffs(spec: Spec, game: Game):
    """Nominal payoff tensor, uncertain parameters, and the flat indices each adds to."""
    S, J, n = game.n_states, game.max_joint, game.n_players
    writes = _writes(spec, game)
    if writes > MAX_PAYOFF_WRITES:
        raise ScenarioError(
            f"the payoff terms and tables cover {writes:,} payoff entries in all; recip's limit "
            f"is {MAX_PAYOFF_WRITES:,} (MAX_PAYOFF_WRITES): fewer or narrower terms ('state', "
            "'when')",
            key="payoffs",
        )
    total = np.zeros(S * J * n)
    reach = np.zeros(S * J * n)
    params: list[Param] = []
    basis: list[np.ndarray] = []
    for key, index, value in slots(spec, game):
        total[index] += _nominal(value)
        reach[index] += _reach(value)
        if isinstance(value, UncertainValue):
            params.append(Param(key, float(value.value), _uncertain(value)))
            basis.append(index)
    _check_bound(spec, game, total, reach)
    return total.reshape(S, J, n), tuple(params), tuple(basis)


def slots(spec: Spec, game: Game) -> Iterator[tuple[str, np.ndarray, float | UncertainValue]]:
    """Every payoff value of the file: its key (``payoffs.oil_revenue.russia``,
    ``tables.round.row[1][0]``), the flat indices of ``game.payoffs`` it adds to, and the value.
    Payoffs are the sum of these: linear, with coefficient 1, in every value."""
    J, n = game.max_joint, game.n_players
    for term in spec.terms:
        cells = np.concatenate(
            [
                game.state_index(sname) * J + _covered(game, game.state_index(sname), term.when)
                for sname in term.states
            ]
        )
        for p, value in term.values.items():
            yield f"{term.key}.{p}", cells * n + game.player_index(p), value
    for sname, per_player in spec.tables.items():
        s = game.state_index(sname)
        for p, arr in per_player.items():
            flat = arr.reshape(-1)  # row-major over active players == joint index order
            index = (s * J + np.arange(flat.size)) * n + game.player_index(p)
            for k in range(flat.size):
                key = _entry_key(f"tables.{sname}.{p}", arr.shape, k)
                yield key, index[k : k + 1], flat[k]


def _entry_key(prefix: str, shape: tuple[int, ...], flat: int) -> str:
    """The key of a table entry: ``tables.round.row[1][0]`` (nested positions, as written)."""
    return (
        prefix + "".join(f"[{int(i)}]" for i in np.unravel_index(flat, shape)) if shape else prefix
    )


def _check_bound(spec: Spec, game: Game, total: np.ndarray, reach: np.ndarray) -> None:
    S, J, n = game.n_states, game.max_joint, game.n_players
    for values, what in ((total, "adds up to"), (reach, "can reach, over its uncertain ranges,")):
        bad = np.flatnonzero(~(np.abs(values) <= MAX_ABS_PAYOFF))
        if bad.size:
            s, j, i = np.unravel_index(int(bad[0]), (S, J, n))
            keys = _contributors(spec, game, int(s), int(j), int(i))
            joint = game.joint_label(int(s), int(j))
            when = ", ".join(f"{p}={a}" for p, a in joint.items()) or "nobody acts"
            raise ScenarioError(
                f"{game.players[i]}'s payoff in state '{game.states[s]}' ({when}) {what} "
                f"{float(values[bad[0]]):.4g} (from {', '.join(keys)}); recip's limit is "
                f"±{MAX_ABS_PAYOFF:g} (MAX_ABS_PAYOFF), which keeps every sum, difference and "
                "variance of payoffs finite: scale the payoffs down",
                key=keys[-1] if keys else "payoffs",
            )


def _contributors(spec: Spec, game: Game, s: int, j: int, i: int) -> list[str]:
    """The keys of every term and table entry that pays player ``i`` at ``(s, j)``."""
    sname, player = game.states[s], game.players[i]
    chosen = game.joint_actions[s, j]
    out = []
    for term in spec.terms:
        if sname not in term.states or player not in term.values:
            continue
        if all(
            game.actions[s][game.player_index(p)][chosen[game.player_index(p)]] in allowed
            for p, allowed in term.when.items()
        ):
            out.append(f"{term.key}.{player}")
    arr = spec.tables.get(sname, {}).get(player)
    if arr is not None:
        out.append(_entry_key(f"tables.{sname}.{player}", arr.shape, j))
    return out
