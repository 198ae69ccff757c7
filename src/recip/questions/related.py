"""The bundled scenarios that answer a scenario: those that extend it, the one it extends, and the
counterpoints written against the same claim map, each with the claims it answers and its own
verdict.

Which claims a counter-scenario answers comes first from the claim map: a claim's ``tested_by``
list (when the map has one) and the counterpoints whose text names the scenario (``scenario
counter-mediator; tests C8 and C10``). Independently of the map, :attr:`Related.touches` lists
the claims that reach the keys in which the two scenarios differ (:func:`changed_keys`), so that
a counterpoint the map says nothing about is still tied to claims, and the reader can see both.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario import bundled
from ..scenario.keys import format_key, item_names, parse_key
from ..scenario.load import Scenario, load_scenario
from .claim_trail import ClaimTrail, claim_trails, claims_of_key
from .compare import compare

#: Keys of a scenario file that describe rather than set anything (left out of the difference).
PROSE = frozenset({"title", "description", "tags", "label", "note", "claims", "schema"})
_NAMED = re.compile(r"\bscenarios?\s+([a-z0-9][a-z0-9_.-]*[a-z0-9])", re.I)
_TESTS = re.compile(r"\btests?\s+((?:C\d+)(?:(?:\s*,\s*|\s+and\s+)C\d+)*)")


@dataclass(frozen=True)
class Related:
    """A scenario related to the one explained: its ``name``, ``title``, ``description``,
    ``stance`` (from its tags: "against the argument", "for the argument" or None) and ``role``
    ("extends
    it", "its base", "counterpoint"), the claims it ``answers`` according to the claim map and
    the ``argument`` (the counterpoint's text) that names it, what it ``changes`` (the changed
    keys, each named by the term, strategy, state's actions or round it belongs to) and the
    claims that reach those keys (``touches``), and its own comparison: ``verdict`` (a
    sentence), ``best`` policy and whether that differs from the explained scenario's
    (``flips``)."""

    name: str
    title: str
    description: str
    role: str
    stance: str | None
    answers: tuple[str, ...]
    argument: str | None
    changes: tuple[str, ...]
    touches: tuple[str, ...]
    focal: str
    policies: tuple[str, ...]
    best: str
    margin: float
    verdict: str
    flips: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "role": self.role,
            "stance": self.stance,
            "answers": list(self.answers),
            "argument": self.argument,
            "changes": list(self.changes),
            "touches": list(self.touches),
            "focal": self.focal,
            "policies": list(self.policies),
            "best": self.best,
            "margin": self.margin,
            "verdict": self.verdict,
            "flips": self.flips,
        }


def related(scenario: Scenario, best: str | None = None) -> tuple[Related, ...]:
    """The bundled scenarios that extend ``scenario``, the one it extends, and the
    counterpoints of its claim map (tagged ``counterpoint``, or named by a counterpoint or a
    ``tested_by`` list), sorted by name; each compared exactly (credibility not checked).
    ``best`` is the explained scenario's best policy (for :attr:`Related.flips`)."""
    own_path = _path(scenario.source)
    own_base = _base(scenario.source)
    cmap = scenario.claim_map
    arguments = _arguments(cmap.counterpoints) if cmap is not None else {}
    tested = _tested_by(cmap) if cmap is not None else {}
    trails = claim_trails(scenario)
    out = []
    for name in bundled.scenario_names():
        path = bundled.scenario_path(name)
        if path is None or (own_path is not None and path.resolve() == own_path):
            continue
        if name == scenario.name and own_path is None:
            continue
        other = load_scenario(name)
        same_map = cmap is not None and other.claim_map is not None
        same_map = same_map and Path(other.claim_map.path) == Path(cmap.path)
        if _base(str(path)) == scenario.name:
            role = "extends it"
        elif own_base is not None and own_base == name:
            role = "its base"
        elif same_map and (
            "counterpoint" in (other.data.get("tags") or ()) or name in arguments or name in tested
        ):
            role = "counterpoint"
        else:
            continue
        answers = sorted(
            {*tested.get(name, ()), *(arguments.get(name, (None, ()))[1])}, key=_claim_order
        )
        changes = changed_keys(scenario.data, other.data)
        shown = tuple(dict.fromkeys(_collapse(k) for k in changes))
        other_trails = claim_trails(other) if other.claim_map is not None else ()
        touches = sorted(
            {c for k in changes for c in (*_claims(trails, k), *_claims(other_trails, k))},
            key=_claim_order,
        )
        c = compare(other, credibility=False)
        winner = c.policies[c.best]
        adv = c.advantage
        margin = float(adv[c.best] - max(a for k, a in enumerate(adv) if k != c.best))
        out.append(
            Related(
                name=name,
                title=other.title,
                description=" ".join(str(other.spec.description or "").split()),
                role=role,
                stance=_stance(other.data.get("tags") or ()),
                answers=tuple(answers),
                argument=arguments.get(name, (None, ()))[0],
                changes=shown,
                touches=tuple(touches),
                focal=c.focal,
                policies=tuple(c.policies),
                best=winner,
                margin=margin,
                verdict=c.verdict,
                flips=best is not None and winner != best,
            )
        )
    return tuple(out)


def changed_keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """The dotted keys whose nominal values differ between two scenarios' data, or that only
    one of them sets, sorted: leaves, with prose left out, an uncertain value taken at its
    nominal ``value`` (its range and the ``alternatives`` say how uncertain the model is, not
    what it is)."""
    left, right = _leaves(a), _leaves(b)
    return sorted(k for k in {*left, *right} if left.get(k, _MISSING) != right.get(k, _MISSING))


_MISSING = object()


def _collapse(key: str) -> str:
    """A changed leaf named by what it belongs to: a payoff term, a player's strategy or
    automaton, a player's actions in a state, a round of history."""
    parts = parse_key(key)
    depth = 2
    if parts[0] == "states" and len(parts) > 2 and parts[2] == "actions":
        depth = 4
    elif parts[0] in ("tables", "noise", "horizon", "compare"):
        depth = 3
    return format_key(parts[:depth])


def _leaves(node: Any, prefix: tuple = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, Mapping) and "value" in node and prefix and prefix[0] != "automata":
        out[format_key(prefix)] = node["value"]
    elif isinstance(node, Mapping):
        for k, v in node.items():
            if k not in PROSE and (prefix or k != "alternatives"):
                out.update(_leaves(v, (*prefix, k)))
    elif (
        isinstance(node, Sequence)
        and not isinstance(node, str)
        and node
        and all(isinstance(x, Mapping) for x in node)
    ):
        for name, item in zip(item_names(node), node, strict=True):
            out.update(_leaves(item, (*prefix, name)))
    elif prefix:
        out[format_key(prefix)] = node
    return out


def _stance(tags: Sequence[str]) -> str | None:
    """Which side of the argument a scenario's tags put it on."""
    if "counterpoint" in tags:
        return "against the argument"
    if "pro" in tags:
        return "for the argument"
    return None


def _claims(trails: Sequence[ClaimTrail], key: str) -> tuple[str, ...]:
    """Claims reaching ``key``, or reaching a key under it (a table the other file adds)."""
    found = set(claims_of_key(trails, key))
    for t in trails:
        if any(k.key.startswith((f"{key}.", f"{key}[")) for k in t.keys):
            found.add(t.id)
    return tuple(found)


def _arguments(counterpoints: Sequence[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The counterpoints that name a scenario: its name -> (the text, the claims it tests)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for text in counterpoints:
        text = " ".join(text.split())
        claims = tuple(c for m in _TESTS.finditer(text) for c in re.findall(r"C\d+", m.group(1)))
        for m in _NAMED.finditer(text):
            out.setdefault(m.group(1).rstrip("."), (text, claims))
    return out


def _tested_by(cmap) -> dict[str, tuple[str, ...]]:
    """A claim map's ``tested_by`` lists, turned around: scenario name -> claims."""
    out: dict[str, list[str]] = {}
    for cid, claim in cmap.claims.items():
        for name in getattr(claim, "tested_by", None) or ():
            out.setdefault(str(name), []).append(cid)
    return {k: tuple(v) for k, v in out.items()}


def _claim_order(cid: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", cid)
    return (int(digits) if digits else 0, cid)


def _path(source: str) -> Path | None:
    try:
        path = Path(source)
        return path.resolve() if path.is_file() else None
    except (OSError, ValueError):
        return None


def _base(source: str) -> str | None:
    """The ``base`` a scenario file names (its file stem when it names a file), if any."""
    path = _path(source)
    if path is None or path.suffix != ".toml":
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    base = data.get("base")
    return Path(base).stem if isinstance(base, str) else None
