"""The figure catalogue: every figure recip draws, by name, with the result it is drawn from.

Each figure is one function taking a result (or its results document, as ``results.json`` holds
it) and returning a matplotlib figure; it computes nothing. ``recip plot NAME`` draws any of
them; :func:`draw` does the same from Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ..core.errors import ScenarioError, suggest
from .reading import document, parts


@dataclass(frozen=True)
class Entry:
    """A figure: its ``name``, the ``kind`` of result it draws, where its function lives, what
    it shows, and the Python call that computes its result."""

    name: str
    kind: str
    module: str
    function: str
    shows: str
    computed_by: str

    def load(self):
        return getattr(import_module(f"{__package__}.{self.module}"), self.function)


CATALOGUE: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry(
            "payoffs",
            "comparison",
            "payoffs",
            "payoffs_figure",
            "each player's expected payoff per round and its running value with the verdict's "
            "weights, one column of panels per player, one line per policy",
            "recip.compare",
        ),
        Entry(
            "discount",
            "critical-discount",
            "threshold",
            "discount_figure",
            "the advantage against the discount factor, every critical value marked, the "
            "scenario's own discount factor on the curve",
            "recip.critical_discount",
        ),
        Entry(
            "discount-overlay",
            "critical-discounts",
            "overlay",
            "discount_overlay_figure",
            "the advantage against the discount factor for several scenarios (the op-ed's and "
            "its counter-scenarios), every critical value and each scenario's own δ marked",
            "recip.questions.overlay.critical_discounts",
        ),
        Entry(
            "region",
            "sweep",
            "region",
            "region_figure",
            "where each policy wins over two inputs, the break-even contour and the scenario's "
            "own point",
            "recip.sweep",
        ),
        Entry(
            "tornado",
            "sensitivity",
            "sensitivity",
            "tornado_figure",
            "each uncertain input's effect at the ends of its range, beside its Sobol' indices",
            "recip.sensitivity",
        ),
        Entry(
            "uncertainty",
            "uncertainty",
            "uncertainty",
            "uncertainty_figure",
            "the distribution of the advantage over the declared uncertainty and the share of "
            "draws where it is positive",
            "recip.uncertainty",
        ),
        Entry(
            "timeline",
            "timeline",
            "timeline",
            "timeline_figure",
            "one simulated history per policy: the world state and who took which stance toward "
            "whom, round by round",
            "recip.questions.timeline.timeline",
        ),
        Entry(
            "one-vs-many",
            "one-vs-many",
            "horizons",
            "one_vs_many_figure",
            "each policy's payoff in one round and per round over many, beside the myopic and "
            "the far-sighted best response",
            "recip.questions.horizons.one_vs_many",
        ),
        Entry(
            "credibility",
            "credibility",
            "credibility",
            "credibility_figure",
            "what each player's best response gains over its strategy under each policy, and "
            "whether the strategy is credible",
            "recip.credibility (or recip.compare, which checks it unasked)",
        ),
        Entry(
            "meta",
            "meta-game",
            "meta",
            "meta_figure",
            "the meta-game as heatmaps: each player's value for every candidate against every "
            "profile of the others', best responses and pure equilibria marked",
            "recip.meta_game",
        ),
    )
}

#: Figures written with a result of each kind (``recip run``, ``--out``); the rest are drawn on
#: request (``recip plot``).
WRITTEN = {
    "comparison": "payoffs",
    "critical-discount": "discount",
    "critical-discounts": "discount-overlay",
    "sweep": "region",
    "sensitivity": "tornado",
    "uncertainty": "uncertainty",
    "timeline": "timeline",
    "one-vs-many": "one-vs-many",
    "credibility": "credibility",
    "meta-game": "meta",
}


def entry(name: str) -> Entry:
    """The catalogue's entry ``name``; an unknown name is refused with the nearest names."""
    if name not in CATALOGUE:
        raise ScenarioError(f"no figure named {name!r}; {suggest(name, CATALOGUE)}", key="figure")
    return CATALOGUE[name]


def drawable(result: Any) -> list[str]:
    """The figures that can be drawn from ``result`` (a result or a results document)."""
    doc = document(result)
    held = parts(doc)
    names = [e.name for e in CATALOGUE.values() if e.kind in held]
    sweep = held.get("sweep")
    if sweep is not None and sweep.get("region") is None and not hasattr(result, "region"):
        names.remove("region")
    return names


def draw(name: str, result: Any, *, source: Any = None):
    """The figure ``name`` drawn from ``result`` (a result or its results document); ``source``
    (a scenario, a setting or a document) names the scenario in the caption when the result
    does not know it."""
    return entry(name).load()(result, source=source)


def written(result: Any) -> list[str]:
    """The figures written with ``result``: one per result it holds (:data:`WRITTEN`), but not
    the credibility check a comparison carries, nor a region map without two swept keys."""
    doc = document(result)
    held = parts(doc)
    names = []
    for kind in held:
        if kind not in WRITTEN or (kind == "credibility" and doc.get("kind") == "comparison"):
            continue
        if kind == "sweep":
            region = held[kind].get("region")
            if region is None and hasattr(result, "region"):
                region = result.region()
            if region is None:
                continue
        names.append(WRITTEN[kind])
    return names
