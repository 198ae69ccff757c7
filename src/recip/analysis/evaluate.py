"""Evaluate a profile of a scenario, exactly or by simulation.

A *profile* maps players to strategies (a name such as ``"aligning"``, ``"always:support"``, a
table ``{"name": "aligning", "tolerance": 1}``, a scenario automaton's name, or a
:class:`recip.strategies.Strategy`). Players it leaves out play the scenario's ``[strategies]``;
``None`` means the scenario's own profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..engine import exact
from ..engine.chain import build_chain
from ..engine.result import Evaluation
from ..engine.simulate import default_rounds, simulate_profile
from ..errors import ScenarioError, suggest
from ..strategies import Automaton, Strategy, compile_for, parse

Profile = Mapping[str, Any] | None


def resolve_profile(scenario, profile: Profile = None) -> list[Strategy]:
    """The strategy of every player: ``profile`` first, then the scenario's ``[strategies]``.

    A player that never acts needs no strategy (it passes); any other player without one is an
    error naming the missing key.
    """
    spec = scenario.spec
    game = scenario.game
    chosen: dict[str, Strategy] = {}
    for player, strat in (profile or {}).items():
        if player not in spec.players:
            raise ScenarioError(
                f"unknown player '{player}' in the profile; {suggest(player, spec.players)}",
                file=scenario.source,
            )
        chosen[player] = parse(strat, spec.automata, key=f"profile.{player}")
    out = []
    for i, player in enumerate(spec.players):
        if player in chosen:
            out.append(chosen[player])
        elif player in spec.strategies:
            out.append(parse(spec.strategies[player], spec.automata, key=f"strategies.{player}"))
        elif not game.acts[:, i].any():
            out.append(parse("balancing"))
        else:
            raise ScenarioError(
                f"no strategy for {player}: add it to [strategies] (e.g. {player} = "
                f'"aligning"), to the profile, or on the command line with --set '
                f"strategies.{player}='\"aligning\"'",
                file=scenario.source,
                key=f"strategies.{player}",
            )
    return out


def compile_profile(scenario, strategies: list[Strategy]) -> list[Automaton]:
    try:
        return [
            compile_for(scenario.game, p, s)
            for p, s in zip(scenario.spec.players, strategies, strict=True)
        ]
    except ScenarioError as exc:
        raise exc.located(scenario.source) from None


def profile_chain(scenario, automata: list[Automaton]):
    """The reachable Markov chain of compiled automata under the scenario's execution noise
    (a chain too large for recip's limits is a :class:`ScenarioError` naming the file)."""
    noise = [scenario.spec.noise[p] for p in scenario.spec.players]
    try:
        return build_chain(scenario.game, automata, noise)
    except ScenarioError as exc:
        raise exc.located(scenario.source) from None


def _criterion(discount, rounds, limit_of_means: bool) -> str:
    if limit_of_means:
        return "limit-of-means"
    if rounds is not None:
        return "finite" if discount is None else "discounted-finite"
    return "discounted"


def evaluate(
    scenario,
    profile: Profile = None,
    *,
    method: str = "exact",
    limit_of_means: bool = False,
    curve_rounds: int | None = None,
    rounds: int | None = None,
    replicates: int = 10_000,
    seed: int = 0,
    workers: int = 1,
) -> Evaluation:
    """Per-round value of a profile for every player.

    ``method="exact"`` solves the Markov chain of the profile (see :mod:`recip.engine.exact`);
    ``method="simulate"`` runs :func:`simulate` with ``rounds``, ``replicates``, ``seed``. The
    horizon is the scenario's; ``limit_of_means=True`` asks for the long-run average instead.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})
    >>> evaluate(pd, {"row": "always:defect", "col": "aligning"}).value("row")  # 0.1*5 + 0.9*1
    1.4
    """
    if method == "simulate":
        return simulate(
            scenario,
            profile,
            rounds=rounds,
            replicates=replicates,
            seed=seed,
            limit_of_means=limit_of_means,
            workers=workers,
        )
    if method != "exact":
        raise ScenarioError(f"unknown method '{method}'; valid: exact, simulate")
    strategies = resolve_profile(scenario, profile)
    automata = compile_profile(scenario, strategies)
    spec = scenario.spec
    noise = [spec.noise[p] for p in spec.players]
    chain = profile_chain(scenario, automata)
    discount = None if limit_of_means else spec.discount
    hz_rounds = None if limit_of_means else spec.rounds
    weights, curve = exact.solve(
        chain,
        discount=discount,
        rounds=hz_rounds,
        limit_of_means=limit_of_means,
        curve_rounds=curve_rounds,
    )
    values = weights @ chain.reward
    return Evaluation(
        game=scenario.game,
        profile=tuple(s.label for s in strategies),
        method="exact",
        criterion=_criterion(discount, hz_rounds, limit_of_means),
        discount=discount,
        rounds=hz_rounds,
        noise=tuple(noise),
        values=values,
        curve=curve,
        occupancy=chain.occupancy(weights, scenario.game.max_joint),
        chain_size=chain.size,
    )


def simulate(
    scenario,
    profile: Profile = None,
    *,
    rounds: int | None = None,
    replicates: int = 10_000,
    seed: int = 0,
    limit_of_means: bool = False,
    record: bool | None = None,
    workers: int = 1,
    progress=None,
) -> Evaluation:
    """Monte Carlo estimate of a profile's values, with standard errors.

    ``rounds`` defaults to the scenario's finite horizon, or for an infinite discounted one to
    the round where the discount weight left falls under 1e-9. Values use the scenario's
    criterion. ``workers`` threads share the chunks of replicates (same numbers for any count);
    ``progress(n)`` is called as chunks of ``n`` replicates finish. The result's ``samples``
    holds every replicate's values; with ``record`` (default: when small) ``trajectories``
    holds every realised action and payoff.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma")
    >>> a = simulate(pd, replicates=2000, seed=1)
    >>> b = simulate(pd, replicates=2000, seed=1)
    >>> bool((a.samples == b.samples).all())
    True
    """
    if not isinstance(replicates, int) or replicates < 2:
        raise ScenarioError(f"replicates must be a whole number of at least 2, not {replicates!r}")
    if not isinstance(seed, int) or seed < 0:
        raise ScenarioError(f"seed must be a non-negative whole number, not {seed!r}")
    strategies = resolve_profile(scenario, profile)
    automata = compile_profile(scenario, strategies)
    spec = scenario.spec
    noise = [spec.noise[p] for p in spec.players]
    discount = None if limit_of_means else spec.discount
    finite = spec.rounds is not None and not limit_of_means
    if limit_of_means and rounds is None:
        raise ScenarioError("a limit-of-means simulation needs rounds (e.g. rounds=2000)")
    T = rounds if rounds is not None else default_rounds(discount, spec.rounds)
    if not isinstance(T, int) or T < 1:
        raise ScenarioError(f"rounds must be a whole number of at least 1, not {T!r}")
    out = simulate_profile(
        scenario.game,
        automata,
        noise,
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
    return Evaluation(
        game=scenario.game,
        profile=tuple(s.label for s in strategies),
        method="simulate",
        criterion=_criterion(discount, spec.rounds if finite else None, limit_of_means),
        discount=discount,
        rounds=T,
        noise=tuple(noise),
        values=out.samples.mean(axis=0),
        curve=out.curve,
        occupancy=out.occupancy,
        stderr=stderr,
        samples=out.samples,
        replicates=replicates,
        seed=seed,
        trajectories=(out.actions, out.payoffs) if out.actions is not None else None,
    )
