"""Text of a comparison of policies (``recip run``, ``recip compare``) and of one evaluation.

The table fits :data:`~recip.report.tables.WIDTH` columns: partner columns are numbered and
explained in a legend underneath, simulated intervals sit on a row of their own under each
policy's values, and what ``±`` and ``x/y states`` mean is said once, in words, under the table.
Full names and every number are in the JSON document.
"""

from __future__ import annotations

import math

from ..core.text import join_words
from ..model.evaluation import Evaluation
from ..questions.compare import Comparison
from .base import body
from .tables import table, wrap

STANCE_WORDS = {1: "sides with", 0: "is neutral toward", -1: "sides against"}
#: Label of the row that holds the 95% half-widths of the row above.
HALF_WIDTH_ROW = "  ± (95%)"
#: A behaviour share in a state the policy never reaches.
NEVER = "never"


def _stance_shown(game, partner: str, focal: str, state: str) -> int:
    s, i, f = game.state_index(state), game.player_index(partner), game.player_index(focal)
    stances = game.stances[s, i, : game.n_actions[s, i], f]
    return 1 if (stances > 0).any() else -1


def describe_method(c: Comparison) -> str:
    e = c.evaluations[0]
    if c.method == "exact":
        sizes = [ev.chain_size for ev in c.evaluations]
        distinct = sorted(set(sizes))
        plural = "s" if distinct != [1] else ""
        return f"exact (Markov chain of {'/'.join(map(str, distinct))} state{plural} per policy)"
    return (
        f"simulated ({e.replicates} replicates x {e.rounds} rounds, seed {e.seed}; "
        "common random numbers across policies)"
    )


def _chain_sentence(c: Comparison) -> str:
    sizes = [ev.chain_size for ev in c.evaluations]
    distinct = sorted(set(sizes))
    game = c.evaluations[0].game
    if game.iid:
        # an i.i.d. nature is averaged over: a chain state is a joint memory (and the first round)
        what = (
            "nature draws each round's world state afresh, so recip solves a Markov chain over "
            "every player's memory, averaged over the world states, with"
        )
    else:
        what = "recip solves a Markov chain over (world state, every player's memory) with"
    if len(distinct) == 1:
        n = distinct[0]
        return f"{n} state{'s' if n != 1 else ''}: {what} {n} states under every policy."
    pairs = zip(sizes, c.policies, strict=True)
    per = join_words([f"{n} state{'s' if n != 1 else ''} under {p}" for n, p in pairs])
    return f"{'/'.join(map(str, distinct))} states: {what} {per}."


def _half_width(ev: Evaluation, player: str) -> float:
    lo, hi = ev.interval(player)
    return (hi - lo) / 2


@body.register
def _comparison(c: Comparison, *, verbose: bool = False) -> list[str]:
    """The verdict table: each policy, every player's value, the focal advantage and each
    partner's behaviour toward the focal player; then the legend and the verdict."""
    players = list(c.evaluations[0].players)
    partner_cols = [(p, s) for p, states in c.partners[0].items() for s in states]
    game = c.evaluations[0].game
    # the stance worth showing: siding with the focal player where the partner can, else against
    shown = {(p, s): _stance_shown(game, p, c.focal, s) for p, s in partner_cols}
    simulated = c.method != "exact"
    header = [f"{c.focal}'s policy", *players, "advantage"]
    header += [f"[{k}]" for k in range(1, len(partner_cols) + 1)]
    cred = c.credibility
    if cred is not None:
        header.append("credible")
    rows = []
    for k, (policy, ev) in enumerate(zip(c.policies, c.evaluations, strict=True)):
        row = [policy, *(f"{ev.value(p):.4f}" for p in players)]
        row.append("baseline" if k == 0 else f"{c.advantage[k]:+.4f}")
        for p, s in partner_cols:
            freq = c.partners[k].get(p, {}).get(s, {}).get(shown[p, s], float("nan"))
            row.append(f"{100 * freq:.1f}%" if math.isfinite(freq) else NEVER)
        if cred is not None:
            row.append("yes" if cred.partners_credible(k) else "no")
        rows.append(row)
        if simulated and ev.stderr is not None:
            half = [f"{_half_width(ev, p):.4f}" for p in players]
            lo, hi = c.advantage_ci[k]
            adv = "" if k == 0 else f"{(hi - lo) / 2:.4f}"
            rows.append([HALF_WIDTH_ROW, *half, adv, *([""] * len(partner_cols))])
    lines = [*wrap(f"Per-round payoffs, {describe_method(c)}:"), "", table(header, rows), ""]
    legend = [
        f"advantage: {c.focal}'s value minus its value under {c.policies[0]} (the first policy)."
    ]
    for k, (p, s) in enumerate(partner_cols, 1):
        does = STANCE_WORDS[shown[p, s]]
        legend.append(f"[{k}] share of the rounds in state {s} in which {p} {does} {c.focal}.")
    if any(NEVER in row for row in rows):
        legend.append(f"{NEVER}: the state is never reached under that policy.")
    if simulated:
        legend.append(
            "± (95%): half-width of the 95% confidence interval of the simulated mean above it "
            "(for the advantage, paired: every policy meets the same draws of nature and noise)."
        )
    else:
        legend.append(_chain_sentence(c))
    if cred is not None:
        legend.append(
            "credible: whether every partner's strategy is a best response to the others' and "
            "subgame perfect under that policy (exact, on every situation any history reaches)."
        )
    for text in legend:
        lines += wrap(text)
    lines += ["", f"Verdict: {c.verdict}"]
    if cred is not None:
        lines += ["", "Credibility (each player's best response to the others' strategies, exact):"]
        for line in cred.lines():
            lines += wrap(f"  {line}")
    return lines


@body.register
def _evaluation(ev: Evaluation, *, verbose: bool = False) -> list[str]:
    """Each player's value (with its 95% half-width when simulated), and the summary."""
    simulated = ev.stderr is not None
    header = ["player", "value", *(["± (95%)"] if simulated else [])]
    rows = []
    for i, p in enumerate(ev.players):
        row = [p, f"{ev.values[i]:.4f}"]
        if simulated:
            row.append(f"{_half_width(ev, p):.4f}")
        rows.append(row)
    lines = [table(header, rows), ""]
    if simulated:
        lines += wrap("± (95%): half-width of the 95% confidence interval of the mean.")
    lines.append(ev.summary)
    return lines
