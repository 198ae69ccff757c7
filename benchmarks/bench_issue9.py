"""Benchmarks of issue 9's building blocks and issue 10's report.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_issue9.py [--repeat 3]

What is measured (best wall time of ``--repeat`` runs, in one process unless said):

1. The exact chain of the hub scenarios of ``bench_scaling.py`` (six reciprocating players,
   i.i.d. nature, then a Markov nature of 12 states): plain, with observation noise 0.05 (every
   player misreads), and with a ``[[nature.after]]`` rule on every crisis (a stochastic game).
   Target: the building blocks cost nothing when unused, and misreading at most ~10x (each
   player's next memory becomes a law, so the chain's transitions multiply).
2. Each player's own discount factor: ``recip.evaluate`` on sindoor-2025 with one discount for
   all and with three different ones (one exact solve per distinct discount factor).
3. ``recip report sindoor-2025`` as a user runs it (a new process): time and file size.
   Target: under a minute.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import recip
from recip.engine.chain import build_chain
from recip.model.setting import as_setting
from recip.scenario.load import Scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scaling import hub

ROOT = Path(__file__).resolve().parents[1]


def best(f, repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t)
    return out


def chain_time(data: dict, repeat: int) -> tuple[float, int, int]:
    setting = as_setting(Scenario.from_dict(data))
    automata = setting.compile_profile(setting.profile())
    observation = setting.observation if setting.observes_privately else None

    def build():
        return build_chain(setting.game, automata, setting.noise, observation=observation)

    chain = build()
    return best(build, repeat), chain.size, chain.transition.nnz


def variants(markov: int | None) -> dict[str, dict]:
    """The hub plain, with every player misreading (0.05), and with a rule on every crisis:
    after the hub defects there, the next round is calm (a stochastic game)."""
    plain = hub(6, markov=markov)
    misread = {**plain, "noise": {**plain["noise"], "observation": 0.05}}
    rules = [
        {"state": s, "when": {"hub": "defect"}, "next": {"calm": 1.0}}
        for s in plain["states"]
        if s.startswith("crisis_")
    ]
    moved = {**plain, "nature": {**(plain.get("nature") or {}), "after": rules}}
    return {"plain": plain, "observation 0.05": misread, "actions move nature": moved}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("1. exact chain of the six-player hub (best of", args.repeat, "builds)")
    for markov in (None, 12):
        kind = "i.i.d. nature" if markov is None else f"Markov nature of {markov} states"
        for name, data in variants(markov).items():
            try:
                t, size, nnz = chain_time(data, args.repeat)
                print(
                    f"   {kind:28s} {name:22s} {t * 1e3:8.1f} ms  {size:>7,} states  "
                    f"{nnz:>9,} transitions"
                )
            except recip.ScenarioError as exc:
                print(f"   {kind:28s} {name:22s} refused: {exc.message[:60]}")
    print("2. recip.evaluate(sindoor-2025), one discount vs each player's own")
    s = recip.load_scenario("sindoor-2025")
    own = s.with_overrides({"horizon.discount": {"russia": 0.9, "india": 0.97, "pakistan": 0.6}})
    for name, sc in (("one for all (0.9)", s), ("own (0.9, 0.97, 0.6)", own)):
        t = best(lambda sc=sc: recip.evaluate(sc, {"russia": "aligning"}), args.repeat)
        print(f"   {name:24s} {t * 1e3:8.1f} ms")
    print("3. recip report sindoor-2025 (a new process)")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "recip", "report", "sindoor-2025", "--out", tmp]
        t = best(lambda: subprocess.run(cmd, check=True, capture_output=True), 1)
        size = (Path(tmp) / "report.html").stat().st_size
        print(f"   {t:6.1f} s, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
