"""Discount factors of their own (``horizon.discount`` as a table by player), against closed forms.

Expected values are derived by hand:

* tit-for-tat (row) against an automaton alternating defect, cooperate, ... (col), no noise: row
  earns ``S, T, S, T, ...``, col ``T, S, T, S, ...``; at discount ``d`` a two-round cycle
  ``a, b`` is worth ``(1 - d)(a + d b) / (1 - d^2) = (a + d b) / (1 + d)`` per round, each
  player at its own ``d``; over ``N`` rounds the ``d``-weighted mean is ``sum_t d^t u_t /
  sum_t d^t``;
* tit-for-tat against always-defect: ``(1 - d) S + d P`` for the cooperator's opening, ``(1 -
  d) T + d P`` for the defector;
* grim trigger against grim trigger: a player with discount ``d`` gains ``(1 - d) T + d P - R``
  per round by defecting once (in total ``/(1 - d)``), so it is willing exactly when ``d >=
  (T - R) / (T - P)``: with one player above and one below, subgame perfection fails because of
  the impatient player only.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_data, pd_payoffs, scenario_dicts
from recip.core.errors import ScenarioError
from recip.model.profile import compile_profile
from recip.model.setting import as_setting
from recip.questions.commitment import commit
from recip.questions.credibility import credibility
from recip.report.equilibria_text import format_critical_discount, format_subgame_perfection
from recip.scenario.load import Scenario

ALTERNATE = {
    "alternate": {
        "memories": {"d": {"play": "defect", "next": "c"}, "c": {"play": "cooperate", "next": "d"}}
    }
}


def own_pd(*payoffs: float, discounts: dict[str, Any], **kw: Any) -> Scenario:
    """The prisoner's dilemma of ``conftest.pd_data`` with each player's own discount factor."""
    data = pd_data(*payoffs, **kw)
    data["horizon"]["discount"] = discounts
    return Scenario.from_dict(data)


def cycle_value(a: float, b: float, d: float) -> float:
    """Per-round value of the stream ``a, b, a, b, ...`` at discount ``d``."""
    return (1 - d) * (a + d * b) / (1 - d * d)


# ----------------------------------------------------------------------------------------------
# Evaluation: each player's value at its own discount factor


@given(
    payoffs=pd_payoffs(),
    d_row=st.sampled_from([0.0, 0.3, 0.6, 0.95]),
    d_col=st.sampled_from([0.1, 0.5, 0.9]),
)
@settings(max_examples=25, deadline=None)
def test_alternating_cycle_matches_the_closed_form_for_each_players_discount(payoffs, d_row, d_col):
    R, S, T, P = payoffs
    s = own_pd(
        R,
        S,
        T,
        P,
        discounts={"row": d_row, "col": d_col},
        strategies={"col": "alternate"},
        automata=ALTERNATE,
    )
    e = recip.evaluate(s)
    assert_allclose(
        e.values, [cycle_value(S, T, d_row), cycle_value(T, S, d_col)], rtol=1e-12, atol=1e-12
    )
    if d_row != d_col:
        assert e.discount is None and e.discounts == (d_row, d_col)


def test_tit_for_tat_against_always_defect_each_at_its_own_discount():
    _R, S, T, P = STANDARD
    s = own_pd(*STANDARD, discounts={"row": 0.8, "col": 0.3}, strategies={"col": "always:defect"})
    e = recip.evaluate(s)
    assert_allclose(e.values, [(1 - 0.8) * S + 0.8 * P, (1 - 0.3) * T + 0.3 * P], rtol=1e-12)


def test_finite_horizon_weights_each_players_rounds_by_its_own_discount():
    _R, S, T, _P = STANDARD
    s = own_pd(
        *STANDARD,
        discounts={"row": 0.5, "col": 1.0},  # 1 is allowed with a finite number of rounds
        rounds=3,
        strategies={"col": "alternate"},
        automata=ALTERNATE,
    )
    e = recip.evaluate(s)
    row = (S + 0.5 * T + 0.25 * S) / (1 + 0.5 + 0.25)
    col = (T + S + T) / 3
    assert_allclose(e.values, [row, col], rtol=1e-12)
    assert "3 rounds, discount factors row 0.5, col 1" in e.conditions.text()


def test_frequencies_are_weighted_by_the_focal_players_discount_and_say_so():
    # row cooperates in even rounds only against the alternator: its share of cooperation,
    # weighted by d^t, is 1 / (1 + d) -- at row's d by default, at col's when asked
    s = own_pd(
        *STANDARD,
        discounts={"row": 0.9, "col": 0.5},
        strategies={"row": "alternate", "col": "always:cooperate"},
        automata={
            "alternate": {
                "memories": {
                    "c": {"play": "cooperate", "next": "d"},
                    "d": {"play": "defect", "next": "c"},
                }
            }
        },
    )
    e = recip.evaluate(s)
    assert e.weighted_by == "row"
    assert e.action_frequency("row", "round")["cooperate"] == pytest.approx(1 / 1.9, rel=1e-12)
    assert "frequencies weighted by row's" in e.conditions.text()
    setting = as_setting(s)
    by_col = compile_profile(setting, setting.profile()).evaluation(weighted_by="col")
    assert by_col.action_frequency("row", "round")["cooperate"] == pytest.approx(1 / 1.5, rel=1e-12)
    c = recip.compare(s, focal="col", policies=["always:cooperate", "always:defect"])
    assert c.evaluations[0].weighted_by == "col"
    assert c.to_dict()["conditions"]["frequencies_weighted_by"] == "col"
    doc = e.to_dict()
    assert doc["discounts"] == {"row": 0.9, "col": 0.5} and doc["discount"] is None
    assert doc["conditions"]["discounts"] == {"row": 0.9, "col": 0.5}


def test_exact_and_simulated_agree_within_the_interval_with_own_discounts():
    s = own_pd(*STANDARD, discounts={"row": 0.8, "col": 0.5}, noise=0.05)
    exact = recip.evaluate(s)
    sim = recip.simulate(s, replicates=20_000, seed=3)
    # the most patient player's discount sets the simulated rounds
    assert sim.rounds == int(np.ceil(np.log(1e-9) / np.log(0.8)))
    gap = np.abs(sim.values - exact.values)
    assert np.all(gap <= 4 * sim.stderr + 1e-7), (exact.values, sim.values, sim.stderr)
    # the occupancy is weighted by the focal player's (row's) discount in both
    assert_allclose(sim.occupancy, exact.occupancy, atol=0.02)
    # and each player's value differs from what the other's discount would give it
    common = recip.evaluate(own_pd(*STANDARD, discounts={"row": 0.5, "col": 0.5}, noise=0.05))
    assert abs(common.values[0] - exact.values[0]) > 10 * sim.stderr[0]
    assert_allclose(common.values[1], exact.values[1], rtol=1e-12)


def test_the_meta_game_pays_each_player_at_its_own_discount():
    _R, S, T, P = STANDARD
    s = own_pd(*STANDARD, discounts={"row": 0.7, "col": 0.2})
    g = recip.meta_game(
        s, {"row": ["always:defect", "aligning"], "col": ["always:defect", "aligning"]}
    )
    # row plays tit-for-tat, col always defects
    assert_allclose(g.payoffs[1, 0], [(1 - 0.7) * S + 0.7 * P, (1 - 0.2) * T + 0.2 * P], rtol=1e-12)
    assert "discount factors row 0.7, col 0.2" in g.conditions.text()


# ----------------------------------------------------------------------------------------------
# Subgame perfection, credibility and commitment at each player's own discount factor


@given(payoffs=pd_payoffs(), patient=st.floats(0.0, 0.95), impatient=st.floats(0.0, 1.0))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_grim_trigger_fails_because_of_the_impatient_player_only(payoffs, patient, impatient):
    R, S, T, P = payoffs
    critical = (T - R) / (T - P)
    hi = critical + 0.02 + patient * (0.97 - critical)  # in (critical, 1)
    lo = impatient * (critical - 0.02)  # below it
    assume(critical > 0.03 and critical < 0.95)
    s = own_pd(
        R,
        S,
        T,
        P,
        discounts={"row": hi, "col": lo},
        strategies={"row": "grim-trigger", "col": "grim-trigger"},
    )
    r = recip.is_subgame_perfect(s)
    assert not r.subgame_perfect and r.failing == ("col",)
    assert {v.player for v in r.violations} == {"col"}
    gain = (1 - lo) * T + lo * P - R  # col's one-shot gain per round, at its own discount
    assert r.max_gain == pytest.approx(gain, rel=1e-9, abs=1e-12)
    assert r.max_gain_total == pytest.approx(gain / (1 - lo), rel=1e-9, abs=1e-12)
    assert r.nash_gains[0] == 0.0 and r.nash_gains[1] > 0
    assert "because of col" in r.summary
    text = format_subgame_perfection(r)
    assert "only col (" in text and "own discount factor" in text


def test_grim_trigger_holds_when_both_own_discounts_clear_the_critical_value():
    s = own_pd(
        *STANDARD,
        discounts={"row": 0.55, "col": 0.95},
        strategies={"row": "grim-trigger", "col": "grim-trigger"},
    )
    r = recip.is_subgame_perfect(s)
    assert r.subgame_perfect and r.failing == () and r.nash
    swapped = own_pd(
        *STANDARD,
        discounts={"row": 0.45, "col": 0.95},
        strategies={"row": "grim-trigger", "col": "grim-trigger"},
    )
    assert recip.is_subgame_perfect(swapped).failing == ("row",)
    # an explicit discount is every player's
    assert recip.is_subgame_perfect(swapped, discount=0.6).subgame_perfect


def test_credibility_and_commitment_best_respond_at_the_players_own_discount():
    grim = {"row": "grim-trigger", "col": "grim-trigger"}
    s = own_pd(*STANDARD, discounts={"row": 0.9, "col": 0.3}, strategies=grim)
    c = credibility(s, focal="row", policies=["grim-trigger"])
    status = {x.player: x.status for x in c.checks[0]}
    assert status == {"row": "credible", "col": "not a best response"}
    col = next(x for x in c.checks[0] if x.player == "col")
    # col's best response against grim: defect for ever, (1 - d) T + d P at its own d = 0.3
    assert col.best.value == pytest.approx(0.7 * 5 + 0.3 * 1, rel=1e-12)
    assert c.discount is None and dict(c.discounts) == {"row": 0.9, "col": 0.3}
    # committed to grim trigger, col defects at 0.3 and keeps cooperating at 0.9
    assert commit(s, focal="row", policies=["grim-trigger"]).commitments[0].responses["col"]
    patient = own_pd(*STANDARD, discounts={"row": 0.3, "col": 0.9}, strategies=grim)
    assert (
        commit(patient, focal="row", policies=["grim-trigger"]).commitments[0].responses["col"]
        is None
    )


# ----------------------------------------------------------------------------------------------
# Critical discount factors: each player's curve in its own discount factor


def test_threshold_reports_each_players_critical_value_against_its_own():
    R, _S, T, P = STANDARD
    critical = (T - R) / (T - P)
    s = own_pd(
        *STANDARD,
        discounts={"row": 0.6, "col": 0.4},
        strategies={"row": "grim-trigger", "col": "grim-trigger"},
    )
    r = recip.critical_discount(s, what="spe")
    assert [c.player for c in r.by_player] == ["row", "col"]
    for c in r.by_player:
        [cross] = c.crossings
        assert abs(cross.discount - critical) < 1e-8
    assert [(c.own, c.at_own) for c in r.by_player] == [(0.6, "holds"), (0.4, "fails")]
    assert r.intervals == () and r.crossings == ()
    assert "its own, 0.6, is in that range" in r.sentence
    assert "its own, 0.4, is not" in r.sentence and "because of col" in r.sentence
    doc = r.to_dict()
    assert [p["at_own_discount"] for p in doc["by_player"]] == ["holds", "fails"]
    text = format_critical_discount(r)
    assert "col's own discount factor (0.4 in the scenario" in text


def test_the_focal_advantage_is_a_function_of_its_own_discount_only():
    R, _S, T, P = STANDARD
    policies = ["always:defect", "aligning"]
    a = recip.critical_discount(
        own_pd(*STANDARD, discounts={"row": 0.3, "col": 0.9}), policies=policies
    )
    b = recip.critical_discount(
        own_pd(*STANDARD, discounts={"row": 0.3, "col": 0.1}), policies=policies
    )
    assert a.roots == b.roots and abs(a.roots[0] - (T - R) / (T - P)) < 1e-8
    [own] = a.by_player
    assert (own.player, own.own, own.at_own) == ("row", 0.3, "negative")
    assert "row's own" in a.sentence and "at its own, 0.3, always:defect pays more" in a.sentence


# ----------------------------------------------------------------------------------------------
# The format: the table, overrides, errors


def test_a_player_missing_from_the_table_is_an_error_naming_the_key_and_the_players():
    with pytest.raises(ScenarioError) as info:
        own_pd(*STANDARD, discounts={"row": 0.9})
    assert info.value.key == "horizon.discount"
    assert "col" in info.value.message and "row, col" in info.value.message
    with pytest.raises(ScenarioError) as info:
        own_pd(*STANDARD, discounts={"row": 0.9, "col": 0.9, "colx": 0.5})
    assert info.value.key == "horizon.discount.colx" and "col" in info.value.message
    with pytest.raises(ScenarioError) as info:
        own_pd(*STANDARD, discounts={"row": 0.9, "col": 1.0})  # infinite horizon
    assert info.value.key == "horizon.discount.col"
    with pytest.raises(ScenarioError) as info:
        own_pd(*STANDARD, discounts={"row": 0.9, "col": {"value": 0.5, "low": 0.1, "high": 1.0}})
    assert info.value.key == "horizon.discount.col.high"


def test_code_asking_for_one_discount_factor_is_refused_naming_the_key():
    setting = as_setting(own_pd(*STANDARD, discounts={"row": 0.9, "col": 0.5}))
    assert setting.own_discounts and setting.discount_of("col") == 0.5
    with pytest.raises(ScenarioError) as info:
        setting.discount  # noqa: B018
    assert info.value.key == "horizon.discount" and "row 0.9, col 0.5" in info.value.message
    same = as_setting(own_pd(*STANDARD, discounts={"row": 0.7, "col": 0.7}))
    assert not same.own_discounts and same.discount == 0.7


def test_overrides_set_one_players_discount():
    s = Scenario.from_dict(pd_data(*STANDARD))
    assert s.with_overrides({"horizon.discount.col": 0.5}).spec.discount == {"row": 0.9, "col": 0.5}
    t = s.with_overrides({"horizon.discount": {"row": 0.7, "col": 0.6}})
    assert t.with_overrides({"horizon.discount.row": 0.2}).spec.discount == {"row": 0.2, "col": 0.6}
    with pytest.raises(ScenarioError, match="single value"):
        s.with_overrides({"horizon.discount.low": 0.5})
    # one uncertain value for all: each player gets a copy, an uncertain input of its own
    u = recip.load_scenario("sindoor-2025").with_overrides({"horizon.discount.india": 0.97})
    assert u.spec.discount == {"russia": 0.9, "india": 0.97, "pakistan": 0.9}
    assert [p.key for p in u.spec.inputs if p.key.startswith("horizon")] == [
        "horizon.discount.russia",
        "horizon.discount.india",
        "horizon.discount.pakistan",
    ]


def test_a_sweep_of_one_players_discount_matches_independent_evaluations():
    s = own_pd(
        *STANDARD,
        discounts={"row": 0.9, "col": 0.5},
        strategies={"col": "alternate"},
        automata=ALTERNATE,
    )
    sw = recip.sweep(
        s,
        {"horizon.discount.col": "0.2,0.6", "tables.round.row[1][0]": "5,7"},
        policies=["aligning"],
    )
    for k, (d, t) in enumerate(sw.points):
        _R, S, _, _P = STANDARD
        row = cycle_value(S, t, 0.9)  # the swept temptation pays row in odd rounds
        col = cycle_value(5.0, S, d)
        assert_allclose(sw.values[k, 0], [row, col], rtol=1e-12)
    assert "col swept" in sw.conditions.text()
    with pytest.raises(ScenarioError, match="not both"):
        recip.sweep(s, {"horizon.discount": "0.2,0.6", "horizon.discount.col": "0.2,0.6"})


# ----------------------------------------------------------------------------------------------
# Equal entries are the scalar


@given(data=scenario_dicts(discounts=(0.0, 0.5, 0.9)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_table_of_equal_discounts_gives_the_numbers_of_the_scalar(data):
    d = data["horizon"].get("discount")
    assume(d is not None)
    scalar = Scenario.from_dict(data)
    table = Scenario.from_dict(
        {**data, "horizon": {**data["horizon"], "discount": dict.fromkeys(data["players"], d)}}
    )
    a, b = recip.evaluate(scalar), recip.evaluate(table)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.occupancy, b.occupancy)
    assert a.conditions.text() == b.conditions.text()
    x = recip.simulate(scalar, replicates=64, seed=2)
    y = recip.simulate(table, replicates=64, seed=2)
    assert np.array_equal(x.samples, y.samples)
    if "rounds" not in data["horizon"] and d < 0.9:
        p, q = recip.is_subgame_perfect(scalar), recip.is_subgame_perfect(table)
        assert (p.status, p.max_gain_total, p.nash_gains) == (
            q.status,
            q.max_gain_total,
            q.nash_gains,
        )


@given(
    data=scenario_dicts(discounts=(0.5,)),
    own=st.lists(st.sampled_from([0.0, 0.3, 0.8]), min_size=3, max_size=3),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_each_players_value_is_its_value_when_everyone_shares_its_discount(data, own):
    assume("discount" in data["horizon"])
    players = data["players"]
    table = dict(zip(players, own, strict=False))
    s = Scenario.from_dict({**data, "horizon": {**data["horizon"], "discount": table}})
    values = recip.evaluate(s).values
    for i, p in enumerate(players):
        alone = Scenario.from_dict({**data, "horizon": {**data["horizon"], "discount": table[p]}})
        assert_allclose(values[i], recip.evaluate(alone).values[i], rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------------------------------
# The command line


def recip_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_sets_one_players_discount_and_refuses_a_bad_table():
    r = recip_cli(
        "run", "prisoners-dilemma", "--set", "horizon.discount.col=0.5", "--json", "--no-figures"
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)["comparison"]
    assert doc["conditions"]["discounts"] == {"row": 0.9, "col": 0.5}
    assert doc["evaluations"]["aligning"]["discounts"] == {"row": 0.9, "col": 0.5}
    s = recip.load_scenario("prisoners-dilemma").with_overrides({"horizon.discount.col": 0.5})
    expected = recip.evaluate(s, {"row": "aligning"}).values
    assert_allclose(list(doc["evaluations"]["aligning"]["values"].values()), expected, rtol=1e-12)
    r = recip_cli("run", "prisoners-dilemma", "--set", "horizon.discount={row=0.9}", "--no-figures")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "key 'horizon.discount'" in lines[0]
    assert "row, col" in lines[0]
    r = recip_cli(
        "equilibria",
        "prisoners-dilemma",
        "--spe",
        "--set",
        "horizon.discount={row=0.6, col=0.4}",
        "--set",
        "strategies.row=grim-trigger",
        "--set",
        "strategies.col=grim-trigger",
        "--set",
        "noise.execution=0",
    )
    assert r.returncode == 0 and "only col (0.4) has a profitable deviation" in r.stdout
