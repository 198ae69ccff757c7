"""Where ``recip run`` writes, checked before any analysis runs.

The default folder is ``./recip-out/<name>/``, where ``<name>`` is the scenario's name (its
file's stem) reduced to letters, digits, ``.``, ``_`` and ``-``: whatever path the scenario was
given as (absolute, ``../``), its results land under ``./recip-out/``. A run with ``--set``
overrides writes to ``./recip-out/<name>+<tag>/``, where ``<tag>`` is the first 8 hex digits of
the SHA-256 of the sorted overrides, so that it never replaces the baseline's files and the same
overrides always find the same folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.errors import ScenarioError

#: The folder under which default output folders are made (relative to the current folder).
ROOT = Path("recip-out")
#: Longest folder name made from a scenario's name.
MAX_NAME = 80


def safe_name(name: str) -> str:
    """A folder name made from a scenario's name: no separators, no leading dots.

    >>> safe_name("../../etc/passwd"), safe_name("my world!"), safe_name("..")
    ('passwd', 'my_world', 'scenario')
    """
    stem = re.split(r"[/\\]", str(name))[-1]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:MAX_NAME]
    return safe or "scenario"


def overrides_tag(overrides: Iterable[tuple[str, Any]]) -> str:
    """8 hex digits naming a set of overrides (the same overrides, in any order: the same tag)."""
    items = sorted(dict(overrides).items())
    text = json.dumps(items, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def default_folder(scenario) -> Path:
    """``recip-out/<name>/``, or ``recip-out/<name>+<tag>/`` for a scenario with overrides."""
    return named_folder(scenario.name, scenario.overrides)


def named_folder(name: str, overrides: Iterable[tuple[str, Any]] = ()) -> Path:
    """The default folder of a scenario named ``name`` with ``overrides`` (as a results
    document records them)."""
    overrides = list(overrides)
    folder = safe_name(name)
    if overrides:
        folder += f"+{overrides_tag(overrides)}"
    return ROOT / folder


def check_out_option(out: str | None) -> Path | None:
    """The ``--out`` value as a path; an empty one is refused (it would mean the current
    folder, most often by an unset shell variable)."""
    if out is None:
        return None
    if not out.strip():
        raise ScenarioError(
            "the output folder is empty; give a folder, e.g. --out results/ (or --out . for "
            "the current folder)",
            key="--out",
        )
    return Path(out)


def check_writable(folder: Path) -> None:
    """Refuse, before any work, a folder that cannot be made or written to.

    The folder is made and a probe file written and removed; the folders made for the probe are
    removed again, so that an analysis that fails afterwards leaves nothing behind."""
    made: list[Path] = []
    try:
        for parent in [*reversed(folder.parents), folder]:
            if parent.exists() and not parent.is_dir():
                raise ScenarioError(
                    f"cannot write to {folder}: {parent} is a file, not a folder", key="--out"
                )
            if not parent.exists():
                parent.mkdir()
                made.append(parent)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".recip-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ScenarioError(
            f"cannot write to {folder}: {exc.strerror or exc}", key="--out"
        ) from None
    finally:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()


def result_files(result, doc: dict[str, Any], *, figures: bool = True) -> dict[str, bytes | str]:
    """The files of a result: ``results.json`` (its results document ``doc``) and, with
    ``figures``, each of its figures as PNG and SVG (:func:`recip.plots.figures`), drawn from
    ``doc`` (so that ``recip plot NAME results.json`` draws them again, byte for byte)."""
    from ..io.results import dumps
    from .output import json_visible

    files: dict[str, bytes | str] = {"results.json": json_visible(dumps(doc))}
    if figures:
        files.update(figure_files(doc))
    return files


def figure_files(result, names=None, source=None) -> dict[str, bytes]:
    """Each figure (``names``, default the ones written with ``result``) as PNG and SVG."""
    from ..plots import draw, render, written

    files: dict[str, bytes] = {}
    for name in written(result) if names is None else names:
        fig = draw(name, result, source=source)
        files[f"{name}.png"] = render(fig, "png")
        files[f"{name}.svg"] = render(fig, "svg")
    return files


def write_files(folder: Path, files: dict[str, bytes | str]) -> list[Path]:
    """Write each file of ``files`` (name -> content) into ``folder``, each wholly or not at
    all; a failure is one message (exit 2)."""
    from ..io.results import write_atomic

    written = []
    for name, data in files.items():
        path = folder / name
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise ScenarioError(
                f"cannot write {path}: {exc.strerror or exc}", key="--out"
            ) from None
        written.append(path)
    return written
