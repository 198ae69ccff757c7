"""Observation noise: what each player perceives of the others' actions, and the memory that
follows, as tables the exact chain reads (:class:`Perception`).

With chance ``eps_i`` player ``i`` misreads each other player ``k``'s action, independently for
each ``k``: it perceives another of ``k``'s ``n_k`` actions in that world state, uniformly (each
with chance ``eps_i / (n_k - 1)``). Its own action it perceives correctly, and a player with one
action (or who passes) cannot be misread. Player ``i``'s memory then moves to
``update_i[m_i, s, j']`` for the joint action ``j'`` *it* perceived; payoffs, nature and the other
players' memories depend on the true joint action ``j`` only. So player ``i``'s next memory is a
distribution:

    D_i[m_i, s, j, m'] = sum_j' Pi_i(j' | s, j) [update_i[m_i, s, j'] = m'],
    Pi_i(j' | s, j) = prod_{k != i} K_ik(j'_k | j_k),  K = (1 - eps_i) on the diagonal,
                                                        eps_i / (n_k - 1) off it.

For each (memory, world state) the row ``update_i[m_i, s, :]`` takes a few distinct values, the
*branches* of that row (at most ``B_i``). ``D_i`` is computed over them: the indicator of each
branch, as a tensor over the players' action axes, is smoothed by ``K_ik`` along each
other player's axis (the kernel is symmetric, so smoothing the indicator of ``j'`` gives the
chance of perceiving it from ``j``). A branch of chance 0 is no branch. Players perceive
independently, so the joint next memory's law is the product over players; the chain expands
each (chain state, joint action) entry into one entry per combination of positive branches
(:meth:`Perception.spread`).

A player whose rows all have one distinct next memory (it remembers nothing of the others, or
the misread actions lead where the true ones do) never branches and gets no table; when no
player branches, :func:`perception` returns ``None`` and the chain is built exactly as without
observation noise.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import MAX_TABLE_ENTRIES

#: Most expanded (entry, branch combination) pairs handled in one vectorised step.
SPREAD_ENTRIES = 2_000_000


class _Branches:
    """One player's branches by flat row ``(m * S + s) * J + j``: ``count[row]`` branches of
    positive chance, stored one after another from ``start[row]`` in ``memory`` (the next
    memory) and ``chance``; ``true[row]`` the memory the true joint action leads to.

    A row with one branch of positive chance is a certain move: its chance is exactly 1 (the
    kernel's sums are 1 only to rounding), and ``shift[row]`` is how far it moves the memory from
    the true one (0 unless every perception is a misreading, eps = 1).
    """

    def __init__(self, player: int, memory: np.ndarray, chance: np.ndarray, true) -> None:
        self.player = player
        positive = chance > 0
        self.count = positive.sum(axis=1)
        self.start = np.cumsum(self.count) - self.count
        rows, cols = np.nonzero(positive)  # row by row, in order
        self.memory = memory[rows, cols].astype(np.int64)
        self.chance = chance[rows, cols]
        certain = self.count == 1
        self.chance[self.start[certain]] = 1.0
        self.true = true
        self.shift = np.where(certain, self.memory[np.minimum(self.start, rows.size - 1)] - true, 0)


def _labels(update: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For rows ``update`` (shape (M, J)) of memories below ``n``: each entry's branch (the rank
    of its value among its row's distinct values), the memory of each branch (shape (M, B),
    padded with the row's last) and the number of distinct values of each row."""
    M = update.shape[0]
    offset = np.arange(M, dtype=np.int64)[:, None] * n
    uniq, inverse = np.unique(update.astype(np.int64) + offset, return_inverse=True)
    first = np.searchsorted(uniq, offset[:, 0])
    count = np.diff(np.append(first, uniq.size))
    label = inverse.reshape(update.shape) - first[:, None]
    B = int(count.max(initial=1))
    slot = np.minimum(first[:, None] + np.arange(B)[None, :], (first + count - 1)[:, None])
    return label, uniq[slot] - offset, count


def _smooth(onehot: np.ndarray, shape: list[int], observer: int, eps: float) -> np.ndarray:
    """``onehot`` (shape (M, J, B)) smoothed along each other player's action axis (``shape``
    the players' action counts, row-major as joint actions are numbered) by the misreading
    kernel: keep with chance ``1 - eps``, each other action with ``eps / (n - 1)``."""
    M, _, B = onehot.shape
    x = onehot.reshape(M, *shape, B)
    for k, n in enumerate(shape):
        if k == observer or n < 2:
            continue
        total = x.sum(axis=1 + k, keepdims=True)
        # total - x >= 0 exactly: a float sum of non-negative terms is at least each of them
        x = (1.0 - eps) * x + (eps / (n - 1)) * (total - x)
    return x.reshape(M, -1, B)


def _player_branches(game, automaton, i: int, eps: float) -> _Branches | None:
    """Player ``i``'s branches (``None`` when no row has two of positive chance)."""
    S, J = game.n_states, game.max_joint
    M = automaton.n_memories
    update = automaton.update
    per_state = []
    for s in range(S):
        Js = int(game.n_joint[s])
        label, memory, count = _labels(update[:, s, :Js], M)
        per_state.append((label, memory, int(count.max(initial=1))))
    B = max(b for _, _, b in per_state)
    if B == 1:
        return None
    entries = M * S * J * B
    if entries > MAX_TABLE_ENTRIES:
        raise ScenarioError(
            f"with observation noise, {game.players[i]}'s next memory after each (memory, world "
            f"state, joint action) is a law over up to {B} memories: {entries} table entries, "
            f"more than recip's limit of {MAX_TABLE_ENTRIES} for exact evaluation; use "
            "simulation, or strategies with fewer memories",
            key="noise.observation",
        )
    memory = np.zeros((M, S, J, B), dtype=np.int32)  # memories < MAX_MEMORIES
    chance = np.zeros((M, S, J, B))
    for s, (label, mem, Bs) in enumerate(per_state):
        Js = int(game.n_joint[s])
        onehot = np.zeros((M, Js, Bs))
        np.put_along_axis(onehot, label[:, :, None], 1.0, axis=2)
        shape = [int(x) for x in game.n_actions[s]]
        chance[:, s, :Js, :Bs] = _smooth(onehot, shape, i, eps)
        memory[:, s, :Js, :Bs] = mem[:, None, :]
        memory[:, s, :Js, Bs:] = mem[:, None, :1]
        # padding slots beyond the state's joint actions: the true update, with certainty
        memory[:, s, Js:, 0] = update[:, s, Js:]
        chance[:, s, Js:, 0] = 1.0
    return _Branches(
        i,
        memory.reshape(-1, B),
        chance.reshape(-1, B),
        update.reshape(-1).astype(np.int64),
    )


class Perception:
    """The branching players' tables (see the module docstring) and the expansion of chain
    entries into one entry per combination of perceived next memories."""

    def __init__(self, game, branches: list[_Branches]) -> None:
        self.game = game
        self.branches = branches
        #: whether some product of positive chances rounded to 0 (see ``Kernel.underflow``)
        self.underflow = False

    def _rows(self, b: _Branches, mem: np.ndarray, states: np.ndarray, joint: np.ndarray):
        return (mem[:, b.player] * self.game.n_states + states) * self.game.max_joint + joint

    def multiplicity(self, mem: np.ndarray, states: np.ndarray, joint: np.ndarray) -> np.ndarray:
        """How many entries each (joint memory ``mem[e]``, world state ``states[e]``, true joint
        action ``joint[e]``) becomes: the product over players of their positive branches (a
        float: it is only counted, before anything that large is allocated)."""
        out = np.ones(len(joint))
        for b in self.branches:
            out *= b.count[self._rows(b, mem, states, joint)]
        return out

    def spread(
        self,
        mem: np.ndarray,
        states: np.ndarray,
        joint: np.ndarray,
        codes: np.ndarray,
        chances: np.ndarray,
        layout,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Expand entries ``e`` (joint memory ``mem[e]``, world state ``states[e]``, true joint
        action ``joint[e]``, the code of the joint memory it truly leads to ``codes[e]`` (memory
        words of ``layout``, shape (E, W)) and its chance ``chances[e]``) into one entry per
        combination of positive branches: yields ``(origin, codes, chances)`` in slices of at
        most :data:`SPREAD_ENTRIES`, ``origin`` the entry each came from."""
        rows = [self._rows(b, mem, states, joint) for b in self.branches]
        size = np.ones(len(joint))
        for b, r in zip(self.branches, rows, strict=True):
            size *= b.count[r]
        ends = np.cumsum(size)
        start = 0
        while start < len(joint):
            # at least one entry per slice; then as many as fit SPREAD_ENTRIES
            base = ends[start - 1] if start else 0.0
            stop = max(start + 1, int(np.searchsorted(ends, base + SPREAD_ENTRIES, "right")))
            yield self._expand(np.arange(start, stop), rows, codes, chances, layout)
            start = stop

    def _expand(self, origin, rows, codes, chances, layout):
        code = codes[origin]
        chance = chances[origin]
        for b, r in zip(self.branches, rows, strict=True):
            at = r[origin]
            word, place = int(layout.word[b.player + 1]), int(layout.place[b.player + 1])
            count = b.count[at]
            certain = count == 1
            if certain.all():  # most entries of most chains: a move, no branch
                code[:, word] += b.shift[at] * place
                continue
            keep, many = np.flatnonzero(certain), np.flatnonzero(~certain)
            count = count[many]
            # entry many[q] becomes count[q] entries, reading its row's branches in order
            src = np.repeat(many, count)
            first = np.cumsum(count) - count
            where = np.arange(src.size) + np.repeat(b.start[at[many]] - first, count)
            spread = code[src]
            spread[:, word] += (b.memory[where] - np.repeat(b.true[at[many]], count)) * place
            product = chance[src] * b.chance[where]
            if not self.underflow and not product.all():
                self.underflow = bool(np.any((product == 0) & (chance[src] > 0)))
            kept = code[keep]
            kept[:, word] += b.shift[at[keep]] * place
            code = np.concatenate([kept, spread])
            chance = np.concatenate([chance[keep], product])
            origin = np.concatenate([origin[keep], origin[src]])
        return origin, code, chance


def perception(game, automata, rates) -> Perception | None:
    """The :class:`Perception` of compiled ``automata`` in ``game`` with observation-error rates
    ``rates`` (one per player), or ``None`` when no player's next memory can branch."""
    if rates is None:
        return None
    branches = [
        b
        for i, (a, eps) in enumerate(zip(automata, rates, strict=True))
        if float(eps) > 0 and (b := _player_branches(game, a, i, float(eps))) is not None
    ]
    return Perception(game, branches) if branches else None


class Misreading:
    """Observation noise in a simulation: each observer's perceived joint action, drawn per
    replicate (the same law as :class:`Perception`'s). ``observers`` are the players with a
    positive rate; ``watched`` the players that have two actions or more somewhere (only they
    can be misread), in player order: an observer draws one uniform number per round for each
    watched player other than itself, whatever the world state, so that its stream stays aligned
    across profiles and states."""

    def __init__(self, game, rates) -> None:
        self.rates = [float(x) for x in rates]
        self.observers = [i for i, x in enumerate(self.rates) if x > 0]
        self.watched = [k for k in range(game.n_players) if (game.n_actions[:, k] > 1).any()]
        self.n_actions = game.n_actions
        self.strides = game.strides

    def keys(self, joint, actions, states, offset, uniform) -> dict[int, np.ndarray]:
        """Every observer's perceived joint actions (:meth:`perceived`) plus ``offset`` (the
        world state's ``s * J``, or None); ``uniform(i)`` draws observer ``i``'s numbers."""
        out = {}
        for i in self.observers:
            seen = self.perceived(i, joint, actions, states, lambda i=i: uniform(i))
            out[i] = seen if offset is None else seen + offset
        return out

    def perceived(self, i: int, joint, actions, states, uniform) -> np.ndarray:
        """Observer ``i``'s perceived joint actions, given the true ones ``joint``, every
        player's true action ``actions[k]`` and the world states ``states`` (arrays over
        replicates); ``uniform()`` returns a fresh array of uniform draws. With chance ``eps``
        the action of each watched player ``k`` (with ``n > 1`` actions in that state) is read
        as ``(a + shift) % n``, ``shift`` uniform in ``1 .. n - 1`` (taken from the same draw:
        below ``eps``, ``draw / eps`` is uniform)."""
        eps = self.rates[i]
        out = joint.copy()
        for k in self.watched:
            if k == i:
                continue
            draw = uniform()
            hit = np.flatnonzero(draw < eps)  # only these replicates misread k
            n = self.n_actions[states[hit], k]
            hit, n = hit[n > 1], n[n > 1]
            if not hit.size:
                continue
            shift = np.minimum(1 + np.floor(draw[hit] / eps * (n - 1)).astype(np.int64), n - 1)
            a = actions[k, hit]
            out[hit] += ((a + shift) % n - a) * self.strides[states[hit], k]
        return out
