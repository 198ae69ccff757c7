"""The ``results.json`` file: every number printed, with what produced it."""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ..io.results import clean


def results_document(
    scenario,
    command: str,
    payload: dict[str, Any],
    *,
    seed: int | None,
    method: str,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of ``results.json`` (deterministic: no timestamps, no absolute paths)."""
    doc = {
        "recip_version": __version__,
        "command": command,
        "scenario": {
            "name": scenario.name,
            "title": scenario.title,
            "hash": scenario.hash,
            "claims": scenario.claim_map.citation() if scenario.claim_map else None,
        },
        "overrides": overrides or {},
        "method": method,
        "seed": seed,
        **payload,
    }
    return clean(doc)
