"""Small helpers that put analysis results into words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def noise_text(noise: Mapping[str, float]) -> str:
    """Execution noise per player in words (one rate when every player shares it)."""
    noisy = {p: x for p, x in noise.items() if x > 0}
    if not noisy:
        return "no execution noise"
    if len(set(noisy.values())) == 1 and len(noisy) == len(noise):
        return f"execution noise {next(iter(noisy.values())):g}"
    return "execution noise " + ", ".join(f"{p} {x:g}" for p, x in noisy.items())


def number_text(x: float, digits: int = 4) -> str:
    """A number with ``digits`` significant digits (``0`` for zero)."""
    return "0" if x == 0 else f"{x:.{digits}g}"
