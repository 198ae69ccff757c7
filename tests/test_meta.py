"""The meta-game over repeated-game strategies, against closed forms.

In the repeated prisoner's dilemma (no noise, discount ``d``) with candidates ALLD, TFT and ALLC,
the per-round values are, for row (col symmetric):

=======  ===============  ===============  ====
row/col  ALLD             TFT              ALLC
=======  ===============  ===============  ====
ALLD     P                (1 - d) T + d P  T
TFT      (1 - d) S + d P  R                R
ALLC     S                R                R
=======  ===============  ===============  ====

so for ``d > (T - R) / (T - P)``: the pure equilibria are (ALLD, ALLD) and (TFT, TFT); TFT weakly
(not strictly) dominates ALLC; nothing is strictly dominated, even by a mixture; iterated weak
dominance leaves {ALLD, TFT}; against TFT both TFT and ALLC are best responses. For
``d < (T - R) / (T - P)`` ALLD strictly dominates both others and (ALLD, ALLD) is the only
equilibrium.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_payoffs, pd_scenario
from recip.core.errors import ScenarioError
from recip.games.dominance import iterated, mixture_dominates
from recip.io.nfg import parse_nfg
from recip.model.setting import as_setting
from recip.questions.meta import meta_game
from recip.report.equilibria_text import format_meta_game

ALLD, TFT, ALLC = "always:defect", "aligning", "always:cooperate"
THREE = {p: [ALLD, TFT, ALLC] for p in ("row", "col")}


def closed_form(R, S, T, P, d) -> np.ndarray:
    row = np.array(
        [
            [P, (1 - d) * T + d * P, T],
            [(1 - d) * S + d * P, R, R],
            [S, R, R],
        ]
    )
    return np.stack([row, row.T], axis=-1)


@given(payoffs=pd_payoffs(), share=st.floats(0.05, 0.95))
@settings(max_examples=25, deadline=None)
def test_pd_meta_game_above_the_threshold(payoffs, share):
    R, S, T, P = payoffs
    star = (T - R) / (T - P)
    d = star + share * (1 - star)
    game = meta_game(pd_scenario(*payoffs, discount=d), THREE)
    assert_allclose(game.payoffs, closed_form(R, S, T, P, d), atol=1e-10)
    assert game.equilibrium_profiles() == [{"row": ALLD, "col": ALLD}, {"row": TFT, "col": TFT}]
    assert {(x.player, x.dominant, x.dominated, x.kind) for x in game.dominance} == {
        ("row", TFT, ALLC, "weak"),
        ("col", TFT, ALLC, "weak"),
    }
    assert game.survivors_strict == ((ALLD, TFT, ALLC),) * 2
    assert game.survivors_weak == ((ALLD, TFT),) * 2
    assert game.is_best_response("row", ALLC, {"col": TFT})
    assert game.is_best_response("row", TFT, {"col": TFT})
    assert not game.is_best_response("row", TFT, {"col": ALLC})
    for eq in game.equilibria:  # every equilibrium, mixed ones included, is verified
        assert eq.regret <= 1e-9 * max(1.0, np.abs(game.payoffs).max())


@given(payoffs=pd_payoffs(), share=st.floats(0.05, 0.95))
@settings(max_examples=25, deadline=None)
def test_pd_meta_game_below_the_threshold(payoffs, share):
    R, S, T, P = payoffs
    d = share * (T - R) / (T - P)
    game = meta_game(pd_scenario(*payoffs, discount=d), THREE)
    assert_allclose(game.payoffs, closed_form(R, S, T, P, d), atol=1e-10)
    assert game.equilibrium_profiles() == [{"row": ALLD, "col": ALLD}]
    assert len(game.equilibria) == 1
    strict = {(x.player, x.dominated) for x in game.dominance if x.kind == "strict"}
    assert strict == {("row", TFT), ("row", ALLC), ("col", TFT), ("col", ALLC)}
    assert game.survivors_strict == game.survivors_weak == ((ALLD,), (ALLD,))


def test_payoffs_are_the_evaluator_values():
    s = recip.load_scenario("sindoor-2025")
    candidates = {
        "russia": ["balancing", "aligning", "always:align_pakistan"],
        "india": ["aligning", "always:support", {"name": "aligning", "tolerance": 1}],
        "pakistan": ["always:arm_ukraine", "always:stay_out"],
    }
    game = meta_game(s, candidates)
    assert game.payoffs.shape == (3, 3, 2, 3)
    for idx in [(0, 0, 0), (1, 2, 1), (2, 1, 0)]:
        profile = {p: candidates[p][c] for p, c in zip(game.players, idx, strict=True)}
        assert_allclose(game.payoffs[idx], recip.evaluate(s, profile).values, atol=1e-12)
    assert game.candidates[1][2] == "aligning(tolerance=1)"


def test_op_ed_meta_game_answers_the_questions():
    game = meta_game(recip.load_scenario("sindoor-2025"))
    # russia: its strategy, aligning, myopic, then every constant action (balancing is its own)
    assert game.candidates[0] == (
        "balancing",
        "aligning",
        "myopic",
        "always:align_india",
        "always:balance",
        "always:align_pakistan",
    )
    assert game.candidates[1] == (
        "aligning",
        "balancing",
        "myopic",
        "always:support",
        "always:distance",
    )
    heads = game.headlines()
    assert heads[0].startswith("When india plays aligning and pakistan plays always:arm_ukraine")
    others = {"india": "aligning", "pakistan": "always:arm_ukraine"}
    balancing_best = game.is_best_response("russia", "balancing", others)
    assert ("is not a best response" in heads[0]) == (not balancing_best)
    if not balancing_best:  # then: is India's reciprocity a best response to Russia's best?
        assert any("(its best response)" in h for h in heads)
    text = format_meta_game(game)
    for part in (
        "the equilibria below are equilibria among these candidates only",
        "Payoffs: 150 candidate profiles (listed with --verbose, and in --json).",
        "Nash equilibria among these candidates",
        "Dominance:",
        "(among the candidates; listed with --verbose)",
    ):
        assert part in text
    full = format_meta_game(game, verbose=True)
    assert "Payoffs (russia, india, pakistan):" in full
    assert "Best responses (among the listed candidates only):" in full


def test_four_by_four_by_four_is_quick():
    s = recip.load_scenario("sindoor-2025")
    candidates = {
        "russia": [
            "balancing",
            "aligning",
            "always:align_pakistan",
            {"name": "aligning", "memory": "grim"},
        ],
        "india": [
            "aligning",
            "always:support",
            "always:distance",
            {"name": "aligning", "tolerance": 1},
        ],
        "pakistan": ["always:arm_ukraine", "always:stay_out", "aligning", "balancing"],
    }
    game = meta_game(s, candidates)  # its time is a benchmark: benchmarks/bench_equilibria.py
    assert game.payoffs.shape == (4, 4, 4, 3)


def test_nfg_export_round_trip():
    game = meta_game(pd_scenario(*STANDARD), THREE)
    parsed = parse_nfg(game.to_nfg())
    assert list(parsed.players) == ["row", "col"]
    assert [list(a) for a in parsed.strategies] == [[ALLD, TFT, ALLC]] * 2
    assert_allclose(np.asarray(parsed.payoffs, dtype=float), game.payoffs, atol=1e-12)
    args = game.nfg_arguments()
    assert set(args) == {"title", "players", "actions", "payoffs"}


def test_candidates_default_and_from_the_scenario():
    s = pd_scenario(*STANDARD)
    specs, given = as_setting(s).candidate_specs("row")
    assert [getattr(x, "label", x) for x in specs] == [
        "aligning",
        "balancing",
        "aligning",
        "myopic",
        "always:cooperate",
        "always:defect",
    ]
    assert not given
    defaults = ("aligning", "balancing", "myopic", "always:cooperate", "always:defect")
    assert meta_game(s).candidates == (defaults,) * 2  # duplicates dropped
    with_meta = s.with_overrides({"meta.candidates.row": [ALLD, TFT]})
    game = meta_game(with_meta)
    assert game.candidates == ((ALLD, TFT), defaults)
    assert meta_game(with_meta, {"row": [ALLC]}).candidates[0] == (ALLC,)


def test_passive_players_are_left_out():
    s = recip.load_scenario("sindoor-2025")
    game = meta_game(s, {"pakistan": ["always:arm_ukraine"]})
    assert game.players == ("russia", "india", "pakistan")
    solo = pd_scenario(*STANDARD)
    data = dict(solo.data)
    data["players"] = ["row", "col", "watcher"]
    from recip.scenario.load import Scenario

    game = meta_game(Scenario.from_dict(data), THREE)
    assert game.players == ("row", "col") and game.passive == ("watcher",)
    with pytest.raises(ScenarioError, match="never acts"):
        meta_game(Scenario.from_dict(data), {"watcher": ["balancing"]})


@pytest.mark.parametrize(
    ("candidates", "match"),
    [
        ({"rwo": [ALLD]}, "did you mean 'row'"),
        ({"row": []}, "non-empty list"),
        ({"row": ALLD}, "non-empty list"),
        ({"row": [ALLD, ALLD]}, "listed twice"),
        ({"row": ["tit-for-tat"]}, "unknown strategy"),
    ],
)
def test_bad_candidates(candidates, match):
    with pytest.raises(ScenarioError, match=match):
        meta_game(pd_scenario(*STANDARD), candidates)


def test_result_serialises():
    game = meta_game(pd_scenario(*STANDARD), THREE)
    doc = json.loads(json.dumps(game.to_dict()))
    assert len(doc["payoffs"]) == 9
    assert doc["payoffs"][0] == {
        "profile": {"row": ALLD, "col": ALLD},
        "values": {"row": 1.0, "col": 1.0},
    }
    pure = [e for e in doc["equilibria"]["equilibria"] if e["pure"]]
    assert pure[1]["strategies"] == {"row": {TFT: 1.0}, "col": {TFT: 1.0}}
    assert "MetaGame(3x3" in repr(game)


def test_dominance_by_a_mixture():
    # the third row loses to each pure row somewhere, but to their even mixture everywhere
    m = np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    assert mixture_dominates(m, 2, 1e-9)
    assert not mixture_dominates(m, 0, 1e-9)
    payoffs = np.stack([m, np.zeros_like(m)], axis=-1)  # col is indifferent
    labels = (("a", "b", "c"), ("x", "y"))
    assert iterated(payoffs, labels, 1e-9, strict=True) == (("a", "b"), ("x", "y"))
    assert iterated(payoffs, labels, 1e-9, strict=False) == (("a", "b", "c"), ("x", "y"))


def test_best_responses_cover_every_profile_of_the_others():
    game = meta_game(pd_scenario(*STANDARD), THREE)
    for player in game.players:
        seen = [tuple(b.others.values()) for b in game.responses(player)]
        assert sorted(seen) == sorted(itertools.product([ALLD, TFT, ALLC]))
