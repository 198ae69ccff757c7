"""Memory-one strategies of 2x2 games, and Press-Dyson zero-determinant strategies.

A memory-one strategy is a vector ``p = (p_CC, p_CD, p_DC, p_DD)``: the chance of cooperating
after each outcome of the previous round, written from its own point of view (own move first),
plus the chance ``initial`` of cooperating in the first round. "Cooperate" is the action with the
higher stance toward the opponent (ties: the first listed).

A zero-determinant strategy [Press-Dyson2012] is the memory-one vector
``p = (1, 1, 0, 0) + phi * ((x - l) - chi * (y - l))`` where ``x`` and ``y`` are its own and the
opponent's stage payoffs at CC, CD, DC, DD. Against any opponent its limit-of-means payoffs
satisfy ``s_X - l = chi * (s_Y - l)``: extortion with ``l = P`` (mutual defection) and
``chi >= 1``, generosity with ``l = R`` (mutual cooperation) [Stewart-Plotkin2013].
"""

from __future__ import annotations

import numpy as np

from ..core.automaton import Automaton
from ..core.errors import ScenarioError
from .base import Parameter, Strategy, TableBuilder

OUTCOMES = ("CC", "CD", "DC", "DD")


def two_by_two(game, player: int, key: str | None):
    """The states where ``player`` acts, its opponent, and each state's C/D action indices.

    Raises a :class:`ScenarioError` unless every such state is a 2x2 game against one opponent.
    """
    pname = game.players[player]
    states, opponent = [], None
    coop = {}
    for s in range(game.n_states):
        if not game.acts[s, player]:
            continue
        active = [k for k in range(game.n_players) if game.acts[s, k]]
        others = [k for k in active if k != player]
        if len(others) != 1 or any(game.n_actions[s, k] != 2 for k in active):
            raise ScenarioError(
                f"memory-one strategies need a 2x2 game: in state '{game.states[s]}' {pname} "
                f"faces {len(others)} other active player(s) with "
                f"{[int(game.n_actions[s, k]) for k in active]} actions",
                key=key,
            )
        if opponent is not None and others[0] != opponent:
            raise ScenarioError(
                f"memory-one strategies need one opponent; {pname} faces "
                f"{game.players[opponent]} and {game.players[others[0]]}",
                key=key,
            )
        opponent = others[0]
        states.append(s)
        for who, other in ((player, opponent), (opponent, player)):
            toward = game.stances[s, who, :2, other]
            coop[s, who] = 1 if toward[1] > toward[0] else 0
    if opponent is None:
        raise ScenarioError(
            f"{pname} never acts, so a memory-one strategy has nothing to do", key=key
        )
    return states, opponent, coop


def compile_memory_one(game, player: int, p, initial: float, label: str, key) -> Automaton:
    states, opponent, coop = two_by_two(game, player, key)
    tb = TableBuilder(game, player)
    policy, update = tb.empty(5)  # 0: start, 1..4: last outcome CC, CD, DC, DD
    p_c = np.array([initial, *p])
    for s in states:
        c = coop[s, player]
        policy[:, s, c] = p_c
        policy[:, s, 1 - c] = 1.0 - p_c
        J = game.n_joint[s]
        ja = game.joint_actions[s, :J]
        mine_d = (ja[:, player] != c).astype(int)
        theirs_d = (ja[:, opponent] != coop[s, opponent]).astype(int)
        update[:, s, :J] = 1 + 2 * mine_d + theirs_d
    return Automaton(policy, update, 0, ("start", *OUTCOMES), label)


class MemoryOne(Strategy):
    name = "memory-one"
    summary = "Cooperates with a chance that depends on the previous round's outcome (2x2 games)."
    source = "Memory-one strategies [Nowak-Sigmund1993]; reactive strategies [Nowak-Sigmund1990]."
    parameters = (
        Parameter(
            "p",
            (1.0, 0.0, 1.0, 0.0),
            "chance of C after CC, CD, DC, DD (own move first)",
            kind="probabilities",
            length=4,
        ),
        Parameter("initial", 1.0, "chance of C in the first round", low=0.0, high=1.0),
    )
    metadata = {
        "memory": 1,
        "stochastic": "unless p is 0/1",
        "games": "2x2",
        "reciprocal": "depends on p",
    }

    def compile(self, game, player: int) -> Automaton:
        return compile_memory_one(
            game, player, self.params["p"], self.params["initial"], self.label, self.key
        )


def zd_vector(x, y, chi: float, phi: float, kind: str) -> np.ndarray:
    """Press-Dyson vector from own payoffs ``x`` and the opponent's ``y`` at (CC, CD, DC, DD);
    ``phi`` is a fraction of the largest value that keeps every entry a probability."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    base = x[3] if kind == "extortionate" else x[0]
    c = (x - base) - chi * (y - base)
    offset = np.array([1.0, 1.0, 0.0, 0.0])
    limits = []
    for ck, bk in zip(c, offset, strict=True):
        if (bk == 1.0 and ck > 1e-12) or (bk == 0.0 and ck < -1e-12):
            raise ValueError("no zero-determinant strategy of this kind exists for these payoffs")
        if abs(ck) > 1e-12:
            limits.append(1.0 / abs(ck))
    if not limits:
        raise ValueError("the payoffs are degenerate: every entry of the ZD vector is fixed")
    p = offset + phi * min(limits) * c
    return np.clip(p, 0.0, 1.0)


class ZeroDeterminant(Strategy):
    reads_payoffs = True
    name = "zd"
    summary = (
        "Press-Dyson zero-determinant strategy: enforces s_X - l = chi (s_Y - l) against any "
        "opponent (extortionate: l = P; generous: l = R)."
    )
    source = "[Press-Dyson2012]; generous ZD [Stewart-Plotkin2013]."
    parameters = (
        Parameter(
            "kind",
            "extortionate",
            "extortionate (baseline P) or generous (baseline R)",
            kind="choice",
            choices=("extortionate", "generous"),
        ),
        Parameter("chi", 2.0, "the enforced slope chi", low=1.0, high=1e6),
        Parameter("phi", 0.5, "fraction of the largest feasible phi", low=1e-9, high=1.0),
        Parameter("initial", 1.0, "chance of C in the first round", low=0.0, high=1.0),
    )
    metadata = {"memory": 1, "stochastic": True, "games": "2x2", "reciprocal": True}

    def compile(self, game, player: int) -> Automaton:
        states, opponent, coop = two_by_two(game, player, self.key)
        vectors = []
        for s in states:
            x, y = [], []
            for mine in (0, 1):
                for theirs in (0, 1):
                    acts = {player: coop[s, player] ^ mine, opponent: coop[s, opponent] ^ theirs}
                    j = sum(
                        int(acts.get(k, 0)) * int(game.strides[s, k]) for k in range(game.n_players)
                    )
                    x.append(game.payoffs[s, j, player])
                    y.append(game.payoffs[s, j, opponent])
            try:
                vectors.append(
                    zd_vector(x, y, self.params["chi"], self.params["phi"], self.params["kind"])
                )
            except ValueError as exc:
                raise ScenarioError(f"{exc} (state '{game.states[s]}')", key=self.key) from None
        if any(not np.allclose(v, vectors[0]) for v in vectors):
            raise ScenarioError(
                "a ZD strategy needs the same 2x2 payoffs in every state where it acts",
                key=self.key,
            )
        vector = tuple(float(v) for v in vectors[0])
        return compile_memory_one(
            game, player, vector, self.params["initial"], self.label, self.key
        )
