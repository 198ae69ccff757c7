"""Monte Carlo evaluation, vectorised across replicates.

One loop over rounds; every operation inside acts on arrays of replicates. Replicates are
processed in fixed-size chunks (which keeps the working arrays in cache); chunk ``c`` draws from
its own random streams, derived from the seed and ``c`` only, so results do not depend on how many
workers run the chunks.

Common random numbers: nature, each player's action choice and each player's execution noise
draw from separate streams (keyed by the player's *name*), so two profiles that differ in one
player's strategy see the same draws of nature and of the other players' randomness.
"""

from __future__ import annotations

import math
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .chain import start_memories

CHUNK = 8192
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


class _Prepared:
    """Flattened tables shared by every chunk."""

    def __init__(self, game, automata, noise):
        self.game = game
        self.n, self.S, self.J = game.n_players, game.n_states, game.max_joint
        S, J = self.S, self.J
        self.pay = [np.ascontiguousarray(game.payoffs[..., i].ravel()) for i in range(self.n)]
        self.pay_matrix = game.payoffs.reshape(S * J, self.n)
        self.update = [a.update.reshape(-1).astype(np.int64) for a in automata]
        self.initial = np.array(start_memories(game, automata), dtype=np.int64)
        self.noise = [float(e) for e in noise]
        self.keys = [_player_key(p) for p in game.players]
        self.single_state = S == 1
        Q = game.transition
        self.iid = bool(np.allclose(Q, Q[0]))
        self.cum_start = np.cumsum(game.start)
        self.cum_q = np.cumsum(Q, axis=1)
        self.strides = game.strides
        self.k = game.n_actions
        self.binary = [
            bool(np.all(game.n_actions[game.acts[:, i], i] == 2)) and game.acts[:, i].any()
            for i in range(self.n)
        ]
        self.players = []
        for i, a in enumerate(automata):
            pol = a.policy.reshape(-1, a.policy.shape[2])  # (M*S, A)
            acts_anywhere = bool(game.acts[:, i].any())
            det = a.deterministic
            entry = {"acts": acts_anywhere, "det": det}
            if det:
                entry["table"] = pol.argmax(axis=1).astype(np.int64)
            elif self.binary[i]:
                entry["p0"] = np.ascontiguousarray(pol[:, 0])
            else:
                entry["cum"] = np.cumsum(pol, axis=1)[:, :-1]
            self.players.append(entry)

    def draw_state(self, u, prev):
        if prev is None or self.iid:
            cum = self.cum_start if prev is None else self.cum_q[0]
            return np.minimum(np.searchsorted(cum, u, side="right"), self.S - 1)
        return np.minimum((u[:, None] >= self.cum_q[prev]).sum(axis=1), self.S - 1)


def _run_chunk(
    prep: _Prepared, seed: int, chunk: int, size: int, T: int, weights: np.ndarray, record: bool
):
    n, S, J = prep.n, prep.S, prep.J
    nature = None if prep.single_state else _stream(seed, chunk, 0)
    act_rng = [_stream(seed, chunk, 1, k) for k in prep.keys]
    noise_rng = [_stream(seed, chunk, 2, k) for k in prep.keys]
    mem = [np.full(size, m, dtype=np.int64) for m in prep.initial]
    totals = np.zeros((n, size))
    curve = np.zeros((T, n))
    occ = np.zeros(S * J)
    rec_a = np.zeros((size, T, n), dtype=np.int16) if record else None
    rec_u = np.zeros((size, T, n), dtype=np.float32) if record else None
    s = np.zeros(size, dtype=np.int64)
    for t in range(T):
        if nature is not None:
            s = prep.draw_state(nature.random(size), None if t == 0 else s)
        joint = np.zeros(size, dtype=np.int64)
        for i in range(n):
            p = prep.players[i]
            if not p["acts"]:
                continue
            idx = mem[i] * S + s if S > 1 else mem[i]
            if p["det"]:
                a = p["table"][idx]
            elif "p0" in p:
                a = (act_rng[i].random(size) >= p["p0"][idx]).astype(np.int64)
            else:
                u = act_rng[i].random(size)
                a = (u[:, None] >= p["cum"][idx]).sum(axis=1)
            eps = prep.noise[i]
            if eps > 0.0:
                un = noise_rng[i].random(size)
                flip = un < eps
                if prep.binary[i] and S == 1:
                    a = a ^ flip
                else:
                    k = prep.k[s, i]
                    shift = 1 + np.floor(un / eps * np.maximum(k - 1, 1)).astype(np.int64)
                    a = np.where(flip & (k > 1), (a + np.minimum(shift, k - 1)) % k, a)
            stride = prep.strides[0, i] if S == 1 else prep.strides[s, i]
            joint += a * stride
            if record:
                rec_a[:, t, i] = a
        key = s * J + joint if S > 1 else joint
        w = weights[t]
        for i in range(n):
            u_i = prep.pay[i][key]
            totals[i] += w * u_i
            if record:
                rec_u[:, t, i] = u_i
        counts = np.bincount(key, minlength=S * J)
        curve[t] = counts @ prep.pay_matrix
        occ += w * counts
        for i in range(n):
            idx = (mem[i] * S + s) * J + joint if S > 1 else mem[i] * J + joint
            mem[i] = prep.update[i][idx]
    return totals.T, curve, occ, rec_a, rec_u


def simulate_profile(
    game,
    automata,
    noise,
    *,
    rounds: int,
    replicates: int,
    seed: int,
    discount: float | None,
    finite: bool,
    record: bool | None = None,
    workers: int = 1,
    progress=None,
) -> SimOutput:
    """Simulate ``replicates`` plays of ``rounds`` rounds each.

    ``progress``, if given, is called with the number of replicates of each finished chunk.
    """
    prep = _Prepared(game, automata, noise)
    weights = round_weights(rounds, discount, finite)
    n_chunks = math.ceil(replicates / CHUNK)
    sizes = [min(CHUNK, replicates - c * CHUNK) for c in range(n_chunks)]
    if record is None:
        record = replicates * rounds * game.n_players <= 2_000_000
    if record and replicates * rounds * game.n_players > MAX_RECORDED:
        raise ValueError(
            f"recording {replicates} x {rounds} x {game.n_players} trajectories exceeds "
            f"{MAX_RECORDED} entries; pass record=False"
        )

    def run(c: int):
        part = _run_chunk(prep, seed, c, sizes[c], rounds, weights, record)
        if progress is not None:
            progress(sizes[c])
        return part

    if workers > 1 and n_chunks > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, range(n_chunks)))
    else:
        parts = [run(c) for c in range(n_chunks)]
    samples = np.concatenate([p[0] for p in parts])
    curve = sum((p[1] for p in parts), start=np.zeros((rounds, game.n_players))) / replicates
    occ = sum((p[2] for p in parts), start=np.zeros(game.n_states * game.max_joint))
    occ = occ.reshape(game.n_states, game.max_joint) / (replicates * weights.sum())
    actions = np.concatenate([p[3] for p in parts]) if record else None
    payoffs = np.concatenate([p[4] for p in parts]) if record else None
    return SimOutput(samples, curve, occ, actions, payoffs)
