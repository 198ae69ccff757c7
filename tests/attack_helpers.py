"""Helpers for the attack suites: run ``recip`` as a user would, in a subprocess with a memory
cap and a timeout, and check what comes back.

Tests import them directly (``from attack_helpers import run_recip``), like ``conftest``.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

#: Address-space cap of every recip subprocess (a blow-up becomes a MemoryError, not a swap storm).
MEMORY_CAP = 2 * 1024**3
#: Seconds a recip subprocess may run before the attack counts as a hang.
TIMEOUT = 60.0

#: Fragments of pydantic's own error text that must never reach a user.
PYDANTIC_TAGS = (
    "constrained-float",
    "[type=",
    "For further information visit",
    "input_value=",
    "input_type=",
    "errors.pydantic.dev",
    "validation error for",
    "instance of",
)

#: Raw control characters that must never reach a terminal (C0 ESC and BEL, C1 CSI).
CONTROL_CHARS = ("\x1b", "\x07", "\x9b")


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # one BLAS thread per child: the cap is on address space, and OpenBLAS reserves per thread
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    env["MPLBACKEND"] = "Agg"
    env.pop("PYTHONWARNINGS", None)
    return env


def run_recip(
    *args: str,
    cwd: Path | str | None = None,
    timeout: float = TIMEOUT,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    """Run ``python -m recip ARGS`` with a memory cap and a timeout, in ``cwd`` (default: a fresh
    temporary folder, removed afterwards); return ``(exit code, stdout, stderr)``.

    Output is decoded as UTF-8 with ``surrogateescape``, so that every byte recip wrote (control
    characters included) can be looked for. A timeout fails the test with "hung"."""
    if cwd is None:
        with tempfile.TemporaryDirectory(prefix="recip-attack-") as tmp:
            return run_recip(*args, cwd=tmp, timeout=timeout, stdin=stdin)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "recip", *args],
            cwd=str(cwd),
            input=stdin.encode() if stdin is not None else None,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            env=_child_env(),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"recip hung: `recip {' '.join(args)}` ran over {timeout:.0f} s", pytrace=False)
    out = proc.stdout.decode("utf-8", "surrogateescape")
    err = proc.stderr.decode("utf-8", "surrogateescape")
    return proc.returncode, out, err


def run_python(code: str, *, cwd: Path | str | None = None, timeout: float = TIMEOUT):
    """Run ``python -c CODE`` under the same memory cap and timeout (for attacks on the Python
    API that could exhaust the test process); return ``(exit code, stdout, stderr)``."""
    with tempfile.TemporaryDirectory(prefix="recip-attack-") as tmp:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                cwd=str(cwd or tmp),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                preexec_fn=_limit_memory,
                env=_child_env(),
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"recip hung: the Python snippet ran over {timeout:.0f} s", pytrace=False)
    out = proc.stdout.decode("utf-8", "surrogateescape")
    err = proc.stderr.decode("utf-8", "surrogateescape")
    return proc.returncode, out, err


def files_under(root: Path) -> set[Path]:
    """Every file below ``root`` (relative paths)."""
    return {p.relative_to(root) for p in Path(root).rglob("*") if p.is_file()}


def describe(code: int, out: str, err: str) -> str:
    """A short account of a run, for assertion messages."""
    return (
        f"exit {code}\n--- stdout (tail) ---\n{out[-1500:]}\n--- stderr (tail) ---\n{err[-3000:]}"
    )


def assert_clean_error(
    code: int,
    out: str,
    err: str,
    *,
    exit_codes: tuple[int, ...] = (2,),
    mentions: tuple[str, ...] = (),
    max_len: int | None = None,
) -> str:
    """The run failed the way recip promises: an expected exit code, no traceback, exactly one
    line on stderr starting with ``error: ``, no pydantic text, no numpy warnings; the line names
    everything in ``mentions``. Returns that line."""
    why = describe(code, out, err)
    assert "Traceback (most recent call last)" not in err, "traceback\n" + why
    assert code in exit_codes, f"expected exit code in {exit_codes}\n" + why
    assert "RuntimeWarning" not in err, "numpy RuntimeWarning on stderr\n" + why
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, "expected exactly one line on stderr\n" + why
    line = lines[0]
    assert line.startswith("error: "), "the error line must start with 'error: '\n" + why
    for tag in PYDANTIC_TAGS:
        assert tag not in err, f"pydantic text {tag!r} leaked\n" + why
    for word in mentions:
        assert word in line, f"the message should name {word!r}\n" + why
    if max_len is not None:
        assert len(err) <= max_len, f"message of {len(err)} characters (max {max_len})\n" + why
    return line


def assert_no_noise(err: str) -> None:
    """No traceback, no warnings on stderr."""
    assert "Traceback (most recent call last)" not in err, err[-3000:]
    assert "RuntimeWarning" not in err, err[-3000:]
    assert not re.search(r"\bWarning:", err), err[-3000:]
