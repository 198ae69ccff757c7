"""Loading scenarios: TOML text or file -> validated, checked, immutable :class:`Scenario`."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..core.errors import ScenarioError, suggest
from ..core.game import Game
from ..core.limits import MAX_NESTING
from ..core.text import echo
from ..io.files import read_text
from ..io.nfg import parse_nfg, read_source
from . import bundled, schema
from .claims import ClaimMap, claim_map_for
from .errors import from_validation_error
from .extend import extend
from .keys import format_key, named_parts, parse_key
from .nfg import DEFAULT_DISCOUNT, nfg_scenario_data
from .overrides import apply, attribute, changes_of
from .payoff_spec import term_keys
from .plain import FrozenTable, check_nesting, freeze, json_default, thaw
from .semantics import Spec, check

__all__ = ["FrozenTable", "Scenario", "freeze", "load_nfg", "load_scenario", "thaw"]

#: The sections of a file that the :class:`~recip.core.game.Game` is built from.
GAME_SECTIONS = ("players", "states", "nature", "history", "payoffs", "tables")
_BUNDLED_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


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
    #: The ``(player, strategy spec)`` pairs that compiled for :attr:`game` when it was loaded
    #: (so that an override that changes neither needs not compile them again).
    checked: frozenset[tuple[str, str]] = field(default=frozenset(), repr=False)

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
    def game(self) -> Game:
        """The :class:`recip.core.game.Game` this scenario describes (nominal payoffs)."""
        from .build import build_game

        return build_game(self.spec)

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the scenario's data in canonical JSON form."""
        # the JSON of thaw(self.data), written without copying the data first
        text = json.dumps(self.data, sort_keys=True, default=json_default, separators=(",", ":"))
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
        if not isinstance(data, Mapping):
            raise ScenarioError(
                f"a scenario is a table of keys (schema, title, players, ...); got {echo(data)}",
                file=source,
            )
        check_nesting(data, file=source)
        data = _extended(thaw(data), source, base_dir)
        return _build(data, source, name or "scenario", base_dir)

    @cached_property
    def payoff_slots(self) -> Mapping[str, tuple[np.ndarray, float]]:
        """Every payoff value of the file by its key (``payoffs.oil_revenue.russia``,
        ``tables.round.row[1][0]``): the flat indices of ``game.payoffs`` it adds to and its
        nominal value. Payoffs are linear in each, with coefficient 1."""
        from .build import slots

        return {
            key: (index, float(getattr(value, "value", value)))
            for key, index, value in slots(self.spec, self.game)
        }

    def canonical_key(self, key: str) -> str:
        """``key`` as recip prints it: positions in brackets, a payoff term by its id."""
        return format_key(named_parts(thaw(self.data), parse_key(key)))

    def with_overrides(self, overrides: Mapping[str, Any] | None = None, /, **kw: Any) -> Scenario:
        """A new scenario with values changed by dotted key, validated again.

        Keys are dotted paths into the file (:mod:`recip.scenario.keys`): ``"horizon.discount"``,
        ``"noise.execution"``, ``"strategies.india.tolerance"``, ``"payoffs.oil_revenue.russia"``
        (a payoff term by its ``id``), ``"payoffs[0].russia"`` or ``"payoffs.0.russia"`` (by
        position), ``"tables.round.row[1][0]"``. Setting a number where the file has an uncertain
        value sets its nominal ``value``. Keyword arguments use ``__`` for dots.

        An invalid result raises a :class:`ScenarioError` that names the override that caused it
        (``file == "--set"``, ``overrides == ("KEY=VALUE",)``), not the scenario's file.

        >>> s = load_scenario("prisoners-dilemma")
        >>> s.with_overrides({"horizon.discount": 0.5}).spec.discount
        0.5
        """
        changes = changes_of(overrides, kw)
        data = thaw(self.data)
        applied = apply(data, changes)
        # an override changes only what lies under its key: the game is the same when no key
        # reaches into a section it is built from
        same_game = all(a.parts[0] not in GAME_SECTIONS for a in applied)
        try:
            return _build(
                data,
                self.source,
                self.name,
                self.base_dir,
                (*self.overrides, *((k, copy.deepcopy(v)) for k, v in changes)),
                parent=self,
                same_game=same_game,
            )
        except ScenarioError as exc:
            raise attribute(exc, data, applied, self.source) from None


def _parse_toml(text: str, source: str) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", file=source) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ScenarioError(
            f"arrays and tables nest too deeply; recip's limit is {MAX_NESTING} levels "
            "(MAX_NESTING)",
            file=source,
        ) from None
    if not data:
        raise ScenarioError(
            "the file holds no keys; a scenario needs at least schema, title, players, states "
            "and horizon",
            file=source,
        )
    check_nesting(data, file=source)
    return data


def _build(
    data: dict,
    source: str,
    name: str,
    base_dir: Path | None,
    overrides: tuple[tuple[str, Any], ...] = (),
    parent: Scenario | None = None,
    same_game: bool = False,
) -> Scenario:
    for key in ("base", "changes"):
        if isinstance(data, dict) and key in data:  # resolved as a file is read, not later
            raise ScenarioError(
                f"'{key}' is resolved when a scenario file is read; set the keys themselves "
                "instead (with --set or with_overrides)",
                file=source,
                key=key,
            )
    try:
        model = schema.ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, schema.ScenarioFile, source, data) from None
    try:
        spec = check(model)
        claim_map = None
        if spec.claims_ref is not None:
            claim_map = claim_map_for(spec.claims_ref, base_dir)
            _check_claim_ids(model, claim_map)
        frozen = freeze(data)
        scenario = Scenario(frozen, spec, source, name, base_dir, claim_map, overrides)
        if parent is not None and same_game:
            scenario.__dict__["game"] = parent.game
        scenario.game  # noqa: B018 -- built now, so that payoff bounds are checked at load
        object.__setattr__(scenario, "checked", _check_strategies(scenario, parent))
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
    for key, t in zip(term_keys(model), model.payoffs, strict=True):
        cited += [(f"{key}.claims", c) for c in t.claims]
    cited += [("horizon.claims", c) for c in model.horizon.claims]
    if model.nature is not None:
        for i, rule in enumerate(model.nature.after):
            cited += [(f"nature.after[{i}].claims", c) for c in rule.claims]
    for player, strat in model.strategies.items():
        if isinstance(strat, dict):
            claims = strat.get("claims", [])
            if not isinstance(claims, list) or not all(isinstance(c, str) for c in claims):
                raise ScenarioError(
                    "claims are a list of claim ids", key=f"strategies.{player}.claims"
                )
            cited += [(f"strategies.{player}.claims", c) for c in claims]
    for key, claim in cited:
        if claim not in valid:
            raise ScenarioError(
                f"claim {echo(claim)} is not in the claim map {claim_map.path}; "
                f"{suggest(claim, valid)}",
                key=key,
            )


def _same_structure(a: Game, b: Game) -> bool:
    """Whether two games differ at most in their payoffs (what strategies that do not read
    payoffs compile from is then the same)."""
    return (
        a.players == b.players
        and a.states == b.states
        and a.actions == b.actions
        and a.history == b.history
        and all(
            np.array_equal(getattr(a, f), getattr(b, f))
            for f in ("stances", "transition", "start", "n_joint")
        )
        and (a.moves is None) == (b.moves is None)
        and (a.moves is None or np.array_equal(a.moves, b.moves))
    )


def _check_strategies(scenario: Scenario, parent: Scenario | None) -> frozenset[tuple[str, str]]:
    """Compile the scenario's own strategies and policies now, so that a bad one is reported
    when the file is loaded rather than in the middle of an analysis.

    After an override, a strategy that compiled before is not compiled again when neither its
    spec nor what it compiles from changed: the same game, or a game with other payoffs only
    for a strategy that does not read payoffs (``myopic``, ``win-stay-lose-shift`` and ``zd``
    do)."""
    from ..strategies import compile_for, parse

    spec = scenario.spec
    jobs = [(p, s, f"strategies.{p}") for p, s in spec.strategies.items()]
    for player, cands in spec.meta_candidates.items():
        jobs += [(player, c, f"meta.candidates.{player}[{k}]") for k, c in enumerate(cands)]
    for k, policy in enumerate(spec.policies or ()):
        jobs.append((spec.focal, policy, f"compare.policies[{k}]"))
    for player, options in spec.alternatives.items():
        jobs += [
            (player, s, f"alternatives.{player}[{k}].strategy") for k, (s, _) in enumerate(options)
        ]
    _check_parameter_ranges(spec)
    reuse = "none"
    if parent is not None and parent.spec.automata == spec.automata:
        if parent.game is scenario.game:
            reuse = "all"
        elif _same_structure(parent.game, scenario.game):
            reuse = "payoff-blind"
    done = set()
    for player, strat, key in jobs:
        ident = (player, repr(strat))
        if reuse == "all" and ident in parent.checked:
            done.add(ident)
            continue
        parsed = parse(strat, spec.automata, key=key)
        if reuse == "payoff-blind" and ident in parent.checked and not parsed.reads_payoffs:
            done.add(ident)
            continue
        compile_for(scenario.game, player, parsed)
        done.add(ident)
    return frozenset(done)


def _check_parameter_ranges(spec) -> None:
    """An uncertain strategy parameter's range must be valid for the strategy at both ends (and
    at its nominal value, which the strategy itself is parsed with)."""
    from ..strategies import parse

    for param in spec.inputs:
        parts = param.key.split(".")
        if parts[0] != "strategies":
            continue
        player, name = parts[1], parts[2]
        for end in ("low", "high"):
            x = getattr(param.uncertain, end)
            if x is None:
                continue
            try:
                parse(
                    {**spec.strategies[player], name: x}, spec.automata, key=f"strategies.{player}"
                )
            except ScenarioError as exc:
                raise ScenarioError(
                    f"the {end} end of the range is not valid: {exc.message}",
                    key=f"{param.key}.{end}",
                ) from None


def load_scenario(path_or_text: str | Path) -> Scenario:
    """Load a scenario from a file path (TOML, or a Gambit ``.nfg`` game as a one-state
    scenario), a bundled scenario's name, or TOML text.

    A string is TOML text when it has a line break; otherwise an existing file (whatever its
    name holds, ``=`` included) wins, then a bundled scenario's name, then one line of TOML.

    >>> load_scenario("prisoners-dilemma").players
    ('row', 'col')
    """
    if isinstance(path_or_text, Path):
        return _load_file(path_or_text)
    if not isinstance(path_or_text, str):
        raise ScenarioError(
            "expected a scenario: a file path, a bundled scenario's name or TOML text; got "
            f"{type(path_or_text).__name__} {echo(path_or_text)}",
            key="scenario",
        )
    text = path_or_text.removeprefix("\ufeff")
    if "\n" in text:
        data = _extended(_parse_toml(text, "<text>"), "<text>", None)
        return _build(data, "<text>", "scenario", None)
    if not text.strip():
        raise ScenarioError("no scenario named: give a file path or a bundled scenario's name")
    path = Path(text)
    if os.path.lexists(text):  # a broken or looping link is reported as such by read_text
        return _load_file(path)
    if _BUNDLED_NAME.match(text):
        packaged = bundled.scenario_path(text)
        if packaged is not None:
            return _load_file(packaged, name=text)
    if "=" in text and _is_toml(text):
        return _build(_parse_toml(text, "<text>"), "<text>", "scenario", None)
    shown = echo(text, 200)[1:-1]
    if path.suffix.lower() in (".toml", ".nfg") or os.sep in text or "/" in text:
        raise ScenarioError("no such file", file=shown)
    names = bundled.scenario_names()
    raise ScenarioError(
        f"no such file or bundled scenario; {suggest(text, names)}",
        file=shown,
    )


def _is_toml(text: str) -> bool:
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    return True


def _load_file(path: Path, name: str | None = None) -> Scenario:
    source = str(path)
    if path.suffix.lower() == ".nfg":  # a Gambit game: one world state, its payoff table
        return load_nfg(path)
    data = _parse_toml(read_text(path, "scenario file"), source)
    data = _extended(data, source, path.resolve().parent)
    return _build(data, source, name or path.stem, path.resolve().parent)


def _extended(data: dict, source: str, folder: Path | None) -> dict:
    """``data`` with its ``base`` and ``changes`` resolved (:mod:`recip.scenario.extend`)."""
    try:
        return extend(data, source, folder, _parse_toml)
    except ScenarioError as exc:
        raise exc.located(source) from None


def load_nfg(text_or_path: str | Path, *, discount: float = DEFAULT_DISCOUNT, state: str = "game"):
    """A Gambit ``.nfg`` game (a path or its text) as a one-state :class:`Scenario`, named after
    the file (see :func:`recip.scenario.nfg.read_nfg`)."""
    text, source = read_source(text_or_path)
    data = nfg_scenario_data(parse_nfg(text, source=source), source, discount, state)
    name = Path(source).stem if source != "<text>" else "nfg"
    return Scenario.from_dict(data, source=source, name=name)
