"""The one-shot deviations of a profile of automata, on every situation any history can reach.

A subgame of the repeated game starts after any history and any draw of the world state. Every
player's continuation strategy depends on that history only through its automaton's memory, so a
subgame is a *situation* ``(s, m)``: a world state and a joint memory. The situations that some
history can produce are the closure of the start situations under *every* joint action (not just
the ones the profile plays with positive probability) and every move of nature.

On that closure this module builds, once (none of it depends on the discount factor ``delta``):
the profile's chain (``P``, round rewards ``r``) and, for every player ``i`` and every action
``a`` it could *intend* in situation ``k`` (execution noise still applies), the expected stage
payoff ``rho_i(k, a)`` and the law ``T_i(k, a, .)`` of the next situation. Then, per round,

    V = (1 - delta) (I - delta P)^-1 r,
    Q_i(k, a) = (1 - delta) rho_i(k, a) + delta sum_k' T_i(k, a, k') V_i(k'),

and a player's optimal value against the others' automata (a finite Markov decision problem on
the same closure) by policy iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ..core.errors import AnalysisError, ScenarioError
from ..core.limits import MAX_CHAIN_STATES, MAX_DEVIATION_ENTRIES
from .closure import reachable
from .kernel import Kernel, Layout, Nature, start_memories
from .linalg import DENSE_LIMIT, Resolvent, solve_linear

#: Largest number of entries of the dense deviation transitions kept for policy iteration.
DENSE_MOVES_LIMIT = 4_000_000


@dataclass(frozen=True, eq=False)
class DeviationModel:
    """Everything about a compiled profile's one-shot deviations that does not depend on the
    discount factor: the closure of situations, the profile's chain on it, and for every player
    and every action it could intend, the expected stage payoff and the law of the next situation.

    Arrays: ``world[k]``, ``memories[k, i]`` (situation ``k``); ``reward[k, i]``; ``stage[i, k,
    a]`` (``rho``); ``policy[i, k, a]`` (intended-action chances); ``valid[i, k, a]`` (``a`` is one
    of ``i``'s actions in ``world[k]``); ``moves[i]`` is the sparse ``(N * A, N)`` matrix ``T_i``
    with row ``k * A + a``; ``on_path[k]``: reachable with positive chance under the profile.
    """

    game: Any
    automata: tuple[Any, ...]
    noise: tuple[float, ...]
    world: np.ndarray
    memories: np.ndarray
    start: np.ndarray
    transition: sp.csr_matrix
    reward: np.ndarray
    stage: np.ndarray
    policy: np.ndarray
    valid: np.ndarray
    moves: tuple[sp.csr_matrix, ...]
    on_path: np.ndarray

    @property
    def size(self) -> int:
        return len(self.world)

    @property
    def width(self) -> int:
        return self.stage.shape[2]

    @cached_property
    def deviations(self) -> np.ndarray:
        """``deviations[i, k, a]``: intending ``a`` in situation ``k`` counts as a deviation of
        ``i``: ``a`` is a valid action outside the profile's support or, where the profile mixes,
        any valid action (a mixture must make its whole support optimal)."""
        support = self.policy > 0
        mixes = support.sum(axis=2) >= 2
        chooses = self.valid.sum(axis=2) >= 2
        return self.valid & chooses[:, :, None] & (~support | mixes[:, :, None])

    @cached_property
    def _dense_moves(self) -> list[np.ndarray] | None:
        """``T_i`` as dense ``(N, A, N)`` arrays when small (policy iteration then avoids
        sparse-matrix overhead), else ``None``."""
        N, A = self.size, self.width
        if N > DENSE_LIMIT or N * A * N * len(self.moves) > DENSE_MOVES_LIMIT:
            return None
        return [T.toarray().reshape(N, A, N) for T in self.moves]

    def values(self, discount: float, solver: Resolvent | None = None) -> np.ndarray:
        """``V[k, i] = (1 - delta) (I - delta P)^-1 r``: per-round value of every situation."""
        solver = solver or Resolvent(self.transition)
        return solver(discount, (1.0 - discount) * self.reward)

    def action_values(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``Q[i, k, a]``: value of intending ``a`` once, then following the profile
        (``-inf`` where ``a`` is not an action)."""
        N, A = self.size, self.width
        out = np.empty((len(self.automata), N, A))
        for i, T in enumerate(self.moves):
            cont = (T @ values[:, i]).reshape(N, A)
            out[i] = (1.0 - discount) * self.stage[i] + discount * cont
        return np.where(self.valid, out, -np.inf)

    def gains(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``Q[i, k, a] - V[k, i]`` on deviations, ``-inf`` elsewhere."""
        q = self.action_values(discount, values) - values.T[:, :, None]
        return np.where(self.deviations, q, -np.inf)

    def largest_gain(self, discount: float, solver: Resolvent | None = None) -> float:
        """The largest one-shot gain over every situation, player and deviation (``-inf`` when
        nobody ever has a choice). The profile is subgame perfect iff it is ``<= 0``."""
        return float(self.gains(discount, self.values(discount, solver)).max(initial=-np.inf))

    def best_response_values(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``W[k, i]``: player ``i``'s optimal value against the others' automata, by policy
        iteration (exact in finitely many steps), started from the greedy improvement of the
        profile."""
        N, A = self.size, self.width
        rows = np.arange(N)
        out = np.empty((N, len(self.automata)))
        scale = 1.0 + float(np.abs(self.stage).max(initial=0.0))
        dense = self._dense_moves
        for i, T in enumerate(self.moves):
            W = values[:, i]
            choice = None
            for _ in range(10 * N + 10):
                q = (1.0 - discount) * self.stage[i] + discount * (T @ W).reshape(N, A)
                q = np.where(self.valid[i], q, -np.inf)
                best = q.argmax(axis=1)
                if choice is not None:
                    keep = q[rows, choice] >= q[rows, best] - 1e-13 * scale
                    best = np.where(keep, choice, best)
                    if np.array_equal(best, choice):
                        break
                choice = best
                rhs = (1.0 - discount) * self.stage[i][rows, choice]
                if dense is not None:
                    system = np.eye(N) - discount * dense[i][rows, choice]
                    W = np.linalg.solve(system, rhs)
                else:
                    system = sp.identity(N, format="csr") - discount * T[rows * A + choice]
                    W = solve_linear(system, rhs)
            else:  # pragma: no cover - policy iteration terminates on finite problems
                raise AnalysisError("policy iteration did not converge")
            out[:, i] = np.maximum(W, values[:, i])
        return out


def _refuse_situations(max_states: int) -> None:
    raise ScenarioError(
        f"more than {max_states} situations (world state, joint memory) can be reached "
        "by some sequence of actions (recip's limit for the subgame-perfection check); "
        "use strategies with fewer memories"
    )


def _reached_from(P: sp.csr_matrix, start: np.ndarray) -> np.ndarray:
    """Which states of the chain ``P`` can be reached from those where ``start > 0``: one
    breadth-first search from an extra node that leads to every start state."""
    N = P.shape[0]
    sources = np.flatnonzero(start > 0)
    hub = sp.csr_matrix(
        (np.ones(sources.size), (np.full(sources.size, N), sources)), (N + 1, N + 1)
    )
    graph = sp.bmat([[P, None], [None, sp.csr_matrix((1, 1))]], format="csr") + hub
    out = np.zeros(N + 1, dtype=bool)
    out[breadth_first_order(graph, N, directed=True, return_predecessors=False)] = True
    return out[:N]


def deviation_model(game, automata, noise, *, max_states: int = MAX_CHAIN_STATES) -> DeviationModel:
    """Build the :class:`DeviationModel` of compiled ``automata`` (one per player) in ``game``
    with execution-noise rates ``noise``.

    The closure is explored breadth first from the start situations (after any scripted
    history) under every joint action (:func:`recip.engine.closure.reachable`);
    :class:`ScenarioError` is raised, before anything large is allocated, when it would exceed
    ``max_states`` situations or :data:`MAX_DEVIATION_ENTRIES` stored transitions.
    """
    n, S = game.n_players, game.n_states
    nature = Nature.markov(game)  # decisions are per world state: situations keep it
    layout = Layout(S, [a.n_memories for a in automata])
    kernel = Kernel(game, automata, noise, layout)
    Q = game.transition
    start_states = np.flatnonzero(game.start > 0)
    start_keys = layout.keys(layout.start_words(start_states, start_memories(game, automata)))
    index = reachable(
        kernel,
        nature,
        start_keys,
        every_action=True,
        max_states=max_states,
        refuse=lambda: _refuse_situations(max_states),
    )
    N = index.size
    world, memories = layout.digits(index.keys)
    A = game.max_actions
    per_state = np.bincount(world, minlength=S)
    entries = (
        int((per_state * game.n_joint * (Q > 0).sum(axis=1)).sum())
        * int(game.n_actions.max(initial=1))
        * (n + 1)
    )
    if entries > MAX_DEVIATION_ENTRIES:
        raise ScenarioError(
            f"checking every one-shot deviation needs about {entries} transitions (recip's "
            f"limit is {MAX_DEVIATION_ENTRIES}); use strategies with fewer memories"
        )
    reward = np.zeros((N, n))
    stage = np.zeros((n, N, A))
    policy = np.zeros((n, N, A))
    valid = np.zeros((n, N, A), dtype=bool)
    chain_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    move_parts: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in range(n)]

    def scatter(rows, prob, code, s, out):
        """Rows ``rows`` (one per situation x option), next-situation chances ``prob`` over the
        joint actions with next memory words ``code``: append (row, col, value) triplets."""
        r_idx, j_idx = np.nonzero(prob > 0)
        targets = np.flatnonzero(Q[s] > 0)
        cols = index.positions(layout.with_contexts(targets, code[r_idx, j_idx]))
        out.append(
            (
                np.tile(rows[r_idx], targets.size),
                cols,
                (prob[r_idx, j_idx][None, :] * Q[s, targets][:, None]).ravel(),
            )
        )

    bounds = np.searchsorted(world, np.arange(S + 1))  # keys are ordered world state first
    for s in range(S):
        idx = np.arange(bounds[s], bounds[s + 1])
        if not idx.size:
            continue
        J = int(game.n_joint[s])
        ja = game.joint_actions[s, :J]
        mem = memories[idx]
        code = kernel.next_codes(mem, s)
        part = kernel.factors(mem, s)  # (k, J) each
        prob = kernel.chances(part)
        reward[idx] = prob @ game.payoffs[s, :J]
        scatter(idx, prob, code, s, chain_parts)
        for i in range(n):
            k_i = int(game.n_actions[s, i])
            others = np.ones_like(prob)
            for q in range(n):
                if q != i:
                    others = others * part[q]
            eps = float(noise[i]) if k_i > 1 else 0.0
            own = np.full((k_i, k_i), eps / max(k_i - 1, 1))
            np.fill_diagonal(own, 1.0 - eps)
            p_a = others[:, None, :] * own[:, ja[:, i]][None, :, :]  # (k, a, J)
            stage[i, idx, :k_i] = p_a @ game.payoffs[s, :J, i]
            policy[i, idx, :k_i] = automata[i].policy[mem[:, i], s, :k_i]
            valid[i, idx, :k_i] = True
            rows = (idx[:, None] * A + np.arange(k_i)[None, :]).reshape(-1)
            scatter(rows, p_a.reshape(-1, J), np.repeat(code, k_i, axis=0), s, move_parts[i])

    def assemble(parts, shape):
        if not parts:
            return sp.csr_matrix(shape)
        r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
        return sp.csr_matrix((v, (r, c)), shape=shape)

    P = assemble(chain_parts, (N, N))
    moves = tuple(assemble(parts, (N * A, N)) for parts in move_parts)
    start = np.zeros(N)
    start[index.positions(start_keys)] = game.start[start_states]
    return DeviationModel(
        game,
        tuple(automata),
        tuple(float(x) for x in noise),
        world,
        memories,
        start,
        P,
        reward,
        stage,
        policy,
        valid,
        moves,
        _reached_from(P, start),
    )
