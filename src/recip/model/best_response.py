"""A player's exact best response to the others' automata, named and usable as a strategy.

Against fixed automata, a player's problem is a Markov decision problem whose states are the
*situations* (world state, every player's memory) that some history can reach: the closure that
subgame perfection is checked on (:class:`~recip.engine.deviation.DeviationModel`). Policy
iteration solves it exactly (:meth:`~recip.engine.deviation.DeviationModel.best_response_values`),
giving an optimal intended action in every situation.

That policy is itself a finite automaton: its memory is the joint memory of every automaton of
the profile (the player's own included, as the situations track it), updated by each
automaton's own rule after every observed joint action. :func:`best_response` builds it
(:class:`~recip.core.automaton.Automaton`), writes it in the scenario format's
``[automata.<name>]`` tables, so that ``--set strategies.<player>=<name>`` plays it, and
summarises it in words ("support in russia_isolated whatever happened before") from the
situations it reaches from the start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ..core.automaton import Automaton
from ..core.errors import ScenarioError
from ..core.limits import MAX_LABEL_CHARS, MAX_MEMORIES
from ..engine.deviation import DeviationModel

#: Cases listed when a best response's action in a world state depends on the memories.
MAX_CASES = 3
#: Longest clause of words for one world state; beyond it, the actions and a count only.
MAX_CLAUSE = 120
#: States named in a clause that groups the states where a best response does one thing.
MAX_STATES_NAMED = 4


@dataclass(frozen=True, eq=False)
class BestResponse:
    """Player ``player``'s best response to the others' automata (from the start, per round):
    ``value`` against ``base`` (following its own strategy), ``gain = value - base``; ``words``
    says what it does; ``automaton`` plays it; ``spec`` is the same automaton in the scenario
    format (``[automata.<name>]``); ``policy[k, a]`` its intended action in situation ``k``."""

    player: str
    value: float
    base: float
    words: str
    automaton: Automaton
    policy: np.ndarray
    game: Any = field(repr=False, default=None)
    #: The policy table on the situations it reaches from the start: (world state, what the
    #: others remember, the action it intends), in the order of the situations.
    table: tuple[tuple[str, str, str], ...] = ()

    @cached_property
    def spec(self) -> dict[str, Any]:
        """The automaton in the scenario format (``[automata.<name>]``)."""
        i = self.game.players.index(self.player)
        return _spec(self.game, i, self.automaton, self.automaton.memory_labels)

    @property
    def gain(self) -> float:
        return self.value - self.base

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "value": self.value,
            "base": self.base,
            "gain": self.gain,
            "words": self.words,
            "memories": self.automaton.n_memories,
            "table": [{"state": s, "others_remember": m, "action": a} for s, m, a in self.table],
        }


def best_response(
    model: DeviationModel, player: int, discount: float, values: np.ndarray | None = None
) -> BestResponse:
    """Player ``player``'s exact best response in ``model`` at ``discount`` (``values``: the
    profile's situation values, if already solved)."""
    values = model.values(discount) if values is None else values
    best, policies, _ = model.best_response_values(discount, values, full=True, players=[player])
    pi = policies[player]
    start = model.start
    automaton = _automaton(model, player, pi)
    game = model.game
    return BestResponse(
        player=game.players[player],
        value=float(start @ best[:, player]),
        base=float(start @ values[:, player]),
        words=_words(model, player, pi),
        automaton=automaton,
        policy=pi,
        game=game,
        table=_table(model, player, pi),
    )


# -- the automaton ---------------------------------------------------------------------------


def _positions(rows: np.ndarray, queries: np.ndarray, sizes) -> np.ndarray:
    """For each row of ``queries``, its position among the (distinct) ``rows``, or -1; column
    ``c`` holds numbers below ``sizes[c]`` (rows are then numbers in a mixed radix)."""
    if len(queries) == 0:
        return np.zeros(0, dtype=np.int64)
    if np.prod(np.asarray(sizes, dtype=float)) < 2.0**62:
        place = np.cumprod([1, *sizes[:0:-1]])[::-1].astype(np.int64)
        keys, wanted = rows @ place, queries @ place
        order = np.argsort(keys, kind="stable")
        at = np.searchsorted(keys[order], wanted)
        at = np.minimum(at, len(keys) - 1)
        found = keys[order][at] == wanted
        return np.where(found, order[at], -1)
    both = np.concatenate([rows, queries])
    _, inverse = np.unique(both, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    where = np.full(inverse.max() + 1, -1, dtype=np.int64)
    where[inverse[: len(rows)]] = np.arange(len(rows))
    return where[inverse[len(rows) :]]


def _joint_memories(game, automata) -> tuple[np.ndarray, np.ndarray]:
    """Every joint memory the automata reach from their initial ones under every world state
    and joint action (rows, first the initial one), and the update table between them
    ``(M, S, J)``."""
    n, S, J = len(automata), game.n_states, game.max_joint
    sizes = [a.n_memories for a in automata]
    valid = np.arange(J)[None, :] < game.n_joint[:, None]  # (S, J)
    rows = np.array([[a.initial for a in automata]], dtype=np.int64)
    frontier = rows
    while len(frontier):
        nxt = np.stack([a.update[frontier[:, q]] for q, a in enumerate(automata)], axis=-1)
        candidates = np.unique(nxt[:, valid].reshape(-1, n), axis=0)
        fresh = candidates[_positions(rows, candidates, sizes) < 0]
        if len(rows) + len(fresh) > MAX_MEMORIES:
            raise ScenarioError(
                f"a best response here needs more than {MAX_MEMORIES} memories (every joint "
                "memory of the profile; MAX_MEMORIES): use strategies with fewer memories"
            )
        rows = np.concatenate([rows, fresh])
        frontier = fresh
    nxt = np.stack([a.update[rows[:, q]] for q, a in enumerate(automata)], axis=-1)
    M = len(rows)
    update = np.broadcast_to(np.arange(M)[:, None, None], (M, S, J)).copy()
    m_idx, s_idx, j_idx = np.nonzero(np.broadcast_to(valid, (M, S, J)))
    update[m_idx, s_idx, j_idx] = _positions(rows, nxt[m_idx, s_idx, j_idx], sizes)
    return rows, update


def _automaton(model: DeviationModel, player: int, pi: np.ndarray):
    game, automata = model.game, model.automata
    rows, update = _joint_memories(game, automata)
    M, S = len(rows), game.n_states
    own = automata[player]
    policy = own.policy[rows[:, player]].copy()  # (M, S, A): its own strategy where unreached
    keys = np.column_stack([np.repeat(np.arange(S), M), np.tile(rows, (S, 1))])
    situations = np.column_stack([model.world, model.memories])
    k = _positions(situations, keys, [S, *(a.n_memories for a in automata)])
    found = k >= 0
    flat = policy.transpose(1, 0, 2).reshape(S * M, -1)
    flat[found, : pi.shape[1]] = pi[k[found]]
    policy = flat.reshape(S, M, -1).transpose(1, 0, 2).copy()
    others = [q for q in range(len(automata)) if q != player and automata[q].n_memories > 1]
    labels = tuple(
        _cut(
            "; ".join(f"{game.players[q]}: {automata[q].memory_labels[row[q]]}" for q in others)
            or "start"
        )
        for row in rows
    )
    label = f"best response of {game.players[player]}"
    return Automaton(policy, update, 0, labels, label)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 3] + "..."


def _spec(game, player: int, automaton: Automaton, labels) -> dict[str, Any]:
    """The automaton in the scenario format: memories ``m0, m1, ...`` (``m0`` first), what each
    plays where the player acts, and one rule per (state, joint action) that moves it."""
    ja = game.joint_actions
    acting = [s for s in range(game.n_states) if game.acts[s, player]]
    memories: dict[str, Any] = {}
    for m in range(automaton.n_memories):
        play: dict[str, Any] = {}
        for s in acting:
            k = game.n_actions[s, player]
            probs = automaton.policy[m, s, :k]
            names = game.actions[s][player]
            if probs.max() == 1.0:
                play[game.states[s]] = names[int(probs.argmax())]
            else:
                play[game.states[s]] = {names[a]: float(p) for a, p in enumerate(probs) if p > 0}
        rules = []
        for s in range(game.n_states):
            for j in range(game.n_joint[s]):
                to = int(automaton.update[m, s, j])
                if to == m:
                    continue
                when = {
                    game.players[q]: game.actions[s][q][ja[s, j, q]]
                    for q in range(game.n_players)
                    if game.acts[s, q]
                }
                rules.append({"state": game.states[s], "when": when, "to": f"m{to}"})
        memory: dict[str, Any] = {"label": labels[m], "play": play}
        if rules:
            memory["next"] = rules
        memories[f"m{m}"] = memory
    return {
        "description": f"Best response of {game.players[player]} to the others' strategies "
        "(written by recip).",
        "initial": "m0",
        "memories": memories,
    }


# -- in words ----------------------------------------------------------------------------------


def reached(model: DeviationModel, player: int, pi: np.ndarray) -> np.ndarray:
    """The situations reached with positive chance from the start when ``player`` follows
    ``pi`` and the others their automata."""
    follow = model._follow(player, pi)
    graph = follow if sp.issparse(follow) else sp.csr_matrix(follow)
    out = np.zeros(model.size, dtype=bool)
    for k in np.flatnonzero(model.start > 0):
        out[breadth_first_order(graph, int(k), return_predecessors=False)] = True
    return out


#: Rows of a best response's policy table kept in the result (situations it reaches).
MAX_TABLE_ROWS = 1_000


def _table(model: DeviationModel, player: int, pi: np.ndarray) -> tuple:
    game, automata = model.game, model.automata
    others = [q for q in range(len(automata)) if q != player and automata[q].n_memories > 1]
    rows = []
    for k in np.flatnonzero(reached(model, player, pi))[:MAX_TABLE_ROWS]:
        s = int(model.world[k])
        if not game.acts[s, player]:
            continue
        memory = (
            ", ".join(
                f"{game.players[q]} {automata[q].memory_labels[model.memories[k, q]]}"
                for q in others
            )
            or "-"
        )
        row = (game.states[s], memory, _action_words(game, s, player, pi[k]))
        if row not in rows:  # situations that differ only in the player's own memory
            rows.append(row)
    return tuple(rows)


def _action_words(game, s: int, player: int, probs: np.ndarray) -> str:
    names = game.actions[s][player]
    probs = probs[: game.n_actions[s, player]]
    if probs.max() == 1.0:
        return names[int(probs.argmax())]
    return " or ".join(f"{names[a]} {p:.0%}" for a, p in enumerate(probs) if p > 0)


def _words(model: DeviationModel, player: int, pi: np.ndarray) -> str:
    """What ``pi`` does on the situations it reaches, by world state where the player acts: one
    action there ("support in russia_isolated whatever happened before"; states with the same
    action grouped, named up to :data:`MAX_STATES_NAMED`), or the action by what the others
    remember (at most :data:`MAX_CASES` cases, else a count)."""
    game, automata = model.game, model.automata
    on = reached(model, player, pi)
    others = [q for q in range(len(automata)) if q != player and automata[q].n_memories > 1]
    simple: dict[tuple[str, str], list[str]] = {}
    mixed: list[str] = []
    for s in range(game.n_states):
        if not game.acts[s, player]:
            continue
        ks = np.flatnonzero(on & (model.world == s))
        if not len(ks):
            continue
        actions = [_action_words(game, s, player, pi[k]) for k in ks]
        state = game.states[s]
        if len(set(actions)) == 1:
            varied = len({tuple(model.memories[k, others]) for k in ks}) > 1
            tail = " whatever happened before" if varied else ""
            simple.setdefault((actions[0], tail), []).append(state)
            continue
        cases: dict[str, list[str]] = {}
        for k, a in zip(ks, actions, strict=True):
            memory = ", ".join(
                f"{game.players[q]} {automata[q].memory_labels[model.memories[k, q]]}"
                for q in others
            )
            cases.setdefault(a, []).append(memory)
        parts = [f"{a} when {' or '.join(ms[:2])}" for a, ms in list(cases.items())[:MAX_CASES]]
        clause = f"in {state}: {'; '.join(parts)}"
        if len(ks) > MAX_CASES or len(clause) > MAX_CLAUSE:
            clause = (
                f"in {state}: {' or '.join(cases)}, by what the others remember "
                f"({len(ks)} situations; the automaton lists them)"
            )
        mixed.append(clause)
    clauses = []
    for (action, tail), states in simple.items():
        if len(states) <= MAX_STATES_NAMED:
            where = " and ".join(states) if len(states) <= 2 else ", ".join(states)
        else:
            shown = ", ".join(states[:MAX_STATES_NAMED])
            where = f"{len(states)} states ({shown}, ...)"
        clauses.append(f"{action} in {where}{tail}")
    if len(mixed) > MAX_CASES:
        clauses += mixed[: MAX_CASES - 1]
        clauses.append(
            f"by what the others remember in {len(mixed) - MAX_CASES + 1} more states (the "
            "automaton lists them)"
        )
    else:
        clauses += mixed
    return "; ".join(clauses) if clauses else "no choice to make"
