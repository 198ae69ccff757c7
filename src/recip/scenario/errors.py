"""Turn pydantic's validation errors into recip's one-line messages."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import ScenarioError, suggest

_TYPE_TAGS = {"str", "float", "int", "bool", "dict", "list", "none", "constrained-str"}


def _is_tag(part: Any, models: set[str]) -> bool:
    if not isinstance(part, str):
        return False
    return part in _TYPE_TAGS or part in models or "[" in part or "(" in part


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


def dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: dict, root: type[BaseModel], loc: tuple) -> str:
    kind = err["type"]
    given = err.get("input")
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        valid = _keys(model) if model else []
        return f"unknown key '{loc[-1]}'; {suggest(loc[-1], valid)}"
    if kind == "value_error":  # our own validators' messages are complete sentences
        return msg
    if kind == "missing":
        return "this required key is missing"
    if kind == "finite_number":
        return f"must be a finite number, not {given!r}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        words = re.findall(r"'([^']*)'", expected)
        if isinstance(given, str) and words:
            return f"must be {expected}, not {given!r}; {suggest(given, words)}"
        return f"must be {expected}, not {given!r}"
    if kind == "string_pattern_mismatch":
        return (
            f"{given!r} is not a valid name: start with a letter, then use letters, digits, "
            "'_' or '-'"
        )
    if kind in ("float_type", "int_type", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return f"must be {what}, not {given!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{msg.replace('Input should be', 'must be')} (got {given!r})"
    return f"{msg.replace('Input should be', 'must be')} (got {given!r})"


def _rank(err: dict, models: set[str]) -> tuple:
    loc = err["loc"]
    clean = [p for p in loc if not _is_tag(p, models)]
    given = err.get("input")
    type_mismatch = err["type"] in ("dict_type", "model_type", "model_attributes_type")
    if isinstance(given, dict):
        type_mismatch = type_mismatch or err["type"].endswith("_type")
    elif err["type"] in ("dict_type", "model_type"):
        type_mismatch = True
    return (len(clean), not type_mismatch)


def from_validation_error(
    exc: ValidationError, root: type[BaseModel], file: str | None, models: set[str]
) -> ScenarioError:
    """The most specific of pydantic's errors, as one :class:`ScenarioError`."""
    errors = exc.errors()
    best = max(errors, key=lambda e: _rank(e, models))
    loc = tuple(p for p in best["loc"] if not _is_tag(p, models))
    return ScenarioError(_describe(best, root, loc), file=file, key=dotted(loc) or None)
