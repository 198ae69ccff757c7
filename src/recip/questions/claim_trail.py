"""From claims to parameters: which keys of a scenario each claim of its claim map sets, and the
values they hold there.

A claim reaches a scenario in two ways: the scenario *cites* it (a ``claims = [...]`` list on a
world state, a payoff term, the horizon, a strategy or a round of history), and the claim map
says which dotted keys it *informs* (``informs = [...]``). :func:`claim_trails` gives, for each
claim of the map, both kinds of key with the value the scenario holds there in words (the
nominal value and, for an uncertain one, its declared range). :func:`claims_of_key` says which
claims reach a given key (an uncertain input of a sensitivity analysis, a what-if slider): those
with a key that is the input's key or a table above it (``payoffs.taking_sides`` covers
``payoffs.taking_sides.russia``).

>>> from recip.scenario.load import load_scenario
>>> s = load_scenario("sindoor-2025")
>>> trails = claim_trails(s)
>>> print(trails[7].keys[0].text())  # doctest: +NORMALIZE_WHITESPACE
payoffs.taking_sides (cited): in india_attacked, when russia plays align_india or
align_pakistan: russia -1 (range -2.5 to -0.1)
>>> claims_of_key(trails, "payoffs.taking_sides.russia")
('C8',)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.text import join_words
from ..scenario.load import Scenario
from ..scenario.overrides import value_text
from ..scenario.plain import thaw
from .sweep_plan import lookup

#: Keys of a table that describe it rather than set a value.
_PROSE = ("claims", "note", "label", "description")


@dataclass(frozen=True)
class KeyValue:
    """One key a claim reaches: ``cited`` when the scenario cites the claim there (else the
    claim map's ``informs`` names it), and the value it holds in words (``None`` when the
    scenario does not set it)."""

    key: str
    cited: bool
    value: str | None

    def text(self) -> str:
        how = "cited" if self.cited else "informs"
        value = self.value if self.value is not None else "not set in this scenario"
        return f"{self.key} ({how}): {value}"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "cited": self.cited, "value": self.value}


@dataclass(frozen=True)
class ClaimTrail:
    """A claim of the claim map (its ``id``, ``summary`` and what it becomes in a ``model``),
    the keys it reaches in the scenario, and whether the scenario ``cited`` it anywhere."""

    id: str
    summary: str
    model: str
    keys: tuple[KeyValue, ...]
    cited: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "summary": self.summary,
            "model": self.model,
            "cited": self.cited,
            "keys": [k.to_dict() for k in self.keys],
        }


def citations(scenario: Scenario) -> dict[str, list[str]]:
    """Where the scenario cites each claim: claim id -> dotted keys, in the file's order."""
    data, spec = scenario.data, scenario.spec
    out: dict[str, list[str]] = {}

    def cite(key: str, claims: Any) -> None:
        for c in claims or ():
            if isinstance(c, str) and key not in out.setdefault(c, []):
                out[c].append(key)

    for name, state in (data.get("states") or {}).items():
        cite(f"states.{name}", state.get("claims") if isinstance(state, Mapping) else None)
    for term in spec.terms:
        cite(term.key, term.claims)
    horizon = data.get("horizon")
    if isinstance(horizon, Mapping):
        cite("horizon", horizon.get("claims"))
    for player, strat in (data.get("strategies") or {}).items():
        if isinstance(strat, Mapping):
            cite(f"strategies.{player}", strat.get("claims"))
    for i, item in enumerate(data.get("history") or ()):
        if isinstance(item, Mapping):
            cite(f"history[{i}]", item.get("claims"))
    return out


def claim_trails(scenario: Scenario) -> tuple[ClaimTrail, ...]:
    """Every claim of the scenario's claim map with the keys it reaches (cited first, then the
    map's ``informs`` keys not already covered by a listed key or a table above it) and their
    values; none without a claim map."""
    if scenario.claim_map is None:
        return ()
    cited = citations(scenario)
    out = []
    for cid, claim in scenario.claim_map.claims.items():
        keys = [KeyValue(k, True, describe(scenario, k)) for k in cited.get(cid, ())]
        seen = {k.key for k in keys}
        for key in claim.informs:
            try:
                canonical = scenario.canonical_key(key)
            except Exception:  # a key of another scenario of the same claim map
                canonical = key
            under = any(canonical.startswith((f"{k}.", f"{k}[")) for k in seen)
            if canonical not in seen and not under:
                seen.add(canonical)
                keys.append(KeyValue(canonical, False, describe(scenario, canonical)))
        out.append(
            ClaimTrail(
                cid, _oneline(claim.summary), _oneline(claim.model), tuple(keys), cid in cited
            )
        )
    return tuple(out)


def claims_of_key(trails: Sequence[ClaimTrail], key: str) -> tuple[str, ...]:
    """The claims whose keys reach ``key``: the key itself or a table above it."""
    return tuple(
        t.id
        for t in trails
        if any(key == k.key or key.startswith((f"{k.key}.", f"{k.key}[")) for k in t.keys)
    )


def describe(scenario: Scenario, key: str) -> str | None:
    """The value at ``key`` in words: a payoff term with its state, condition and values; an
    uncertain value with its range; a strategy with its parameters; anything else as an
    override would write it. ``None`` where the scenario does not set the key."""
    term = next((t for t in scenario.spec.terms if t.key == key), None)
    if term is not None:
        return _term(term)
    try:
        value = lookup(scenario.data, key)
    except Exception:  # a key that does not parse, or runs into a value
        return None
    if value is None:
        if key == "horizon.discount" and scenario.spec.discount is not None:
            return f"{scenario.spec.discount:g}"
        return None
    return _value(thaw(value), key)


def _term(term) -> str:
    where = f"in {join_words(list(term.states))}" if len(term.states) < 4 else "in every state"
    if term.when:
        cond = join_words([f"{p} plays {' or '.join(acts)}" for p, acts in term.when.items()])
        where += f", when {cond}"
    pays = "; ".join(f"{p} {_number(v)}" for p, v in term.values.items())
    return f"{where}: {pays}"


def _number(v: Any) -> str:
    """A value, or an uncertain value with its range (``3 (range 1.5 to 5)``)."""
    nominal = getattr(v, "value", None)
    if nominal is None and isinstance(v, Mapping):
        nominal = v.get("value")
    if nominal is None:
        return f"{v:g}" if isinstance(v, float | int) and not isinstance(v, bool) else str(v)
    get = v.get if isinstance(v, Mapping) else lambda k: getattr(v, k, None)
    low, high, dist = get("low"), get("high"), get("distribution")
    text = f"{nominal:g}"
    if low is not None and high is not None:
        kind = f"{dist}, " if dist and dist != "uniform" else ""
        text += f" ({kind}range {low:g} to {high:g})"
    elif get("sd") is not None:
        text += f" (sd {get('sd'):g})"
    return text


def _value(value: Any, key: str) -> str:
    if isinstance(value, Mapping):
        if "value" in value:
            return _number(value)
        if key.startswith("strategies.") and "name" in value:
            params = [f"{k} {_number(v)}" for k, v in value.items() if k not in (*_PROSE, "name")]
            return ", ".join([str(value["name"]), *params])
        parts = key.split(".")
        if parts[0] == "states" and len(parts) == 2:
            return _state(value)
        if parts[0] == "states" and len(parts) == 4 and parts[2] == "actions":
            return _actions(value)
        if key == "horizon":
            words = {"discount": "discount factor"}
            items = [(k, v) for k, v in value.items() if k not in _PROSE]
            return "; ".join(f"{words.get(k, k)} {_number(v)}" for k, v in items) or "defaults"
        return value_text({k: v for k, v in value.items() if k not in _PROSE}, 120)
    if isinstance(value, list):
        return ", ".join(v if isinstance(v, str) else value_text(v, 60) for v in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return value_text(value, 120)


def _state(state: Mapping[str, Any]) -> str:
    parts = []
    if state.get("probability") is not None:
        parts.append(f"chance {state['probability']:g} each round")
    for player, acts in (state.get("actions") or {}).items():
        parts.append(f"{player} chooses {_actions(acts)}")
    return "; ".join(parts) or "nobody acts"


def _actions(acts: Mapping[str, Any]) -> str:
    out = []
    for name, stance in acts.items():
        toward = ", ".join(f"{k} {v:+g}" for k, v in (stance or {}).items())
        out.append(f"{name} ({toward})" if toward else name)
    return " or ".join(out)


def _oneline(text: str) -> str:
    return " ".join(str(text).split())
