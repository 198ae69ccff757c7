"""Payoffs per round and their running value, one column of panels per player.

Drawn from a comparison: every player's expected payoff in each round under each of the focal
player's policies (top panel), and the value counted up to that round with the verdict's own
weights (bottom panel: for a discounted horizon ``(1 - δ) Σ δˢ uₛ``), which ends at the value
the verdict compares, marked with a diamond at the right. An undiscounted running total would
favour whatever pays late and contradict a discounted verdict; this one cannot.
"""

from __future__ import annotations

import math

from .reading import read
from .style import (
    caption,
    colour,
    dash,
    finish,
    new_figure,
    styled,
)
from .text import label

#: Most panels side by side (more players continue on another band of panels).
COLUMNS = 3
#: What the running value is, by criterion.
RUNNING = {
    "discounted": "value earned by round t\n(1 − δ)·Σ δˢ·uₛ, s ≤ t",
    "discounted-finite": "value earned by round t\nΣ δˢ·uₛ, s ≤ t, / Σ δˢ",
    "finite": "value earned by round t\nΣ uₛ, s ≤ t, / T",
    "limit-of-means": "running mean of the\npayoffs up to round t",
}


def headline(c: dict) -> str:
    """The finding: the verdict without its conditions, and where the value is discounted the
    discount factor."""
    verdict = c["verdict"].split(", given ")[0]
    e = next(iter(c["evaluations"].values()))
    if e["criterion"] == "discounted" and e.get("discount") is not None:
        verdict += f", at discount factor δ\u00a0=\u00a0{e['discount']:g}"
    return verdict[0].upper() + verdict[1:]


@styled
def payoffs_figure(result, *, source=None):
    """Each player's expected payoff per round (top) and its running value (bottom) under each
    policy of the focal player; one colour and line style per policy, the exact values as
    diamonds at the right of the bottom panels. ``result``: a comparison or its results
    document."""
    from matplotlib.ticker import MaxNLocator

    c, src = read(result, "comparison", "payoffs", source)
    policies, focal = c["policies"], c["focal"]
    evs = [c["evaluations"][p] for p in policies]
    players = list(evs[0]["values"])
    players = [focal, *(p for p in players if p != focal)]
    n = len(players)
    cols = min(n, COLUMNS)
    bands = math.ceil(n / cols)
    width = 2.2 + 3.3 * cols
    fig = new_figure(width, 5.0 * bands)
    grid = fig.add_gridspec(2 * bands, cols)
    criterion = evs[0]["criterion"]
    simulated = c["method"] != "exact"
    rounds_label = "round t"
    history = c["conditions"].get("history_rounds") or 0
    if history:
        rounds_label += f" (after {history} scripted rounds)"
    handles = []
    for j, player in enumerate(players):
        band, col = divmod(j, cols)
        top = fig.add_subplot(grid[2 * band, col])
        bottom = fig.add_subplot(grid[2 * band + 1, col], sharex=top)
        for k, (policy, ev) in enumerate(zip(policies, evs, strict=True)):
            curve, running = ev["curve"][player], ev["running_value"][player]
            x = range(1, len(curve) + 1)
            style = {"color": colour(k), "linestyle": dash(k)}
            (line,) = top.plot(x, curve, **style, label=label(f"{focal}: {policy}", 50))
            bottom.plot(x, running, **style)
            end = len(curve) + max(1.5, 0.04 * len(curve))
            value = ev["values"][player]
            err = (ev.get("stderr") or {}).get(player) if simulated else None
            if err is None:
                bottom.plot([end], [value], "D", color=colour(k), markersize=6)
            else:
                bottom.errorbar(
                    [end],
                    [value],
                    yerr=[[1.96 * err], [1.96 * err]],
                    marker="D",
                    color=colour(k),
                    markersize=6,
                    linestyle="none",
                    capsize=3,
                )
            if j == 0:
                handles.append(line)
        who = f"{player} (focal)" if player == focal else player
        top.set_title(label(who, 40), fontweight="bold")
        top.tick_params(labelbottom=False)  # the panel underneath shares and labels the rounds
        for ax in (top, bottom):
            ax.yaxis.set_major_locator(MaxNLocator(5))
        bottom.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        bottom.set_xlabel(rounds_label)
        if col == 0:
            top.set_ylabel("expected payoff in round t")
            bottom.set_ylabel(RUNNING[criterion])
    from matplotlib.lines import Line2D

    diamond = Line2D([], [], marker="D", color="#555555", linestyle="none", markersize=6)
    names = [h.get_label() for h in handles]
    legend = ([*handles, diamond], [*names, "value over all rounds (what the verdict compares)"])
    how = (
        "exact expectations (Markov chain)"
        if not simulated
        else "means over simulated plays (diamonds: 95% intervals)"
    )
    body = (
        f"Top: each player's expected payoff in each round; bottom: the value counted up to "
        f"that round with the verdict's weights, ending at the diamonds, the values over all "
        f"rounds; {how}. Line style and colour: {focal}'s policy. Each of {focal}'s "
        f"policies is played against the others' strategies."
    )
    seed = evs[0].get("seed") if simulated else None
    finish(
        fig,
        headline(c),
        caption(src, seed=seed, body=body, conditions=c["conditions"]["text"]),
        legend,
    )
    return fig


#: The name this figure had before the catalogue.
payoff_curves = payoffs_figure
