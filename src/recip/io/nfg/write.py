"""Writing Gambit ``.nfg`` files (outcome version): stage games and payoff tensors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np


def quote(text: str) -> str:
    """``text`` as a Gambit label: in double quotes, with ``\\`` and ``"`` escaped.

    >>> print(quote('a "quoted" word'))
    "a \\"quoted\\" word"
    """
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(value: Any) -> str:
    """A payoff as Gambit reads it exactly: an integer when whole, else the shortest decimal
    that round-trips the float (Gambit reads decimals as exact rationals).

    >>> number(3.0), number(-0.5), number(1e-20), number(Fraction(1, 3))
    ('3', '-0.5', '1e-20', '1/3')
    """
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"payoffs in an .nfg file must be finite, not {x}")
    if x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(x)


def export_tensor_nfg(
    title: str,
    players: Sequence[str],
    actions: Sequence[Sequence[str]],
    payoffs: Any,
    *,
    comment: str = "",
) -> str:
    """A game as an ``.nfg`` file (outcome version), the text Gambit itself would write.

    Parameters
    ----------
    title, players, actions
        The game's title, the players' labels, and each player's action labels.
    payoffs
        Tensor of shape ``(A_1, ..., A_k, k)``: ``payoffs[a_1, ..., a_k, i]`` is player ``i``'s
        payoff when each player ``j`` plays action ``a_j``.
    comment
        Optional free text stored in the file.

    Returns
    -------
    str
        The file's text: one outcome per profile, labelled with the profile's actions, listed
        (like the outcome indices) with the first player's action changing fastest.
    """
    u = np.asarray(payoffs, dtype=object if _is_exact(payoffs) else float)
    k = len(players)
    shape = tuple(len(a) for a in actions)
    if len(actions) != k or u.shape != (*shape, k):
        raise ValueError(
            f"{k} players with {shape} actions need payoffs of shape {(*shape, k)}, not {u.shape}"
        )
    lines = [f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in players)} }}", ""]
    strategy_lists = [f"{{ {' '.join(quote(a) for a in acts)} }}" for acts in actions]
    lines.append("{ " + "\n".join(strategy_lists))
    lines += ["}", quote(comment), "", "{"]
    profiles = _gambit_order(shape)
    for profile in profiles:
        label = " ".join(actions[i][a] for i, a in enumerate(profile))
        pays = ", ".join(number(u[(*profile, i)]) for i in range(k))
        lines.append(f"{{ {quote(label)} {pays} }}")
    lines.append("}")
    lines.append(" ".join(str(n) for n in range(1, len(profiles) + 1)))
    return "\n".join(lines) + "\n"


def _is_exact(payoffs: Any) -> bool:
    arr = np.asarray(payoffs, dtype=object)
    return any(isinstance(v, Fraction) for v in arr.reshape(-1))


def _gambit_order(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """All profiles, the first player's action changing fastest."""
    flat = np.arange(math.prod(shape))
    columns = np.unravel_index(flat, shape, order="F")
    return [tuple(int(c[p]) for c in columns) for p in range(len(flat))]
