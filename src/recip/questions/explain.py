"""From claims to verdict: what a scenario's verdict rests on, in one result.

:func:`explain` asks the questions a reader of an argument asks, and keeps their answers side
by side:

* **the verdict** -- :func:`recip.compare` (exact), with its conditions;
* **how sure** -- :func:`recip.uncertainty` over the scenario's declared ranges (a small seeded
  design, each draw exact);
* **claims to parameters** -- every claim of the claim map, the keys it sets (where the scenario
  cites it and what the map says it informs) and their values
  (:mod:`recip.questions.claim_trail`);
* **what the verdict depends on most** -- :func:`recip.sensitivity` (tornado and break-evens
  exact; Sobol' indices from ``samples`` base samples), each uncertain input mapped to the
  claims that reach its key, and the claims ranked: first those with an input that flips the
  verdict within its declared range, then by the largest swing of the verdict quantity over
  any of their inputs (:class:`ClaimWeight`);
* **is the reciprocity credible** -- :func:`recip.credibility` under each policy (the check
  :func:`recip.compare` makes unasked; where it does not, a note says why);
* **which counter-scenario answers which claim** -- the bundled scenarios that extend or counter
  it, each with its own verdict (:mod:`recip.questions.related`).

>>> e = explain("sindoor-2025", samples=8)
>>> e.weights[0].key, e.weights[0].claims, e.weights[0].flips
('horizon.discount', ('C7', 'C12'), 'flips at 0.4566')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import RecipError
from ..core.text import join_words
from ..model.conditions import Conditions
from ..model.result import Result
from ..model.setting import ScenarioLike
from ..scenario.load import Scenario, load_scenario
from .checks import check_count, check_seed
from .claim_trail import ClaimTrail, claim_trails, claims_of_key
from .compare import Comparison, compare
from .related import Related, related

#: Sobol' base samples of the sensitivity analysis by default (the uncertainty analysis draws
#: :data:`DRAWS_PER_SAMPLE` times as many points).
DEFAULT_SAMPLES = 32
DRAWS_PER_SAMPLE = 8


@dataclass(frozen=True)
class InputWeight:
    """One uncertain input and the claims whose keys reach it: the ``swing`` of the verdict
    quantity over its declared range (the others nominal), where it ``flips`` the verdict
    within its range (in words; ``None`` when it does not), why it is ``inert`` (``None``
    unless it is), its Sobol' ``total`` index, and where it would flip ``beyond`` its range."""

    key: str
    claims: tuple[str, ...]
    swing: float
    flips: str | None
    inert: str | None
    total: float
    beyond: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.key,
            "claims": list(self.claims),
            "swing": self.swing,
            "flips": self.flips,
            "inert": self.inert,
            "sobol_total": self.total,
            "beyond_range": self.beyond,
        }


@dataclass(frozen=True, eq=False)
class Explanation(Result):
    """Result of :func:`explain` (see the module docstring). ``untested`` are the claims whose
    keys hold no uncertain input (the scenario declares no range for what they set)."""

    title: str
    conditions: Conditions
    scenario: str
    comparison: Comparison
    trails: tuple[ClaimTrail, ...]
    weights: tuple[InputWeight, ...]
    untested: tuple[str, ...]
    sensitivity: Any = None
    uncertainty: Any = None
    credibility: Any = None
    related: tuple[Related, ...] = ()
    conclusion: str | None = None
    citation: str | None = None
    open_counterpoints: tuple[str, ...] = ()
    samples: int = DEFAULT_SAMPLES
    seed: int = 0
    notes: tuple[str, ...] = field(default=())

    kind = "explanation"

    def __repr__(self) -> str:
        return f"Explanation({self.scenario}: {self.comparison.verdict})"

    @property
    def verdict(self) -> str:
        return self.comparison.verdict

    @property
    def best(self) -> str:
        return self.comparison.policies[self.comparison.best]

    @property
    def cited(self) -> tuple[str, ...]:
        """The claims the scenario cites."""
        return tuple(t.id for t in self.trails if t.cited)

    @property
    def ranked_claims(self) -> tuple[str, ...]:
        """The claims that reach an input that moves the verdict, most decisive first (in the
        order of :attr:`weights`)."""
        out: dict[str, None] = {}
        for w in self.weights:
            if w.inert is None:
                out.update(dict.fromkeys(w.claims))
        return tuple(out)

    @property
    def summary(self) -> str:
        text = self.verdict
        top = next((w for w in self.weights if w.inert is None and w.claims), None)
        if top is not None:
            how = top.flips or f"swing {top.swing:.3g}"
            text += f" It depends most on {join_words(list(top.claims))} ({top.key}: {how})."
        flipping = [r.name for r in self.related if r.flips]
        if flipping:
            text += f" Counter-scenarios that reverse it: {join_words(flipping)}."
        return text

    def payload(self) -> dict[str, Any]:
        c = self.comparison
        return {
            "scenario": self.scenario,
            "verdict": self.verdict,
            "focal": c.focal,
            "policies": list(c.policies),
            "best": self.best,
            "advantage": {p: float(a) for p, a in zip(c.policies, c.advantage, strict=True)},
            "conclusion": self.conclusion,
            "claims_source": self.citation,
            "claims": [t.to_dict() for t in self.trails],
            "depends_most_on": [w.to_dict() for w in self.weights],
            "untested_claims": list(self.untested),
            "uncertainty": None if self.uncertainty is None else self.uncertainty.summary,
            "sensitivity": None if self.sensitivity is None else self.sensitivity.summary,
            "credibility": None if self.credibility is None else self.credibility.payload(),
            "counter_scenarios": [r.to_dict() for r in self.related],
            "open_counterpoints": list(self.open_counterpoints),
            "samples": self.samples,
            "seed": self.seed,
            "notes": list(self.notes),
        }


def explain(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    counters: bool = True,
) -> Explanation:
    """Walk from ``scenario``'s claims to its verdict (see the module docstring). ``samples``
    Sobol' base samples for the sensitivity analysis (``samples x (inputs + 2)`` exact
    evaluations) and ``8 x samples`` draws for the uncertainty analysis, both from ``seed``;
    ``counters=False`` leaves out the related scenarios."""
    from .sensitivity import sensitivity
    from .uncertainty import uncertainty

    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    samples = check_count(samples, "samples", low=4, high=1 << 16)
    seed = check_seed(seed)
    notes: list[str] = []
    c = compare(s, focal=focal, policies=policies)  # checks credibility where it can
    notes += list(c.notes)
    if c.credibility is None and not c.notes:
        notes.append(
            "credibility not checked: it is checked for exact comparisons over an infinite "
            "horizon (recip credibility)"
        )
    trails = claim_trails(s)
    sens = unc = None
    if len(c.policies) > 1:
        try:
            sens = sensitivity(s, focal=c.focal, policies=policies, samples=samples, seed=seed)
        except RecipError as exc:
            notes.append(f"sensitivity not analysed: {exc.message}")
        if sens is not None:
            draws = DRAWS_PER_SAMPLE * samples
            unc = uncertainty(s, focal=c.focal, policies=policies, samples=draws, seed=seed)
    weights, untested = _weights(trails, sens)
    rel = related(s, c.policies[c.best]) if counters else ()
    named = {r.argument for r in rel if r.argument}
    cmap = s.claim_map
    points = (" ".join(t.split()) for t in (cmap.counterpoints if cmap else ()))
    open_points = tuple(t for t in points if t and t not in named)
    return Explanation(
        title=f"From claims to verdict: {s.title}",
        conditions=c.conditions,
        scenario=s.name,
        comparison=c,
        trails=trails,
        weights=weights,
        untested=untested,
        sensitivity=sens,
        uncertainty=unc,
        credibility=c.credibility,
        related=rel,
        conclusion=" ".join(cmap.conclusion.split()) if cmap and cmap.conclusion else None,
        citation=cmap.citation() if cmap else None,
        open_counterpoints=open_points,
        samples=samples,
        seed=seed,
        notes=tuple(dict.fromkeys(notes)),
    )


def _weights(trails, sens) -> tuple[tuple[InputWeight, ...], tuple[str, ...]]:
    """The uncertain inputs with the claims that reach them, ranked: those that flip the
    verdict within their range first, then by swing; and the cited claims that reach none."""
    if sens is None:
        return (), tuple(t.id for t in trails if t.cited)
    out = []
    for e in sens.effects:
        be = e.break_even
        beyond = None
        if be is not None and not be.within and be.beyond:
            beyond = be.value_text(be.beyond[0])
        out.append(
            InputWeight(
                key=e.key,
                claims=claims_of_key(trails, e.key),
                swing=0.0 if e.inert else float(e.swing),
                flips=e.break_even_text() if _flips(e) else None,
                inert=e.inert,
                total=float(e.total),
                beyond=beyond,
            )
        )
    out.sort(key=lambda w: (w.flips is None, w.inert is not None, -round(w.swing, 12)))
    reached = {c for w in out for c in w.claims}
    return tuple(out), tuple(t.id for t in trails if t.cited and t.id not in reached)


def _flips(e) -> bool:
    return bool(e.flipping) or (e.break_even is not None and bool(e.break_even.within))
