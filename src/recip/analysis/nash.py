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
  halfspaces, vertices by Qhull, pairs matched with array operations), and nashpy's
  Lemke-Howson from every starting label (Alg. 3.6, not complete) as a fallback or on request.
  The game is *degenerate* when some mixed strategy has more pure best responses than the size of
  its support; exactly then one of the polytopes has a vertex with surplus labels, which is how it
  is detected.
* **Three or more players** -- all pure equilibria, and the mixed equilibria found by support
  enumeration with a nonlinear solve [Porter-Nudelman-Shoham2008, Alg. 2]: every support profile
  whose actions are not conditionally dominated is examined; its indifference conditions are a
  square system, linear when at most two players mix (solved exactly) and multilinear otherwise
  (solved by damped Newton / Levenberg-Marquardt iterations from the support's centroid and
  ``starts`` seeded random points, vectorised over all supports of one shape). Each root is
  checked to be a probability profile and an equilibrium. *This list is not guaranteed
  complete*: a support's system can have several roots and a local solver may miss some (more
  ``starts`` find more); equilibrium continua are represented by the points reached. The result
  says so (``complete=False``). The game is flagged degenerate on sufficient signs (a pure
  profile with tied best responses, an equilibrium with an unused best response, a singular
  support system).

Why this solver for three or more players
-----------------------------------------
* *Gambit's* ``enumpoly`` (pygambit) also enumerates supports and solves each polynomial system
  (by subdividing the support's box). pygambit is GPL-licensed and a large dependency; its
  stable 16.x release builds from source here (minutes), only a 17.0 beta ships a wheel for
  CPython 3.11 on x86_64 (and needs pandas). On random 4x4x4 games that 17.0 beta's
  ``enumpoly`` (default budget) found fewer equilibria than this module and none it missed. It
  stays optional: ``method="gambit"`` uses it when installed, and the tests compare with it after
  an ``.nfg`` round trip.
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

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import AnalysisError, ScenarioError, suggest

METHODS = ("auto", "pure", "support", "vertex", "lemke-howson", "polynomial", "gambit")
DEFAULT_OPTIONS: dict[str, Any] = {
    "tolerance": 1e-9,  # regret allowed, relative to max(1, max |payoff|)
    "support_limit": 4096,  # two players: support pairs up to which "auto" enumerates supports
    "max_supports": 200_000,  # three or more: support profiles examined at most
    "starts": 6,  # three or more: random starts per support, besides the centroid
    "seed": 0,
}
#: Two probability vectors closer than this (in every entry) are one equilibrium.
SAME = 1e-7


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One equilibrium: a probability vector per player, verified by best responses.

    ``payoffs[i]`` is player ``i``'s expected payoff, ``regret`` the largest gain any player
    could make by deviating (zero up to rounding), ``support[i]`` the actions player ``i`` plays.
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regret: float
    support: tuple[tuple[int, ...], ...] = field(repr=False)

    @property
    def pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The action of each player when the equilibrium is pure, else ``None``."""
        return tuple(s[0] for s in self.support) if self.pure else None

    def __repr__(self) -> str:
        if self.pure:
            what = f"pure {self.profile}"
        else:
            what = "mixed " + " x ".join(
                "[" + ", ".join(f"{p:.4g}" for p in x) + "]" for x in self.strategies
            )
        pay = ", ".join(f"{v:.4g}" for v in self.payoffs)
        return f"Equilibrium({what}; payoffs {pay})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategies": [x.tolist() for x in self.strategies],
            "payoffs": self.payoffs.tolist(),
            "pure": self.pure,
            "regret": self.regret,
        }


@dataclass(frozen=True, eq=False)
class NashResult(Sequence):
    """The equilibria of a game (a sequence of :class:`Equilibrium`) and how they were found.

    ``complete`` is true when the list provably holds every equilibrium (every extreme one, for
    a degenerate two-player game); ``degenerate`` flags games whose equilibria may form continua;
    ``message`` says both in words.
    """

    equilibria: tuple[Equilibrium, ...]
    method: str
    complete: bool
    degenerate: bool
    message: str
    shape: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, index):  # type: ignore[override]
        return self.equilibria[index]

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __repr__(self) -> str:
        kind = "degenerate, " if self.degenerate else ""
        whole = "complete" if self.complete else "not guaranteed complete"
        return (
            f"NashResult({len(self)} equilibria of a {'x'.join(map(str, self.shape))} game; "
            f"{kind}{whole}; method {self.method})"
        )

    @property
    def pure(self) -> tuple[Equilibrium, ...]:
        return tuple(eq for eq in self.equilibria if eq.pure)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "message": self.message,
            "equilibria": [eq.to_dict() for eq in self.equilibria],
        }


# ----------------------------------------------------------------------------------------------
# Payoff evaluation and verification


def _check_tensor(payoffs: Any) -> np.ndarray:
    u = np.asarray(payoffs, dtype=float)
    k = u.ndim - 1
    if k < 1 or u.shape[-1] != k:
        raise ScenarioError(
            f"a payoff tensor of k players has shape (A_1, ..., A_k, k); got {u.shape}",
            key="payoffs",
        )
    if 0 in u.shape:
        raise ScenarioError("every player needs at least one action", key="payoffs")
    if not np.isfinite(u).all():
        raise ScenarioError("payoffs must be finite numbers", key="payoffs")
    return u


def _contract(table: np.ndarray, strategies: Sequence[np.ndarray], keep: Sequence[int]):
    """``table`` (one axis per player) contracted with every strategy not in ``keep``."""
    out = table
    for j in range(len(strategies) - 1, -1, -1):
        if j not in keep:
            out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def action_values(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> list[np.ndarray]:
    """``v_i(a)``, the expected payoff of each action of each player against the others' mixed
    strategies (see the module docstring).

    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> [v.tolist() for v in action_values(pd, [np.array([1.0, 0]), np.array([0.5, 0.5])])]
    [[1.5, 3.0], [3.0, 5.0]]
    """
    u = np.asarray(payoffs, dtype=float)
    return [_contract(u[..., i], strategies, (i,)) for i in range(u.shape[-1])]


def regrets(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's gain from its best deviation, ``max_a v_i(a) - x_i . v_i`` (>= 0)."""
    values = action_values(payoffs, strategies)
    return np.array([v.max() - v @ x for v, x in zip(values, strategies, strict=True)])


def is_equilibrium(
    payoffs: np.ndarray, strategies: Sequence[np.ndarray], *, tolerance: float = 1e-9
) -> bool:
    """Whether ``strategies`` is a Nash equilibrium up to ``tolerance * max(1, max |payoffs|)``.

    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> is_equilibrium(pd, [np.array([0.0, 1]), np.array([0.0, 1])])
    True
    """
    u = _check_tensor(payoffs)
    return bool(regrets(u, strategies).max() <= tolerance * _scale(u))


def _scale(u: np.ndarray) -> float:
    return max(1.0, float(np.abs(u).max()))


def _equilibrium(u: np.ndarray, strategies: Sequence[Any], eps: float) -> Equilibrium | None:
    """The profile, cleaned (tiny or negative probabilities dropped, renormalised) and
    verified; ``None`` if it is not a probability profile or not an equilibrium."""
    cleaned = []
    for x in strategies:
        x = np.asarray(x, dtype=float).reshape(-1)
        if not np.isfinite(x).all() or x.min() < -1e-7:
            return None
        x = np.where(x < 1e-10, 0.0, x)
        total = x.sum()
        if total <= 0:
            return None
        cleaned.append(x / total)
    values = action_values(u, cleaned)
    expected = np.array([v @ x for v, x in zip(values, cleaned, strict=True)])
    regret = float(max(v.max() - e for v, e in zip(values, expected, strict=True)))
    if regret > eps:
        return None
    support = tuple(tuple(int(a) for a in np.flatnonzero(x)) for x in cleaned)
    for x in cleaned:
        x.flags.writeable = False
    return Equilibrium(tuple(cleaned), expected, max(regret, 0.0), support)


def _unique(found: list[Equilibrium]) -> tuple[Equilibrium, ...]:
    """Equilibria without near-duplicates, pure first, then by support size and values."""
    kept: list[Equilibrium] = []
    flat_kept: list[np.ndarray] = []
    for eq in found:
        flat = np.concatenate(eq.strategies)
        if any(np.abs(flat - other).max() <= SAME for other in flat_kept):
            continue
        kept.append(eq)
        flat_kept.append(flat)

    def order(eq: Equilibrium):
        return (
            not eq.pure,
            sum(len(s) for s in eq.support),
            tuple(-p for p in np.concatenate(eq.strategies)),
        )

    return tuple(sorted(kept, key=order))


# ----------------------------------------------------------------------------------------------
# Pure equilibria (any number of players)


def pure_equilibria(payoffs: np.ndarray, *, tolerance: float = 1e-9) -> list[tuple[int, ...]]:
    """Every pure equilibrium: each player's action is a best response to the others' actions
    (ties within ``tolerance * max(1, max |payoffs|)`` count as best).

    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> pure_equilibria(pd)
    [(1, 1)]
    """
    u = _check_tensor(payoffs)
    eps = tolerance * _scale(u)
    ok = np.ones(u.shape[:-1], dtype=bool)
    for i in range(u.shape[-1]):
        ok &= u[..., i] >= u[..., i].max(axis=i, keepdims=True) - eps
    return [tuple(int(a) for a in idx) for idx in np.argwhere(ok)]


def _pure_ties(u: np.ndarray, eps: float) -> bool:
    """Whether some player has two or more best responses to some pure profile of the others."""
    for i in range(u.shape[-1]):
        best = u[..., i] >= u[..., i].max(axis=i, keepdims=True) - eps
        if (best.sum(axis=i) > 1).any():
            return True
    return False


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
        ``"lemke-howson"``; any number: ``"polynomial"`` (support enumeration with a nonlinear
        solve, the ``"auto"`` choice for three or more players), ``"gambit"`` (pygambit's
        ``enummixed``/``enumpoly``, if installed).
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
    u = _check_tensor(payoffs)
    opts = _options(options)
    eps = opts["tolerance"] * _scale(u)
    if method not in METHODS:
        raise ScenarioError(f"unknown method '{method}'; {suggest(method, METHODS)}", key="method")
    k = u.shape[-1]
    if k == 1:
        return _one_player(u, eps)
    pure = [_equilibrium(u, _pure_profile(u.shape[:-1], p), eps) for p in pure_equilibria(u)]
    pure_found = [eq for eq in pure if eq is not None]
    if method == "pure":
        degenerate = _pure_ties(u, eps)
        msg = "pure equilibria only (every one of them)"
        return NashResult(_unique(pure_found), "pure", False, degenerate, msg, u.shape[:-1])
    if method == "gambit":
        return _with_message(_gambit(u, eps, pure_found))
    if k == 2 and method != "polynomial":
        from ._bimatrix import solve_bimatrix

        return _with_message(solve_bimatrix(u, eps, pure_found, method, opts))
    if method in ("vertex", "lemke-howson", "support") and k > 2:
        raise ScenarioError(
            f"method '{method}' is for two players; this game has {k} (use 'polynomial' or 'auto')",
            key="method",
        )
    from ._polynomial import solve_polynomial

    return _with_message(solve_polynomial(u, eps, pure_found, opts))


def _options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    opts = dict(DEFAULT_OPTIONS)
    for key, value in (options or {}).items():
        if key not in DEFAULT_OPTIONS:
            raise ScenarioError(
                f"unknown option '{key}'; {suggest(key, DEFAULT_OPTIONS)}", key=f"options.{key}"
            )
        opts[key] = value
    return opts


def _pure_profile(shape: tuple[int, ...], actions: tuple[int, ...]) -> list[np.ndarray]:
    out = []
    for n, a in zip(shape, actions, strict=True):
        x = np.zeros(n)
        x[a] = 1.0
        out.append(x)
    return out


def _one_player(u: np.ndarray, eps: float) -> NashResult:
    values = u[:, 0]
    best = np.flatnonzero(values >= values.max() - eps)
    found = [_equilibrium(u, _pure_profile(u.shape[:-1], (int(a),)), eps) for a in best]
    degenerate = len(best) > 1
    msg = "the best actions of the only player"
    if degenerate:
        msg += "; any mixture of them is optimal too"
    return NashResult(
        _unique([e for e in found if e]), "best-response", True, degenerate, msg, u.shape[:-1]
    )


@dataclass(frozen=True)
class Partial:
    """What a solver hands back before the result is assembled (internal)."""

    found: list[Equilibrium]
    method: str
    complete: bool
    degenerate: bool
    shape: tuple[int, ...]
    notes: tuple[str, ...] = ()


def _with_message(part: Partial) -> NashResult:
    eqs = _unique(part.found)
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

    from ..nfg import export_tensor_nfg

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
        eq = _equilibrium(u, strategies, max(eps, 1e-7 * _scale(u)))
        if eq is not None:
            found.append(eq)
    complete = len(shape) == 2
    return Partial(found, "gambit", complete, _pure_ties(u, eps), shape, ("solved by pygambit",))


def n_support_profiles(shape: Sequence[int]) -> int:
    """Number of support profiles of a game: ``prod_i (2^A_i - 1)``."""
    return math.prod(2**n - 1 for n in shape)
