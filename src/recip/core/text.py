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


#: Longest echo of a user's value in a message (characters, before the note of its length).
ECHO_CHARS = 60


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """A user's value as a message quotes it: its ``repr`` (which escapes control characters),
    cut to ``limit`` characters with a note of the full length; TOML's ``true``/``false``.

    Every message that repeats a value a user gave goes through this function, so that a
    megabyte of input never comes back whole.

    >>> echo("support"), echo(True), echo(2.5)
    ("'support'", 'true', '2.5')
    >>> echo("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (1000 characters)"
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value)} characters)"
    text = repr(value)
    if len(text) <= limit:
        return text
    return text[:limit] + "..."


def kind_of(value: object) -> str:
    """What a value is, in the words of the scenario format (for "must be X, not Y" messages):
    a table or an array by its kind, anything else by :func:`echo`.

    >>> kind_of({"a": 1}), kind_of([1, 2]), kind_of("x")
    ('a table', 'an array', "'x'")
    """
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    return echo(value)
