"""Plain-text tables that fit a terminal: at most :data:`WIDTH` columns.

A table whose columns do not fit side by side is split into blocks of columns, one under the
other, each repeating the first column (the row labels), as a printed book continues a wide
table on the next page. A cell wider than a block can hold is shortened with ``...``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

#: Widest line of a table (characters).
WIDTH = 100
#: Spaces between columns.
GAP = 2
#: Widest first column (row labels): longer labels are shortened.
LABEL_WIDTH = 40


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending with ``...`` when cut.

    >>> shorten("balancing", 6)
    'bal...'
    """
    text = str(text)
    if len(text) <= width:
        return text
    return text[: max(width - 3, 0)] + "..." if width >= 4 else text[:width]


def wrap(text: str, *, sep: str = " ", width: int = WIDTH, indent: str = "    ") -> list[str]:
    """``text`` as lines of at most ``width`` characters, broken after ``sep`` where it can (so
    that a clause ending in ``;`` stays whole) and inside a part only when the part alone is too
    long; continuation lines start with ``indent``.

    >>> wrap("discount factor 0.9; no execution noise", sep="; ", width=25)
    ['discount factor 0.9;', '    no execution noise']
    """
    if not sep.strip():
        return textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
    lines: list[str] = []
    line = ""
    parts = text.split(sep)
    for k, part in enumerate(parts):
        piece = part + (sep.rstrip() if k < len(parts) - 1 else "")
        candidate = f"{line}{' ' if line else ''}{piece}"
        if len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = indent + piece
        if len(line) > width:
            chunks = textwrap.wrap(
                line, width, subsequent_indent=indent, break_on_hyphens=False
            ) or [line]
            lines += chunks[:-1]
            line = chunks[-1]
    lines.append(line)
    return lines


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, width: int = WIDTH) -> str:
    """``rows`` under ``header``: the first column left-aligned, the others right-aligned,
    separated by a rule, in blocks of columns no wider than ``width``.

    >>> print(table(["policy", "value"], [["a", "1.0"], ["bb", "22.5"]]))
    policy  value
    ------  -----
    a         1.0
    bb       22.5
    """
    label_width = min(max(len(r[0]) for r in [header, *rows]), LABEL_WIDTH)
    room = max(width - label_width - GAP, 8)
    cols = [[shorten(r[c], room) for r in [header, *rows]] for c in range(1, len(header))]
    widths = [max(len(x) for x in col) for col in cols]
    labels = [shorten(r[0], label_width) for r in [header, *rows]]
    blocks: list[list[int]] = [[]]
    used = label_width
    for c, w in enumerate(widths):
        if blocks[-1] and used + GAP + w > width:
            blocks.append([])
            used = label_width
        blocks[-1].append(c)
        used += GAP + w
    out = []
    for b, block in enumerate(blocks):
        if b:
            out.append("")
        for r, label in enumerate(labels):
            cells = [label.ljust(label_width)] + [cols[c][r].rjust(widths[c]) for c in block]
            out.append((" " * GAP).join(cells).rstrip())
            if r == 0:
                rule = ["-" * label_width] + ["-" * widths[c] for c in block]
                out.append((" " * GAP).join(rule))
    return "\n".join(out)
