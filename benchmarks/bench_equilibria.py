"""Benchmarks of issue 3's analyses on the bundled op-ed scenario ``sindoor-2025``.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_equilibria.py [--repeat 7]

What is measured (median wall time of ``--repeat`` runs after one warm-up, CPU time beside it):

1. ``recip.critical_discount(s)`` — every discount factor where aligning's advantage over
   balancing changes sign. Target: under 0.5 s.
2. ``recip.is_subgame_perfect(s, {"russia": "aligning"})`` — the one-shot deviation check of the
   op-ed's profile over every reachable memory state. Target: under 0.5 s.
3. ``meta_game(s, candidates)`` with 4 candidates for each of the 3 players (64 profiles, each
   evaluated exactly), its equilibria, dominance and best responses. Target: under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import recip
from recip.questions.meta import meta_game

CANDIDATES = {
    "russia": ["balancing", "aligning", "grim-trigger", {"name": "aligning", "tolerance": 1.0}],
    "india": ["aligning", "balancing", "myopic", "always:support"],
    "pakistan": ["always:arm_ukraine", "always:stay_out", "balancing", "aligning"],
}
TARGETS = {"critical_discount": 0.5, "is_subgame_perfect": 0.5, "meta_game 4x4x4": 2.0}


def timed(repeat: int, fn) -> tuple[float, float, object]:
    result = fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    s = recip.load_scenario("sindoor-2025")
    print(
        f"recip {recip.__version__}; load average {os.getloadavg()[0]:.2f}; "
        f"median of {args.repeat} runs\n"
    )
    jobs = {
        "critical_discount": lambda: recip.critical_discount(s),
        "is_subgame_perfect": lambda: recip.is_subgame_perfect(s, {"russia": "aligning"}),
        "meta_game 4x4x4": lambda: meta_game(s, CANDIDATES),
    }
    for name, fn in jobs.items():
        wall, cpu, result = timed(args.repeat, fn)
        target = TARGETS[name]
        status = "meets" if wall < target else "MISSES"
        print(
            f"{name:20s} {wall * 1e3:9.1f} ms wall {cpu * 1e3:9.1f} ms cpu   "
            f"target < {target:g} s: {status}"
        )
        if name == "critical_discount":
            print(f"    {result.sentence}")
        if name == "is_subgame_perfect":
            print(f"    subgame perfect: {bool(result)}")
        if name == "meta_game 4x4x4":
            print(f"    {len(result.equilibria)} equilibria")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
