"""Nash equilibria of finite games given as payoff tensors.

A game of ``k`` players is a tensor ``payoffs`` of shape ``(A_1, ..., A_k, k)``: entry
``payoffs[a_1, ..., a_k, i]`` is player ``i``'s payoff when each player ``j`` plays action ``a_j``.
A mixed profile ``x = (x_1, ..., x_k)`` gives player ``i`` the value of action ``a``

    v_i(a) = sum over a_{-i} of payoffs[a, a_{-i}, i] * prod_{j != i} x_j(a_j),

and ``x`` is a Nash equilibrium when no player gains by deviating: its *regret*
``max_a v_i(a) - x_i . v_i`` is zero for every ``i``. Every profile this module returns is checked
that way, with a tolerance: ``regret <= tolerance * max(1, max |payoffs|)`` (nashpy's own check
compares floats exactly, which rejects true equilibria and so is not used).

What is guaranteed
------------------
* **One player** -- every best action (a pure "equilibrium" each; any mixture of them is optimal
  too, and the game is flagged degenerate when there are several).
* **Every game** -- *all pure equilibria*, by one vectorised pass over the tensor.
* **Two players** -- all equilibria of a nondegenerate game and all *extreme* equilibria of a
  degenerate one (its equilibria then form convex sets whose vertices are listed), by the
  algorithms nashpy implements [Knight-Campbell2018]: support enumeration for small
  nondegenerate games (exact linear solves over equal-size supports [Nisan2007, Alg. 3.4],
  vectorised here and with tolerances where nashpy compares floats exactly), vertex enumeration
  of the best-response polytopes when the game is degenerate or large (Alg. 3.5; nashpy's
  halfspaces, vertices by Qhull, completely labelled pairs found by a table lookup), and
  Lemke-Howson from every starting label (Alg. 3.6, not complete; recip's own, with a pivot
  budget: :mod:`recip.games.lemke_howson`) as a fallback or on request.
  The game is *degenerate* when some mixed strategy has more pure best responses than the size of
  its support; exactly then one of the polytopes has a vertex with surplus labels, which is how it
  is detected. *Work is estimated before it starts* (limits in :mod:`recip.core.limits`): when
  the upper bound theorem allows a polytope more than ``MAX_POLYTOPE_VERTICES`` vertices
  (a 16x16 game: 980,628), vertex enumeration is not run -- ``"auto"`` falls back to
  Lemke-Howson and says that the list is not complete, ``"vertex"`` raises
  :class:`~recip.core.errors.AnalysisError`; support enumeration on request is refused beyond
  ``MAX_SUPPORT_ENTRIES``; Lemke-Howson stops after ``MAX_LEMKE_HOWSON_PIVOTS`` pivots and says
  how many starting labels it did not follow.
* **Three players with at most three actions each** (:func:`recip.games.elimination.is_small`)
  -- *every equilibrium* of a nondegenerate game (``complete=True``): support enumeration in
  which every support's indifference system is solved exactly -- linear when one or two players
  mix, and reduced to the roots of one polynomial or the eigenvalues of a small companion pencil
  when all three do (:mod:`recip.games.elimination`, which says why this method). A degenerate
  game (ties, or a support whose equilibria form a continuum) is flagged, its continua
  represented by points, and the list is not claimed complete.
* **Larger games of three or more players** -- all pure equilibria, and the mixed equilibria
  found by support enumeration with a nonlinear solve [Porter-Nudelman-Shoham2008, Alg. 2]:
  every support profile whose actions are not conditionally dominated is examined; its
  indifference conditions are a square system, linear when at most two players mix (solved
  exactly) and multilinear otherwise (solved by damped Newton / Levenberg-Marquardt iterations
  from the support's centroid and ``starts`` seeded random points, vectorised over all supports
  of one shape). Each root is checked to be a probability profile and an equilibrium. *This list
  is not guaranteed complete*: a support's system can have several roots and a local solver may
  miss some (more ``starts`` find more); equilibrium continua are represented by the points
  reached. The result says so (``complete=False``). The game is flagged degenerate on
  sufficient signs (a pure profile with tied best responses, an equilibrium with an unused best
  response, a singular support system).

A meta-game (:func:`recip.questions.meta.meta_game`) is solved by the same function, so the
same guarantees and limits apply to it.

Why this solver for larger games of three or more players
---------------------------------------------------------
* *Gambit's* ``enumpoly`` (pygambit) also enumerates supports and solves each polynomial system
  (by subdividing the support's box). pygambit is GPL-licensed and a large dependency; its
  stable 16.x release builds from source here (minutes), only a 17.0 beta ships a wheel for
  CPython 3.11 on x86_64 (and needs pandas). On random 4x4x4 games that 17.0 beta's
  ``enumpoly`` (default budget) found fewer equilibria than this module and none it missed. It
  stays optional: ``method="gambit"`` uses it when installed, and the tests compare with it after
  an ``.nfg`` round trip.
* Small games are solved exactly (above); the exact elimination does not scale (four players or
  four actions give systems of many more unknowns and higher degree), hence the local search.
* *Homotopy methods* (the global Newton method of Govindan-Wilson, simplicial subdivision, the
  logit tracing procedure) follow one path to one equilibrium; they answer "find an equilibrium",
  not "list the equilibria", which is what ``recip equilibria`` shows.
* Support enumeration with a numerical solve is simple, transparent, verifiable (every answer is
  checked), fast on these sizes and within scipy; its weakness (possible misses) is reported.

References
----------
[Nisan2007] Nisan, Roughgarden, Tardos, Vazirani (eds.), *Algorithmic Game Theory*, ch. 3
(von Stengel, "Equilibrium computation for two-player games in strategic and extensive form").
[Knight-Campbell2018] Knight and Campbell, "Nashpy: a Python library for the computation of Nash
equilibria", JOSS 3(30), 904.
[Porter-Nudelman-Shoham2008] Porter, Nudelman and Shoham, "Simple search methods for finding a
Nash equilibrium", Games and Economic Behavior 63, 642-662.

>>> import numpy as np
>>> pennies = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)
>>> result = nash_equilibria(pennies)
>>> [eq.strategies[0].tolist() for eq in result]
[[0.5, 0.5]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.errors import AnalysisError, ScenarioError, suggest
from ..core.text import echo
from .equilibrium import (
    Equilibrium,
    NashResult,
    Partial,
    action_values,
    check_tensor,
    is_equilibrium,
    payoff_scale,
    pure_equilibria,
    pure_profile,
    pure_ties,
    regrets,
    unique,
    verified,
)

__all__ = [
    "METHODS",
    "Equilibrium",
    "NashResult",
    "action_values",
    "is_equilibrium",
    "nash_equilibria",
    "pure_equilibria",
    "regrets",
]

METHODS = ("auto", "pure", "support", "vertex", "lemke-howson", "polynomial", "gambit")
DEFAULT_OPTIONS: dict[str, Any] = {
    "tolerance": 1e-9,  # regret allowed, relative to max(1, max |payoff|)
    "support_limit": 4096,  # two players: support pairs up to which "auto" enumerates supports
    "max_supports": 200_000,  # three or more: support profiles examined at most
    "starts": 6,  # three or more: random starts per support, besides the centroid
    "seed": 0,
}


# ----------------------------------------------------------------------------------------------
# The entry point


def nash_equilibria(
    payoffs: Any, *, method: str = "auto", options: Mapping[str, Any] | None = None
) -> NashResult:
    """Nash equilibria of the game ``payoffs`` (shape ``(A_1, ..., A_k, k)``), each verified.

    Parameters
    ----------
    payoffs
        The payoff tensor; ``payoffs[a_1, ..., a_k, i]`` is player ``i``'s payoff.
    method
        ``"auto"`` (by the number of players and the size, as in the module docstring),
        ``"pure"`` (pure equilibria only), two players: ``"support"``, ``"vertex"``,
        ``"lemke-howson"``; any number: ``"polynomial"`` (support enumeration, exact for
        small games and with a nonlinear solve for larger ones; the ``"auto"`` choice for three
        or more players), ``"gambit"`` (pygambit's ``enummixed``/``enumpoly``, if installed).
    options
        ``tolerance`` (1e-9: regret allowed, relative to ``max(1, max |payoffs|)``),
        ``support_limit`` (4096: two players, support pairs up to which ``"auto"`` enumerates
        supports), ``max_supports`` (200000: three or more players, support profiles examined at
        most), ``starts`` (6: random starts per support besides the centroid), ``seed`` (0).

    Returns
    -------
    NashResult
        A sequence of :class:`Equilibrium` (pure ones first) with ``complete``, ``degenerate``,
        ``method`` and ``message``.

    >>> import numpy as np
    >>> chicken = np.array([[[0, 0], [-1, 1]], [[1, -1], [-10, -10]]], dtype=float)
    >>> result = nash_equilibria(chicken)
    >>> [eq.profile for eq in result.pure], result[2].strategies[0].round(4).tolist()
    ([(0, 1), (1, 0)], [0.9, 0.1])
    """
    u = check_tensor(payoffs)
    opts = _options(options)
    eps = opts["tolerance"] * payoff_scale(u)
    if method not in METHODS:
        raise ScenarioError(f"unknown method '{method}'; {suggest(method, METHODS)}", key="method")
    k = u.shape[-1]
    if k == 1:
        return _one_player(u, eps)
    pure = [verified(u, pure_profile(u.shape[:-1], p), eps) for p in pure_equilibria(u)]
    pure_found = [eq for eq in pure if eq is not None]
    if method == "pure":
        degenerate = pure_ties(u, eps)
        msg = "pure equilibria only (every one of them)"
        return NashResult(unique(pure_found), "pure", False, degenerate, msg, u.shape[:-1])
    if method == "gambit":
        return _with_message(_gambit(u, eps, pure_found))
    if k == 2 and method != "polynomial":
        from .bimatrix import solve_bimatrix

        return _with_message(solve_bimatrix(u, eps, pure_found, method, opts))
    if method in ("vertex", "lemke-howson", "support") and k > 2:
        raise ScenarioError(
            f"method '{method}' is for two players; this game has {k} (use 'polynomial' or 'auto')",
            key="method",
        )
    from .polynomial import solve_polynomial

    return _with_message(solve_polynomial(u, eps, pure_found, opts))


def _options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The solver options, checked: ``tolerance`` a number >= 0, the others whole numbers."""
    if options is not None and not isinstance(options, Mapping):
        raise ScenarioError(
            f"options are a mapping such as {{'tolerance': 1e-9}}, not {echo(options)}",
            key="options",
        )
    opts = dict(DEFAULT_OPTIONS)
    for key, value in (options or {}).items():
        if key not in DEFAULT_OPTIONS:
            raise ScenarioError(
                f"unknown option {echo(key)}; {suggest(str(key), DEFAULT_OPTIONS)}",
                key=f"options.{key}",
            )
        whole = key != "tolerance"
        if (
            isinstance(value, bool)
            or not isinstance(value, int if whole else int | float)
            or not value >= 0
            or (not whole and not np.isfinite(value))
        ):
            what = "a whole number >= 0" if whole else "a finite number >= 0"
            raise ScenarioError(f"must be {what}, not {echo(value)}", key=f"options.{key}")
        opts[key] = value
    return opts


def _one_player(u: np.ndarray, eps: float) -> NashResult:
    values = u[:, 0]
    best = np.flatnonzero(values >= values.max() - eps)
    found = [verified(u, pure_profile(u.shape[:-1], (int(a),)), eps) for a in best]
    degenerate = len(best) > 1
    msg = "the best actions of the only player"
    if degenerate:
        msg += "; any mixture of them is optimal too"
    return NashResult(
        unique([e for e in found if e]), "best-response", True, degenerate, msg, u.shape[:-1]
    )


def _with_message(part: Partial) -> NashResult:
    eqs = unique(part.found)
    words = []
    if part.complete:
        words.append(
            "every extreme equilibrium (the game is degenerate: equilibria may form convex sets "
            "with these as vertices)"
            if part.degenerate
            else "every equilibrium"
        )
    else:
        words.append("every pure equilibrium; mixed ones as found, not guaranteed complete")
        if part.degenerate:
            words.append("the game is degenerate (ties): equilibria may form continua")
    words.extend(part.notes)
    return NashResult(
        eqs, part.method, part.complete, part.degenerate, "; ".join(words), part.shape
    )


def _gambit(u: np.ndarray, eps: float, pure_found: list[Equilibrium]) -> Partial:
    """Equilibria by pygambit (``enummixed`` for two players, ``enumpoly`` for more)."""
    try:
        import pygambit as gbt
    except ImportError:
        raise AnalysisError(
            "method 'gambit' needs pygambit (GPL, optional): pip install pygambit"
        ) from None
    import io

    from ..io.nfg import export_tensor_nfg

    shape = u.shape[:-1]
    players = [f"p{i + 1}" for i in range(len(shape))]
    actions = [[f"a{a + 1}" for a in range(n)] for n in shape]
    game = gbt.read_nfg(io.StringIO(export_tensor_nfg("recip", players, actions, u)))
    if len(shape) == 2:
        solved = gbt.nash.enummixed_solve(game, rational=False)
    else:
        solved = gbt.nash.enumpoly_solve(game)
    found = list(pure_found)
    for profile in solved.equilibria:
        # pygambit 16 iterates a player's mixed strategy as probabilities, 17 as (label, p).
        strategies = [
            np.array([float(v[1] if isinstance(v, tuple) else v) for v in profile[p]])
            for p in players
        ]
        eq = verified(u, strategies, max(eps, 1e-7 * payoff_scale(u)))
        if eq is not None:
            found.append(eq)
    complete = len(shape) == 2
    return Partial(found, "gambit", complete, pure_ties(u, eps), shape, ("solved by pygambit",))
