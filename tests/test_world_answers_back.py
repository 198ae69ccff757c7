"""The scenarios in which the world answers back (stochastic games built on sindoor-2025).

Each check derives its expectation from the scenario's own construction: a rule that moves
nature nowhere new must give sindoor-2025's numbers exactly; a shift that ignores the actions
has a closed-form discounted occupancy.
"""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

import recip

IID = {"calm": 0.5, "russia_isolated": 0.25, "india_attacked": 0.25}
POLICIES = ("balancing", "aligning")


def values(scenario):
    return [recip.evaluate(scenario, {"russia": p}).values for p in POLICIES]


def share(ev, states) -> float:
    freq = ev.state_frequency()
    return sum(freq[s] for s in states)


AXIS = ("calm_axis", "russia_isolated_axis", "india_attacked_axis")
NEW = ("calm_new", "russia_isolated_new", "india_attacked_new")


def test_realignment_that_never_happens_is_the_op_ed_scenario():
    """Without the axis (Russia's alignment moves nature nowhere new), the axis states are never
    reached and every value is sindoor-2025's."""
    s = recip.load_scenario("counter-pakistan-realigns")
    none = s.with_overrides({"nature.after[0].next": IID})
    assert_allclose(values(none), values(recip.load_scenario("sindoor-2025")), rtol=1e-12)


def test_only_alignment_starts_the_axis():
    s = recip.load_scenario("counter-pakistan-realigns")
    balancing = recip.evaluate(s, {"russia": "balancing"}, limit_of_means=True)
    aligning = recip.evaluate(s, {"russia": "aligning"}, limit_of_means=True)
    # balancing never backs India (execution noise aside: 1% of attacks by mistake), aligning
    # usually does, and the axis then lasts twenty episodes on average
    assert share(balancing, AXIS) < 0.1
    assert share(aligning, AXIS) > 0.5
    # the axis costs Russia 2 a round: aligning's loss is at least that cost times the time
    # spent under the axis, minus what reciprocity gains (sindoor-2025's advantage, 0.37)
    assert aligning.value("russia") < balancing.value("russia")


def test_deterrence_that_deters_nothing_is_the_op_ed_scenario():
    """Without deterrence, with the op-ed's India (reciprocity, tolerance 0) and one discount
    factor for all, the scenario is sindoor-2025."""
    s = recip.load_scenario("pro-deterrence").with_overrides(
        {
            "nature.after[0].next": IID,
            "strategies.india": {"name": "aligning", "tolerance": 0.0},
            "horizon.discount": 0.9,
        }
    )
    assert_allclose(values(s), values(recip.load_scenario("sindoor-2025")), rtol=1e-12)


def test_deterrence_lowers_the_share_of_attacks_only_under_aligning():
    s = recip.load_scenario("pro-deterrence")
    balancing = recip.evaluate(s, {"russia": "balancing"}, limit_of_means=True)
    aligning = recip.evaluate(s, {"russia": "aligning"}, limit_of_means=True)
    # the stationary chance of an attack round: the next round is an attack with chance 0.1
    # after an attack answered with align_india (a share a * b of all rounds, b being Russia's
    # share of align_india among attack rounds), else 0.25; so a = 0.25 (1 - a b) + 0.1 a b,
    # a = 0.25 / (1 + 0.15 b)
    for ev in (balancing, aligning):
        b = ev.action_frequency("russia", "india_attacked")["align_india"]
        assert_allclose(ev.state_frequency()["india_attacked"], 0.25 / (1 + 0.15 * b), rtol=1e-9)
    attacks = [ev.state_frequency()["india_attacked"] for ev in (balancing, aligning)]
    assert attacks[1] < attacks[0] - 0.02


def test_the_new_order_arrives_whatever_anyone_does():
    """The old order lasts each round with chance 0.8 whatever is played, so the discounted
    weight of the old order's rounds is (1 - d) / (1 - 0.8 d) under every policy."""
    s = recip.load_scenario("sindoor-new-order")
    d = s.spec.discount
    for policy in POLICIES:
        ev = recip.evaluate(s, {"russia": policy})
        assert_allclose(share(ev, NEW), 1 - (1 - d) / (1 - 0.8 * d), rtol=1e-10)


def test_a_new_order_where_trust_counts_no_more_is_the_op_ed_scenario():
    s = recip.load_scenario("sindoor-new-order").with_overrides(
        {"tables.russia_isolated_new.russia": [[0.0, 0.0], [0.0, 0.0]]}
    )
    assert_allclose(values(s), values(recip.load_scenario("sindoor-2025")), rtol=1e-10)


@pytest.mark.parametrize(
    "name", ["counter-pakistan-realigns", "pro-deterrence", "sindoor-new-order"]
)
def test_exact_and_simulated_agree(name):
    s = recip.load_scenario(name)
    exact = recip.evaluate(s, {"russia": "aligning"})
    sim = recip.simulate(s, {"russia": "aligning"}, replicates=4000, seed=11)
    assert (abs(sim.values - exact.values) <= 4 * sim.stderr + 1e-12).all()


def test_a_trusting_india_forgives_a_neutral_answer():
    """India's trust_earned automaton, read off its definition: after Russia backs India once,
    India supports in every later Russian crisis unless Russia backs Pakistan. So against a
    Russia that backs India in the first attack and balances ever after (no noise), India
    supports in every Russian crisis in the long run."""
    s = recip.load_scenario("pro-deterrence").with_overrides({"noise.execution": 0.0})
    s = s.with_overrides(
        {
            "automata.once": {
                "initial": "before",
                "memories": {
                    "before": {
                        "play": "align_india",
                        "next": [{"state": "india_attacked", "to": "after"}],
                    },
                    "after": {"play": "balance"},
                },
            },
            "strategies.russia": "once",
        }
    )
    ev = recip.evaluate(s, limit_of_means=True)
    assert ev.stance_frequency("india", "russia", "russia_isolated")[1] == pytest.approx(1.0)
    assert ev.action_frequency("russia", "india_attacked")["balance"] == pytest.approx(1.0)
