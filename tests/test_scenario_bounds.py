"""Payoffs must stay within MAX_ABS_PAYOFF after the terms and tables that apply to an entry are
added up (and so must the ends of their uncertain ranges), so that everything computed from them
is finite; sizes are refused from the shapes, before anything large is allocated; and the payoff
tensor is built sparsely, with each uncertain value's entries as indices.
"""

from __future__ import annotations

import itertools
import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from conftest import pd_data
from recip.core.errors import ScenarioError
from recip.core.limits import (
    MAX_ABS_PAYOFF,
    MAX_PAYOFF_ENTRIES,
    MAX_PLAYERS,
    MAX_WORLD_STATES,
)
from recip.scenario.load import Scenario, load_scenario


def pd_with(**changes) -> Scenario:
    return load_scenario("prisoners-dilemma").with_overrides(changes)


# ----------------------------------------------------------------------------------------------
# the payoff bound


@pytest.mark.parametrize(
    "changes,key",
    [
        ({"tables.round.row[0][0]": 1e308}, "tables.round.row[0][0]"),
        ({"tables.round.row[0][0]": -1e16}, "tables.round.row[0][0]"),
        (
            {"tables.round.row[0][0]": {"value": 0, "low": 0, "high": 1e300}},
            "tables.round.row[0][0]",
        ),
        ({"tables.round.row[0][0]": {"value": 0, "sd": 1e300}}, "tables.round.row[0][0]"),
        ({"payoffs": [{"row": 1e308}]}, "payoffs[0].row"),
        (
            {"payoffs": [{"id": "big", "row": {"value": 1, "low": -1e308, "high": 2}}]},
            "payoffs.big.row",
        ),
    ],
)
def test_a_value_beyond_the_bound_is_refused(changes, key):
    with pytest.raises(ScenarioError, match="MAX_ABS_PAYOFF") as info:
        pd_with(**changes)
    assert info.value.key.startswith(key)


def test_terms_that_add_up_beyond_the_bound_are_refused_naming_each():
    half = 0.6 * MAX_ABS_PAYOFF
    terms = [
        {"id": "a", "row": half},
        {"id": "b", "state": "round", "when": {"col": "defect"}, "row": half},
    ]
    with pytest.raises(ScenarioError, match="adds up to") as info:
        pd_with(payoffs=terms)
    message = info.value.message
    assert "payoffs.a.row" in message and "payoffs.b.row" in message
    assert "col=defect" in message
    # the same terms, where they do not overlap, are fine
    terms[0]["when"] = {"col": "cooperate"}
    assert pd_with(payoffs=terms).game.payoffs.max() == pytest.approx(half + 3)


def test_ranges_that_can_add_up_beyond_the_bound_are_refused():
    wide = {"value": 0.0, "low": -0.6 * MAX_ABS_PAYOFF, "high": 1.0}
    with pytest.raises(ScenarioError, match="can reach"):
        pd_with(payoffs=[{"row": wide}, {"id": "x", "row": wide}])
    with pytest.raises(ScenarioError, match="can reach"):  # a normal reaches 10 sd
        pd_with(
            payoffs=[
                {"row": {"value": 0, "sd": 0.06 * MAX_ABS_PAYOFF}},
                {"row": {"value": 0, "sd": 0.06 * MAX_ABS_PAYOFF}},
            ]
        )


def test_payoffs_at_the_bound_are_accepted_and_stay_finite_through_an_evaluation():
    import recip

    scenario = pd_with(**{"tables.round.row": [[MAX_ABS_PAYOFF, -MAX_ABS_PAYOFF], [0, 1]]})
    values = recip.evaluate(scenario).values
    assert np.isfinite(values).all()


# ----------------------------------------------------------------------------------------------
# sizes, from the shapes


def test_too_many_states_or_players_are_refused_before_any_allocation():
    data = pd_data()
    data["states"] = {
        f"s{k}": {"probability": 1 / (MAX_WORLD_STATES + 1)} for k in range(MAX_WORLD_STATES + 1)
    }
    data.pop("tables")
    tracemalloc.start()
    with pytest.raises(ScenarioError, match="MAX_WORLD_STATES"):
        Scenario.from_dict(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50e6  # the S x S transition matrix alone would be 134 MB
    data = pd_data()
    data["players"] = [f"p{k}" for k in range(MAX_PLAYERS + 1)]
    with pytest.raises(ScenarioError, match="MAX_PLAYERS"):
        Scenario.from_dict(data)


def test_the_padded_payoff_tensor_is_what_is_limited():
    """One state with 2**16 joint actions and 100 quiet states: the sum of joint actions times
    players is small, but every state is padded to the largest (101 x 65,536 x 16)."""
    players = [f"p{k}" for k in range(16)]
    crisis = {"actions": {p: {"a": {}, "b": {}} for p in players}, "probability": 0.5}
    states = {"crisis": crisis, **{f"quiet{k}": {"probability": 0.005} for k in range(100)}}
    data = {
        "schema": 1,
        "title": "t",
        "players": players,
        "states": states,
        "horizon": {"discount": 0.9},
    }
    assert 101 * 65_536 * 16 > MAX_PAYOFF_ENTRIES > (65_536 + 100) * 16
    with pytest.raises(ScenarioError, match="MAX_PAYOFF_ENTRIES"):
        Scenario.from_dict(data)


def test_terms_that_cover_too_much_are_refused_before_they_are_written():
    players = [f"p{k}" for k in range(16)]
    data = {
        "schema": 1,
        "title": "t",
        "players": players,
        "states": {"crisis": {"actions": {p: {"a": {}, "b": {}} for p in players}}},
        "payoffs": [{p: 1.0 for p in players}] * 20,  # 20 x 65,536 x 16 entries
        "horizon": {"discount": 0.9},
    }
    with pytest.raises(ScenarioError, match="MAX_PAYOFF_WRITES"):
        Scenario.from_dict(data)


# ----------------------------------------------------------------------------------------------
# the sparse build against a direct computation


@st.composite
def term_scenarios(draw):
    """Two or three players, two states, random terms (some uncertain) and a table."""
    n = draw(st.integers(2, 3))
    players = [f"p{i}" for i in range(n)]
    counts = [draw(st.integers(1, 3)) for _ in players]
    acting = {p: {f"a{k}": {} for k in range(c)} for p, c in zip(players, counts, strict=True)}
    states = {"s0": {"probability": 0.5, "actions": acting}, "s1": {"probability": 0.5}}
    terms = []
    for t in range(draw(st.integers(1, 6))):
        term = {"id": f"t{t}"}
        if draw(st.booleans()):
            term["state"] = "s0"
            for p, c in zip(players, counts, strict=True):
                if draw(st.booleans()):
                    chosen = draw(st.lists(st.integers(0, c - 1), min_size=1, unique=True))
                    term["when"] = {**term.get("when", {}), p: [f"a{k}" for k in chosen]}
        for p in draw(st.lists(st.sampled_from(players), min_size=1, unique=True)):
            value = draw(st.integers(-5, 5))
            term[p] = (
                {"value": value, "low": value - 1, "high": value + 1}
                if draw(st.booleans())
                else value
            )
        terms.append(term)
    table = np.arange(math.prod(counts)).reshape(counts).tolist()
    data = {
        "schema": 1,
        "title": "t",
        "players": players,
        "states": states,
        "payoffs": terms,
        "tables": {"s0": {players[0]: table}},
        "horizon": {"discount": 0.9},
    }
    return data, counts


def direct_payoffs(data, counts) -> np.ndarray:
    """payoffs[s, j, i] by enumerating every joint action and every term (no index tricks)."""
    players = data["players"]
    J = math.prod(counts)
    out = np.zeros((2, J, len(players)))
    for s, sname in enumerate(("s0", "s1")):
        profiles = list(itertools.product(*(range(c) for c in counts))) if s == 0 else [()]
        for j, profile in enumerate(profiles):
            chosen = {p: f"a{a}" for p, a in zip(players, profile, strict=False)}
            for term in data["payoffs"]:
                if term.get("state", sname) != sname:
                    continue
                when = term.get("when", {})
                if all(chosen.get(p) in acts for p, acts in when.items()):
                    for i, p in enumerate(players):
                        v = term.get(p)
                        if v is not None:
                            out[s, j, i] += v["value"] if isinstance(v, dict) else v
            if s == 0:
                out[s, j, 0] += np.array(data["tables"]["s0"][players[0]])[profile]
    return out


@settings(max_examples=60, deadline=None)
@given(term_scenarios())
def test_sparse_build_matches_a_direct_sum(drawn):
    data, counts = drawn
    game = Scenario.from_dict(data).game
    expected = direct_payoffs(data, counts)
    assert_array_equal(game.payoffs[0], expected[0])
    assert_array_equal(game.payoffs[1, :1], expected[1, :1])
    assert_array_equal(game.payoffs[1, 1:], 0.0)  # padding


@settings(max_examples=40, deadline=None)
@given(term_scenarios(), st.data())
def test_payoffs_for_parameter_values_match_rebuilding(drawn, draw):
    """``Game.payoffs_for`` (nominal payoffs plus each parameter's shift at its indices) equals
    rebuilding the scenario with those values as nominal values."""
    data, _ = drawn
    scenario = Scenario.from_dict(data)
    game = scenario.game
    if not game.parameters:
        return
    values = [
        draw.draw(st.sampled_from([p.uncertain.low, p.uncertain.high, p.nominal]))
        for p in game.parameters
    ]
    rebuilt = scenario.with_overrides(
        {p.key: v for p, v in zip(game.parameters, values, strict=True)}
    )
    assert_allclose(game.payoffs_for(values), rebuilt.game.payoffs)
    many = game.payoffs_for(np.array([values, [p.nominal for p in game.parameters]]))
    assert_allclose(many[0], rebuilt.game.payoffs)
    assert_allclose(many[1], game.payoffs)


def test_each_uncertain_value_keeps_only_the_entries_it_covers():
    game = load_scenario("sindoor-2025").game
    for index in game.payoff_basis:
        assert index.ndim == 1 and 0 < index.size < game.payoffs.size
        assert np.unique(index).size == index.size


# ----------------------------------------------------------------------------------------------
# the documentation states the limits' numbers


def _documented_number(text: str) -> float:
    text = text.strip().replace(",", "")
    if text.endswith("MB"):
        return float(text[:-2]) * 1024**2
    superscripts = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    if text.startswith("10") and text[2:] and text[2:].translate(superscripts) != text[2:]:
        return 10.0 ** int(text[2:].translate(superscripts))
    return float(text)


def test_the_format_reference_gives_every_limit_with_its_number():
    from pathlib import Path

    import recip.core.limits as limits

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md").read_text(
        encoding="utf-8"
    )
    table = doc.split("## Limits", 1)[1].split("\n## ", 1)[0]
    seen = set()
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = [n.strip(" `") for n in cells[0].split(",")]
        values = [v for v in cells[1].split(", ")] if len(names) > 1 else [cells[1]]
        for name, value in zip(names, values, strict=True):
            if hasattr(limits, name):
                assert getattr(limits, name) == _documented_number(value), name
                seen.add(name)
    scenario_limits = {
        "MAX_FILE_BYTES",
        "MAX_NESTING",
        "MAX_PLAYERS",
        "MAX_WORLD_STATES",
        "MAX_JOINT_ACTIONS",
        "MAX_PAYOFF_ENTRIES",
        "MAX_STANCE_ENTRIES",
        "MAX_PAYOFF_WRITES",
        "MAX_ABS_PAYOFF",
        "MAX_TITLE_CHARS",
        "MAX_LABEL_CHARS",
        "MAX_TEXT_CHARS",
    }
    assert scenario_limits <= seen
    every_limit = {n for n in vars(limits) if n.isupper() and not n.startswith("_")}
    assert every_limit - seen == set(), "limits missing from docs/scenario-format.md"
