"""Turn pydantic's validation errors into recip's one-line messages.

pydantic reports every alternative of a union and prefixes locations with tags of its own
(``constrained-float``, ``function-after[...]``, model names); its messages name Python types
and link to its website. None of that is for a user: the location is rebuilt by following the
input data (a part of the location that is not a key or position of the data is pydantic's), the
message is written in the scenario format's words, and a value is echoed in short.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_ABS_PAYOFF
from ..core.text import echo, kind_of
from .keys import format_key, item_name
from .schema import ONE_LINE

_TYPE_WORDS = {
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "a string",
    "bool_type": "true or false",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "list_type": "an array",
    "date_type": "a date (e.g. 2025-06-24, unquoted)",
    "date_from_datetime_parsing": "a date (e.g. 2025-06-24, unquoted)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "greater than or equal to"),
    "less_than_equal": ("le", "less than or equal to"),
    "greater_than": ("gt", "greater than"),
    "less_than": ("lt", "less than"),
}


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a (possibly Annotated/Optional/Union) annotation."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_members(arg))
        return out
    return [annotation]


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class a location points into, or None if it is not a model."""
    current: list[Any] = [root]
    for part in loc:
        nxt: list[Any] = []
        for ann in current:
            for member in _members(ann):
                origin = typing.get_origin(member)
                if isinstance(member, type) and issubclass(member, BaseModel):
                    field = _field(member, part)
                    if field is not None:
                        nxt.append(field.annotation)
                elif origin is dict:
                    nxt.append(typing.get_args(member)[1])
                elif origin is list and isinstance(part, int):
                    nxt.append(typing.get_args(member)[0])
        current = nxt
    for ann in current:
        for member in _members(ann):
            if isinstance(member, type) and issubclass(member, BaseModel):
                return member
    return None


def _field(model: type[BaseModel], name: Any):
    for fname, field in model.model_fields.items():
        if name in (fname, field.alias):
            return field
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def data_path(data: Any, loc: tuple, *, missing: bool = False) -> tuple[tuple, tuple]:
    """The parts of pydantic's ``loc`` that are keys or positions of ``data``: the location in
    the data (positions as ``int``) and the same location as keys print it (an array entry with
    an id by its id). With ``missing``, the last part (a key that is absent) is kept as well."""
    node = data
    raw: list[Any] = []
    named: list[Any] = []
    for depth, part in enumerate(loc):
        if isinstance(node, Mapping) and isinstance(part, str) and part in node:
            raw.append(part)
            named.append(part)
            node = node[part]
        elif (
            isinstance(node, Sequence)
            and not isinstance(node, str)
            and isinstance(part, int)
            and 0 <= part < len(node)
        ):
            raw.append(part)
            named.append(item_name(node, part))
            node = node[part]
        elif missing and depth == len(loc) - 1 and isinstance(part, str):
            raw.append(part)
            named.append(part)
    return tuple(raw), tuple(named)


def _bound(ctx: dict, key: str) -> str:
    value = ctx.get(key)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _describe(err: dict, root: type[BaseModel], raw: tuple, *, echo_input: bool = True) -> str:
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    shown = f", not {kind_of(given)}" if echo_input else ""
    if kind == "extra_forbidden":
        model = _model_at(root, raw[:-1])
        valid = _keys(model) if model else []
        return f"unknown key {echo(raw[-1])}; {suggest(str(raw[-1]), valid)}"
    if kind == "value_error":  # our own validators' messages are complete sentences
        return str(ctx.get("error") or err["msg"].removeprefix("Value error, "))
    if kind == "missing":
        return "this required key is missing"
    if kind == "finite_number":
        return f"must be a finite number{shown}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        words = re.findall(r"'([^']*)'", expected)
        if isinstance(given, str) and words and echo_input:
            return f"must be {expected}{shown}; {suggest(given, words)}"
        return f"must be {expected}{shown}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^[A-Za-z]"):
            return (
                f"{echo(given) if echo_input else 'this'} is not a valid name: start with a "
                "letter, then use letters, digits, '_' or '-'"
            )
        if pattern == ONE_LINE:
            return "must be one line, without control characters"
        return "must not contain control characters (line breaks and tabs are fine)"
    if kind == "string_too_long":
        length = f" ({len(given)} characters)" if isinstance(given, str) else ""
        return f"too long{length}: at most {ctx.get('max_length')} characters"
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]}{shown}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        got = f" (got {echo(given)})" if echo_input else ""
        if abs(ctx.get(key, 0)) == MAX_ABS_PAYOFF:
            return f"must be within ±{MAX_ABS_PAYOFF:g}, recip's payoff bound (MAX_ABS_PAYOFF){got}"
        return f"must be {words} {_bound(ctx, key)}{got}"
    if kind.endswith("_type"):
        return f"has the wrong type{shown}"
    # anything else: pydantic's first line, without its tags and links
    msg = str(err.get("msg", "is not valid")).splitlines()[0]
    msg = re.sub(r"\s*\[type=.*$|\s*For further information.*$", "", msg)
    return msg.replace("Input should be", "must be").replace("Input", "the value")


def _rank(err: dict, data: Any) -> tuple:
    raw, _ = data_path(data, err["loc"], missing=err["type"] == "missing")
    given = err.get("input")
    type_mismatch = err["type"] in ("dict_type", "model_type", "model_attributes_type")
    if isinstance(given, dict):
        type_mismatch = type_mismatch or err["type"].endswith("_type")
    return (len(raw), not type_mismatch)


def from_validation_error(
    exc: ValidationError,
    root: type[BaseModel],
    file: str | None,
    data: Any,
    *,
    prefix: tuple = (),
    echo_input: bool = True,
) -> ScenarioError:
    """The most specific of pydantic's errors about ``data`` (validated as ``root``), as one
    :class:`ScenarioError`. ``prefix`` is the key of ``data`` inside a larger file; with
    ``echo_input=False`` no value from the data is repeated (for files that are not the user's
    own scenario, such as a claim map)."""
    errors = exc.errors()
    best = max(errors, key=lambda e: _rank(e, data))
    raw, named = data_path(data, best["loc"], missing=best["type"] == "missing")
    message = _describe(best, root, raw, echo_input=echo_input)
    return ScenarioError(message, file=file, key=format_key((*prefix, *named)) or None)
