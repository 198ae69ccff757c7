"""Expected payoff per round, and cumulated, for every player under each compared policy."""

from __future__ import annotations

import numpy as np

from ..questions.compare import Comparison
from .text import LEGEND, TITLE, label, paragraph

STYLES = ("-", "--", ":", "-.")
#: Characters per line of the note under the panels, and most lines of it.
NOTE_WIDTH = 165
NOTE_LINES = 6


def payoff_curves(c: Comparison):
    """Two panels: each player's expected payoff in each round (left) and its running total
    (right), one line style per policy of the focal player, one colour per player.

    The title names the scenario and the policies compared, on one line; the note underneath
    gives the verdict with its conditions (at most :data:`NOTE_LINES` lines) and, when the
    scenario's title had to be shortened, says that the full title is in ``results.json``."""
    from .figure import Figure

    e = c.evaluations[0]
    if e.discounts is not None and e.criterion == "discounted":
        weighting = "each player's value weights round t by (1 - d) x d^t at its own d"
    elif e.discount is not None and e.criterion == "discounted":
        weighting = f"values weight round t by (1 - {e.discount:g}) x {e.discount:g}^t"
    elif e.discounts is not None:
        weighting = "each player's value is a d^t-weighted mean at its own d"
    else:
        weighting = "values average the rounds"
    # what is compared comes first; the scenario's title gets the room left on the line
    compared = label(f"{c.focal}: {' vs '.join(c.policies)}", TITLE // 2)
    room = max(TITLE - len(compared) - 3, 30)
    title = f"{label(c.setting.title, room)} — {compared}"
    cut = " (The title is shortened: the full title is in results.json.)"
    cut = cut if len(c.setting.title) > room else ""
    note = paragraph(f"Verdict ({weighting}): {c.verdict}{cut}", NOTE_WIDTH, NOTE_LINES)
    n_lines = note.count("\n") + 1
    fig = Figure(figsize=(11, 5.8))
    # a fixed layout (cheaper to draw than a layout engine), with room for the note underneath
    fig.subplots_adjust(
        left=0.065, right=0.985, top=0.86, bottom=0.13 + 0.025 * n_lines, wspace=0.18
    )
    left, right = fig.subplots(1, 2)
    players = c.evaluations[0].players
    colours = [f"C{i}" for i in range(len(players))]
    for k, (policy, ev) in enumerate(zip(c.policies, c.evaluations, strict=True)):
        rounds = np.arange(1, len(ev.curve) + 1)
        for i, p in enumerate(players):
            style = STYLES[k % len(STYLES)]
            name = label(f"{p}'s payoff ({c.focal}: {policy})", LEGEND)
            left.plot(rounds, ev.curve[:, i], style, color=colours[i], label=name)
            right.plot(rounds, np.cumsum(ev.curve[:, i]), style, color=colours[i], label=name)
    how = "exact expectation" if c.method == "exact" else "mean over simulated plays"
    left.set_title(f"Expected payoff in each round ({how})")
    right.set_title("Cumulative expected payoff (undiscounted sum)")
    for ax in (left, right):
        ax.set_xlabel("round (after any scripted history)")
        ax.grid(alpha=0.3)
    left.set_ylabel("payoff")
    right.legend(fontsize="small", loc="upper left")
    fig.suptitle(title, fontsize="large", fontweight="bold")
    fig.text(0.5, 0.015, note, ha="center", va="bottom", fontsize="small")
    return fig
