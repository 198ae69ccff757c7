"""Scenarios that extend another: ``base = "sindoor-2025"`` plus what changes.

A scenario file may name a *base*: a bundled scenario's name, or a file beside it (confined, like
a claim map, to the file's folder and its parent). The base is read (and its own base, up to
:data:`MAX_BASE_DEPTH` levels, never in a circle); then the file's tables are merged into it key
by key (a table merges, any other value -- a number, a string, an array such as ``payoffs`` --
replaces the base's), and finally the file's ``[changes]``, dotted keys as ``--set`` takes them
(``"payoffs.oil_revenue.russia" = 2``: a payoff term by its id), are applied. The result is
validated as one scenario, so that a mistake anywhere is reported with its key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import ScenarioError
from ..core.text import echo
from ..io.files import read_text
from . import bundled
from .overrides import apply

#: Most levels of scenarios extending scenarios.
MAX_BASE_DEPTH = 8
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")


def extend(
    data: dict,
    source: str,
    folder: Path | None,
    parse: Callable[[str, str], dict],
    chain: tuple[str, ...] = (),
) -> dict:
    """``data`` with its ``base`` merged in and its ``changes`` applied (``data`` itself when it
    names no base and no changes). ``parse(text, source)`` reads a TOML file's text."""
    if "base" not in data and "changes" not in data:
        return data
    data = dict(data)
    base = data.pop("base", None)
    changes = data.pop("changes", None)
    if base is not None:
        path = _locate(base, folder)
        key = str(path)
        if key in chain or key == source:
            raise ScenarioError(
                f"the scenarios extend each other in a circle: {' -> '.join([*chain, key])}",
                key="base",
            )
        if len(chain) >= MAX_BASE_DEPTH:
            raise ScenarioError(
                f"more than {MAX_BASE_DEPTH} levels of scenarios extending scenarios", key="base"
            )
        try:
            parent = extend(
                parse(read_text(path, "scenario file"), key),
                key,
                path.parent,
                parse,
                (*chain, source),
            )
        except ScenarioError as exc:
            raise exc.located(key) from None
        data = merge(parent, data)
    if changes is not None:
        if not isinstance(changes, dict):
            raise ScenarioError(
                "'changes' is a table of dotted keys and values, e.g. "
                '"payoffs.oil_revenue.russia" = 2',
                key="changes",
            )
        try:
            apply(data, list(changes.items()))
        except ScenarioError as exc:
            raise ScenarioError(exc.message, key=f"changes.{exc.key or ''}".rstrip(".")) from None
    return data


def merge(base: dict, top: dict) -> dict:
    """``top`` merged into ``base``: tables key by key, anything else replaced."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _locate(base: Any, folder: Path | None) -> Path:
    if not isinstance(base, str) or not base.strip():
        raise ScenarioError(
            f"'base' names the scenario this one extends: a bundled scenario's name or a file "
            f"beside this one, not {echo(base)}",
            key="base",
        )
    roots = [] if folder is None else [folder.resolve(), folder.resolve().parent]
    for root in roots:
        candidate = (root / base).resolve()
        if any(candidate.is_relative_to(r) for r in roots) and os.path.isfile(candidate):
            return candidate
    if _NAME.match(base):
        packaged = bundled.scenario_path(base)
        if packaged is not None:
            return Path(packaged)
    names = bundled.scenario_names()
    raise ScenarioError(
        f"base {echo(base)} is neither a bundled scenario ({', '.join(names)}) nor a file in "
        "this scenario's folder or its parent",
        key="base",
    )
