"""Expected payoff per round, and cumulated, for every player under each compared policy."""

from __future__ import annotations

import textwrap

import numpy as np

from ..questions.compare import Comparison

STYLES = ("-", "--", ":", "-.")


def payoff_curves(c: Comparison):
    """Two panels: each player's expected payoff in each round (left) and its running total
    (right), one line style per policy of the focal player, one colour per player."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 5.8))
    # a fixed layout: cheaper to draw than a layout engine, and room for the note underneath
    fig.subplots_adjust(left=0.065, right=0.985, top=0.86, bottom=0.17, wspace=0.18)
    left, right = fig.subplots(1, 2)
    players = c.evaluations[0].players
    colours = [f"C{i}" for i in range(len(players))]
    for k, (policy, ev) in enumerate(zip(c.policies, c.evaluations, strict=True)):
        rounds = np.arange(1, len(ev.curve) + 1)
        for i, p in enumerate(players):
            style = STYLES[k % len(STYLES)]
            label = f"{p}'s payoff ({c.focal}: {policy})"
            left.plot(rounds, ev.curve[:, i], style, color=colours[i], label=label)
            right.plot(rounds, np.cumsum(ev.curve[:, i]), style, color=colours[i], label=label)
    how = "exact expectation" if c.method == "exact" else "mean over simulated plays"
    left.set_title(f"Expected payoff in each round ({how})")
    right.set_title("Cumulative expected payoff (undiscounted sum)")
    for ax in (left, right):
        ax.set_xlabel("round (after any scripted history)")
        ax.grid(alpha=0.3)
    left.set_ylabel("payoff")
    right.legend(fontsize="small", loc="upper left")
    title = f"{c.setting.title} — {c.focal}: {' vs '.join(c.policies)}"
    fig.suptitle(title, fontsize="large", fontweight="bold")
    e = c.evaluations[0]
    weighting = (
        f"values weight round t by (1 - {e.discount:g}) x {e.discount:g}^t"
        if e.discount is not None and e.criterion == "discounted"
        else "values average the rounds"
    )
    note = f"Verdict ({weighting}): {c.verdict}"
    fig.text(
        0.5,
        0.015,
        "\n".join(textwrap.wrap(note, 165)),
        ha="center",
        va="bottom",
        fontsize="small",
    )
    return fig
