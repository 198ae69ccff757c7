"""The simulator against the exact evaluator, and its reproducibility guarantees.

One contract binds the two evaluators: for automata profiles the simulated mean lies within its
confidence interval of the exact value. The band used here is 4 standard errors (plus the
simulator's truncation error of an infinite horizon, 1e-9 of the payoff scale), with fixed seeds,
so a failure means a real disagreement, not bad luck.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import recip
from conftest import STANDARD, pd_scenario
from recip.core.errors import ScenarioError
from recip.engine.simulate import CHUNK
from recip.scenario import bundled
from recip.scenario.load import Scenario

BAND = 4.0


def assert_agree(exact, simulated, scale: float = 1.0) -> None:
    """|simulated - exact| <= 4 standard errors (+ truncation) for every player."""
    slack = BAND * simulated.stderr + 1e-7 * max(scale, 1.0)
    gap = np.abs(simulated.values - exact.values)
    assert np.all(gap <= slack), (
        f"exact {exact.values}, simulated {simulated.values} +- {simulated.stderr} "
        f"(gap {gap / np.maximum(simulated.stderr, 1e-300)} standard errors)"
    )


def payoff_scale(scenario) -> float:
    return float(np.abs(scenario.game.payoffs).max())


def world_data(**changes: Any) -> dict[str, Any]:
    """Three players and an observer in a Markov world of three states, after a scripted round.

    The observer never acts; its payoff is the index of the world state (0, 1, 2), so recorded
    payoffs reveal the state sequence.
    """
    actions_a = {"help": {"b": 1}, "wait": {}, "hurt": {"b": -1}}
    actions_b = {"help": {"a": 1, "c": 1}, "hurt": {"a": -1}}
    actions_c = {"join": {"a": 1, "b": 1}, "leave": {"a": -1}}
    data: dict[str, Any] = {
        "schema": 1,
        "title": "test world",
        "players": ["a", "b", "c", "observer"],
        "states": {
            "calm": {"actions": {"a": actions_a, "b": actions_b}},
            "tense": {"actions": {"a": actions_a, "b": actions_b, "c": actions_c}},
            "war": {"actions": {"c": actions_c, "b": actions_b}},
        },
        "nature": {
            "transitions": {
                "calm": {"calm": 0.5, "tense": 0.375, "war": 0.125},
                "tense": {"calm": 0.25, "tense": 0.25, "war": 0.5},
                "war": {"calm": 0.75, "war": 0.25},
            }
        },
        "history": [{"state": "war", "actions": {"b": "hurt", "c": "leave"}}],
        "payoffs": [
            {"state": "calm", "when": {"a": "help"}, "b": 2.0, "a": -0.5},
            {"state": "calm", "when": {"b": "help"}, "a": 1.5, "b": -1.0},
            {"state": "tense", "when": {"c": "join"}, "a": 1.0, "b": 1.0, "c": -0.5},
            {"state": "tense", "when": {"a": "hurt"}, "b": -2.0, "a": 0.5},
            {"state": "war", "when": {"b": "help"}, "c": 3.0, "b": -1.0},
            {"state": "tense", "observer": 1.0},
            {"state": "war", "observer": 2.0},
        ],
        "tables": {"war": {"c": [[0.0, 1.0], [0.5, -1.0]]}},
        "horizon": {"discount": 0.8},
        "noise": {"execution": {"a": 0.05, "b": 0.1, "c": 0.0, "observer": 0.0}},
        "strategies": {
            "a": {"name": "aligning", "tolerance": 0.5, "generosity": 0.2},
            "b": "win-stay-lose-shift",
            "c": "myopic",
        },
    }
    for key, value in changes.items():
        data[key] = value
    return data


# ----------------------------------------------------------------------------------------------
# simulated = exact, within the confidence interval


def _bundled_cases():
    cases = []
    for name in bundled.scenario_names():
        cases.append(pytest.param(name, None, id=f"{name}-own"))
        try:
            scenario = recip.load_scenario(name)
        except ScenarioError:  # reported by the test of its own profile, not at collection
            continue
        focal = scenario.spec.focal or scenario.players[0]
        for policy in scenario.spec.policies or ():
            cases.append(pytest.param(name, {focal: policy}, id=f"{name}-{focal}={policy}"))
    return cases


@pytest.mark.parametrize("name,profile", _bundled_cases())
def test_simulation_agrees_with_exact_on_bundled_scenarios(name, profile):
    scenario = recip.load_scenario(name)
    try:
        exact = recip.evaluate(scenario, profile)
    except ScenarioError as exc:  # too large for exact evaluation: nothing to compare
        if "chain states" not in str(exc):
            raise
        pytest.skip(str(exc))
    simulated = recip.simulate(scenario, profile, replicates=3000, seed=12345)
    assert_agree(exact, simulated, payoff_scale(scenario))


NOISY_PAIRS = [
    ("aligning", "aligning", 0.05),
    ("win-stay-lose-shift", "win-stay-lose-shift", 0.05),
    ({"name": "aligning", "generosity": 0.3}, "always:defect", 0.02),
    ({"name": "aligning", "memory": "grim"}, "random", 0.1),
    ({"name": "zd", "chi": 3.0}, {"name": "memory-one", "p": [0.7, 0.2, 0.9, 0.4]}, 0.0),
    ({"name": "zd", "kind": "generous"}, "win-stay-lose-shift", 0.1),
    ("myopic", {"name": "aligning", "initial": -1}, 0.2),
    ("balancing", "aligning", 0.5),
]


@pytest.mark.parametrize("row,col,eps", NOISY_PAIRS)
@pytest.mark.parametrize("horizon", [{"discount": 0.9}, {"discount": None, "rounds": 12}])
def test_simulation_agrees_with_exact_on_noisy_pairs(row, col, eps, horizon):
    scenario = pd_scenario(*STANDARD, noise=eps, strategies={"row": row, "col": col}, **horizon)
    exact = recip.evaluate(scenario)
    simulated = recip.simulate(scenario, replicates=3000, seed=7)
    assert_agree(exact, simulated, 5.0)
    # the per-round curve too: a payoff in [0, 5] has a standard deviation of at most 2.5
    rounds = min(len(exact.curve), len(simulated.curve), 12)
    assert np.all(np.abs(simulated.curve[:rounds] - exact.curve[:rounds]) <= BAND * 2.5 / 3000**0.5)


@pytest.mark.parametrize(
    "horizon", [{"discount": 0.8}, {"rounds": 9}, {"discount": 0.95, "rounds": 6}]
)
def test_simulation_agrees_with_exact_in_a_markov_world_with_history(horizon):
    scenario = Scenario.from_dict(world_data(horizon=horizon))
    exact = recip.evaluate(scenario)
    simulated = recip.simulate(scenario, replicates=3000, seed=3)
    assert_agree(exact, simulated, payoff_scale(scenario))
    # how often each world state occurs, and who did what: frequencies within 4 binomial SEs
    assert_allclose(simulated.occupancy.sum(), 1.0)
    tolerance = BAND * np.sqrt(0.25 / 3000) + 1e-9
    assert np.all(np.abs(simulated.occupancy - exact.occupancy) <= tolerance)


def test_execution_noise_picks_another_action_uniformly():
    """Three actions, always 'wait' with eps = 0.3: 'help' and 'hurt' 0.15 each."""
    data = world_data(strategies={"a": "always:wait", "b": "always:help", "c": "always:join"})
    data["noise"] = {"execution": {"a": 0.3}}
    scenario = Scenario.from_dict(data)
    exact = recip.evaluate(scenario)
    assert_allclose(
        list(exact.action_frequency("a", "calm").values()), [0.15, 0.7, 0.15], atol=1e-12
    )
    simulated = recip.simulate(scenario, replicates=4000, seed=11)
    got = np.array(list(simulated.action_frequency("a", "tense").values()))
    assert np.all(np.abs(got - [0.15, 0.7, 0.15]) <= 0.02)


# ----------------------------------------------------------------------------------------------
# reproducibility


def test_a_seed_reproduces_every_number():
    scenario = Scenario.from_dict(world_data(horizon={"discount": 0.9, "rounds": 30}))
    first = recip.simulate(scenario, replicates=500, seed=42, record=True)
    again = recip.simulate(scenario, replicates=500, seed=42, record=True)
    assert_array_equal(first.samples, again.samples)
    assert_array_equal(first.curve, again.curve)
    assert_array_equal(first.occupancy, again.occupancy)
    for a, b in zip(first.trajectories, again.trajectories, strict=True):
        assert_array_equal(a, b)
    other = recip.simulate(scenario, replicates=500, seed=43)
    assert not np.array_equal(first.samples, other.samples)


def test_results_do_not_depend_on_the_number_of_workers():
    scenario = Scenario.from_dict(world_data(horizon={"rounds": 8}))
    replicates = 2 * CHUNK + 100  # three chunks
    one = recip.simulate(scenario, replicates=replicates, seed=5, workers=1)
    two = recip.simulate(scenario, replicates=replicates, seed=5, workers=2)
    assert_array_equal(one.samples, two.samples)
    assert_array_equal(one.values, two.values)
    assert_array_equal(one.curve, two.curve)
    assert_array_equal(one.occupancy, two.occupancy)
    # each chunk has streams of its own...
    assert not np.array_equal(one.samples[:100], one.samples[CHUNK : CHUNK + 100])
    # ...that depend on the seed and the chunk only: fewer replicates, same start
    fewer = recip.simulate(scenario, replicates=CHUNK, seed=5)
    assert_array_equal(fewer.samples, one.samples[:CHUNK])


def test_common_random_numbers_across_profiles():
    """Changing a's strategy leaves nature's draws (the state sequence), the other players'
    random choices and their execution errors unchanged."""
    data = world_data(horizon={"rounds": 25})
    data["noise"] = {"execution": {"a": 0.1, "b": 0.2}}
    scenario = Scenario.from_dict(data)
    observer = scenario.players.index("observer")
    b = scenario.players.index("b")
    runs = [
        recip.simulate(
            scenario, {"a": a, "b": "random"}, replicates=300, seed=9, record=True
        ).trajectories
        for a in ("aligning", "always:hurt", "random")
    ]
    states = runs[0][1][:, :, observer]
    assert len(np.unique(states)) == 3  # all three states occur
    for actions, payoffs in runs[1:]:
        assert_array_equal(payoffs[:, :, observer], states)
        assert_array_equal(actions[:, :, b], runs[0][0][:, :, b])
    # with a policy change of a, the paired difference of the observer's value is exactly zero
    values = [
        recip.simulate(scenario, {"a": a}, replicates=300, seed=9).samples[:, observer]
        for a in ("aligning", "balancing")
    ]
    assert_array_equal(values[0], values[1])


def test_recorded_trajectories_are_consistent():
    scenario = pd_scenario(*STANDARD, rounds=20, noise=0.1, strategies={"col": "random"})
    ev = recip.simulate(scenario, replicates=200, seed=1, record=True)
    actions, payoffs = ev.trajectories
    assert actions.shape == payoffs.shape == (200, 20, 2)
    table = scenario.game.payoffs[0]
    joint = actions[:, :, 0] * 2 + actions[:, :, 1]
    assert_allclose(payoffs, table[joint], rtol=1e-6)
    weights = 0.9 ** np.arange(20) / (0.9 ** np.arange(20)).sum()  # 20 discounted rounds
    assert_allclose(ev.samples, np.einsum("t,rtn->rn", weights, payoffs), rtol=1e-5)
    # each replicate starts nice: tit-for-tat cooperates unless its own move was flipped
    assert 0.8 < np.mean(actions[:, 0, 0] == 0) < 0.97


def test_simulate_rejects_bad_arguments():
    scenario = pd_scenario(*STANDARD)
    with pytest.raises(ScenarioError, match="replicates"):
        recip.simulate(scenario, replicates=1)
    with pytest.raises(ScenarioError, match="seed"):
        recip.simulate(scenario, seed=-1)
    with pytest.raises(ScenarioError, match="rounds"):
        recip.simulate(scenario, limit_of_means=True)
