"""Evaluate a profile of a scenario, exactly or by simulation.

A *profile* maps players to strategies (a name such as ``"aligning"``, ``"always:support"``, a
table ``{"name": "aligning", "tolerance": 1}``, a scenario automaton's name, or a
:class:`recip.strategies.Strategy`). Players it leaves out play the scenario's ``[strategies]``;
``None`` means the scenario's own profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.errors import ScenarioError
from ..core.limits import MAX_CURVE_ROUNDS
from ..model.evaluation import Evaluation
from ..model.profile import compile_profile
from ..model.setting import ScenarioLike, as_setting
from .checks import check_choice, check_count, check_flag, check_seed

Profile = Mapping[str, Any] | None
METHODS = ("exact", "simulate")


def evaluate(
    scenario: ScenarioLike,
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

    ``scenario`` is a :class:`recip.Scenario`, a bundled scenario's name or a path.
    ``method="exact"`` solves the Markov chain of the profile (see :mod:`recip.engine.exact`);
    ``method="simulate"`` runs :func:`simulate` with ``rounds``, ``replicates``, ``seed``. The
    horizon is the scenario's; ``limit_of_means=True`` asks for the long-run average instead.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})
    >>> evaluate(pd, {"row": "always:defect", "col": "aligning"}).value("row")  # 0.1*5 + 0.9*1
    1.4
    """
    check_choice(method, METHODS, "method")
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
    check_flag(limit_of_means, "limit_of_means")
    if curve_rounds is not None:
        check_count(curve_rounds, "curve_rounds", low=1, high=MAX_CURVE_ROUNDS)
    setting = as_setting(scenario)
    compiled = compile_profile(setting, setting.profile(profile))
    return compiled.evaluation(limit_of_means=limit_of_means, curve_rounds=curve_rounds)


def simulate(
    scenario: ScenarioLike,
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
    the round where the discount weight left falls under 1e-9 (fewer rounds are refused when
    they would leave more than 1e-6 of the weight out). Values use the scenario's criterion.
    ``workers`` threads share the chunks of replicates (same numbers for any count);
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
    check_count(replicates, "replicates", low=2)
    check_seed(seed)
    check_count(workers, "workers", low=1)
    check_flag(limit_of_means, "limit_of_means")
    if rounds is not None:
        check_count(rounds, "rounds", low=1)
    if record is not None:
        check_flag(record, "record")
    if progress is not None and not callable(progress):
        raise ScenarioError("progress must be a function of the replicates done", key="progress")
    setting = as_setting(scenario)
    compiled = compile_profile(setting, setting.profile(profile))
    return compiled.simulation(
        rounds=rounds,
        replicates=replicates,
        seed=seed,
        limit_of_means=limit_of_means,
        record=record,
        workers=workers,
        progress=progress,
    )
