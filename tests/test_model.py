"""The model layer, the seam between scenarios and questions.

* A setting (and a scenario) pickles, and the unpickled copy answers every question the same.
* One compiled profile evaluates many payoff tensors and many discount factors: each answer
  equals an independent evaluation of the scenario with those payoffs / that discount factor.
* The strategy game's payoffs are the values of each candidate profile, evaluated one by one.
* The conditions sentence is the same in every question, and names the noisy player when only
  one player errs.
* The default focal player is the scenario's [compare] focal, else the first player.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from numpy.testing import assert_allclose

import recip
from conftest import STANDARD, pd_data, pd_scenario, scenario_dicts
from recip.core.errors import ScenarioError
from recip.model.profile import compile_profile
from recip.model.setting import Setting, as_setting
from recip.model.strategy_game import strategy_game
from recip.scenario.load import Scenario

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------------------------
# pickling


def test_a_bundled_scenario_and_its_setting_pickle():
    s = recip.load_scenario("sindoor-2025")
    again = pickle.loads(pickle.dumps(s))
    assert again.title == s.title and again.hash == s.hash
    setting = as_setting(s)
    copy = pickle.loads(pickle.dumps(setting))
    assert isinstance(copy, Setting)
    assert copy.origin == setting.origin
    for policy in ("balancing", "aligning"):
        a = recip.evaluate(setting, {"russia": policy})
        b = recip.evaluate(copy, {"russia": policy})
        c = recip.evaluate(again, {"russia": policy})
        assert np.array_equal(a.values, b.values) and np.array_equal(a.values, c.values)


@given(data=scenario_dicts())
@SETTINGS
def test_a_pickled_setting_gives_identical_results(data):
    setting = as_setting(Scenario.from_dict(data))
    copy = pickle.loads(pickle.dumps(setting))
    for limit in (False, True):
        a = recip.evaluate(setting, limit_of_means=limit)
        b = recip.evaluate(copy, limit_of_means=limit)
        assert np.array_equal(a.values, b.values)
        assert np.array_equal(a.occupancy, b.occupancy)
    if setting.rounds is not None:
        x = recip.simulate(setting, replicates=64, seed=3)
        y = recip.simulate(copy, replicates=64, seed=3)
        assert np.array_equal(x.samples, y.samples)


# ----------------------------------------------------------------------------------------------
# solve once, evaluate many


def _jitter(setting: Setting, count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 1.0, size=(count, *setting.game.payoffs.shape))
    return setting.game.payoffs[None] + noise


@pytest.mark.parametrize("name", ["sindoor-2025", "history-2022-2025", "prisoners-dilemma"])
def test_many_payoff_tensors_through_one_profile(name):
    setting = as_setting(name)
    strategies = setting.profile({setting.focal: "aligning"})
    compiled = compile_profile(setting, strategies)
    payoffs = _jitter(setting, 6, 1)
    batch = compiled.values(payoffs)
    assert batch.shape == (6, len(setting.players))
    for k in range(6):  # independently: a new setting with those payoffs, evaluated afresh
        one = recip.evaluate(setting.with_payoffs(payoffs[k]), {setting.focal: "aligning"})
        assert_allclose(batch[k], one.values, rtol=1e-12, atol=1e-12)


def test_payoff_reading_strategies_are_recompiled_per_tensor():
    """myopic reads the payoffs: each tensor gets its own chain, and the batch still equals the
    one-by-one evaluation."""
    setting = as_setting(pd_scenario(*STANDARD, strategies={"col": "myopic"}))
    compiled = compile_profile(setting, setting.profile({"row": "aligning"}))
    assert not compiled.payoff_blind
    payoffs = np.stack([setting.game.payoffs, setting.game.payoffs[..., ::-1]])
    batch = compiled.values(payoffs)
    for k in range(2):
        one = recip.evaluate(setting.with_payoffs(payoffs[k]), {"row": "aligning"})
        assert_allclose(batch[k], one.values, rtol=1e-12)


def test_a_payoff_tensor_of_the_wrong_shape_is_refused():
    setting = as_setting("prisoners-dilemma")
    compiled = compile_profile(setting, setting.profile())
    with pytest.raises(ScenarioError, match="shape"):
        compiled.values(np.zeros((3, 2, 2)))


@pytest.mark.parametrize("discount", [0.0, 0.3, 0.5, 0.77, 0.95])
def test_many_discount_factors_through_one_chain(discount):
    """The closed form of tit-for-tat against always-defect in the PD: (1 - d) S + d P."""
    s = pd_scenario(*STANDARD, strategies={"col": "always:defect"})
    setting = as_setting(s)
    compiled = compile_profile(setting, setting.profile())
    value = compiled.discount_function(0)
    _, S, _, P = STANDARD
    assert_allclose(value(discount), (1 - discount) * S + discount * P, atol=1e-12)


def test_discount_function_of_a_finite_horizon_weights_its_rounds():
    """Three rounds of TFT vs always-defect: payoffs S, P, P weighted 1, d, d^2."""
    s = pd_scenario(*STANDARD, discount=None, rounds=3, strategies={"col": "always:defect"})
    compiled = compile_profile(as_setting(s), as_setting(s).profile())
    _, S, _, P = STANDARD
    for d in (0.2, 0.9):
        expected = (S + d * P + d * d * P) / (1 + d + d * d)
        assert_allclose(compiled.discount_function(0)(d), expected, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# the strategy game


def test_the_strategy_game_is_the_value_of_each_profile():
    """ALLD vs TFT in the noiseless PD at d = 0.9: the textbook per-round values."""
    s = pd_scenario(*STANDARD)
    game = strategy_game(as_setting(s), {p: ["always:defect", "aligning"] for p in ("row", "col")})
    R, S, T, P = STANDARD
    d = 0.9
    expected = np.array(
        [
            [[P, P], [(1 - d) * T + d * P, (1 - d) * S + d * P]],
            [[(1 - d) * S + d * P, (1 - d) * T + d * P], [R, R]],
        ]
    )
    assert_allclose(game.payoffs, expected, atol=1e-12)
    assert game.labels == (("always:defect", "aligning"),) * 2


def test_players_who_never_act_are_left_out_of_the_strategy_game():
    data = pd_data()
    data["players"] = ["row", "col", "observer"]
    data["tables"]["round"]["observer"] = [[1, 1], [1, 1]]
    game = strategy_game(as_setting(Scenario.from_dict(data)))
    assert game.players == ("row", "col") and game.passive == ("observer",)


# ----------------------------------------------------------------------------------------------
# one sentence of conditions, one default focal player


def test_every_question_states_the_same_conditions_with_one_noisy_player():
    s = pd_scenario(*STANDARD, noise={"row": 0.05, "col": 0.0})
    texts = {
        "compare": recip.compare(s).conditions.text(),
        "threshold": recip.critical_discount(s, policies=["balancing", "aligning"]).conditions,
        "spe": recip.is_subgame_perfect(s).conditions.text(),
        "meta": recip.meta_game(s).conditions.text(),
        "evaluate": recip.evaluate(s).conditions.text(),
    }
    texts["threshold"] = texts["threshold"].text()
    for name, text in texts.items():
        assert "execution noise row 0.05" in text, (name, text)
        assert "execution noise 0.05" not in text, (name, text)


def test_the_conditions_name_the_horizon_history_and_other_strategies():
    c = recip.compare("sindoor-2025")
    text = c.conditions.text()
    assert text.startswith("discount factor 0.9; execution noise 0.02")
    assert "india plays aligning(tolerance=0)" in text
    assert "pakistan plays always:arm_ukraine" in text
    h = recip.compare("history-2022-2025").conditions.text()
    assert "scripted rounds of history" in h
    assert c.conditions.to_dict()["criterion"] == "discounted"


def test_the_default_focal_player_is_the_first_player_without_a_compare_section():
    data = pd_data()
    data["players"] = ["col", "row"]  # the first player is col; nobody is called russia
    data["tables"]["round"] = {
        "col": [[3, 5], [0, 1]],  # active players in the new order: col first
        "row": [[3, 0], [5, 1]],
    }
    s = Scenario.from_dict(data)
    assert as_setting(s).focal == "col"
    assert recip.compare(s).focal == "col"
    assert recip.critical_discount(s).focal == "col"


def test_as_setting_accepts_names_paths_scenarios_and_refuses_the_rest(tmp_path):
    s = recip.load_scenario("prisoners-dilemma")
    assert as_setting("prisoners-dilemma").origin.hash == s.hash
    path = tmp_path / "pd.toml"
    path.write_text(
        "\n".join(
            [
                "schema = 1",
                'title = "pd"',
                'players = ["row", "col"]',
                "[states.round]",
                "actions.row = { c = { col = 1 }, d = { col = -1 } }",
                "actions.col = { c = { row = 1 }, d = { row = -1 } }",
                "[tables.round]",
                "row = [[3, 0], [5, 1]]",
                "col = [[3, 5], [0, 1]]",
                "[horizon]",
                "discount = 0.9",
                "[strategies]",
                'row = "aligning"',
                'col = "aligning"',
            ]
        ),
        encoding="utf-8",
    )
    assert as_setting(path).players == ("row", "col")
    assert as_setting(str(path)).origin.name == "pd"
    assert as_setting(as_setting(s)) is as_setting(s)
    for bad in (None, 3, ["prisoners-dilemma"], {"schema": 1}):
        with pytest.raises(ScenarioError, match="expected a scenario"):
            as_setting(bad)


def test_strategy_game_takes_what_every_question_takes():
    """A Scenario, a bundled name and a Setting give the same tensor (it raised AttributeError
    for a Scenario)."""
    s = recip.load_scenario("prisoners-dilemma")
    by_setting = recip.strategy_game(as_setting(s)).payoffs
    for source in (s, "prisoners-dilemma"):
        assert np.array_equal(recip.strategy_game(source).payoffs, by_setting)
