"""Solve once, evaluate many: a profile of strategies compiled for a setting.

A :class:`CompiledProfile` holds every player's automaton and, built once on first use, the
reachable Markov chain of the profile (:mod:`recip.engine.chain`). Neither depends on the payoffs
when no strategy reads them (:attr:`CompiledProfile.payoff_blind`), and the chain does not depend
on the discount factor, so

* many payoff vectors are evaluated through one solve: the occupancy of each (world state, joint
  action) is computed once and every payoff tensor is contracted with it
  (:meth:`CompiledProfile.values` with ``payoffs`` of shape ``(K, S, J, n)``);
* many discount factors are evaluated on one chain (:meth:`CompiledProfile.discount_function`).

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
from ..core.limits import MAX_SIMULATED_ROUNDS, MAX_SIMULATION_WORK
from ..engine import exact
from ..engine.chain import MAX_CHAIN_STATES, Chain, build_chain
from ..engine.deviation import DeviationModel
from ..engine.deviation_build import deviation_model
from ..engine.linalg import Resolvent
from ..engine.simulate import default_rounds, simulate_profile
from ..strategies import Strategy
from .evaluation import Evaluation
from .setting import Setting

#: Largest share of an infinite discounted horizon's weight a simulation may leave out.
TRUNCATION_ALLOWED = 1e-6


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
        """The reachable Markov chain of the profile under the setting's execution noise."""
        try:
            return build_chain(self.setting.game, self.automata, self.setting.noise)
        except ScenarioError as exc:
            raise exc.located(self.setting.source) from None

    @property
    def deviations(self) -> DeviationModel:
        """Every one-shot deviation's stage payoff and next-situation law, on the closure of
        situations any sequence of actions reaches (for subgame perfection and best
        responses); built once."""
        return self.deviation_model()

    def deviation_model(self, max_states: int = MAX_CHAIN_STATES) -> DeviationModel:
        """:attr:`deviations`, refused beyond ``max_states`` situations."""
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
        with another ``discount`` factor on the same chain."""
        s = self.setting
        disc = s.discount if discount is None else float(discount)
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

    def occupancy(
        self, *, limit_of_means: bool = False, discount: float | None = None
    ) -> np.ndarray:
        """``occupancy[s, j]``: the weighted frequency of joint action ``j`` in state ``s``
        (under the setting's horizon, or with another ``discount`` factor)."""
        weights = self.weights(limit_of_means=limit_of_means, discount=discount)
        return self.chain.occupancy(weights, self.setting.game.max_joint)

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
        if payoffs is None:
            return self.weights(limit_of_means=limit_of_means) @ self.chain.reward
        game = self.setting.game
        payoffs = np.asarray(payoffs, dtype=float)
        if payoffs.shape[-3:] != game.payoffs.shape:
            raise ScenarioError(
                f"payoff tensors of this game have shape (..., "
                f"{', '.join(map(str, game.payoffs.shape))}), not {payoffs.shape}",
                key="payoffs",
            )
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
        self, *, limit_of_means: bool = False, curve_rounds: int | None = None
    ) -> Evaluation:
        """The exact :class:`Evaluation`: values, the expected payoff curve and occupancy."""
        s = self.setting
        discount = None if limit_of_means else s.discount
        rounds = None if limit_of_means else s.rounds
        weights, curve = exact.solve(
            self.chain,
            discount=discount,
            rounds=rounds,
            limit_of_means=limit_of_means,
            curve_rounds=curve_rounds,
        )
        conditions = s.conditions(limit_of_means=limit_of_means)
        return Evaluation(
            title=_title(s, self.labels),
            conditions=conditions,
            game=s.game,
            profile=self.labels,
            method="exact",
            criterion=conditions.criterion,
            discount=discount,
            rounds=rounds,
            noise=s.noise,
            values=weights @ self.chain.reward,
            curve=curve,
            occupancy=self.chain.occupancy(weights, s.game.max_joint),
            chain_size=self.chain.size,
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
    ) -> Evaluation:
        """A Monte Carlo :class:`Evaluation` (see :func:`recip.simulate`)."""
        s = self.setting
        discount = None if limit_of_means else s.discount
        finite = s.rounds is not None and not limit_of_means
        if limit_of_means and rounds is None:
            raise ScenarioError("a limit-of-means simulation needs rounds (e.g. rounds=2000)")
        T = rounds if rounds is not None else default_rounds(discount, s.rounds)
        _check_simulated_rounds(s, T, replicates, finite, discount)
        out = simulate_profile(
            s.game,
            self.automata,
            s.noise,
            rounds=T,
            replicates=replicates,
            seed=seed,
            discount=discount,
            finite=finite,
            record=record,
            workers=workers,
            progress=progress,
        )
        stderr = out.samples.std(axis=0, ddof=1) / np.sqrt(replicates)
        conditions = s.conditions(limit_of_means=limit_of_means)
        return Evaluation(
            title=_title(s, self.labels),
            conditions=conditions,
            game=s.game,
            profile=self.labels,
            method="simulate",
            criterion=conditions.criterion,
            discount=discount,
            rounds=T,
            noise=s.noise,
            values=out.samples.mean(axis=0),
            curve=out.curve,
            occupancy=out.occupancy,
            stderr=stderr,
            samples=out.samples,
            replicates=replicates,
            seed=seed,
            trajectories=(out.actions, out.payoffs) if out.actions is not None else None,
            states=out.states,
        )


def _title(setting: Setting, labels: Sequence[str]) -> str:
    profile = ", ".join(f"{p}: {x}" for p, x in zip(setting.players, labels, strict=True))
    return f"{setting.title} ({profile})"


def _check_simulated_rounds(
    setting: Setting, T: int, replicates: int, finite: bool, discount
) -> None:
    """A simulation must play the horizon it reports: all the rounds of a finite game, and enough
    of an infinite discounted one that the weight left out is negligible; and it must fit recip's
    limits (checked before anything is allocated)."""
    if T > MAX_SIMULATED_ROUNDS:
        why = (
            f"the discount factor {discount:g} needs {T} rounds before the weight left falls "
            "under 1e-9"
            if not finite and discount is not None
            else f"{T} rounds"
        )
        raise ScenarioError(
            f"{why}: more than recip's limit of {MAX_SIMULATED_ROUNDS} simulated rounds; use "
            "the exact method, a smaller discount factor or fewer rounds",
            key="rounds",
        )
    if T * replicates > MAX_SIMULATION_WORK:
        raise ScenarioError(
            f"{replicates} replicates x {T} rounds is more than recip's limit of "
            f"{MAX_SIMULATION_WORK} simulated replicate-rounds; use fewer replicates or rounds",
            key="replicates",
        )
    if finite and setting.rounds != T:
        raise ScenarioError(
            f"the scenario's horizon is {setting.rounds} rounds: simulate exactly that many "
            f"(leave rounds out), not {T}; or change horizon.rounds",
            key="rounds",
        )
    if not finite and discount is not None and discount > 0:
        left = float(discount) ** T
        if left > TRUNCATION_ALLOWED:
            needed = default_rounds(discount, None)
            raise ScenarioError(
                f"{T} rounds leave {left:.2g} of the weight of this infinite discounted horizon "
                f"(discount {discount:g}) unsimulated, so the value would not be the discounted "
                f"value it claims to be; simulate at least {needed} rounds (the default), or set "
                "horizon.rounds to study a finite game",
                key="rounds",
            )


def compile_profile(setting: Setting, strategies: Sequence[Strategy]) -> CompiledProfile:
    """``strategies`` (one per player) compiled for ``setting``."""
    return CompiledProfile(setting, tuple(strategies), setting.compile_profile(strategies))
