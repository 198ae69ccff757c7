"""Loading scenarios through the Python API: sources, overrides, immutability, history.

The fixture ``fixtures/alliance.toml`` is a small three-player game with Markov nature, two
scripted rounds of history, payoff terms with and without ids and one uncertain value.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import recip
from conftest import pd_data
from recip.core.errors import ScenarioError
from recip.engine.chain import start_memories
from recip.scenario.load import Scenario, load_scenario
from recip.strategies import compile_for, parse

FIXTURE = Path(__file__).parent / "fixtures" / "alliance.toml"


@pytest.fixture(scope="module")
def alliance() -> Scenario:
    return load_scenario(FIXTURE)


# ----------------------------------------------------------------------------------------------
# sources


def test_load_from_path_text_and_dict_agree(alliance):
    text = FIXTURE.read_text(encoding="utf-8")
    from_text = load_scenario(text)
    from_string_path = load_scenario(str(FIXTURE))
    from_dict = Scenario.from_dict(dict(alliance.data))
    assert alliance.source == str(FIXTURE)
    assert alliance.name == "alliance"
    assert alliance.base_dir == FIXTURE.parent.resolve()
    assert from_text.source == "<text>"
    assert from_dict.source == "<dict>"
    assert from_string_path.source == str(FIXTURE)
    assert alliance.hash == from_text.hash == from_dict.hash == from_string_path.hash
    reference = recip.evaluate(alliance).values
    for other in (from_text, from_dict, from_string_path):
        assert_array_equal(recip.evaluate(other).values, reference)


def test_load_a_bundled_scenario_by_name():
    scenario = load_scenario("prisoners-dilemma")
    assert scenario.name == "prisoners-dilemma"
    assert scenario.players == ("row", "col")
    assert Path(scenario.source).name == "prisoners-dilemma.toml"


def test_unknown_name_suggests_a_bundled_scenario():
    with pytest.raises(ScenarioError, match="did you mean 'prisoners-dilemma'"):
        load_scenario("prisoners-dilema")


def test_from_dict_copies_its_input():
    data = pd_data()
    scenario = Scenario.from_dict(data, name="pd")
    data["horizon"]["discount"] = 0.1
    data["players"].append("ghost")
    assert scenario.spec.discount == 0.9
    assert scenario.players == ("row", "col")
    assert scenario.name == "pd"
    assert scenario.data["horizon"]["discount"] == 0.9


def test_from_dict_errors_name_the_key():
    data = pd_data()
    data["horizon"]["discount"] = 1.5
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    assert info.value.file == "<dict>"
    assert info.value.key == "horizon.discount"


# ----------------------------------------------------------------------------------------------
# overrides by dotted key


def test_override_the_discount_factor(alliance):
    changed = alliance.with_overrides({"horizon.discount": 0.5})
    assert changed.spec.discount == 0.5
    assert alliance.spec.discount == 0.9
    same = alliance.with_overrides(horizon__discount=0.5)
    assert same.hash == changed.hash != alliance.hash
    assert_array_equal(recip.evaluate(same).values, recip.evaluate(changed).values)
    assert not np.allclose(recip.evaluate(changed).values, recip.evaluate(alliance).values)


def test_override_noise(alliance):
    changed = alliance.with_overrides({"noise.execution": 0.1})
    assert changed.spec.noise == {"russia": 0.1, "india": 0.1, "pakistan": 0.1}
    per_player = alliance.with_overrides({"noise.execution": {"india": 0.2}})
    assert per_player.spec.noise == {"russia": 0.0, "india": 0.2, "pakistan": 0.0}
    assert recip.evaluate(per_player).noise == (0.0, 0.2, 0.0)


def test_override_a_parameter_of_a_strategy_given_by_name(alliance):
    """``india = "aligning"`` becomes ``{name = "aligning", tolerance = 1}``: India then reads
    Russia's balancing as support, and supports it."""
    changed = alliance.with_overrides({"strategies.india.tolerance": 1.0})
    assert changed.spec.strategies["india"] == {"name": "aligning", "tolerance": 1.0}
    assert alliance.spec.strategies["india"] == "aligning"
    support = recip.evaluate(changed).action_frequency("india", "russia_isolated")["support"]
    before = recip.evaluate(alliance).action_frequency("india", "russia_isolated")["support"]
    assert support > 0.9 > 0.1 > before


def test_override_a_payoff_term_by_id_keeps_its_uncertainty(alliance):
    changed = alliance.with_overrides({"payoffs.oil_revenue.russia": 4.0})
    assert changed.data["payoffs"][0]["russia"] == {"value": 4.0, "low": 1.5, "high": 5.0}
    (param,) = changed.game.parameters
    assert param.key == "payoffs.oil_revenue.russia"
    assert param.nominal == 4.0
    assert (param.uncertain.low, param.uncertain.high) == (1.5, 5.0)
    s, i = changed.game.state_index("russia_isolated"), changed.game.player_index("russia")
    j = changed.game.joint_index(s, {"india": "support", "pakistan": "stay_out"})
    assert changed.game.payoffs[s, j, i] == 4.0
    assert alliance.game.payoffs[s, j, i] == 3.0
    with pytest.raises(ScenarioError, match="above 'high'"):
        alliance.with_overrides({"payoffs.oil_revenue.russia": 6.0})
    # a whole uncertain value may be replaced too
    wider = alliance.with_overrides(
        {"payoffs.oil_revenue.russia": {"value": 6.0, "low": 1.0, "high": 8.0}}
    )
    assert wider.game.parameters[0].uncertain.high == 8.0


def test_override_a_payoff_term_by_position(alliance):
    changed = alliance.with_overrides({"payoffs.1.india": 5.0, "payoffs.0.russia": 2.0})
    assert changed.data["payoffs"][1]["india"] == 5.0
    assert changed.data["payoffs"][0]["russia"]["value"] == 2.0
    game = changed.game
    s = game.state_index("india_attacked")
    j = game.joint_index(s, {"russia": "align_india"})
    assert game.payoffs[s, j, game.player_index("india")] == 5.0
    # a player the term did not pay yet
    added = alliance.with_overrides({"payoffs.taking_sides.india": -0.5})
    k = added.game.joint_index(s, {"russia": "align_pakistan"})
    assert added.game.payoffs[s, k, added.game.player_index("india")] == -0.5


@pytest.mark.parametrize(
    "key,value,where,message",
    [
        ("payoffs.oil_revenu.russia", 1.0, "payoffs.oil_revenu", "did you mean 'oil_revenue'"),
        ("payoffs.9.russia", 1.0, "payoffs[9]", "no entry"),
        ("horizon.discount", "high", "horizon.discount", "must be a number"),
        ("horizon.discount.low", 0.5, "horizon.discount.low", "single value"),
        ("strategies.india.tolerence", 1.0, "strategies.india", "did you mean 'tolerance'"),
        ("strategies.india.tolerance", 2.0, "strategies.india.tolerance", r"\[0, 1\]"),
    ],
)
def test_bad_overrides_raise_scenario_errors(alliance, key, value, where, message):
    """The error names the override (``--set KEY=VALUE``), not the scenario's file."""
    with pytest.raises(ScenarioError, match=message) as info:
        alliance.with_overrides({key: value})
    assert info.value.key == where
    assert info.value.file == "--set"
    assert str(info.value).startswith(f"--set {key}=")
    assert str(FIXTURE) not in str(info.value)


# ----------------------------------------------------------------------------------------------
# immutability


def test_scenarios_are_immutable(alliance):
    with pytest.raises(dataclasses.FrozenInstanceError):
        alliance.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        alliance.spec.discount = 0.5  # type: ignore[misc]
    before = (alliance.hash, alliance.spec.discount, recip.evaluate(alliance).values.copy())
    alliance.with_overrides({"horizon.discount": 0.3, "payoffs.oil_revenue.russia": 1.5})
    assert alliance.data["payoffs"][0]["russia"]["value"] == 3.0
    assert (alliance.hash, alliance.spec.discount) == before[:2]
    assert_array_equal(recip.evaluate(alliance).values, before[2])


# ----------------------------------------------------------------------------------------------
# scripted history


def _memory_label(scenario, player: str) -> str:
    spec = scenario.spec
    automata = [
        compile_for(scenario.game, p, parse(spec.strategies.get(p, "balancing"), spec.automata))
        for p in spec.players
    ]
    memory = start_memories(scenario.game, automata)
    i = spec.players.index(player)
    return automata[i].memory_labels[memory[i]]


def test_history_sets_the_start_memories(alliance):
    """India remembers Russia's balance after the 2025 attack (stance 0): with tolerance 0 it
    reads that as neutral and keeps its distance. Pakistan's choices carry no stance toward
    India, so India's memory of Pakistan stays at its initial +1."""
    assert _memory_label(alliance, "india") == "russia:0,pakistan:+"
    aligned = alliance.with_overrides({"history.1.actions.russia": "align_india"})
    assert _memory_label(aligned, "india") == "russia:+,pakistan:+"
    # no noise: the first analysed round is calm or russia_isolated, half and half
    quiet = {"noise.execution": 0.0}
    first = recip.evaluate(alliance.with_overrides(quiet)).curve[0]
    assert_allclose(first[0], 0.5 * (0.0 - 1.0))  # India keeps its distance, Pakistan arms
    first = recip.evaluate(aligned.with_overrides(quiet)).curve[0]
    assert_allclose(first[0], 0.5 * (3.0 - 1.0))  # India supports
    assert_allclose(first[1], 0.0)


def test_history_in_a_prisoners_dilemma():
    """After a scripted round (row cooperated, col defected), tit-for-tat row defects first and
    tit-for-tat col cooperates: the echo of a defection, T for col then S ... alternating."""
    data = pd_data(
        discount=None,
        rounds=4,
        history=[{"state": "round", "actions": {"row": "cooperate", "col": "defect"}}],
    )
    ev = recip.evaluate(Scenario.from_dict(data))
    assert_allclose(ev.curve[:, 0], [5, 0, 5, 0])
    assert_allclose(ev.curve[:, 1], [0, 5, 0, 5])


def test_markov_nature_starts_after_the_history(alliance):
    """No ``nature.start``: the first analysed state follows the last scripted one
    (india_attacked -> calm or russia_isolated, half and half)."""
    game = alliance.game
    last = alliance.spec.history[-1][0]
    assert last == "india_attacked"
    assert_array_equal(game.start, game.transition[game.state_index(last)])
    assert_allclose(game.start, [0.5, 0.5, 0.0])
    moved = alliance.with_overrides(
        {
            "history.1.state": "russia_isolated",
            "history.1.actions": {"india": "distance", "pakistan": "stay_out"},
        }
    )
    assert_array_equal(moved.game.start, moved.game.transition[1])
    given = alliance.with_overrides({"nature.start": "calm"})
    assert_array_equal(given.game.start, [1.0, 0.0, 0.0])


def test_markov_nature_without_start_or_history_is_an_error(alliance):
    data = dict(alliance.data)
    data.pop("history")
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    assert info.value.key == "nature.start"


def test_history_must_name_every_active_player(alliance):
    with pytest.raises(ScenarioError) as info:
        alliance.with_overrides({"history.0.actions": {"india": "support"}})
    assert info.value.key == "history[0].actions"
    assert "pakistan" in info.value.message


# ----------------------------------------------------------------------------------------------
# what an override reuses


@pytest.fixture()
def compiled(monkeypatch) -> list[tuple[str, str]]:
    """Every (player, strategy) that loading compiles from now on."""
    import recip.strategies as strategies

    calls: list[tuple[str, str]] = []
    real = strategies.compile_for

    def counting(game, player, strategy):
        calls.append((player, strategy.label))
        return real(game, player, strategy)

    monkeypatch.setattr(strategies, "compile_for", counting)
    return calls


def test_an_override_outside_the_game_reuses_the_game_and_every_strategy(compiled):
    sindoor = load_scenario("sindoor-2025")
    compiled.clear()
    changed = sindoor.with_overrides({"horizon.discount": 0.8, "noise.execution": 0.05})
    assert changed.game is sindoor.game
    assert compiled == []


def test_an_override_of_a_strategy_compiles_that_strategy_only(compiled):
    sindoor = load_scenario("sindoor-2025")
    compiled.clear()
    sindoor.with_overrides({"strategies.india.tolerance": 0.5})
    assert compiled == [("india", "aligning(tolerance=0.5)")]


def test_a_payoff_override_compiles_again_only_the_strategies_that_read_payoffs(compiled):
    pd = load_scenario("prisoners-dilemma").with_overrides({"strategies.col": "myopic"})
    compiled.clear()
    changed = pd.with_overrides({"tables.round.col[1][0]": 4})
    assert changed.game is not pd.game
    assert compiled == [("col", "myopic")]


def test_a_payoff_override_that_breaks_a_payoff_reading_strategy_is_caught():
    """zd needs non-degenerate payoffs: making them all equal must fail at the override."""
    zd = load_scenario("prisoners-dilemma").with_overrides({"strategies.col": "zd"})
    flat = [[1, 1], [1, 1]]
    with pytest.raises(ScenarioError, match="degenerate") as info:
        zd.with_overrides({"tables.round.row": flat, "tables.round.col": flat})
    assert info.value.file == "--set"


def test_the_hash_is_the_documented_json_of_the_data():
    import hashlib
    import json

    from recip.scenario.load import thaw

    for name in ("sindoor-2025", "prisoners-dilemma"):
        s = load_scenario(name)
        text = json.dumps(thaw(s.data), sort_keys=True, default=str, separators=(",", ":"))
        assert s.hash == hashlib.sha256(text.encode()).hexdigest()
