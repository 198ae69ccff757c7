"""One round versus many: each policy's payoff in the next round alone and per round over the
whole horizon, next to the myopic and the far-sighted best response."""

from __future__ import annotations

import numpy as np

from ..core.text import join_words
from .reading import read
from .style import BLACK, caption, colour, finish, hatch, new_figure, number, styled
from .text import label

TIE = 1e-9


def _best(values: dict) -> list[str]:
    top = max(values.values())
    return [p for p, v in values.items() if v >= top - TIE]


def headline(r: dict) -> str:
    focal = r["focal"]
    one, many = _best(r["one_round"]), _best(r["long_run"])
    if set(one) == set(many):
        verb = "pays" if len(one) == 1 else "pay"
        return f"{join_words(one)} {verb} {focal} most both in one round and over many rounds"
    lead = f"In one round {join_words(one)} {'pays' if len(one) == 1 else 'pay'} {focal} most"
    return f"{lead}; over many rounds {join_words(many)} {'does' if len(many) == 1 else 'do'}"


@styled
def one_vs_many_figure(result, *, source=None):
    """Two panels sharing the payoff axis: each policy's expected payoff in one round (the next,
    alone) and its per-round value over the scenario's horizon, one bar per policy (colour and
    hatch), the value printed on it; a dashed line marks the best response in each: myopic
    (the most one round can give) and far-sighted (the most any plan gives per round, infinite
    discounted horizons). ``result``: a :class:`~recip.questions.horizons.OneVersusMany` or its
    document."""
    r, src = read(result, "one-vs-many", "one-vs-many", source)
    policies = r["policies"]
    k = len(policies)
    fig = new_figure(max(9.0, 3.0 + 1.1 * k), 4.6)
    left, right = fig.subplots(1, 2, sharey=True)
    x = np.arange(k)
    horizon = (
        f"δ = {r['discount']:g}"
        if r["criterion"] == "discounted"
        else r["conditions"]["text"].split(";")[0]
    )
    panels = (
        (
            left,
            r["one_round"],
            r["myopic_best_response"],
            "one round: the next alone",
            "myopic best response",
        ),
        (right, r["long_run"], r["best_response"], f"many rounds ({horizon})", "best response"),
    )
    for ax, values, best, title, name in panels:
        heights = [values[p] for p in policies]
        bars = ax.bar(
            x,
            heights,
            color=[colour(j) for j in range(k)],
            hatch=[hatch(j) for j in range(k)],
            edgecolor="white",
            width=0.7,
        )
        for bar, v in zip(bars, heights, strict=True):
            ax.annotate(
                number(v),
                (bar.get_x() + bar.get_width() / 2, v),
                xytext=(0, 3 if v >= 0 else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize=9,
            )
        if best is not None:
            ax.axhline(best["value"], color=BLACK, linestyle="--", linewidth=1.2)
            title += f"\n{name} (dashed): {number(best['value'])}"
        ax.axhline(0.0, color="#555555", linewidth=0.8)
        turn = k > 3
        ax.set_xticks(
            x,
            [label(p, 22) for p in policies],
            rotation=25 if turn else 0,
            ha="right" if turn else "center",
        )
        ax.set_title(title, fontsize=10.5)
        ax.grid(axis="x", visible=False)
        ax.margins(y=0.15)
    left.set_ylabel(f"{r['focal']}'s payoff (per round)")
    bits = [f"myopic best response: {r['myopic_best_response']['words']}"]
    if r["best_response"] is not None:
        bits.append(f"far-sighted best response: {r['best_response']['words']}")
    body = (
        f"Left: {r['focal']}'s expected payoff in the first round under each policy, the others "
        "keeping their strategies; right: its value per round over the horizon, as the verdict "
        f"compares it. Dashed: the most a best response to the others' strategies earns "
        f"({'; '.join(bits)})."
    )
    conditions = r["conditions"]["text"]
    finish(fig, headline(r), caption(src, seed=None, body=body, conditions=conditions))
    return fig
