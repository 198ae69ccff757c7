"""The what-if grid: each point's verdict is what `recip compare` says with those overrides."""

from __future__ import annotations

import numpy as np
import pytest

import recip
from recip.questions.whatif import DISCOUNT, grid_values, verdict_template, what_if


@pytest.fixture(scope="module")
def sindoor():
    ranking = recip.sensitivity("sindoor-2025", samples=8).effects
    return what_if("sindoor-2025", ranking=ranking)


def _compare_at(w, indices):
    """`recip compare` of the scenario with the sliders' values at ``indices`` (ranges widened
    where a value lies beyond them), independently of the sweep."""
    s = recip.load_scenario("sindoor-2025")
    changes = {}
    for sl, k in zip(w.sliders, indices, strict=True):
        x = sl.values[k]
        changes[sl.key] = x
        if sl.key == "payoffs.taking_sides.russia":
            changes[f"{sl.key}.low"] = min(x, -2.5)
            changes[f"{sl.key}.high"] = max(x, -0.1)
    return recip.compare(s.with_overrides(changes), credibility=False)


def test_the_default_inputs_are_the_discount_and_what_moves_the_verdict_most(sindoor):
    # discount last (the curve's axis); then by the tornado's swing, numeric inputs first
    assert [s.key for s in sindoor.sliders] == [
        "strategies.india.tolerance",
        "payoffs.taking_sides.russia",
        DISCOUNT,
    ]
    tol, sides, disc = sindoor.sliders
    assert tol.texts == tuple(f"{k / 10:g}" for k in range(11)) and tol.nominal == 0
    # the declared range -2.5 to -0.1, extended past the break-even value -3.241 in 0.25 steps
    assert sides.values[0] == -3.5 and sides.values[-1] == 0.0 and "-3.241" in sides.note
    assert sides.values[sides.nominal] == -1.0
    assert disc.values[disc.nominal] == 0.9 and disc.values[0] == 0.02 and disc.values[-1] == 0.99
    assert len(sindoor.verdicts) == 11 * 15 * 50 == len(sindoor.advantage)


@pytest.mark.parametrize(
    "where",
    [
        {},  # the scenario's own point
        {DISCOUNT: 0.4},  # below the critical discount 0.4566
        {"strategies.india.tolerance": 0.1},  # India reads neutrality a little kindly
        {"payoffs.taking_sides.russia": -3.5, DISCOUNT: 0.98},
        {"payoffs.taking_sides.russia": 0.0, DISCOUNT: 0.5},
    ],
)
def test_each_points_verdict_is_recip_compares(sindoor, where):
    indices = [
        sl.values.index(where[sl.key]) if sl.key in where else sl.nominal for sl in sindoor.sliders
    ]
    c = _compare_at(sindoor, indices)
    expected = c.verdict.split(" (exact)")[0]
    assert sindoor.verdict_at(indices) == expected
    k = sindoor.point(indices)
    assert np.allclose(sindoor.advantage[k], c.advantage, atol=1e-9)


def test_the_verdict_flips_where_the_threshold_says(sindoor):
    root = recip.critical_discount("sindoor-2025").roots[0]
    disc = sindoor.sliders[2]
    for j, x in enumerate(disc.values):
        text = sindoor.verdict_at([0, sindoor.sliders[1].nominal, j])
        assert text.startswith("aligning beats" if x > root else "balancing beats"), (x, text)


def test_verdict_templates_word_ties_as_compare_does():
    pol = ("balancing", "aligning", "always:condemn")
    assert verdict_template("russia", pol[:2], np.array([0.0, 1e-12]))[0] == (
        "no clear difference for russia between balancing and aligning"
    )
    t, m, w = verdict_template("russia", pol, np.array([0.0, -0.5, -0.2]))
    assert (t.replace("{}", m), w) == (
        "balancing beats always:condemn for russia by 0.2 per round",
        "balancing",
    )


def test_grid_values_are_round_steps_with_the_nominal_value():
    assert grid_values(0.0, 1.0, 0.0) == [round(0.1 * k, 12) for k in range(11)]
    assert grid_values(-3.481, -0.1, -1.0) == [-3.5 + 0.25 * k for k in range(15)]
    assert 0.37 in grid_values(0.0, 1.0, 0.37)


def test_a_panel_on_keys_the_user_names():
    w = what_if("prisoners-dilemma", ["horizon.discount"])
    assert [s.key for s in w.sliders] == [DISCOUNT] and w.curve == 0
    with pytest.raises(recip.ScenarioError, match="neither the discount factor"):
        what_if("prisoners-dilemma", ["noise.execution"])
    w = what_if("sindoor-2025", ["payoffs.oil_revenue.russia", "strategies.india"])
    assert w.sliders[1].texts == ("aligning(tolerance=0)", "myopic", "always:support")
    assert w.curve is None


def test_with_each_players_own_discount_the_slider_is_the_focal_players():
    # pro-deterrence: russia 0.9 (uncertain), india 0.95, pakistan 0.5
    w = what_if("pro-deterrence")
    assert [s.key for s in w.sliders] == ["horizon.discount.russia"] and w.curve == 0
    own = w.sliders[0]
    assert own.values[own.nominal] == 0.9
    c = recip.compare("pro-deterrence", credibility=False)
    assert w.verdict_at(w.nominal) == c.verdict.split(" (exact)")[0]
    low = recip.compare(
        recip.load_scenario("pro-deterrence").with_overrides({"horizon.discount.russia": 0.3}),
        credibility=False,
    )
    assert w.verdict_at([own.values.index(0.3)]) == low.verdict.split(" (exact)")[0]
