"""Claim maps: the claims of a source document, in recip's own words, and what each informs."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.errors import ScenarioError
from ..core.limits import MAX_TITLE_CHARS
from ..core.text import echo
from ..io.files import check_file, read_text
from . import bundled
from .errors import from_validation_error
from .plain import check_nesting
from .schema import ClaimId, Text

Line = Annotated[str, Field(max_length=MAX_TITLE_CHARS, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Strict):
    author: Line
    role: Line | None = None
    organisation: Line | None = None
    date: dt.date
    kind: Line = "opinion article"
    note: Text | None = None


class Claim(_Strict):
    summary: Text = Field(description="The claim, paraphrased in our own words.")
    model: Text = Field(description="What the claim becomes in a model.")
    informs: list[Line] = Field(default_factory=list, description="Scenario keys it informs.")
    tested_by: list[Line] = Field(
        default_factory=list,
        description="Scenarios that test the claim: each changes what the claim assumes and "
        "cites it.",
    )


class ClaimMapFile(_Strict):
    schema_: int = Field(alias="schema")
    source: Source
    conclusion: Text | None = None
    claims: dict[ClaimId, Claim]
    counterpoints: list[Text] = Field(default_factory=list)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


@dataclass(frozen=True)
class ClaimMap:
    path: str
    source: Source
    conclusion: str | None
    claims: dict[str, Claim]
    counterpoints: tuple[str, ...]

    def citation(self) -> str:
        s = self.source
        who = s.author + (f", {s.role}" if s.role else "")
        org = f", {s.organisation}" if s.organisation else ""
        return f"{who}{org}, {s.kind} of {s.date.isoformat()}"


def resolve(ref: str, base: Path | None) -> Path:
    """The claim map a scenario names: relative to the scenario's folder, then its parent (a
    project with ``scenarios/`` beside ``seeds/``), then the bundled seeds by file name.

    A scenario file is data from someone else, so the reference is confined: after following
    symbolic links, the file must lie inside the scenario's folder or its parent; anything
    else (``../..``, an absolute path elsewhere, a link out) is refused, whatever it holds."""
    ref_path = Path(ref)
    roots = [] if base is None else [base.resolve(), base.resolve().parent]
    inside = linked_out = False
    for root in roots:
        joined = root / ref_path
        try:
            candidate = joined.resolve()
        except (OSError, RuntimeError):  # a link that loops
            continue
        if any(candidate.is_relative_to(r) for r in roots):
            inside = True
            if os.path.lexists(candidate):
                return candidate
        elif joined.is_relative_to(root) and os.path.lexists(joined):
            linked_out = True  # a symbolic link inside the folder that leads out of it
    if roots and (linked_out or not inside):
        raise ScenarioError(
            f"claim map {echo(ref)} lies outside the scenario's folder and its parent folder; "
            "recip reads claim maps only there, or a bundled seed by its file name",
            key="claims",
        )
    name = ref_path.name if ref_path.suffix else f"{ref_path.name}.toml"
    if name and not name.startswith("."):
        seed = bundled.seeds_dir() / name
        if seed.is_file():
            return seed
    raise ScenarioError(
        f"claim map {echo(ref)} not found next to the scenario, in its parent folder or among "
        "the bundled seeds",
        key="claims",
    )


#: Parsed claim maps by (path, modification time, size): overrides re-check a scenario without
#: reading its claim map again.
_CACHE: dict[tuple[str, int, int], ClaimMap] = {}
_CACHE_SIZE = 32
#: Where each (reference, scenario folder) was found: the confinement is checked once.
_RESOLVED: dict[tuple[str, Path | None], Path] = {}


def claim_map_for(ref: str, base: Path | None) -> ClaimMap:
    """The claim map a scenario's ``claims`` key names (see :func:`resolve`), read once per
    version of the file."""
    path = _RESOLVED.get((ref, base))
    if path is None:
        path = resolve(ref, base)
        if len(_RESOLVED) >= _CACHE_SIZE:
            _RESOLVED.pop(next(iter(_RESOLVED)))
        _RESOLVED[(ref, base)] = path
    try:
        info = check_file(path, "claim map")
    except ScenarioError:
        _RESOLVED.pop((ref, base), None)
        raise
    key = (str(path), info.st_mtime_ns, info.st_size)
    cached = _CACHE.get(key)
    if cached is None:
        cached = load_claim_map(path)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    return cached


def load_claim_map(path: str | Path) -> ClaimMap:
    """Read a claim map. Its errors name the file and the key only: nothing it holds is echoed
    (a scenario may point at a file that is not a claim map)."""
    path = Path(path)
    source = str(path)
    text = read_text(path, "claim map")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line \d+, column \d+\)|\(at end of document\)", str(exc))
        raise ScenarioError(
            f"not valid TOML {where.group(0) if where else ''}".rstrip(), file=source
        ) from None
    except RecursionError:
        raise ScenarioError("not a claim map (nested too deeply)", file=source) from None
    try:
        check_nesting(data, file=source)
        model = ClaimMapFile.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, ClaimMapFile, source, data, echo_input=False) from None
    return ClaimMap(
        source, model.source, model.conclusion, dict(model.claims), tuple(model.counterpoints)
    )
