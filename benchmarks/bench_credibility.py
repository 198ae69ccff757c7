"""Benchmarks of issue 8's credibility checks.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_credibility.py [--repeat 5]

What is measured (best wall time of ``--repeat`` runs; runs with and without the check take
turns, so that they see the same load):

1. ``recip run SCENARIO --no-figures -q`` for every bundled scenario, as a user runs it (a new
   process each time, imports included), with the credibility check and with
   ``--no-credibility``. Target: the check adds under 50%.
2. ``recip.compare`` in one process, with and without the check (what the check costs itself).
3. One player's exact best response (:func:`recip.model.best_response.best_response`: policy
   iteration, the automaton, its description) on the hub scenarios of ``bench_scaling.py`` with
   six and seven reciprocating players (6,144 and 28,672 situations). Target: chains of 10,000
   states in under a second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import recip
from recip.model.best_response import best_response
from recip.model.profile import compile_profile
from recip.model.setting import as_setting

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scaling import hub

ROOT = Path(__file__).resolve().parents[1]


def names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))


def process(name: str, *extra: str) -> float:
    out = Path(os.environ.get("TMPDIR", "/tmp")) / "recip-bench-credibility"
    cmd = [sys.executable, "-m", "recip", "run", name, "--no-figures", "-q", "--out", str(out)]
    t = time.perf_counter()
    subprocess.run([*cmd, *extra], capture_output=True, check=True)
    return time.perf_counter() - t


def runs(repeat: int) -> None:
    print("1. recip run SCENARIO --no-figures -q (whole process), best of", repeat)
    print("\n| scenario | with the check | --no-credibility | added |")
    print("|---|---:|---:|---:|")
    for name in names():
        on, off = [], []
        for _ in range(repeat):
            on.append(process(name))
            off.append(process(name, "--no-credibility"))
        a, b = min(on), min(off)
        print(f"| {name} | {a:.3f} s | {b:.3f} s | {(a - b) / b:+.0%} |")


def in_process(repeat: int) -> None:
    print("\n2. recip.compare in one process, best of", repeat)
    print("\n| scenario | with the check | without | check alone |")
    print("|---|---:|---:|---:|")
    for name in names():
        on, off = [], []
        for _ in range(repeat):
            for flag, into in ((True, on), (False, off)):
                s = recip.load_scenario(name)
                t = time.perf_counter()
                recip.compare(s, credibility=flag)
                into.append(time.perf_counter() - t)
        a, b = min(on), min(off)
        print(f"| {name} | {1000 * a:.1f} ms | {1000 * b:.1f} ms | {1000 * (a - b):.1f} ms |")


def large(repeat: int) -> None:
    print("\n3. One player's best response on large closures, best of", repeat)
    print("\n| players | situations | chain states | deviation model | best response |")
    print("|---:|---:|---:|---:|---:|")
    for n in (6, 7):
        s = recip.Scenario.from_dict(hub(n))
        setting = as_setting(s)
        compiled = compile_profile(setting, setting.profile())
        t = time.perf_counter()
        model = compiled.deviations
        built = time.perf_counter() - t
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            best_response(model, 1, setting.discount)
            times.append(time.perf_counter() - t)
        print(
            f"| {n} | {model.size:,} | {compiled.chain.size:,} | {built:.2f} s | "
            f"{min(times):.2f} s |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"recip {recip.__version__}; {os.cpu_count()} cores; load {load[0]:.2f}\n")
    runs(args.repeat)
    in_process(args.repeat)
    large(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
