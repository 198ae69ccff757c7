"""Stochastic games: the round's joint action moves nature (``[[nature.after]]``).

Every expected value here is derived by hand or by a direct linear solve written in the test,
never read from recip's own output.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

import recip
from recip.io.toml_out import dumps
from recip.scenario.load import Scenario

PD_ROW = [[3, 0], [5, 1]]  # R S / T P, row's payoffs (row's action first)
PD_COL = [[3, 5], [0, 1]]


def two_state(discount: float = 0.9, **strategies) -> dict:
    """A prisoner's dilemma in a good and a bad world: row's defection in the good world makes
    the bad one likely next (0.8); the bad world recovers with chance 0.5."""
    pd = {
        "row": {"cooperate": {"col": 1}, "defect": {"col": -1}},
        "col": {"cooperate": {"row": 1}, "defect": {"row": -1}},
    }
    return {
        "schema": 1,
        "title": "two-state stochastic PD",
        "players": ["row", "col"],
        "states": {"good": {"actions": pd}, "bad": {"actions": pd}},
        "nature": {
            "start": "good",
            "transitions": {"good": {"good": 1.0}, "bad": {"bad": 0.5, "good": 0.5}},
            "after": [
                {"state": "good", "when": {"row": "defect"}, "next": {"bad": 0.8, "good": 0.2}}
            ],
        },
        "tables": {
            "good": {"row": PD_ROW, "col": PD_COL},
            "bad": {"row": [[1, 0], [2, 0]], "col": [[1, 2], [0, 0]]},
        },
        "horizon": {"discount": discount},
        "strategies": strategies or {"row": "always:defect", "col": "always:cooperate"},
    }


def breakup(discount: float = 0.5) -> dict:
    """A prisoner's dilemma that any defection ends for good: nature, not the partner, punishes."""
    pd = {"row": {"cooperate": {}, "defect": {}}, "col": {"cooperate": {}, "defect": {}}}
    return {
        "schema": 1,
        "title": "a relationship that defection ends",
        "players": ["row", "col"],
        "states": {"together": {"actions": pd}, "apart": {}},
        "nature": {
            "start": "together",
            "transitions": {"together": {"together": 1.0}, "apart": {"apart": 1.0}},
            "after": [
                {"state": "together", "when": {"row": "defect"}, "next": {"apart": 1.0}},
                {"state": "together", "when": {"col": "defect"}, "next": {"apart": 1.0}},
            ],
        },
        "tables": {"together": {"row": PD_ROW, "col": PD_COL}},
        "horizon": {"discount": discount},
        "strategies": {"row": "always:cooperate", "col": "always:cooperate"},
    }


def test_two_state_values_by_hand():
    d = 0.9
    s = Scenario.from_dict(two_state(d))
    # row defects, col cooperates: row earns T = 5 in good, 2 in bad; col earns 0 in both.
    # V_G = (1-d) 5 + d (0.2 V_G + 0.8 V_B),  V_B = (1-d) 2 + d (0.5 V_G + 0.5 V_B)
    a = np.array([[1 - 0.2 * d, -0.8 * d], [-0.5 * d, 1 - 0.5 * d]])
    v_good = np.linalg.solve(a, (1 - d) * np.array([5.0, 2.0]))[0]
    assert_allclose(recip.evaluate(s).values, [v_good, 0.0], rtol=1e-12, atol=1e-14)
    # cooperation never leaves the good world
    both = recip.evaluate(s, {"row": "always:cooperate"}).values
    assert_allclose(both, [3.0, 3.0], rtol=1e-12)
    # the chain and the game say the world moves with the actions
    assert s.game.actions_move_nature and not s.game.iid


def test_first_matching_rule_decides():
    data = two_state()
    data["nature"]["after"].insert(
        0, {"state": "good", "when": {"col": "cooperate"}, "next": {"good": 1.0}}
    )
    s = Scenario.from_dict(data)
    # col cooperates, so the first rule keeps the world good even when row defects: 5 forever
    assert_allclose(recip.evaluate(s).values, [5.0, 0.0], rtol=1e-12)


def test_exact_and_simulated_agree():
    s = Scenario.from_dict(two_state(0.8, row="random", col="aligning"))
    exact = recip.evaluate(s)
    sim = recip.simulate(s, replicates=20_000, seed=3)
    assert np.all(np.abs(sim.values - exact.values) <= 4 * sim.stderr + 1e-12)


# -- a random stochastic game against a direct linear solve -------------------------------------


def _random_game(rng: np.random.Generator) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """Three world states, two players with two actions each, a rule for every (state, joint
    action) and memoryless mixed strategies. Returns the data, each player's chance of its first
    action by state, the next-state laws (S, 2, 2, S) and the payoffs (S, 2, 2, 2)."""
    names = ["s0", "s1", "s2"]
    acts = {"row": {"a": {}, "b": {}}, "col": {"a": {}, "b": {}}}
    moves = rng.dirichlet(np.ones(3), size=(3, 2, 2))
    moves = np.round(moves * 64) / 64
    moves[..., 2] = 1 - moves[..., 0] - moves[..., 1]
    moves = np.clip(moves, 0, 1)
    moves /= moves.sum(axis=-1, keepdims=True)
    pay = rng.integers(-4, 6, size=(3, 2, 2, 2)).astype(float)
    mix = np.round(rng.uniform(0.1, 0.9, size=(2, 3)) * 8) / 8  # player, state
    rules = []
    for s, (x, y) in itertools.product(range(3), itertools.product(range(2), range(2))):
        rules.append(
            {
                "state": names[s],
                "when": {"row": "ab"[x], "col": "ab"[y]},
                "next": {t: float(moves[s, x, y, k]) for k, t in enumerate(names)},
            }
        )
    automata = {
        f"mix_{p}": {
            "memories": {
                "m": {
                    "play": {
                        names[s]: {"a": float(mix[i, s]), "b": float(1 - mix[i, s])}
                        for s in range(3)
                    }
                }
            }
        }
        for i, p in enumerate(["row", "col"])
    }
    data = {
        "schema": 1,
        "title": "random stochastic game",
        "players": ["row", "col"],
        "states": {t: {"actions": acts} for t in names},
        "nature": {
            "start": {"s0": 0.5, "s1": 0.25, "s2": 0.25},
            "transitions": {t: {t: 1.0} for t in names},
            "after": rules,
        },
        "tables": {
            t: {p: pay[s, :, :, i].tolist() for i, p in enumerate(["row", "col"])}
            for s, t in enumerate(names)
        },
        "horizon": {"discount": 0.85},
        "automata": automata,
        "strategies": {"row": "mix_row", "col": "mix_col"},
    }
    return data, mix, moves, pay


@pytest.mark.parametrize("seed", range(6))
def test_random_stochastic_game_matches_direct_solve(seed):
    data, mix, moves, pay = _random_game(np.random.default_rng(seed))
    s = Scenario.from_dict(data)
    p_row = np.stack([mix[0], 1 - mix[0]], axis=1)  # (S, 2)
    p_col = np.stack([mix[1], 1 - mix[1]], axis=1)
    joint = p_row[:, :, None] * p_col[:, None, :]  # (S, 2, 2)
    P = np.einsum("sxy,sxyt->st", joint, moves)
    r = np.einsum("sxy,sxyi->si", joint, pay)
    start = np.array([0.5, 0.25, 0.25])
    for d in (0.0, 0.5, 0.85):
        v = (1 - d) * np.linalg.solve(np.eye(3) - d * P, r)
        got = recip.evaluate(s.with_overrides({"horizon.discount": d})).values
        assert_allclose(got, start @ v, rtol=1e-10, atol=1e-12)
    # the long-run average: the stationary law of P (irreducible: every entry of moves is > 0
    # or the chain still mixes through the start); solved as pi (P - I) = 0, sum pi = 1
    a = np.vstack([(P - np.eye(3)).T, np.ones(3)])
    pi = np.linalg.lstsq(a, np.r_[np.zeros(3), 1.0], rcond=None)[0]
    if np.all(P > 0):
        assert_allclose(recip.evaluate(s, limit_of_means=True).values, pi @ r, atol=1e-10)


def test_memory_and_moves_against_an_enumerated_chain():
    """Two tit-for-tat players with execution noise in the two-state game: the chain over
    (world state, what each last saw the other do), written out here state by state."""
    eps, d = 0.1, 0.8
    data = two_state(d, row="aligning", col="aligning")
    data["noise"] = {"execution": eps}
    s = Scenario.from_dict(data)
    ROW = {"good": np.array(PD_ROW, float), "bad": np.array([[1, 0], [2, 0]], float)}
    COL = {"good": np.array(PD_COL, float), "bad": np.array([[1, 2], [0, 0]], float)}
    names = ["good", "bad"]
    states = list(itertools.product(range(2), range(2), range(2)))  # world, row's move, col's
    index = {x: k for k, x in enumerate(states)}
    P = np.zeros((8, 8))
    r = np.zeros((8, 2))
    for (w, x_prev, y_prev), k in index.items():
        # tit for tat: row plays what col did last (0 = cooperate), col what row did
        for x, y in itertools.product(range(2), range(2)):
            px = 1 - eps if x == y_prev else eps
            py = 1 - eps if y == x_prev else eps
            p = px * py
            r[k] += p * np.array([ROW[names[w]][x, y], COL[names[w]][x, y]])
            if names[w] == "good" and x == 1:
                law = {0: 0.2, 1: 0.8}
            else:
                law = {0: 1.0} if w == 0 else {0: 0.5, 1: 0.5}
            for w2, q in law.items():
                P[k, index[(w2, x, y)]] += p * q
    start = np.zeros(8)
    start[index[(0, 0, 0)]] = 1.0  # good world; each starts as if the other had cooperated
    v = (1 - d) * np.linalg.solve(np.eye(8) - d * P, r)
    assert_allclose(recip.evaluate(s).values, start @ v, rtol=1e-10)


# -- equilibria and thresholds when nature punishes ----------------------------------------------


def test_nature_that_punishes_makes_cooperation_subgame_perfect():
    """Unconditional cooperation is never subgame perfect in the repeated prisoner's dilemma, but
    if any defection ends the relationship (payoff 0 ever after) the one-shot deviation gains
    (1 - d) T - R <= 0 exactly when d >= (T - R) / T = 2 / 5."""
    s = Scenario.from_dict(breakup())
    assert recip.is_subgame_perfect(s, discount=0.41).subgame_perfect
    low = recip.is_subgame_perfect(s, discount=0.3)
    assert not low.subgame_perfect
    # the largest gain at d = 0.3, per round: (1 - d) 5 - 3 (defect once, then 0 for ever)
    assert_allclose(low.max_gain, 0.7 * 5 - 3, rtol=1e-9)
    spe = recip.critical_discount(s, what="spe")
    assert_allclose(spe.roots, [0.4], atol=1e-9)
    # row's advantage of cooperating over defecting: 3 - 5 (1 - d), zero at d = 0.4
    adv = recip.critical_discount(s, policies=["always:defect", "always:cooperate"])
    assert_allclose(adv.roots, [0.4], atol=1e-9)


def test_credibility_with_moves():
    s = Scenario.from_dict(breakup(0.5))
    c = recip.credibility(s, focal="row", policies=["always:cooperate", "always:defect"])
    # under row's cooperation, col's cooperation is a best response at d = 0.5 (3 >= 2.5)
    assert [x.status for x in c.checks[0]][1] == "credible"


def test_history_leaves_nature_where_its_last_round_moved_it():
    data = two_state(0.9)
    del data["nature"]["start"]
    data["history"] = [{"state": "good", "actions": {"row": "defect", "col": "cooperate"}}]
    s = Scenario.from_dict(data)
    assert_allclose(s.game.start, [0.2, 0.8])  # the rule's law, not the good world's own row
    data["history"][0]["actions"]["row"] = "cooperate"
    assert_allclose(Scenario.from_dict(data).game.start, [1.0, 0.0])


def test_rules_on_an_iid_nature():
    """With i.i.d. nature the rules replace the fresh draw where they match: the game becomes
    Markov. Row always defects: after every round the world is bad with chance 0.8 in good and
    the i.i.d. 0.5 in bad."""
    data = two_state(0.9)
    data["states"]["good"]["probability"] = 0.5
    data["states"]["bad"]["probability"] = 0.5
    data["nature"] = {"after": data["nature"]["after"]}
    s = Scenario.from_dict(data)
    assert not s.game.iid
    d = 0.9
    a = np.array([[1 - 0.2 * d, -0.8 * d], [-0.5 * d, 1 - 0.5 * d]])
    v = np.linalg.solve(a, (1 - d) * np.array([5.0, 2.0]))
    assert_allclose(recip.evaluate(s).value("row"), 0.5 * v[0] + 0.5 * v[1], rtol=1e-12)


# -- the file format: bad rules are refused, naming the key -------------------------------------


def _recip(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            lambda r: r.update(next={"bad": 0.5, "good": 0.4}),
            "nature.after[0].next",
            "add up to 0.9",
        ),
        (lambda r: r.update(next={"worse": 1.0}), "nature.after[0].next.worse", "unknown state"),
        (lambda r: r.update(when={"row": "attack"}), "nature.after[0].when.row", "unknown action"),
        (lambda r: r.update(state="nowhere"), "nature.after[0].state", "unknown state"),
        (lambda r: r.update(next={}), "nature.after[0].next", "at least one"),
    ],
)
def test_bad_rules_exit_2_naming_the_key(tmp_path, change, key, words):
    data = two_state()
    change(data["nature"]["after"][0])
    path = tmp_path / "bad.toml"
    path.write_text(dumps(data))
    out = _recip("validate", str(path), cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert key in out.stderr and words in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_show_run_and_set(tmp_path):
    path = tmp_path / "moves.toml"
    path.write_text(dumps(two_state()))
    shown = _recip("show", str(path), cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "after good, when row defect: next good 0.2, bad 0.8" in shown.stdout
    # an override that breaks a law is refused like the file would be
    bad = _recip("run", str(path), "--set", "nature.after[0].next.bad=0.5", cwd=tmp_path)
    assert bad.returncode == 2 and "nature.after[0].next" in bad.stderr
    assert not (tmp_path / "recip-out").exists()
    good = _recip(
        "run",
        str(path),
        "--set",
        "nature.after[0].next={good=1.0}",
        "--no-credibility",
        cwd=tmp_path,
    )
    assert good.returncode == 0, good.stderr
