"""Monte Carlo evaluation, vectorised across replicates.

One loop over rounds; every operation inside acts on arrays of replicates. Replicates are
divided into fixed-size chunks; chunk ``c`` draws from its own random streams, derived from the
seed and ``c`` only, so results do not depend on how many workers run the chunks. A worker plays
a *batch* of up to :data:`BATCH` consecutive chunks in one vectorised pass, each chunk drawing
from its own streams into its own slice of the arrays: batching spreads NumPy's per-call
overhead over more replicates and changes no number.

Common random numbers: nature, each player's action choice and each player's execution noise
draw from separate streams (keyed by the player's *name*), so two profiles that differ in one
player's strategy see the same draws of nature and of the other players' randomness.

Inside the loop the memories of a group of consecutive players (all of them, unless their joint
tables would exceed :data:`GROUP_TABLE` entries) are held as one code ``z * S * J``, where ``z``
numbers the group's joint memory (``S`` world states, ``J`` joint actions): a member's policy
entry for ``(z, s)`` sits at ``code + s * J``, and the group's next code after joint action ``j``
at ``code + s * J + j``, one addition and one gather per look-up. Work arrays are allocated once
per batch and written in place. None of this changes a number: only integers are re-encoded.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..core import radix
from .kernel import start_memories

CHUNK = 8192
#: Most chunks one worker plays in a single vectorised pass (32768 replicates: larger batches
#: fall out of the processor's cache and run slower).
BATCH = 4
#: Up to this many (world state, joint action) pairs, a round's joint actions are counted by
#: comparison: np.bincount serialises on one counter when most replicates play the same one.
COMPARE_COUNT = 8
#: Largest update table of a group of players whose memories are tracked as one code.
GROUP_TABLE = 1 << 16
#: Largest number of (replicate, round, player) entries kept when trajectories are recorded.
MAX_RECORDED = 50_000_000
TRUNCATION = 1e-9


def default_rounds(discount: float | None, rounds: int | None) -> int:
    """Rounds to simulate: a finite horizon as given; an infinite discounted one truncated where
    the remaining weight ``delta^T`` falls below 1e-9."""
    if rounds is not None:
        return int(rounds)
    if discount is None:
        raise ValueError("a limit-of-means simulation needs an explicit number of rounds")
    if discount == 0:
        return 1
    return max(1, math.ceil(math.log(TRUNCATION) / math.log(discount)))


def round_weights(T: int, discount: float | None, finite: bool) -> np.ndarray:
    """Weight of each simulated round in a replicate's value."""
    if discount is None:
        return np.full(T, 1.0 / T)
    w = discount ** np.arange(T, dtype=float)
    return w / w.sum() if finite else (1.0 - discount) * w


@dataclass(frozen=True)
class SimOutput:
    samples: np.ndarray  # (R, n) each replicate's value
    curve: np.ndarray  # (T, n) mean payoff per round
    occupancy: np.ndarray  # (S, J) weighted joint-action frequency
    actions: np.ndarray | None  # (R, T, n) realised actions, when recorded
    payoffs: np.ndarray | None  # (R, T, n) realised payoffs, when recorded


def _stream(seed: int, chunk: int, *key: int) -> np.random.Generator:
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(chunk, *key)))
    )


def _player_key(name: str) -> int:
    return zlib.crc32(name.encode())


class _Group:
    """Players whose memories are tracked together as one code ``z * S * J``, where ``z`` is the
    mixed-radix number of their memories: one addition and one gather update them all."""

    def __init__(self, game, members: list[int], automata, initial: list[int]):
        S, J = game.n_states, game.max_joint
        sizes = [automata[i].update.shape[0] for i in members]
        place = radix.places(sizes)
        #: memory of each member in each joint memory ``z``
        self.memories = list(radix.decode(np.arange(radix.span(sizes)), sizes).T)
        update = sum(
            automata[i].update.astype(np.int64)[mem] * p
            for i, mem, p in zip(members, self.memories, place, strict=True)
        )
        self.update = np.ascontiguousarray(update.reshape(-1) * (S * J))
        self.initial = int(radix.encode(initial, place)) * S * J
        self.members = members


class _Player:
    """One player's policy table, indexed by its group's code (see the module docstring).

    ``kind`` is ``"det"`` (``table`` holds the action), ``"binary"`` (two actions; ``table``
    holds the chance of the first) or ``"mixed"`` (``table`` holds the cumulative chances of all
    but the last action). ``flat``: a two-action player of a one-state game, whose actions are
    handled as booleans (action 1 = True).
    """

    def __init__(self, game, i: int, automaton, binary: bool, group: int, memory: np.ndarray):
        S, J = game.n_states, game.max_joint
        policy = automaton.policy.reshape(-1, automaton.policy.shape[2])  # (M*S, A)
        self.acts = bool(game.acts[:, i].any())
        self.flat = binary and S == 1
        self.group = group
        if automaton.deterministic:
            self.kind = "det"
            table = policy.argmax(axis=1).astype(bool if self.flat else np.int64)
        elif binary:
            self.kind, table = "binary", policy[:, 0]
        else:
            self.kind, table = "mixed", np.cumsum(policy, axis=1)[:, :-1]
        # the entry of (own memory m, state s) for joint memory z moves to z * S * J + s * J
        rows = (memory[:, None] * S + np.arange(S)[None, :]).reshape(-1)
        self.table = np.ascontiguousarray(np.repeat(table[rows], J, axis=0))


class _Prepared:
    """Flattened tables shared by every chunk."""

    def __init__(self, game, automata, noise):
        self.game = game
        self.n, self.S, self.J = game.n_players, game.n_states, game.max_joint
        S, J = self.S, self.J
        self.pay_matrix = np.ascontiguousarray(game.payoffs.reshape(S * J, self.n))
        initial = [int(m) for m in start_memories(game, automata)]
        self.noise = [float(e) for e in noise]
        self.keys = [_player_key(p) for p in game.players]
        self.single_state = S == 1
        Q = game.transition
        self.iid = game.moves is None and bool(np.allclose(Q, Q[0]))
        self.cum_start = np.cumsum(game.start)
        self.cum_q = np.cumsum(Q, axis=1)
        #: when the actions move nature: the cumulative next-state law by (state, joint action)
        self.cum_moves = (
            None if game.moves is None else np.cumsum(game.moves.reshape(-1, self.S), axis=1)
        )
        self.strides = game.strides
        self.k = game.n_actions
        binary = [
            bool(np.all(game.n_actions[game.acts[:, i], i] == 2)) and game.acts[:, i].any()
            for i in range(self.n)
        ]
        # consecutive players share a code while their joint tables stay small
        members: list[list[int]] = [[]]
        joint_size = 1
        for i, a in enumerate(automata):
            size = a.update.shape[0]
            if members[-1] and joint_size * size * S * J > GROUP_TABLE:
                members.append([])
                joint_size = 1
            members[-1].append(i)
            joint_size *= size
        self.groups = [_Group(game, m, automata, [initial[i] for i in m]) for m in members if m]
        self.players = []
        for g, group in enumerate(self.groups):
            for i, memory in zip(group.members, group.memories, strict=True):
                self.players.append(_Player(game, i, automata[i], binary[i], g, memory))

    def draw_state(self, u, prev, prev_key=None):
        """The round's world state from uniforms ``u``: from the start law in the first round
        (``prev`` None), else from nature's law after the previous state ``prev`` (and, when the
        actions move nature, the previous round's (state, joint action) code ``prev_key``)."""
        if prev is None or self.iid:
            cum = self.cum_start if prev is None else self.cum_q[0]
            return np.minimum(np.searchsorted(cum, u, side="right"), self.S - 1)
        cum = self.cum_q[prev] if self.cum_moves is None else self.cum_moves[prev_key]
        return np.minimum((u[:, None] >= cum).sum(axis=1), self.S - 1)


def _run_batch(
    prep: _Prepared,
    seed: int,
    chunks: list[int],
    sizes: list[int],
    T: int,
    weights: np.ndarray,
    record: bool,
    occ_weights: np.ndarray,
):
    """Play the replicates of the consecutive ``chunks`` (of ``sizes``) for ``T`` rounds.

    ``weights[t]`` weights round ``t`` in a replicate's value: one number, or one per player
    (players with discount factors of their own); ``occ_weights[t]`` in the occupancy.

    Returns each replicate's weighted payoff total ``(R, n)``; per chunk the summed payoff of
    every round ``(T, n)`` and the weighted count of every (state, joint action) ``(S * J,)``;
    and the trajectories when ``record``.
    """
    n, S, J = prep.n, prep.S, prep.J
    SJ = S * J
    single = S == 1
    size = sum(sizes)
    ends = np.cumsum(sizes).tolist()
    parts = [slice(end - sz, end) for end, sz in zip(ends, sizes, strict=True)]
    nature = None if prep.single_state else [_stream(seed, c, 0) for c in chunks]
    act_rng = [[_stream(seed, c, 1, k) for c in chunks] for k in prep.keys]
    noise_rng = [[_stream(seed, c, 2, k) for c in chunks] for k in prep.keys]
    code = [np.full(size, g.initial, dtype=np.int64) for g in prep.groups]
    policy_at = code if single else [np.empty(size, dtype=np.int64) for _ in prep.groups]
    totals = np.zeros((size, n))
    curves = [np.zeros((T, n)) for _ in chunks]
    occs = np.zeros((len(chunks), SJ))
    rec_a = np.zeros((size, T, n), dtype=np.int16) if record else None
    rec_u = np.zeros((size, T, n), dtype=np.float32) if record else None
    draw = np.empty(size)
    chance = np.empty(size)
    flip = np.empty(size, dtype=bool)
    chosen = np.empty(size, dtype=bool)  # a flat player's action
    a = np.empty(size, dtype=np.int64)  # any other player's action
    joint = np.empty(size, dtype=np.int64)
    where = np.empty(size, dtype=np.int64)
    u = np.empty((size, n))
    s = np.zeros(size, dtype=np.int64)
    sJ = np.zeros(size, dtype=np.int64)
    key = joint if single else np.empty(size, dtype=np.int64)
    by_compare = SJ <= COMPARE_COUNT
    same = np.empty((SJ - 1, size), dtype=bool) if by_compare else None
    labels = np.arange(SJ - 1)[:, None]
    # counts are whole numbers held as floats: the products below are those of integer counts
    counts = np.empty((len(chunks), SJ))
    weighted = np.empty((len(chunks), SJ))
    chunk_sizes = np.array(sizes, dtype=float)
    acting = [i for i in range(n) if prep.players[i].acts]
    strides = [np.int64(prep.strides[0, i]) for i in range(n)]

    def fill(streams, out):
        for rng, part in zip(streams, parts, strict=True):
            rng.random(out=out[part])

    for t in range(T):
        if nature is not None:
            fill(nature, draw)
            s = prep.draw_state(draw, None if t == 0 else s, key)
            np.multiply(s, J, out=sJ)
            for g in range(len(code)):
                np.add(code[g], sJ, out=policy_at[g])
        first = True
        for i in acting:
            p = prep.players[i]
            idx = policy_at[p.group]
            act = chosen if p.flat else a
            if p.kind == "det":
                np.take(p.table, idx, out=act, mode="clip")
            elif p.kind == "binary":
                fill(act_rng[i], draw)
                np.take(p.table, idx, out=chance, mode="clip")
                np.greater_equal(draw, chance, out=act)
            else:
                fill(act_rng[i], draw)
                np.sum(draw[:, None] >= p.table[idx], axis=1, out=act)
            eps = prep.noise[i]
            if eps > 0.0:
                fill(noise_rng[i], draw)
                np.less(draw, eps, out=flip)
                if p.flat:
                    np.bitwise_xor(act, flip, out=act)
                else:
                    k = prep.k[s, i]
                    shift = 1 + np.floor(draw / eps * np.maximum(k - 1, 1)).astype(np.int64)
                    act[:] = np.where(flip & (k > 1), (act + np.minimum(shift, k - 1)) % k, act)
            if record:
                rec_a[:, t, i] = act
            stride = strides[i] if single else prep.strides[s, i]
            if first:
                np.multiply(act, stride, out=joint)
                first = False
            elif single and stride == 1:
                np.add(joint, act, out=joint)
            else:
                np.multiply(act, stride, out=a)
                np.add(joint, a, out=joint)
        if first:
            joint.fill(0)
        if not single:
            np.add(sJ, joint, out=key)
        w = weights[t]
        if record:
            np.take(prep.pay_matrix, key, axis=0, out=u, mode="clip")
            rec_u[:, t, :] = u
            np.multiply(u, w, out=u)
        else:
            # the same products w * payoff, from a table scaled once per round
            np.take(prep.pay_matrix * w, key, axis=0, out=u, mode="clip")
        np.add(totals, u, out=totals)
        if by_compare:
            np.equal(key, labels, out=same)
            for c, part in enumerate(parts):
                for j in range(SJ - 1):
                    counts[c, j] = np.count_nonzero(same[j, part])
            np.subtract(chunk_sizes, counts[:, : SJ - 1].sum(axis=1), out=counts[:, SJ - 1])
        else:
            for c, part in enumerate(parts):
                counts[c] = np.bincount(key[part], minlength=SJ)
        for c, curve in enumerate(curves):
            np.matmul(counts[c], prep.pay_matrix, out=curve[t])
        np.multiply(counts, occ_weights[t], out=weighted)
        np.add(occs, weighted, out=occs)
        for g, group in enumerate(prep.groups):
            np.add(code[g], key, out=where)
            np.take(group.update, where, out=code[g], mode="clip")
    return totals, curves, occs, rec_a, rec_u


def simulate_profile(
    game,
    automata,
    noise,
    *,
    rounds: int,
    replicates: int,
    seed: int,
    discount: float | Sequence[float] | None,
    finite: bool,
    record: bool | None = None,
    workers: int = 1,
    progress=None,
    occupancy_discount: float | None = None,
) -> SimOutput:
    """Simulate ``replicates`` plays of ``rounds`` rounds each.

    ``discount`` is one discount factor, or one per player (each player's value then weights
    rounds by its own, and the occupancy by ``occupancy_discount``'s).
    ``progress``, if given, is called with the number of replicates of each finished chunk.
    """
    prep = _Prepared(game, automata, noise)
    if isinstance(discount, Sequence):
        # one column of round weights per player; the occupancy has one weighting of its own
        weights = np.column_stack([round_weights(rounds, d, finite) for d in discount])
        occ_weights = round_weights(rounds, occupancy_discount, finite)
    else:
        weights = occ_weights = round_weights(rounds, discount, finite)
    n_chunks = math.ceil(replicates / CHUNK)
    sizes = [min(CHUNK, replicates - c * CHUNK) for c in range(n_chunks)]
    if record is None:
        record = replicates * rounds * game.n_players <= 2_000_000
    if record and replicates * rounds * game.n_players > MAX_RECORDED:
        raise ValueError(
            f"recording {replicates} x {rounds} x {game.n_players} trajectories exceeds "
            f"{MAX_RECORDED} entries; pass record=False"
        )
    workers = max(1, min(workers, n_chunks))
    per_batch = max(1, min(BATCH, math.ceil(n_chunks / workers)))
    batches = [list(range(c, min(c + per_batch, n_chunks))) for c in range(0, n_chunks, per_batch)]

    def run(chunks: list[int]):
        part = _run_batch(
            prep, seed, chunks, [sizes[c] for c in chunks], rounds, weights, record, occ_weights
        )
        if progress is not None:
            for c in chunks:
                progress(sizes[c])
        return part

    if workers > 1 and len(batches) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, batches))
    else:
        parts = [run(b) for b in batches]
    samples = np.concatenate([p[0] for p in parts])
    # the chunks' curves and counts are summed in chunk order, however they were batched
    chunk_curves = [c for p in parts for c in p[1]]
    chunk_occs = [o for p in parts for o in p[2]]
    curve = sum(chunk_curves, start=np.zeros((rounds, game.n_players))) / replicates
    occ = sum(chunk_occs, start=np.zeros(game.n_states * game.max_joint))
    occ = occ.reshape(game.n_states, game.max_joint) / (replicates * occ_weights.sum())
    actions = np.concatenate([p[3] for p in parts]) if record else None
    payoffs = np.concatenate([p[4] for p in parts]) if record else None
    return SimOutput(samples, curve, occ, actions, payoffs)
