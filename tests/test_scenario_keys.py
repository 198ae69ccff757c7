"""One key dialect for overrides, uncertain values and error messages (docs/scenario-format.md,
"Dotted keys"): positions as ``[i]`` or ``.i`` on input, ``[i]`` in print; a payoff term with an
``id`` named by it; and an invalid override blamed on the override, not on the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

import recip
from conftest import pd_data
from recip.core.errors import ScenarioError
from recip.scenario.keys import format_key, parse_key
from recip.scenario.load import Scenario, load_scenario, thaw

FIXTURE = Path(__file__).parent / "fixtures" / "alliance.toml"


@pytest.fixture(scope="module")
def alliance() -> Scenario:
    return load_scenario(FIXTURE)


def uncertain_pd() -> Scenario:
    """The prisoner's dilemma with uncertain table entries and a payoff term without id."""
    data = pd_data()
    data["tables"]["round"]["row"][1][0] = {"value": 5.0, "low": 4.0, "high": 6.0}
    data["tables"]["round"]["col"][0][1] = {"value": 5.0, "low": 4.0, "high": 6.0}
    data["payoffs"] = [
        {"state": "round", "when": {"row": "defect"}, "row": {"value": -0.5, "low": -1, "high": 0}}
    ]
    return Scenario.from_dict(data)


# ----------------------------------------------------------------------------------------------
# the dialect


@given(
    st.lists(
        st.one_of(
            st.integers(0, 99), st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,8}", fullmatch=True)
        ),
        min_size=1,
        max_size=6,
    ).filter(lambda parts: isinstance(parts[0], str))
)
def test_printed_keys_parse_back(parts):
    assert parse_key(format_key(parts)) == tuple(parts)
    dotted = ".".join(str(p) for p in parts)
    assert parse_key(dotted) == tuple(parts)


@pytest.mark.parametrize("key", ["", "a..b", "a[", "a[x]", "[0].a", "0.a", "a b", "a=b", "a.[0]"])
def test_malformed_keys_are_scenario_errors(alliance, key):
    with pytest.raises(ScenarioError, match="key") as info:
        alliance.with_overrides({key: 1.0})
    assert info.value.file == "--set"


@pytest.mark.parametrize(
    "bracket,dotted",
    [
        ("payoffs[1].india", "payoffs.1.india"),
        ("payoffs[0].russia", "payoffs.oil_revenue.russia"),
        ("history[1].actions.russia", "history.1.actions.russia"),
    ],
)
def test_bracket_and_dotted_positions_set_the_same_value(alliance, bracket, dotted):
    value = 4.0 if "payoffs" in bracket else "align_india"
    a = alliance.with_overrides({bracket: value})
    b = alliance.with_overrides({dotted: value})
    assert a.hash == b.hash != alliance.hash
    assert_array_equal(recip.evaluate(a).values, recip.evaluate(b).values)


def test_table_entries_by_nested_position():
    pd = load_scenario("prisoners-dilemma")
    for key in ("tables.round.row[1][0]", "tables.round.row.1.0", "tables.round.row[1].0"):
        changed = pd.with_overrides({key: 7})
        assert thaw(changed.data)["tables"]["round"]["row"] == [[3, 0], [7, 1]]
        assert changed.game.payoffs[0, 2, 0] == 7  # row defects (2 = 1 * 2 + 0), col cooperates


def test_every_uncertain_value_key_is_an_override_key(alliance):
    """The key of each parameter sets that parameter: its nominal value, and its range."""
    for scenario in (alliance, load_scenario("sindoor-2025"), uncertain_pd()):
        for p, param in enumerate(scenario.game.parameters):
            low, high = param.uncertain.low, param.uncertain.high
            middle = (low + high) / 2
            changed = scenario.with_overrides({param.key: middle, f"{param.key}.high": high + 1})
            moved = changed.game.parameters[p]
            assert moved.key == param.key
            assert (moved.nominal, moved.uncertain.high) == (middle, high + 1)


def test_uncertain_keys_of_a_table_and_a_term_without_id():
    keys = [p.key for p in uncertain_pd().game.parameters]
    assert keys == ["payoffs[0].row", "tables.round.row[1][0]", "tables.round.col[0][1]"]


# ----------------------------------------------------------------------------------------------
# messages name a payoff term by its id


def _with_term_changed(scenario: Scenario, index: int, **changes) -> dict:
    data = thaw(scenario.data)
    data["payoffs"][index].update(changes)
    return data


@pytest.mark.parametrize(
    "changes,key",
    [
        ({"when": {"india": "suport"}}, "payoffs.oil_revenue.when.india"),  # semantics
        ({"russia": "three"}, "payoffs.oil_revenue.russia"),  # schema
        ({"russia": {"value": 3, "low": 4, "high": 5}}, "payoffs.oil_revenue.russia"),  # model
        ({"russia": 2e15}, "payoffs.oil_revenue.russia"),  # the payoff bound
        ({"state": "nowhere"}, "payoffs.oil_revenue.state"),
        ({"claims": ["C99"]}, "payoffs.oil_revenue.claims"),  # claim ids
        ({"colour": 1}, "payoffs.oil_revenue.colour"),
    ],
)
def test_messages_name_a_term_by_its_id(changes, key):
    sindoor = load_scenario("sindoor-2025")
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(_with_term_changed(sindoor, 0, **changes), base_dir=sindoor.base_dir)
    assert info.value.key == key
    assert "payoffs[0]" not in str(info.value)


def test_messages_name_a_term_without_id_by_its_position(alliance):
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(_with_term_changed(alliance, 1, india="two"))
    assert info.value.key == "payoffs[1].india"


# ----------------------------------------------------------------------------------------------
# errors from overrides name the override


@pytest.mark.parametrize(
    "key,value,error_key",
    [
        ("payoffs[0].russia", 9.0, "payoffs.oil_revenue.russia"),  # above its range
        ("payoffs.0.russia.low", 3.5, "payoffs.oil_revenue.russia"),
        ("payoffs[1].india", 1e300, "payoffs[1].india"),
        ("noise.execution", {"india": 2}, "noise.execution.india"),
        ("horizon.discount", 1.0, "horizon.discount"),
        ("strategies.india", "tit-for-tat", "strategies.india"),
        ("strategies.india.tolerance", 5, "strategies.india.tolerance"),
        ("nature.transitions.calm.calm", 0.9, "nature.transitions.calm"),
        ("payoffs[1].when.russia", "nope", "payoffs[1].when.russia"),
        (
            "states.calm.actions.russia",
            {"wait": {"india": True}},
            "states.calm.actions.russia.wait.india",
        ),
        ("title", "x" * 10_000, "title"),
        ("payoffs[7].russia", 1.0, "payoffs[7]"),
        ("noise.execution.india", 0.1, "noise.execution.india"),
        ("history[0]", 3, "history[0]"),
        ("compare.policies[0]", "tit-for-tat", "compare.policies[0]"),
    ],
)
def test_override_errors_name_the_override(alliance, key, value, error_key):
    with pytest.raises(ScenarioError) as info:
        alliance.with_overrides({key: value})
    error = info.value
    text = str(error)
    assert error.file == "--set"
    assert error.key == error_key
    assert text.startswith(f"--set {key}=")
    assert str(FIXTURE) not in text and "alliance.toml" not in text
    assert "\n" not in text and len(text) < 400


def test_an_override_that_breaks_something_elsewhere_names_every_override_of_the_call(alliance):
    """Removing Russia's 'align_india' action breaks a payoff term and the history, which no
    override's key points at: the error names the overrides of the call."""
    smaller = {"balance": {}, "align_pakistan": {"india": -1, "pakistan": 1}}
    with pytest.raises(ScenarioError) as info:
        alliance.with_overrides(
            {"horizon.discount": 0.8, "states.india_attacked.actions.russia": smaller}
        )
    text = str(info.value)
    assert text.startswith("--set horizon.discount=0.8 --set states.india_attacked.actions")
    assert info.value.key.startswith("payoffs")


def test_with_overrides_checks_its_argument(alliance):
    for bad in (5, "horizon.discount=0.5", ["horizon.discount"]):
        with pytest.raises(ScenarioError, match="mapping of dotted keys"):
            alliance.with_overrides(bad)


def test_an_override_value_is_echoed_in_short(alliance):
    with pytest.raises(ScenarioError) as info:
        alliance.with_overrides({"strategies.india": "x" * 1_000_000})
    assert len(str(info.value)) < 600


def test_overrides_of_a_stance_keep_the_dialect(alliance):
    changed = alliance.with_overrides({"states.russia_isolated.actions.india.distance.russia": -1})
    s = changed.game.state_index("russia_isolated")
    i, k = changed.game.player_index("india"), changed.game.player_index("russia")
    assert changed.game.stances[s, i, 1, k] == -1
    assert np.array_equal(alliance.game.stances[s, i, 1], [0, 0, 0])


# ----------------------------------------------------------------------------------------------
# reading --set arguments (for the command line)


def test_parse_set_reads_toml_values_and_bare_words():
    from recip.scenario.overrides import parse_set

    assert parse_set("payoffs[0].row=1") == ("payoffs[0].row", 1)
    assert parse_set("strategies.india=aligning") == ("strategies.india", "aligning")
    assert parse_set('strategies.india={ name = "aligning", tolerance = 1 }') == (
        "strategies.india",
        {"name": "aligning", "tolerance": 1},
    )
    assert parse_set("title=a=b") == ("title", "a=b")


@pytest.mark.parametrize(
    "item", ["no-equals-sign", "x=" + "[" * 5_000 + "]" * 5_000, "x=" + "{a=" * 3_000, "x=1\ny=2"]
)
def test_parse_set_refuses_in_one_line(item):
    from recip.scenario.overrides import parse_set

    with pytest.raises(ScenarioError) as info:
        parse_set(item)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_overrides_never_change_the_callers_values(alliance):
    """A table given as an override is copied: a later key that sets inside it (a strategy
    chosen, then its parameter) changes the scenario, not the caller's object."""
    strategy = {"name": "aligning", "tolerance": 0.0}
    s = alliance.with_overrides({"strategies.india": strategy, "strategies.india.tolerance": 0.75})
    assert strategy == {"name": "aligning", "tolerance": 0.0}
    assert s.data["strategies"]["india"]["tolerance"] == 0.75
