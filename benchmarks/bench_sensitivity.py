"""Benchmarks of the sensitivity analysis (issue 7, items 3-4) on the bundled ``sindoor-2025``.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_sensitivity.py [--repeat 3]

What is measured (median wall time of ``--repeat`` runs after one warm-up, CPU time beside it):

1. ``recip.sensitivity("sindoor-2025")`` with the default settings: 256 base samples of its 12
   declared inputs (3,584 Sobol' points), the tornado, every break-even search, the inert
   inputs and the flip region. Target: a few seconds.
2. ``recip sensitivity sindoor-2025 --quiet``: the whole process, imports included.
3. Points whose profile reads payoffs (India ``myopic``): 1,000 sampled points of the nine payoff
   inputs and the discount factor, through :class:`recip.model.points.PointEvaluator` (which
   shares a chain between points whose automata agree) against one independent
   ``compile_profile`` and solve per point.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import recip
from recip.model.inputs import declared_inputs, sample
from recip.model.points import PointEvaluator
from recip.model.profile import compile_profile
from recip.model.setting import as_setting


def timed(repeat: int, fn) -> tuple[float, float]:
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def myopic_points(n: int) -> tuple[PointEvaluator, np.ndarray, list]:
    s = recip.load_scenario("sindoor-2025")
    inputs = [i for i in declared_inputs(s) if i.axis.kind in ("payoff", "discount")]
    choice = next(i for i in declared_inputs(s) if i.key == "strategies.india")
    X = np.column_stack([sample(inputs, n, seed=0, method="random"), np.ones(n)])
    evaluator = PointEvaluator(s, [*(i.axis for i in inputs), choice.axis])
    return evaluator, X, inputs


def one_by_one(evaluator: PointEvaluator, X: np.ndarray, inputs: list) -> None:
    """Each point as its own scenario, compiled and solved: what the evaluator saves."""
    s = evaluator.scenario
    for row in X:
        changes: dict = {"strategies.india": "myopic"}
        for inp, x in zip(inputs, row, strict=False):
            if inp.axis.kind == "payoff":
                changes[inp.key] = {"value": float(x), "low": -100.0, "high": 100.0}
            else:
                changes[inp.key] = float(x)
        setting = as_setting(s.with_overrides(changes))
        for policy in ("balancing", "aligning"):
            compile_profile(setting, setting.profile({"russia": policy})).values()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    wall, cpu = timed(args.repeat, lambda: recip.sensitivity("sindoor-2025"))
    print(f"1. sensitivity(sindoor-2025), defaults: {wall:.2f} s wall, {cpu:.2f} s CPU")
    command = [sys.executable, "-m", "recip", "sensitivity", "sindoor-2025", "--quiet"]
    wall, cpu = timed(args.repeat, lambda: subprocess.run(command, capture_output=True, check=True))
    print(f"2. recip sensitivity sindoor-2025 --quiet: {wall:.2f} s wall (whole process)")
    evaluator, X, inputs = myopic_points(1000)
    shared, _ = timed(args.repeat, lambda: evaluator.values(X))
    start = time.perf_counter()
    one_by_one(evaluator, X, inputs)
    alone = time.perf_counter() - start
    print(
        f"3. 1,000 payoff-reading points: {shared:.2f} s (chains shared), "
        f"{alone:.2f} s (a compile and solve per point), {alone / shared:.0f}x"
    )


if __name__ == "__main__":
    main()
