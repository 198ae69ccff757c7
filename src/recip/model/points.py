"""Many points of a scenario's input space, evaluated exactly, with the work shared between them.

An *axis* is a dotted key of the scenario (the dialect of overrides) whose value varies from point
to point. Points are the rows of a float array ``X`` (one column per axis; an axis with
``options`` holds the index of an option). Axes are of three kinds, by what changing them costs:

* **payoff** -- a payoff value (a term's value for a player, a table entry). Payoffs are linear
  in it with coefficient 1 on the entries it pays, so for a fixed chain and discount factor
  ``v(x) = v(x0) + (x - x0) c`` where ``c`` sums the occupancy over those entries: one solve
  serves every value (when no strategy of the profile reads payoffs; otherwise each distinct
  point is compiled and solved on its own).
* **discount** -- ``horizon.discount``: the chain does not depend on it; one solve per distinct
  value. Setting it gives every player that discount factor (the override replaces a table of
  each player's own). One player's own, ``horizon.discount.india``, is structural: each
  distinct value is a rebuilt scenario, whose players' values are each at their own discount
  factor (one solve per distinct one).
* **structure** -- anything else (a strategy parameter, a player's strategy, noise, nature, a
  term's condition, ...): the scenario is rebuilt with the overrides of each distinct
  combination, validated by the schema as ``--set`` would be, and its chains built once. When
  every structural axis is a player's strategy or one of its parameters, nothing is rebuilt:
  the strategies are parsed and compiled at each combination, and combinations whose automata
  come out the same share one compiled profile (and its chain and solves).

A strategy parameter (``strategies.india.tolerance``) varied together with the player's
alternatives (``strategies.india``) applies to the alternative chosen at the point when that
alternative is the strategy the parameter was declared on (India's own in ``[strategies]``), and
has no effect under another strategy (``myopic`` has no tolerance).

A point may lie beyond the declared range of an uncertain input (a sweep or a break-even search
goes there): the range is widened to include it, since it says how uncertain the value is, not
where it may lie; the value must still be valid (a tolerance in [0, 1]).

Points sharing the structural values share their chains; points sharing also the discount
factor share one solve. The values equal an independent evaluation of each point (to rounding:
they are computed by contracting the occupancy with the payoffs).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import MAX_ABS_PAYOFF
from ..scenario.load import Scenario
from .axes import KINDS, Axis, make_axis, widen
from .profile import CompiledProfile, compile_profile
from .setting import Setting, as_setting

__all__ = ["KINDS", "Axis", "PointEvaluator", "make_axis", "widen"]

#: Compiled profiles kept for reuse by later groups of points (see ``PointEvaluator._compiled``).
KEPT_CHAINS = 64


class PointEvaluator:
    """Every player's exact value at many points, for each of the focal player's policies.

    ``values(X)`` has shape ``(K, P, n)``: point ``k``, policy ``p`` (the focal player follows
    it, the others their scenario strategies at that point), player ``i``.
    """

    def __init__(
        self,
        scenario: Scenario,
        axes: Sequence[Axis],
        *,
        focal: str | None = None,
        policies: Sequence[Any] | None = None,
        limit_of_means: bool = False,
    ):
        self.scenario = scenario
        self.axes = tuple(axes)
        self.setting = as_setting(scenario)
        self.focal = self.setting.check_player(
            focal if focal is not None else self.setting.focal, "compare.focal", "focal player"
        )
        parsed, _ = self.setting.policy_list(policies)
        self.policies = tuple(parsed)
        keys = [a.key for a in self.axes]
        if "horizon.discount" in keys and any(k.startswith("horizon.discount.") for k in keys):
            raise ScenarioError(
                "vary horizon.discount (every player's) or players' own discount factors "
                "(horizon.discount.<player>), not both: the first replaces the others",
                key="horizon.discount",
            )
        self.limit_of_means = limit_of_means
        self._typed: dict[int, type] = {}
        self._chains: dict[tuple, CompiledProfile] = {}

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.policies)

    def values(self, X: np.ndarray, progress: Callable[[int], None] | None = None) -> np.ndarray:
        """The values at the points ``X`` (shape ``(K, d)``), as ``(K, P, n)``; ``progress(k)``
        is called as ``k`` more points are done."""
        X = np.asarray(X, dtype=float).reshape(-1, len(self.axes))
        n = len(self.setting.players)
        out = np.empty((len(X), len(self.policies), n))
        structure = [i for i, a in enumerate(self.axes) if a.kind == "structure"]
        if structure:
            rows, inverse = np.unique(self._moot(X, structure), axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
        else:
            rows, inverse = np.zeros((1, 0)), np.zeros(len(X), dtype=np.int64)
        quick = self._strategy_columns(structure)
        for g, row in enumerate(rows):
            members = np.flatnonzero(inverse == g)
            if quick:
                setting, scenario, chosen = self.setting, self.scenario, self._chosen(quick, row)
            else:
                (setting, scenario), chosen = self._variant(structure, row), {}
            self._group(setting, scenario, X[members], out, members, chosen)
            if progress is not None:
                progress(len(members))
        return out

    # -- strategies varied without rebuilding the scenario ----------------------------------

    def _strategy_columns(self, columns: list[int]) -> dict[int, tuple[str, str | None]] | None:
        """When every structural column is a player's strategy (a choice among alternatives,
        ``strategies.india``) or one of its parameters (``strategies.india.tolerance``), those
        columns as ``{column: (player, parameter or None)}``: such points need no rebuilt
        scenario, only the strategies parsed and compiled (which checks them as a rebuild
        would). Otherwise ``None``."""
        if not columns:
            return None
        players = set(self.setting.players)
        out: dict[int, tuple[str, str | None]] = {}
        for c in columns:
            parts = self.axes[c].key.split(".")
            if parts[0] != "strategies" or len(parts) not in (2, 3) or parts[1] not in players:
                return None
            if (len(parts) == 2) != bool(self.axes[c].options):
                return None
            out[c] = (parts[1], parts[2] if len(parts) == 3 else None)
        return out

    def _chosen(self, columns: dict[int, tuple[str, str | None]], row: np.ndarray) -> dict:
        """The strategies at a point of :meth:`_strategy_columns`' kind: each varied player's
        spec (its alternative, else its own), with the parameters that apply set, parsed."""
        cols = list(columns)
        values = dict(zip(cols, row, strict=True))
        parents = self._parents(cols)
        specs: dict[str, Any] = {}
        for c, (player, param) in columns.items():
            if param is None:
                specs[player] = copy.deepcopy(self.axes[c].value(values[c]))
        try:
            for c, (player, param) in columns.items():
                if param is None or (
                    c in parents and not self._applies(c, parents[c], values[parents[c]])
                ):
                    continue
                spec = specs.get(player, copy.deepcopy(self.scenario.spec.strategies.get(player)))
                spec = {"name": spec} if isinstance(spec, str) else dict(spec or {})
                spec[param] = self._override(c, values[c])
                specs[player] = spec
            return {p: self.setting.parse(s, f"strategies.{p}") for p, s in specs.items()}
        except ScenarioError as exc:
            raise self._at_point(cols, row, exc) from None

    def _at_point(self, columns: list[int], row: np.ndarray, exc: ScenarioError) -> ScenarioError:
        at = ", ".join(
            f"{self.axes[c].key}={self.axes[c].text(x)}" for c, x in zip(columns, row, strict=True)
        )
        return ScenarioError(f"at the point {at}: {exc.message}", key=exc.key)

    # -- one structural variant -------------------------------------------------------------

    def _parents(self, columns: list[int]) -> dict[int, int]:
        """For each structural column that sets a parameter of a player's strategy
        (``strategies.india.tolerance``), the column that chooses that strategy among
        alternatives (``strategies.india``), if there is one."""
        out = {}
        for c in columns:
            for p in columns:
                parent = self.axes[p]
                if parent.options and self.axes[c].key.startswith(parent.key + "."):
                    out[c] = p
        return out

    def _applies(self, child: int, parent: int, x: float) -> bool:
        """Whether a strategy parameter applies under the alternative at index ``x``: only
        when that alternative is the strategy the parameter was declared on (the player's own
        in ``[strategies]``); under another strategy it has no meaning and no effect."""
        player = self.axes[parent].key.split(".", 1)[1]
        own = self.scenario.spec.strategies.get(player)
        return _strategy_name(self.axes[parent].value(x)) == _strategy_name(own)

    def _moot(self, X: np.ndarray, columns: list[int]) -> np.ndarray:
        """The structural columns of ``X``, with the parameters that do not apply at a point
        (see :meth:`_applies`) set to 0, so that points differing only in them share a chain."""
        struct = X[:, columns].copy()
        for child, parent in self._parents(columns).items():
            c, p = columns.index(child), columns.index(parent)
            options = range(len(self.axes[parent].options))
            applies = np.array([self._applies(child, parent, k) for k in options], dtype=bool)
            struct[~applies[struct[:, p].astype(np.int64)], c] = 0.0
        return struct

    def _variant(self, columns: list[int], row: np.ndarray) -> tuple[Setting, Scenario]:
        if not columns:
            return self.setting, self.scenario
        parents = self._parents(columns)
        values = dict(zip(columns, row, strict=True))
        # a strategy is chosen before its parameters are set: parents first
        kept = [c for c in columns if c not in parents] + [
            c for c in columns if c in parents and self._applies(c, parents[c], values[parents[c]])
        ]
        try:
            changes = {self.axes[c].key: self._override(c, values[c]) for c in kept}
            changes.update(self._widen(kept, values))
            scenario = self.scenario.with_overrides(changes)
        except ScenarioError as exc:
            raise self._at_point(columns, row, exc) from None
        return as_setting(scenario), scenario

    def _widen(self, columns: list[int], values: dict[int, float]) -> dict[str, float]:
        """See :func:`widen`."""
        changes = {self.axes[c].key: values[c] for c in columns if not self.axes[c].options}
        return widen(self.scenario, changes)

    def _override(self, column: int, x: float) -> Any:
        """The value of a structural override: an option, or a number typed as the file types
        it (a whole number where the schema wants one, e.g. ``horizon.rounds``)."""
        axis = self.axes[column]
        if axis.options:
            return axis.value(x)
        if float(x).is_integer() and self._typed.get(column) is int:
            return int(x)
        if float(x).is_integer() and column not in self._typed:
            wider = self._widen([column], {column: x})
            try:
                self.scenario.with_overrides({axis.key: float(x), **wider})
                self._typed[column] = float
            except ScenarioError:
                self.scenario.with_overrides({axis.key: int(x), **wider})  # raises if neither fits
                self._typed[column] = int
                return int(x)
        return float(x)

    def _group(
        self,
        setting: Setting,
        scenario: Scenario,
        X: np.ndarray,
        out: np.ndarray,
        members: np.ndarray,
        chosen: dict,
    ) -> None:
        game = setting.game
        S, J, n = game.payoffs.shape
        payoff = [i for i, a in enumerate(self.axes) if a.kind == "payoff"]
        discount = [i for i, a in enumerate(self.axes) if a.kind == "discount"]
        slots = [scenario.payoff_slots[self.axes[i].key] for i in payoff]
        shift = X[:, payoff] - np.array([nominal for _, nominal in slots])  # (k, L)
        if payoff:
            reach = np.abs(game.payoffs).max() + np.abs(shift).max(axis=0).sum()
            if reach > MAX_ABS_PAYOFF:
                raise ScenarioError(
                    f"these payoff values reach {reach:.3g}, beyond recip's payoff bound of "
                    f"{MAX_ABS_PAYOFF:g} (MAX_ABS_PAYOFF)",
                    key=self.axes[payoff[0]].key,
                )
        if discount:
            deltas, which = np.unique(X[:, discount[0]], return_inverse=True)
            which = which.reshape(-1)
            for d in deltas:
                self._check_discount(setting, d)
        else:
            deltas, which = np.array([np.nan]), np.zeros(len(X), dtype=np.int64)
        own = not discount and not self.limit_of_means and setting.own_discounts
        for p, policy in enumerate(self.policies):
            compiled = self._compiled(setting, setting.profile({**chosen, self.focal: policy}))
            if payoff and not compiled.payoff_blind:
                self._one_by_one(
                    setting, compiled.strategies, slots, shift, X, discount, out, members, p
                )
                continue
            if own:  # each player's value at its own discount factor
                occupancy = compiled.player_occupancies().reshape(n, S * J)
                base = _values(occupancy, game.payoffs.reshape(S * J, n))
                slopes = np.zeros((len(payoff), n))
                for a, (index, _) in enumerate(slots):
                    np.add.at(slopes[a], index % n, occupancy[index % n, index // n])
                out[members, p] = base + shift @ slopes
                continue
            for block, occupancies in self._occupancies(compiled, deltas):
                for d_index, occupancy in zip(block, occupancies, strict=True):
                    rows = np.flatnonzero(which == d_index)
                    base = occupancy @ game.payoffs.reshape(S * J, n)
                    if not payoff:
                        out[members[rows], p] = base
                        continue
                    slopes = np.zeros((len(payoff), n))
                    for a, (index, _) in enumerate(slots):
                        np.add.at(slopes[a], index % n, occupancy[index // n])
                    out[members[rows], p] = base + shift[rows] @ slopes

    def _compiled(self, setting: Setting, strategies: tuple) -> CompiledProfile:
        """The compiled profile of ``strategies``, shared with any earlier group whose automata
        came out the same (a strategy parameter moves the automata only where it changes a
        choice: most points of a continuous parameter share a few chains)."""
        compiled = compile_profile(setting, strategies)
        if setting is not self.setting or not compiled.payoff_blind:
            return compiled  # a rebuilt scenario's chains are its own; so are payoff readers
        same = tuple((a.initial, a.policy.tobytes(), a.update.tobytes()) for a in compiled.automata)
        kept = self._chains.get(same)
        if kept is None:
            if len(self._chains) >= KEPT_CHAINS:
                del self._chains[next(iter(self._chains))]
            self._chains[same] = kept = compiled
        return kept

    def _occupancies(self, compiled: CompiledProfile, deltas: np.ndarray):
        """``(indices, occupancies)`` blocks: the occupancy (flat over world state and joint
        action) under each discount factor of ``deltas`` (``nan``: the setting's own horizon),
        many discount factors solved together where the chain allows it."""
        if self.limit_of_means or compiled.setting.rounds is not None or np.isnan(deltas).any():
            for k, d in enumerate(deltas):
                disc = None if np.isnan(d) else float(d)
                occupancy = compiled.occupancy(limit_of_means=self.limit_of_means, discount=disc)
                yield [k], occupancy.reshape(1, -1)
            return
        yield from compiled.discounted_occupancies(deltas)

    def _one_by_one(self, setting, strategies, slots, shift, X, discount, out, members, p):
        """Strategies that read payoffs: each distinct point compiles them again. Points whose
        automata come out the same (a best response changes only where payoffs cross each
        other) share one chain and solve: their values differ in the payoffs only."""
        game = setting.game
        S, J, n = game.payoffs.shape
        flat = game.payoffs.reshape(-1)
        fixed = {i: setting.compile(i, s) for i, s in enumerate(strategies) if not s.reads_payoffs}
        chains: dict[tuple, CompiledProfile] = {}
        solved: dict[tuple, np.ndarray] = {}
        for k in range(len(X)):
            tensor = flat.copy()
            for a, (index, _) in enumerate(slots):
                tensor[index] += shift[k, a]
            variant = setting.with_payoffs(tensor.reshape(game.payoffs.shape))
            disc = float(X[k, discount[0]]) if discount else None
            automata = tuple(
                fixed[i] if i in fixed else variant.compile(i, s) for i, s in enumerate(strategies)
            )
            same = tuple((a.initial, a.policy.tobytes(), a.update.tobytes()) for a in automata)
            occupancy = solved.get((same, disc))
            if occupancy is None:
                # the chain's transitions and start do not depend on the payoffs: one per automata
                if same not in chains:
                    chains[same] = CompiledProfile(variant, tuple(strategies), automata)
                if disc is None and not self.limit_of_means and setting.own_discounts:
                    occupancy = chains[same].player_occupancies().reshape(n, S * J)
                else:
                    occupancy = (
                        chains[same]
                        .occupancy(limit_of_means=self.limit_of_means, discount=disc)
                        .reshape(-1)
                    )
                solved[same, disc] = occupancy
            out[members[k], p] = _values(occupancy, tensor.reshape(S * J, n))

    def _check_discount(self, setting: Setting, d: float) -> None:
        finite = setting.rounds is not None
        if not (0.0 <= d <= 1.0) or (d >= 1.0 and not finite):
            rng = "[0, 1]" if finite else "[0, 1) (the horizon is infinite)"
            raise ScenarioError(
                f"a discount factor must be in {rng}, not {d:.6g}", key="horizon.discount"
            )


def _values(occupancy: np.ndarray, payoffs: np.ndarray) -> np.ndarray:
    """Every player's value from an occupancy ``(S * J,)`` shared by all players, or one per
    player ``(n, S * J)`` (each weighted by its own discount factor), and payoffs ``(S * J,
    n)``."""
    if occupancy.ndim == 1:
        return occupancy @ payoffs
    return np.einsum("ix,xi->i", occupancy, payoffs)


def _strategy_name(spec: Any) -> Any:
    """The name of a strategy written as in ``[strategies]`` (a name or a table)."""
    return spec.get("name") if isinstance(spec, dict) else spec
