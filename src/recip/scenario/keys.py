"""Dotted keys: the one way recip names a place in a scenario file.

Overrides (``--set KEY=VALUE``, :meth:`~recip.Scenario.with_overrides`), the keys of uncertain
values (``Game.parameters``), claim maps' ``informs`` lists and every error message use the same
dialect:

* names of tables are joined by dots: ``horizon.discount``, ``strategies.india.tolerance``;
* an entry of an array is named by position in brackets, ``history[0].actions.india``,
  ``tables.round.row[1][0]``; a position may also be written as a dotted number on input
  (``history.0.actions.india``), which needs no quoting in a shell;
* a payoff term with an ``id`` is named by it, ``payoffs.oil_revenue.russia``; one without an id
  by its position, ``payoffs[3].russia`` (or ``payoffs.3.russia``).

Messages print the first spelling of each: brackets for positions, the id where there is one.

>>> parse_key("payoffs[0].row"), parse_key("payoffs.0.row")
(('payoffs', 0, 'row'), ('payoffs', 0, 'row'))
>>> format_key(("tables", "round", "row", 1, 0))
'tables.round.row[1][0]'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.errors import ScenarioError
from ..core.text import echo

Part = str | int

_SEGMENT = re.compile(r"([A-Za-z0-9_\-]+)((?:\[\d+\])*)")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
#: Longest key accepted (a path into a file is short; a long one is a mistake or an attack).
MAX_KEY_CHARS = 300
EXAMPLE = "e.g. horizon.discount, strategies.india.tolerance, payoffs[0].row or payoffs.0.row"


def parse_key(key: Any) -> tuple[Part, ...]:
    """The parts of a dotted key: names as ``str``, positions as ``int``.

    A part made of digits only is a position (names start with a letter). Anything else is a
    :class:`ScenarioError` that says how keys are written."""
    if not isinstance(key, str):
        raise ScenarioError(f"a key is a dotted path of names ({EXAMPLE}); got {echo(key)}")
    if len(key) > MAX_KEY_CHARS:
        raise ScenarioError(
            f"the key is {len(key)} characters long; keys are at most {MAX_KEY_CHARS}"
        )
    parts: list[Part] = []
    for segment in key.strip().split("."):
        m = _SEGMENT.fullmatch(segment)
        if m is None:
            raise ScenarioError(
                f"not a valid key: {echo(key)}; write names joined by '.', with positions as "
                f"[0] or .0 ({EXAMPLE})"
            )
        name, brackets = m.groups()
        parts.append(int(name) if name.isdigit() else name)
        parts.extend(int(i) for i in re.findall(r"\d+", brackets))
    if isinstance(parts[0], int):
        raise ScenarioError(f"a key starts with a name, not a position ({EXAMPLE})")
    return tuple(parts)


def format_key(parts: Sequence[Part]) -> str:
    """A key as messages print it: ``a.b[3].c``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _ident(item: Any) -> Any:
    return item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)


def item_names(items: Sequence[Any]) -> list[Part]:
    """How each entry of an array is named in a key: its ``id`` when it has a valid one that no
    other entry shares (payoff terms), else its position. One pass over the array."""
    idents = [_ident(item) for item in items]
    counts: dict[str, int] = {}
    for ident in idents:
        if isinstance(ident, str):
            counts[ident] = counts.get(ident, 0) + 1
    return [
        ident if isinstance(ident, str) and counts[ident] == 1 and _NAME.match(ident) else index
        for index, ident in enumerate(idents)
    ]


def item_name(items: Sequence[Any], index: int) -> Part:
    """The name of entry ``index`` of an array in a key (see :func:`item_names`)."""
    if not 0 <= index < len(items):
        return index
    ident = _ident(items[index])
    unique = isinstance(ident, str) and sum(_ident(other) == ident for other in items) == 1
    return ident if unique and _NAME.match(ident) else index


def named_parts(data: Any, parts: Sequence[Part]) -> tuple[Part, ...]:
    """``parts`` with every position of an entry that has an id replaced by the id, following
    ``data`` (plain data as TOML gives); parts beyond what ``data`` holds are kept as they are.

    >>> named_parts({"payoffs": [{"id": "oil", "russia": 1}]}, ("payoffs", 0, "russia"))
    ('payoffs', 'oil', 'russia')
    """
    out: list[Part] = []
    node = data
    for part in parts:
        if isinstance(node, Sequence) and not isinstance(node, str):
            index = _position(node, part)
            if index is None:
                out.append(part)
                node = None
                continue
            out.append(item_name(node, index))
            node = node[index]
        elif isinstance(node, Mapping) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        else:
            out.append(part)
            node = None
    return tuple(out)


def _position(items: Sequence[Any], part: Part) -> int | None:
    if isinstance(part, int):
        return part if part < len(items) else None
    names = item_names(items)
    return names.index(part) if part in names else None


def printed(data: Any, key: str | None) -> tuple[Part, ...] | None:
    """The parts of a printed key (as an error message has it), or None if it is not one."""
    if key is None:
        return None
    try:
        return named_parts(data, parse_key(key))
    except ScenarioError:
        return None


def is_within(inner: Sequence[Part], outer: Sequence[Part]) -> bool:
    """Whether the key ``inner`` lies at or below ``outer``."""
    return len(inner) >= len(outer) and tuple(inner[: len(outer)]) == tuple(outer)
