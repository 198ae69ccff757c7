"""The chain over joint memories with nature's state averaged out (an i.i.d. nature) gives the
values, curves and occupancy of the chain over (world state, joint memory); and the Markov chain
built through the one kernel and closure gives the recorded golden numbers bit for bit.

Expected numbers: the full chain (built with ``average=False``, the construction recip used
before the reduction) for random and bundled scenarios; a closed form for an i.i.d. nature whose
first state is drawn from another law; the golden JSON recorded before the restructuring.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import scenario_dicts
from recip.core.errors import ScenarioError
from recip.engine import exact
from recip.engine.chain import build_chain
from recip.model.setting import as_setting
from recip.scenario.load import Scenario

HERE = Path(__file__).resolve().parent
BUNDLED = sorted(p.stem for p in (HERE.parent / "scenarios").glob("*.toml"))
#: the scenarios whose nature is i.i.d.: the two textbook games have one world state, and in the
#: three stochastic games the actions move nature
NOT_IID = (
    "prisoners-dilemma",
    "donation-game",
    "counter-pakistan-realigns",
    "pro-deterrence",
    "sindoor-new-order",
)
IID = [n for n in BUNDLED if n not in NOT_IID]


def both_chains(setting, strategies):
    automata = setting.compile_profile(strategies)
    full = build_chain(setting.game, automata, setting.noise, average=False)
    reduced = build_chain(setting.game, automata, setting.noise)
    return full, reduced


def assert_same_answers(setting, full, reduced, *, limit_of_means=True):
    """Values, curve and occupancy of both chains under the setting's horizon (and the limit
    of means) agree to 1e-12 (values and curves relative to the payoffs' scale)."""
    scale = 1.0 + np.abs(setting.game.payoffs).max()
    # each discount factor of the setting (players may have their own)
    discounts = sorted(set(setting.discounts)) if setting.discounts is not None else [None]
    horizons = [dict(discount=d, rounds=setting.rounds) for d in discounts]
    if limit_of_means:
        horizons.append(dict(discount=None, rounds=None, limit_of_means=True))
    for horizon in horizons:
        w_full, curve_full = exact.solve(full, **horizon)
        w_red, curve_red = exact.solve(reduced, **horizon)
        assert_allclose(w_red @ reduced.reward, w_full @ full.reward, rtol=0, atol=1e-12 * scale)
        assert_allclose(curve_red, curve_full, rtol=0, atol=1e-12 * scale)
        J = setting.game.max_joint
        assert_allclose(reduced.occupancy(w_red, J), full.occupancy(w_full, J), rtol=0, atol=1e-12)


@given(data=scenario_dicts(), first=st.integers(0, 3))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reduction_matches_the_full_chain_on_random_scenarios(data, first):
    """Random scenarios, i.i.d. or Markov (Markov ones are left alone), with scripted history
    and, for some i.i.d. ones, a first world state drawn from another law than the others."""
    if len(data["states"]) > 1 and "nature" not in data and first:
        names = list(data["states"])
        data["nature"] = {"start": names[first % len(names)]}
    try:
        setting = as_setting(Scenario.from_dict(data))
        strategies = setting.profile()
        full, reduced = both_chains(setting, strategies)
    except ScenarioError:
        assume(False)
    assert reduced.size <= full.size
    assert_same_answers(setting, full, reduced)


@pytest.mark.parametrize("name", BUNDLED)
def test_reduction_matches_the_full_chain_on_bundled_scenarios(name):
    setting = as_setting(name)
    for policy in setting.policy_list()[0]:
        strategies = setting.profile({setting.focal: policy})
        full, reduced = both_chains(setting, strategies)
        assert reduced.averaged == (name in IID)
        assert_same_answers(setting, full, reduced)


def test_reduced_chain_of_the_op_ed_has_one_state_per_joint_memory():
    """sindoor-2025: 3 world states x 15 joint memories of (aligning Russia, aligning India,
    Pakistan) become 15 chain states."""
    setting = as_setting("sindoor-2025")
    full, reduced = both_chains(setting, setting.profile({"russia": "aligning"}))
    assert (full.size, reduced.size) == (45, 15)
    assert recip.evaluate(setting, {"russia": "aligning"}).chain_size == 15


def test_first_state_drawn_from_another_law_closed_form():
    """One player, no choice, payoff u_s in state s; the first state is 'b' for sure, then
    states are i.i.d. with law q. Per-round discounted value:
    (1 - d) u_b + d E_q[u]; over T rounds: (u_b + (T - 1) E_q[u]) / T."""
    u = {"a": 1.0, "b": 5.0, "c": -2.0}
    q = {"a": 0.5, "b": 0.25, "c": 0.25}
    mean = sum(q[s] * u[s] for s in u)
    data = {
        "schema": 1,
        "title": "first state differs",
        "players": ["solo"],
        "states": {s: {"probability": q[s]} for s in u},
        "nature": {"start": "b"},
        "payoffs": [{"state": s, "solo": u[s]} for s in u],
        "horizon": {"discount": 0.8},
        "strategies": {},
    }
    ev = recip.evaluate(Scenario.from_dict(data))
    assert ev.chain_size == 2  # the first round's context, then the i.i.d. one
    assert_allclose(ev.values, [0.2 * u["b"] + 0.8 * mean], rtol=1e-13)
    assert_allclose(ev.curve[:3, 0], [u["b"], mean, mean], rtol=1e-13)
    data["horizon"] = {"rounds": 7}
    ev = recip.evaluate(Scenario.from_dict(data))
    assert_allclose(ev.values, [(u["b"] + 6 * mean) / 7], rtol=1e-13)
    # state frequencies: state b is the first round's for sure, then a quarter of the others
    freq = ev.occupancy.sum(axis=1)
    assert_allclose(freq, [6 * 0.5 / 7, (1 + 6 * 0.25) / 7, 6 * 0.25 / 7], rtol=1e-13)


def test_markov_nature_with_equal_rows_is_averaged_too():
    """A [nature.transitions] table whose rows are all the same law is i.i.d."""
    data = scenario_with_equal_rows()
    setting = as_setting(Scenario.from_dict(data))
    full, reduced = both_chains(setting, setting.profile())
    assert reduced.averaged and reduced.size < full.size
    assert_same_answers(setting, full, reduced)


def scenario_with_equal_rows():
    row = {"calm": 0.5, "crisis": 0.5}
    return {
        "schema": 1,
        "title": "equal rows",
        "players": ["ann", "bob"],
        "states": {
            "calm": {},
            "crisis": {
                "actions": {
                    "ann": {"help": {"bob": 1}, "harm": {"bob": -1}},
                    "bob": {"help": {"ann": 1}, "harm": {"ann": -1}},
                }
            },
        },
        "nature": {"transitions": {"calm": row, "crisis": row}, "start": "crisis"},
        "tables": {"crisis": {"ann": [[3, 0], [5, 1]], "bob": [[3, 5], [0, 1]]}},
        "horizon": {"discount": 0.9},
        "noise": {"execution": 0.05},
        "strategies": {"ann": "aligning", "bob": "aligning"},
    }


def golden_values(name: str) -> dict[str, list[float]]:
    """``recip run``'s values as recorded before the restructuring (issue 6), when every chain
    was built over (world state, joint memory): ``tests/golden/full-chain-values.json`` keeps
    them (the golden outputs were re-recorded from the averaged chain since)."""
    doc = json.loads((HERE / "golden" / "full-chain-values.json").read_text(encoding="utf-8"))
    return doc[name]


RECORDED = sorted(
    json.loads((HERE / "golden" / "full-chain-values.json").read_text(encoding="utf-8"))
)


@pytest.mark.parametrize("name", RECORDED)
def test_full_chain_reproduces_the_golden_values_bit_for_bit(name):
    """The chain over (world state, joint memory), built through the shared kernel and closure,
    gives exactly the values recorded before the restructuring."""
    setting = as_setting(name)
    expected = golden_values(name)
    players = list(setting.players)
    for policy in setting.policy_list()[0]:
        strategies = setting.profile({setting.focal: policy})
        full = build_chain(
            setting.game, setting.compile_profile(strategies), setting.noise, average=False
        )
        weights, _ = exact.solve(full, discount=setting.discount, rounds=setting.rounds)
        values = weights @ full.reward
        recorded = expected[policy.label]
        assert [values[players.index(p)] for p in recorded] == list(recorded.values())
