"""Invariants that hold for every scenario, checked on random valid scenarios (hypothesis).

* A positive affine change of every payoff, u -> a u + b, changes every value the same way and
  keeps which of two policies is better (no strategy in the library reads payoff units).
* The order in which a file lists players, states or payoff terms changes no value.
* A seed reproduces a simulation exactly.
* Every generated valid scenario loads and evaluates: finite values that are averages of its
  payoffs, occupancies that are distributions, and simulated means within their confidence
  interval of the exact values.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import scenario_dicts
from recip.scenario.load import Scenario

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small_scenarios = scenario_dicts(max_players=3, max_states=3, max_actions=3)


def _map_values(node: Any, f) -> Any:
    """Apply ``f`` to every payoff number of a term value or (nested) table entry."""
    if isinstance(node, list):
        return [_map_values(x, f) for x in node]
    if isinstance(node, dict):  # an uncertain value: its nominal value and its range move
        return {k: (f(v) if k in ("value", "low", "high") else v) for k, v in node.items()}
    return f(node)


def affine(data: dict[str, Any], a: float, b: float) -> dict[str, Any]:
    """The scenario with every payoff u replaced by a u + b (and aspirations alike)."""
    out = copy.deepcopy(data)
    players = out["players"]
    for term in out.get("payoffs", []):
        for p in players:
            if p in term:
                term[p] = _map_values(term[p], lambda v: a * v)
    for per_player in out.get("tables", {}).values():
        for p in per_player:
            per_player[p] = _map_values(per_player[p], lambda v: a * v)
    # the shift b, once per state, joint action and player: a term with no state and no 'when'
    out.setdefault("payoffs", []).append({p: float(b) for p in players})
    for spec in out.get("strategies", {}).values():
        if isinstance(spec, dict) and spec.get("aspiration") is not None:
            spec["aspiration"] = a * spec["aspiration"] + b
    return out


@given(
    data=small_scenarios,
    a=st.sampled_from([0.25, 0.5, 2.0, 3.0]),
    b=st.sampled_from([-7.5, -1.0, 0.0, 2.5]),
    limit=st.booleans(),
)
@SETTINGS
def test_positive_affine_payoff_change(data, a, b, limit):
    before = Scenario.from_dict(data)
    after = Scenario.from_dict(affine(data, a, b))
    focal = before.players[0]
    # each scenario's own profile (aspirations moved with the payoffs), then two focal policies
    for profile in (None, {focal: "balancing"}, {focal: "aligning"}):
        v = recip.evaluate(before, profile, limit_of_means=limit).values
        w = recip.evaluate(after, profile, limit_of_means=limit).values
        assert_allclose(w, a * v + b, atol=1e-9 * (1 + abs(b)), rtol=1e-9)

    def advantage(scenario):
        aligning, balancing = (
            recip.evaluate(scenario, {focal: policy}).value(focal)
            for policy in ("aligning", "balancing")
        )
        return aligning - balancing

    gap_before, gap_after = advantage(before), advantage(after)
    if abs(gap_before) > 1e-9:
        assert np.sign(gap_after) == np.sign(gap_before)
    assert_allclose(gap_after, a * gap_before, atol=1e-9 * (1 + abs(b)))


def reorder(data: dict[str, Any], players: list[str], states: list[str], flip_terms: bool):
    """The same scenario with players, states (and optionally payoff terms) listed in another
    order; tables are transposed to the new player order."""
    out = copy.deepcopy(data)
    old_players = list(data["players"])
    out["players"] = {p: {} for p in players} if flip_terms else list(players)
    out["states"] = {s: data["states"][s] for s in states}
    if "nature" in out and "transitions" in out["nature"]:
        out["nature"]["transitions"] = {s: data["nature"]["transitions"][s] for s in states}
    if "payoffs" in out and flip_terms:
        out["payoffs"] = list(reversed(out["payoffs"]))
    for s, per_player in out.get("tables", {}).items():
        active_old = [p for p in old_players if p in data["states"][s]["actions"]]
        active_new = [p for p in players if p in data["states"][s]["actions"]]
        axes = [active_old.index(p) for p in active_new]
        for p, nested in per_player.items():
            shape = [len(data["states"][s]["actions"][q]) for q in active_old]
            arr = np.empty(int(np.prod(shape)), dtype=object)
            arr[:] = _flatten(nested)
            per_player[p] = arr.reshape(shape).transpose(axes).tolist()
    out["tables"] = {s: out["tables"][s] for s in states if s in out.get("tables", {})}
    return out


def _flatten(node):
    if isinstance(node, list):
        return [x for child in node for x in _flatten(child)]
    return [node]


@given(data=small_scenarios, order=st.randoms(use_true_random=False), flip=st.booleans())
@SETTINGS
def test_listing_order_changes_no_value(data, order, flip):
    players = list(data["players"])
    states = list(data["states"])
    order.shuffle(players)
    order.shuffle(states)
    original = Scenario.from_dict(data)
    shuffled = Scenario.from_dict(reorder(data, players, states, flip))
    for limit in (False, True):
        v = recip.evaluate(original, limit_of_means=limit)
        w = recip.evaluate(shuffled, limit_of_means=limit)
        for p in original.players:
            assert_allclose(w.value(p), v.value(p), atol=1e-9, rtol=1e-9)
        for s in original.game.states:
            assert_allclose(w.state_frequency()[s], v.state_frequency()[s], atol=1e-9)


@given(data=small_scenarios, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_seed_reproduces_a_simulation(data, seed):
    scenario = Scenario.from_dict(data).with_overrides({"horizon.rounds": 15})
    first = recip.simulate(scenario, replicates=50, seed=seed, record=True)
    again = recip.simulate(scenario, replicates=50, seed=seed, record=True)
    assert np.array_equal(first.samples, again.samples)
    assert np.array_equal(first.trajectories[0], again.trajectories[0])
    assert np.array_equal(first.occupancy, again.occupancy)


@given(data=small_scenarios)
@SETTINGS
def test_generated_scenarios_load_and_evaluate(data):
    scenario = Scenario.from_dict(data)
    game = scenario.game
    for limit in (False, True):
        ev = recip.evaluate(scenario, limit_of_means=limit)
        assert np.all(np.isfinite(ev.values))
        # a value is an average of payoffs: between the player's smallest and largest payoff
        for i in range(game.n_players):
            entries = np.concatenate(
                [game.payoffs[s, : game.n_joint[s], i] for s in range(game.n_states)]
            )
            assert entries.min() - 1e-9 <= ev.values[i] <= entries.max() + 1e-9
        assert_allclose(ev.occupancy.sum(), 1.0)
        assert np.all(ev.occupancy >= -1e-12)
        for s, state in enumerate(game.states):
            if ev.occupancy[s].sum() > 1e-9:
                for p in game.players:
                    assert_allclose(sum(ev.action_frequency(p, state).values()), 1.0)


@given(data=small_scenarios)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_scenarios_simulate_within_the_confidence_interval(data):
    scenario = Scenario.from_dict(data)
    exact = recip.evaluate(scenario)
    simulated = recip.simulate(scenario, replicates=2000, seed=2024)
    slack = 4.0 * simulated.stderr + 1e-7 * (1 + np.abs(scenario.game.payoffs).max())
    assert np.all(np.abs(simulated.values - exact.values) <= slack)
