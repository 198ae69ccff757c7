"""The meta-game: each player picks one repeated-game strategy from a list of candidates.

Its payoffs are exact per-round values of the repeated game: for every profile of candidates,
the Markov chain of the compiled automata is built and solved under the scenario's horizon and
noise (:mod:`recip.engine.exact`). The result is a finite normal-form game ``u`` of shape
``(C_1, ..., C_k, k)`` over the ``k`` players who ever act (players who never act pass and are
left out). recip reports:

* its Nash equilibria (:func:`recip.games.nash.nash_equilibria`: every pure one, and mixed
  ones -- complete for two players, found by support enumeration for more);
* dominance between candidates: ``a`` *strictly* dominates ``b`` for player ``i`` when
  ``u_i(a, o) > u_i(b, o)`` against every profile ``o`` of the others, *weakly* when ``>=``
  everywhere and ``>`` somewhere (ties within the tolerance);
* iterated elimination of strictly dominated candidates, where a dominator may be a *mixture*
  of candidates (a linear programme per candidate; the survivors do not depend on the order of
  elimination [Osborne-Rubinstein1994, ch. 4]); and iterated elimination of weakly dominated
  candidates (pure dominators), removing every weakly dominated candidate of every player at
  once in each round -- a convention, since the outcome of weak elimination depends on order;
* each player's best responses to every profile of the others' candidates: whether aligning is
  a best response for Russia, and whether India's reciprocity is a best response to it.

Candidates come from the ``candidates`` argument, then the scenario's ``[meta]`` section
(``candidates.<player> = [specs]``), then the default: the player's scenario strategy,
``balancing`` and ``aligning`` (duplicates removed).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.text import join_words
from ..games.dominance import BestResponse, Dominance, best_responses, dominance, iterated
from ..games.nash import NashResult, nash_equilibria
from ..model.conditions import Conditions
from ..model.result import Result
from ..model.setting import ScenarioLike, as_setting
from ..model.strategy_game import strategy_game


@dataclass(frozen=True, eq=False)
class MetaGame(Result):
    """Result of :func:`meta_game`.

    ``payoffs[c_1, ..., c_k, i]`` is player ``players[i]``'s exact per-round value when each
    player ``j`` follows candidate ``candidates[j][c_j]``; ``reference[i]`` is the index of the
    player's scenario strategy among its candidates (``None`` if it is not one). ``survivors_*``
    list each player's candidates that survive iterated elimination.
    """

    title: str
    conditions: Conditions
    players: tuple[str, ...]
    candidates: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    criterion: str
    equilibria: NashResult
    dominance: tuple[Dominance, ...]
    survivors_strict: tuple[tuple[str, ...], ...]
    survivors_weak: tuple[tuple[str, ...], ...]
    best_responses: tuple[BestResponse, ...]
    reference: tuple[int | None, ...]
    tol: float
    passive: tuple[str, ...] = ()
    focal: str | None = None

    kind = "meta-game"

    @property
    def summary(self) -> str:
        pure = self.equilibrium_profiles()
        shape = " x ".join(str(len(c)) for c in self.candidates)
        if not pure:
            listing = "no pure equilibrium"
        else:
            listing = "pure equilibria: " + "; ".join(
                ", ".join(f"{p} {c}" for p, c in prof.items()) for prof in pure[:3]
            )
            if len(pure) > 3:
                listing += f" (and {len(pure) - 3} more)"
        mixed = len(self.equilibria) - len(pure)
        more = f", and {mixed} mixed" if mixed else ""
        return (
            f"Meta-game over {shape} candidate strategies: {listing}{more} "
            f"(among these candidates), given {self.conditions.text()}."
        )

    def __repr__(self) -> str:
        shape = "x".join(str(len(c)) for c in self.candidates)
        return (
            f"MetaGame({shape} over {', '.join(self.players)}; {len(self.equilibria)} equilibria)"
        )

    def value(self, profile: Mapping[str, str], player: str) -> float:
        """``player``'s value when every player follows the named candidate."""
        idx = tuple(self.candidates[i].index(profile[p]) for i, p in enumerate(self.players))
        return float(self.payoffs[(*idx, self.players.index(player))])

    def responses(self, player: str) -> tuple[BestResponse, ...]:
        """``player``'s best responses to every profile of the others' candidates."""
        return tuple(b for b in self.best_responses if b.player == player)

    def is_best_response(self, player: str, candidate: str, others: Mapping[str, str]) -> bool:
        """Whether ``candidate`` is one of ``player``'s best responses to ``others``."""
        for b in self.responses(player):
            if all(b.others[p] == others[p] for p in b.others):
                return candidate in b.best
        raise ScenarioError(
            f"no profile of the others' candidates matches {dict(others)!r}", key="others"
        )

    def equilibrium_profiles(self) -> list[dict[str, str]]:
        """The pure equilibria as player -> candidate."""
        return [
            {
                p: self.candidates[i][a]
                for i, (p, a) in enumerate(zip(self.players, eq.profile, strict=True))
            }
            for eq in self.equilibria.pure
        ]

    def _response_to(self, player: str, others: Mapping[str, str]) -> BestResponse:
        return next(b for b in self.responses(player) if b.others == dict(others))

    def _headline(self, player: str, profile: Mapping[str, str], note: str = "") -> str:
        others = {p: c for p, c in profile.items() if p != player}
        b = self._response_to(player, others)
        mine = profile[player]
        against = join_words(
            [f"{p} plays {c}{note if p == self.focal else ''}" for p, c in others.items()]
        )
        verdict = "is" if mine in b.best else "is not"
        return (
            f"When {against}, {player}'s scenario strategy {mine} {verdict} a best response "
            f"among its candidates ({b.values[mine]:.4g} per round); best: "
            f"{join_words(list(b.best))} "
            f"({b.values[b.best[0]]:.4g})."
        )

    def headlines(self) -> list[str]:
        """Answers in words, when every player's scenario strategy is a candidate: whether each
        player's scenario strategy is a best response to the others'; and, if the focal player's
        is not, whether the others' strategies are best responses once the focal player switches
        to its best response (is India's reciprocity a best response to Russia's aligning?)."""
        if len(self.players) < 2 or any(r is None for r in self.reference):
            return []
        reference = {p: self.candidates[i][self.reference[i]] for i, p in enumerate(self.players)}
        lines = [self._headline(p, reference) for p in self.players]
        if self.focal in self.players:
            others = {p: c for p, c in reference.items() if p != self.focal}
            best = self._response_to(self.focal, others).best
            if reference[self.focal] not in best:
                switched = {**reference, self.focal: best[0]}
                lines += [
                    self._headline(p, switched, " (its best response)")
                    for p in self.players
                    if p != self.focal
                ]
        return lines

    def nfg_arguments(self) -> dict[str, Any]:
        """The keyword arguments of :func:`recip.nfg.export_tensor_nfg` for this game."""
        return {
            "title": f"Meta-game: {self.title}",
            "players": list(self.players),
            "actions": [list(c) for c in self.candidates],
            "payoffs": self.payoffs,
        }

    def to_nfg(self) -> str:
        """The meta-game as a Gambit ``.nfg`` file (outcome version, candidate labels kept)."""
        from ..io.nfg import export_tensor_nfg

        return export_tensor_nfg(**self.nfg_arguments(), comment=self.conditions.text())

    def payload(self) -> dict[str, Any]:
        profiles = []
        for idx in itertools.product(*(range(len(c)) for c in self.candidates)):
            profiles.append(
                {
                    "profile": {
                        p: self.candidates[i][a]
                        for i, (p, a) in enumerate(zip(self.players, idx, strict=True))
                    },
                    "values": {
                        p: float(self.payoffs[(*idx, i)]) for i, p in enumerate(self.players)
                    },
                }
            )
        return {
            "criterion": self.criterion,
            "players": list(self.players),
            "passive": list(self.passive),
            "candidates": {p: list(c) for p, c in zip(self.players, self.candidates, strict=True)},
            "payoffs": profiles,
            "equilibria": self._equilibria_dict(),
            "dominance": [d.to_dict() for d in self.dominance],
            "iterated_strict_dominance": {
                p: list(s) for p, s in zip(self.players, self.survivors_strict, strict=True)
            },
            "iterated_weak_dominance": {
                p: list(s) for p, s in zip(self.players, self.survivors_weak, strict=True)
            },
            "best_responses": [b.to_dict() for b in self.best_responses],
            "headlines": self.headlines(),
            "reference": {
                p: None if r is None else c[r]
                for p, c, r in zip(self.players, self.candidates, self.reference, strict=True)
            },
            "tolerance": self.tol,
        }

    def _equilibria_dict(self) -> dict[str, Any]:
        doc = self.equilibria.to_dict()
        for eq, entry in zip(self.equilibria, doc["equilibria"], strict=True):
            entry["strategies"] = {
                p: {
                    c: float(x)
                    for c, x in zip(self.candidates[i], eq.strategies[i], strict=True)
                    if x > 0
                }
                for i, p in enumerate(self.players)
            }
            entry["payoffs"] = {p: float(v) for p, v in zip(self.players, eq.payoffs, strict=True)}
        return doc


def meta_game(
    scenario: ScenarioLike,
    candidates: Mapping[str, Sequence[Any]] | None = None,
    *,
    limit_of_means: bool = False,
    tol: float = 1e-9,
    method: str = "auto",
    progress=None,
) -> MetaGame:
    """The meta-game over candidate repeated-game strategies, solved.

    ``u[c_1, ..., c_k, i]`` is player ``i``'s exact per-round value (the scenario's horizon and
    noise; ``limit_of_means=True`` for long-run averages) when every acting player ``j`` follows
    its candidate ``c_j``. Each candidate is compiled once per player and every profile's chain
    built and solved once.

    Parameters
    ----------
    candidates:
        Player -> list of strategy specs; players left out take the scenario's ``[meta]``
        candidates, else their scenario strategy, ``balancing``, ``aligning``, ``myopic`` and
        every constant action (``always:<action>``). The equilibria are equilibria among these
        candidates only: another list can have others.
    tol:
        Payoff differences within ``tol * max(1, max |u|)`` are ties (best responses, dominance,
        equilibrium verification).
    method:
        The equilibrium solver, as in :func:`recip.games.nash.nash_equilibria`.
    progress:
        Called with 1 after each candidate profile is solved (passed to
        :func:`recip.model.strategy_game.strategy_game`).

    Returns
    -------
    MetaGame
        Payoff tensor and labels (``nfg_arguments()`` for ``.nfg`` export), equilibria,
        dominance, iterated elimination, best responses.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})
    >>> game = meta_game(pd, {p: ["always:defect", "aligning"] for p in ("row", "col")})
    >>> game.equilibrium_profiles()
    [{'row': 'always:defect', 'col': 'always:defect'}, {'row': 'aligning', 'col': 'aligning'}]
    """
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
        raise ScenarioError(f"the tolerance must be a number >= 0, not {tol!r}", key="tol")
    setting = as_setting(scenario)
    game = strategy_game(setting, candidates, limit_of_means=limit_of_means, progress=progress)
    payoffs, players, labels = game.payoffs, game.players, game.labels
    eps = float(tol) * max(1.0, float(np.abs(payoffs).max(initial=0.0)))
    equilibria = nash_equilibria(payoffs, method=method, options={"tolerance": float(tol)})
    reference = []
    for p, cands in zip(players, labels, strict=True):
        own = setting.strategies[setting.players.index(p)]
        label = own.label if own is not None else None
        reference.append(cands.index(label) if label in cands else None)
    conditions = setting.conditions(limit_of_means=limit_of_means)
    return MetaGame(
        title=setting.title,
        conditions=conditions,
        players=players,
        candidates=labels,
        payoffs=payoffs,
        criterion=conditions.criterion,
        equilibria=equilibria,
        dominance=tuple(dominance(payoffs, players, labels, eps)),
        survivors_strict=iterated(payoffs, labels, eps, strict=True),
        survivors_weak=iterated(payoffs, labels, eps, strict=False),
        best_responses=tuple(best_responses(payoffs, players, labels, eps)),
        reference=tuple(reference),
        tol=float(tol),
        passive=game.passive,
        focal=setting.focal,
    )
