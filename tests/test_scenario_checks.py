"""What ``recip validate`` reports beyond loading (:func:`recip.scenario.problems`), and values
that loading refuses: booleans where numbers or stances belong, and the single-number table of a
state where nobody acts, which loading accepts.
"""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

import recip
from conftest import pd_data
from recip.core.errors import ScenarioError
from recip.scenario import problems
from recip.scenario.load import Scenario, load_scenario


def three_players(**changes) -> dict:
    """Russia never acts; India and Pakistan act in one crisis. India is paid by a term,
    Pakistan by a table, Russia by a term in the calm state."""
    data = {
        "schema": 1,
        "title": "three",
        "players": {"russia": {}, "india": {}, "pakistan": {}},
        "states": {
            "calm": {"probability": 0.5},
            "crisis": {
                "probability": 0.5,
                "actions": {
                    "india": {"support": {"russia": 1}, "distance": {}},
                    "pakistan": {"stay_out": {}, "arm": {"russia": -1}},
                },
            },
        },
        "payoffs": [
            {"id": "calm_russia", "state": "calm", "russia": 1.0},
            {"id": "help", "state": "crisis", "when": {"india": "support"}, "india": 0.5},
        ],
        "tables": {"crisis": {"pakistan": [[0, 1], [0, 1]]}},
        "horizon": {"discount": 0.9},
        "strategies": {"india": "aligning", "pakistan": "always:arm"},
        "compare": {"focal": "russia"},
    }
    for key, value in changes.items():
        node = data
        *path, last = key.split(".")
        for part in path:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return data


def messages(data: dict) -> list[str]:
    return [str(e) for e in problems(Scenario.from_dict(data))]


def test_a_complete_scenario_has_no_problems():
    assert messages(three_players()) == []
    for name in ("sindoor-2025", "prisoners-dilemma", "donation-game"):
        assert problems(load_scenario(name)) == []


def test_a_player_that_nothing_pays_is_a_problem():
    data = three_players(payoffs=[three_players()["payoffs"][1]])  # no term pays russia
    (message,) = messages(data)
    assert "key 'players.russia'" in message and 'payoffs = "none"' in message
    data["players"]["russia"]["payoffs"] = "none"
    assert messages(data) == []


def test_a_player_declared_unpaid_must_not_be_paid():
    data = three_players()
    data["players"]["india"]["payoffs"] = "none"
    with pytest.raises(ScenarioError, match="declared to receive no payoff") as info:
        Scenario.from_dict(data)
    assert info.value.key == "players.india.payoffs"


def test_an_acting_player_without_its_table_is_a_problem():
    data = three_players()
    data["tables"]["crisis"] = {"india": [[0, 0], [0, 0]]}  # pakistan's table forgotten
    data["payoffs"].append({"state": "calm", "pakistan": 0.0})  # paid elsewhere
    (message,) = messages(data)
    assert "pakistan acts in state 'crisis' but has no table there" in message
    data["payoffs"].append({"state": "crisis", "when": {"pakistan": "arm"}, "pakistan": 1.0})
    assert messages(data) == []


def test_an_acting_player_without_a_strategy_is_a_problem():
    (message,) = messages(three_players(**{"strategies.india": None}))
    assert "key 'strategies.india'" in message and "india acts (in 'crisis')" in message


def test_the_focal_player_and_a_player_that_never_acts_need_no_strategy():
    data = three_players()
    data["compare"]["focal"] = "india"
    data["strategies"].pop("india")
    assert messages(data) == []  # the focal player's strategies are the compared policies
    data = three_players()
    data["strategies"]["russia"] = "balancing"
    data["compare"]["focal"] = "pakistan"
    data["strategies"].pop("pakistan")
    assert messages(data) == []


def test_without_compare_the_focal_player_is_the_first():
    data = three_players(compare=None)
    data["players"] = {"india": {}, "russia": {}, "pakistan": {}}
    data["strategies"].pop("india")
    assert messages(data) == []
    data["strategies"]["india"] = "aligning"
    data["strategies"].pop("pakistan")
    assert len(messages(data)) == 1


# ----------------------------------------------------------------------------------------------
# a single number where nobody acts


def test_a_state_where_nobody_acts_takes_a_single_number():
    data = three_players()
    data["tables"]["calm"] = {"india": 2.0, "pakistan": {"value": -1.0, "low": -2, "high": 0}}
    scenario = Scenario.from_dict(data)
    game = scenario.game
    s = game.state_index("calm")
    assert_allclose(game.payoffs[s, 0], [1.0, 2.0, -1.0])
    (param,) = [p for p in game.parameters if p.key.startswith("tables")]
    assert param.key == "tables.calm.pakistan"
    changed = scenario.with_overrides({"tables.calm.pakistan": -0.5})
    assert changed.game.payoffs[s, 0, 2] == -0.5


def test_a_single_number_where_someone_acts_is_refused_with_the_shape():
    data = three_players()
    data["tables"]["crisis"]["pakistan"] = 1.0
    with pytest.raises(ScenarioError, match=r"should be 2 \(india: support, distance\)"):
        Scenario.from_dict(data)


# ----------------------------------------------------------------------------------------------
# booleans are neither numbers nor stances (and a stance lies in [-1, 1])


@pytest.mark.parametrize(
    "key,value",
    [
        ("states.round.actions.row.cooperate.col", True),
        ("states.round.actions.row.cooperate.col", False),
        ("states.round.actions.row.cooperate.col", 1.5),  # graded stances stop at 1
        ("states.round.probability", True),
        ("noise.execution", True),
        ("noise.execution", {"row": False}),
        ("horizon.discount", True),
        ("horizon.rounds", True),
        ("tables.round.row", [[True, 0], [5, 1]]),
        ("tables.round.row", [[{"value": 3, "low": True, "high": 4}, 0], [5, 1]]),
        ("payoffs", [{"row": True}]),
        ("payoffs", [{"row": {"value": True, "low": 0, "high": 2}}]),
        ("strategies.row.tolerance", True),
        ("nature", {"start": {"round": True}}),
    ],
)
def test_booleans_are_refused_as_numbers_and_stances(key, value):
    with pytest.raises(ScenarioError) as info:
        load_scenario("prisoners-dilemma").with_overrides({key: value})
    text = str(info.value)
    assert "--set" in text and "\n" not in text


def test_a_stance_of_true_names_what_a_stance_is():
    data = pd_data()
    data["states"]["round"]["actions"]["row"]["cooperate"]["col"] = True
    with pytest.raises(ScenarioError, match="a stance is a number from -1 to 1, not true") as info:
        Scenario.from_dict(data)
    assert info.value.key == "states.round.actions.row.cooperate.col"


def test_problems_is_exported_where_the_cli_finds_it():
    assert recip.scenario.problems is problems
