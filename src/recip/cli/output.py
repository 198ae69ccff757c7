"""Everything the command line prints goes through this module.

A scenario file is data from someone else: its title, labels and names reach the terminal in
tables, sentences and error messages. :func:`say` is the one way text leaves recip (results,
notes, errors), and it shows control characters -- C0 except newline and tab, DEL, C1 (such as
the one-byte CSI ``\\x9b``), and the invisible bidirectional overrides -- as visible escapes
(``\\x1b``), so that no file can move the cursor, recolour, retitle or rewrite the terminal.
JSON keeps its syntax: the same characters become ``\\uXXXX`` escapes, which are valid JSON and
read back as the original text.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

#: Characters never written raw: C0 controls but tab and newline, DEL, C1 controls, and the
#: Unicode controls that reorder or hide text (bidirectional marks, embeddings, overrides,
#: isolates; line and paragraph separators).
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: Longest error message printed whole (so that the line, ``error: `` included, stays under 500
#: characters): beyond it, the middle is left out (the start names the file and the key, the end
#: says what would be valid).
MAX_ERROR = 490


def visible(text: str) -> str:
    """``text`` with every control character of :data:`CONTROL` replaced by a visible escape.

    >>> visible("red\\x1b[31m title\\x9b")
    'red\\\\x1b[31m title\\\\x9b'
    """
    return CONTROL.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_visible(text: str) -> str:
    """JSON text with the characters of :data:`CONTROL` written as ``\\uXXXX`` escapes (they
    can only occur inside strings: JSON's own whitespace is space, tab, newline and return)."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` (stdout, or stderr with ``err``) with its control characters made visible."""
    click.echo(visible(text), err=err, nl=nl)


def say_json(doc: Any) -> None:
    """Print a JSON document (for ``--json``)."""
    from ..io.results import dumps

    click.echo(json_visible(dumps(doc)), nl=False)


def one_line(message: str) -> str:
    """An error message as one line of at most :data:`MAX_ERROR` characters."""
    text = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
    if len(text) > MAX_ERROR:
        keep = (MAX_ERROR - 40) // 2
        left_out = len(text) - 2 * keep
        text = f"{text[:keep]} ... ({left_out} characters left out) ... {text[-keep:]}"
    return text


def say_error(message: str) -> None:
    """The one line of a failed command, on stderr."""
    say(f"error: {one_line(message)}", err=True)


def say_note(message: str) -> None:
    """A note on stderr: something true about the answer that the answer does not say."""
    say(f"note: {one_line(message)}", err=True)


def _numpy_floating_point(w: warnings.WarningMessage) -> bool:
    # numpy's floating-point warnings ("divide by zero encountered in ...") are raised at the
    # line of recip that did the arithmetic; recip checks its answers for inf/nan itself
    return issubclass(w.category, RuntimeWarning) and " encountered in " in str(w.message)


#: Warnings about the code rather than the answer (a library's deprecation seen at recip's line).
_ABOUT_CODE = (
    DeprecationWarning,
    PendingDeprecationWarning,
    FutureWarning,
    ImportWarning,
    ResourceWarning,
)


def _from_recip(w: warnings.WarningMessage) -> bool:
    if issubclass(w.category, _ABOUT_CODE):
        return False
    return "recip" in str(w.filename).replace("\\", "/").split("/")


@contextmanager
def captured_warnings(shown: set[str]) -> Iterator[list[warnings.WarningMessage]]:
    """Collect Python warnings raised during a command instead of letting them reach stderr raw.

    Afterwards, recip's own warnings are printed as ``note:`` lines (unless their text is in
    ``shown``: already printed with the result); numpy's floating-point warnings and other
    libraries' warnings (a glyph missing from a font) are dropped."""
    with warnings.catch_warnings(record=True) as caught:
        yield caught
    seen = set(shown)
    for w in caught:
        text = str(w.message)
        if _numpy_floating_point(w) or not _from_recip(w) or text in seen:
            continue
        seen.add(text)
        say_note(text)
