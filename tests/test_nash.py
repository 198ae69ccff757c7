"""Nash equilibria of payoff tensors and of scenarios' stage games."""

from __future__ import annotations

import itertools
import json
import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import recip
from recip import ScenarioError, load_scenario
from recip.games.equilibrium import n_support_profiles
from recip.games.nash import (
    is_equilibrium,
    nash_equilibria,
    pure_equilibria,
    regrets,
)
from recip.questions.stage import stage_equilibria
from recip.report.equilibria_text import format_stage_equilibria


def bimatrix(A, B) -> np.ndarray:
    return np.stack([np.asarray(A, dtype=float), np.asarray(B, dtype=float)], axis=-1)


def profiles(result) -> np.ndarray:
    """Each equilibrium's strategies, concatenated: one row per equilibrium."""
    return np.array([np.concatenate(eq.strategies) for eq in result])


def independent_regret(u: np.ndarray, strategies) -> float:
    """Largest gain from a unilateral pure deviation, by brute force over every profile."""
    k = u.shape[-1]
    worst = 0.0
    for i in range(k):
        values = np.zeros(u.shape[i])
        for idx in np.ndindex(*u.shape[:-1]):
            weight = np.prod([strategies[j][idx[j]] for j in range(k) if j != i])
            values[idx[i]] += weight * u[(*idx, i)]
        worst = max(worst, values.max() - values @ strategies[i])
    return worst


# ----------------------------------------------------------------------------------------------
# The classic 2x2 games and their textbook equilibria

PD = bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # cooperate, defect
CHICKEN = bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]])  # swerve, straight
STAG_HUNT = bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])  # stag, hare
BATTLE = bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])  # opera, football
PENNIES = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])

TEXTBOOK = {
    "prisoner's dilemma": (PD, [[[0, 1], [0, 1]]]),
    "chicken": (CHICKEN, [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0.9, 0.1], [0.9, 0.1]]]),
    "stag hunt": (STAG_HUNT, [[[1, 0], [1, 0]], [[0, 1], [0, 1]], [[0.75, 0.25], [0.75, 0.25]]]),
    "battle of the sexes": (
        BATTLE,
        [[[1, 0], [1, 0]], [[0, 1], [0, 1]], [[2 / 3, 1 / 3], [1 / 3, 2 / 3]]],
    ),
    "matching pennies": (PENNIES, [[[0.5, 0.5], [0.5, 0.5]]]),
}


@pytest.mark.parametrize("method", ["auto", "support", "vertex", "polynomial"])
@pytest.mark.parametrize("name", list(TEXTBOOK))
def test_textbook_equilibria(name, method):
    u, expected = TEXTBOOK[name]
    result = nash_equilibria(u, method=method)
    assert len(result) == len(expected)
    for eq, want in zip(result, expected, strict=True):
        for x, w in zip(eq.strategies, want, strict=True):
            np.testing.assert_allclose(x, w, rtol=0, atol=1e-12)
        assert eq.regret <= 1e-12
    assert not result.degenerate
    assert result.complete  # the polynomial method solves small games completely too


def test_textbook_payoffs_and_purity():
    chicken = nash_equilibria(CHICKEN)
    assert [eq.profile for eq in chicken.pure] == [(0, 1), (1, 0)]
    assert chicken[2].profile is None and not chicken[2].pure
    np.testing.assert_allclose(chicken[2].payoffs, [-0.1, -0.1], atol=1e-12)
    np.testing.assert_allclose(nash_equilibria(BATTLE)[2].payoffs, [2 / 3, 2 / 3], atol=1e-12)


def test_lemke_howson_finds_a_subset():
    for u, expected in TEXTBOOK.values():
        result = nash_equilibria(u, method="lemke-howson")
        assert 1 <= len(result) <= len(expected)
        assert not result.complete
        for eq in result:
            assert any(
                all(np.allclose(x, w) for x, w in zip(eq.strategies, want, strict=True))
                for want in expected
            )


# ----------------------------------------------------------------------------------------------
# Random bimatrix games: agreement with nashpy, every equilibrium verified

# Integers keep games away from near-degeneracy (which nashpy's loose label test misreads); exact
# ties are detected and such games skipped where the comparison needs a nondegenerate game.
generic = st.integers(-20, 20).map(float)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_random_bimatrix_games_agree_with_nashpy(m, n, data):
    u = data.draw(arrays(float, (m, n, 2), elements=generic))
    result = nash_equilibria(u)
    for eq in result:
        assert is_equilibrium(u, eq.strategies)
        assert independent_regret(u, eq.strategies) <= 1e-8
        assert all(abs(x.sum() - 1) < 1e-12 and x.min() >= 0 for x in eq.strategies)
    assume(not result.degenerate)
    assert result.complete
    assert len(result) % 2 == 1  # a nondegenerate game has an odd number of equilibria
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(u[..., 0], u[..., 1]).vertex_enumeration())
    ours = [np.concatenate(eq.strategies) for eq in result]
    assert len(theirs) == len(ours)
    for x, y in theirs:
        assert any(np.abs(np.concatenate([x, y]) - o).max() < 1e-8 for o in ours)
    # the n-player solver agrees on two-player games too
    assert len(nash_equilibria(u, method="polynomial")) == len(result)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_small_integer_games_every_profile_verified(m, n, data):
    """Small integer payoffs make ties (degenerate games) common: whatever comes back is an
    equilibrium, and vertex enumeration's extreme equilibria include nashpy's."""
    u = data.draw(arrays(float, (m, n, 2), elements=st.integers(-2, 2).map(float)))
    result = nash_equilibria(u)
    assert len(result) >= 1 and result.complete
    for eq in result:
        assert independent_regret(u, eq.strategies) <= 1e-9
    pure = {eq.profile for eq in result.pure}
    assert pure == set(pure_equilibria(u))


@settings(max_examples=30, deadline=None)
@given(
    arrays(float, (3, 2, 2), elements=generic),
    st.floats(0.1, 10),
    st.floats(-5, 5),
)
def test_positive_affine_payoff_changes_keep_the_equilibria(u, a, b):
    result = nash_equilibria(u)
    v = u.copy()
    v[..., 0] = a * v[..., 0] + b
    assume(not result.degenerate)
    again = nash_equilibria(v)
    np.testing.assert_allclose(profiles(again), profiles(result), atol=1e-9)


def test_degenerate_game_lists_the_vertices_of_its_equilibrium_sets():
    """von Stengel's degenerate 3x2 example: the top row has two best responses, so its
    equilibria are a segment (top, y from (1, 0) to (2/3, 1/3)) and an isolated point."""
    u = bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    result = nash_equilibria(u)
    assert result.degenerate and result.complete
    assert result.method == "vertex-enumeration"
    assert "degenerate" in result.message
    expected = [
        [1, 0, 0, 1, 0],
        [1, 0, 0, 2 / 3, 1 / 3],
        [0, 1 / 3, 2 / 3, 1 / 3, 2 / 3],
    ]
    np.testing.assert_allclose(profiles(result), expected, atol=1e-12)
    # support enumeration alone misses nothing here, but says it might
    support = nash_equilibria(u, method="support")
    assert not support.complete and "can miss" in support.message


def test_a_game_without_choices_and_a_constant_game():
    assert [eq.profile for eq in nash_equilibria(np.zeros((2, 3, 2)))] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
    ]
    one_choice = nash_equilibria(bimatrix([[1, 2, 2]], [[0, 3, 3]]))
    assert [eq.profile for eq in one_choice] == [(0, 1), (0, 2)]
    assert one_choice.degenerate


def test_one_player_gets_its_best_actions():
    result = nash_equilibria(np.array([[1.0], [3.0], [3.0]]))
    assert [eq.profile for eq in result] == [(1,), (2,)]
    assert result.degenerate and result.complete
    assert "any mixture" in result.message
    single = nash_equilibria(np.array([[1.0], [3.0], [2.0]]))
    assert [eq.profile for eq in single] == [(1,)] and not single.degenerate


# ----------------------------------------------------------------------------------------------
# Three and more players


def pennies3() -> np.ndarray:
    """Jordan's three-player matching pennies: 1 matches 2, 2 matches 3, 3 mismatches 1."""
    u = np.zeros((2, 2, 2, 3))
    for a, b, c in np.ndindex(2, 2, 2):
        u[a, b, c] = [1 if a == b else -1, 1 if b == c else -1, 1 if c != a else -1]
    return u


def coordination(n_actions: int, k: int = 3) -> np.ndarray:
    """Each player gets the number of other players who choose the same action as it."""
    u = np.zeros((*(n_actions,) * k, k))
    for idx in np.ndindex(*(n_actions,) * k):
        u[idx] = [sum(idx[j] == idx[i] for j in range(k) if j != i) for i in range(k)]
    return u


def test_three_player_matching_pennies_has_its_unique_equilibrium():
    result = nash_equilibria(pennies3())
    assert len(result) == 1
    for x in result[0].strategies:
        np.testing.assert_allclose(x, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(result[0].payoffs, 0, atol=1e-12)
    assert result.method == "polynomial" and result.complete  # small: solved exactly
    assert "every equilibrium" in result.message


def test_three_player_coordination_has_every_pure_equilibrium():
    u = coordination(3)
    assert pure_equilibria(u) == [(0, 0, 0), (1, 1, 1), (2, 2, 2)]
    result = nash_equilibria(u)
    assert [eq.profile for eq in result.pure] == [(0, 0, 0), (1, 1, 1), (2, 2, 2)]
    # and mixed ones, e.g. everyone uniform over all three actions (each expects 2/3 matches)
    uniform = [eq for eq in result if all(len(s) == 3 for s in eq.support)]
    assert len(uniform) == 1
    np.testing.assert_allclose(uniform[0].payoffs, 2 / 3, atol=1e-12)
    for eq in result:
        assert independent_regret(u, eq.strategies) <= 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_generic_multiplayer_games_have_an_odd_number_of_equilibria(seed):
    """Wilson's oddness theorem: a generic game has an odd number of equilibria, so an even
    count would reveal a missed (or spurious) one."""
    shape = [(2, 2, 2), (3, 2, 2), (3, 3, 2), (2, 2, 2, 2), (3, 3, 3), (2, 3, 2)][seed]
    u = np.random.default_rng(seed + 10).normal(size=(*shape, len(shape)))
    result = nash_equilibria(u)
    assert not result.degenerate
    assert len(result) == [3, 5, 5, 1, 5, 3][seed]
    for eq in result:
        assert independent_regret(u, eq.strategies) <= 1e-8


def test_more_starts_find_more_roots_of_one_support():
    """A four-player game whose totally mixed support has a root that few random starts miss:
    the search is local, as documented, and ``starts`` widens it."""
    u = np.random.default_rng(3).normal(size=(2, 2, 2, 2, 4))
    few = nash_equilibria(u, options={"starts": 2})
    many = nash_equilibria(u, options={"starts": 12})
    assert (len(few), len(many)) == (2, 3)
    assert not few.complete and not many.complete


def test_four_by_four_by_four_is_verified():
    """(Its time is a benchmark: benchmarks/bench_nash.py.)"""
    u = np.random.default_rng(3).normal(size=(4, 4, 4, 3))
    result = nash_equilibria(u)
    assert len(result) >= 15  # 17 are known (it is not guaranteed to find them all)
    for eq in result:
        assert independent_regret(u, eq.strategies) <= 1e-8


def test_support_limit_leaves_the_pure_equilibria():
    result = nash_equilibria(coordination(2, 4), options={"max_supports": 10})
    assert n_support_profiles((2, 2, 2, 2)) == 81
    assert [eq.profile for eq in result] == [(0, 0, 0, 0), (1, 1, 1, 1)]
    assert "max_supports" in result.message and not result.complete


def test_gambit_agrees_on_random_games():
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for shape in [(3, 3), (4, 3), (2, 2, 2), (3, 2, 2)]:
        u = np.round(rng.normal(size=(*shape, len(shape))), 4)
        ours = [np.concatenate(eq.strategies) for eq in nash_equilibria(u)]
        theirs = [np.concatenate(eq.strategies) for eq in nash_equilibria(u, method="gambit")]
        # pygambit's enumpoly may miss equilibria; whatever it finds we must have
        for t in theirs:
            assert any(np.abs(t - o).max() < 1e-6 for o in ours)
        if len(shape) == 2:
            assert len(ours) == len(theirs)


# ----------------------------------------------------------------------------------------------
# Verification and bad input


def test_verification_uses_a_tolerance():
    x = [np.array([0.9, 0.1]), np.array([0.9, 0.1])]
    assert is_equilibrium(CHICKEN, x)
    nudged = [np.array([0.9 + 1e-13, 0.1 - 1e-13]), x[1]]
    assert is_equilibrium(CHICKEN, nudged)  # nashpy's exact check would say no
    assert not is_equilibrium(CHICKEN, [np.array([0.8, 0.2]), x[1]])
    np.testing.assert_allclose(regrets(PD, [np.array([1.0, 0]), np.array([1.0, 0])]), [2, 2])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: nash_equilibria(PD, method="vertx"), "did you mean 'vertex'"),
        (lambda: nash_equilibria(PD, options={"tolerence": 1}), "did you mean 'tolerance'"),
        (lambda: nash_equilibria(pennies3(), method="vertex"), "is for two players"),
        (lambda: nash_equilibria(np.zeros((2, 2, 3))), "shape"),
        (lambda: nash_equilibria(np.full((2, 2, 2), np.nan)), "finite"),
    ],
)
def test_bad_input_is_a_scenario_error(call, match):
    with pytest.raises(ScenarioError, match=match):
        call()


def test_results_print_and_serialise():
    result = nash_equilibria(CHICKEN)
    assert repr(result) == (
        "NashResult(3 equilibria of a 2x2 game; complete; method support-enumeration)"
    )
    assert repr(result[2]) == "Equilibrium(mixed [0.9, 0.1] x [0.9, 0.1]; payoffs -0.1, -0.1)"
    assert json.loads(json.dumps(result.to_dict()))["equilibria"][0]["pure"] is True


# ----------------------------------------------------------------------------------------------
# Stage games of scenarios


def test_stage_equilibria_of_the_prisoners_dilemma():
    result = recip.equilibria("prisoners-dilemma")
    (state,) = result.states
    assert state.players == ("row", "col")
    (eq,) = state.equilibria
    assert eq.actions == {"row": {"defect": 1.0}, "col": {"defect": 1.0}}
    assert eq.payoffs == {"row": 1.0, "col": 1.0}
    assert state.complete and not state.degenerate


def test_stage_equilibria_of_sindoor_per_state():
    scenario = load_scenario("sindoor-2025")
    result = stage_equilibria(scenario)
    game = scenario.game
    assert [s.state for s in result.states] == list(game.states)
    for st_result in result.states:
        s = game.state_index(st_result.state)
        active, tensor = game.stage_game(s)
        assert st_result.players == tuple(game.players[i] for i in active)
        if not active:
            assert st_result.result is None
            continue
        # the labelled equilibria are the tensor's, with every player's expected payoff
        raw = nash_equilibria(tensor)
        assert len(st_result.equilibria) == len(raw)
        for labelled, eq in zip(st_result.equilibria, raw, strict=True):
            for i, p in enumerate(st_result.players):
                for a, prob in labelled.actions[p].items():
                    assert prob == eq.strategies[i][st_result.actions[i].index(a)]
            for i, p in zip(active, st_result.players, strict=True):
                assert labelled.payoffs[p] == pytest.approx(eq.payoffs[active.index(i)])
    text = format_stage_equilibria(result)
    assert "State india_attacked" in text and "russia chooses (3)" in text
    json.dumps(result.to_dict())


def test_sindoor_stage_equilibria():
    """india_attacked is Russia's choice alone among three stances (its time is a benchmark:
    benchmarks/bench_equilibria.py)."""
    result = stage_equilibria(load_scenario("sindoor-2025"))
    assert [s.state for s in result.states] == list(load_scenario("sindoor-2025").game.states)
    assert all(s.complete for s in result.states)


def test_one_state_and_an_unknown_state():
    result = recip.equilibria("sindoor-2025", state="russia_isolated")
    assert [s.state for s in result.states] == ["russia_isolated"]
    assert result["russia_isolated"].players == ("india", "pakistan")
    with pytest.raises(ScenarioError, match="did you mean 'india_attacked'") as err:
        recip.equilibria("sindoor-2025", state="india_atacked")
    assert err.value.key == "--state"
    assert err.value.file.endswith("sindoor-2025.toml")


def test_a_three_player_stage_game():
    result = recip.equilibria("counter-china-backs-pakistan", state="russia_isolated")
    state = result.states[0]
    assert len(state.players) == 3
    # three players with at most three actions each: every support solved exactly
    assert state.complete == (not state.result.degenerate)
    for eq in state.equilibria:
        assert eq.regret <= 1e-9


def test_meta_is_delegated_to_the_meta_game():
    from recip.questions.meta import MetaGame

    cands = {"row": ["always:defect", "aligning"], "col": ["always:defect", "aligning"]}
    result = recip.equilibria("prisoners-dilemma", meta=True, candidates=cands)
    assert isinstance(result, MetaGame)
    assert result.candidates == (("always:defect", "aligning"), ("always:defect", "aligning"))
    with pytest.raises(ScenarioError, match="only for the meta-game"):
        recip.equilibria("prisoners-dilemma", candidates=cands)
    with pytest.raises(ScenarioError, match="not both"):
        recip.equilibria("prisoners-dilemma", meta=True, state="round")


def test_all_methods_agree_on_every_small_integer_game_of_one_family():
    """Exhaustive over a family: 2x2 games with payoffs in {0, 1} (degenerate or not)."""
    for values in itertools.product((0.0, 1.0), repeat=8):
        u = np.array(values).reshape(2, 2, 2)
        result = nash_equilibria(u)
        for eq in result:
            assert independent_regret(u, eq.strategies) <= 1e-12
        assert {eq.profile for eq in result.pure} == set(pure_equilibria(u))
