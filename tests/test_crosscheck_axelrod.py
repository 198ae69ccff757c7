"""recip against the axelrod library: six deterministic strategies, every ordered pair.

Each match is 200 rounds of the prisoner's dilemma with axelrod's default payoffs
(R, P, S, T) = (3, 1, 0, 5) and no noise. recip's simulated moves and scores, and its exact
finite-horizon value (mean per round x 200), must equal axelrod's to the last move. axelrod's
answers are kept as a fixture (``tests/crosscheck/axelrod_matches.json``, written by
``tests/crosscheck/record_axelrod.py``), so the check runs everywhere; where axelrod is importable
the same checks also run live against it.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import recip

HERE = Path(__file__).parent / "crosscheck"
FIXTURE = HERE / "axelrod_matches.json"
TURNS = 200

# Cooperate is listed first with stance +1, defect second with -1, so action index 0 = C, 1 = D.
PD = """
schema = 1
title = "Prisoner's dilemma with axelrod's default payoffs"
players = ["row", "col"]

[states.round]
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }

[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
rounds = 200

[automata.alternator]
description = "Cooperates, then defects, then cooperates, ..."
initial = "even"
memories.even = { play = "cooperate", next = "odd" }
memories.odd = { play = "defect", next = "even" }

[strategies]
row = "aligning"
col = "aligning"
"""

#: recip's spelling of each strategy of the cross-check.
RECIP = {
    "tft": "aligning",
    "grim": {"name": "aligning", "memory": "grim"},
    "wsls": "win-stay-lose-shift",
    "alternator": "alternator",
    "cooperator": "always:cooperate",
    "defector": "always:defect",
}
#: The axelrod class each key must be played by.
AXELROD = {
    "tft": "TitForTat",
    "grim": "Grudger",
    "wsls": "WinStayLoseShift",
    "alternator": "Alternator",
    "cooperator": "Cooperator",
    "defector": "Defector",
}
PAIRS = [(row, col) for row in RECIP for col in RECIP]


def _load_recorder():
    spec = importlib.util.spec_from_file_location("record_axelrod", HERE / "record_axelrod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def scenario():
    return recip.load_scenario(PD)


@cache
def fixture() -> dict:
    return json.loads(FIXTURE.read_text())


@cache
def fixture_matches() -> dict[tuple[str, str], dict]:
    return {(m["row"], m["col"]): m for m in fixture()["matches"]}


@cache
def recip_match(row: str, col: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """recip's moves (one "CD..." string per player, from each of 2 replicates) and scores."""
    sim = recip.simulate(
        scenario(),
        {"row": RECIP[row], "col": RECIP[col]},
        rounds=TURNS,
        replicates=2,
        seed=0,
        record=True,
    )
    actions, payoffs = sim.trajectories
    assert actions.shape == payoffs.shape == (2, TURNS, 2)
    # a deterministic, noiseless profile: both replicates play the same match
    np.testing.assert_array_equal(actions[0], actions[1])
    moves = ["".join("CD"[a] for a in actions[0, :, k]) for k in (0, 1)]
    return moves, payoffs.sum(axis=1), payoffs[0]


def moves_to_payoffs(moves: list[str]) -> np.ndarray:
    """Per-round payoffs (T, 2) of a PD with (R, P, S, T) = (3, 1, 0, 5)."""
    table = {"CC": (3, 3), "CD": (0, 5), "DC": (5, 0), "DD": (1, 1)}
    return np.array([table[a + b] for a, b in zip(*moves, strict=True)], dtype=float)


def check_against(row: str, col: str, moves: list[str], scores: list[int]) -> None:
    ours, our_scores, our_payoffs = recip_match(row, col)
    assert ours[0] == moves[0], f"{row} (row) against {col}: moves differ"
    assert ours[1] == moves[1], f"{col} (col) against {row}: moves differ"
    np.testing.assert_array_equal(our_scores, [scores, scores])
    np.testing.assert_array_equal(our_payoffs, moves_to_payoffs(moves))
    exact = recip.evaluate(scenario(), {"row": RECIP[row], "col": RECIP[col]})
    assert exact.criterion == "finite" and exact.rounds == TURNS
    np.testing.assert_allclose(exact.values * TURNS, scores, rtol=0, atol=1e-9)
    # the exact expected payoff of every round is the realised one: the profile is deterministic
    np.testing.assert_allclose(exact.curve[:TURNS], moves_to_payoffs(moves), rtol=0, atol=1e-12)


# --- against the committed fixture (always) ----------------------------------------------------


def test_fixture_describes_the_intended_matches():
    data = fixture()
    assert data["turns"] == TURNS
    assert data["noise"] == 0
    assert data["game"] == {"R": 3, "P": 1, "S": 0, "T": 5}
    assert {k: v["class"] for k, v in data["strategies"].items()} == AXELROD
    assert sorted(fixture_matches()) == sorted(PAIRS)
    for m in data["matches"]:
        assert all(len(s) == TURNS and set(s) <= {"C", "D"} for s in m["moves"])
        # the recorded scores are the recorded moves' payoffs
        np.testing.assert_array_equal(moves_to_payoffs(m["moves"]).sum(axis=0), m["scores"])


def test_fixture_is_not_trivial():
    """Guard against a degenerate recording: the textbook outcomes of a few matches."""
    m = fixture_matches()
    assert m["tft", "defector"]["moves"] == ["C" + "D" * (TURNS - 1), "D" * TURNS]
    assert m["tft", "defector"]["scores"] == [TURNS - 1, 5 + TURNS - 1]
    assert m["alternator", "tft"]["moves"][1] == "C" + m["alternator", "tft"]["moves"][0][:-1]
    assert m["grim", "alternator"]["moves"][0] == "CC" + "D" * (TURNS - 2)
    # WSLS against a defector alternates C, D: it shifts after the sucker's payoff and after P
    assert m["wsls", "defector"]["moves"][0] == "CD" * (TURNS // 2)


@pytest.mark.parametrize(("row", "col"), PAIRS)
def test_recip_matches_axelrod_fixture(row, col):
    m = fixture_matches()[row, col]
    check_against(row, col, m["moves"], m["scores"])


def test_recip_strategy_labels():
    """The profile really plays what the cross-check says it plays."""
    expected = {
        "tft": "aligning",
        "grim": "aligning(memory=grim)",
        "wsls": "win-stay-lose-shift",
        "alternator": "alternator",
        "cooperator": "always:cooperate",
        "defector": "always:defect",
    }
    for key, spec in RECIP.items():
        ev = recip.evaluate(scenario(), {"row": spec, "col": "always:cooperate"})
        assert ev.profile[0] == expected[key]


# --- live against axelrod (where it is installed) ----------------------------------------------


@pytest.fixture(scope="module")
def axelrod_live():
    pytest.importorskip("axelrod")
    return _load_recorder().play_all(turns=TURNS)


@pytest.mark.crosscheck
@pytest.mark.slow
def test_axelrod_classes_are_the_intended_ones(axelrod_live):
    import axelrod as axl

    for key, cls in AXELROD.items():
        player = getattr(axl, cls)()
        assert type(player).__name__ == cls
        assert not player.classifier["stochastic"], key
    assert axl.TitForTat().classifier["memory_depth"] == 1
    assert axl.Grudger().classifier["memory_depth"] == float("inf")
    assert {k: v["class"] for k, v in axelrod_live["strategies"].items()} == AXELROD


@pytest.mark.crosscheck
@pytest.mark.slow
def test_fixture_agrees_with_live_axelrod(axelrod_live):
    assert axelrod_live["matches"] == fixture()["matches"]


@pytest.mark.crosscheck
@pytest.mark.slow
def test_recip_matches_live_axelrod(axelrod_live):
    for m in axelrod_live["matches"]:
        check_against(m["row"], m["col"], m["moves"], m["scores"])
