"""aligning's initial memory, per partner: start friendly to one partner and wary of another."""

from __future__ import annotations

import numpy as np
import pytest

import recip
from recip.core.errors import ScenarioError
from recip.strategies import compile_for, get


def test_per_partner_initial_memory_sets_the_start_state():
    s = recip.load_scenario("sindoor-2025")
    g = s.game
    auto = compile_for(g, "russia", get("aligning", initial={"pakistan": -1}))
    assert auto.memory_labels[auto.initial] == "india:+,pakistan:-"
    # remembering Pakistan as hostile and India as friendly, Russia backs India at once
    k = g.state_index("india_attacked")
    assert g.actions[k][0][int(np.argmax(auto.policy[auto.initial, k]))] == "align_india"
    plain = compile_for(g, "russia", get("aligning"))
    assert g.actions[k][0][int(np.argmax(plain.policy[plain.initial, k]))] == "balance"


def test_knowing_pakistans_record_raises_the_advantage_of_aligning():
    s = recip.load_scenario("sindoor-2025")
    informed = {"name": "aligning", "initial": {"pakistan": -1}}
    c = recip.compare(s, policies=["balancing", "aligning", informed])
    assert c.advantage[2] > c.advantage[1] > 0
    assert c.policies[2] == "aligning(initial={pakistan=-1})"


@pytest.mark.parametrize(
    ("initial", "phrase"),
    [({"pakistn": -1}, "did you mean 'pakistan'"), (2, "-1, 0 or 1"), ({"india": 5}, "-1, 0 or 1")],
)
def test_bad_initial_names_the_key(initial, phrase):
    s = recip.load_scenario("sindoor-2025")
    with pytest.raises(ScenarioError, match=phrase) as info:
        recip.compare(s, policies=["balancing", {"name": "aligning", "initial": initial}])
    assert info.value.key == "policies[1].initial"
