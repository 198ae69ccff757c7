"""The joint process of a profile of automata as a finite Markov chain.

A chain state is (world state, every player's memory). From state ``(s, m)`` each player ``i``
intends action ``a`` with chance ``policy_i[m_i, s, a]``; execution noise replaces it by another
of its actions uniformly with chance ``eps_i``; the realised joint action ``j`` pays
``payoffs[s, j]``, every memory moves to ``update_i[m_i, s, j]`` and nature draws the next world
state from ``transition[s]``. Only chain states reachable from the start are built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..core.errors import ScenarioError

#: Largest number of reachable chain states the exact evaluator builds.
MAX_CHAIN_STATES = 250_000


def noisy_policy(policy: np.ndarray, n_actions: np.ndarray, eps: float) -> np.ndarray:
    """Chance of each realised action when the intended one (``policy``, shape (M, S, A)) is
    replaced by another of the state's ``n_actions[s]`` actions with chance ``eps``."""
    if eps == 0.0:
        return policy
    k = n_actions.astype(float)[None, :, None]
    valid = np.arange(policy.shape[2])[None, None, :] < n_actions[None, :, None]
    swapped = np.where(k > 1, eps * (1.0 - policy) / np.maximum(k - 1, 1), 0.0)
    keep = np.where(k > 1, 1.0 - eps, 1.0)
    return np.where(valid, keep * policy + swapped, 0.0)


@dataclass(frozen=True, eq=False)
class Chain:
    """A reachable Markov chain over (world state, joint memory)."""

    world: np.ndarray  # (N,) world state of each chain state
    memories: np.ndarray  # (N, n) each player's memory
    transition: sp.csr_matrix  # (N, N)
    start: np.ndarray  # (N,)
    reward: np.ndarray  # (N, n) expected payoff of a round played from each chain state
    joint: tuple[tuple[np.ndarray, np.ndarray], ...]  # per world state: (chain idx, (k, J) probs)

    @property
    def size(self) -> int:
        return len(self.world)

    def occupancy(self, weights: np.ndarray, max_joint: int) -> np.ndarray:
        """Weighted frequency of each (world state, joint action) given chain-state weights."""
        occ = np.zeros((len(self.joint), max_joint))
        for s, (idx, probs) in enumerate(self.joint):
            if idx.size:
                occ[s, : probs.shape[1]] = weights[idx] @ probs
        return occ

    def rewards_for(self, payoffs: np.ndarray) -> np.ndarray:
        """Expected round payoffs of every chain state under another payoff tensor (same
        transitions); ``payoffs`` may carry extra leading axes ``(..., S, J, n)``."""
        lead = payoffs.shape[:-3]
        out = np.zeros((*lead, self.size, payoffs.shape[-1]))
        for s, (idx, probs) in enumerate(self.joint):
            if idx.size:
                J = probs.shape[1]
                out[..., idx, :] = np.einsum("kj,...jn->...kn", probs, payoffs[..., s, :J, :])
        return out


def start_memories(game, automata) -> list[int]:
    """Every player's memory after the scenario's scripted history."""
    mem = [a.initial for a in automata]
    for s, j in game.history:
        mem = [int(a.update[m, s, j]) for a, m in zip(automata, mem, strict=True)]
    return mem


#: Largest number of (chain state, joint action) pairs handled in one vectorised step.
BATCH_ENTRIES = 2_000_000
#: Largest number of nonzero transition entries the exact evaluator stores.
MAX_TRANSITIONS = 10_000_000


def _batches(rows: np.ndarray, n_joint: int):
    size = max(1, BATCH_ENTRIES // max(n_joint, 1))
    for k in range(0, len(rows), size):
        yield rows[k : k + size]


def _check_size(n_states: int, max_states: int) -> None:
    if n_states > max_states:
        raise ScenarioError(
            f"more than {max_states} chain states are reachable for this profile (recip's "
            "limit for exact evaluation); use simulation, or strategies with fewer memories"
        )


def _check_transitions(count: int) -> None:
    if count > MAX_TRANSITIONS:
        raise ScenarioError(
            f"the chain of this profile has more than {MAX_TRANSITIONS} transitions (recip's "
            "limit for exact evaluation); use simulation, or strategies with fewer memories"
        )


def build_chain(game, automata, noise, *, max_states: int = MAX_CHAIN_STATES) -> Chain:
    """Build the reachable chain of a compiled profile.

    ``noise[i]`` is player ``i``'s execution-error rate. Raises :class:`ScenarioError` before
    allocating anything large if more than ``max_states`` chain states are reachable.
    """
    n, S = game.n_players, game.n_states
    sizes = np.array([a.n_memories for a in automata], dtype=np.int64)
    if float(np.prod(sizes.astype(float))) * S >= 2.0**62:
        raise ScenarioError(
            "the joint memory space of this profile is too large to index exactly; use "
            "simulation or strategies with fewer memories"
        )
    radix = np.ones(n, dtype=np.int64)
    for i in range(n - 2, -1, -1):
        radix[i] = radix[i + 1] * sizes[i + 1]
    span = int(np.prod(sizes))
    eff = [
        noisy_policy(a.policy, game.n_actions[:, i], float(noise[i]))
        for i, a in enumerate(automata)
    ]
    ja = game.joint_actions
    Q = game.transition

    def step(mem: np.ndarray, s: int) -> tuple[np.ndarray, np.ndarray]:
        J = int(game.n_joint[s])
        probs = np.ones((len(mem), J))
        code = np.zeros((len(mem), J), dtype=np.int64)
        for i in range(n):
            probs *= eff[i][mem[:, i], s][:, ja[s, :J, i]]
            code += automata[i].update[mem[:, i], s, :J].astype(np.int64) * radix[i]
        return probs, code

    mem0 = np.array(start_memories(game, automata), dtype=np.int64)
    code0 = int((mem0 * radix).sum())
    start_states = np.flatnonzero(game.start > 0)
    visited = np.sort(start_states * span + code0)
    frontier = visited
    transitions = 0
    while frontier.size:
        world = frontier // span
        found = []
        for s in np.unique(world):
            rows = frontier[world == s]
            for batch in _batches(rows, int(game.n_joint[s])):
                probs, code = step((batch[:, None] // radix) % sizes, int(s))
                transitions += int(np.count_nonzero(probs)) * int(np.count_nonzero(Q[s]))
                _check_transitions(transitions)
                codes = np.unique(code[probs > 0])
                for t in np.flatnonzero(Q[s] > 0):
                    found.append(t * span + codes)
                if sum(len(f) for f in found) > 4 * max_states:
                    found = [np.unique(np.concatenate(found))]
                    _check_size(visited.size + np.setdiff1d(found[0], visited).size, max_states)
        cand = np.unique(np.concatenate(found))
        new = np.setdiff1d(cand, visited, assume_unique=True)
        _check_size(visited.size + new.size, max_states)
        visited = np.union1d(visited, new)
        frontier = new
    keys = visited
    N = keys.size
    world = keys // span
    memories = (keys[:, None] // radix) % sizes
    rows, cols, vals = [], [], []
    reward = np.zeros((N, n))
    joint = []
    for s in range(S):
        idx = np.flatnonzero(world == s)
        J = int(game.n_joint[s])
        if not idx.size:
            joint.append((idx, np.zeros((0, J))))
            continue
        targets = np.flatnonzero(Q[s] > 0)
        parts = []
        for batch in _batches(idx, J):
            probs, code = step(memories[batch], s)
            parts.append(probs)
            k_idx, j_idx = np.nonzero(probs > 0)
            for t in targets:
                rows.append(batch[k_idx])
                cols.append(np.searchsorted(keys, t * span + code[k_idx, j_idx]))
                vals.append(probs[k_idx, j_idx] * Q[s, t])
        probs = np.concatenate(parts)
        joint.append((idx, probs))
        reward[idx] = probs @ game.payoffs[s, :J]
    P = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(N, N)
    )
    start = np.zeros(N)
    start[np.searchsorted(keys, start_states * span + code0)] = game.start[start_states]
    return Chain(world, memories, P, start, reward, tuple(joint))
