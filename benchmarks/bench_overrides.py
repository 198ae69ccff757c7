"""Time ``Scenario.with_overrides`` against the evaluation after it (issue 6, section 5).

For three kinds of override of the bundled op-ed scenario (a payoff, the discount factor, a
strategy parameter), the median time of ``s.with_overrides({key: value})`` and of
``recip.evaluate`` on the result, in milliseconds, each over ``--repeat`` calls taken in turn.
To compare two versions of recip, run the script alternately with each on ``PYTHONPATH`` (the
load average is printed: the machine may be shared).

    python benchmarks/bench_overrides.py --repeat 300
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import recip

OVERRIDES = {
    "payoff": {"payoffs.oil_revenue.russia": 3.5},
    "discount": {"horizon.discount": 0.85},
    "strategy parameter": {"strategies.india.tolerance": 0.5},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    scenario = recip.load_scenario("sindoor-2025")
    for changes in OVERRIDES.values():  # warm-up: imports, caches
        recip.evaluate(scenario.with_overrides(changes))
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.repeat} calls, ms")
    for label, changes in OVERRIDES.items():
        overriding, evaluating = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            changed = scenario.with_overrides(changes)
            middle = time.perf_counter()
            recip.evaluate(changed)
            overriding.append(middle - start)
            evaluating.append(time.perf_counter() - middle)
        print(
            f"{label:20s} with_overrides {1e3 * statistics.median(overriding):6.2f}   "
            f"evaluate {1e3 * statistics.median(evaluating):6.2f}"
        )


if __name__ == "__main__":
    main()
