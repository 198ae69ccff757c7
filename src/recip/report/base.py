"""Rendering by result type: one entry point, one header, one printer per result type.

:func:`recip.report.text.render` prints any :class:`~recip.model.result.Result` as a
:func:`page`: the header (:func:`header`: its title, ``Conditions: <the one sentence of
assumptions>`` and any overrides), then the body that the printer registered for its type
returns (:func:`body`, a :func:`functools.singledispatch` function), then its notes. A result
type without a printer of its own prints its one-line summary, so a new question appears in the
command line by itself.
"""

from __future__ import annotations

import json
import re
from functools import singledispatch
from typing import Any

from ..model.result import Result
from .tables import shorten, wrap

#: Longest title printed whole in a header (the full title is in the results document).
MAX_TITLE = 200
#: Longest override value printed whole in a header.
MAX_VALUE = 60


@singledispatch
def body(result: Result, *, verbose: bool = False) -> list[str]:
    """The lines that follow the header, by result type (default: the one-line summary)."""
    return [result.summary]


def header(result: Result, scenario: Any = None) -> list[str]:
    """The first lines of every printed result: title (and the scenario's name), the
    conditions, and the overrides applied to the scenario's file, if any; each wrapped to the
    width of a table (conditions between their clauses)."""
    title = shorten(result.title, MAX_TITLE)
    name = getattr(scenario, "name", None)
    if name and f"[{name}]" not in title:
        title += f"  [{shorten(name, MAX_TITLE)}]"
    lines = wrap(title)
    lines += wrap(f"Conditions: {result.conditions.text()}.", sep="; ")
    overrides = overrides_text(getattr(scenario, "overrides", ()))
    if overrides:
        lines += wrap(f"Overrides: {overrides}", sep=", ")
    return lines


def overrides_text(overrides) -> str:
    """``key=value, key=value`` for the overrides (pairs or a mapping) applied to a file."""
    items = overrides.items() if isinstance(overrides, dict) else overrides or ()
    return ", ".join(f"{key}={shorten(value_text(v), MAX_VALUE)}" for key, v in items)


def value_text(value: Any) -> str:
    """A value as a user would write it after ``--set KEY=``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str) and re.fullmatch(r"[\w.:+\-]+", value):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def notes(result: Result) -> tuple[str, ...]:
    """What the result notes about itself (its ``notes`` and ``warnings``, if it has them)."""
    out: list[str] = []
    for attr in ("notes", "warnings"):
        for note in getattr(result, attr, None) or ():
            if str(note) not in out:
                out.append(str(note))
    return tuple(out)


def page(result: Result, lines: list[str], scenario: Any = None) -> str:
    """The whole text of ``result``: :func:`header`, a blank line, ``lines`` (its body), then
    its notes (``note: ...``)."""
    out = [*header(result, scenario), "", *lines]
    out += [f"note: {n}" for n in notes(result)]
    return "\n".join(out).rstrip("\n")
