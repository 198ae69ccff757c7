"""Solve once, evaluate many: 1,000 payoff vectors of ``sindoor-2025`` through one compiled
profile, against 1,000 calls of ``recip.evaluate`` on overridden scenarios.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_model.py [--samples 1000] [--repeat 3]

Sample ``k`` changes one uncertain payoff value of the scenario (cycling through its nine, the
value drawn uniformly from its range), with Russia aligning (the others keep the scenario's
strategies). Timed, in turn within each repetition (best kept):

* **compiled**: ``compile_profile(setting, strategies).values(payoffs)`` with ``payoffs`` of
  shape ``(1000, S, J, n)``: the nominal tensor plus the change times the value's payoff basis
  (payoffs are linear in the uncertain values); compiling and building the chain included;
* **overrides**: ``recip.evaluate(scenario.with_overrides({key: value}), profile)`` 1,000 times.

Both must give the same values (``allclose``); target: the compiled profile at least 50x faster.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import recip
from recip.model.profile import compile_profile
from recip.model.setting import as_setting

TARGET = 50.0
PROFILE = {"russia": "aligning"}


def draws(game, samples: int, seed: int) -> list[tuple[int, float]]:
    """(uncertain value index, new value) for each sample."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(samples):
        p = k % len(game.parameters)
        u = game.parameters[p].uncertain
        out.append((p, float(rng.uniform(u.low, u.high))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scenario = recip.load_scenario("sindoor-2025")
    setting = as_setting(scenario)
    game = setting.game
    strategies = setting.profile(PROFILE)
    changes = draws(game, args.samples, args.seed)
    payoffs = np.stack(
        [
            game.payoffs + (value - game.parameters[p].nominal) * game.payoff_basis[p]
            for p, value in changes
        ]
    )

    def compiled():
        return compile_profile(setting, strategies).values(payoffs)

    def overrides():
        return np.array(
            [
                recip.evaluate(
                    scenario.with_overrides({game.parameters[p].key: value}), PROFILE
                ).values
                for p, value in changes
            ]
        )

    compiled(), overrides()  # warm-up
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    best = {"compiled": float("inf"), "overrides": float("inf")}
    results = {}
    for _ in range(args.repeat):
        for name, fn in (("compiled", compiled), ("overrides", overrides)):
            start = time.perf_counter()
            results[name] = fn()
            best[name] = min(best[name], time.perf_counter() - start)
    same = np.allclose(results["compiled"], results["overrides"], rtol=1e-10, atol=1e-12)
    gap = float(np.abs(results["compiled"] - results["overrides"]).max())
    ratio = best["overrides"] / best["compiled"]
    print(
        f"recip {recip.__version__}; load average {load:.2f}; {args.samples} payoff vectors of "
        f"sindoor-2025 (Russia aligning), best of {args.repeat}, interleaved"
    )
    print(f"  compiled profile, one call      {best['compiled'] * 1e3:9.1f} ms")
    print(f"  recip.evaluate with overrides   {best['overrides'] * 1e3:9.1f} ms")
    print(
        f"  ratio                           {ratio:9.0f}x   target >= {TARGET:g}x: "
        f"{'meets' if ratio >= TARGET else 'MISSES'}"
    )
    print(f"  same values: {same} (largest difference {gap:.1e})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
