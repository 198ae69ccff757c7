"""Critical discount factors against closed forms: every crossing, reported as intervals.

* advantage of TFT over ALLD against TFT: ``A(d) = R - ((1 - d) T + d P)``, zero at
  ``(T - R) / (T - P)``; over three rounds weighted by ``d`` the root solves
  ``(T - R) = (R - P)(d + d^2)``;
* subgame perfection of grim trigger from ``(T - R) / (T - P)``, of WSLS from
  ``(T - R) / (R - P)``, grim in the donation game from ``c / b``; TFT only at its knife edge;
* Nash equilibrium of TFT from ``max((T - R) / (T - P), (T - R) / (R - S))``;
* a one-player game whose policy earns a periodic stream ``x0, x1, x2, x0, ...``: its value
  ``(x0 + d x1 + d^2 x2) / (1 + d + d^2)`` has the roots of ``x0 + d x1 + d^2 x2`` -- two
  crossings, a double root (a touch), two roots inside one grid cell.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_payoffs, pd_scenario
from recip.core.errors import ScenarioError
from recip.questions.scan import DEFAULT_GRID, locate
from recip.questions.threshold import critical_discount
from recip.report.equilibria_text import format_critical_discount
from recip.scenario.load import Scenario
from test_spe import GRIM, grim_pd, wsls_pd

ROOT_TOL = 1e-8


def statuses(result):
    return [(iv.status, iv.is_point) for iv in result.intervals]


# ----------------------------------------------------------------------------------------------
# The advantage


@given(payoffs=pd_payoffs())
@settings(max_examples=30, deadline=None)
def test_tft_over_alld_crosses_at_the_closed_form(payoffs):
    R, _, T, P = payoffs
    r = critical_discount(pd_scenario(*payoffs), policies=["always:defect", "aligning"])
    [root] = r.roots
    assert abs(root - (T - R) / (T - P)) < ROOT_TOL
    assert statuses(r) == [("negative", False), ("positive", False)]
    low, high = r.intervals
    assert (low.low, low.closed_low, high.high) == (0.0, True, 1.0)
    assert "above" in r.sentence and "row" in r.sentence


def test_finite_horizon_weights_rounds_by_the_discount_factor():
    # 3 rounds: TFT earns R each round, ALLD earns T, P, P; the root solves d^2 + d - 1 = 0
    s = pd_scenario(*STANDARD, rounds=3)
    r = critical_discount(s, policies=["always:defect", "aligning"])
    [root] = r.roots
    assert abs(root - (math.sqrt(5) - 1) / 2) < ROOT_TOL
    assert "3 rounds" in r.conditions.text()


def test_same_behaviour_is_a_tie_everywhere():
    # against TFT without noise, ALLC (balancing) and TFT both cooperate forever
    r = critical_discount(pd_scenario(*STANDARD))
    assert statuses(r) == [("zero", False)] and r.roots == ()
    assert "the same value at every discount factor" in r.sentence
    bundled = recip.load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})
    r = critical_discount(bundled)  # its [compare] lists three policies: the first two are used
    assert r.policies == ("balancing", "aligning") and statuses(r) == [("zero", False)]
    assert any("first two policies" in n for n in r.notes)


def stream(x0: float, x1: float, x2: float) -> Scenario:
    """One player; ``always:z`` earns 0, ``cycle`` earns x0, x1, x2, x0, ..."""
    return Scenario.from_dict(
        {
            "schema": 1,
            "title": "streams",
            "players": ["p"],
            "states": {"only": {"actions": {"p": {"a": {}, "b": {}, "c": {}, "z": {}}}}},
            "tables": {"only": {"p": [x0, x1, x2, 0.0]}},
            "horizon": {"discount": 0.5},
            "automata": {
                "cycle": {
                    "memories": {
                        "one": {"play": "a", "next": "two"},
                        "two": {"play": "b", "next": "three"},
                        "three": {"play": "c", "next": "one"},
                    }
                }
            },
            "strategies": {"p": "always:z"},
            "compare": {"policies": ["always:z", "cycle"]},
        }
    )


@given(
    r1=st.floats(0.01, 0.97),
    gap=st.floats(0.002, 0.9),
)
@settings(max_examples=40, deadline=None)
def test_every_crossing_is_found(r1, gap):
    r2 = min(r1 + gap, 0.995)
    # x0 + d x1 + d^2 x2 = (d - r1)(d - r2): positive, negative between the roots, positive
    r = critical_discount(stream(r1 * r2, -(r1 + r2), 1.0))
    assert_allclose(r.roots, [r1, r2], atol=ROOT_TOL)
    assert [c.kind for c in r.crossings] == ["crossing", "crossing"]
    assert statuses(r) == [("positive", False), ("negative", False), ("positive", False)]
    assert not r.intervals[1].closed_low and not r.intervals[1].closed_high


def test_two_roots_in_one_grid_cell_and_a_touch():
    r = critical_discount(stream(0.5012 * 0.5031, -(0.5012 + 0.5031), 1.0))
    assert_allclose(r.roots, [0.5012, 0.5031], atol=ROOT_TOL)
    touch = critical_discount(stream(0.25, -1.0, 1.0))  # (d - 1/2)^2
    [c] = touch.crossings
    assert c.kind == "touch" and abs(c.discount - 0.5) < 1e-7
    assert statuses(touch) == [("positive", False), ("zero", True), ("positive", False)]
    assert "they tie at 0.5" in touch.sentence


def test_locate_on_plain_functions():
    cubic = lambda d: (d - 0.2) * (d - 0.55) * (d - 0.8)  # noqa: E731
    intervals, crossings, _ = locate(cubic, DEFAULT_GRID, "advantage", 1e-12)
    assert_allclose([c.discount for c in crossings], [0.2, 0.55, 0.8], atol=1e-11)
    assert [iv.status for iv in intervals] == ["negative", "positive", "negative", "positive"]
    # an equilibrium condition gain <= tol: a stretch where the gain is exactly 0
    flat = lambda d: max(0.0, 0.3 - d) + max(0.0, d - 0.7)  # noqa: E731
    intervals, crossings, _ = locate(flat, DEFAULT_GRID, "spe", 1e-9)
    assert [iv.status for iv in intervals] == ["fails", "holds", "fails"]
    assert_allclose([c.discount for c in crossings], [0.3, 0.7], atol=2e-9)
    assert intervals[1].closed_low and intervals[1].closed_high


# ----------------------------------------------------------------------------------------------
# Subgame perfection and Nash equilibrium


@given(payoffs=pd_payoffs())
@settings(max_examples=25, deadline=None)
def test_grim_becomes_subgame_perfect_at_the_closed_form(payoffs):
    R, _, T, P = payoffs
    r = critical_discount(grim_pd(*payoffs), what="spe")
    [root] = r.roots
    assert abs(root - (T - R) / (T - P)) < ROOT_TOL
    assert statuses(r) == [("fails", False), ("holds", False)]
    assert r.intervals[1].closed_low
    assert f"at least {root:.6g}" in r.sentence


@given(payoffs=pd_payoffs().filter(lambda p: 2 * p[0] > p[2] + p[3] + 0.01))
@settings(max_examples=25, deadline=None)
def test_wsls_becomes_subgame_perfect_at_the_closed_form(payoffs):
    R, _, T, P = payoffs
    r = critical_discount(wsls_pd(*payoffs), what="spe")
    star = (T - R) / (R - P)
    assert abs(r.holding()[0].low - star) < ROOT_TOL
    assert r.holding()[0].high == 1.0


@given(b=st.integers(2, 40).map(lambda v: v / 4), c_share=st.floats(0.02, 0.98))
@settings(max_examples=25, deadline=None)
def test_donation_game_threshold_is_cost_over_benefit(b, c_share):
    c = b * c_share
    r = critical_discount(grim_pd(b - c, -c, b, 0.0), what="spe")
    [root] = r.roots
    assert abs(root - c / b) < ROOT_TOL


def test_tft_is_subgame_perfect_only_at_its_knife_edge():
    r = critical_discount(pd_scenario(3.0, 0.0, 4.0, 1.0), what="spe")
    [only] = r.holding()
    assert only.is_point and abs(only.low - 1 / 3) < 1e-7
    assert "only at the discount factor" in r.sentence
    never = critical_discount(pd_scenario(*STANDARD), what="spe")
    assert never.holding() == () and "at no discount factor" in never.sentence


@pytest.mark.slow
@given(payoffs=pd_payoffs())
@settings(max_examples=15, deadline=None)
def test_tft_is_nash_from_the_larger_threshold(payoffs):
    R, S, T, P = payoffs
    star = max((T - R) / (T - P), (T - R) / (R - S))
    r = critical_discount(pd_scenario(*payoffs), what="nash", tol=1e-12)
    if star >= 1:
        assert r.holding() == ()
        return
    [good] = r.holding()
    assert abs(good.low - star) < ROOT_TOL and good.high == 1.0


# ----------------------------------------------------------------------------------------------
# Conclusions in words, interface, errors


def test_sentences_state_their_conditions():
    s = recip.load_scenario("sindoor-2025")
    r = critical_discount(s)
    assert r.focal == "russia" and r.policies == ("balancing", "aligning")
    assert "india plays aligning(tolerance=0)" in r.sentence
    assert "pakistan plays always:arm_ukraine" in r.sentence
    assert "execution noise 0.02" in r.sentence
    text = format_critical_discount(r)
    assert text.splitlines()[0][0].isupper() and "Critical discount factors" in text
    doc = json.loads(json.dumps(r.to_dict()))
    assert doc["intervals"][0]["low"] == 0.0 and len(doc["grid"]["values"]) == len(DEFAULT_GRID)
    spe = critical_discount(grim_pd(*STANDARD, noise=0.0), what="spe")
    assert "The profile (row: grim, col: grim) is subgame perfect" in spe.sentence
    assert "no execution noise" in spe.sentence
    assert recip.critical_discount is critical_discount


def test_profile_sets_the_other_players():
    s = pd_scenario(*STANDARD, automata=GRIM)
    tft = critical_discount(s, policies=["always:defect", "aligning"])
    grim = critical_discount(s, policies=["always:defect", "aligning"], profile={"col": "grim"})
    assert_allclose(tft.roots, [0.5], atol=ROOT_TOL)
    assert_allclose(grim.roots, [0.5], atol=ROOT_TOL)
    assert "col plays grim" in grim.sentence


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"what": "nsah"}, "what"),
        ({"focal": "rwo"}, "compare.focal"),
        ({"policies": ["aligning"]}, "policies"),
        ({"policies": ["aligning", "balancing", "random"]}, "policies"),
        ({"profile": {"row": "aligning"}}, "profile.row"),
        ({"grid": 1}, "grid"),
        ({"grid": [0.5, 1.2]}, "grid"),
        ({"grid": "fine"}, "grid"),
        ({"tol": -1}, "tol"),
        ({"policies": ["aligning", "tit-for-tat"]}, "policies[1]"),
    ],
)
def test_bad_arguments(kwargs, key):
    with pytest.raises(ScenarioError) as err:
        critical_discount(pd_scenario(*STANDARD), **kwargs)
    assert err.value.key == key


def test_suggestion_for_a_misspelt_question():
    with pytest.raises(ScenarioError, match="did you mean 'nash'"):
        critical_discount(pd_scenario(*STANDARD), what="nsah")


def test_spe_with_a_finite_horizon_scenario_uses_the_infinite_game():
    r = critical_discount(grim_pd(*STANDARD, discount=None, rounds=5), what="spe")
    assert_allclose(r.roots, [0.5], atol=ROOT_TOL)


def test_custom_grid():
    r = critical_discount(pd_scenario(*STANDARD), policies=["always:defect", "aligning"], grid=7)
    assert len(r.discounts) == 7 and r.discounts[0] == 0.0
    assert_allclose(r.roots, [0.5], atol=ROOT_TOL)
    r = critical_discount(
        pd_scenario(*STANDARD), policies=["always:defect", "aligning"], grid=np.array([0.1, 0.9])
    )
    assert_allclose(r.roots, [0.5], atol=ROOT_TOL)


def test_op_ed_threshold():
    """The op-ed's threshold (its time is a benchmark: benchmarks/bench_equilibria.py)."""
    r = critical_discount(recip.load_scenario("sindoor-2025"))
    assert len(r.intervals) >= 1 and r.intervals[0].low == 0.0 and r.intervals[-1].high == 1.0


# ----------------------------------------------------------------------------------------------
# Rounding neither opens gaps (tol = 0) nor closes a real gain (delta -> 1)


def intervals_of(result):
    return [(iv.status, iv.low, iv.high, iv.closed_low, iv.closed_high) for iv in result.intervals]


@pytest.mark.parametrize("noise", [0.0, 0.01])
@pytest.mark.parametrize("what", ["spe", "nash"])
def test_tolerance_zero_gives_the_intervals_of_a_tiny_tolerance(noise, what):
    s = recip.load_scenario("prisoners-dilemma").with_overrides({"noise.execution": noise})
    grim = {"row": "grim-trigger", "col": "grim-trigger"}
    zero = critical_discount(s, what=what, profile=grim, tol=0)
    tiny = critical_discount(s, what=what, profile=grim, tol=1e-12)
    a, b = intervals_of(zero), intervals_of(tiny)
    assert [x[0] for x in a] == [x[0] for x in b] == ["fails", "holds"]
    assert_allclose([x[1:3] for x in a], [x[1:3] for x in b], atol=1e-9)
    if noise == 0.0:  # grim trigger is an equilibrium from (T - R) / (T - P) = 1/2
        assert abs(zero.holding()[0].low - 0.5) < ROOT_TOL


@given(payoffs=pd_payoffs())
@settings(max_examples=15, deadline=None)
def test_grim_threshold_at_tolerance_zero(payoffs):
    R, _, T, P = payoffs
    r = critical_discount(grim_pd(*payoffs), what="spe", tol=0)
    assert statuses(r) == [("fails", False), ("holds", False)]
    assert abs(r.holding()[0].low - (T - R) / (T - P)) < ROOT_TOL


def test_tft_is_nash_from_two_thirds_at_tolerance_zero():
    # (5, 3, 1, 0): max((T - R) / (T - P), (T - R) / (R - S)) = max(1/2, 2/3)
    r = critical_discount(pd_scenario(*STANDARD), what="nash", tol=0)
    assert statuses(r) == [("fails", False), ("holds", False)]
    assert abs(r.holding()[0].low - 2 / 3) < ROOT_TOL


def test_wsls_with_threshold_one_is_never_subgame_perfect():
    # (T - R) / (R - P) = 1 for (5, 3, 1, 0): the total gain 2 (1 - d) is positive on [0, 1)
    for what in ("spe", "nash"):
        r = critical_discount(wsls_pd(*STANDARD), what=what)
        assert r.holding() == ()
        assert r.intervals[0].status == "fails" and r.intervals[0].high > 0.99999
        # where the gain sinks below its rounding error, the answer is undecided, not "holds"
        assert {iv.status for iv in r.intervals} <= {"fails", "undecided"}
        doc = json.loads(json.dumps(r.to_dict()))
        assert "total discounted payoff" in doc["units"]
        assert len(doc["grid"]["error_bounds"]) == len(doc["grid"]["discounts"])
    assert "at no discount factor" in r.sentence
    assert "floating point cannot decide it" in r.sentence
    assert "undecided" in format_critical_discount(r)


@pytest.mark.parametrize(
    ("func", "roots", "kinds"),
    [
        (lambda x: (x - 0.3123) ** 2, [0.3123], ["touch"]),
        (lambda x: (x - 0.3011) * (x - 0.3033), [0.3011, 0.3033], ["crossing", "crossing"]),
        (lambda x: (x - 0.2) * (x - 0.5) * (x - 0.8), [0.2, 0.5, 0.8], ["crossing"] * 3),
    ],
)
def test_scan_finds_touches_and_close_pairs(func, roots, kinds):
    _, crossings, _ = locate(func, DEFAULT_GRID, "advantage", 1e-9)
    assert [c.kind for c in crossings] == kinds
    assert_allclose([c.discount for c in crossings], roots, atol=1e-7)
