"""Reading Gambit ``.nfg`` files (payoff and outcome versions) into payoff tensors."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ...core.errors import ScenarioError

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
    """The tokens of an ``.nfg`` text with their line and column, for error messages."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.items: list[tuple[str, str, int]] = []
        self.text = text
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:  # unreachable: 'symbol' matches anything else
                raise self.error("unreadable text", pos)
            kind = m.lastgroup or "symbol"
            if kind == "open":
                raise self.error("a quoted label is not closed", pos)
            if kind != "space":
                self.items.append((kind, m.group(), pos))
            pos = m.end()
        self.index = 0

    def error(self, message: str, pos: int | None = None) -> ScenarioError:
        if pos is None:
            pos = self.items[self.index][2] if self.index < len(self.items) else len(self.text)
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return ScenarioError(f"line {line}, column {column}: {message}", file=self.source)

    def peek(self) -> tuple[str, str]:
        if self.index < len(self.items):
            kind, value, _ = self.items[self.index]
            return kind, value
        return "end", ""

    def take(self, kind: str, what: str, value: str | None = None) -> str:
        got_kind, got = self.peek()
        if got_kind != kind or (value is not None and got != value):
            shown = "the end of the file" if got_kind == "end" else repr(got)
            raise self.error(f"expected {what}, found {shown}")
        self.index += 1
        return got


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
    tokens.index += 1
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
    kind, value = tokens.peek()
    if kind == "brace" and value == "{":
        outcomes = _outcomes(tokens, k)
        flat = np.zeros((n_profiles, k))
        for p in range(n_profiles):
            index = int(tokens.take("number", f"outcome number {p + 1} of {n_profiles}"))
            if not 0 <= index <= len(outcomes):
                tokens.index -= 1
                raise tokens.error(
                    f"outcome {index} does not exist (the file defines {len(outcomes)}; 0 is the "
                    "null outcome)"
                )
            if index:
                flat[p] = outcomes[index - 1]
    elif kind == "number":
        values = []
        for p in range(n_profiles * k):
            token = tokens.take("number", f"payoff {p + 1} of {n_profiles * k}")
            values.append(float(Fraction(token)))
        flat = np.array(values).reshape(n_profiles, k)
    else:
        raise tokens.error("expected the outcomes ('{') or the payoffs (numbers)")
    if tokens.peek()[0] != "end":
        raise tokens.error(f"unexpected text after the {n_profiles} profiles of the game")
    payoffs = flat.reshape((*shape, k), order="F")
    return NfgGame(title, tuple(players), strategies, payoffs, comment)


def _strategies(tokens: _Tokens, k: int) -> tuple[tuple[str, ...], ...]:
    tokens.take("brace", "'{' opening the strategies", "{")
    out = []
    if tokens.peek()[0] == "number":
        for i in range(k):
            count = tokens.take("number", f"the number of strategies of player {i + 1}")
            if not re.fullmatch(r"\+?\d+", count) or int(count) < 1:
                tokens.index -= 1
                raise tokens.error(f"a number of strategies must be a positive integer: {count}")
            out.append(tuple(str(s) for s in range(1, int(count) + 1)))
    else:
        for i in range(k):
            tokens.take("brace", f"'{{' opening the strategies of player {i + 1}", "{")
            labels = []
            while tokens.peek()[0] == "text":
                labels.append(_unquote(tokens.take("text", "a strategy label")))
            tokens.take("brace", "a strategy label in double quotes or '}'", "}")
            if not labels:
                tokens.index -= 1
                raise tokens.error(f"player {i + 1} has no strategies")
            out.append(tuple(labels))
    tokens.take("brace", f"'}}' closing the strategies of the {k} players", "}")
    return tuple(out)


def _outcomes(tokens: _Tokens, k: int) -> list[list[float]]:
    tokens.take("brace", "'{'", "{")
    outcomes = []
    while tokens.peek() == ("brace", "{"):
        tokens.index += 1
        tokens.take("text", "the outcome's label in double quotes")
        pays = []
        for i in range(k):
            pays.append(float(Fraction(tokens.take("number", f"the payoff of player {i + 1}"))))
            if tokens.peek()[0] == "comma":
                tokens.index += 1
        tokens.take("brace", f"'}}' after the {k} payoffs of an outcome", "}")
        outcomes.append(pays)
    tokens.take("brace", "'{' opening an outcome or '}' closing the list", "}")
    return outcomes


def read_source(text_or_path: str | Path) -> tuple[str, str]:
    if isinstance(text_or_path, Path) or not any(c in text_or_path for c in '\n{"'):
        path = Path(text_or_path)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ScenarioError(f"cannot read the file: {exc.strerror}", file=str(path)) from None
        except UnicodeDecodeError:
            raise ScenarioError(
                "not a text file (expected a Gambit .nfg file)", file=str(path)
            ) from None
    return str(text_or_path), "<text>"
