"""The reachable-state search: the one closure of chain states under rounds of play.

From the start states, breadth first, every chain state ``(c, m)`` is expanded by one round of
:class:`~recip.engine.kernel.Kernel`: for each world state ``s`` its context can draw, each joint
action ``j`` leads to the joint memory ``m'`` and each context ``c'`` nature can move to. Which
joint actions count is the one parameter:

* ``every_action=False``: those with positive chance under the profile (the exact chain);
* ``every_action=True``: every joint action of ``s`` (the situations some history can reach, on
  which subgame perfection is checked).

The set of reached keys is a dense table over the key space when that is small
(:data:`DENSE_INDEX`), otherwise a sorted array into which each level's new keys (sorted on their
own) are merged: the search costs linear time in the states and transitions it examines, plus the
sort of each level's new keys. Sizes are checked as the search goes, so a profile over a limit is
refused as soon as the limit is passed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .kernel import Kernel, Nature

#: Largest key space (codes) indexed by a dense table (4 bytes per code).
DENSE_INDEX = 1 << 23
#: Largest number of (row, joint action) entries handled in one vectorised step.
BATCH_ENTRIES = 2_000_000
#: Candidate keys collected before they are merged and counted (bounds the memory of one level).
PENDING = 4_000_000


def unique_sorted(keys: np.ndarray) -> np.ndarray:
    """The distinct values of ``keys``, sorted: by marking a table when the keys are integers
    in a range not much larger than their number, else by a sort and a mask (NumPy's own
    ``unique`` hashes, which is many times slower for large integer arrays)."""
    if keys.dtype == np.int64 and keys.size > 1:
        top = int(keys.max())
        if top < DENSE_INDEX and top <= 8 * keys.size:
            marks = np.zeros(top + 1, dtype=bool)
            marks[keys] = True
            return np.flatnonzero(marks)
    keys = np.sort(keys)
    if keys.size < 2:
        return keys
    keep = np.empty(keys.size, dtype=bool)
    keep[0] = True
    keep[1:] = keys[1:] != keys[:-1]  # (the ufunc has no loop for byte-string keys)
    return keys[keep]


def batches(rows: np.ndarray, n_joint: int):
    """``rows`` in slices of at most :data:`BATCH_ENTRIES` (row, joint action) entries."""
    size = max(1, BATCH_ENTRIES // max(n_joint, 1))
    for k in range(0, len(rows), size):
        yield rows[k : k + size]


class Index:
    """Reached chain states in increasing key order: ``keys[k]`` is state ``k``."""

    def __init__(self, keys: np.ndarray, table: np.ndarray | None = None) -> None:
        self.keys = keys
        self._table = table

    @property
    def size(self) -> int:
        return len(self.keys)

    def positions(self, keys: np.ndarray) -> np.ndarray:
        """The state number of each of ``keys`` (every one must have been reached)."""
        if self._table is not None:
            return self._table[keys].astype(np.int64)
        return np.searchsorted(self.keys, keys)


class _Seen:
    """The keys reached so far: a dense table over a small key space, else a sorted array."""

    def __init__(self, span: int, single: bool, dtype) -> None:
        self.table = np.zeros(span, dtype=bool) if single and span <= DENSE_INDEX else None
        self.sorted = np.empty(0, dtype=dtype)
        self.count = 0

    def novel(self, keys: np.ndarray) -> np.ndarray:
        """Those of the sorted distinct ``keys`` not reached yet."""
        if self.table is not None:
            return keys[~self.table[keys]]
        pos = np.searchsorted(self.sorted, keys)
        found = pos < self.sorted.size
        found[found] = self.sorted[pos[found]] == keys[found]
        return keys[~found]

    def add(self, keys: np.ndarray) -> np.ndarray:
        """Mark the sorted distinct ``keys`` as reached; return the new ones (sorted)."""
        new = self.novel(keys)
        if self.table is not None:
            self.table[new] = True
        else:
            self.sorted = np.insert(self.sorted, np.searchsorted(self.sorted, new), new)
        self.count += new.size
        return new

    def index(self) -> Index:
        if self.table is None:
            return Index(self.sorted)
        keys = np.flatnonzero(self.table)
        if 32 * keys.size < self.table.size:  # few states in a large space: search instead
            return Index(keys)
        return Index(keys, np.cumsum(self.table, dtype=np.int32) - 1)


def pairs(nature: Nature, contexts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (chain state, world state it can draw): row numbers into ``contexts`` and the world
    states, as two arrays (a Markov nature draws its context's own state; an averaged one
    every state of positive chance)."""
    if not nature.averaged:
        return np.arange(contexts.size), contexts  # context c is world state c
    rows, states = [], []
    for c in range(nature.n_contexts):
        members = np.flatnonzero(contexts == c)
        drawn = np.flatnonzero(nature.weights[c] > 0)
        rows.append(np.repeat(members, drawn.size))
        states.append(np.tile(drawn, members.size))
    return np.concatenate(rows), np.concatenate(states)


def successors(nature: Nature) -> tuple[np.ndarray, np.ndarray]:
    """``(next, chance)``, both ``(S, T)``: the contexts nature can move to after each world
    state and their chances (padded with context -1, chance 0)."""
    count = (nature.successor > 0).sum(axis=1)
    T = max(1, int(count.max(initial=0)))
    nxt = np.full((len(count), T), -1, dtype=np.int64)
    chance = np.zeros((len(count), T))
    for s, row in enumerate(nature.successor):
        targets = np.flatnonzero(row > 0)
        nxt[s, : targets.size] = targets
        chance[s, : targets.size] = row[targets]
    return nxt, chance


def move_successors(nature: Nature) -> tuple[np.ndarray, np.ndarray]:
    """:func:`successors` when the actions move nature: ``(next, chance)``, both ``(S, J,
    T)``, by world state and joint action."""
    moves = nature.moves
    count = (moves > 0).sum(axis=2)
    T = max(1, int(count.max(initial=0)))
    order = np.argsort(moves <= 0, axis=2, kind="stable")[:, :, :T]  # positive ones first
    chance = np.take_along_axis(moves, order, axis=2)
    nxt = np.where(chance > 0, order, -1)
    return nxt, np.where(chance > 0, chance, 0.0)


def pair_batches(count: int, width: int):
    """Slices of at most :data:`BATCH_ENTRIES` entries of ``count`` pairs x ``width``."""
    size = max(1, BATCH_ENTRIES // max(width, 1))
    for k in range(0, count, size):
        yield slice(k, min(k + size, count))


def reachable(
    kernel: Kernel,
    nature: Nature,
    start: np.ndarray,
    *,
    every_action: bool,
    max_states: int,
    refuse: Callable[[], None],
    check_work: Callable[[int], None] | None = None,
) -> Index:
    """The chain states reachable from the keys ``start`` (see the module docstring).

    ``refuse()`` is called (and must raise) as soon as more than ``max_states`` states are found;
    ``check_work(count)``, if given, after each vectorised step with the number of (state, joint
    action, next context) triples examined so far.
    """
    layout = kernel.layout
    seen = _Seen(layout.span, layout.single, start.dtype)
    frontier = seen.add(unique_sorted(start))
    if seen.count > max_states:
        refuse()
    work = 0
    moved = nature.moves is not None
    nxt, _ = move_successors(nature) if moved else successors(nature)
    fanout = (nxt >= 0).sum(axis=-1)
    J = kernel.game.max_joint
    while frontier.size:
        contexts, mem = layout.digits(frontier)
        rows, states = pairs(nature, contexts)
        pending: list[np.ndarray] = []
        waiting = 0
        for part in pair_batches(rows.size, J):
            r, s = rows[part], states[part]
            codes = kernel.pair_codes(mem[r], s)
            keep = kernel.valid(s) if every_action else kernel.pair_chances(mem[r], s) > 0
            k_idx, j_idx = np.nonzero(keep)
            work += int((fanout[s[k_idx], j_idx] if moved else fanout[s[k_idx]]).sum())
            if check_work is not None:
                check_work(work)
            found = codes[k_idx, j_idx]
            if moved:  # where nature goes depends on the joint action too
                targets = nxt[s[k_idx], j_idx]  # (e, T)
            elif nature.averaged:  # every world state leads to the same contexts
                found = layout.words_of(unique_sorted(layout.keys(found)))
                targets = np.broadcast_to(nxt[0], (len(found), nxt.shape[1]))
            else:  # the distinct (world state = context, next memory), then its successors
                found[:, 0] += s[k_idx] * layout.place[0]
                found = layout.words_of(unique_sorted(layout.keys(found)))
                drawn = found[:, 0] // layout.place[0]
                found[:, 0] -= drawn * layout.place[0]
                targets = nxt[drawn]  # (e, T)
            where = targets >= 0
            words = np.repeat(found, where.sum(axis=1), axis=0)
            words[:, 0] += targets[where] * layout.place[0]
            pending.append(layout.keys(words))
            waiting += pending[-1].size
            if waiting > PENDING:
                pending = [seen.novel(unique_sorted(np.concatenate(pending)))]
                waiting = pending[0].size
                if seen.count + waiting > max_states:
                    refuse()
        frontier = seen.add(unique_sorted(np.concatenate(pending)))
        if seen.count > max_states:
            refuse()
    return seen.index()
