"""Writing plain data (tables, arrays, strings, numbers, booleans) as TOML, for files recip
writes for its users to read back (an automaton: ``[automata.<name>]``). Python's ``tomllib``
reads TOML but does not write it; this covers the plain values recip writes."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+")


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def string_text(text: str) -> str:
    """``text`` as a TOML basic string: quotes and backslashes escaped, and every control
    character (U+0000 to U+001F and U+007F, which TOML does not allow raw) as an escape."""
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def key_text(key: str) -> str:
    return key if _BARE.fullmatch(key) else string_text(key)


def value_text(value: Any) -> str:
    """One value as TOML writes it inline (tables as inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return string_text(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{key_text(str(k))} = {value_text(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def dumps(data: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """``data`` as TOML: plain values first, then each sub-table under its own header (arrays
    are written inline, one element a line when they hold tables)."""
    lines: list[str] = []
    tables = []
    for key, value in data.items():
        nested = isinstance(value, Mapping) and any(isinstance(v, Mapping) for v in value.values())
        if nested or (isinstance(value, Mapping) and value and not prefix):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            body = ",\n".join(f"  {value_text(v)}" for v in value)
            lines.append(f"{key_text(key)} = [\n{body},\n]")
        else:
            lines.append(f"{key_text(key)} = {value_text(value)}")
    out = []
    if lines:
        header = ["[" + ".".join(key_text(k) for k in prefix) + "]"] if prefix else []
        out.append("\n".join([*header, *lines]))
    for key, value in tables:
        out.append(dumps(value, (*prefix, key)).rstrip("\n"))
    return "\n\n".join(out) + "\n"
