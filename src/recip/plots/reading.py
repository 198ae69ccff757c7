"""What a figure is drawn from: a result, or a results document read back from ``results.json``.

Every figure function takes either a :class:`~recip.model.result.Result` or the results
document of one (what ``--json`` prints and ``results.json`` holds) and draws from the
document's numbers: a result is first turned into its document (``to_dict()``), so a figure
drawn from a saved ``results.json`` is the same, byte for byte, as the one drawn when the result
was computed. A document holds the results it was written with: a comparison's ``results.json``
also holds its credibility check and, when ``recip run`` drew it, the curve against the discount
factor (``critical_discount``).

:class:`Source` is what a caption names: the scenario, its SHA-256, the overrides applied, the
claim map it encodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ScenarioError
from ..io.results import clean

#: Keys of a comparison's document under which another result it carries sits, by kind.
ATTACHED = {"critical_discount": "critical-discount"}


@dataclass(frozen=True)
class Source:
    """Where a result came from, for a caption: scenario name, SHA-256, claim map citation,
    overrides."""

    name: str | None = None
    hash: str | None = None
    claims: str | None = None
    overrides: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, thing: Any) -> Source:
        """The source of a results document, a scenario, a setting or a result that knows its
        setting (else an empty source)."""
        if isinstance(thing, Source):
            return thing
        if isinstance(thing, Mapping):
            sc = thing.get("scenario") or {}
            if not isinstance(sc, Mapping):
                return cls()
            return cls(
                sc.get("name"),
                sc.get("hash"),
                sc.get("claims"),
                tuple((thing.get("overrides") or {}).items()),
            )
        origin = getattr(getattr(thing, "setting", thing), "origin", None)
        if origin is not None:
            return cls(origin.name, origin.hash, origin.claims, tuple(origin.overrides))
        if hasattr(thing, "claim_map") and hasattr(thing, "hash"):  # a Scenario
            claims = thing.claim_map.citation() if thing.claim_map else None
            return cls(thing.name, thing.hash, claims, tuple(thing.overrides))
        name = getattr(thing, "scenario_name", None) or getattr(thing, "scenario", None)
        return cls(name if isinstance(name, str) else None)

    def text(self) -> str:
        """``Scenario NAME (sha256 0b033c8d) with KEY=VALUE``, or empty."""
        if not self.name:
            return ""
        out = f"Scenario {self.name}"
        if self.hash:
            out += f" (sha256 {self.hash[:8]})"
        if self.overrides:
            out += " with " + ", ".join(f"{k}={v}" for k, v in self.overrides)
        return out


def document(result: Any) -> dict[str, Any]:
    """The results document of ``result`` (a document is returned as it is): a result's
    ``to_dict()``, under the key ``comparison`` for a comparison, as ``results.json`` has it."""
    if isinstance(result, Mapping):
        return dict(result)
    if not hasattr(result, "to_dict") or not hasattr(result, "kind"):
        raise ScenarioError(
            f"a figure is drawn from a result or its results document, not a "
            f"{type(result).__name__}",
            key="result",
        )
    content = clean(result.to_dict())
    if result.kind == "comparison":
        return {"kind": "comparison", "comparison": content}
    return content


def parts(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The results a document holds, by kind: its own, a comparison's credibility check (with
    the comparison's conditions) and any result attached to it (:data:`ATTACHED`)."""
    kind = doc.get("kind")
    if kind != "comparison":
        return {str(kind): dict(doc)} if kind else {}
    c = doc.get("comparison") or {}
    out = {"comparison": dict(c)}
    credibility = c.get("credibility")
    if credibility:
        out["credibility"] = {
            "kind": "credibility",
            "title": c.get("title", ""),
            "conditions": c.get("conditions", {}),
            **credibility,
        }
    for key, attached in ATTACHED.items():
        if doc.get(key):
            out[attached] = dict(doc[key])
    return out


def read(result: Any, kind: str, figure: str, source: Any = None):
    """The content of the ``kind`` result that ``figure`` draws, from a result or a document,
    with its :class:`Source`; a document holding none is refused, naming what it holds."""
    doc = document(result)
    found = parts(doc).get(kind)
    if found is None:
        held = ", ".join(parts(doc)) or "no result"
        raise ScenarioError(
            f"the {figure} figure is drawn from a {kind} result; this one holds {held}",
            key="figure",
        )
    src = Source.of(source if source is not None else result)
    return found, src
