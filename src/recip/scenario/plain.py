"""Plain data as TOML gives it: read-only views that pickle, mutable copies, and a depth check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.errors import ScenarioError
from ..core.limits import MAX_NESTING


class FrozenTable(Mapping):
    """A read-only table (a TOML table of a loaded scenario) that pickles, unlike
    :class:`types.MappingProxyType`."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenTable({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a loaded scenario is read-only: use Scenario.with_overrides")

    def __reduce__(self):
        return (FrozenTable, (self._data,))


def freeze(value: Any) -> Any:
    """A read-only view of plain data: tables become :class:`FrozenTable`, arrays tuples."""
    if isinstance(value, dict):
        return FrozenTable({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain, mutable data again (the inverse of :func:`freeze`)."""
    kind = type(value)
    if kind is FrozenTable:  # the common case first: exact type tests are cheap, ABCs are not
        return {k: thaw(v) for k, v in value._data.items()}
    if kind is tuple or kind is list:
        return [thaw(v) for v in value]
    if kind in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_default(value: Any) -> Any:
    """For :func:`json.dumps` of frozen data: a table as its dict, anything else (a TOML date)
    as text."""
    return value._data if type(value) is FrozenTable else str(value)


def check_nesting(value: Any, *, file: str | None = None, key: str | None = None) -> None:
    """Refuse data nested deeper than :data:`MAX_NESTING` levels of arrays and tables (checked
    without recursion, before anything recursive walks the data)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            children = node.values()
        elif isinstance(node, list | tuple):
            children = node
        else:
            continue
        if depth > MAX_NESTING:
            raise ScenarioError(
                f"arrays and tables nest more than {MAX_NESTING} levels deep (MAX_NESTING); "
                "a scenario never needs that many",
                file=file,
                key=key,
            )
        stack.extend((child, depth + 1) for child in children)
