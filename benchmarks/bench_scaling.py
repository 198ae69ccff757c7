"""How the exact engine scales: players 3 to 8, world states 3 to 1,000, chains up to 250,000
states.

Run by hand from the repository root, with recip installed::

    python benchmarks/bench_scaling.py              # a few minutes
    python benchmarks/bench_scaling.py --quick      # the small rows only
    python benchmarks/bench_scaling.py --solvers    # also SuperLU orderings vs GMRES

For each scenario (generated below; the op-ed scenario is the bundled ``sindoor-2025``) it
prints the chain size and the wall time of

* ``recip.evaluate(s)`` (the scenario's profile; best of ``--repeat``, the first call, which also
  compiles the strategies, excluded by a warm-up),
* ``recip.is_subgame_perfect(s)`` (the one-shot deviation check on every situation, on and off
  the path; one run),
* ``recip.critical_discount(s)`` (where the first player's aligning starts to pay more than its
  balancing, over the whole of [0, 1); one run),

or why a cell was not run: refused by one of recip's limits (the message), or skipped as too slow
for a benchmark (``--all`` runs those too). Targets: a 250,000-state chain evaluated in under 5 s;
the subgame-perfection check on the six-player chain under 2 s and ``critical_discount`` under
5 s; an eight-player reciprocating hub evaluated exactly; 1,000 i.i.d. world states in under 1 s.

Scenarios:

* ``hub n``: a hub and n - 1 spokes; a calm state and one crisis per spoke in which the hub and
  that spoke each cooperate (the other gains 3, the giver pays 1) or defect; everyone aligns;
  5% execution noise; discount 0.9. Nature i.i.d. (all states equally likely), or Markov
  (``markov S``: S states in a cycle, each moving on with chance 1/2, staying with 1/4 and
  returning to calm with 1/4; the extra states are calm ones).
* ``states S``: three players and S world states, in each of which one or two random players
  act with 2 or 3 actions of random stances; random payoff terms; everyone aligns; 5% noise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass

import numpy as np

import recip
from recip.scenario.load import Scenario

EVALUATE_TARGET, SPE_TARGET, CRITICAL_TARGET = 5.0, 2.0, 5.0


def _donation(state: str, giver: str, taker: str) -> dict:
    return {"state": state, "when": {giver: "cooperate"}, taker: 3.0, giver: -1.0}


def _markov(names: list[str]) -> dict:
    S = len(names)
    rows = {}
    for i, s in enumerate(names):
        row: dict[str, float] = {}
        for t, p in ((names[(i + 1) % S], 0.5), (s, 0.25), (names[0], 0.25)):
            row[t] = row.get(t, 0.0) + p
        rows[s] = row
    return {"transitions": rows, "start": names[0]}


def hub(n_players: int, *, markov: int | None = None, states: int | None = None) -> dict:
    """The hub scenario (see the module docstring)."""
    players = ["hub"] + [f"s{k}" for k in range(1, n_players)]
    world: dict = {"calm": {}}
    terms = []
    for p in players[1:]:
        crisis = f"crisis_{p}"
        world[crisis] = {
            "actions": {
                "hub": {"cooperate": {p: 1}, "defect": {p: -1}},
                p: {"cooperate": {"hub": 1}, "defect": {"hub": -1}},
            }
        }
        terms += [_donation(crisis, "hub", p), _donation(crisis, p, "hub")]
    total = markov or states or len(world)
    k = 0
    while len(world) < total:
        world[f"calm{k}"] = {}
        k += 1
    data = {
        "schema": 1,
        "title": f"hub of {n_players}",
        "players": players,
        "states": world,
        "payoffs": terms,
        "horizon": {"discount": 0.9},
        "noise": {"execution": 0.05},
        "strategies": {p: "aligning" for p in players},
    }
    if markov:
        data["nature"] = _markov(list(world))
    else:
        for st in world.values():
            st["probability"] = 1.0 / len(world)
    return data


def many_states(S: int, *, markov: bool = False, seed: int = 0) -> dict:
    """The 'states S' scenario (see the module docstring)."""
    rng = np.random.default_rng(seed)
    players = ["p0", "p1", "p2"]
    world, terms = {}, []
    for k in range(S):
        name = f"w{k}"
        acts = {}
        for a in sorted(rng.choice(3, size=rng.integers(1, 3), replace=False)):
            p = players[a]
            acts[p] = {
                f"a{x}": {q: int(v) for q in players if q != p and (v := rng.integers(-1, 2))}
                for x in range(int(rng.integers(2, 4)))
            }
            values = {q: float(rng.integers(-4, 5)) / 2 for q in players}
            terms.append({"state": name, "when": {p: "a0"}, **values})
        world[name] = {"actions": acts}
    if markov:
        nature = _markov(list(world))
    else:
        weights = rng.integers(1, 9, size=S).astype(float)
        for (_, st), w in zip(world.items(), weights / weights.sum(), strict=True):
            st["probability"] = float(w)
        # make the probabilities add up to 1 exactly in floating point
        last = list(world)[-1]
        world[last]["probability"] = 1.0 - sum(world[s]["probability"] for s in list(world)[:-1])
        nature = None
    data = {
        "schema": 1,
        "title": f"{S} world states",
        "players": players,
        "states": world,
        "payoffs": terms,
        "horizon": {"discount": 0.9},
        "noise": {"execution": 0.05},
        "strategies": {p: "aligning" for p in players},
    }
    if nature:
        data["nature"] = nature
    return data


@dataclass
class Row:
    label: str
    players: int
    states: int
    nature: str
    make: object
    quick: bool = False
    slow: tuple[str, ...] = ()  # checks that take minutes here (run with --all)


ROWS = [
    Row("op-ed (sindoor-2025)", 3, 3, "i.i.d.", lambda: recip.load_scenario("sindoor-2025"), True),
    Row("hub 4", 4, 4, "i.i.d.", lambda: Scenario.from_dict(hub(4)), True),
    Row("hub 5", 5, 5, "i.i.d.", lambda: Scenario.from_dict(hub(5)), True),
    Row(
        "hub 6 (the six-player chain)",
        6,
        7,
        "i.i.d.",
        lambda: Scenario.from_dict(hub(6, states=7)),
        True,
    ),
    Row("hub 6, markov 7", 6, 7, "Markov", lambda: Scenario.from_dict(hub(6, markov=7))),
    Row("hub 7", 7, 7, "i.i.d.", lambda: Scenario.from_dict(hub(7))),
    Row("hub 8", 8, 8, "i.i.d.", lambda: Scenario.from_dict(hub(8))),
    Row("hub 9", 9, 9, "i.i.d.", lambda: Scenario.from_dict(hub(9)), slow=("critical",)),
    Row("hub 10 (over the chain limit)", 10, 10, "i.i.d.", lambda: Scenario.from_dict(hub(10))),
    Row(
        "hub 8, markov 9",
        8,
        9,
        "Markov",
        lambda: Scenario.from_dict(hub(8, markov=9)),
        slow=("critical",),
    ),
    Row(
        "hub 8, markov 15",
        8,
        15,
        "Markov",
        lambda: Scenario.from_dict(hub(8, markov=15)),
        slow=("critical",),
    ),
    Row("states 100", 3, 100, "i.i.d.", lambda: Scenario.from_dict(many_states(100)), True),
    Row("states 1,000", 3, 1000, "i.i.d.", lambda: Scenario.from_dict(many_states(1000))),
    Row(
        "states 1,000, markov",
        3,
        1000,
        "Markov",
        lambda: Scenario.from_dict(many_states(1000, markov=True)),
    ),
]


def timed(fn, repeat: int = 1):
    """(best wall seconds, last result) or (None, reason) when recip refuses."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            result = fn()
        except (recip.ScenarioError, recip.AnalysisError) as exc:
            return None, f"refused: {str(exc).split(': ', 1)[-1][:90]}"
        best = min(best, time.perf_counter() - start)
    return best, result


def solver_table(repeat: int) -> None:
    """Each way of solving ``(I - 0.9 A) x = b`` on the six-player chain over (world state,
    joint memory) (7,168 states), for A = P (values, as the subgame-perfection check solves)
    and A = P^T (occupancy, as evaluate solves): SuperLU with each column ordering (fill of L + U
    and time), and recip's GMRES; BLAS held to one thread."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla
    from threadpoolctl import threadpool_limits

    from recip.engine import linalg
    from recip.engine.chain import build_chain
    from recip.model.setting import as_setting

    setting = as_setting(Scenario.from_dict(hub(6, states=7)))
    automata = setting.compile_profile(setting.profile())
    chain = build_chain(setting.game, automata, setting.noise, average=False)
    n = chain.size
    print(f"\nSolvers on the six-player chain over (world state, joint memory): {n} states")
    print(f"{'system':14s} {'method':22s} {'fill (L+U)':>12s} {'time':>10s}")
    rng = np.random.default_rng(0)
    for name, M in (("I - 0.9 P", chain.transition), ("I - 0.9 P^T", chain.transition.T)):
        A = (sp.identity(n, format="csr") - 0.9 * M).tocsc()
        b = rng.random(n)
        with threadpool_limits(1, "blas"):
            for order in ("COLAMD", "MMD_AT_PLUS_A", "MMD_ATA"):
                best, lu = float("inf"), None
                for _ in range(repeat):
                    start = time.perf_counter()
                    lu = spla.splu(
                        A, permc_spec=order, diag_pivot_thresh=0.1, options={"SymmetricMode": True}
                    )
                    lu.solve(b)
                    best = min(best, time.perf_counter() - start)
                fill = lu.L.nnz + lu.U.nnz
                print(f"{name:14s} {'SuperLU ' + order:22s} {fill:12,d} {best:8.3f} s")
            A = A.tocsr()
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                linalg.gmres(A.__matmul__, b, norm=1.9)
                best = min(best, time.perf_counter() - start)
            print(f"{name:14s} {'GMRES (recip)':22s} {'-':>12s} {best:8.3f} s")


def cell(seconds, note) -> str:
    return f"{seconds:8.2f} s" if seconds is not None else note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of evaluate (best kept)")
    parser.add_argument("--quick", action="store_true", help="only the small rows")
    parser.add_argument("--all", action="store_true", help="also the checks that take minutes")
    parser.add_argument(
        "--solvers", action="store_true", help="also compare the linear solvers on one chain"
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"recip {recip.__version__}; {os.cpu_count()} cores; load average {load:.2f} at start")
    header = (
        f"{'scenario':30s} {'players':>7s} {'states':>6s} {'nature':>7s} {'chain':>8s} "
        f"{'evaluate':>10s} {'SPE check':>10s} {'critical':>10s}"
    )
    print(header)
    print("-" * len(header))
    notes = []
    for row in ROWS:
        if args.quick and not row.quick:
            continue
        s = row.make()
        timed(lambda s=s: recip.evaluate(s))  # warm-up: compiles the strategies
        seconds, result = timed(lambda s=s: recip.evaluate(s), args.repeat)
        chain = result.chain_size if seconds is not None else "-"
        if seconds is None:
            notes.append(f"{row.label}, evaluate: {result}")
        checks = []
        for name, fn in (
            ("SPE", lambda s=s: recip.is_subgame_perfect(s)),
            ("critical", lambda s=s: recip.critical_discount(s)),
        ):
            if name in row.slow and not args.all:
                checks.append("skipped")
                notes.append(f"{row.label}, {name}: skipped (minutes; --all runs it)")
                continue
            t, out = timed(fn)
            if t is None:
                notes.append(f"{row.label}, {name}: {out}")
            checks.append(cell(t, "refused"))
        print(
            f"{row.label:30s} {row.players:7d} {row.states:6d} {row.nature:>7s} {chain!s:>8s} "
            f"{cell(seconds, 'refused'):>10s} {checks[0]:>10s} {checks[1]:>10s}",
            flush=True,
        )
    if args.solvers:
        solver_table(args.repeat)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nload average {load:.2f} at the end")
    for note in notes:
        print(f"  {note}")
    print(
        f"Targets: evaluate < {EVALUATE_TARGET:g} s (250,000 states), < 1 s (1,000 i.i.d. "
        f"states); SPE < {SPE_TARGET:g} s and critical_discount < {CRITICAL_TARGET:g} s on the "
        "six-player chain; the eight-player hub evaluated exactly."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
