"""Is the reciprocity credible? Every player's strategy checked against the rest of the profile.

A verdict such as "aligning beats balancing for Russia" rests on the partners carrying out their
strategies -- India punishing Russia's neutrality, say. For each compared policy of the focal
player, and each player (partners and the focal player alike), two exact checks against the
others' automata, on the situations (world state, every player's memory) that any history can
reach (:class:`~recip.engine.deviation.DeviationModel`):

* **best response** -- the player's problem against the others' automata is a Markov decision
  problem, solved by policy iteration: its optimal value from the start minus its value under
  its own strategy, per round (:func:`recip.model.best_response.best_response`, which also names
  the best response and writes it as an automaton);
* **subgame perfection** -- no one-shot deviation gains in any reachable situation, on or off
  the path of play (the one-shot deviation principle, as ``recip equilibria --spe``).

A player's strategy is *credible* when both hold (gains compared with a tolerance of ``tol`` in
total discounted payoff, beyond their rounding error bound, as in :mod:`recip.questions.spe`).
Only infinite discounted horizons are checked here; for a finite horizon the comparison notes
that a payoff-maximising partner would not reciprocate in the last round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..model.best_response import BestResponse, best_response
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import ScenarioLike, Setting, as_setting
from .gains import check_discounts, check_each
from .unravelling import unravelling

#: Largest chain (reachable states of a compared profile) whose credibility ``compare`` checks
#: unasked; beyond it the comparison says so (``recip credibility`` checks any size up to
#: ``MAX_CHAIN_STATES``).
AUTO_CHAIN_STATES = 20_000

#: Most transitions (situation x joint action x next world state x intended action x
#: (players + 1)) of the deviation model that ``compare`` builds unasked (about a second).
AUTO_WORK = 2_000_000

#: Most situations (world state, joint memory) any history reaches whose credibility
#: ``compare`` checks unasked (a few seconds of work at most).
AUTO_SITUATIONS = 50_000

STATUS_WORDS = {
    "credible": "credible",
    "not a best response": "not a best response",
    "not subgame perfect": "not subgame perfect off the path",
}


@dataclass(frozen=True, eq=False)
class PlayerCheck:
    """One player's strategy under one of the focal player's policies: ``gain`` (per round,
    from the start) of its best response over its strategy, the largest one-shot gain
    ``one_shot`` (per round, over every reachable situation), the ``status`` and, when it is not
    credible, ``best`` (its best response) or ``deviation`` (the off-path one-shot deviation)."""

    player: str
    strategy: str
    status: str
    gain: float
    one_shot: float
    best: BestResponse | None = None
    deviation: str | None = None

    @property
    def credible(self) -> bool:
        return self.status == "credible"

    def sentence(self, focal: str, policy: str) -> str:
        """Why it is not credible, in one sentence (empty when it is)."""
        if self.credible:
            return ""
        who = (
            f"{policy} is not {focal}'s best response"
            if self.player == focal
            else f"{self.player}'s {self.strategy} is not credible"
        )
        if self.best is not None:
            return (
                f"{who}: {self.best.words} gains {self.player} {self.gain:.4g} per round "
                f"(from {self.best.base:.4g} to {self.best.value:.4g})"
            )
        return f"{who}: off the path of play, {self.deviation}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "player": self.player,
            "strategy": self.strategy,
            "status": self.status,
            "credible": self.credible,
            "best_response_gain": self.gain,
            "largest_one_shot_gain": self.one_shot,
        }
        if self.best is not None:
            out["best_response"] = self.best.to_dict()
        if self.deviation is not None:
            out["deviation"] = self.deviation
        return out


@dataclass(frozen=True, eq=False)
class Credibility(Result):
    """Result of :func:`credibility`: ``checks[k]`` holds every player's check under the focal
    player's policy ``k``."""

    title: str
    conditions: Conditions
    focal: str
    policies: tuple[str, ...]
    checks: tuple[tuple[PlayerCheck, ...], ...]
    discount: float | None
    tol: float
    notes: tuple[str, ...] = ()
    #: Each player's discount factor, when the players have their own (``discount`` is then
    #: None): each player's best response and deviations are at its own.
    discounts: tuple[tuple[str, float], ...] = ()

    kind = "credibility"

    def partners_credible(self, k: int) -> bool:
        return all(c.credible for c in self.checks[k] if c.player != self.focal)

    def sentences(self) -> list[str]:
        """One sentence per strategy that is not credible, by policy."""
        return [
            c.sentence(self.focal, policy)
            for policy, checks in zip(self.policies, self.checks, strict=True)
            for c in checks
            if not c.credible
        ]

    def lines(self) -> list[str]:
        """One short line per policy: the partners whose strategies are not credible, what
        their best responses gain them, and what the focal player could gain itself."""
        out = []
        for policy, checks in zip(self.policies, self.checks, strict=True):
            said = []
            for c in checks:
                if c.credible or c.player == self.focal:
                    continue
                if c.best is not None:
                    said.append(
                        f"{c.player}'s {c.strategy} is not credible ({c.best.words} gains "
                        f"{c.player} {c.gain:.3g} per round)"
                    )
                else:
                    said.append(f"{c.player}'s {c.strategy} is not subgame perfect ({c.deviation})")
            if not said:
                said.append("every partner's strategy is credible")
            own = next((c for c in checks if c.player == self.focal), None)
            if own is not None and own.best is not None:
                said.append(
                    f"{self.focal} itself could gain {own.gain:.3g} per round ({own.best.words})"
                )
            out.append(f"under {policy}: {'; '.join(said)}.")
        return out

    @property
    def summary(self) -> str:
        return " ".join(self.lines())

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "discount": self.discount,
            **({"discounts": dict(self.discounts)} if self.discounts else {}),
            "tol": self.tol,
            "policies": {
                p: [c.to_dict() for c in checks]
                for p, checks in zip(self.policies, self.checks, strict=True)
            },
        }


def player_checks(
    setting: Setting,
    strategies,
    discounts: tuple[float, ...],
    tol: float = 1e-9,
    *,
    max_states=None,
) -> tuple[PlayerCheck, ...]:
    """Every acting player's check in the profile ``strategies``, each player at its discount
    factor ``discounts[i]``."""
    compiled = compile_profile(setting, strategies)
    model = compiled.deviation_model(max_states) if max_states else compiled.deviations
    found = check_each(model, discounts, tol)
    values, total, errors = found["values"], found["total"], found["errors"]
    game = setting.game
    gains = found["gains"]
    out = []
    for i, player in enumerate(game.players):
        if not setting.acting(player):
            continue
        spe_fails = bool((total[i] > np.maximum(tol, errors[i])).any())
        nash_fails = found["nash_total"][i] > max(tol, found["nash_errors"][i])
        status = (
            "not a best response"
            if nash_fails
            else "not subgame perfect"
            if spe_fails
            else "credible"
        )
        best = deviation = None
        if nash_fails:
            best = best_response(model, i, discounts[i], values)
        elif spe_fails:
            deviation = _deviation(model, i, gains[i])
        out.append(
            PlayerCheck(
                player=player,
                strategy=strategies[i].stated_label,
                status=status,
                gain=float(found["nash_round"][i]),
                one_shot=float(gains[i].max(initial=-np.inf)),
                best=best,
                deviation=deviation,
            )
        )
    return tuple(out)


def _deviation(model, i: int, gains: np.ndarray) -> str:
    k, a = np.unravel_index(int(np.argmax(gains)), gains.shape)
    game = model.game
    s = int(model.world[k])
    memories = ", ".join(
        f"{game.players[q]} {model.automata[q].memory_labels[model.memories[k, q]]}"
        for q in range(game.n_players)
        if model.automata[q].n_memories > 1
    )
    where = f" with {memories}" if memories else ""
    return (
        f"{game.actions[s][i][a]} once in {game.states[s]}{where} gains {game.players[i]} "
        f"{gains[k, a]:.4g} (per-round units)"
    )


def credibility(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    discount: float | None = None,
    tol: float = 1e-9,
) -> Credibility:
    """Whether each player's strategy is credible under each of ``focal``'s ``policies``: a
    best response to the others' automata (by policy iteration on the situations any history
    reaches) and subgame perfect (no profitable one-shot deviation in any of them). Defaults as
    in :func:`recip.compare`; ``discount`` (one for every player) defaults to the scenario's
    (an infinite horizon): each player's own, where the players have their own, each player's
    best response then being the best at its own discount factor.

    >>> c = credibility("sindoor-2025")
    >>> [x.status for x in c.checks[1]]  # russia, india, pakistan when russia aligns
    ['not a best response', 'not a best response', 'not a best response']
    """
    setting = as_setting(scenario)
    discounts = check_discounts(setting, discount)
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
        raise ScenarioError(f"the tolerance must be a number >= 0, not {tol!r}", key="tol")
    focal = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    parsed, _ = setting.policy_list(policies)
    profiles = [setting.profile({focal: p}) for p in parsed]
    return Credibility(
        title=f"{setting.title}: is the reciprocity credible?",
        conditions=setting.conditions(profiles[0], focal=focal, infinite=True, discount=discounts),
        focal=focal,
        policies=tuple(p.label for p in parsed),
        checks=tuple(player_checks(setting, s, discounts, float(tol)) for s in profiles),
        tol=float(tol),
        **_discount_fields(setting, discounts),
    )


def _discount_fields(setting: Setting, discounts: tuple[float, ...]) -> dict[str, Any]:
    """``discount`` (one for all) or ``discounts`` (each player's own) of a result."""
    if all(d == discounts[0] for d in discounts):
        return {"discount": float(discounts[0])}
    return {"discount": None, "discounts": tuple(zip(setting.players, discounts, strict=True))}


def auto_check(setting: Setting, focal: str, profiles, labels, evaluations):
    """The credibility a comparison reports unasked: ``(result or None, notes)``. Checked for an
    infinite discounted horizon whose chains have at most :data:`AUTO_CHAIN_STATES` states."""
    largest = max((e.chain_size or 0) for e in evaluations)
    work = _estimated_work(setting, largest)
    if work > AUTO_WORK:
        return None, (
            f"credibility not checked: every one-shot deviation here means about {work:,.0f} "
            f"transitions (the unasked check stops at {AUTO_WORK:,}); run recip credibility",
        )
    if setting.rounds is not None:
        if largest > AUTO_CHAIN_STATES:
            return None, (f"credibility not checked: chains of {largest:,} states",)
        try:
            notes = [
                note
                for policy, strategies in zip(labels, profiles, strict=True)
                for note in unravelling(setting, strategies, focal, policy)
            ]
        except ScenarioError as exc:
            return None, (f"credibility not checked: {exc.message}",)
        return None, tuple(notes)
    if largest > AUTO_CHAIN_STATES:
        return None, (
            f"credibility not checked: chains of {largest:,} states (above "
            f"{AUTO_CHAIN_STATES:,}); run recip credibility for it",
        )
    try:
        checks = tuple(
            player_checks(setting, s, setting.discounts, max_states=AUTO_SITUATIONS)
            for s in profiles
        )
    except ScenarioError as exc:
        return None, (f"credibility not checked: {exc.message}; run recip credibility",)
    result = Credibility(
        title=f"{setting.title}: is the reciprocity credible?",
        conditions=setting.conditions(profiles[0], focal=focal),
        focal=focal,
        policies=tuple(labels),
        checks=checks,
        tol=1e-9,
        **_discount_fields(setting, setting.discounts),
    )
    return result, ()


def _estimated_work(setting: Setting, chain_states: int) -> float:
    """A lower bound on the deviation model's transitions: its situations keep the world state,
    which an i.i.d. nature's averaged chain does not (then each chain state stands for one
    situation per world state), and each has every joint action, next world state and intended
    action."""
    game = setting.game
    S = game.n_states
    situations = chain_states * (S if game.iid else 1)
    if game.moves is None:
        next_states = int((game.transition > 0).sum(axis=1).max(initial=1))
    else:  # a lower bound: the fewest next states any (state, joint action) has
        next_states = int((game.moves > 0).sum(axis=2).min(initial=1))
    per = game.max_joint * next_states * int(game.n_actions.max(initial=1)) * (game.n_players + 1)
    return float(situations) * per
