"""Text from scenario files, fitted for a figure.

Matplotlib lays out whatever it is given: a title of a million characters stalls the layout, a
``$`` starts mathematics (and an unbalanced one fails), and a control character draws a
missing-glyph box. :func:`label` and :func:`paragraph` make any text safe and short enough.
"""

from __future__ import annotations

import re
import textwrap

#: Characters that are not drawn: control characters, and those that reorder text.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: Longest title drawn (characters, one line at the figure's width).
TITLE = 110
#: Longest label in a legend.
LEGEND = 60


def plain(text: str) -> str:
    """``text`` with no control characters, its ``$`` signs escaped (no mathtext), tabs and
    newlines as spaces."""
    text = _CONTROL.sub("?", str(text)).replace("\t", " ").replace("\n", " ")
    return text.replace("$", r"\$")


def label(text: str, width: int = TITLE) -> str:
    """One line of at most ``width`` characters (cut with ``...``).

    >>> label("a" * 200, 10)
    'aaaaaaa...'
    """
    text = str(text)
    if len(text) > width:
        text = text[: width - 3] + "..."
    return plain(text)


def paragraph(text: str, width: int, max_lines: int) -> str:
    """``text`` wrapped to lines of ``width`` characters, at most ``max_lines`` of them (the
    last ends with ``...`` when text is left out)."""
    # look at no more than the lines can hold: wrapping a megabyte would take a while too
    text = str(text)[: width * max_lines + 1]
    lines = textwrap.wrap(text, width, break_on_hyphens=False)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 3] + "..."
    return "\n".join(plain(line) for line in lines)
