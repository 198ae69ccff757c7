"""Errors that are part of recip's interface.

A user's mistake raises :class:`ScenarioError` (exit code 2): one line naming the file, the key
and what would be valid. A failed analysis raises :class:`AnalysisError` (exit code 1). Anything
else escaping recip is a bug and is allowed to produce a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .text import ECHO_CHARS, echo

#: Most valid names a message lists (a scenario may declare thousands of states).
LISTED_NAMES = 24
#: Longest file name or key a message prints whole (both may come from a user).
WHERE_CHARS = 160
#: A quoted value in a message: what ``repr`` of a user's string gives.
_LONG = ECHO_CHARS + 20
_QUOTED = re.compile(rf"'([^'\n]{{{_LONG},}})'|\"([^\"\n]{{{_LONG},}})\"")


def _short_quotes(text: str) -> str:
    """``text`` with every long quoted value cut as :func:`~recip.core.text.echo` cuts it: a
    safety net for a message that quoted a user's value with ``!r`` instead of ``echo``."""
    return _QUOTED.sub(lambda m: echo(m.group(1) if m.group(1) is not None else m.group(2)), text)


def _short(text: str) -> str:
    return text if len(text) <= WHERE_CHARS else f"{text[:WHERE_CHARS]}... ({len(text)} characters)"


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
            where.append(" ".join(f"--set {_short(text)}" for text in self.overrides))
        elif self.file:
            where.append(_short(str(self.file)))
        if self.key:
            where.append(f"key '{_short(self.key)}'")
        prefix = ": ".join(where)
        message = _short_quotes(self.message)
        return f"{prefix}: {message}" if prefix else message

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
