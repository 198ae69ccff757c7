"""What every equilibrium solver shares: verified equilibria and their collection, payoff
evaluation of mixed profiles, pure equilibria.

A game of ``k`` players is a tensor ``payoffs`` of shape ``(A_1, ..., A_k, k)``; see
:mod:`recip.games.nash` for the definitions and what each solver guarantees.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError

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


def check_tensor(payoffs: Any) -> np.ndarray:
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


def contract(table: np.ndarray, strategies: Sequence[np.ndarray], keep: Sequence[int]):
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
    return [contract(u[..., i], strategies, (i,)) for i in range(u.shape[-1])]


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
    u = check_tensor(payoffs)
    return bool(regrets(u, strategies).max() <= tolerance * payoff_scale(u))


def payoff_scale(u: np.ndarray) -> float:
    return max(1.0, float(np.abs(u).max()))


def verified(u: np.ndarray, strategies: Sequence[Any], eps: float) -> Equilibrium | None:
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


def unique(found: list[Equilibrium]) -> tuple[Equilibrium, ...]:
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
    u = check_tensor(payoffs)
    eps = tolerance * payoff_scale(u)
    ok = np.ones(u.shape[:-1], dtype=bool)
    for i in range(u.shape[-1]):
        ok &= u[..., i] >= u[..., i].max(axis=i, keepdims=True) - eps
    return [tuple(int(a) for a in idx) for idx in np.argwhere(ok)]


def pure_ties(u: np.ndarray, eps: float) -> bool:
    """Whether some player has two or more best responses to some pure profile of the others."""
    for i in range(u.shape[-1]):
        best = u[..., i] >= u[..., i].max(axis=i, keepdims=True) - eps
        if (best.sum(axis=i) > 1).any():
            return True
    return False


@dataclass(frozen=True)
class Partial:
    """What a solver hands back before the result is assembled (internal)."""

    found: list[Equilibrium]
    method: str
    complete: bool
    degenerate: bool
    shape: tuple[int, ...]
    notes: tuple[str, ...] = ()


def pure_profile(shape: tuple[int, ...], actions: tuple[int, ...]) -> list[np.ndarray]:
    out = []
    for n, a in zip(shape, actions, strict=True):
        x = np.zeros(n)
        x[a] = 1.0
        out.append(x)
    return out


def n_support_profiles(shape: Sequence[int]) -> int:
    """Number of support profiles of a game: ``prod_i (2^A_i - 1)``."""
    return math.prod(2**n - 1 for n in shape)
