"""The strategy library: finite automata that work in any scenario.

>>> from recip import strategies
>>> strategies.names()[:3]
['aligning', 'always', 'balancing']
>>> strategies.get("aligning", tolerance=1.0).label
'aligning(tolerance=1)'
"""

from __future__ import annotations

import weakref
from typing import Any

from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from .base import Parameter, Strategy, reachable_part
from .custom import ScenarioAutomaton
from .memory_one import MemoryOne, ZeroDeterminant
from .reciprocity import Aligning, Balancing
from .simple import Always, Myopic, Random, WinStayLoseShift
from .trigger import GrimTrigger

LIBRARY: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (
        Balancing,
        Aligning,
        GrimTrigger,
        Always,
        Random,
        Myopic,
        WinStayLoseShift,
        MemoryOne,
        ZeroDeterminant,
    )
}
#: Keys a strategy table may carry besides its parameters.
SPEC_KEYS = ("name", "label", "claims", "note")

__all__ = [
    "LIBRARY",
    "Automaton",
    "Parameter",
    "Strategy",
    "compile_for",
    "describe",
    "get",
    "names",
    "parse",
]


def names() -> list[str]:
    """Names of the library's strategies, sorted."""
    return sorted(LIBRARY)


def describe() -> list[dict[str, Any]]:
    """Name, summary, source, parameters and metadata of every library strategy."""
    return [LIBRARY[n].describe() for n in names()]


def get(name: str, **params: Any) -> Strategy:
    """A library strategy by name (``"always:<action>"`` included), with parameters."""
    return parse({"name": name, **params})


def parse(spec: Any, automata: dict[str, Any] | None = None, *, key: str | None = None) -> Strategy:
    """A strategy from a spec: a name, ``"always:<action>"``, a table ``{name = ..., <params>}``,
    a scenario automaton's name, or a :class:`Strategy` (returned as is)."""
    if isinstance(spec, Strategy):
        return spec
    automata = automata or {}
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise ScenarioError(f"a strategy is a name or a table with a 'name'; got {spec!r}", key=key)
    name = spec["name"]
    params = {k: v for k, v in spec.items() if k not in SPEC_KEYS}
    if name.startswith("always:"):
        params = {"action": name.split(":", 1)[1], **params}
        name = "always"
    if name in automata:
        if params:
            raise ScenarioError(f"automaton '{name}' takes no parameters", key=key)
        return ScenarioAutomaton(name, automata[name], key=key)
    if name not in LIBRARY:
        valid = [*names(), "always:<action>", *automata]
        raise ScenarioError(f"unknown strategy '{name}'; {suggest(name, valid)}", key=key)
    return LIBRARY[name](key=key, **params)


#: Compiled automata by game (held while the game lives), player and strategy identity: loading
#: a scenario compiles its strategies to check them, and its setting then reuses them.
_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compile_for(game, player: str, strategy: Strategy) -> Automaton:
    """Compile ``strategy`` for ``player`` of ``game``, restricted to the memories it can reach
    (:func:`~recip.strategies.base.reachable_part`), once per game; errors name the strategy's
    key."""
    cache = _COMPILED.setdefault(game, {})
    key = (player, strategy.identity)
    if key in cache:
        return cache[key]
    try:
        automaton = strategy.compile(game, game.player_index(player))
    except ScenarioError as exc:
        if exc.key is None and strategy.key is not None:
            raise ScenarioError(exc.message, file=exc.file, key=strategy.key) from None
        raise
    cache[key] = reachable_part(automaton, game)
    return cache[key]
