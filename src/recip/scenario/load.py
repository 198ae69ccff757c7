"""Loading scenarios: TOML text or file -> validated, checked, immutable :class:`Scenario`."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.errors import ScenarioError, suggest
from ..io.nfg import parse_nfg, read_source
from . import bundled, schema
from .claims import ClaimMap, load_claim_map, resolve
from .errors import from_validation_error
from .nfg import DEFAULT_DISCOUNT, nfg_scenario_data
from .semantics import Spec, check

_MODELS = {
    name
    for name, obj in vars(schema).items()
    if isinstance(obj, type) and issubclass(obj, schema.BaseModel)
}


class FrozenTable(Mapping):
    """A read-only table (a TOML table of a loaded scenario) that pickles, unlike
    :class:`types.MappingProxyType`."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenTable({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a loaded scenario is read-only: use Scenario.with_overrides")

    def __reduce__(self):
        return (FrozenTable, (self._data,))


def freeze(value: Any) -> Any:
    """A read-only view of plain data: tables become :class:`FrozenTable`, arrays tuples."""
    if isinstance(value, dict):
        return FrozenTable({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain, mutable data again (the inverse of :func:`freeze`)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True, eq=False)
class Scenario:
    """A checked scenario. Immutable: :meth:`with_overrides` returns a new one.

    ``data`` is the scenario as read-only plain data (what the file said; :func:`thaw` gives a
    mutable copy), ``spec`` its resolved form,
    ``source`` where it came from (a path, ``<text>`` or ``<dict>``).
    """

    data: Mapping[str, Any]
    spec: Spec
    source: str
    name: str
    base_dir: Path | None = None
    claim_map: ClaimMap | None = field(default=None, repr=False)
    #: The ``(dotted key, value)`` overrides applied to the file, in order.
    overrides: tuple[tuple[str, Any], ...] = ()

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}, title={self.title!r}, players={list(self.players)}, "
            f"states={[s.name for s in self.spec.states]})"
        )

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def players(self) -> tuple[str, ...]:
        return self.spec.players

    @cached_property
    def game(self):
        """The :class:`recip.game.Game` this scenario describes (nominal payoffs)."""
        from .build import build_game

        return build_game(self.spec)

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the scenario's data in canonical JSON form."""
        text = json.dumps(thaw(self.data), sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        source: str = "<dict>",
        name: str | None = None,
        base_dir: Path | None = None,
    ) -> Scenario:
        """Validate plain data (as TOML would give) into a scenario."""
        return _build(thaw(data), source, name or "scenario", base_dir)

    def with_overrides(self, overrides: Mapping[str, Any] | None = None, /, **kw: Any) -> Scenario:
        """A new scenario with values changed by dotted key, validated again.

        Keys are dotted paths into the file: ``"horizon.discount"``, ``"noise.execution"``,
        ``"strategies.india.tolerance"``, ``"payoffs.oil_revenue.russia"`` (a payoff term by its
        ``id``, or by position: ``"payoffs.0.russia"``). Setting a number where the file has an
        uncertain value sets its nominal ``value``. Keyword arguments use ``__`` for dots.

        >>> s = load_scenario("prisoners-dilemma")
        >>> s.with_overrides({"horizon.discount": 0.5}).spec.discount
        0.5
        """
        changes = dict(overrides or {})
        changes.update({k.replace("__", "."): v for k, v in kw.items()})
        data = thaw(self.data)
        for key, value in changes.items():
            _set_dotted(data, key, value, self.source)
        overrides = (*self.overrides, *changes.items())
        return _build(data, self.source, self.name, self.base_dir, overrides)


def _set_dotted(data: dict, key: str, value: Any, source: str) -> None:
    parts = key.split(".")
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            index = _list_index(node, part, where, source)
            if last:
                node[index] = _merge(node[index], value)
                return
            node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = _merge(node.get(part), value)
                return
            if part not in node or node[part] is None:
                node[part] = {}
            elif isinstance(node[part], str) and parts[depth - 1 : depth] == ["strategies"]:
                node[part] = {"name": node[part]}  # a strategy given by name gains parameters
            node = node[part]
        else:
            raise ScenarioError(
                f"cannot set '{key}': '{'.'.join(parts[:depth])}' is a single value",
                file=source,
                key=key,
            )


def _list_index(node: list, part: str, where: str, source: str) -> int:
    if re.fullmatch(r"\d+", part):
        index = int(part)
        if index < len(node):
            return index
    ids = [item.get("id") for item in node if isinstance(item, dict)]
    if part in ids:
        return ids.index(part)
    valid = [i for i in ids if i] or [str(i) for i in range(len(node))]
    raise ScenarioError(f"no entry '{part}'; {suggest(part, valid)}", file=source, key=where)


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and "value" in old and isinstance(new, int | float):
        return {**old, "value": new}
    return new


def _parse_toml(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=source) from None


def _build(
    data: dict,
    source: str,
    name: str,
    base_dir: Path | None,
    overrides: tuple[tuple[str, Any], ...] = (),
) -> Scenario:
    try:
        model = schema.ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, schema.ScenarioFile, source, _MODELS) from None
    try:
        spec = check(model)
        claim_map = None
        if spec.claims_ref is not None:
            path = resolve(spec.claims_ref, base_dir)
            if path is None:
                raise ScenarioError(
                    f"claim map '{spec.claims_ref}' not found next to the scenario or among the "
                    "bundled seeds",
                    key="claims",
                )
            claim_map = load_claim_map(path)
            _check_claim_ids(model, claim_map)
        scenario = Scenario(freeze(data), spec, source, name, base_dir, claim_map, overrides)
        _check_strategies(scenario)
    except ScenarioError as exc:
        raise exc.located(source) from None
    return scenario


def _check_claim_ids(model: schema.ScenarioFile, claim_map: ClaimMap) -> None:
    valid = list(claim_map.claims)
    cited: list[tuple[str, str]] = []
    for sname, st in model.states.items():
        cited += [(f"states.{sname}.claims", c) for c in st.claims]
    for i, h in enumerate(model.history):
        cited += [(f"history[{i}].claims", c) for c in h.claims]
    for i, t in enumerate(model.payoffs):
        cited += [(f"payoffs[{i}].claims", c) for c in t.claims]
    cited += [("horizon.claims", c) for c in model.horizon.claims]
    for player, strat in model.strategies.items():
        if isinstance(strat, dict):
            cited += [(f"strategies.{player}.claims", c) for c in strat.get("claims", [])]
    for key, claim in cited:
        if claim not in valid:
            raise ScenarioError(
                f"claim '{claim}' is not in the claim map {claim_map.path}; "
                f"{suggest(claim, valid)}",
                key=key,
            )


def _check_strategies(scenario: Scenario) -> None:
    """Compile the scenario's own strategies and policies now, so that a bad one is reported
    when the file is loaded rather than in the middle of an analysis."""
    from ..strategies import compile_for, parse

    spec = scenario.spec
    for player, strat in spec.strategies.items():
        compile_for(scenario.game, player, parse(strat, spec.automata, key=f"strategies.{player}"))
    for player, cands in spec.meta_candidates.items():
        for k, cand in enumerate(cands):
            key = f"meta.candidates.{player}[{k}]"
            compile_for(scenario.game, player, parse(cand, spec.automata, key=key))
    for k, policy in enumerate(spec.policies or ()):
        parsed = parse(policy, spec.automata, key=f"compare.policies[{k}]")
        focal = spec.focal
        compile_for(scenario.game, focal, parsed)


def load_scenario(path_or_text: str | Path) -> Scenario:
    """Load a scenario from a file path (TOML, or a Gambit ``.nfg`` game as a one-state
    scenario), a bundled scenario's name, or TOML text.

    >>> load_scenario("prisoners-dilemma").players
    ('row', 'col')
    """
    if isinstance(path_or_text, Path):
        return _load_file(path_or_text)
    text = str(path_or_text)
    if "\n" in text or "=" in text:
        return _build(_parse_toml(text, "<text>"), "<text>", "scenario", None)
    path = Path(text)
    if path.is_file():
        return _load_file(path)
    if path.suffix == ".nfg":
        raise ScenarioError("no such file", file=text)
    packaged = bundled.scenario_path(text)
    if packaged is not None:
        return _load_file(packaged, name=text)
    names = bundled.scenario_names()
    raise ScenarioError(
        f"no scenario file or bundled scenario named '{text}'; {suggest(text, names)}",
        file=text,
    )


def _load_file(path: Path, name: str | None = None) -> Scenario:
    source = str(path)
    if path.suffix.lower() == ".nfg":  # a Gambit game: one world state, its payoff table
        return load_nfg(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror}", file=source) from None
    except UnicodeDecodeError:
        raise ScenarioError("not a text file (expected UTF-8 TOML)", file=source) from None
    data = _parse_toml(text, source)
    return _build(data, source, name or path.stem, path.resolve().parent)


def load_nfg(text_or_path: str | Path, *, discount: float = DEFAULT_DISCOUNT, state: str = "game"):
    """A Gambit ``.nfg`` game (a path or its text) as a one-state :class:`Scenario`, named after
    the file (see :func:`recip.scenario.nfg.read_nfg`)."""
    text, source = read_source(text_or_path)
    data = nfg_scenario_data(parse_nfg(text, source=source), source, discount, state)
    name = Path(source).stem if source != "<text>" else "nfg"
    return Scenario.from_dict(data, source=source, name=name)
