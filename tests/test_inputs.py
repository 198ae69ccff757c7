"""Uncertain inputs of every kind (issue 7): the scenario format declares them, loading checks
them, sampling draws them, and the points evaluator values any point exactly as an independent
evaluation of the scenario with those values would."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_data
from recip.core.errors import ScenarioError
from recip.model.inputs import declared_inputs, sample
from recip.model.points import PointEvaluator, make_axis
from recip.scenario.load import Scenario

SINDOOR = recip.load_scenario("sindoor-2025")


def uncertain_text() -> str:
    """sindoor-2025 with an uncertain discount factor and tolerance, and India's alternatives."""
    with open(SINDOOR.source, encoding="utf-8") as f:
        text = f.read()
    if "[[alternatives.india]]" in text:  # the bundled file declares them itself
        return text
    text = text.replace("discount = 0.9", "discount = { value = 0.9, low = 0.5, high = 0.99 }", 1)
    text = text.replace(
        'india = { name = "aligning", tolerance = 0.0, claims = ["C1", "C11"] }',
        'india = { name = "aligning", tolerance = { value = 0.0, low = 0.0, high = 0.5 }, '
        'claims = ["C1", "C11"] }',
    )
    return (
        text
        + """
[[alternatives.india]]
strategy = { name = "aligning", tolerance = 0.0 }
weight = 0.5
[[alternatives.india]]
strategy = "myopic"
weight = 0.3
[[alternatives.india]]
strategy = "always:support"
weight = 0.2
"""
    )


def uncertain_sindoor() -> Scenario:
    return recip.load_scenario(uncertain_text())


# ----------------------------------------------------------------------------------------------
# the format


def test_uncertain_numbers_load_with_their_nominal_values():
    s = uncertain_sindoor()
    assert s.spec.discount == 0.9 and s.spec.strategies["india"]["tolerance"] == 0.0
    keys = [p.key for p in s.spec.inputs]
    assert keys == ["horizon.discount", "strategies.india.tolerance"]
    assert [w for _, w in s.spec.alternatives["india"]] == [0.5, 0.3, 0.2]
    # exact runs use the nominal values: the verdict of the plain scenario, bit for bit
    assert np.array_equal(recip.compare(s).advantage, recip.compare(SINDOOR).advantage)


def test_uncertain_noise_per_player():
    data = pd_data(noise={"row": {"value": 0.01, "low": 0.0, "high": 0.1}, "col": 0.02})
    s = Scenario.from_dict(data)
    assert s.spec.noise == {"row": 0.01, "col": 0.02}
    assert [p.key for p in s.spec.inputs] == ["noise.execution.row"]


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("weight = 0.2", "weight = 0.3", "alternatives.india"),
        ("high = 0.99 }", "high = 1.0 }", "horizon.discount.high"),
        ("low = 0.0, high = 1.0 }", "low = 0.0, high = 1.5 }", "strategies.india.tolerance.high"),
        ('strategy = "myopic"', 'strategy = "myopc"', "alternatives.india[1].strategy"),
    ],
)
def test_bad_uncertain_inputs_are_refused_naming_the_key(old, new, key):
    source = uncertain_text()
    assert old in source
    with pytest.raises(ScenarioError) as err:
        recip.load_scenario(source.replace(old, new, 1))
    assert err.value.key == key


# ----------------------------------------------------------------------------------------------
# sampling


def test_declared_inputs_and_their_samples():
    s = uncertain_sindoor()
    inputs = declared_inputs(s)
    kinds = {i.key: i.axis.kind for i in inputs}
    assert kinds["payoffs.oil_revenue.russia"] == "payoff"
    assert kinds["horizon.discount"] == "discount"
    assert kinds["strategies.india.tolerance"] == "structure"
    assert kinds["strategies.india"] == "structure"
    X = sample(inputs, 4096, seed=7)
    again = sample(inputs, 4096, seed=7)
    assert np.array_equal(X, again)
    assert not np.array_equal(X, sample(inputs, 4096, seed=8))
    col = {i.key: k for k, i in enumerate(inputs)}
    # uniform on [1.5, 5]: mean 3.25; alternatives drawn with their weights
    assert_allclose(X[:, col["payoffs.oil_revenue.russia"]].mean(), 3.25, atol=0.01)
    freq = np.bincount(X[:, col["strategies.india"]].astype(int), minlength=3) / len(X)
    assert_allclose(freq, [0.5, 0.3, 0.2], atol=0.005)
    tri = X[:, col["payoffs.neutrality_after_terror.russia"]]  # triangular(-1, -0.25, 0)
    assert_allclose(tri.mean(), (-1 - 0.25 + 0) / 3, atol=0.01)


# ----------------------------------------------------------------------------------------------
# the points evaluator


def independent(s: Scenario, overrides: dict, policy) -> np.ndarray:
    return recip.evaluate(s.with_overrides(overrides), {s.spec.focal: policy}).values


def test_points_equal_independent_evaluations_of_every_kind_of_axis():
    s = SINDOOR.with_overrides(
        {"payoffs.oil_revenue.russia.low": 0.0, "payoffs.oil_revenue.russia.high": 9.0}
    )
    if s.spec.inputs:  # the bundled file declares the discount and tolerance uncertain
        s = s.with_overrides({"horizon.discount.low": 0.0, "strategies.india.tolerance.high": 1.0})
    keys = ["payoffs.oil_revenue.russia", "horizon.discount", "strategies.india.tolerance"]
    evaluator = PointEvaluator(s, [make_axis(s, k) for k in keys])
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [rng.uniform(0.5, 8, 12), rng.choice([0.2, 0.6, 0.9], 12), rng.choice([0.0, 1.0], 12)]
    )
    V = evaluator.values(X)
    for k in range(12):
        overrides = {key: float(x) for key, x in zip(keys, X[k], strict=True)}
        for p, policy in enumerate(("balancing", "aligning")):
            assert_allclose(V[k, p], independent(s, overrides, policy), atol=1e-12)


def test_every_declared_input_at_once_equals_independent_evaluations():
    """sindoor-2025's own declaration: payoffs, the discount factor, India's tolerance and
    India's alternative strategies, drawn together; the tolerance applies under the alternative
    it was declared on (aligning) only. Each draw is rebuilt with --set-style overrides and
    evaluated on its own."""
    s = SINDOOR
    inputs = declared_inputs(s)
    X = sample(inputs, 24, seed=11)
    V = PointEvaluator(s, [i.axis for i in inputs]).values(X)
    for k in range(len(X)):
        drawn = {i.key: i.axis.value(x) for i, x in zip(inputs, X[k], strict=True)}
        # the strategy first, then its parameter (a later key sets inside an earlier one)
        choice = drawn.pop("strategies.india")
        overrides = {"strategies.india": choice, **drawn}
        if not (isinstance(choice, dict) and choice.get("name") == "aligning"):
            del overrides["strategies.india.tolerance"]
        for p, policy in enumerate(("balancing", "aligning")):
            assert_allclose(V[k, p], independent(s, overrides, policy), atol=1e-12)


def test_alternatives_as_points():
    s = uncertain_sindoor()
    inputs = [i for i in declared_inputs(s) if i.key == "strategies.india"]
    V = PointEvaluator(s, [inputs[0].axis]).values(np.array([[0.0], [1.0], [2.0]]))
    for k, spec in enumerate(inputs[0].axis.options):
        for p, policy in enumerate(("balancing", "aligning")):
            want = independent(s, {"strategies.india": spec}, policy)
            assert_allclose(V[k, p], want, atol=1e-12)


def test_payoff_reading_strategies_are_evaluated_point_by_point():
    data = pd_data(*STANDARD, strategies={"col": "myopic"})
    s = Scenario.from_dict(data)
    axis = make_axis(s, "tables.round.row[1][0]")
    assert axis.kind == "payoff"
    V = PointEvaluator(s, [axis], policies=["aligning"]).values(np.array([[4.0], [6.0]]))
    for k, x in enumerate((4.0, 6.0)):
        assert_allclose(V[k, 0], independent(s, {"tables.round.row[1][0]": x}, "aligning"))


def test_points_outside_what_the_scenario_allows_are_refused():
    s = SINDOOR
    with pytest.raises(ScenarioError, match="discount factor"):
        PointEvaluator(s, [make_axis(s, "horizon.discount")]).values(np.array([[1.2]]))
    with pytest.raises(
        ScenarioError, match=r"at the point strategies\.india\.tolerance=3: .*must be in \[0, 1\]"
    ):
        PointEvaluator(s, [make_axis(s, "strategies.india.tolerance")]).values(np.array([[3.0]]))
    with pytest.raises(ScenarioError):
        make_axis(s, "payoffs.no_such_term.russia").kind and PointEvaluator(
            s, [make_axis(s, "payoffs.no_such_term.russia")]
        ).values(np.array([[1.0]]))
