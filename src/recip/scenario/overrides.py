"""Dotted overrides: changing a scenario's values by key, and blaming the right override.

A key follows :mod:`recip.scenario.keys` (``payoffs.oil_revenue.russia``, ``payoffs[0].row``,
``payoffs.0.row``). Setting a number where the file has an uncertain value sets its nominal
``value``; setting a parameter of a strategy given by name turns the name into a table.

When the changed scenario is invalid, the error is the override's, not the file's: it names the
override (``--set strategies.india.tolerance=5: ...``), so that a user is not sent to a bundled
file they never wrote. :func:`attribute` picks the override whose key lies on the same path as
the error's key; when none does (an override that breaks something elsewhere, e.g. a focal
player whose policies no longer fit), it names every override of the call.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_NESTING
from ..core.text import echo
from .keys import Part, format_key, is_within, item_names, named_parts, parse_key, printed
from .plain import check_nesting
from .schema import UncertainValue

_SIMPLE = re.compile(r"^[A-Za-z0-9_.:+\-]+$")
#: The keys of an uncertain value (``horizon.discount.low`` sets a range, not a player's entry).
_UNCERTAIN_KEYS = frozenset(UncertainValue.model_fields)
#: Longest echo of an override's value in a message.
VALUE_CHARS = 60


@dataclass(frozen=True)
class Applied:
    """One override as applied: its key as given, its parts (positions as ``int``) and the
    ``KEY=VALUE`` text that messages quote."""

    key: str
    parts: tuple[Part, ...]
    text: str


def value_text(value: Any, budget: int = VALUE_CHARS) -> str:
    """A value as an override would write it (TOML-like), cut to about ``budget`` characters.

    >>> value_text(0.95), value_text("aligning"), value_text({"name": "aligning", "tolerance": 1})
    ('0.95', 'aligning', '{ name = aligning, tolerance = 1 }')
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = value if _SIMPLE.match(value[:budget]) else json.dumps(value[:budget])
        if len(value) > budget:
            text = text[:budget] + f"... ({len(value)} characters)"
    elif isinstance(value, Mapping):
        items = []
        for k, v in list(value.items())[:8]:
            items.append(f"{echo(k, 30)[1:-1] if isinstance(k, str) else k} = {value_text(v, 30)}")
        text = "{ " + ", ".join(items) + (", ..." if len(value) > 8 else "") + " }"
    elif isinstance(value, list | tuple):
        items = [value_text(v, 30) for v in list(value)[:8]]
        text = "[" + ", ".join(items) + (", ..." if len(value) > 8 else "") + "]"
    else:
        text = echo(value, budget)
    return text if len(text) <= 2 * budget else text[: 2 * budget] + "..."


def toml_value(text: str) -> Any:
    """A value as a command line gives it: read as TOML (``0.95``, ``"aligning"``, ``[1, 2]``,
    ``{ name = "aligning", tolerance = 1 }``), or the text itself when it is not TOML (a bare
    word such as ``aligning``). Nesting deeper than :data:`MAX_NESTING` is refused before it
    can exhaust the parser's recursion.

    >>> toml_value("0.95"), toml_value("aligning"), toml_value('{ name = "aligning" }')
    (0.95, 'aligning', {'name': 'aligning'})
    """
    try:
        document = tomllib.loads(f"v = {text}")
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        raise ScenarioError(
            f"the value nests arrays or tables too deeply; recip's limit is {MAX_NESTING} levels"
        ) from None
    if set(document) != {"v"}:
        raise ScenarioError(f"one value per option, not several lines: {echo(text)}")
    check_nesting(document["v"])
    return document["v"]


def parse_set(item: str) -> tuple[str, Any]:
    """One ``--set KEY=VALUE`` argument: its key and its value (:func:`toml_value`).

    >>> parse_set("payoffs[0].row=1")
    ('payoffs[0].row', 1)
    """
    if not isinstance(item, str) or "=" not in item:
        raise ScenarioError(
            f"--set expects KEY=VALUE, e.g. horizon.discount=0.95; got {echo(item)}", key="--set"
        )
    key, raw = item.split("=", 1)
    if raw.startswith("@"):
        return key.strip(), table_file(raw[1:], key.strip())
    try:
        return key.strip(), toml_value(raw)
    except ScenarioError as exc:
        raise ScenarioError(
            exc.message, file="--set", key=key.strip()[:80], overrides=(f"{key.strip()[:80]}=...",)
        ) from None


def table_file(path: str, key: str) -> dict[str, Any]:
    """The table in the TOML file ``path``, for ``--set KEY=@PATH`` (e.g. an automaton recip
    wrote: ``--set automata.india_best=@india-best-response.toml``)."""
    from ..io.files import read_text

    if not path:
        raise ScenarioError(
            "--set KEY=@PATH needs the path of a TOML file after '@'", file="--set", key=key[:80]
        )
    text = read_text(path, "TOML file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=path) from None
    except RecursionError:
        raise ScenarioError(
            f"arrays and tables nest too deeply (more than {MAX_NESTING} levels)", file=path
        ) from None


def changes_of(overrides: Any, kw: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The ``(key, value)`` pairs of :meth:`~recip.Scenario.with_overrides`' arguments."""
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, Mapping):
        raise ScenarioError(
            "overrides are a mapping of dotted keys to values, e.g. "
            f"{{'horizon.discount': 0.95}}; got {echo(overrides)}",
            key="overrides",
        )
    changes = list(overrides.items())
    changes += [(k.replace("__", "."), v) for k, v in kw.items()]
    return changes


def apply(data: dict, changes: list[tuple[str, Any]]) -> list[Applied]:
    """Set every ``(key, value)`` of ``changes`` in ``data`` (plain, mutable data), in order."""
    applied = []
    for key, value in changes:
        text = f"{echo(key, 80)[1:-1] if isinstance(key, str) else echo(key)}={value_text(value)}"
        try:
            parts = parse_key(key)
            check_nesting(value)
            # a copy: a later key may set inside this value, and the caller's object is theirs
            positions = _set(data, parts, copy.deepcopy(value))
        except ScenarioError as exc:
            raise ScenarioError(exc.message, file="--set", key=exc.key, overrides=(text,)) from None
        applied.append(Applied(key, positions, text))
    return applied


def _set(data: dict, parts: tuple[Part, ...], value: Any) -> tuple[Part, ...]:
    """Set ``value`` at ``parts``; return the parts with every array entry as its position."""
    node: Any = data
    resolved: list[Part] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = format_key([*named_parts(data, resolved), part])
        if isinstance(node, list):
            index = _index(node, part, format_key(named_parts(data, resolved)))
            resolved.append(index)
            if last:
                node[index] = _merge(node[index], value)
            else:
                node = node[index]
        elif isinstance(node, dict):
            if isinstance(part, int):
                raise ScenarioError(
                    f"'{format_key(named_parts(data, resolved))}' is a table: name one of its "
                    f"keys, not a position; {suggest(str(part), [str(k) for k in node])}",
                    key=here,
                )
            resolved.append(part)
            if last:
                node[part] = _merge(node.get(part), value)
            elif part not in node or node[part] is None:
                node[part] = {}
                node = node[part]
            else:
                if isinstance(node[part], str) and resolved[:-1] == ["strategies"]:
                    node[part] = {"name": node[part]}  # a strategy given by name gains parameters
                elif resolved == ["horizon", "discount"]:
                    node[part] = _discount_table(data, node[part], parts[depth + 1])
                node = node[part]
        else:
            above = format_key(named_parts(data, resolved))
            raise ScenarioError(
                f"cannot set '{format_key(parts)}': '{above}' is a single value; set "
                f"'{above}' itself (to a table, where the format allows one)",
                key=format_key(parts),
            )
    return tuple(resolved)


def _discount_table(data: dict, discount: Any, below: Part) -> Any:
    """Setting one player's discount factor (``horizon.discount.india``) where the file writes
    one for all: that one becomes a table that gives it to every player -- a number, or a copy
    of the uncertain value for each (each then an uncertain input of its own) -- and the key
    then sets that player's entry. ``below`` is the next part of the key: one of an uncertain
    value's keys (``horizon.discount.low``) is not a player, and changes nothing here."""
    players = data.get("players")
    names = list(players) if isinstance(players, list | dict) else []
    if below in _UNCERTAIN_KEYS or not names or not all(isinstance(p, str) for p in names):
        return discount
    number = isinstance(discount, int | float) and not isinstance(discount, bool)
    uncertain = isinstance(discount, dict) and set(discount) & _UNCERTAIN_KEYS
    if number or uncertain:
        return {p: copy.deepcopy(discount) for p in names}
    return discount


def _index(node: list, part: Part, where: str) -> int:
    if isinstance(part, int):
        if part < len(node):
            return part
        raise ScenarioError(
            f"no entry [{part}]: '{where}' has {len(node)} "
            f"entr{'y' if len(node) == 1 else 'ies'} (positions 0 to {len(node) - 1})"
            if node
            else f"no entry [{part}]: '{where}' is empty",
            key=f"{where}[{part}]",
        )
    names = item_names(node)
    if part in names:
        return names.index(part)
    ids = [n for n in names if isinstance(n, str)]
    valid = ids or [f"{i}" for i in range(len(node))]
    raise ScenarioError(f"no entry '{part}'; {suggest(part, valid)}", key=f"{where}.{part}")


def _merge(old: Any, new: Any) -> Any:
    if (
        isinstance(old, dict)
        and "value" in old
        and isinstance(new, int | float)
        and not isinstance(new, bool)
    ):
        return {**old, "value": new}
    return new


def attribute(exc: ScenarioError, data: Any, applied: list[Applied], source: str) -> ScenarioError:
    """``exc``, raised while checking ``data`` after ``applied``, as the overrides' error.

    Errors about another file (a claim map) stay as they are."""
    if not applied or exc.overrides or exc.file not in (None, source):
        return exc
    error_parts = printed(data, exc.key)
    matched = []
    for override in applied:
        parts = named_parts(data, override.parts)
        if error_parts is not None and (
            is_within(error_parts, parts) or is_within(parts, error_parts)
        ):
            matched.append(override)
    chosen = matched[-1:] or applied
    return ScenarioError(
        exc.message, file="--set", key=exc.key, overrides=tuple(o.text for o in chosen)
    )
