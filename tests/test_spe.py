"""Subgame perfection and Nash equilibrium of automata profiles, against closed forms.

Every expected number is derived here from first principles (per-round values, ``(1 - delta)``
normalised), for payoff sets drawn by hypothesis, on both sides of each threshold:

* grim trigger (defect forever once anyone defected) vs itself: subgame perfect iff
  ``delta >= (T - R) / (T - P)``; in the donation game that is ``c / b``;
* win-stay-lose-shift vs itself: subgame perfect iff ``delta >= (T - R) / (R - P)``;
* tit-for-tat vs itself: a Nash equilibrium iff ``delta >= max((T - R) / (T - P),
  (T - R) / (R - S))`` (the best replies to TFT are ALLD and alternation), subgame perfect only
  on the knife edge ``delta = (T - R) / (R - S) = (P - S) / (T - P)``;
* recip's ``aligning(memory="grim")`` (the *grudger*: punishes only the partner's defection) is a
  Nash equilibrium from the same threshold as grim trigger, but never subgame perfect: a player
  punished for its own defection keeps cooperating for a round, which it should not.

Random scenarios check the deviation values against an independent brute force: each situation's
value and each one-shot deviation's value evaluated by the exact engine from a modified start.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_data, pd_payoffs, pd_scenario, scenario_dicts
from recip.core.automaton import Automaton
from recip.core.errors import ScenarioError
from recip.engine import exact
from recip.engine.chain import build_chain
from recip.engine.deviation_build import deviation_model
from recip.model.profile import compile_profile
from recip.model.setting import as_setting
from recip.questions.spe import is_subgame_perfect
from recip.report.equilibria_text import format_subgame_perfection
from recip.scenario.load import Scenario

GRIM = {
    "grim": {
        "memories": {
            "trust": {
                "play": "cooperate",
                "next": [
                    {"when": {"row": "defect"}, "to": "punish"},
                    {"when": {"col": "defect"}, "to": "punish"},
                ],
            },
            "punish": {"play": "defect"},
        }
    }
}
STEP = 1e-6  # distance from a threshold at which the answer must already differ


def grim_pd(R, S, T, P, **kw):
    return pd_scenario(R, S, T, P, automata=GRIM, strategies={"row": "grim", "col": "grim"}, **kw)


def wsls_pd(R, S, T, P, **kw):
    wsls = {"name": "win-stay-lose-shift", "aspiration": (R + P) / 2}
    return pd_scenario(R, S, T, P, strategies={"row": wsls, "col": wsls}, **kw)


# ----------------------------------------------------------------------------------------------
# Grim trigger


def grim_gain(R, S, T, P, delta):
    """Largest one-shot gain of grim vs grim: defecting while trusted earns
    ``(1 - d) T + d P - R``; cooperating while punished ``(1 - d) S + d P - P``."""
    return max((1 - delta) * T + delta * P - R, (1 - delta) * (S - P))


@given(payoffs=pd_payoffs(), delta=st.floats(0.0, 0.99))
@settings(max_examples=40, deadline=None)
def test_grim_largest_gain_closed_form(payoffs, delta):
    result = is_subgame_perfect(grim_pd(*payoffs), discount=delta)
    assert_allclose(result.max_gain, grim_gain(*payoffs, delta), atol=1e-10)
    assert result.n_situations == 2  # both trust, both punish: one defection punishes both


@given(payoffs=pd_payoffs())
@settings(max_examples=40, deadline=None)
def test_grim_is_subgame_perfect_iff_delta_at_least_threshold(payoffs):
    R, _, T, P = payoffs
    star = (T - R) / (T - P)
    s = grim_pd(*payoffs)
    assert is_subgame_perfect(s, discount=star + STEP)
    assert is_subgame_perfect(s, discount=star + (1 - star) / 2)
    below = is_subgame_perfect(s, discount=star - STEP)
    assert not below
    # the violation: defecting on the path of play, in the trusting situation
    worst = below.violations[0]
    assert worst.on_path and worst.deviation == "defect"
    assert worst.memories == {"row": "trust", "col": "trust"}
    assert_allclose(worst.gain, (T - R) - (star - STEP) * (T - P), rtol=1e-6)


@given(b=st.integers(2, 40).map(lambda v: v / 4), c_share=st.floats(0.05, 0.95))
@settings(max_examples=30, deadline=None)
def test_donation_game_grim_threshold_is_cost_over_benefit(b, c_share):
    c = b * c_share
    s = grim_pd(b - c, -c, b, 0.0)  # R = b - c, S = -c, T = b, P = 0
    assert is_subgame_perfect(s, discount=c / b + STEP)
    assert not is_subgame_perfect(s, discount=c / b - STEP)


# ----------------------------------------------------------------------------------------------
# Win-stay-lose-shift


def wsls_gain(R, S, T, P, delta):
    """WSLS vs WSLS: from mutual cooperation, defecting once earns T, then mutual defection P,
    then cooperation again; from mutual defection, cooperating alone earns S and mutual defection
    comes back."""
    after_dd = (1 - delta) * P + delta * R
    at_cc = (1 - delta) * T + delta * (1 - delta) * P + delta**2 * R - R
    at_dd = (1 - delta) * (S - after_dd)
    return max(at_cc, at_dd)


@given(payoffs=pd_payoffs(), delta=st.floats(0.0, 0.99))
@settings(max_examples=40, deadline=None)
def test_wsls_largest_gain_closed_form(payoffs, delta):
    result = is_subgame_perfect(wsls_pd(*payoffs), discount=delta)
    assert_allclose(result.max_gain, wsls_gain(*payoffs, delta), atol=1e-10)


@given(payoffs=pd_payoffs())
@settings(max_examples=40, deadline=None)
def test_wsls_is_subgame_perfect_iff_delta_at_least_threshold(payoffs):
    R, _, T, P = payoffs
    s = wsls_pd(*payoffs)
    if 2 * R <= T + P:  # the threshold is >= 1: never
        for delta in (0.5, 0.9, 0.999):
            assert not is_subgame_perfect(s, discount=delta)
        return
    star = (T - R) / (R - P)
    assert is_subgame_perfect(s, discount=star + STEP)
    if star > STEP:
        assert not is_subgame_perfect(s, discount=star - STEP)


# ----------------------------------------------------------------------------------------------
# Tit-for-tat: Nash, not subgame perfect


def tft_nash_gain(R, S, T, P, delta):
    """Best reply to TFT from mutual cooperation: keep cooperating (R), defect forever
    ((1 - d) T + d P) or alternate D, C, D, ... ((T + d S) / (1 + d))."""
    best = max(R, (1 - delta) * T + delta * P, (T + delta * S) / (1 + delta))
    return best - R


@given(payoffs=pd_payoffs(), delta=st.floats(0.0, 0.99))
@settings(max_examples=40, deadline=None)
def test_tft_nash_gain_closed_form(payoffs, delta):
    result = is_subgame_perfect(pd_scenario(*payoffs), discount=delta)
    assert_allclose(result.nash_gains, [tft_nash_gain(*payoffs, delta)] * 2, atol=1e-10)


@given(payoffs=pd_payoffs())
@settings(max_examples=40, deadline=None)
def test_tft_is_nash_iff_delta_at_least_both_thresholds(payoffs):
    R, S, T, P = payoffs
    star = max((T - R) / (T - P), (T - R) / (R - S))
    s = pd_scenario(*payoffs)
    if star + STEP < 1:
        assert is_subgame_perfect(s, discount=star + STEP).nash
    assert not is_subgame_perfect(s, discount=min(star - STEP, 0.999)).nash


def test_tft_is_subgame_perfect_only_on_the_knife_edge():
    # T=4, R=3, P=1, S=0: (T-R)/(R-S) = (P-S)/(T-P) = 1/3
    s = pd_scenario(3.0, 0.0, 4.0, 1.0)
    assert is_subgame_perfect(s, discount=1 / 3)
    for delta in (1 / 3 - 1e-4, 1 / 3 + 1e-4, 0.9):
        assert not is_subgame_perfect(s, discount=delta)
    # the standard payoffs have no knife edge: never subgame perfect, although Nash at 0.9
    result = is_subgame_perfect(pd_scenario(*STANDARD), discount=0.9)
    assert not result and result.nash
    assert result.max_gain_off_path > 0 > result.max_gain_on_path


# ----------------------------------------------------------------------------------------------
# The grudger: aligning with memory = "grim"


@given(payoffs=pd_payoffs(), delta=st.floats(0.01, 0.99))
@settings(max_examples=40, deadline=None)
def test_grudger_is_never_subgame_perfect(payoffs, delta):
    R, S, T, P = payoffs
    grudger = {"name": "aligning", "memory": "grim"}
    s = pd_scenario(*payoffs, strategies={"row": grudger, "col": grudger})
    result = is_subgame_perfect(s, discount=delta)
    assert not result
    # row is trusted by nobody (col remembers its defection) but still trusts col: cooperating
    # earns S where defecting earns P, with the same future
    [v] = [
        v
        for v in result.violations
        if v.player == "row" and v.memories == {"row": "col:+", "col": "row:-"}
    ]
    assert v.deviation == "defect" and not v.on_path
    assert_allclose(v.gain, (1 - delta) * (P - S), rtol=1e-9)
    star = (T - R) / (T - P)
    assert result.nash == (delta >= star + 1e-9) or abs(delta - star) < 1e-9


# ----------------------------------------------------------------------------------------------
# Mixed strategies, noise, history


def test_mixing_with_unequal_support_values_is_a_violation():
    # row mixes C and D against ALLD at delta = 0: Q(C) = S, Q(D) = P, V = (S + P) / 2
    _, S, _, P = STANDARD
    s = pd_scenario(*STANDARD, strategies={"row": "random", "col": "always:defect"})
    result = is_subgame_perfect(s, discount=0.0)
    [v] = result.violations
    assert (v.player, v.deviation) == ("row", "defect")
    assert v.profile_action.startswith("mixing")
    assert_allclose(v.gain, (P - S) / 2)


def test_indifferent_mixtures_are_subgame_perfect():
    pennies = pd_data(discount=0.8, strategies={"row": "random", "col": "random"})
    pennies["tables"]["round"] = {"row": [[1, -1], [-1, 1]], "col": [[-1, 1], [1, -1]]}
    result = is_subgame_perfect(Scenario.from_dict(pennies))
    assert result and result.nash
    assert abs(result.max_gain) < 1e-12


def test_noise_puts_every_situation_on_the_path():
    result = is_subgame_perfect(pd_scenario(*STANDARD, noise=0.05), discount=0.9)
    assert result.n_on_path == result.n_situations == 4
    assert result.max_gain_off_path == -np.inf
    noiseless = is_subgame_perfect(pd_scenario(*STANDARD), discount=0.9)
    assert noiseless.n_on_path == 1 and noiseless.n_situations == 4


def test_values_match_the_evaluator_with_noise_and_history():
    history = [{"state": "round", "actions": {"row": "defect", "col": "cooperate"}}]
    s = pd_scenario(*STANDARD, noise=0.03, history=history)
    model = compile_profile(as_setting(s), as_setting(s).profile()).deviations
    values = model.values(0.9)
    assert_allclose(model.start @ values, recip.evaluate(s).values, atol=1e-12)
    result = is_subgame_perfect(s)
    assert result.history == 1
    assert "after 1 scripted rounds of history" in format_subgame_perfection(result)


def test_subgame_perfect_implies_nash():
    result = is_subgame_perfect(grim_pd(*STANDARD), discount=0.7)
    assert result and result.nash and result.nash_gains == (0.0, 0.0)


# ----------------------------------------------------------------------------------------------
# Brute force on random scenarios


def _from(game, automata, world, memories):
    """``game`` and ``automata`` restarted in world state ``world`` with ``memories``."""
    start = np.zeros(game.n_states)
    start[world] = 1.0
    g = replace(game, start=start, history=())
    return g, [replace(a, initial=int(m)) for a, m in zip(automata, memories, strict=True)]


def _value(game, automata, noise, discount):
    chain = build_chain(game, automata, noise)
    return exact.discounted_occupancy(chain, discount) @ chain.reward


def _deviating(automaton: Automaton, memory: int, world: int, action: int) -> Automaton:
    """An automaton with one extra memory (the start) that intends ``action`` in ``world`` and
    then moves on as ``memory`` would."""
    policy = np.concatenate([automaton.policy, automaton.policy[memory : memory + 1]])
    policy[-1, world] = 0.0
    policy[-1, world, action] = 1.0
    update = np.concatenate([automaton.update, automaton.update[memory : memory + 1]])
    labels = (*automaton.memory_labels, "deviating")
    return Automaton(policy, update, len(labels) - 1, labels, automaton.label)


@given(data=scenario_dicts(max_players=3, max_states=2, max_actions=3), pick=st.randoms())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_deviation_values_against_brute_force(data, pick):
    data["horizon"] = {"discount": 0.8}
    try:
        s = Scenario.from_dict(data)
        model = compile_profile(as_setting(s), as_setting(s).profile()).deviation_model(400)
    except ScenarioError:
        assume(False)
    game = s.game
    noise = list(model.noise)
    values = model.values(0.8)
    q = model.action_values(0.8, values)
    # the profile's value is its mixture of the action values, in every situation
    mixed = np.einsum("ika,ika->ki", model.policy, np.where(model.valid, q, 0.0))
    assert_allclose(mixed, values, atol=1e-9)
    for k in pick.sample(range(model.size), min(3, model.size)):
        g, automata = _from(game, model.automata, model.world[k], model.memories[k])
        assert_allclose(_value(g, automata, noise, 0.8), values[k], atol=1e-9)
        i = pick.randrange(game.n_players)
        a = pick.randrange(int(game.n_actions[model.world[k], i]))
        dev = list(automata)
        dev[i] = _deviating(automata[i], int(model.memories[k, i]), int(model.world[k]), a)
        assert_allclose(_value(g, dev, noise, 0.8)[i], q[i, k, a], atol=1e-9)


@given(data=scenario_dicts(max_players=2, max_states=2, max_actions=3))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_nash_gain_bounds_every_alternative_strategy(data):
    data["horizon"] = {"discount": 0.7}
    try:
        s = Scenario.from_dict(data)
        result = is_subgame_perfect(s, max_states=400)
    except ScenarioError:
        assume(False)
    base = recip.evaluate(s).values
    assert min(result.nash_gains) >= -1e-9
    if result.subgame_perfect:
        assert max(result.nash_gains) <= 1e-8
    for i, player in enumerate(s.players):
        if not s.game.acts[:, i].any():
            continue
        for alt in ("balancing", "aligning", "random", "myopic", "win-stay-lose-shift"):
            value = recip.evaluate(s, {player: alt}).values[i]
            assert value <= base[i] + result.nash_gains[i] + 1e-8


# ----------------------------------------------------------------------------------------------
# Interface


def test_result_interface():
    s = grim_pd(*STANDARD)
    good = is_subgame_perfect(s, discount=0.6)
    bad = is_subgame_perfect(s, discount=0.3)
    assert bool(good) and not bad
    assert "subgame perfect" in repr(good)
    doc = json.loads(json.dumps(bad.to_dict()))
    assert doc["subgame_perfect"] is False and doc["violations_count"] == 2
    assert doc["violations"][0]["memories"] == {"row": "trust", "col": "trust"}
    text = format_subgame_perfection(bad)
    assert "Not subgame perfect" in text and "row gains" in text and "on the path" in text
    assert "Subgame perfect: every one-shot deviation loses" in format_subgame_perfection(good)
    assert recip.is_subgame_perfect is is_subgame_perfect


def test_nobody_choosing_is_trivially_subgame_perfect():
    s = pd_scenario(*STANDARD, strategies={"row": "always:defect", "col": "always:defect"})
    result = is_subgame_perfect(s, discount=0.5)
    assert result and result.max_gain < 0
    one_action = Scenario.from_dict(
        {
            "schema": 1,
            "title": "no choice",
            "players": ["a"],
            "states": {"s": {"actions": {"a": {"only": {}}}}},
            "tables": {"s": {"a": [1.0]}},
            "horizon": {"discount": 0.5},
            "strategies": {"a": "balancing"},
        }
    )
    result = is_subgame_perfect(one_action)
    assert result and result.max_gain == -np.inf and result.to_dict()["max_gain"] is None
    assert "no player ever has a choice" in format_subgame_perfection(result)


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"discount": 1.0}, "horizon.discount"),
        ({"discount": -0.1}, "horizon.discount"),
        ({"discount": "high"}, "horizon.discount"),
        ({"tol": -1.0}, "tol"),
    ],
)
def test_bad_arguments(kwargs, key):
    with pytest.raises(ScenarioError) as err:
        is_subgame_perfect(pd_scenario(*STANDARD), **kwargs)
    assert err.value.key == key


def test_finite_horizon_needs_an_explicit_discount():
    s = pd_scenario(*STANDARD, discount=None, rounds=10)
    with pytest.raises(ScenarioError, match="finite horizon") as err:
        is_subgame_perfect(s)
    assert err.value.key == "horizon.rounds"
    assert is_subgame_perfect(s, discount=0.9).nash


def test_too_many_situations_is_a_scenario_error():
    s = pd_scenario(*STANDARD)
    with pytest.raises(ScenarioError, match="situations"):
        is_subgame_perfect(s, max_states=3)
    with pytest.raises(ScenarioError, match="unknown strategy"):
        is_subgame_perfect(s, {"row": "tit-for-tat"})


def test_deviation_model_is_reusable_across_discounts():
    s = grim_pd(*STANDARD)
    model = compile_profile(as_setting(s), as_setting(s).profile()).deviations
    again = deviation_model(s.game, model.automata, model.noise)
    for delta in (0.1, 0.5, 0.9):
        assert model.largest_gain(delta) == again.largest_gain(delta)


def test_op_ed_profile_is_checked():
    """(Its time is a benchmark: benchmarks/bench_equilibria.py.) Under the op-ed's payoffs India
    gains by supporting Russia whatever Russia did, so its reciprocity is not subgame perfect."""
    result = is_subgame_perfect(recip.load_scenario("sindoor-2025"), {"russia": "aligning"})
    assert result.n_situations > 1
    assert not result.subgame_perfect


# ----------------------------------------------------------------------------------------------
# The scale of the tolerance and what rounding can decide (issue 6)
#
# WSLS vs WSLS in the PD (5, 3, 1, 0): from mutual cooperation, defecting once earns T, then
# mutual defection P, then cooperation again, against R forever. Per round the gain is
# (1 - d) T + d (1 - d) P + d^2 R - R = (1 - d) ((T - R) - d (R - P)) = 2 (1 - d)^2; in total
# discounted payoff it is (T - R) - d (R - P) = 2 (1 - d) > 0 for every d < 1 (the threshold
# (T - R) / (R - P) is 1). From mutual defection, cooperating alone loses.


def wsls_total_gain(R, S, T, P, delta):
    """The largest one-shot gain of WSLS vs WSLS in total discounted payoff (per-round gain of
    :func:`wsls_gain` divided by ``1 - delta``)."""
    after_dd = (1 - delta) * P + delta * R
    return max((T - R) - delta * (R - P), S - after_dd)


@pytest.mark.parametrize("delta", [0.9, 0.999, 0.99998])
@pytest.mark.parametrize("tol", [0.0, 1e-12, 1e-9])
def test_wsls_with_threshold_one_is_not_subgame_perfect_near_one(delta, tol):
    result = is_subgame_perfect(wsls_pd(*STANDARD), discount=delta, tol=tol)
    assert not result and result.status == "fails" and result.decided
    exact = wsls_total_gain(*STANDARD, delta)
    assert_allclose(exact, 2 * (1 - delta), rtol=1e-9)
    # the reported bound covers the real error, and the gain is resolved beyond it
    assert abs(result.max_gain_total - exact) <= result.error_bound
    assert result.max_gain_total > result.error_bound
    [v, *_] = result.violations
    assert v.deviation == "defect" and v.profile_action == "cooperate" and v.on_path
    assert "not subgame perfect" in result.summary
    # defecting against WSLS forever alternates T, P: (T + d P) / (1 + d) per round
    nash = ((5 + delta * 1) / (1 + delta) - 3) / (1 - delta)
    assert result.nash_status == "fails"
    assert abs(result.nash_gains_total[0] - nash) <= result.nash_errors[0] + 1e-9 * nash


@pytest.mark.parametrize("tol", [0.0, 1e-9])
def test_a_real_gain_is_never_called_an_equilibrium_silently(tol):
    s = wsls_pd(*STANDARD)
    for delta in 1.0 - np.geomspace(1e-1, 1e-10, 19):
        result = is_subgame_perfect(s, discount=delta, tol=tol)
        exact = 2 * (1 - delta)
        assert abs(result.max_gain_total - exact) <= result.error_bound, delta
        assert result.status in ("fails", "undecided"), delta
        if exact > tol + 2 * result.error_bound:  # resolvable: then resolved
            assert result.status == "fails", delta
        if result.status == "undecided":
            assert not result.decided and "as far as floating point can tell" in result.summary
            assert "undecided" in format_subgame_perfection(result)
        assert result.to_dict()["status"] == result.status


def test_the_tolerance_is_in_total_discounted_payoff():
    # grim vs grim, defecting while trusted: (1 - d) T + d P - R per round, (T - P) (d* - d)
    # = 4 (0.5 - d) per round and 8 (0.5 - d) in total near d* = 0.5
    s = grim_pd(*STANDARD)
    delta = 0.5 + 1e-7
    assert is_subgame_perfect(s, discount=delta, tol=0.0).status == "holds"
    assert_allclose(is_subgame_perfect(s, discount=delta).max_gain_total, -8e-7, rtol=1e-6)
    # below the threshold by as much, the total gain 8e-7 beats tol = 6e-7 though the
    # per-round gain 4e-7 does not
    below = is_subgame_perfect(s, discount=0.5 - 1e-7, tol=6e-7)
    assert_allclose(below.max_gain, 4e-7, rtol=1e-6)
    assert not below and below.violations[0].gain_total > 6e-7
    doc = below.to_dict()
    assert doc["tolerance"] == 6e-7 and "total discounted payoff" in doc["tolerance_units"]


def test_exact_ties_are_ties_at_tolerance_zero():
    # matching pennies between two uniform randomisers: every action ties exactly
    pennies = pd_data(discount=0.8, strategies={"row": "random", "col": "random"})
    pennies["tables"]["round"] = {"row": [[1, -1], [-1, 1]], "col": [[-1, 1], [1, -1]]}
    result = is_subgame_perfect(Scenario.from_dict(pennies), tol=0.0)
    assert result.subgame_perfect and result.nash
    assert result.nash_gains == (0.0, 0.0) and result.nash_gains_total == (0.0, 0.0)
    assert result.error_bound < 1e-13


@pytest.mark.parametrize("tol", [0.0, 1e-12, 1e-9])
@given(data=scenario_dicts(max_players=3, max_states=2, max_actions=3), high=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_subgame_perfect_implies_nash_at_every_tolerance(tol, data, high):
    data["horizon"] = {"discount": 0.999999 if high else 0.7}
    try:
        result = is_subgame_perfect(Scenario.from_dict(data), tol=tol, max_states=400)
    except ScenarioError:
        assume(False)
    if result.subgame_perfect:
        assert result.nash
        assert result.nash_gains == (0.0,) * len(result.players)
    if result.status == "holds":
        assert result.nash_status == "holds"
    assert min(result.nash_gains_total) >= -max(result.nash_errors) - 1e-12


def test_a_deviation_that_changes_nothing_is_an_exact_tie():
    # grim trigger with S = P: cooperating while punished earns P like defecting and leads to
    # the same punishment, so its gain is exactly 0 -- resolved even at tol = 0 close to 1,
    # where rounding errors of the values are large
    s = grim_pd(3.0, 0.0, 4.0, 0.0)
    for delta in (0.5, 0.9999, 1 - 1e-7):
        result = is_subgame_perfect(s, discount=delta, tol=0.0)
        assert result.status == "holds" and result.decided, delta
        assert result.max_gain_total == 0.0
        assert result.nash_gains_total == (0.0, 0.0)
