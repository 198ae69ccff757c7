"""Text of the equilibrium analyses, as the command line prints them: stage-game equilibria,
the meta-game, subgame perfection and critical discount factors.

Each printer is registered with :func:`recip.report.base.body` for its result type and returns
the lines under the common header; ``format_*`` return the whole text (header included).
"""

from __future__ import annotations

import itertools

import numpy as np

from ..core.text import join_words
from ..questions.meta import MetaGame
from ..questions.spe import SubgamePerfection
from ..questions.stage import StageEquilibria
from ..questions.threshold import CriticalDiscount
from .base import body, page


def _num(x: float) -> str:
    return f"{x:.4g}"


def _gain_text(x: float) -> str:
    return f"{x:.4g}" if np.isfinite(x) else "nobody has a choice"


@body.register
def _stage(result: StageEquilibria, *, verbose: bool = False) -> list[str]:
    """The stage-game equilibria of each world state (what ``recip equilibria`` prints)."""
    lines = []
    for st in result.states:
        head = f"State {st.state}" + (f" ({st.label})" if st.label != st.state else "")
        if not st.players:
            lines.append(f"{head}: nobody chooses.")
            pays = ", ".join(f"{p} {_num(v)}" for p, v in st.equilibria[0].payoffs.items())
            lines += [f"  payoffs: {pays}", ""]
            continue
        sizes = " x ".join(str(len(a)) for a in st.actions)
        who = ", ".join(st.players)
        n = len(st.equilibria)
        verb = "chooses" if len(st.players) == 1 else "choose"
        count = f"{n} equilibri{'um' if n == 1 else 'a'}"
        lines.append(f"{head}: {who} {verb} ({sizes}); {count}")
        for k, eq in enumerate(st.equilibria, 1):
            kind = "pure" if eq.pure else "mixed"
            pays = ", ".join(f"{p} {_num(v)}" for p, v in eq.payoffs.items())
            lines.append(f"  {k}. {eq.describe()}  ({kind}; payoffs {pays})")
        if st.result is not None:
            lines.append(f"  [{st.result.message}; method {st.result.method}]")
        lines.append("")
    return lines[:-1] if lines and not lines[-1] else lines


#: Rows of the meta-game's payoff listing and best responses printed unless ``verbose``.
MAX_ROWS = 64


@body.register
def _meta(result: MetaGame, *, verbose: bool = False) -> list[str]:
    """The meta-game: candidates, payoffs, equilibria, dominance, best responses."""
    max_rows = None if verbose else MAX_ROWS
    lines = [
        "Meta-game: each player chooses one repeated-game strategy; payoffs are exact per-round "
        "values under the conditions above.",
        "Candidates (the equilibria below are equilibria among these candidates only; choose "
        "others with --candidates or [meta]):",
    ]
    for p, cands in zip(result.players, result.candidates, strict=True):
        lines.append(f"  {p}: {', '.join(cands)}")
    if result.passive:
        lines.append(f"  ({', '.join(result.passive)} never act)")
    n_profiles = int(np.prod([len(c) for c in result.candidates]))
    if not verbose:
        lines.append(
            f"Payoffs: {n_profiles} candidate profiles (listed with --verbose, and in --json)."
        )
    elif max_rows is None or n_profiles <= max_rows:
        lines.append(f"Payoffs ({', '.join(result.players)}):")
        width = max(len(" / ".join(c)) for c in itertools.product(*result.candidates))
        for idx in itertools.product(*(range(len(c)) for c in result.candidates)):
            label = " / ".join(result.candidates[i][a] for i, a in enumerate(idx))
            pays = ", ".join(f"{v:8.4f}" for v in result.payoffs[idx])
            lines.append(f"  {label:<{width}}  {pays}")
    else:
        lines.append(
            f"Payoffs: {n_profiles} candidate profiles, over {max_rows} rows (all with "
            "--verbose, or in --json)."
        )
    eqs = result.equilibria
    lines.append(f"Nash equilibria among these candidates ({eqs.message}):")
    for eq in eqs:
        if eq.pure:
            what = " / ".join(result.candidates[i][a] for i, a in enumerate(eq.profile))
        else:
            what = "; ".join(
                f"{p}: "
                + ", ".join(
                    f"{c} {x:.4g}"
                    for c, x in zip(result.candidates[i], eq.strategies[i], strict=True)
                    if x > 0
                )
                for i, p in enumerate(result.players)
            )
        pays = ", ".join(f"{v:.4g}" for v in eq.payoffs)
        lines.append(f"  {'pure ' if eq.pure else 'mixed'}  {what}  (values {pays})")
    if not len(eqs):
        lines.append("  none found")
    lines.append("Dominance:")
    for d in result.dominance:
        how = "by at least" if d.kind == "strict" else "never worse, better by up to"
        lines.append(
            f"  {d.player}: {d.dominant} {d.kind}ly dominates {d.dominated} ({how} {d.margin:.4g})"
        )
    if not result.dominance:
        lines.append("  no candidate dominates another")
    lines.append(
        "  surviving iterated strict dominance (by mixtures too): "
        + "; ".join(
            f"{p}: {', '.join(s)}"
            for p, s in zip(result.players, result.survivors_strict, strict=True)
        )
    )
    lines.append(
        "  surviving iterated weak dominance (all at once each round): "
        + "; ".join(
            f"{p}: {', '.join(s)}"
            for p, s in zip(result.players, result.survivors_weak, strict=True)
        )
    )
    responses = result.best_responses
    if not verbose:
        lines.append(
            f"Best responses: {len(responses)} (among the candidates; listed with --verbose)."
        )
        responses = []
    else:
        lines.append("Best responses (among the listed candidates only):")
    for b in responses if max_rows is None else responses[:max_rows]:
        against = join_words([f"{p} {c}" for p, c in b.others.items()]) or "(alone)"
        lines.append(
            f"  {b.player} against {against}: {', '.join(b.best)} ({b.values[b.best[0]]:.4g})"
        )
    if max_rows is not None and len(responses) > max_rows:
        lines.append(f"  ... and {len(responses) - max_rows} more (all with --verbose)")
    lines.extend(result.headlines())
    return lines


def format_meta_game(result: MetaGame, *, verbose: bool = False) -> str:
    """The meta-game as the command line prints it (header included)."""
    return page(result, _meta(result, verbose=verbose))


def format_stage_equilibria(result: StageEquilibria) -> str:
    """The stage-game equilibria as the command line prints them (header included)."""
    return page(result, _stage(result))


#: Violations of subgame perfection listed unless ``verbose`` (the result keeps the largest).
MAX_VIOLATIONS = 10


@body.register
def _spe(result: SubgamePerfection, *, verbose: bool = False) -> list[str]:
    """The check: verdict, the largest violations, whether the profile is Nash."""
    limit = len(result.violations) if verbose else MAX_VIOLATIONS
    profile = ", ".join(
        f"{p} plays {s}" for p, s in zip(result.players, result.profile, strict=True)
    )
    lines = [f"Profile: {profile}."]
    where = (
        f"{result.n_situations} situations (world state, memories) reachable by some sequence "
        f"of actions, {result.n_on_path} of them on the path of play"
    )
    if result.subgame_perfect:
        if not np.isfinite(result.max_gain):
            margin = "no player ever has a choice"
        elif result.max_gain < 0 and result.status == "holds":
            margin = f"every one-shot deviation loses at least {-result.max_gain:.4g} per round"
        elif result.status == "undecided":
            margin = (
                f"the largest one-shot gain, {result.max_gain_total:.4g} in total discounted "
                f"payoff, is within the rounding error bound {result.error_bound:.2g} of the "
                f"tolerance {result.tol:g} (undecided at this precision: counted as a tie)"
            )
        else:
            margin = (
                f"no one-shot deviation gains more than {result.tol:g} in total discounted "
                "payoff (some tie)"
            )
        verdict = (
            "Subgame perfect as far as floating point can tell"
            if result.status == "undecided"
            else "Subgame perfect"
        )
        lines.append(f"{verdict}: {margin}, in all {where}.")
    else:
        split = (
            "every situation is on the path"
            if result.n_on_path == result.n_situations
            else f"on the path: {_gain_text(result.max_gain_on_path)}; off it: "
            f"{_gain_text(result.max_gain_off_path)}"
        )
        lines.append(
            f"Not subgame perfect: {result.n_violations} profitable one-shot deviation(s) in the "
            f"{where}; the largest gain is {result.max_gain:.4g} per round, "
            f"{result.max_gain_total:.4g} in total discounted payoff ({split})."
        )
        if result.discount is None:
            who = join_words(_own(result, result.failing))
            has = (
                "has a profitable deviation"
                if len(result.failing) == 1
                else "have profitable deviations"
            )
            only = "only " if len(result.failing) < len(result.players) else ""
            lines.append(f"Each player is checked at its own discount factor: {only}{who} {has}.")
        for v in result.violations[:limit]:
            mems = ", ".join(f"{p} remembers {m}" for p, m in v.memories.items())
            path = "on the path" if v.on_path else "off the path"
            lines.append(
                f"  - in {v.state} ({mems}; {path}): {v.player} gains {v.gain:.4g} by "
                f"{v.deviation} instead of {v.profile_action}"
            )
        if result.n_violations > min(limit, len(result.violations)):
            lines.append(
                f"  ... and {result.n_violations - min(limit, len(result.violations))} more"
            )
    if result.nash_status == "undecided":
        lines.append(
            "Nash equilibrium as far as floating point can tell: no best response gains beyond "
            "the rounding error bound."
        )
    elif result.nash:
        lines.append("Nash equilibrium: no player can gain from the start by any strategy.")
    else:
        better = ", ".join(
            f"{p} by {g:.4g}"
            for p, g, total in zip(
                result.players, result.nash_gains, result.nash_gains_total, strict=True
            )
            if total > result.tol
        )
        lines.append(f"Not a Nash equilibrium: a best response gains {better} per round.")
        for p, words in result.best_responses.items():
            lines.append(f"  best response of {p}: {words}")
    if result.discount is None:
        lines.append(
            f"Each player's gains are at its own discount factor "
            f"({', '.join(_own(result, result.players))})"
            ", per round (x 1/(1 - its discount) for total discounted payoff); the tolerance "
            f"{result.tol:g} applies to total discounted payoff."
        )
        return lines
    lines.append(
        f"Gains are per round (x 1/(1 - discount) for total discounted payoff); the tolerance "
        f"{result.tol:g} applies to total discounted payoff."
    )
    return lines


def _own(result: SubgamePerfection, players) -> list[str]:
    """``col (0.3)`` for each of ``players``: its own discount factor."""
    return [f"{p} ({result.discounts[result.players.index(p)]:g})" for p in players]


def format_subgame_perfection(result: SubgamePerfection, *, verbose: bool = False) -> str:
    """The check as the command line prints it (header included)."""
    return page(result, _spe(result, verbose=verbose))


@body.register
def _threshold(result: CriticalDiscount, *, verbose: bool = False) -> list[str]:
    """The sentence, then every interval and crossing (notes follow, from the header's
    renderer)."""
    lines = [result.sentence[0].upper() + result.sentence[1:]]
    label = {
        "positive": f"{result.policies[1]} pays more" if result.policies else "positive",
        "negative": f"{result.policies[0]} pays more" if result.policies else "negative",
        "zero": "tie",
        "holds": "equilibrium" if not result.by_player else "no profitable deviation",
        "fails": "not an equilibrium" if not result.by_player else "gains by deviating",
        "undecided": "undecided at floating-point precision",
    }
    if result.by_player and result.what != "advantage":
        for c in result.by_player:
            lines.append(
                f"{c.player}'s own discount factor ({c.own:g} in the scenario: "
                f"{label[c.at_own]} there):"
            )
            for iv in c.intervals:
                lines.append(f"  {iv.text(8):<28} {label[iv.status]}")
            if c.crossings:
                lines.append(
                    "  critical: " + ", ".join(f"{x.discount:.10f} ({x.kind})" for x in c.crossings)
                )
    else:
        lines.append("Discount factor intervals:")
    for iv in result.intervals:
        lines.append(f"  {iv.text(8):<28} {label[iv.status]}")
    if result.crossings:
        lines.append(
            "Critical discount factors: "
            + ", ".join(f"{c.discount:.10f} ({c.kind})" for c in result.crossings)
        )
    for c in result.by_player if result.what == "advantage" else ():
        lines.append(f"{c.player}'s own discount factor: {c.own:g}, where {label[c.at_own]}.")
    named = result.grid_extra.get("best_responses", [])
    if named:
        lines.append(
            "Where a player gains by deviating, at the middle of each interval of its own "
            "discount factor:"
            if result.by_player
            else "Where it is not an equilibrium, at the middle of each interval:"
        )
    for b in named:
        lines.append(
            f"  {b['interval']} at {b['discount']:.4g}: {b['player']}'s best response, "
            f"{b['words']}, gains {b['gain']:.4g} per round"
        )
    return lines


def format_critical_discount(result: CriticalDiscount) -> str:
    """The result as the command line prints it (header included)."""
    return page(result, _threshold(result))
