"""Reading the text files a user names (scenarios, claim maps, ``.nfg`` games) safely.

A file named on a command line or inside a scenario may be anything: a folder, a FIFO that would
block a reader forever, a symbolic link that loops, a device, a huge or binary file. Each is
refused with one line saying what is wrong with it, before more than its size is read. A UTF-8
byte-order mark (as some Windows editors write) is accepted and dropped.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..core.errors import ScenarioError
from ..core.limits import MAX_FILE_BYTES

_BOM = "\ufeff"


def _megabytes(n: int) -> str:
    return f"{n / 1024**2:.0f} MB" if n >= 1024**2 else f"{n} bytes"


def check_file(path: Path, what: str) -> os.stat_result:
    """The ``stat`` of ``path`` if it is a regular file recip may read, else a
    :class:`ScenarioError` that says what it is instead (nothing is opened)."""
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise ScenarioError(
                "a symbolic link to a file that does not exist", file=source
            ) from None
        raise ScenarioError(f"no such file (expected a {what})", file=source) from None
    except OSError as exc:
        raise ScenarioError(_os_reason(exc, what), file=source) from None
    except ValueError:  # an embedded NUL byte
        raise ScenarioError("not a valid file name", file=source) from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise ScenarioError(f"this is a folder, not a {what}", file=source)
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
        )
        raise ScenarioError(f"this is {kind}, not a {what}: recip reads regular files", file=source)
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"the file is {_megabytes(info.st_size)}; recip reads files of at most "
            f"{_megabytes(MAX_FILE_BYTES)} (MAX_FILE_BYTES)",
            file=source,
        )
    return info


def _os_reason(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that loops (it never reaches a file)"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: recip cannot read this {what}"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    return f"cannot read the file: {exc.strerror or exc}"


def read_text(path: str | Path, what: str = "scenario file") -> str:
    """The text of a regular UTF-8 file of at most :data:`MAX_FILE_BYTES`, without a leading
    byte-order mark; anything else is a :class:`ScenarioError` naming the file and the fault.

    ``what`` names the kind of file in messages (``"scenario file"``, ``"claim map"``, ...).
    """
    path = Path(path)
    source = str(path)
    check_file(path, what)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, opening cannot block
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ScenarioError(_os_reason(exc, what), file=source) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(f"not a regular file, not a {what}", file=source)
        chunks = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ScenarioError(_os_reason(exc, what), file=source) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"the file is larger than {_megabytes(MAX_FILE_BYTES)} (MAX_FILE_BYTES)", file=source
        )
    if not data.strip():
        raise ScenarioError(f"the file is empty (expected a {what})", file=source)
    if b"\x00" in data:
        raise ScenarioError(f"a binary file, not a {what} (it contains NUL bytes)", file=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            f"not UTF-8 text (an invalid byte on line {line}); save the {what} as UTF-8",
            file=source,
        ) from None
    return text.removeprefix(_BOM)
