"""Sensitivity of the verdict (issue 7, items 3 and 4): Sobol' indices, the tornado, break-even
values and inert inputs, each checked against closed forms or independent evaluations.

Expected values are derived here by hand (the Ishigami function's variance decomposition, a
linear advantage's shares, the donation game's break-even benefit c/delta) or computed by
another path of recip (``recip.compare`` at two values, ``recip.critical_discount``)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import recip
from recip.core.errors import ScenarioError
from recip.questions.sensitivity import sensitivity
from recip.questions.sobol import sobol

# ----------------------------------------------------------------------------------------------
# Sobol' indices of the Ishigami function


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1):
    """The analytic decomposition (Ishigami-Homma 1990; Sobol'-Levitan 1999) for inputs uniform
    on [-pi, pi]: V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50)."""
    pi = np.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_ishigami_decomposition_matches_the_published_values():
    first, total = ishigami_indices()
    assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
    assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)


@pytest.mark.parametrize("method", ["sobol", "lhs", "random"])
def test_sobol_indices_of_ishigami(method):
    first, total = ishigami_indices()
    calls = []

    def f(X):
        calls.append(len(X))
        return ishigami(X)

    dists = [stats.uniform(-np.pi, 2 * np.pi)] * 3
    r = sobol(f, dists, 4096, seed=0, method=method)
    assert calls == [4096 * 5]  # one vectorised call on every point
    # within sampling error: 3.3 standard errors (a 95% interval's half-width is 1.96 of them)
    for estimate, truth, interval in (
        (r.first, first, r.first_interval),
        (r.total, total, r.total_interval),
    ):
        half = (interval[:, 1] - interval[:, 0]) / 2
        assert np.all(np.abs(estimate - truth) <= 1.7 * half)
        assert np.all(half < 0.05)
    if method == "sobol":  # the quasi-random design: closer, and inside its intervals
        assert_allclose(r.first, first, atol=0.01)
        assert_allclose(r.total, total, atol=0.01)
        assert np.all(r.first_interval[:, 0] <= first) and np.all(first <= r.first_interval[:, 1])
        assert np.all(r.total_interval[:, 0] <= total) and np.all(total <= r.total_interval[:, 1])


def test_sobol_is_reproducible_from_its_seed():
    dists = [stats.uniform(-np.pi, 2 * np.pi)] * 3
    one, two = (sobol(ishigami, dists, 256, seed=5) for _ in range(2))
    assert np.array_equal(one.first_interval, two.first_interval)
    assert np.array_equal(one.total, two.total)
    other = sobol(ishigami, dists, 256, seed=6)
    assert not np.array_equal(one.total, other.total)


def test_sobol_of_a_constant_is_zero_everywhere():
    r = sobol(lambda X: np.ones(len(X)), [stats.uniform()] * 2, 64, seed=0)
    assert np.array_equal(r.first, [0, 0]) and np.array_equal(r.total_interval, np.zeros((2, 2)))


def test_sobol_refuses_a_base_that_is_not_a_power_of_two():
    with pytest.raises(ScenarioError, match="power of two"):
        sobol(ishigami, [stats.uniform()] * 3, 100)


# ----------------------------------------------------------------------------------------------
# a scenario whose advantage is linear in its uncertain payoffs

LINEAR = """
schema = 1
title = "A linear advantage"
players = ["row", "col"]

[states.round]
actions.row = { give = { col = 1 }, keep = {} }

[[payoffs]]
id = "a1"
when = { row = "give" }
row = { value = 1.0, low = 0.0, high = 3.0 }

[[payoffs]]
id = "a2"
when = { row = "give" }
row = { value = 0.5, low = -1.0, high = 1.0, distribution = "triangular" }

[[payoffs]]
id = "b1"
when = { row = "keep" }
row = { value = 1.0, low = 0.5, high = 4.5 }

[[payoffs]]
id = "c1"
when = { row = "keep" }
col = { value = 1.0, low = 0.0, high = 2.0 }

[horizon]
discount = 0.9

[strategies]
row = "always:keep"

[compare]
focal = "row"
policies = ["always:keep", "always:give"]
"""


def test_a_linear_advantage_has_the_closed_form_tornado_indices_and_break_evens():
    # every round pays the same: A = v(give) - v(keep) = a1 + a2 - b1, coefficients (1, 1, -1)
    r = sensitivity(recip.load_scenario(LINEAR), samples=1024, seed=1)
    assert_allclose(r.nominal, 1.0 + 0.5 - 1.0, atol=1e-12)
    coef = {"payoffs.a1.row": 1.0, "payoffs.a2.row": 1.0, "payoffs.b1.row": -1.0}
    ends = {
        "payoffs.a1.row": (0.0, 3.0),
        "payoffs.a2.row": (-1.0, 1.0),
        "payoffs.b1.row": (0.5, 4.5),
    }
    nominal = {"payoffs.a1.row": 1.0, "payoffs.a2.row": 0.5, "payoffs.b1.row": 1.0}
    var = {
        "payoffs.a1.row": 3.0**2 / 12,
        "payoffs.a2.row": ((-1) ** 2 + 1**2 + 0.5**2 - (-1) * 1 - (-1) * 0.5 - 1 * 0.5) / 18,
        "payoffs.b1.row": 4.0**2 / 12,
    }
    total = sum(coef[k] ** 2 * var[k] for k in coef)
    for key, c in coef.items():
        e = r.effect(key)
        lo, hi = ends[key]
        assert_allclose(e.changes, [c * (lo - nominal[key]), c * (hi - nominal[key])], atol=1e-12)
        share = c**2 * var[key] / total
        assert_allclose(e.first, share, atol=0.02)
        assert_allclose(e.total, share, atol=0.02)
        # q = 0 where x = nominal - A0 / c
        (crossing,) = e.break_even.crossings
        assert_allclose(crossing.value, nominal[key] - r.nominal / c, atol=1e-9)
        assert crossing.within and not crossing.jump
        assert e.inert is None
    swings = [e.swing for e in r.effects]
    assert swings == sorted(swings, reverse=True)
    inert = r.effect("payoffs.c1.col")
    assert "pays only col" in inert.inert and inert.changes == (0.0, 0.0)


def test_three_policies_follow_the_margin_of_the_nominal_winner():
    # balancing keeps (its most neutral action): the margin of always:give over the best other
    # policy is the same linear function
    s = recip.load_scenario(LINEAR)
    r = sensitivity(s, policies=["always:keep", "always:give", "balancing"], samples=64)
    assert r.quantity.startswith("margin") and "always:give is row's best policy" in r.verdict
    assert_allclose(r.nominal, 0.5, atol=1e-12)
    assert_allclose(r.effect("payoffs.b1.row").changes, [0.5, -3.5], atol=1e-12)


# ----------------------------------------------------------------------------------------------
# the donation game with an uncertain benefit


def donation_with_uncertain_benefit():
    s = recip.load_scenario("donation-game")
    return s.with_overrides({"payoffs.gift_from_col.row": {"value": 3.0, "low": 0.5, "high": 4.0}})


def test_donation_game_break_even_benefit_is_c_over_delta():
    # col reciprocates (gives first, then gives iff row gave). Row reciprocating: both give every
    # round, b - c per round. Row never giving: col's opening gift only, (1 - delta) b. So
    # A(b) = delta b - c, zero at b = c / delta = 1 / 0.9.
    s = donation_with_uncertain_benefit()
    r = sensitivity(s, policies=["always:keep", "aligning"], samples=256, seed=2)
    delta, c = 0.9, 1.0
    assert_allclose(r.nominal, delta * 3.0 - c, atol=1e-12)
    e = r.effect("payoffs.gift_from_col.row")
    (crossing,) = e.break_even.crossings
    assert_allclose(crossing.value, c / delta, atol=1e-9)
    assert crossing.within and crossing.rising
    assert_allclose(e.changes, [delta * (0.5 - 3.0), delta * (4.0 - 3.0)], atol=1e-12)
    assert_allclose([e.first, e.total], [1.0, 1.0], atol=0.01)  # the only input
    # the flip region: b below c / delta, a share (c / delta - 0.5) / 3.5 of the draws
    d = r.discovery
    assert_allclose(d.flips / d.cases, (c / delta - 0.5) / 3.5, atol=0.02)
    (box,) = d.boxes
    (cond,) = box.conditions
    assert cond.key == "payoffs.gift_from_col.row" and cond.low is None
    assert_allclose(cond.high, c / delta, atol=0.02)
    assert box.coverage > 0.98 and box.density > 0.98
    assert d.outcome == "always:keep wins"


# ----------------------------------------------------------------------------------------------
# sindoor-2025: what the op-ed's verdict hangs on, checked by other paths


@pytest.fixture(scope="module")
def sindoor():
    return sensitivity("sindoor-2025", samples=64, seed=0)


def advantage(s) -> float:
    c = recip.compare(s)
    return float(c.advantage[1])


def test_sindoor_tolerance_flips_just_above_zero(sindoor):
    e = sindoor.effect("strategies.india.tolerance")
    first = e.break_even.within[0]
    assert 0 < first.value < 1e-6 and first.jump
    assert "just above 0" in e.break_even_text()
    s = recip.load_scenario("sindoor-2025")
    assert advantage(s.with_overrides({"strategies.india.tolerance": 0.0})) > 0
    assert advantage(s.with_overrides({"strategies.india.tolerance": 1e-6})) < 0


def test_sindoor_discount_break_even_is_the_critical_discount(sindoor):
    roots = recip.critical_discount("sindoor-2025").roots
    (crossing,) = sindoor.effect("horizon.discount").break_even.crossings
    assert_allclose(crossing.value, roots[0], atol=1e-8)
    assert_allclose(crossing.value, 0.457, atol=5e-4)


def test_sindoor_cost_of_taking_sides_breaks_even_beyond_its_range(sindoor):
    # two independent evaluations; the advantage is affine in a payoff when no strategy reads
    # payoffs, so the root is where the line through them crosses 0
    s = recip.load_scenario("sindoor-2025")
    xs = (-3.0, -3.5)
    a = [
        advantage(
            s.with_overrides(
                {"payoffs.taking_sides.russia": {"value": x, "low": -5.0, "high": 0.0}}
            )
        )
        for x in xs
    ]
    root = xs[0] - a[0] * (xs[1] - xs[0]) / (a[1] - a[0])
    e = sindoor.effect("payoffs.taking_sides.russia")
    assert not e.break_even.within
    (crossing,) = e.break_even.beyond
    assert_allclose(crossing.value, root, atol=1e-9)
    assert_allclose(crossing.value, -3.24, atol=5e-3)
    assert "beyond" in e.break_even_text()


def test_sindoor_myopic_india_flips_the_verdict(sindoor):
    e = sindoor.effect("strategies.india")
    assert "myopic" in e.flipping and not any(o.startswith("aligning") for o in e.flipping)
    s = recip.load_scenario("sindoor-2025")
    assert advantage(s.with_overrides({"strategies.india": "myopic"})) < 0


def test_sindoor_inert_inputs_with_their_reasons(sindoor):
    # India follows aligning, which does not read payoffs: its own payoffs cannot move Russia's
    # advantage; Pakistan arms Ukraine whatever Russia does, so that cost is paid alike
    for key in ("payoffs.cheap_oil.india", "payoffs.western_criticism.india"):
        assert "pays only india" in sindoor.effect(key).inert
        assert "reads payoffs" in sindoor.effect(key).inert
    assert "equally" in sindoor.effect("payoffs.pakistani_arms.russia").inert
    s = recip.load_scenario("sindoor-2025")
    base = advantage(s)
    for value in (0.5, 3.0):
        table = {"value": value, "low": 0.5, "high": 3.0}
        assert_allclose(
            advantage(s.with_overrides({"payoffs.cheap_oil.india": table})), base, atol=1e-12
        )
    moving = {e.key for e in sindoor.effects if not e.inert}
    assert {"horizon.discount", "payoffs.taking_sides.russia", "strategies.india"} <= moving


def test_sindoor_summary_names_what_the_verdict_hangs_on(sindoor):
    text = sindoor.summary
    assert "strategies.india.tolerance (just above 0)" in text
    assert "horizon.discount (at 0.4566)" in text
    assert "payoffs.taking_sides.russia (at -3.241)" in text
    doc = sindoor.to_dict()
    assert doc["kind"] == "sensitivity" and doc["flip_region"]["sentence"]
    assert {i["key"] for i in doc["inputs"]} == {e.key for e in sindoor.effects}


def test_the_tornado_figure_states_the_finding_and_its_conditions(sindoor):
    from recip.plots import figures, render

    fig = figures(sindoor)["tornado"]
    title = " ".join(fig._suptitle.get_text().split())
    assert title == "Aligning beats balancing for russia: flips with horizon.discount, " + (
        "strategies.india and 1 more"
    )
    caption = " ".join(fig.texts[-1].get_text().split())
    assert "Scenario sindoor-2025" in caption and "seed 0" in caption
    assert sindoor.conditions.text() in caption
    assert render(fig, "svg") == render(figures(sindoor)["tornado"], "svg")


def test_results_are_reproducible_and_workers_change_nothing():
    keys = ["horizon.discount", "strategies.india", "payoffs.taking_sides.russia"]
    one = sensitivity("sindoor-2025", inputs=keys, samples=16, seed=3).to_dict()
    again = sensitivity("sindoor-2025", inputs=keys, samples=16, seed=3).to_dict()
    pooled = sensitivity("sindoor-2025", inputs=keys, samples=16, seed=3, workers=2).to_dict()
    assert one == again == pooled


# ----------------------------------------------------------------------------------------------
# bad specifications


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"inputs": ["payoffs.oil_revenue.rusia"]}, "did you mean 'payoffs.oil_revenue.russia'"),
        ({"inputs": "horizon.discount"}, "list of dotted keys"),
        ({"inputs": ["horizon.discount", "horizon.discount"]}, "named twice"),
        ({"samples": 2}, "at least 4"),
        ({"samples": 2.5}, "whole number"),
        ({"samples": 10**7}, "limit"),
        ({"method": "grid"}, "sobol, lhs, random"),
        ({"policies": ["aligning"]}, "at least two policies"),
        ({"workers": 0}, "at least 1"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_are_refused_with_one_message(kwargs, match):
    with pytest.raises(ScenarioError, match=match):
        sensitivity("sindoor-2025", **kwargs)


def test_a_scenario_without_uncertain_inputs_is_refused():
    with pytest.raises(ScenarioError, match="declares no uncertain inputs"):
        sensitivity("prisoners-dilemma")
