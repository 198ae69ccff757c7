"""Scenarios and claim maps shipped with recip.

In a wheel they live in ``recip/_bundled/``; in a source checkout (or an editable install) they
are the repository's top-level ``scenarios/`` and ``seeds/`` folders.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_SCENARIO = "sindoor-2025"


def _root(kind: str) -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_bundled" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / kind


def scenario_dir() -> Path:
    return _root("scenarios")


def seeds_dir() -> Path:
    return _root("seeds")


def scenario_names() -> list[str]:
    """Names of the bundled scenarios, sorted."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def scenario_path(name: str) -> Path | None:
    """The file of the bundled scenario ``name`` (a plain name: no folders), or None."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = scenario_dir() / f"{name}.toml"
    try:
        return path if path.is_file() else None
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return None
