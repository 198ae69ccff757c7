"""Claim maps: the claims of a source document, in recip's own words, and what each informs."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.errors import ScenarioError
from . import bundled
from .errors import from_validation_error


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Strict):
    author: str
    role: str | None = None
    organisation: str | None = None
    date: dt.date
    kind: str = "opinion article"
    note: str | None = None


class Claim(_Strict):
    summary: str = Field(description="The claim, paraphrased in our own words.")
    model: str = Field(description="What the claim becomes in a model.")
    informs: list[str] = Field(default_factory=list, description="Scenario keys it informs.")


class ClaimMapFile(_Strict):
    schema_: int = Field(alias="schema")
    source: Source
    conclusion: str | None = None
    claims: dict[str, Claim]
    counterpoints: list[str] = Field(default_factory=list)
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


def resolve(ref: str, base: Path | None) -> Path | None:
    """Find a claim map named in a scenario: relative to the scenario's folder, then its parent
    (a project with ``scenarios/`` beside ``seeds/``), then the bundled seeds by file name."""
    ref_path = Path(ref)
    candidates = []
    if base is not None:
        candidates += [base / ref_path, base.parent / ref_path]
    name = ref_path.name if ref_path.suffix else f"{ref_path.name}.toml"
    candidates.append(bundled.seeds_dir() / name)
    for c in candidates:
        if c.is_file():
            return c
    return None


def load_claim_map(path: str | Path) -> ClaimMap:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=str(path)) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the claim map: {exc.strerror}", file=str(path)) from None
    try:
        model = ClaimMapFile.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, ClaimMapFile, str(path), {"Source", "Claim"}) from None
    return ClaimMap(
        str(path), model.source, model.conclusion, dict(model.claims), tuple(model.counterpoints)
    )
