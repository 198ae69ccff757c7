"""Benchmarks of the Nash solvers (issue 6): complete solving of small three-player games, the
guarded two-player algorithms, and the subgame-perfection checks with error bounds.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_nash.py [--repeat 5]

What is measured (median wall time of ``--repeat`` runs after one warm-up, CPU time beside it):

1. ``nash_equilibria`` of random normal games of shapes 2x2x2, 3x2x2, 3x3x2, 3x3x3 (complete:
   every support solved by elimination), mean over 5 games each, and of 4x4x4 (not small:
   Newton from random starts, for comparison). Target for 3x3x3: well under a few seconds.
2. Two players beyond the vertex-enumeration bound: 16x16 and 60x60 random games in "auto"
   (capped Lemke-Howson instead of vertex enumeration), and 12x12 by Lemke-Howson alone.
3. ``recip.is_subgame_perfect`` and ``recip.critical_discount(what="spe" / "nash")`` of the op-ed
   scenario's profile with aligning Russia (every gain with its rounding error bound).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import recip
from recip.games.nash import nash_equilibria


def timed(repeat: int, fn):
    fn()
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def games(shape, count=5):
    return [np.random.default_rng(seed).normal(size=(*shape, len(shape))) for seed in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"recip {recip.__version__}; load average {os.getloadavg()[0]:.2f}; "
        f"median of {args.repeat} runs\n"
    )
    jobs = {}
    for shape in [(2, 2, 2), (3, 2, 2), (3, 3, 2), (3, 3, 3), (4, 4, 4)]:
        us = games(shape)
        jobs["x".join(map(str, shape)) + " (mean of 5 games)"] = (
            lambda us=us: [nash_equilibria(u) for u in us],
            len(us),
        )
    for size in (16, 60):
        u = np.random.default_rng(size).normal(size=(size, size, 2))
        jobs[f"{size}x{size} auto (no vertex enumeration)"] = (lambda u=u: nash_equilibria(u), 1)
    u12 = np.random.default_rng(12).normal(size=(12, 12, 2))
    jobs["12x12 lemke-howson"] = (lambda: nash_equilibria(u12, method="lemke-howson"), 1)
    s = recip.load_scenario("sindoor-2025")
    profile = {"russia": "aligning"}
    jobs["is_subgame_perfect(sindoor-2025)"] = (lambda: recip.is_subgame_perfect(s, profile), 1)
    for what in ("spe", "nash"):
        jobs[f"critical_discount(sindoor-2025, {what})"] = (
            lambda what=what: recip.critical_discount(s, what=what, profile=profile),
            1,
        )
    for name, (fn, count) in jobs.items():
        wall, cpu, result = timed(args.repeat, fn)
        if isinstance(result, list):
            what = f"{sum(len(r) for r in result) / count:.1f} equilibria, complete: " + str(
                all(r.complete for r in result)
            )
        elif hasattr(result, "complete"):
            what = f"{len(result)} equilibria, complete: {result.complete}"
        else:
            what = getattr(result, "summary", "")[:70]
        print(
            f"{name:44s} {wall / count * 1e3:9.1f} ms wall {cpu / count * 1e3:9.1f} ms cpu  {what}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
