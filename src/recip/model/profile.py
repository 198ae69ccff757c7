"""Solve once, evaluate many: a profile of strategies compiled for a setting.

A :class:`CompiledProfile` holds every player's automaton and, built once on first use, the
reachable Markov chain of the profile (:mod:`recip.engine.chain`). Neither depends on the payoffs
when no strategy reads them (:attr:`CompiledProfile.payoff_blind`), and the chain does not depend
on the discount factor, so

* many payoff vectors are evaluated through one solve: the occupancy of each (world state, joint
  action) is computed once and every payoff tensor is contracted with it
  (:meth:`CompiledProfile.values` with ``payoffs`` of shape ``(K, S, J, n)``);
* many discount factors are evaluated on one chain (:meth:`CompiledProfile.discount_function`);
  so are players with discount factors of their own: one solve per *distinct* discount factor,
  each player's value from the solve at its own. The occupancy (who did what how often) is
  then weighted by one player's discount factor: the focal player's unless asked otherwise.

>>> from recip.model.setting import as_setting
>>> s = as_setting("prisoners-dilemma")
>>> profile = compile_profile(s, s.profile({"row": "always:defect"}))
>>> payoffs = np.stack([s.game.payoffs, 2 * s.game.payoffs])      # two payoff vectors at once
>>> bool(np.allclose(profile.values(payoffs)[1], 2 * profile.values()))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..core.automaton import Automaton
from ..core.errors import ScenarioError
from ..core.limits import MAX_CURVE_ROUNDS
from ..engine import exact
from ..engine.chain import MAX_CHAIN_STATES, Chain, build_chain
from ..engine.deviation import DeviationModel
from ..engine.deviation_build import deviation_model
from ..engine.linalg import Resolvent
from ..engine.simulate import default_rounds, simulate_profile
from ..strategies import Strategy
from .evaluation import Evaluation
from .setting import Setting
from .sim_horizon import check_simulated_rounds


@dataclass(frozen=True, eq=False)
class CompiledProfile:
    """Every player's strategy compiled for a setting; the chain is built once, on first use."""

    setting: Setting
    strategies: tuple[Strategy, ...]
    automata: tuple[Automaton, ...]
    _weights: dict = field(default_factory=dict, repr=False)  # solved once, by question

    def __repr__(self) -> str:
        return f"CompiledProfile({dict(zip(self.setting.players, self.labels, strict=True))})"

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.strategies)

    @property
    def payoff_blind(self) -> bool:
        """Whether the automata (and so the chain) are the same under every payoff tensor."""
        return not any(s.reads_payoffs for s in self.strategies)

    @cached_property
    def chain(self) -> Chain:
        """The reachable Markov chain of the profile under the setting's execution and
        observation noise."""
        s = self.setting
        try:
            return build_chain(
                s.game,
                self.automata,
                s.noise,
                observation=s.observation if s.observes_privately else None,
            )
        except ScenarioError as exc:
            raise exc.located(self.setting.source) from None

    @property
    def deviations(self) -> DeviationModel:
        """Every one-shot deviation's stage payoff and next-situation law, on the closure of
        situations any sequence of actions reaches (for subgame perfection and best
        responses); built once."""
        return self.deviation_model()

    def deviation_model(self, max_states: int = MAX_CHAIN_STATES) -> DeviationModel:
        """:attr:`deviations`, refused beyond ``max_states`` situations, and refused (a
        :class:`ScenarioError` naming ``noise.observation``) when players misread each other's
        actions: the situations assume a history every player shares."""
        self.setting.require_shared_history("a one-shot deviation or best-response analysis")
        key = ("deviations", max_states)
        if key not in self._weights:
            s = self.setting
            try:
                self._weights[key] = deviation_model(
                    s.game, self.automata, s.noise, max_states=max_states
                )
            except ScenarioError as exc:
                raise exc.located(s.source) from None
        return self._weights[key]

    # -- values ----------------------------------------------------------------------------

    def weights(self, *, limit_of_means: bool = False, discount: float | None = None) -> np.ndarray:
        """Occupancy weights over chain states (summing to 1) under the setting's horizon, or
        with another ``discount`` factor on the same chain. When the players have discount
        factors of their own, the setting's horizon weights rounds by the focal player's."""
        s = self.setting
        if discount is None and s.own_discounts and not limit_of_means:
            return self.own_weights(s.discount_of(s.focal))
        disc = (None if limit_of_means else s.discount) if discount is None else float(discount)
        key = ("weights", bool(limit_of_means))
        if discount is None and key in self._weights:
            return self._weights[key]
        weights = exact.solve(
            self.chain,
            discount=None if limit_of_means else disc,
            rounds=None if limit_of_means else s.rounds,
            limit_of_means=limit_of_means,
            curve_rounds=1,
        )[0]
        if discount is None:  # the setting's own horizon is asked again and again: keep it
            self._weights[key] = weights
        return weights

    def own_weights(self, discount: float) -> np.ndarray:
        """:meth:`weights` at ``discount`` under the setting's number of rounds, kept: with
        discount factors of their own, each distinct one is asked again and again."""
        key = ("own", float(discount))
        if key not in self._weights:
            self._weights[key] = self.weights(discount=float(discount))
        return self._weights[key]

    def occupancy(
        self, *, limit_of_means: bool = False, discount: float | None = None
    ) -> np.ndarray:
        """``occupancy[s, j]``: the weighted frequency of joint action ``j`` in state ``s``
        (under the setting's horizon -- by the focal player's discount factor when the players
        have their own -- or with another ``discount`` factor)."""
        weights = self.weights(limit_of_means=limit_of_means, discount=discount)
        return self.chain.occupancy(weights, self.setting.game.max_joint)

    def player_occupancies(self, *, limit_of_means: bool = False) -> np.ndarray:
        """``occupancies[i, s, j]``: :meth:`occupancy` weighted by player ``i``'s own discount
        factor (the same for every player when they share one); one solve per distinct one."""
        s = self.setting
        n = s.game.n_players
        if limit_of_means or not s.own_discounts:
            return np.broadcast_to(self.occupancy(limit_of_means=limit_of_means), (n, *self._shape))
        J = s.game.max_joint
        return np.stack([self.chain.occupancy(self.own_weights(d), J) for d in s.discounts])

    @property
    def _shape(self) -> tuple[int, int]:
        return (self.setting.game.n_states, self.setting.game.max_joint)

    def _own_values(self, reward: np.ndarray) -> np.ndarray:
        """Each player's value at its own discount factor: one solve per distinct one."""
        out = np.empty(reward.shape[1])
        for d in sorted(set(self.setting.discounts)):
            players = [i for i, x in enumerate(self.setting.discounts) if x == d]
            out[players] = self.own_weights(d) @ reward[:, players]
        return out

    def discounted_occupancies(self, discounts: np.ndarray):
        """:meth:`occupancy` under each of many discount factors of an infinite horizon, as
        ``(indices, occupancies)`` blocks (``occupancies``: shape ``(k, S * J)``), the systems
        of a small chain solved together (:func:`recip.engine.exact.discounted_occupancies`)."""
        J = self.setting.game.max_joint
        for block, weights in exact.discounted_occupancies(self.chain, discounts):
            yield block, self.chain.occupancies(weights, J).reshape(len(block), -1)

    def values(self, payoffs: np.ndarray | None = None, *, limit_of_means: bool = False):
        """Every player's per-round value: under the setting's payoffs (shape ``(n,)``), or under
        each of the payoff tensors ``payoffs`` (shape ``(..., S, J, n)`` -> ``(..., n)``).

        When no strategy reads the payoffs, one solve serves every tensor; otherwise each
        distinct tensor is evaluated on its own compiled profile.
        """
        own = self.setting.own_discounts and not limit_of_means
        if payoffs is None:
            if own:
                return self._own_values(self.chain.reward)
            return self.weights(limit_of_means=limit_of_means) @ self.chain.reward
        game = self.setting.game
        payoffs = np.asarray(payoffs, dtype=float)
        if payoffs.shape[-3:] != game.payoffs.shape:
            raise ScenarioError(
                f"payoff tensors of this game have shape (..., "
                f"{', '.join(map(str, game.payoffs.shape))}), not {payoffs.shape}",
                key="payoffs",
            )
        if self.payoff_blind and own:
            return np.einsum("nsj,...sjn->...n", self.player_occupancies(), payoffs)
        if self.payoff_blind:
            occupancy = self.occupancy(limit_of_means=limit_of_means)
            return np.einsum("sj,...sjn->...n", occupancy, payoffs)
        lead = payoffs.shape[:-3]
        flat = payoffs.reshape(-1, *game.payoffs.shape)
        out = np.empty((len(flat), game.n_players))
        for k, tensor in enumerate(flat):
            setting = self.setting.with_payoffs(tensor)
            other = compile_profile(setting, self.strategies)
            out[k] = other.values(limit_of_means=limit_of_means)
        return out.reshape(*lead, game.n_players)

    def discount_function(self, player: int) -> Callable[[float], float]:
        """``discount -> `` the player's per-round value, from the one chain: the discounted value
        of the infinite game, or with a finite horizon of ``T`` rounds the discount-weighted mean
        of its ``T`` rounds."""
        chain, rounds = self.chain, self.setting.rounds
        if rounds is not None:
            curve = exact.round_payoffs(chain, rounds, chain.reward[:, player])
            steps = np.arange(rounds, dtype=float)

            def finite(discount: float) -> float:
                w = discount**steps if discount > 0 else (steps == 0).astype(float)
                return float(w @ curve / w.sum())

            return finite
        solver = Resolvent(chain.transition.T)
        reward = chain.reward[:, player]

        def discounted(discount: float) -> float:
            # mu0 (I - delta P)^-1 r = ((I - delta P^T)^-1 mu0) . r
            occupancy = solver(discount, chain.start)
            return float((1.0 - discount) * occupancy @ reward)

        return discounted

    # -- evaluations -----------------------------------------------------------------------

    def evaluation(
        self,
        *,
        limit_of_means: bool = False,
        curve_rounds: int | None = None,
        weighted_by: str | None = None,
    ) -> Evaluation:
        """The exact :class:`Evaluation`: values, the expected payoff curve and occupancy.

        When the players have discount factors of their own, each player's value is taken at
        its own (one solve per distinct discount factor) and the occupancy is weighted by
        ``weighted_by``'s (default: the setting's focal player)."""
        s = self.setting
        if s.own_discounts and not limit_of_means:
            return self._own_evaluation(curve_rounds, weighted_by)
        discount = None if limit_of_means else s.discount
        rounds = None if limit_of_means else s.rounds
        weights, curve = exact.solve(
            self.chain,
            discount=discount,
            rounds=rounds,
            limit_of_means=limit_of_means,
            curve_rounds=curve_rounds,
        )
        return self._exact(
            s.conditions(limit_of_means=limit_of_means),
            values=weights @ self.chain.reward,
            curve=curve,
            occupancy=self.chain.occupancy(weights, s.game.max_joint),
            discount=discount,
            rounds=rounds,
        )

    def _exact(self, conditions, **fields) -> Evaluation:
        """An exact :class:`Evaluation` of this profile under ``conditions``: what every exact
        evaluation records (the one place, so that no field is forgotten on one path), plus
        ``fields`` (values, curve, occupancy, horizon)."""
        s = self.setting
        return Evaluation(
            title=_title(s, self.labels),
            conditions=conditions,
            game=s.game,
            profile=self.labels,
            method="exact",
            criterion=conditions.criterion,
            noise=s.noise,
            observation=s.observation_rates(),
            chain_size=self.chain.size,
            **fields,
        )

    def _own_evaluation(self, curve_rounds: int | None, weighted_by: str | None) -> Evaluation:
        """:meth:`evaluation` when the players have discount factors of their own."""
        s = self.setting
        weigh = s.check_player(weighted_by or s.focal, "weighted_by")
        # the curve does not depend on the discount: long enough for the most patient player
        T = min(curve_rounds or exact.curve_length(max(s.discounts), s.rounds), MAX_CURVE_ROUNDS)
        solved = {}
        for d in sorted(set(s.discounts)):
            solved[d], curve = exact.solve(self.chain, discount=d, rounds=s.rounds, curve_rounds=T)
            self._weights.setdefault(("own", d), solved[d])
        reward = self.chain.reward
        values = np.array([solved[d] @ reward[:, i] for i, d in enumerate(s.discounts)])
        return self._exact(
            s.conditions(weighted_by=weigh),
            values=values,
            curve=curve,
            occupancy=self.chain.occupancy(solved[s.discount_of(weigh)], s.game.max_joint),
            discount=None,
            rounds=s.rounds,
            discounts=s.discounts,
            weighted_by=weigh,
        )

    def simulation(
        self,
        *,
        rounds: int | None = None,
        replicates: int = 10_000,
        seed: int = 0,
        limit_of_means: bool = False,
        record: bool | None = None,
        workers: int = 1,
        progress=None,
        weighted_by: str | None = None,
    ) -> Evaluation:
        """A Monte Carlo :class:`Evaluation` (see :func:`recip.simulate`). With discount
        factors of their own, each replicate's value for a player weights rounds by that
        player's, the occupancy by ``weighted_by``'s (default: the focal player's), and an
        infinite horizon is simulated long enough for the most patient player."""
        s = self.setting
        own = s.own_discounts and not limit_of_means
        weigh = s.check_player(weighted_by or s.focal, "weighted_by") if own else None
        discount = s.discounts if own else None if limit_of_means else s.discount
        longest = max(s.discounts) if own else discount
        finite = s.rounds is not None and not limit_of_means
        if limit_of_means and rounds is None:
            raise ScenarioError("a limit-of-means simulation needs rounds (e.g. rounds=2000)")
        T = rounds if rounds is not None else default_rounds(longest, s.rounds)
        check_simulated_rounds(s, T, replicates, finite, longest)
        out = simulate_profile(
            s.game,
            self.automata,
            s.noise,
            observation=s.observation if s.observes_privately else None,
            rounds=T,
            replicates=replicates,
            seed=seed,
            discount=discount,
            finite=finite,
            record=record,
            workers=workers,
            progress=progress,
            occupancy_discount=s.discount_of(weigh) if own else None,
        )
        stderr = out.samples.std(axis=0, ddof=1) / np.sqrt(replicates)
        conditions = s.conditions(limit_of_means=limit_of_means, weighted_by=weigh)
        return Evaluation(
            title=_title(s, self.labels),
            conditions=conditions,
            game=s.game,
            profile=self.labels,
            method="simulate",
            criterion=conditions.criterion,
            discount=None if own else discount,
            rounds=T,
            noise=s.noise,
            observation=s.observation_rates(),
            values=out.samples.mean(axis=0),
            curve=out.curve,
            occupancy=out.occupancy,
            stderr=stderr,
            samples=out.samples,
            replicates=replicates,
            seed=seed,
            trajectories=(out.actions, out.payoffs) if out.actions is not None else None,
            discounts=s.discounts if own else None,
            weighted_by=weigh,
            states=out.states,
        )


def _title(setting: Setting, labels: Sequence[str]) -> str:
    profile = ", ".join(f"{p}: {x}" for p, x in zip(setting.players, labels, strict=True))
    return f"{setting.title} ({profile})"


def compile_profile(setting: Setting, strategies: Sequence[Strategy]) -> CompiledProfile:
    """``strategies`` (one per player) compiled for ``setting``."""
    return CompiledProfile(setting, tuple(strategies), setting.compile_profile(strategies))
