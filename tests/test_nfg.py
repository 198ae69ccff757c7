"""Gambit .nfg files: reading both versions, writing the outcome version, round trips."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from recip import ScenarioError, load_scenario
from recip.games.nash import nash_equilibria
from recip.io.nfg import export_tensor_nfg, parse_nfg, quote, read_source
from recip.questions.stage import stage_equilibria
from recip.report.nfg import export_stage_nfg
from recip.scenario.load import Scenario, load_nfg
from recip.scenario.nfg import read_nfg

FIXTURES = Path(__file__).parent / "fixtures" / "nfg"

# Selten (IJGT 1975), figure 2, as in Gambit's documentation: payoffs[a1, a2] = (u1, u2).
E02 = np.array([[[1, 1], [1, 1]], [[0, 2], [0, 3]], [[0, 2], [2, 0]]], dtype=float)


def pennies3() -> np.ndarray:
    """Jordan's three-player matching pennies: 1 matches 2, 2 matches 3, 3 mismatches 1."""
    u = np.zeros((2, 2, 2, 3))
    for a, b, c in np.ndindex(2, 2, 2):
        u[a, b, c] = [1 if a == b else -1, 1 if b == c else -1, 1 if c != a else -1]
    return u


# ----------------------------------------------------------------------------------------------
# Reading Gambit's documented examples


def test_payoff_version_lists_profiles_with_the_first_player_fastest():
    game = parse_nfg((FIXTURES / "e02.nfg").read_text())
    assert game.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert game.players == ("Player 1", "Player 2")
    assert game.strategies == (("1", "2", "3"), ("1", "2"))
    np.testing.assert_array_equal(game.payoffs, E02)


def test_outcome_version_of_the_same_game_reads_the_same():
    game = parse_nfg((FIXTURES / "e02-outcome.nfg").read_text())
    np.testing.assert_array_equal(game.payoffs, E02)
    assert game.strategies == (("1", "2", "3"), ("1", "2"))


def test_shared_outcomes_escaped_quotes_and_a_comment():
    game = parse_nfg((FIXTURES / "pennies3.nfg").read_text())
    assert game.title == 'Three-player "matching pennies" (Jordan 1993)'
    assert game.comment.startswith("Ann wins by matching Bob")
    assert game.players == ("Ann", "Bob", "Cy")
    np.testing.assert_array_equal(game.payoffs, pennies3())


def test_rational_and_decimal_numbers_and_the_null_outcome():
    bos = parse_nfg((FIXTURES / "bos-rational.nfg").read_text())
    assert bos.comment.startswith("payoff version")
    np.testing.assert_array_equal(bos.payoffs[..., 0], [[2, 0], [0, 1]])
    np.testing.assert_array_equal(bos.payoffs[..., 1], [[0.5, 0], [0, 1]])
    null = parse_nfg((FIXTURES / "null-outcome.nfg").read_text())
    # indices 0 1 1 0 over (Top,Left) (Bottom,Left) (Top,Right) (Bottom,Right)
    np.testing.assert_array_equal(null.payoffs[..., 0], [[0, 3], [3, 0]])
    np.testing.assert_array_equal(null.payoffs[..., 1], [[0, -3], [-3, 0]])


def test_an_imported_file_is_a_valid_one_state_scenario():
    data = read_nfg(FIXTURES / "e02.nfg")
    json.dumps(data)  # plain data, as TOML would give
    scenario = Scenario.from_dict(data)
    assert scenario.players == ("Player_1", "Player_2")
    assert scenario.spec.player_labels == {"Player_1": "Player 1", "Player_2": "Player 2"}
    assert scenario.game.actions[0] == (("s1", "s2", "s3"), ("s1", "s2"))
    assert scenario.spec.discount == 0.9
    _, tensor = scenario.game.stage_game(0)
    np.testing.assert_array_equal(tensor, E02)


def test_load_nfg_keeps_valid_names_and_solves_like_the_tensor():
    scenario = load_nfg(FIXTURES / "pennies3.nfg")
    assert scenario.name == "pennies3"
    assert scenario.game.actions[0][0] == ("heads", "tails")
    (state,) = stage_equilibria(scenario).states
    (eq,) = state.equilibria
    assert eq.actions == {p: {"heads": 0.5, "tails": 0.5} for p in ("Ann", "Bob", "Cy")}


# ----------------------------------------------------------------------------------------------
# Writing


def test_export_is_the_outcome_version_gambit_writes():
    text = export_tensor_nfg("e02", ["Player 1", "Player 2"], [["1", "2", "3"], ["1", "2"]], E02)
    lines = text.splitlines()
    assert lines[0] == 'NFG 1 R "e02" { "Player 1" "Player 2" }'
    assert lines[2:5] == ['{ { "1" "2" "3" }', '{ "1" "2" }', "}"]
    # one outcome per profile, the first player's strategy changing fastest
    assert lines[8:14] == [
        '{ "1 1" 1, 1 }',
        '{ "2 1" 0, 2 }',
        '{ "3 1" 0, 2 }',
        '{ "1 2" 1, 1 }',
        '{ "2 2" 0, 3 }',
        '{ "3 2" 2, 0 }',
    ]
    assert lines[-1] == "1 2 3 4 5 6"


def test_labels_with_quotes_and_backslashes_survive():
    title = 'a "quoted" \\ title'
    assert quote(title) == '"a \\"quoted\\" \\\\ title"'
    u = np.arange(8, dtype=float).reshape(2, 2, 2)
    game = parse_nfg(export_tensor_nfg(title, ['p "1"', "p\\2"], [["x", 'y"'], ["z", "w"]], u))
    assert game.title == title
    assert game.players == ('p "1"', "p\\2")
    assert game.strategies == (("x", 'y"'), ("z", "w"))


def test_stage_game_export_round_trips_for_every_bundled_state():
    for name in ("prisoners-dilemma", "sindoor-2025", "counter-china-backs-pakistan"):
        scenario = load_scenario(name)
        game = scenario.game
        for s, state in enumerate(game.states):
            active, tensor = game.stage_game(s)
            if not active:
                with pytest.raises(ScenarioError, match="nobody chooses"):
                    export_stage_nfg(scenario, state)
                continue
            back = parse_nfg(export_stage_nfg(scenario, state))
            assert back.players == tuple(game.players[i] for i in active)
            assert back.strategies == tuple(game.actions[s][i] for i in active)
            np.testing.assert_array_equal(back.payoffs, tensor)
            imported = Scenario.from_dict(read_nfg(export_stage_nfg(scenario, state)))
            np.testing.assert_array_equal(imported.game.stage_game(0)[1], tensor)


def test_passive_players_keep_their_payoffs():
    scenario = load_scenario("sindoor-2025")
    game = scenario.game
    s = game.state_index("india_attacked")
    back = parse_nfg(export_stage_nfg(scenario, "india_attacked", passive=True))
    assert back.players == game.players
    assert back.strategies[1:] == (("pass",), ("pass",))
    np.testing.assert_array_equal(back.payoffs.reshape(-1, 3), game.payoffs[s, :3])


def test_unknown_state_names_the_key_and_suggests():
    with pytest.raises(ScenarioError, match="did you mean 'round'") as err:
        export_stage_nfg(load_scenario("prisoners-dilemma"), "rounds")
    assert err.value.key == "--state"


names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6)


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
)
def test_tensor_round_trip_is_exact(data, shape):
    k = len(shape)
    u = data.draw(arrays(float, (*shape, k), elements=st.floats(-1e6, 1e6, allow_subnormal=False)))
    players = data.draw(st.lists(names, min_size=k, max_size=k))
    actions = [data.draw(st.lists(names, min_size=n, max_size=n)) for n in shape]
    back = parse_nfg(export_tensor_nfg(data.draw(names), players, actions, u))
    np.testing.assert_array_equal(back.payoffs, u)  # shortest round-trip decimals are exact
    assert back.players == tuple(players)
    assert back.strategies == tuple(tuple(a) for a in actions)


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.nfg")))
def test_fixture_export_import_round_trip(fixture):
    game = parse_nfg((FIXTURES / fixture).read_text())
    again = parse_nfg(export_tensor_nfg(game.title, game.players, game.strategies, game.payoffs))
    assert (again.title, again.players, again.strategies) == (
        game.title,
        game.players,
        game.strategies,
    )
    np.testing.assert_array_equal(again.payoffs, game.payoffs)


# ----------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('EFG 2 R "x" { "a" }', "line 1, column 1", "'NFG'"),
        ('NFG 2 R "x" { "a" } { 2 } 1 2', "line 1, column 5", "version number 1"),
        ('NFG 1 R "x { "a" }', "line 1, column 16", "not closed"),
        ('NFG 1 R "x" { "a" "b" }\n{ 2 2 }\n1 2 3', "line 3, column 6", "payoff 4 of 8"),
        ('NFG 1 R "x" { "a" } { { "u" "v" } }\n{ { "" 1 } }\n1 2', "line 3, column 3", "outcome 2"),
        ('NFG 1 R "x" { "a" } { 1 } 5 6', "line 1, column 29", "unexpected text"),
        ('NFG 1 R "x" { "a" } { { } }', "line 1, column 25", "no strategies"),
        ('NFG 1 R "x" { "a" } { 1 } { { "o" 1 2 } } 1', "line 1, column 37", "'}' after"),
    ],
)
def test_errors_name_the_file_and_position(text, where, what):
    with pytest.raises(ScenarioError) as err:
        read_nfg(text)
    message = str(err.value)
    assert message.startswith(f"<text>: {where}: ")
    assert what in message


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        read_nfg(tmp_path / "absent.nfg")


BIG_RATIONAL = "9" * 500 + "/1"


@pytest.mark.parametrize(
    "number",
    ["1/0", "0/0", "1e400", "-1e400", "1e16", "-2e15", BIG_RATIONAL, "1e999999999", "1" * 5000],
)
@pytest.mark.parametrize("version", ["payoff", "outcome"])
def test_numbers_that_are_not_finite_payoffs_are_refused_at_their_position(number, version):
    """Division by zero, overflow to infinity and magnitudes beyond MAX_ABS_PAYOFF are refused
    where they stand (never a ZeroDivisionError, an inf, or minutes spent on a huge exponent)."""
    if version == "payoff":
        text = f'NFG 1 R "x" {{ "a" "b" }} {{ 1 2 }}\n0 0 {number} 0\n'
        where = "line 2, column 5"
    else:
        text = f'NFG 1 R "x" {{ "a" }} {{ {{ "u" }} }}\n{{ {{ "o" {number} }} }}\n1\n'
        where = "line 2, column 9"
    with pytest.raises(ScenarioError, match="not a finite number within") as info:
        parse_nfg(text)
    assert where in str(info.value)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize(
    "header",
    [
        "{ 1000000000 1000000000 }",
        "{ 99999999999999999999999 2 }",
        "{ 300 300 }",
        "{" + ' { "a" "b" }' * 20 + " }",
    ],
)
def test_a_game_too_large_is_refused_from_its_header(header):
    """The strategy counts are checked against MAX_JOINT_ACTIONS as they are read, before any
    label or payoff array is allocated."""
    players = len(re.findall(r"\d+|\{ \"a\"", header))
    names = " ".join(f'"p{k}"' for k in range(players))
    text = f'NFG 1 R "huge" {{ {names} }} {header}\n1 2 3\n'
    tracemalloc.start()
    with pytest.raises(ScenarioError, match="MAX_JOINT_ACTIONS"):
        parse_nfg(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5e6


def test_an_outcome_number_beyond_any_integer_is_an_error():
    with pytest.raises(ScenarioError, match="does not exist"):
        parse_nfg('NFG 1 R "x" { "a" } { 1 } { { "o" 1 } } 123456789012345678901234567890')


def test_imported_titles_and_labels_become_one_short_line(tmp_path):
    path = tmp_path / "odd.nfg"
    title = "a\x1b[31m title\nover lines" + "x" * 1000
    path.write_text(f'NFG 1 R "{title}" {{ "p\x07one" "two" }} {{ 1 1 }} 1 2', encoding="utf-8")
    scenario = load_scenario(path)
    assert "\n" not in scenario.title and "\x1b" not in scenario.title
    assert len(scenario.title) <= 200
    assert scenario.spec.player_labels["p_one"] == "p one"


# ----------------------------------------------------------------------------------------------
# Gambit itself (optional)


def test_gambit_reads_our_files_as_we_do():
    gbt = pytest.importorskip("pygambit")
    for fixture in sorted(FIXTURES.glob("*.nfg")):
        ours = parse_nfg(fixture.read_text())
        text = export_tensor_nfg(ours.title, ours.players, ours.strategies, ours.payoffs)
        game = gbt.read_nfg(io.StringIO(text))
        assert game.title == ours.title
        theirs = np.stack([np.asarray(a, dtype=float) for a in game.to_arrays()], axis=-1)
        np.testing.assert_array_equal(theirs, ours.payoffs)


def test_gambit_and_recip_agree_on_pennies_after_a_round_trip():
    pytest.importorskip("pygambit")
    game = parse_nfg((FIXTURES / "pennies3.nfg").read_text())
    ours = nash_equilibria(game.payoffs)
    theirs = nash_equilibria(game.payoffs, method="gambit")
    assert len(ours) == len(theirs) == 1
    for a, b in zip(ours[0].strategies, theirs[0].strategies, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-8)


def test_an_nfg_file_whose_name_has_braces_or_quotes_is_read_as_a_file(tmp_path):
    path = tmp_path / 'odd {"name"}.nfg'
    path.write_text((FIXTURES / "e02.nfg").read_text(encoding="utf-8"), encoding="utf-8")
    np.testing.assert_array_equal(parse_nfg(*read_source(str(path))[:1]).payoffs, E02)
    assert load_nfg(str(path)).name == 'odd {"name"}'
