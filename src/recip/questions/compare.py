"""Compare a focal player's candidate policies: the question the user asked.

For each policy the focal player might follow (default: ``balancing`` and ``aligning``), the
other players keep the scenario's strategies; recip evaluates every player's value, the focal
advantage of each policy over the first (the baseline), and how each partner then behaves toward
the focal player. Simulated comparisons use common random numbers (the same seed for every
policy), so the advantage has a paired confidence interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.game import Game
from ..model.conditions import Conditions
from ..model.evaluation import Z95, Evaluation
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import ScenarioLike, Setting, as_setting
from .checks import check_choice, check_count, check_seed
from .evaluate import METHODS

#: Advantages smaller than this (in payoff units per round) count as ties in exact comparisons.
TIE = 1e-9


@dataclass(frozen=True, eq=False)
class Comparison(Result):
    """Result of :func:`compare`.

    ``advantage[k]`` is the focal player's value under policy ``k`` minus under policy 0;
    ``advantage_ci[k]`` its 95% interval (a point for exact comparisons, paired across common
    random numbers for simulated ones). ``partners[k][player][state]`` is how often that partner
    sided with (+1), stayed neutral toward (0) or against (-1) the focal player.
    """

    title: str
    conditions: Conditions
    setting: Setting
    focal: str
    policies: tuple[str, ...]
    evaluations: tuple[Evaluation, ...]
    advantage: np.ndarray
    advantage_ci: np.ndarray  # (k, 2)
    partners: tuple[dict[str, dict[str, dict[int, float]]], ...]
    others: dict[str, str]
    method: str
    #: Whether each player's strategy is credible under each policy (exact comparisons of an
    #: infinite horizon, chains up to ``credibility.AUTO_CHAIN_STATES``), else ``None``.
    credibility: Any = None
    notes: tuple[str, ...] = ()

    kind = "comparison"

    def __repr__(self) -> str:
        return f"Comparison({self.focal}: {self.verdict})"

    @property
    def game(self) -> Game:
        return self.setting.game

    @property
    def values(self) -> np.ndarray:
        """``values[k, i]``: player ``i``'s value when the focal player follows policy ``k``."""
        return np.array([e.values for e in self.evaluations])

    @property
    def best(self) -> int:
        """Index of the focal player's best policy (advantages within ``TIE`` of the largest
        tie; ties: the earlier one)."""
        return int(np.flatnonzero(self.advantage >= self.advantage.max() - TIE)[0])

    def decisive(self, k: int) -> bool:
        """Whether policy ``k`` differs from the baseline beyond ties / sampling error."""
        lo, hi = self.advantage_ci[k]
        if self.method == "exact":
            return abs(self.advantage[k]) > TIE
        return lo > 0 or hi < 0

    @property
    def summary(self) -> str:
        """The verdict and, when a strategy is not credible, under which policy and why."""
        if self.credibility is None:
            return self.verdict
        return f"{self.verdict} Credibility: {' '.join(self.credibility.lines())}"

    @property
    def verdict(self) -> str:
        """One line: which policy serves the focal player best, by how much, and under what
        conditions."""
        base = self.policies[0]
        how = "exact" if self.method == "exact" else "simulated, 95% paired interval"
        if len(self.policies) == 1:
            v = self.evaluations[0].value(self.focal)
            return (
                f"{base} gives {self.focal} {v:.4g} per round ({how}), given "
                f"{self.conditions.text()}."
            )
        best = self.best
        if best == 0:
            rivals = [
                k
                for k in range(1, len(self.policies))
                if self.decisive(k) and self.advantage[k] < 0
            ]
            if not rivals:
                return (
                    f"no clear difference for {self.focal} between "
                    f"{' and '.join(self.policies)} ({how}), given {self.conditions.text()}."
                )
            k = max(rivals, key=lambda r: self.advantage[r])
            return (
                f"{base} beats {self.policies[k]} for {self.focal} by "
                f"{-self.advantage[k]:.4g} per round{self._ci(k, -1)} ({how}), given "
                f"{self.conditions.text()}."
            )
        if not self.decisive(best):
            return (
                f"no clear difference for {self.focal} between {self.policies[best]} and "
                f"{base} ({how}), given {self.conditions.text()}."
            )
        return (
            f"{self.policies[best]} beats {base} for {self.focal} by "
            f"{self.advantage[best]:.4g} per round{self._ci(best, 1)} ({how}), given "
            f"{self.conditions.text()}."
        )

    def _ci(self, k: int, sign: int) -> str:
        if self.method == "exact":
            return ""
        lo, hi = sorted(sign * self.advantage_ci[k])
        return f" [{lo:.4g}, {hi:.4g}]"

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "method": self.method,
            "policies": list(self.policies),
            "others": dict(self.others),
            "verdict": self.verdict,
            "best": self.policies[self.best],
            "advantage": {p: float(a) for p, a in zip(self.policies, self.advantage, strict=True)},
            "advantage_interval": {
                p: [float(x) for x in ci]
                for p, ci in zip(self.policies, self.advantage_ci, strict=True)
            },
            "partners": {
                p: {
                    partner: {
                        state: {str(k): float(v) for k, v in freq.items()}
                        for state, freq in states.items()
                    }
                    for partner, states in part.items()
                }
                for p, part in zip(self.policies, self.partners, strict=True)
            },
            "evaluations": {
                p: e.to_dict() for p, e in zip(self.policies, self.evaluations, strict=True)
            },
            "credibility": None if self.credibility is None else self.credibility.payload(),
        }


def _partners(ev: Evaluation, focal: str) -> dict[str, dict[str, dict[int, float]]]:
    g = ev.game
    f = g.player_index(focal)
    out: dict[str, dict[str, dict[int, float]]] = {}
    for i, p in enumerate(g.players):
        if i == f:
            continue
        for s, state in enumerate(g.states):
            if g.acts[s, i] and np.any(g.stances[s, i, : g.n_actions[s, i], f]):
                out.setdefault(p, {})[state] = ev.stance_frequency(p, focal, state)
    return out


def compare(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    method: str = "exact",
    rounds: int | None = None,
    replicates: int = 10_000,
    seed: int = 0,
    workers: int = 1,
    progress=None,
    credibility: bool = True,
) -> Comparison:
    """Evaluate each of ``focal``'s ``policies`` against the scenario's other strategies.

    Defaults come from the scenario's ``[compare]`` section: its focal player (else the first
    player) and its policies (else ``["balancing", "aligning"]``). An exact comparison of an
    infinite horizon also checks, unless ``credibility=False``, whether every player's strategy
    is credible under each policy (:mod:`recip.questions.credibility`). When the players have
    discount factors of their own, each player's value is at its own, and the partners' stance
    frequencies are weighted by the focal player's.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma")
    >>> c = compare(pd, policies=["always:defect", "aligning"])
    >>> c.policies[c.best]
    'aligning'
    """
    check_choice(method, METHODS, "method")
    if method == "simulate":
        check_count(replicates, "replicates", low=2)
        check_seed(seed)
        check_count(workers, "workers", low=1)
    setting = as_setting(scenario)
    focal = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    parsed, where = setting.policy_list(policies)
    labels = tuple(p.label for p in parsed)
    if len(set(labels)) != len(labels):
        raise ScenarioError(
            f"a policy is listed twice: {', '.join(labels)}",
            file=setting.source if where.startswith("compare") else None,
            key=where,
        )
    profiles = [setting.profile({focal: strat}) for strat in parsed]
    others = {
        p: s.stated_label
        for p, s in zip(setting.players, profiles[0], strict=True)
        if p != focal and setting.acting(p)
    }
    evals = []
    for strategies in profiles:
        compiled = compile_profile(setting, strategies)
        if method == "exact":
            evals.append(compiled.evaluation(weighted_by=focal))
        else:
            evals.append(
                compiled.simulation(
                    rounds=rounds,
                    replicates=replicates,
                    seed=seed,
                    workers=workers,
                    progress=progress,
                    weighted_by=focal,
                )
            )
    f = setting.players.index(focal)
    adv = np.array([e.values[f] - evals[0].values[f] for e in evals])
    if method == "exact":
        ci = np.stack([adv, adv], axis=1)
    else:
        diffs = [e.samples[:, f] - evals[0].samples[:, f] for e in evals]
        half = np.array([Z95 * d.std(ddof=1) / np.sqrt(len(d)) for d in diffs])
        ci = np.stack([adv - half, adv + half], axis=1)
    credible, notes = None, ()
    if method == "exact" and credibility:
        from .credibility import auto_check

        credible, notes = auto_check(setting, focal, profiles, labels, evals)
    return Comparison(
        title=f"{setting.title}: {focal}'s policies {', '.join(labels)}",
        conditions=setting.conditions(profiles[0], focal=focal, weighted_by=focal),
        setting=setting,
        focal=focal,
        policies=labels,
        evaluations=tuple(evals),
        advantage=adv,
        advantage_ci=ci,
        partners=tuple(_partners(e, focal) for e in evals),
        others=others,
        method=method,
        credibility=credible,
        notes=notes,
    )
