"""Dominance, iterated elimination and best responses in a finite game given as a payoff tensor
``u`` of shape ``(C_1, ..., C_k, k)`` (see :mod:`recip.questions.meta`). ``eps`` is the absolute
tolerance: differences within it are ties."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Dominance:
    """``dominant`` dominates ``dominated`` for ``player``: ``kind`` is ``"strict"`` or
    ``"weak"``. ``margin``: for strict dominance the smallest advantage over the others'
    profiles, for weak dominance the largest (it is never worse)."""

    player: str
    dominant: str
    dominated: str
    kind: str
    margin: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "dominant": self.dominant,
            "dominated": self.dominated,
            "kind": self.kind,
            "margin": self.margin,
        }


@dataclass(frozen=True)
class BestResponse:
    """``player``'s best candidates (``best``, ties within the tolerance) when the others play
    ``others`` (player -> candidate), with the value of each of its candidates."""

    player: str
    others: dict[str, str]
    best: tuple[str, ...]
    values: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "others": dict(self.others),
            "best": list(self.best),
            "values": dict(self.values),
        }


def _own_first(payoffs: np.ndarray, i: int, keep: Sequence[np.ndarray] | None = None):
    """Player ``i``'s payoffs as a matrix: rows its candidates, columns the others' profiles
    (restricted to ``keep[j]`` for every player ``j`` when given)."""
    u = payoffs[..., i]
    if keep is not None:
        u = u[np.ix_(*keep)]
    return np.moveaxis(u, i, 0).reshape(u.shape[i], -1)


def dominance(payoffs, players, labels, eps) -> list[Dominance]:
    """Every pair of candidates where one dominates the other by pure comparison: strictly
    (better by more than ``eps`` against every profile of the others) or weakly (never worse by
    more than ``eps``, better by more than ``eps`` somewhere)."""
    out = []
    for i, player in enumerate(players):
        m = _own_first(payoffs, i)
        for a, b in itertools.permutations(range(m.shape[0]), 2):
            diff = m[a] - m[b]
            if np.all(diff > eps):
                out.append(
                    Dominance(player, labels[i][a], labels[i][b], "strict", float(diff.min()))
                )
            elif np.all(diff >= -eps) and np.any(diff > eps):
                out.append(Dominance(player, labels[i][a], labels[i][b], "weak", float(diff.max())))
    return out


def mixture_dominates(m: np.ndarray, b: int, eps: float) -> bool:
    """Whether row ``b`` of ``m`` is strictly dominated by a mixture of the other rows: the
    linear programme max e s.t. sum_a x_a m[a, o] - m[b, o] >= e for every column o, x >= 0,
    sum x = 1, has e > eps."""
    others = [a for a in range(m.shape[0]) if a != b]
    if not others:
        return False
    n = len(others)
    # variables: x_1..x_n, e ; minimise -e
    c = np.zeros(n + 1)
    c[-1] = -1.0
    a_ub = np.hstack([-m[others].T, np.ones((m.shape[1], 1))])
    b_ub = -m[b]
    a_eq = np.append(np.ones(n), 0.0)[None, :]
    bounds = [(0, None)] * n + [(None, None)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[1.0], bounds=bounds, method="highs")
    return bool(res.status == 0 and -res.fun > eps)


def iterated(payoffs, labels, eps, *, strict: bool) -> tuple[tuple[str, ...], ...]:
    """Each player's candidates that survive iterated elimination: of strictly dominated ones
    (dominators may be mixtures; one candidate per round, the order does not matter), or, with
    ``strict=False``, of weakly dominated ones (pure dominators; every weakly dominated candidate
    of every player at once in each round, a convention since the order matters)."""
    k = payoffs.shape[-1]
    keep = [np.arange(payoffs.shape[i]) for i in range(k)]
    changed = True
    while changed:
        changed = False
        drop: list[set[int]] = [set() for _ in range(k)]
        for i in range(k):
            m = _own_first(payoffs, i, keep)
            for b in range(m.shape[0]):
                if strict:
                    dominated = mixture_dominates(m, b, eps)
                else:
                    dominated = any(
                        np.all(m[a] - m[b] >= -eps) and np.any(m[a] - m[b] > eps)
                        for a in range(m.shape[0])
                        if a != b
                    )
                if dominated:
                    drop[i].add(b)
                    if strict:
                        break  # one at a time: strict elimination is order-independent
            if strict and drop[i]:
                break
        for i in range(k):
            if drop[i] and len(drop[i]) < len(keep[i]):
                keep[i] = np.delete(keep[i], sorted(drop[i]))
                changed = True
    return tuple(tuple(labels[i][c] for c in keep[i]) for i in range(k))


def best_responses(payoffs, players, labels, eps) -> list[BestResponse]:
    """Each player's best candidates (within ``eps`` of the best) against every profile of the
    others' candidates."""
    out = []
    k = len(players)
    for i, player in enumerate(players):
        ranges = [range(payoffs.shape[j]) for j in range(k) if j != i]
        for others in itertools.product(*ranges):
            idx = list(others)
            idx.insert(i, slice(None))
            values = payoffs[(*idx, i)]
            best = np.flatnonzero(values >= values.max() - eps)
            out.append(
                BestResponse(
                    player=player,
                    others={
                        p: labels[j][o]
                        for (j, p), o in zip(
                            [(j, p) for j, p in enumerate(players) if j != i], others, strict=True
                        )
                    },
                    best=tuple(labels[i][b] for b in best),
                    values={c: float(v) for c, v in zip(labels[i], values, strict=True)},
                )
            )
    return out
