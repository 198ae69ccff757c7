"""Errors that are part of recip's interface.

A user's mistake raises :class:`ScenarioError` (exit code 2): one line naming the file, the key
and what would be valid. A failed analysis raises :class:`AnalysisError` (exit code 1). Anything
else escaping recip is a bug and is allowed to produce a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .text import echo

#: Most valid names a message lists (a scenario may declare thousands of states).
LISTED_NAMES = 24


class RecipError(Exception):
    """Base class of recip's expected errors."""

    exit_code = 2


class ScenarioError(RecipError, ValueError):
    """Bad input: a scenario, a claim map, a strategy spec or a command-line value.

    ``file`` is the file (or ``"<text>"``/``"<dict>"``, or ``"--set"`` for an override), ``key``
    the dotted key inside it, and ``message`` says what is wrong and what would be valid.
    ``overrides`` are the overrides (``KEY=VALUE`` texts) that caused the error, when it was an
    override's value rather than the file that was wrong: the message then starts with them.

    >>> print(ScenarioError("must be in [0, 1]", file="pd.toml", key="noise.execution"))
    pd.toml: key 'noise.execution': must be in [0, 1]
    >>> print(ScenarioError("must be in [0, 1]", file="--set", key="noise.execution",
    ...                     overrides=("noise.execution=5",)))
    --set noise.execution=5: key 'noise.execution': must be in [0, 1]
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        overrides: tuple[str, ...] = (),
    ):
        self.message = message
        self.file = file
        self.key = key
        self.overrides = tuple(overrides)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.overrides:
            where.append(" ".join(f"--set {text}" for text in self.overrides))
        elif self.file:
            where.append(str(self.file))
        if self.key:
            where.append(f"key '{self.key}'")
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __reduce__(self):
        return (_rebuild, (self.message, self.file, self.key, self.overrides))

    def located(self, file: str | None) -> ScenarioError:
        """The same error, attributed to ``file`` if it names none yet."""
        if self.file or not file:
            return self
        return ScenarioError(self.message, file=file, key=self.key, overrides=self.overrides)


def _rebuild(message, file, key, overrides) -> ScenarioError:
    return ScenarioError(message, file=file, key=key, overrides=overrides)


class AnalysisError(RecipError, RuntimeError):
    """An analysis could not produce an answer (exit code 1)."""

    exit_code = 1


def suggest(name: str, valid: Iterable[str]) -> str:
    """A ``did you mean`` clause and the list of valid names, for error messages (at most
    :data:`LISTED_NAMES` of them, and the name echoed in short).

    >>> suggest("indai", ["russia", "india", "pakistan"])
    "did you mean 'india'? (valid: russia, india, pakistan)"
    """
    valid = [str(v) for v in valid]
    close = difflib.get_close_matches(str(name)[:200], valid, n=1, cutoff=0.6)
    shown = valid[:LISTED_NAMES]
    listing = ", ".join(shown) if shown else "none"
    if len(valid) > len(shown):
        listing += f", ... ({len(valid)} in all)"
    if close:
        return f"did you mean {echo(close[0])}? (valid: {listing})"
    return f"valid: {listing}"
