"""Text of a credibility check (``recip credibility``) and of a commitment comparison
(``recip compare --partners best-respond``)."""

from __future__ import annotations

from ..questions.commitment import CommitmentComparison
from ..questions.credibility import STATUS_WORDS, Credibility
from .base import body
from .tables import table, wrap


def credibility_rows(c: Credibility) -> list[list[str]]:
    """One row per policy and player: the policy, the player, its strategy, its best response's
    gain per round, its largest one-shot gain and the verdict (the text's and the report's
    table)."""
    return [
        [
            policy,
            x.player,
            x.strategy,
            f"{max(x.gain, 0.0):.4f}",
            f"{x.one_shot:+.4f}" if x.one_shot > -1e300 else "none",
            STATUS_WORDS[x.status],
        ]
        for policy, checks in zip(c.policies, c.checks, strict=True)
        for x in checks
    ]


@body.register
def _credibility(c: Credibility, *, verbose: bool = False) -> list[str]:
    lines = wrap(
        "Each player's strategy against the others', exact, on every situation (world state, "
        "every player's memory) any history reaches: its best response's gain from the start, "
        "per round (policy iteration), and its largest one-shot gain anywhere (subgame "
        "perfection):"
    )
    header = [f"{c.focal}'s policy", "player", "strategy", "BR gain", "one-shot", "verdict"]
    lines += ["", table(header, credibility_rows(c)), ""]
    for line in c.lines():
        lines += wrap(line)
    if verbose:
        for policy, checks in zip(c.policies, c.checks, strict=True):
            for x in checks:
                if x.best is None:
                    continue
                lines += [
                    "",
                    f"Best response of {x.player} under {policy}, on the situations it reaches:",
                    "",
                    table(["state", "the others remember", "action"], list(x.best.table)),
                ]
    if any(x.best is not None for checks in c.checks for x in checks):
        lines += [
            "",
            *wrap(
                "BR gain: what a player's best response adds to its value from the start, per "
                "round; one-shot: the largest gain of deviating once, anywhere. --out writes "
                "each best response as an automaton file, to play with --set "
                "automata.NAME=@FILE; --verbose prints each one's policy table."
            ),
        ]
    return lines


@body.register
def _commitment(r: CommitmentComparison, *, verbose: bool = False) -> list[str]:
    players = list(r.commitments[0].evaluation.players)
    header = [f"{r.focal} commits to", *players]
    rows = [[c.policy, *(f"{c.evaluation.value(p):.4f}" for p in players)] for c in r.commitments]
    lines = wrap(
        f"Per-round payoffs, exact, when {r.focal} commits to each policy and "
        f"{' and '.join(r.adaptive)} {_respond(len(r.adaptive))}:"
    )
    lines += ["", table(header, rows), ""]
    for c in r.commitments:
        for p, words in c.responses.items():
            answer = (
                words if words is not None else "keeps its own strategy (already a best response)"
            )
            lines += wrap(f"under {c.policy}, {p}: {answer}.")
        if not c.converged:
            lines += wrap(
                f"under {c.policy}: no fixed point after {c.passes} passes; still to gain per "
                f"round: {', '.join(f'{p} {g:.3g}' for p, g in c.left.items())}."
            )
    lines += ["", f"Verdict: {r.summary}."]
    return lines


KEPT = "keeps its own strategy (already a best response)"


def _respond(n: int) -> str:
    if n == 1:
        return "plays its best response"
    return "play their best responses (iterated to a fixed point among them)"
