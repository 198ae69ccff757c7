"""Errors that are part of recip's interface.

A user's mistake raises :class:`ScenarioError` (exit code 2): one line naming the file, the key
and what would be valid. A failed analysis raises :class:`AnalysisError` (exit code 1). Anything
else escaping recip is a bug and is allowed to produce a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class RecipError(Exception):
    """Base class of recip's expected errors."""

    exit_code = 2


class ScenarioError(RecipError, ValueError):
    """Bad input: a scenario, a claim map, a strategy spec or a command-line value.

    ``file`` is the file (or ``"<text>"``/``"<dict>"``), ``key`` the dotted key inside it, and
    ``message`` says what is wrong and what would be valid.
    """

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        self.message = message
        self.file = file
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.key:
            where.append(f"key '{self.key}'")
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def located(self, file: str | None) -> ScenarioError:
        """The same error, attributed to ``file`` if it names none yet."""
        if self.file or not file:
            return self
        return ScenarioError(self.message, file=file, key=self.key)


class AnalysisError(RecipError, RuntimeError):
    """An analysis could not produce an answer (exit code 1)."""

    exit_code = 1


def suggest(name: str, valid: Iterable[str]) -> str:
    """A ``did you mean`` clause and the list of valid names, for error messages.

    >>> suggest("indai", ["russia", "india", "pakistan"])
    "did you mean 'india'? (valid: russia, india, pakistan)"
    """
    valid = list(valid)
    close = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
    listing = ", ".join(valid) if valid else "none"
    if close:
        return f"did you mean '{close[0]}'? (valid: {listing})"
    return f"valid: {listing}"
