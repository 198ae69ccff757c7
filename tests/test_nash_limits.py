"""The equilibrium solvers estimate their work before starting, and say what they did not do.

* Lemke-Howson is recip's own, with a pivot budget: on small games it reaches the equilibrium
  nashpy's Lemke-Howson reaches from the same label (an independent implementation); when
  the budget runs out, the result says how many starting labels were not followed.
* Vertex enumeration is refused ("vertex") or replaced ("auto") when the upper bound theorem
  allows the best-response polytopes more vertices than the limit; the bound is checked
  against the closed forms of polygons (``h`` vertices) and 3-polytopes (``2h - 4``).
* The meta-game goes through the same solver: a three-player meta-game with at most three
  candidates each is solved completely, a larger one is not claimed complete, and the
  two-player guards apply to it.
"""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pytest

import recip
from recip import AnalysisError
from recip.core import limits
from recip.games import bimatrix
from recip.games.bimatrix import support_entries, vertex_bound
from recip.games.lemke_howson import lemke_howson
from recip.games.nash import nash_equilibria
from recip.questions.meta import meta_game


@pytest.mark.parametrize("seed", range(8))
def test_lemke_howson_reaches_nashpys_equilibrium_from_every_label(seed):
    rng = np.random.default_rng(seed)
    m, n = [(3, 3), (4, 4), (4, 5), (5, 3)][seed % 4]
    A, B = rng.uniform(1, 2, size=(m, n)), rng.uniform(1, 2, size=(m, n))
    for label in range(m + n):
        x, y, pivots = lemke_howson(A, B, label, 1000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ex, ey = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
        np.testing.assert_allclose(x, ex, atol=1e-9)
        np.testing.assert_allclose(y, ey, atol=1e-9)
        assert 1 <= pivots < 1000


def test_lemke_howson_stops_at_its_budget():
    rng = np.random.default_rng(0)
    A, B = rng.uniform(1, 2, size=(6, 6)), rng.uniform(1, 2, size=(6, 6))
    x, y, pivots = lemke_howson(A, B, 0, 1)
    assert x is None and y is None and pivots == 1


def test_a_spent_pivot_budget_is_reported(monkeypatch):
    monkeypatch.setattr(bimatrix, "MAX_LEMKE_HOWSON_PIVOTS", 3)
    u = np.random.default_rng(2).uniform(size=(6, 6, 2))
    result = nash_equilibria(u, method="lemke-howson")
    assert not result.complete
    assert "stopped at its limit of 3 pivots" in result.message
    assert "starting labels not followed" in result.message


def test_a_twelve_by_twelve_game_by_lemke_howson():
    # nashpy's unbounded pivoting did not return on a random 12x12 game within 40 s
    u = np.random.default_rng(12).normal(size=(12, 12, 2))
    result = nash_equilibria(u, method="lemke-howson")
    assert len(result) >= 1 and not result.complete
    for eq in result:
        assert eq.regret <= 1e-9 * max(1.0, np.abs(u).max())


def test_the_upper_bound_theorem():
    for h in range(3, 12):
        assert vertex_bound(2, h) == h  # a polygon with h edges has h vertices
    for h in range(4, 12):
        assert vertex_bound(3, h) == 2 * h - 4  # a simple 3-polytope with h facets
    assert vertex_bound(16, 32) > limits.MAX_POLYTOPE_VERTICES >= vertex_bound(14, 28)
    # support systems: sum_s C(m, s) C(n, s) (s + 1)^2, e.g. 2x2: 4 * 4 + 1 * 9
    assert support_entries(2, 2) == 25


def test_vertex_enumeration_is_refused_beyond_the_bound():
    u = np.random.default_rng(16).normal(size=(16, 16, 2))
    with pytest.raises(AnalysisError, match="980,628 vertices"):
        nash_equilibria(u, method="vertex")
    with pytest.raises(AnalysisError, match="support enumeration of a 16x16 game is too large"):
        nash_equilibria(u, method="support")


@pytest.mark.parametrize("size", [16, 60])
def test_auto_falls_back_and_says_the_list_is_incomplete(size):
    u = np.random.default_rng(size).normal(size=(size, size, 2))
    result = nash_equilibria(u)
    assert not result.complete and result.method == "support-enumeration+lemke-howson"
    assert "vertex enumeration not run" in result.message
    assert "not guaranteed complete" in result.message
    assert len(result) >= 1
    for eq in result:
        assert eq.regret <= 1e-9 * max(1.0, np.abs(u).max())


def test_games_within_the_bound_are_still_enumerated():
    u = np.random.default_rng(8).normal(size=(6, 6, 2))
    result = nash_equilibria(u, method="vertex")
    assert result.complete and result.method == "vertex-enumeration"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(u[..., 0], u[..., 1]).vertex_enumeration())
    assert len(result) == len(theirs)
    for x, y in theirs:
        assert any(
            np.allclose(eq.strategies[0], x, atol=1e-7)
            and np.allclose(eq.strategies[1], y, atol=1e-7)
            for eq in result
        )


# ----------------------------------------------------------------------------------------------
# The meta-game is a game like any other


def test_a_small_three_player_meta_game_is_solved_completely():
    s = recip.load_scenario("sindoor-2025")
    small = {
        "russia": ["balancing", "aligning"],
        "india": ["aligning", "balancing"],
        "pakistan": ["always:arm_ukraine", "balancing", "aligning"],
    }
    game = meta_game(s, small)  # at most three candidates each
    assert game.payoffs.shape == (2, 2, 3, 3)
    assert game.equilibria.complete and not game.equilibria.degenerate
    assert "every equilibrium" in game.equilibria.message
    assert "not guaranteed" not in game.equilibria.message


def test_a_larger_meta_game_is_not_claimed_complete():
    s = recip.load_scenario("sindoor-2025")
    four = ["balancing", "aligning", "grim-trigger", "always:balance"]
    game = meta_game(s, {"russia": four})
    assert game.payoffs.shape[0] == 4
    assert not game.equilibria.complete
    assert "not guaranteed complete" in game.equilibria.message


def test_two_player_guards_apply_to_meta_games(monkeypatch):
    monkeypatch.setattr(bimatrix, "MAX_POLYTOPE_VERTICES", 2)
    pd = recip.load_scenario("prisoners-dilemma")
    game = meta_game(pd, {p: ["always:defect", "aligning", "balancing"] for p in ("row", "col")})
    assert not game.equilibria.complete
    assert "vertex enumeration not run" in game.equilibria.message
    assert game.equilibria.pure  # the pure equilibria are always listed
