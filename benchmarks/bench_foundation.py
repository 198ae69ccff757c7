"""Foundation benchmarks of recip: simulation throughput, exact evaluation, start-up, the CLI.

Run by hand from the repository root, with recip installed (``pip install -e .``; add the
``[crosscheck]`` extra to time axelrod too)::

    python benchmarks/bench_foundation.py            # about a minute, plus axelrod's import
    python benchmarks/bench_foundation.py --quick    # a smoke run with smaller sizes

It prints the machine, each figure and its target. What is measured:

1. **Simulation throughput** — match-rounds per second (replicates x rounds / seconds) of a
   two-player prisoner's dilemma (R, P, S, T) = (3, 1, 0, 5), tit-for-tat against generous
   tit-for-tat with generosity g = 1/3 (axelrod's default for these payoffs,
   min(1 - (T - R)/(R - S), (R - P)/(T - P)) = 1/3), 5% execution noise for both, 100,000
   replicates x 1,000 rounds, for

   * ``recip.simulate(..., record=False)`` (one worker: the peers below use one core),
   * axelrod's ``Match`` with the same strategies and ``noise=0.05`` (a number of matches,
     extrapolated per round; when axelrod is importable), and
   * a minimal hand-written NumPy loop for the same pair (:func:`hand_loop`).

   Targets: at least 300x axelrod; at most 1.5x the hand loop's time.
2. **Exact evaluation** of the bundled scenario ``sindoor-2025`` with Russia aligning (its
   largest chain): median of many ``recip.evaluate(s, {"russia": "aligning"})`` after a
   warm-up. Target: under 5 ms.
3. **Import time** of ``import recip``: the cumulative time of the ``recip`` line of
   ``python -X importtime -c "import recip"``, and the wall time of that process. Target: 0.3 s.
4. **``recip run``** (the bundled op-ed scenario, figures included): wall time of the whole
   process. Target: under 3 s.

Times are the best of ``--repeat`` runs (default 5; the median for item 2) on the wall clock,
with the CPU time of the same runs beside them; recip, the hand loop, axelrod and recip with
workers are timed in turn within each repetition, so that all see the same conditions. On a
machine shared with other work wall times are upper bounds: the load average printed with the
machine says how busy it was.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

import recip

ROOT = Path(__file__).resolve().parents[1]
NOISE = 0.05
GENEROSITY = 1 / 3

PD = f"""
schema = 1
title = "Tit-for-tat against generous tit-for-tat, with noise"
players = ["row", "col"]

[states.round]
actions.row = {{ cooperate = {{ col = 1 }}, defect = {{ col = -1 }} }}
actions.col = {{ cooperate = {{ row = 1 }}, defect = {{ row = -1 }} }}

[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
rounds = {{rounds}}

[noise]
execution = {NOISE}

[strategies]
row = "aligning"
col = {{ name = "aligning", generosity = {GENEROSITY!r} }}
"""


# --- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best CPU seconds over repeated runs (CPU of this process and its
    threads, or of the child processes it waited for)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:8.3f} s wall {self.cpu:8.3f} s cpu"


def _cpu(children: bool) -> float:
    if children:
        use = resource.getrusage(resource.RUSAGE_CHILDREN)
        return use.ru_utime + use.ru_stime
    return time.process_time()


def best_of(repeat: int, fn, *, children: bool = False) -> tuple[Timing, Any]:
    """Smallest wall and CPU times of ``repeat`` calls of ``fn``, and the last call's result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        c0, w0 = _cpu(children), time.perf_counter()
        result = fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, _cpu(children) - c0)
    return Timing(wall, cpu), result


def race(repeat: int, candidates: dict[str, Any]) -> dict[str, tuple[Timing, Any]]:
    """:func:`best_of` for several functions, run in turn within each repetition, so that all
    see the same conditions of a shared machine; ``{name: (timing, last result)}``."""
    wall = dict.fromkeys(candidates, float("inf"))
    cpu = dict.fromkeys(candidates, float("inf"))
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in candidates.items():
            timing, results[name] = best_of(1, fn)
            wall[name] = min(wall[name], timing.wall)
            cpu[name] = min(cpu[name], timing.cpu)
    return {name: (Timing(wall[name], cpu[name]), results[name]) for name in candidates}


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": platform.processor() or "?",
        "cores": os.cpu_count(),
        "numpy": np.__version__,
        "recip": recip.__version__,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        from threadpoolctl import threadpool_info

        info["thread pools"] = "; ".join(
            f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
            f"{p.get('num_threads')} threads)"
            for p in threadpool_info()
        )
    except ImportError:
        info["thread pools"] = "(threadpoolctl not installed)"
    return info


def rate(work: float, timing: Timing) -> str:
    return f"{work / timing.wall / 1e6:9.3f} M rounds/s ({work / timing.cpu / 1e6:.3f} by cpu)"


# --- 1. simulation throughput -----------------------------------------------------------------


def hand_loop(replicates: int, rounds: int, seed: int = 0) -> np.ndarray:
    """Tit-for-tat (row) against generous tit-for-tat (col) with execution noise, written by hand:
    arrays over replicates, one loop over rounds. Returns each side's mean payoff per round,
    shape (replicates, 2). Defection is True."""
    rng = np.random.default_rng(seed)
    pay_row = np.array([3.0, 0.0, 5.0, 1.0])  # outcomes CC, CD, DC, DD (row's move first)
    pay_col = np.array([3.0, 5.0, 0.0, 1.0])
    row_last = np.zeros(replicates, dtype=bool)
    col_last = np.zeros(replicates, dtype=bool)
    total_row = np.zeros(replicates)
    total_col = np.zeros(replicates)
    for _ in range(rounds):
        row = col_last ^ (rng.random(replicates) < NOISE)
        col = (row_last & (rng.random(replicates) >= GENEROSITY)) ^ (rng.random(replicates) < NOISE)
        outcome = 2 * row + col
        total_row += pay_row[outcome]
        total_col += pay_col[outcome]
        row_last, col_last = row, col
    return np.column_stack([total_row, total_col]) / rounds


def axelrod_matches(matches: int, rounds: int) -> np.ndarray | None:
    """Mean payoff per round of each side in ``matches`` axelrod matches (None without axelrod)."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import axelrod as axl
    except ImportError:
        return None
    game = axl.Game(r=3, s=0, t=5, p=1)
    scores = []
    for k in range(matches):
        match = axl.Match(
            (axl.TitForTat(), axl.GTFT(p=GENEROSITY)),
            turns=rounds,
            game=game,
            noise=NOISE,
            seed=k,
        )
        match.play()
        scores.append(match.final_score_per_turn())
    return np.array(scores, dtype=float)


def bench_throughput(args) -> dict[str, Any]:
    R, T = args.replicates, args.rounds
    work = R * T
    # a finite game is simulated for exactly its rounds: the scenario's horizon is --rounds
    scenario = recip.load_scenario(PD.replace("{rounds}", str(T)))
    recip.simulate(scenario, replicates=2 * 8192, record=False)  # warm-up
    candidates = {
        "recip": lambda: recip.simulate(scenario, replicates=R, rounds=T, record=False),
        "hand": lambda: hand_loop(R, T),
    }
    if args.workers > 1:
        candidates["recip_workers"] = lambda: recip.simulate(
            scenario, replicates=R, rounds=T, record=False, workers=args.workers
        )
    matches = args.axelrod_matches
    axelrod_note = None
    if args.no_axelrod:
        axelrod_note = "skipped (--no-axelrod)"
    else:
        print("  importing axelrod (slow: it brings torch) ...", flush=True)
        if axelrod_matches(1, 10) is None:
            axelrod_note = "not installed (pip install -e .[crosscheck])"
        else:  # timed in turn with recip and the hand loop, in every repetition
            candidates["axelrod"] = lambda: axelrod_matches(matches, T)
    raced = race(args.repeat, candidates)
    timing, ev = raced["recip"]
    hand_timing, hand = raced["hand"]
    out: dict[str, Any] = {"recip": asdict(timing), "recip_values": ev.values.tolist()}
    print(f"  recip.simulate (1 worker)  {timing}  {rate(work, timing)}")
    print(f"      values {fmt(ev.values)} +- {fmt(1.96 * ev.stderr)}")
    if args.workers > 1:
        parallel = raced["recip_workers"][0]
        out["recip_workers"] = asdict(parallel)
        print(
            f"  recip.simulate ({args.workers} workers) {parallel}  "
            f"{work / parallel.wall / 1e6:9.3f} M rounds/s (information only)"
        )
    out["hand"] = asdict(hand_timing)
    out["hand_values"] = hand.mean(axis=0).tolist()
    print(f"  hand-written NumPy loop    {hand_timing}  {rate(work, hand_timing)}")
    print(f"      values {fmt(hand.mean(axis=0))}")
    exact = recip.evaluate(scenario)
    out["exact_values"] = exact.values.tolist()
    print(f"  exact (recip.evaluate)     values {fmt(exact.values)}")
    out["recip_over_hand"] = {
        "wall": timing.wall / hand_timing.wall,
        "cpu": timing.cpu / hand_timing.cpu,
    }
    if axelrod_note is not None:
        out["axelrod"] = axelrod_note
        print(f"  axelrod: {axelrod_note}")
        return out
    ax_timing, scores = raced["axelrod"]
    out["axelrod"] = {"matches": matches, **asdict(ax_timing)}
    out["axelrod_values"] = scores.mean(axis=0).tolist()
    print(f"  axelrod Match x{matches:<4d}       {ax_timing}  {rate(matches * T, ax_timing)}")
    print(f"      values {fmt(scores.mean(axis=0))} (mean of {matches} matches)")
    # speed ratio: (rounds per second of recip) / (rounds per second of axelrod)
    out["recip_over_axelrod"] = {
        "wall": (work / timing.wall) / (matches * T / ax_timing.wall),
        "cpu": (work / timing.cpu) / (matches * T / ax_timing.cpu),
    }
    return out


def fmt(values) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


# --- 2. exact evaluation ----------------------------------------------------------------------


def bench_exact(args) -> dict[str, Any]:
    name = "sindoor-2025"
    scenario = recip.load_scenario(name)
    profile = {"russia": "aligning"}  # the op-ed's reciprocal profile: its largest chain

    def run():
        return recip.evaluate(scenario, profile)

    for _ in range(5):
        ev = run()
    wall, cpu = [], []
    for _ in range(args.exact_runs):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    median = Timing(statistics.median(wall), statistics.median(cpu))
    print(
        f"  recip.evaluate({name!r}, {profile}), median of {len(wall)}: "
        f"{median.wall * 1e3:.2f} ms wall, {median.cpu * 1e3:.2f} ms cpu (fastest "
        f"{min(wall) * 1e3:.2f} ms); {ev.chain_size} chain states (45 world state x joint "
        "memory states, 15 with the i.i.d. world state averaged out)"
    )
    return {"scenario": name, "median": asdict(median), "fastest_wall": min(wall)}


# --- 3. import time ---------------------------------------------------------------------------


def bench_import(args) -> dict[str, Any]:
    exe = sys.executable
    cumulative = []
    for _ in range(args.repeat + 1):  # the first run warms the file cache
        done = subprocess.run(
            [exe, "-X", "importtime", "-c", "import recip"],
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            fields = line.split("|")
            if len(fields) == 3 and fields[2].strip() == "recip":
                cumulative.append(int(fields[1]) / 1e6)
    importtime = min(cumulative[1:] or cumulative)

    def process(code: str) -> Timing:
        return best_of(
            args.repeat, lambda: subprocess.run([exe, "-c", code], check=True), children=True
        )[0]

    wall = process("import recip")
    bare = process("pass")
    engine = process("import recip; recip.evaluate; recip.simulate")
    print(f"  -X importtime, cumulative of 'recip'  {importtime * 1e3:8.1f} ms")
    print(f"  python -c 'import recip'           {wall}")
    print(f"  python -c 'pass' (the interpreter) {bare}")
    print(f"  ... importing the engine too       {engine}   (information only)")
    return {
        "importtime": importtime,
        "process": asdict(wall),
        "bare_interpreter": asdict(bare),
        "with_engine": asdict(engine),
    }


# --- 4. recip run -----------------------------------------------------------------------------


def bench_cli(args) -> dict[str, Any]:
    here = shutil.which("recip", path=str(Path(sys.executable).parent))
    command = [here] if here else [sys.executable, "-m", "recip"]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (("run", []), ("run --no-figures", ["--no-figures"])):
            cmd = [*command, "run", "--out", str(Path(tmp) / label.replace(" ", "_")), *extra]
            first = subprocess.run(cmd, capture_output=True, text=True)
            if first.returncode != 0:
                lines = (first.stderr or first.stdout).strip().splitlines()
                print(
                    f"  recip {label}: does not work yet (exit {first.returncode}): "
                    f"{lines[-1] if lines else ''}"
                )
                results[label] = f"failed (exit {first.returncode})"
                continue
            timing, _ = best_of(
                args.repeat,
                lambda cmd=cmd: subprocess.run(cmd, capture_output=True, check=True),
                children=True,
            )
            results[label] = asdict(timing)
            note = "" if label == "run" else "   (information only)"
            print(f"  recip {label:<17s} {timing}{note}")
    return results


# --- main -------------------------------------------------------------------------------------


def verdict(value: float | None, target: float, *, at_least: bool = False) -> str:
    if value is None:
        return "not measured"
    ok = value >= target if at_least else value <= target
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (best is kept)")
    parser.add_argument("--replicates", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--axelrod-matches", type=int, default=20)
    parser.add_argument("--exact-runs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="also time recip with N workers")
    parser.add_argument("--no-axelrod", action="store_true")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.replicates, args.rounds, args.repeat = 20_000, 200, 1
        args.axelrod_matches, args.exact_runs = 3, 20

    print("Machine")
    info = machine()
    for key, value in info.items():
        print(f"  {key:<18s} {value}")
    print(
        f"\n1. Simulation throughput: TFT vs GTFT (g = 1/3), noise {NOISE}, "
        f"{args.replicates:,} replicates x {args.rounds:,} rounds, best of {args.repeat}"
    )
    sim = bench_throughput(args)
    print("\n2. Exact evaluation")
    exact = bench_exact(args)
    print("\n3. Import time")
    imp = bench_import(args)
    print("\n4. recip run (whole process, bundled op-ed scenario)")
    cli = bench_cli(args)

    def pick(figure: Any, key: str) -> float | None:
        return figure[key] if isinstance(figure, dict) else None

    run = cli.get("run")
    ax = sim.get("recip_over_axelrod")
    rows = [
        ("recip / axelrod, speed", pick(ax, "wall"), pick(ax, "cpu"), ">= 300", 300.0, True, "x"),
        (
            "recip / hand loop, time",
            sim["recip_over_hand"]["wall"],
            sim["recip_over_hand"]["cpu"],
            "<= 1.5",
            1.5,
            False,
            "x",
        ),
        (
            "exact evaluate, median",
            exact["median"]["wall"] * 1e3,
            exact["median"]["cpu"] * 1e3,
            "< 5",
            5.0,
            False,
            "ms",
        ),
        ("import recip, importtime", imp["importtime"], None, "< 0.3", 0.3, False, "s"),
        (
            "import recip, process",
            imp["process"]["wall"],
            imp["process"]["cpu"],
            "< 0.3",
            0.3,
            False,
            "s",
        ),
        ("recip run, process", pick(run, "wall"), pick(run, "cpu"), "< 3", 3.0, False, "s"),
    ]
    print("\nSummary (wall clock; cpu time in brackets)")
    for label, wall, cpu, target_text, target, at_least, unit in rows:
        shown = "-" if wall is None else f"{wall:,.3g}"
        in_cpu = "" if cpu is None else f"({cpu:,.3g})"
        print(
            f"  {label:<26s} {shown:>8s} {in_cpu:>9s} {unit:<2s}  "
            f"target {target_text:>6s} {unit:<2s}  {verdict(wall, target, at_least=at_least)}"
            + ("" if cpu is None else f" (cpu: {verdict(cpu, target, at_least=at_least)})")
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5 * (os.cpu_count() or 1):
        print(
            f"  The machine was busy (load {load:.2f} on {os.cpu_count()} cores): wall times are"
            " upper bounds, and cpu times leave out waits for a core but not shared caches."
        )
    if args.json:
        payload = {
            "date": time.strftime("%Y-%m-%d"),
            "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
            "machine": info,
            "throughput": sim,
            "exact": exact,
            "import": imp,
            "cli": cli,
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str) + "\n")
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
