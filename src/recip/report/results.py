"""The results document: what ``--json`` prints and ``recip run`` writes as ``results.json``.

One function builds it for every command: where the numbers came from (recip's version, the
command, the scenario's name, title, SHA-256 and claim map, the overrides applied to it, the
method and seed), then the result's own :meth:`~recip.model.result.Result.to_dict`. A
comparison's sits under the key ``comparison`` (the layout ``results.json`` has always had);
every other result's keys follow the provenance keys at the top level (the layout of each
analysis's ``--json``). Deterministic: no timestamps, no absolute paths.
"""

from __future__ import annotations

from typing import Any

from .._version import __version__
from ..io.results import clean
from ..model.result import Result
from ..questions.compare import Comparison

#: Result types whose ``to_dict()`` is nested under a key of their own, by type.
NESTED = {Comparison: "comparison"}


def results_document(
    result: Result,
    scenario,
    command: str,
    *,
    seed: int | None = None,
    method: str = "exact",
    attached: dict[str, Result] | None = None,
) -> dict[str, Any]:
    """The document of ``result``, answered by ``command`` about ``scenario`` (a
    :class:`~recip.scenario.load.Scenario`: its overrides are recorded); ``attached`` results
    (key -> result) are added under their keys (``recip run`` attaches the curve against the
    discount factor it draws as ``critical_discount``)."""
    doc: dict[str, Any] = {
        "recip_version": __version__,
        "command": command,
        "kind": result.kind,
        "scenario": {
            "name": scenario.name,
            "title": scenario.title,
            "hash": scenario.hash,
            "claims": scenario.claim_map.citation() if scenario.claim_map else None,
        },
        "overrides": dict(scenario.overrides),
        "method": method,
        "seed": seed,
    }
    content = result.to_dict()
    key = next((k for cls, k in NESTED.items() if isinstance(result, cls)), None)
    if key is not None:
        doc[key] = content
    else:
        for k, v in content.items():
            doc.setdefault(k, v)
        if seed is None and content.get("seed") is not None:
            doc["seed"] = content["seed"]  # the result's own seed, when the caller gave none
    for k, r in (attached or {}).items():
        doc[k] = r.to_dict()
    return clean(doc)
