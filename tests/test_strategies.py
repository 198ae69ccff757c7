"""The strategy library, test by conversation: given the opponents' moves, these are my moves.

Opponents are scripted automata (``conftest.script``); the moves are read from recorded
simulation trajectories (no noise, so every replicate is the same) or, for stochastic rules,
from the compiled tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import recip
from conftest import STANDARD, pd_data, script
from recip import strategies
from recip.core.errors import ScenarioError
from recip.scenario.load import Scenario

C, D = "cooperate", "defect"


def moves(data: dict[str, Any], profile: dict[str, Any], rounds: int) -> dict[str, list[str]]:
    """Every active player's realised actions, round by round, in a noiseless scenario."""
    scenario = Scenario.from_dict(data)
    ev = recip.simulate(scenario, profile, rounds=rounds, replicates=2, seed=0, record=True)
    actions, _ = ev.trajectories
    assert_array_equal(actions[0], actions[1])  # deterministic: every replicate agrees
    game = scenario.game
    state = _state_sequence(scenario, rounds)
    out: dict[str, list[str]] = {}
    for i, player in enumerate(game.players):
        out[player] = [
            game.actions[s][i][a] if game.acts[s, i] else "-"
            for s, a in zip(state, actions[0, :, i], strict=True)
        ]
    return out


def _state_sequence(scenario, rounds: int) -> list[int]:
    """The world states of a scenario whose nature is deterministic (one state, or a cycle)."""
    game = scenario.game
    s = int(np.argmax(game.start))
    assert game.start[s] == 1.0
    out = []
    for _ in range(rounds):
        out.append(s)
        assert game.transition[s].max() == 1.0
        s = int(np.argmax(game.transition[s]))
    return out


def pd_conversation(mine: Any, theirs: list[str], payoffs=STANDARD, **kw) -> list[str]:
    """Row's moves when col plays ``theirs``."""
    data = pd_data(*payoffs, discount=None, rounds=len(theirs), automata=script(theirs), **kw)
    return moves(data, {"row": mine, "col": "script"}, len(theirs))["row"]


def compiled(data: dict[str, Any], player: str, spec: Any):
    scenario = Scenario.from_dict(data)
    return scenario.game, strategies.compile_for(scenario.game, player, strategies.parse(spec))


# ----------------------------------------------------------------------------------------------
# aligning in a prisoner's dilemma: tit-for-tat and its relatives


def test_aligning_is_tit_for_tat():
    assert pd_conversation("aligning", [C, D, D, C, C, D]) == [C, C, D, D, C, C]


def test_aligning_initial_memory():
    theirs = [C, D, C, C]
    assert pd_conversation({"name": "aligning", "initial": -1}, theirs) == [D, C, D, C]
    # a neutral first impression: cooperate and defect are equally (non-)neutral in a PD, so the
    # friendlier action wins the tie
    assert pd_conversation({"name": "aligning", "initial": 0}, theirs) == [C, C, D, C]


def test_aligning_grim_never_forgives():
    grim = {"name": "aligning", "memory": "grim"}
    assert pd_conversation(grim, [C, C, D, C, C, C]) == [C, C, C, D, D, D]
    assert pd_conversation(grim, [C] * 5) == [C] * 5


def test_aligning_generosity_is_generous_tit_for_tat():
    """GTFT: after the partner cooperated, cooperate; after it defected, cooperate with chance
    g (the memory -1 is read as neutral, and the tie goes to the friendlier action)."""
    game, auto = compiled(pd_data(), "row", {"name": "aligning", "generosity": 0.3})
    labels = list(auto.memory_labels)
    coop = game.actions[0][0].index(C)
    assert auto.policy[labels.index("col:+"), 0, coop] == 1.0
    assert_allclose(auto.policy[labels.index("col:-"), 0, coop], 0.3)
    assert not auto.deterministic


def test_aligning_memory_follows_the_partner_stance():
    game, auto = compiled(pd_data(), "row", "aligning")
    labels = list(auto.memory_labels)
    for m in range(auto.n_memories):
        for j in range(4):
            theirs = game.joint_label(0, j)["col"]
            assert labels[auto.update[m, 0, j]] == ("col:+" if theirs == C else "col:-")
    assert labels[auto.initial] == "col:+"


# ----------------------------------------------------------------------------------------------
# aligning with several partners: Russia between India and Pakistan


def three_players(russia_actions=None, tolerance=None):
    russia = russia_actions or {
        "align_india": {"india": 1, "pakistan": -1},
        "balance": {},
        "align_pakistan": {"india": -1, "pakistan": 1},
    }
    partner = {"support": {"russia": 1}, "distance": {}, "oppose": {"russia": -1}}
    return {
        "schema": 1,
        "title": "three players",
        "players": ["russia", "india", "pakistan"],
        "states": {"round": {"actions": {"russia": russia, "india": partner, "pakistan": partner}}},
        "horizon": {"rounds": 6},
        "strategies": {"russia": "balancing", "india": "balancing", "pakistan": "balancing"},
    }


def russia_conversation(russia, india, pakistan, **kw):
    data = three_players(**kw)
    data["horizon"] = {"rounds": len(india)}
    data["automata"] = {**script(india, "india_script"), **script(pakistan, "pakistan_script")}
    profile = {"russia": russia, "india": "india_script", "pakistan": "pakistan_script"}
    return moves(data, profile, len(india))["russia"]


INDIA = ["support", "support", "distance", "oppose", "oppose", "support"]
PAKISTAN = ["oppose", "support", "support", "support", "oppose", "support"]


def test_aligning_sides_with_the_partner_that_sided_with_it():
    """Memories (india, pakistan) after each round: (+,-) -> align_india; (+,+) -> all scores 0,
    the most neutral wins: balance; (0,+) -> align_pakistan; (-,+) -> align_pakistan;
    (-,-) -> all scores 0: balance. The first round starts from (+,+)."""
    assert russia_conversation("aligning", INDIA, PAKISTAN) == [
        "balance",
        "align_india",
        "balance",
        "align_pakistan",
        "align_pakistan",
        "balance",
    ]


def test_aligning_tolerance_reads_distance_as_support():
    """With tolerance 1 India's 'distance' counts as support: (0,+) is read as (+,+)."""
    got = russia_conversation({"name": "aligning", "tolerance": 1.0}, INDIA, PAKISTAN)
    assert got[3] == "balance"
    half = russia_conversation({"name": "aligning", "tolerance": 0.5}, INDIA, PAKISTAN)
    assert half[3] == "align_pakistan"  # 0.5 * (-1) + 1 * 1 > 0


def test_aligning_prefers_the_action_matching_every_memory():
    """With actions siding with both or against both, the one matching both memories scores 2
    and wins over the partial matches."""
    actions = {
        "align_india": {"india": 1, "pakistan": -1},
        "balance": {},
        "both": {"india": 1, "pakistan": 1},
        "neither": {"india": -1, "pakistan": -1},
    }
    got = russia_conversation(
        "aligning", ["support"] * 3, ["support", "oppose", "oppose"], russia_actions=actions
    )
    assert got == ["both", "both", "align_india"]
    # both partners opposed: 'neither' scores 2
    got = russia_conversation("aligning", ["oppose"] * 2, ["oppose"] * 2, russia_actions=actions)
    assert got == ["both", "neither"]


def test_balancing_with_several_partners():
    assert russia_conversation("balancing", INDIA, PAKISTAN) == ["balance"] * 6


def test_aligning_keeps_a_memory_when_the_partner_choice_does_not_concern_it():
    """India acts toward Russia only in 'talks'; in 'trade' its choice carries no stance toward
    Russia, so Russia's memory of India survives a 'trade' round."""
    played = ["oppose", "buy", "support", "sell", "support", "buy"]
    # round t is 'talks' when t is even: the script plays its move in that round's state
    india = {}
    for t, move in enumerate(played):
        play = (
            {"talks": move, "trade": "buy"} if t % 2 == 0 else {"talks": "support", "trade": move}
        )
        india[f"t{t}"] = {"play": play, "next": f"t{min(t + 1, 5)}"}
    data = {
        "schema": 1,
        "title": "two states",
        "players": ["russia", "india"],
        "states": {
            "talks": {
                "actions": {
                    "india": {"support": {"russia": 1}, "oppose": {"russia": -1}},
                    "russia": {"help": {"india": 1}, "hinder": {"india": -1}},
                }
            },
            "trade": {"actions": {"india": {"buy": {}, "sell": {}}}},
        },
        "nature": {"start": "talks", "transitions": {"talks": {"trade": 1}, "trade": {"talks": 1}}},
        "horizon": {"rounds": 6},
        "strategies": {"russia": "aligning", "india": "balancing"},
        "automata": {"india_script": {"initial": "t0", "memories": india}},
    }
    got = moves(data, {"india": "india_script"}, 6)
    assert got["india"] == played
    assert got["russia"] == ["help", "-", "hinder", "-", "help", "-"]


# ----------------------------------------------------------------------------------------------
# balancing, always, random


def test_balancing_picks_the_most_neutral_action_first_listed_on_ties():
    cases = [
        ({"a": {"col": 1}, "b": {"col": -1}}, "a"),  # tie: first listed
        ({"a": {"col": -1}, "b": {"col": 1}}, "a"),
        ({"a": {"col": 1}, "b": {}, "c": {"col": -1}}, "b"),
    ]
    for actions, expected in cases:
        data = pd_data()
        data["states"]["round"]["actions"]["row"] = actions
        data["tables"] = {}
        data["strategies"] = {"row": "balancing", "col": "balancing"}
        game, auto = compiled(data, "row", "balancing")
        assert game.actions[0][0][int(auto.policy[0, 0].argmax())] == expected
        assert auto.policy[0, 0].max() == 1.0


def test_balancing_in_a_prisoners_dilemma_always_cooperates():
    assert pd_conversation("balancing", [D, D, C, D]) == [C] * 4


def test_always():
    assert pd_conversation("always:defect", [C, C, D, C]) == [D] * 4
    assert pd_conversation({"name": "always", "action": "cooperate"}, [D, D]) == [C, C]
    data = three_players()
    data["states"]["other"] = {"actions": {"russia": {"wait": {}, "act": {}}}}
    data["states"]["round"]["probability"] = 0.5
    data["states"]["other"]["probability"] = 0.5
    per_state = {"name": "always", "action": {"round": "align_india", "other": "act"}}
    _game, auto = compiled(data, "russia", per_state)
    assert_array_equal(auto.policy[0, 0, :3], [1, 0, 0])
    assert_array_equal(auto.policy[0, 1, :2], [0, 1])
    with pytest.raises(ScenarioError, match="no action 'cooperate'"):
        compiled(data, "russia", "always:cooperate")


def test_random_is_uniform_over_the_state_actions():
    _game, auto = compiled(three_players(), "russia", "random")
    assert_allclose(auto.policy[0, 0, :3], [1 / 3] * 3)
    _game, auto = compiled(pd_data(), "row", "random")
    assert_allclose(auto.policy[0, 0, :2], [0.5, 0.5])
    ev = recip.evaluate(Scenario.from_dict(pd_data()), {"row": "random", "col": "always:cooperate"})
    assert_allclose(ev.action_frequency("row", "round")[C], 0.5)


# ----------------------------------------------------------------------------------------------
# myopic


def coordination(**kw):
    """Row wants to match col (a,a pays 2, b,b pays 1); no stances, so ties go to the first
    listed action."""
    actions = {"a": {}, "b": {}}
    data = pd_data(discount=None, **kw)
    data["states"]["round"]["actions"] = {"row": actions, "col": actions}
    data["tables"]["round"] = {"row": [[2, 0], [0, 1]], "col": [[0, 0], [0, 0]]}
    return data


def test_myopic_best_responds_to_the_last_move():
    theirs = ["b", "b", "a", "b", "a"]
    data = coordination(rounds=5, automata=script(theirs))
    # uniform belief first: a pays 1 in expectation, b 0.5
    assert moves(data, {"row": "myopic", "col": "script"}, 5)["row"] == ["a", "b", "b", "a", "b"]


def test_myopic_remembers_each_state_separately():
    """States alternate: 'match' (coordination) and 'mismatch' (row wants to differ). Row best
    responds to what col did the last time *that* state occurred."""
    actions = {"a": {}, "b": {}}
    data = {
        "schema": 1,
        "title": "alternating",
        "players": ["row", "col"],
        "states": {
            "match": {"actions": {"row": actions, "col": actions}},
            "mismatch": {"actions": {"row": actions, "col": actions}},
        },
        "nature": {
            "start": "match",
            "transitions": {"match": {"mismatch": 1}, "mismatch": {"match": 1}},
        },
        "tables": {
            "match": {"row": [[2, 0], [0, 1]]},
            "mismatch": {"row": [[0, 1], [1, 0]]},
        },
        "horizon": {"rounds": 6},
        "strategies": {"row": "myopic", "col": "script"},
        "automata": script(["b", "a", "a", "b", "a", "a"]),
    }
    assert moves(data, {}, 6)["row"] == ["a", "a", "b", "b", "a", "a"]


def test_myopic_in_a_prisoners_dilemma_always_defects():
    assert pd_conversation("myopic", [C, C, D, C]) == [D] * 4


# ----------------------------------------------------------------------------------------------
# win-stay-lose-shift, memory-one, zero-determinant


def test_win_stay_lose_shift():
    """Aspiration = mean payoff 2.25: R and T win (stay), S and P lose (shift)."""
    assert pd_conversation("win-stay-lose-shift", [C, D, D, C, C, D, D]) == [C, C, D, C, C, C, D]
    # against ALLD it alternates
    assert pd_conversation("win-stay-lose-shift", [D] * 5) == [C, D, C, D, C]


def test_win_stay_lose_shift_aspiration():
    """With aspiration 4 only T counts as a win: after R it shifts to defect."""
    wsls = {"name": "win-stay-lose-shift", "aspiration": 4}
    assert pd_conversation(wsls, [C, C, C, C]) == [C, D, D, D]


def test_win_stay_lose_shift_with_three_actions_cycles():
    data = three_players()
    data["payoffs"] = [{"russia": 1, "when": {"russia": "align_pakistan"}}]
    game, auto = compiled(data, "russia", {"name": "win-stay-lose-shift", "aspiration": 0.5})
    labels = list(auto.memory_labels)
    assert labels == ["align_india", "balance", "align_pakistan"]
    # every joint action of the round: russia's own action decides win or loss
    for j in range(game.n_joint[0]):
        own = game.joint_label(0, j)["russia"]
        after = {"align_india": "balance", "balance": "align_pakistan"}.get(own, own)
        for m in range(3):  # the realised own action, not the intended one, is remembered
            assert labels[auto.update[m, 0, j]] == after


@pytest.mark.parametrize("order", ["cooperate-first", "defect-first"])
def test_memory_one_tables(order):
    data = pd_data()
    if order == "defect-first":
        for player, other in (("row", "col"), ("col", "row")):
            data["states"]["round"]["actions"][player] = {D: {other: -1}, C: {other: 1}}
        data["tables"]["round"] = {
            "row": [[1, 5], [0, 3]],
            "col": [[1, 0], [5, 3]],
        }
    p = [0.9, 0.1, 0.6, 0.3]
    game, auto = compiled(data, "row", {"name": "memory-one", "p": p, "initial": 0.4})
    coop = game.actions[0][0].index(C)
    assert auto.memory_labels == ("start", "CC", "CD", "DC", "DD")
    assert_allclose(auto.policy[:, 0, coop], [0.4, *p])
    for j in range(4):
        label = game.joint_label(0, j)
        outcome = ("C" if label["row"] == C else "D") + ("C" if label["col"] == C else "D")
        assert_array_equal(auto.update[:, 0, j], auto.memory_labels.index(outcome))
    # the TFT vector plays tit-for-tat whatever the order of the actions in the file
    tft = {"name": "memory-one", "p": [1, 0, 1, 0]}
    theirs = [C, D, D, C, C]
    pdata = pd_data(discount=None, rounds=5, automata=script(theirs))
    pdata["states"] = data["states"]
    pdata["tables"] = data["tables"]
    assert moves(pdata, {"row": tft, "col": "script"}, 5)["row"] == [C, C, D, D, C]


def test_memory_one_wsls_vector_is_pavlov():
    theirs = [C, D, D, C, C, D, D]
    pavlov = {"name": "memory-one", "p": [1, 0, 0, 1]}
    assert pd_conversation(pavlov, theirs) == pd_conversation("win-stay-lose-shift", theirs)


def test_memory_one_needs_a_two_by_two_game():
    with pytest.raises(ScenarioError, match="2x2"):
        compiled(three_players(), "russia", "memory-one")


@pytest.mark.parametrize(
    "kind,expected",
    [
        # c = (x - P) - 2 (y - P) = (-2, -9, 6, 0); phi = 0.5 / 9
        ("extortionate", [8 / 9, 1 / 2, 1 / 3, 0.0]),
        # c = (x - R) - 2 (y - R) = (0, -7, 8, 2); phi = 0.5 / 8
        ("generous", [1.0, 9 / 16, 1 / 2, 1 / 8]),
    ],
)
def test_zero_determinant_vector(kind, expected):
    _game, auto = compiled(pd_data(), "row", {"name": "zd", "kind": kind, "chi": 2.0})
    assert_allclose(auto.policy[1:, 0, 0], expected)
    assert auto.policy[0, 0, 0] == 1.0


def test_zero_determinant_needs_dilemma_payoffs():
    harmony = pd_data(4, 3, 2, 1)
    with pytest.raises(ScenarioError, match="zero-determinant"):
        compiled(harmony, "row", "zd")


# ----------------------------------------------------------------------------------------------
# scenario automata


def test_automaton_with_string_next_alternates():
    alternator = {
        "memories": {"even": {"play": C, "next": "odd"}, "odd": {"play": D, "next": "even"}}
    }
    data = pd_data(discount=None, rounds=5, automata={"alternator": alternator})
    got = moves(data, {"row": "alternator", "col": "aligning"}, 5)
    assert got == {"row": [C, D, C, D, C], "col": [C, C, D, C, D]}


def test_automaton_rules_are_tried_in_order_and_no_match_keeps_the_memory():
    """A forgiving grudger: angry after col defects, calm again only after two cooperations."""
    grudger = {
        "initial": "calm",
        "memories": {
            "calm": {"play": C, "next": [{"when": {"col": D}, "to": "angry"}]},
            "angry": {
                "play": D,
                "next": [
                    {"when": {"col": D}, "to": "angry"},
                    {"when": {"col": C}, "to": "cooling"},
                ],
            },
            "cooling": {
                "play": D,
                "next": [{"when": {"col": C}, "to": "calm"}, {"to": "angry"}],
            },
        },
    }
    theirs = [C, D, C, C, C, D, C, D]
    data = pd_data(
        discount=None, rounds=len(theirs), automata={"grudger": grudger, **script(theirs)}
    )
    got = moves(data, {"row": "grudger", "col": "script"}, len(theirs))["row"]
    assert got == [C, C, D, D, C, C, D, D]


def test_automaton_per_state_play_state_rules_and_distributions():
    my_actions = {"help": {"other": 1}, "wait": {}, "hurt": {"other": -1}}
    other_actions = {"help": {"me": 1}, "wait": {}, "hurt": {"me": -1}}
    automaton = {
        "initial": "friendly",
        "memories": {
            "friendly": {
                "play": {"peace": "help", "default": {"wait": 0.25, "hurt": 0.75}},
                "next": [{"state": "war", "when": {"other": "hurt"}, "to": "hostile"}],
            },
            "hostile": {"play": "hurt"},
        },
    }
    data = {
        "schema": 1,
        "title": "automaton",
        "players": ["me", "other"],
        "states": {
            "peace": {"probability": 0.5, "actions": {"me": my_actions, "other": other_actions}},
            "war": {"probability": 0.5, "actions": {"me": my_actions, "other": other_actions}},
        },
        "horizon": {"discount": 0.9},
        "strategies": {"me": "mine", "other": "balancing"},
        "automata": {"mine": automaton},
    }
    game, auto = compiled(
        data, "me", strategies.parse("mine", Scenario.from_dict(data).spec.automata)
    )
    friendly, hostile = 0, 1
    assert auto.memory_labels == ("friendly", "hostile")
    assert_allclose(auto.policy[friendly, 0, :3], [1, 0, 0])
    assert_allclose(auto.policy[friendly, 1, :3], [0, 0.25, 0.75])
    assert_allclose(auto.policy[hostile, :, :3], [[0, 0, 1], [0, 0, 1]])
    for s, state in enumerate(game.states):
        for j in range(game.n_joint[s]):
            theirs = game.joint_label(s, j)["other"]
            expected = hostile if (state == "war" and theirs == "hurt") else friendly
            assert auto.update[friendly, s, j] == expected
            assert auto.update[hostile, s, j] == hostile  # no rules: keeps the memory


def test_automaton_errors_name_the_key():
    broken = {"memories": {"m": {"play": "dance"}}}
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(pd_data(automata={"broken": broken}, strategies={"row": "broken"}))
    assert info.value.key == "automata.broken.memories.m.play"
    assert "cooperate" in info.value.message


# ----------------------------------------------------------------------------------------------
# what every strategy says about itself


def test_every_library_strategy_describes_itself():
    described = strategies.describe()
    assert [d["name"] for d in described] == strategies.names()
    assert set(strategies.names()) >= {
        "balancing",
        "aligning",
        "always",
        "random",
        "myopic",
        "win-stay-lose-shift",
        "memory-one",
        "zd",
    }
    for d in described:
        assert d["summary"].strip() and d["summary"].endswith(".")
        assert d["source"].strip()
        assert "[" in d["source"] or d["name"] == "balancing"  # cites the literature
        assert {"memory", "stochastic", "games", "reciprocal"} <= set(d["metadata"])
        cls = strategies.LIBRARY[d["name"]]
        assert [p["name"] for p in d["parameters"]] == [p.name for p in cls.parameters]
        for p in d["parameters"]:
            assert p["doc"].strip()
            assert p["text"].startswith(f"{p['name']} = {p['default']!r}")
        if d["name"] != "always":  # 'always' has no default action
            defaults = {p["name"]: p["default"] for p in d["parameters"]}
            assert strategies.get(d["name"]).params == defaults
            assert strategies.get(d["name"]).label == d["name"]


@pytest.mark.parametrize(
    "name,defaults",
    [
        ("aligning", {"initial": 1, "tolerance": 0.0, "generosity": 0.0, "memory": "last"}),
        ("win-stay-lose-shift", {"aspiration": None}),
        ("memory-one", {"p": (1.0, 0.0, 1.0, 0.0), "initial": 1.0}),
        ("zd", {"kind": "extortionate", "chi": 2.0, "phi": 0.5, "initial": 1.0}),
        ("balancing", {}),
        ("random", {}),
        ("myopic", {}),
    ],
)
def test_documented_defaults(name, defaults):
    described = {d["name"]: d for d in strategies.describe()}[name]
    assert {p["name"]: p["default"] for p in described["parameters"]} == defaults


def test_non_numeric_parameters_do_not_claim_a_numeric_range():
    described = {d["name"]: d for d in strategies.describe()}
    for name, param in [("always", "action"), ("win-stay-lose-shift", "aspiration")]:
        (entry,) = [p for p in described[name]["parameters"] if p["name"] == param]
        assert "inf" not in entry["range"]


def test_labels_show_changed_parameters():
    assert strategies.get("aligning", tolerance=1.0).label == "aligning(tolerance=1)"
    assert strategies.get("always:defect").label == "always:defect"
    with pytest.raises(ScenarioError, match="did you mean 'tolerance'"):
        strategies.get("aligning", tolerence=1.0)
    with pytest.raises(ScenarioError, match=r"must be in \[0, 1\]"):
        strategies.get("aligning", generosity=2.0)


def test_aligning_alone_has_no_partner_and_plays_the_most_neutral_action():
    """A one-player scenario (a decision problem): nobody to reciprocate, so aligning is
    balancing."""
    data = {
        "schema": 1,
        "title": "alone",
        "players": ["me"],
        "states": {"round": {"actions": {"me": {"give": {}, "keep": {}}}}},
        "payoffs": [{"when": {"me": "keep"}, "me": 1.0}],
        "horizon": {"discount": 0.5},
        "strategies": {"me": "aligning"},
    }
    _game, auto = compiled(data, "me", "aligning")
    assert auto.n_memories == 1
    assert_array_equal(auto.policy[0, 0, :2], [1.0, 0.0])
    assert recip.evaluate(Scenario.from_dict(data)).value("me") == 0.0
