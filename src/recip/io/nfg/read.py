"""Reading Gambit ``.nfg`` files (payoff and outcome versions) into payoff tensors."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ...core.errors import ScenarioError
from ...core.limits import MAX_ABS_PAYOFF, MAX_JOINT_ACTIONS, MAX_PAYOFF_ENTRIES
from ...core.text import echo
from ..files import read_text

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<text>"(?:[^"\\]|\\[\s\S])*")
  | (?P<open>")
  | (?P<brace>[{}])
  | (?P<comma>,)
  | (?P<number>[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<symbol>[^\s{}",]+)
    """,
    re.VERBOSE,
)


_QUOTED = re.compile(r'"(?:[^"\\]|\\[\s\S])*"|"')


@dataclass(frozen=True, eq=False)
class NfgGame:
    """A strategic game read from an ``.nfg`` file: labels as written and ``payoffs`` of shape
    ``(A_1, ..., A_k, k)`` (recip's tensor convention)."""

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    comment: str = ""


class _Tokens:
    """The tokens of an ``.nfg`` text, read one at a time (a file of millions of payoffs is
    never held as a list of tokens), with their position for error messages."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.text = text
        self.pos = 0  # where the next token is looked for
        self.last = 0  # where the last token taken started
        self._next: tuple[str, str, int] | None = None
        for m in _QUOTED.finditer(text):  # the first unclosed quote, before anything else
            if m.group() == '"':
                raise self.error("a quoted label is not closed", m.start())

    def _scan(self) -> tuple[str, str, int]:
        while self.pos < len(self.text):
            m = _TOKEN.match(self.text, self.pos)
            if m is None:  # unreachable: 'symbol' matches anything else
                raise self.error("unreadable text", self.pos)
            kind = m.lastgroup or "symbol"
            if kind == "open":
                raise self.error("a quoted label is not closed", self.pos)
            start, self.pos = self.pos, m.end()
            if kind != "space":
                return kind, m.group(), start
        return "end", "", len(self.text)

    def error(self, message: str, pos: int | None = None) -> ScenarioError:
        if pos is None:
            pos = self._peek_full()[2]
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return ScenarioError(f"line {line}, column {column}: {message}", file=self.source)

    def _peek_full(self) -> tuple[str, str, int]:
        if self._next is None:
            self._next = self._scan()
        return self._next

    def peek(self) -> tuple[str, str]:
        kind, value, _ = self._peek_full()
        return kind, value

    def advance(self) -> None:
        self.last = self._peek_full()[2]
        self._next = None

    def take(self, kind: str, what: str, value: str | None = None) -> str:
        got_kind, got, _ = self._peek_full()
        if got_kind != kind or (value is not None and got != value):
            shown = "the end of the file" if got_kind == "end" else echo(got, 40)
            raise self.error(f"expected {what}, found {shown}")
        self.advance()
        return got

    def number(self, what: str) -> float:
        """The next token as a payoff: finite and within the payoff bound."""
        token = self.take("number", what)
        value = _number(token)
        if value is None:
            raise self.error(
                f"{what} is {echo(token, 40)}, which is not a finite number within "
                f"±{MAX_ABS_PAYOFF:g} (MAX_ABS_PAYOFF)",
                self.last,
            )
        return value


def _number(token: str) -> float | None:
    """A Gambit number (integer, decimal, rational ``a/b``) as a float, or None when it is not
    finite or beyond :data:`MAX_ABS_PAYOFF` (decimals are read as Python reads them, which
    rounds exactly as reading the exact rational would)."""
    try:
        if "/" in token:
            num, den = token.split("/")
            if len(num) > 400 or len(den) > 400:  # far beyond any bounded payoff
                return None
            value = float(Fraction(int(num), int(den)))
        else:
            value = float(token)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if not math.isfinite(value) or abs(value) > MAX_ABS_PAYOFF:
        return None
    return value


def _unquote(token: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", token[1:-1])


def parse_nfg(text: str, *, source: str = "<text>") -> NfgGame:
    """Read ``.nfg`` text (payoff or outcome version) into an :class:`NfgGame`.

    >>> g = parse_nfg('NFG 1 R "Selten" { "P1" "P2" } { 3 2 } 1 1 0 2 0 2 1 1 0 3 2 0')
    >>> g.strategies, g.payoffs[:, :, 1].tolist()
    ((('1', '2', '3'), ('1', '2')), [[1.0, 1.0], [2.0, 3.0], [2.0, 0.0]])
    """
    tokens = _Tokens(text, source)
    tokens.take("symbol", "'NFG' (the file type)", "NFG")
    tokens.take("number", "the version number 1", "1")
    kind, value = tokens.peek()
    if kind != "symbol" or value not in ("R", "D"):
        raise tokens.error("expected the letter R after 'NFG 1'")
    tokens.advance()
    title = _unquote(tokens.take("text", "the game's title in double quotes"))
    tokens.take("brace", "'{' opening the list of players", "{")
    players = []
    while tokens.peek()[0] == "text":
        players.append(_unquote(tokens.take("text", "a player's name")))
    tokens.take("brace", "a player's name in double quotes or '}'", "}")
    if not players:
        raise tokens.error("the game has no players")
    strategies = _strategies(tokens, len(players))
    comment = _unquote(tokens.take("text", "")) if tokens.peek()[0] == "text" else ""
    shape = tuple(len(s) for s in strategies)
    k, n_profiles = len(players), math.prod(shape)
    _check_size(tokens, shape, k)
    kind, value = tokens.peek()
    if kind == "brace" and value == "{":
        outcomes = _outcomes(tokens, k)
        flat = np.zeros((n_profiles, k))
        for p in range(n_profiles):
            token = tokens.take("number", f"outcome number {p + 1} of {n_profiles}")
            index = int(token) if re.fullmatch(r"\+?\d{1,18}", token) else -1
            if not 0 <= index <= len(outcomes):
                shown = token if len(token) <= 20 else echo(token, 20)
                raise tokens.error(
                    f"outcome {shown} does not exist (the file defines "
                    f"{len(outcomes)}; 0 is the null outcome)",
                    tokens.last,
                )
            if index:
                flat[p] = outcomes[index - 1]
    elif kind == "number":
        flat = np.empty(n_profiles * k)
        for p in range(n_profiles * k):
            flat[p] = tokens.number(f"payoff {p + 1} of {n_profiles * k}")
        flat = flat.reshape(n_profiles, k)
    else:
        raise tokens.error("expected the outcomes ('{') or the payoffs (numbers)")
    if tokens.peek()[0] != "end":
        raise tokens.error(f"unexpected text after the {n_profiles} profiles of the game")
    payoffs = flat.reshape((*shape, k), order="F")
    return NfgGame(title, tuple(players), strategies, payoffs, comment)


def _check_size(tokens: _Tokens, shape: tuple[int, ...], k: int) -> None:
    """Refuse a game too large for recip before its payoffs are read or allocated."""
    n_profiles = math.prod(shape)
    if n_profiles > MAX_JOINT_ACTIONS or n_profiles * k > MAX_PAYOFF_ENTRIES:
        raise tokens.error(
            f"the game has {' x '.join(map(str, shape))} = {n_profiles:,} strategy profiles; "
            f"recip's limit is {MAX_JOINT_ACTIONS:,} (MAX_JOINT_ACTIONS) and "
            f"{MAX_PAYOFF_ENTRIES:,} payoffs in all (MAX_PAYOFF_ENTRIES)",
            0,
        )


def _strategies(tokens: _Tokens, k: int) -> tuple[tuple[str, ...], ...]:
    tokens.take("brace", "'{' opening the strategies", "{")
    out = []
    profiles = 1
    if tokens.peek()[0] == "number":
        for i in range(k):
            count = tokens.take("number", f"the number of strategies of player {i + 1}")
            if not re.fullmatch(r"\+?\d+", count) or int(count) < 1:
                raise tokens.error(
                    f"a number of strategies must be a positive integer, not {echo(count, 40)}",
                    tokens.last,
                )
            if len(count) > 9 or int(count) * profiles > MAX_JOINT_ACTIONS:
                raise tokens.error(
                    f"player {i + 1} has {count} strategies, which makes more than "
                    f"{MAX_JOINT_ACTIONS:,} strategy profiles (MAX_JOINT_ACTIONS)",
                    tokens.last,
                )
            profiles *= int(count)
            out.append(tuple(str(s) for s in range(1, int(count) + 1)))
    else:
        for i in range(k):
            tokens.take("brace", f"'{{' opening the strategies of player {i + 1}", "{")
            labels = []
            while tokens.peek()[0] == "text":
                labels.append(_unquote(tokens.take("text", "a strategy label")))
            tokens.take("brace", "a strategy label in double quotes or '}'", "}")
            if not labels:
                raise tokens.error(f"player {i + 1} has no strategies", tokens.last)
            profiles *= len(labels)
            if profiles > MAX_JOINT_ACTIONS:
                raise tokens.error(
                    f"the strategies up to player {i + 1} make more than {MAX_JOINT_ACTIONS:,} "
                    "strategy profiles (MAX_JOINT_ACTIONS)",
                    tokens.last,
                )
            out.append(tuple(labels))
    tokens.take("brace", f"'}}' closing the strategies of the {k} players", "}")
    return tuple(out)


def _outcomes(tokens: _Tokens, k: int) -> list[list[float]]:
    tokens.take("brace", "'{'", "{")
    outcomes = []
    while tokens.peek() == ("brace", "{"):
        tokens.advance()
        tokens.take("text", "the outcome's label in double quotes")
        pays = []
        for i in range(k):
            pays.append(tokens.number(f"the payoff of player {i + 1}"))
            if tokens.peek()[0] == "comma":
                tokens.advance()
        tokens.take("brace", f"'}}' after the {k} payoffs of an outcome", "}")
        outcomes.append(pays)
        if len(outcomes) * k > MAX_PAYOFF_ENTRIES:
            raise tokens.error(
                f"more than {MAX_PAYOFF_ENTRIES:,} payoffs in the outcomes (MAX_PAYOFF_ENTRIES)",
                tokens.last,
            )
    tokens.take("brace", "'{' opening an outcome or '}' closing the list", "}")
    return outcomes


def read_source(text_or_path: str | Path) -> tuple[str, str]:
    """The text of an ``.nfg`` game and where it came from: a path (read safely, see
    :func:`recip.io.files.read_text`) or the text itself: a string with a line break, or with a
    brace or quote that names no existing file."""
    if (
        isinstance(text_or_path, Path)
        or ("\n" not in text_or_path and os.path.lexists(text_or_path))
        or not any(c in text_or_path for c in '\n{"')
    ):
        path = Path(text_or_path)
        return read_text(path, "Gambit .nfg file"), str(path)
    return str(text_or_path), "<text>"
