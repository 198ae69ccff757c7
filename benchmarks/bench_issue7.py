"""Benchmarks of issue 7's sweeps and sampled evaluation on the bundled op-ed scenario
``sindoor-2025``.

Run by hand from the repository root, with recip installed (the Dask rows need the
``recip[dask]`` extra)::

    python benchmarks/bench_issue7.py [--repeat 3] [--quick] [--no-dask]

What is measured (best wall time of ``--repeat`` runs after one warm-up; runs of different
configurations take turns, so that they see the same load):

1. 100,000 draws of the scenario's uncertain payoffs (Latin hypercube, seeded:
   :func:`recip.model.inputs.sample`), every draw evaluated exactly for both of Russia's policies
   (:class:`recip.model.points.PointEvaluator`): sampling and evaluation timed apart. Target:
   under 1 s in all, sampling (not solving) dominating.
2. A 100,000-point grid sweep (``recip.sweep``): the discount factor (100 values) x India's
   tolerance (10 values: each a rebuilt scenario and its chains) x Russia's oil revenue
   (100 values), two local workers; and the same through the command line (``recip sweep``,
   the CSV written). Target: under 20 s.
3. The table of time against points (1e3, 1e4, 1e5: the same three keys with 10, 10, 10 /
   100, 10, 10 / 100, 10, 100 values) and workers (1, 2), the local pool and a local Dask
   cluster side by side. A Dask run starts its own cluster; the time to start one is reported
   apart, so that its share of each Dask row can be read off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import recip
from recip.model.inputs import declared_inputs, sample
from recip.model.points import PointEvaluator

SIZES = {1_000: (10, 10, 10), 10_000: (100, 10, 10), 100_000: (100, 10, 100)}


def grid(counts: tuple[int, int, int]) -> dict[str, str]:
    d, t, o = counts
    return {
        "horizon.discount": f"0.5:0.99:{d}",
        "strategies.india.tolerance": f"0:1:{t}",
        "payoffs.oil_revenue.russia": f"1.5:5:{o}",
    }


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def sampled(s, n: int, repeat: int) -> None:
    # the payoffs only: the scenario also declares its discount, India's tolerance and India's
    # alternatives uncertain (row 1b)
    inputs = [i for i in declared_inputs(s) if i.key in s.payoff_slots]
    evaluator = PointEvaluator(s, [i.axis for i in inputs])
    X = sample(inputs, n, seed=1, method="lhs")
    evaluator.values(X[:10])  # warm-up: compiles the chains
    t_sample, X = best(lambda: sample(inputs, n, seed=1, method="lhs"), repeat)
    t_values, V = best(lambda: evaluator.values(X), repeat)
    share = (V[:, 1, 0] > V[:, 0, 0]).mean()
    total = t_sample + t_values
    print(
        f"1. {n:,} payoff draws ({len(inputs)} uncertain payoffs, LHS): sampling "
        f"{t_sample:.3f} s + exact evaluation {t_values:.3f} s = {total:.3f} s "
        f"(target < 1 s: {'meets' if total < 1 else 'MISSES'}); aligning best in {share:.1%}"
    )


def every_input(s, repeat: int) -> None:
    t, u = best(lambda: recip.uncertainty(s), repeat)
    print(
        f"1b. recip.uncertainty(sindoor-2025), defaults: {u.samples:,} Sobol' draws of all "
        f"{len(u.inputs)} declared inputs (payoffs, discount, India's tolerance and "
        f"alternatives): {t:.2f} s; aligning best in {u.best_share[1]:.1%}"
    )


def big_sweep(s, repeat: int) -> None:
    g = grid(SIZES[100_000])
    t_api, sw = best(lambda: recip.sweep(s, g, workers=2), repeat)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "recip", "sweep", "sindoor-2025", "--workers", "2", "-q"]
        cmd += [f"--vary={k}={v}" for k, v in g.items()] + ["--out", tmp]
        t_cli, _ = best(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat)
        size = os.path.getsize(os.path.join(tmp, "sweep.csv"))
    print(
        f"2. 100,000-point grid sweep, 2 local workers: recip.sweep {t_api:.2f} s; recip sweep "
        f"(whole process, {size / 1e6:.1f} MB CSV) {t_cli:.2f} s (target < 20 s: "
        f"{'meets' if max(t_api, t_cli) < 20 else 'MISSES'}); {sw.structures} chains, "
        f"{sw.solves} solves per policy, {sw.chunks} chunks"
    )


def cluster_start() -> float:
    from distributed import Client, LocalCluster

    t = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=50
        ) as cluster,
        Client(cluster),
    ):
        return time.perf_counter() - t


def table(s, repeat: int, sizes: list[int], dask: bool) -> None:
    configs = [("local", 1), ("local", 2)] + ([("dask", 1), ("dask", 2)] if dask else [])
    times = {(n, c): [] for n in sizes for c in configs}
    for n in sizes:
        recip.sweep(s, grid(SIZES[n]), workers=1)  # warm-up
    for _ in range(repeat):
        for n in sizes:
            for executor, w in configs:
                t = time.perf_counter()
                recip.sweep(s, grid(SIZES[n]), executor=executor, workers=w)
                times[(n, (executor, w))].append(time.perf_counter() - t)
    print(f"\n3. Time against points and workers (best of {repeat}, seconds):\n")
    header = "| points | " + " | ".join(f"{e} x{w}" for e, w in configs) + " |"
    print(header)
    print("|" + "---|" * (len(configs) + 1))
    for n in sizes:
        row = " | ".join(f"{min(times[(n, c)]):.2f}" for c in configs)
        print(f"| {n:,} | {row} |")
    if dask:
        print(f"\nStarting a local Dask cluster of 2 workers: {cluster_start():.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1e3 and 1e4 points only")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask rows")
    args = parser.parse_args()
    s = recip.load_scenario("sindoor-2025")
    load = os.getloadavg()
    print(
        f"recip {recip.__version__}; {os.cpu_count()} cores; load average {load[0]:.2f} "
        f"{load[1]:.2f} {load[2]:.2f}\n"
    )
    sampled(s, 100_000, args.repeat)
    every_input(s, args.repeat)
    if not args.quick:
        big_sweep(s, args.repeat)
    dask = not args.no_dask
    if dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("(distributed is not installed: no Dask rows)")
            dask = False
    sizes = [1_000, 10_000] if args.quick else list(SIZES)
    table(s, args.repeat, sizes, dask)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
