"""Building a profile's :class:`~recip.engine.deviation.DeviationModel`: the closure of the
situations any history can reach, explored breadth first under every joint action, and every
player's one-shot deviations on it (stage payoffs and next-situation laws), refused before
anything large is allocated."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ..core.errors import ScenarioError
from ..core.limits import MAX_CHAIN_STATES, MAX_DEVIATION_ENTRIES
from .closure import reachable
from .deviation import DeviationModel
from .kernel import Kernel, Layout, Nature, start_memories


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
    fanout = (Q > 0).sum(axis=1) if game.moves is None else (game.moves > 0).sum(axis=2).max(axis=1)
    entries = (
        int((per_state * game.n_joint * fanout).sum())
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
        if game.moves is None:
            targets = np.flatnonzero(Q[s] > 0)
            cols = index.positions(layout.with_contexts(targets, code[r_idx, j_idx]))
            out.append(
                (
                    np.tile(rows[r_idx], targets.size),
                    cols,
                    (prob[r_idx, j_idx][None, :] * Q[s, targets][:, None]).ravel(),
                )
            )
            return
        law = game.moves[s, : prob.shape[1]]  # the joint action moves nature
        targets = np.flatnonzero((law > 0).any(axis=0))
        vals = (prob[r_idx, j_idx][None, :] * law[j_idx][:, targets].T).ravel()
        keep = vals > 0
        keys = layout.with_contexts(targets, code[r_idx, j_idx])[keep]
        out.append((np.tile(rows[r_idx], targets.size)[keep], index.positions(keys), vals[keep]))

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
