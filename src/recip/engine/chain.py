"""The joint process of a profile of automata as a finite Markov chain.

A chain state is a context of nature and every player's memory (:mod:`recip.engine.kernel`):
with a Markov nature the context is the round's world state, with an i.i.d. nature it is "a
fresh draw" (plus a first-round context when the start law differs), because then the world
state carries no information about the future. From chain state ``(c, m)`` the round's world
state is ``s`` with chance ``W[c, s]``; each player ``i`` intends action ``a`` with chance
``policy_i[m_i, s, a]``, execution noise replaces it by another of its actions uniformly with
chance ``eps_i``; the realised joint action ``j`` pays ``payoffs[s, j]``, every memory moves to
``update_i[m_i, s, j]`` and nature moves to context ``c'`` with chance ``N[s, c']`` (``N[s, j,
c']`` when the actions move nature: a stochastic game, always with a Markov nature). So

    P[(c, m), (c', m')] = sum_s W[c, s] sum_j p(j | m, s) [update(m, s, j) = m'] N[s, (j,) c'],
    r(c, m) = sum_s W[c, s] sum_j p(j | m, s) payoffs[s, j].

Only chain states reachable from the start are built (:func:`recip.engine.closure.reachable`).
Values, curves and the occupancy of every (world state, joint action) are the same as on the
chain over (world state, joint memory): the averaged chain only sums over the world state
earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from ..core.errors import ScenarioError
from ..core.limits import MAX_CHAIN_STATES, MAX_CHAIN_WORK, MAX_TRANSITIONS
from .closure import batches, pair_batches, pairs, reachable
from .kernel import Kernel, Layout, Nature, noisy_policy, start_memories

__all__ = [
    "MAX_CHAIN_STATES",
    "MAX_TRANSITIONS",
    "Chain",
    "build_chain",
    "noisy_policy",
    "start_memories",
]

#: Transition entries collected before they are summed into the sparse matrix.
FLUSH_ENTRIES = 4_000_000
#: Averaged chains up to this many (state, state) entries sum their transitions in a dense
#: array (8 bytes each) before it is made sparse.
DENSE_ACCUMULATE = 1 << 22


@dataclass(frozen=True, eq=False)
class Chain:
    """A reachable Markov chain over (context of nature, joint memory).

    ``joint[s] = (idx, probs)``: the chain states that draw world state ``s`` and, for each, the
    chance of playing each joint action there (shape (k, J)); stored for a Markov nature. For an
    averaged (i.i.d.) nature, where every chain state draws every world state, ``pairs()``
    recomputes the same chances in batches instead of storing them.
    """

    contexts: np.ndarray  # (N,) context of each chain state
    memories: np.ndarray  # (N, n) each player's memory
    transition: sp.csr_matrix  # (N, N)
    start: np.ndarray  # (N,)
    reward: np.ndarray  # (N, n) expected payoff of a round played from each chain state
    joint: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    averaged: bool = False
    #: averaged chains: yields (rows, world states, chance of drawing the state and playing
    #: each joint action, shape (k, max_joint)) in batches
    pairs: Callable[[], Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]] | None = None
    n_world: int = 0  # world states of the game
    #: a chance of some transition underflowed to 0 (see :attr:`Kernel.underflow`)
    underflow: bool = False

    @property
    def size(self) -> int:
        return len(self.contexts)

    def occupancy(self, weights: np.ndarray, max_joint: int) -> np.ndarray:
        """Weighted frequency of each (world state, joint action) given chain-state weights."""
        if self.pairs is not None:
            occ = np.zeros((self.n_world, max_joint))
            for rows, states, probs in self.pairs():
                np.add.at(occ, states, weights[rows][:, None] * probs)
            return occ
        occ = np.zeros((len(self.joint), max_joint))
        for s, (idx, probs) in enumerate(self.joint):
            if idx.size:
                occ[s, : probs.shape[1]] = weights[idx] @ probs
        return occ

    def occupancies(self, weights: np.ndarray, max_joint: int) -> np.ndarray:
        """:meth:`occupancy` for each row of ``weights`` (shape ``(K, size)`` -> ``(K, S,
        max_joint)``)."""
        K = weights.shape[0]
        if self.pairs is not None:
            occ = np.zeros((K, self.n_world, max_joint))
            for rows, states, probs in self.pairs():
                np.add.at(occ, (slice(None), states), weights[:, rows, None] * probs[None])
            return occ
        occ = np.zeros((K, len(self.joint), max_joint))
        for s, (idx, probs) in enumerate(self.joint):
            if idx.size:
                occ[:, s, : probs.shape[1]] = weights[:, idx] @ probs
        return occ

    def rewards_for(self, payoffs: np.ndarray) -> np.ndarray:
        """Expected round payoffs of every chain state under another payoff tensor (same
        transitions); ``payoffs`` may carry extra leading axes ``(..., S, J, n)``."""
        lead = payoffs.shape[:-3]
        out = np.zeros((*lead, self.size, payoffs.shape[-1]))
        if self.pairs is not None:
            flat = out.reshape(-1, self.size, payoffs.shape[-1])
            tensors = payoffs.reshape(-1, *payoffs.shape[-3:])
            for rows, states, probs in self.pairs():
                part = np.einsum("kj,lkjn->lkn", probs, tensors[:, states, : probs.shape[1]])
                np.add.at(flat, (slice(None), rows), part)
            return out
        for s, (idx, probs) in enumerate(self.joint):
            if idx.size:
                J = probs.shape[1]
                out[..., idx, :] = np.einsum("kj,...jn->...kn", probs, payoffs[..., s, :J, :])
        return out


def _refuse_states(max_states: int) -> None:
    raise ScenarioError(
        f"more than {max_states} chain states are reachable for this profile (recip's "
        "limit for exact evaluation); use simulation, or strategies with fewer memories"
    )


def _refuse_transitions() -> None:
    raise ScenarioError(
        f"the chain of this profile has more than {MAX_TRANSITIONS} transitions (recip's "
        "limit for exact evaluation); use simulation, or strategies with fewer memories"
    )


def _work_check(averaged: bool):
    def check(work: int) -> None:
        if not averaged and work > MAX_TRANSITIONS:
            _refuse_transitions()
        if work > MAX_CHAIN_WORK:
            raise ScenarioError(
                f"building the chain of this profile examines more than {MAX_CHAIN_WORK} "
                "(chain state, world state, joint action) triples (recip's limit for exact "
                "evaluation); use simulation, fewer world states, or strategies with fewer "
                "memories"
            )

    return check


class _Assembler:
    """Transition triplets, summed into a sparse matrix every :data:`FLUSH_ENTRIES` entries
    (always between rows: a row's duplicates are summed in the order they were given)."""

    def __init__(self, N: int) -> None:
        self.N = N
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.pending = 0
        self.total: sp.csr_matrix | None = None

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
        # 32-bit indices: SciPy's conversion to CSR checks and copies 64-bit ones (5x slower)
        self.parts.append((rows.astype(np.int32), cols.astype(np.int32), vals))
        self.pending += rows.size

    def flush(self) -> None:
        if not self.parts:
            return
        r, c, v = (np.concatenate(x) for x in zip(*self.parts, strict=True))
        part = sp.csr_matrix((v, (r, c)), shape=(self.N, self.N))
        self.total = part if self.total is None else self.total + part
        self.parts, self.pending = [], 0
        if self.total.nnz > MAX_TRANSITIONS:
            _refuse_transitions()

    def matrix(self) -> sp.csr_matrix:
        self.flush()
        return self.total if self.total is not None else sp.csr_matrix((self.N, self.N))


def build_chain(
    game, automata, noise, *, max_states: int = MAX_CHAIN_STATES, average: bool = True
) -> Chain:
    """Build the reachable chain of a compiled profile.

    ``noise[i]`` is player ``i``'s execution-error rate. With ``average`` (the default) an
    i.i.d. nature is summed over (see the module docstring); ``average=False`` builds the chain
    over (world state, joint memory). Raises :class:`ScenarioError` as soon as more than
    ``max_states`` chain states are found, or the chain would store more than
    :data:`MAX_TRANSITIONS` transitions.
    """
    nature = Nature.averaged_if_iid(game) if average else Nature.markov(game)
    layout = Layout(nature.n_contexts, [a.n_memories for a in automata])
    kernel = Kernel(game, automata, noise, layout)
    start_contexts = np.flatnonzero(nature.start > 0)
    start_keys = layout.keys(layout.start_words(start_contexts, start_memories(game, automata)))
    index = reachable(
        kernel,
        nature,
        start_keys,
        every_action=False,
        max_states=max_states,
        refuse=lambda: _refuse_states(max_states),
        check_work=_work_check(nature.averaged),
    )
    contexts, memories = layout.digits(index.keys)
    if nature.averaged:
        _check_pairs(nature, contexts, game)
    build = _averaged if nature.averaged else _markov
    chain = build(game, kernel, nature, index, contexts, memories)
    chain.start[index.positions(start_keys)] = nature.start[start_contexts]
    return replace(chain, underflow=kernel.underflow)


def _markov(game, kernel, nature, index, contexts, memories) -> Chain:
    """The chain's arrays when every context is one world state (rows of a world state built
    together, so that every product is taken in one fixed order)."""
    N = index.size
    layout = kernel.layout
    assembler = _Assembler(N)
    reward = np.zeros((N, game.n_players))
    joint = []
    # keys are ordered context first, so each world state's chain states are one run
    bounds = np.searchsorted(contexts, np.arange(game.n_states + 1))
    for s in range(game.n_states):
        J = int(game.n_joint[s])
        idx = np.arange(bounds[s], bounds[s + 1])
        if not idx.size:
            joint.append((idx, np.zeros((0, J))))
            continue
        law = nature.next_law(s, J)  # (J, C)
        targets = np.flatnonzero((law > 0).any(axis=0))
        parts = []
        for batch in batches(idx, J):
            probs = kernel.chances(kernel.factors(memories[batch], s))
            parts.append(probs)
            k_idx, j_idx = np.nonzero(probs > 0)
            nxt = kernel.next_codes(memories[batch], s)[k_idx, j_idx]
            if assembler.pending + k_idx.size * targets.size > FLUSH_ENTRIES:
                assembler.flush()
            rows = np.tile(batch[k_idx], targets.size)
            keys = layout.with_contexts(targets, nxt)
            if nature.moves is None:
                vals = (probs[k_idx, j_idx][None, :] * law[0, targets][:, None]).ravel()
            else:  # the joint action moves nature: keep the moves it makes possible
                vals = (probs[k_idx, j_idx][None, :] * law[j_idx][:, targets].T).ravel()
                keep = vals > 0
                rows, keys, vals = rows[keep], keys[keep], vals[keep]
            assembler.add(rows, index.positions(keys), vals)
        probs = np.concatenate(parts)
        joint.append((idx, probs))
        reward[idx] = probs @ game.payoffs[s, :J]
    return Chain(
        contexts,
        memories,
        assembler.matrix(),
        np.zeros(N),
        reward,
        tuple(joint),
        n_world=game.n_states,
    )


def _check_pairs(nature, contexts, game) -> None:
    """Refuse an averaged chain whose (chain state, world state, joint action) triples would
    exceed :data:`MAX_CHAIN_WORK`, from the number of chain states given (before any work)."""
    rows, _ = pairs(nature, contexts)
    _work_check(True)(rows.size * int(game.max_joint))


class _AveragedChances:
    """Calling it yields, in batches, (chain states, world states, chance of drawing the state
    and playing each joint action) for every pair of a chain state and a world state its context
    can draw (a class rather than a closure, so that a chain pickles)."""

    def __init__(self, kernel, nature, contexts, memories) -> None:
        self.kernel, self.memories = kernel, memories
        self.rows, self.states = pairs(nature, contexts)
        self.weight = nature.weights[contexts[self.rows], self.states]

    def __call__(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        for part in pair_batches(self.rows.size, self.kernel.game.max_joint):
            r, s = self.rows[part], self.states[part]
            yield r, s, self.kernel.pair_chances(self.memories[r], s) * self.weight[part][:, None]


def _averaged(game, kernel, nature, index, contexts, memories) -> Chain:
    """The chain's arrays when an i.i.d. nature is summed over: every chain state draws every
    world state ``s`` (chance ``W[c, s]``) and moves to the i.i.d. context."""
    N, n = index.size, game.n_players
    layout = kernel.layout
    chances = _AveragedChances(kernel, nature, contexts, memories)
    to_iid = np.array([nature.n_contexts - 1])
    reward = np.zeros((N, n))
    dense = np.zeros(N * N) if N * N <= DENSE_ACCUMULATE else None
    assembler = _Assembler(N)
    for r, s, probs in chances():
        paid = np.einsum("kj,kjn->kn", probs, game.payoffs[s])
        for i in range(n):
            reward[:, i] += np.bincount(r, paid[:, i], minlength=N)
        k_idx, j_idx = np.nonzero(probs > 0)
        nxt = kernel.pair_codes(memories[r], s)[k_idx, j_idx]
        cols = index.positions(layout.with_contexts(to_iid, nxt))
        if dense is not None:  # sum the many duplicate entries by counting: linear time
            dense += np.bincount(r[k_idx] * N + cols, probs[k_idx, j_idx], minlength=N * N)
        else:
            if assembler.pending + k_idx.size > FLUSH_ENTRIES:
                assembler.flush()
            assembler.add(r[k_idx], cols, probs[k_idx, j_idx])
    P = sp.csr_matrix(dense.reshape(N, N)) if dense is not None else assembler.matrix()
    if P.nnz > MAX_TRANSITIONS:
        _refuse_transitions()
    return Chain(
        contexts,
        memories,
        P,
        np.zeros(N),
        reward,
        averaged=True,
        pairs=chances,
        n_world=game.n_states,
    )
