"""The answer against the discount factor: the focal player's advantage (or, for equilibria, the
largest gain from deviating) over [0, 1), with every critical discount factor marked and the
scenario's own discount factor shown on the curve."""

from __future__ import annotations

import numpy as np

from .reading import read
from .style import (
    BLACK,
    NEGATIVE,
    POSITIVE,
    caption,
    colour,
    dash,
    finish,
    new_figure,
    number,
    styled,
    wrap,
)
from .text import label

#: A space that wrapping does not break (``δ = 0.457`` stays on one line).
NBSP = "\u00a0"


def where(r: dict) -> str:
    """Where the second policy pays more, in a legend's words: ``above δ = 0.457``, ``below δ =
    0.3``, ``at every δ``, ``never``, or the stretches."""
    spans = [iv for iv in r["intervals"] if iv["low"] != iv["high"]]
    good = [iv for iv in spans if iv["status"] == "positive"]
    if not good:
        return "never"
    if len(good) == len(spans):
        return "at every δ"
    if len(good) == 1 and good[0]["high"] >= 1.0:
        return f"above δ{NBSP}={NBSP}{number(good[0]['low'])}"
    if len(good) == 1 and good[0]["low"] == 0.0:
        return f"below δ{NBSP}={NBSP}{number(good[0]['high'])}"
    return "for δ in " + ", ".join(f"{number(iv['low'])}–{number(iv['high'])}" for iv in good)


def finding(r: dict) -> str:
    """The answer in a few words (δ for the discount factor, values to 3 digits)."""
    if r["what"] != "advantage":
        head = r["sentence"].split(", given ")[0]
        return head.replace("the discount factor", "δ")
    base, other = r["policies"]
    at = where(r)
    if at == "never":
        return f"{other} pays {r['focal']} more than {base} at no δ in [0, 1)"
    if at == "at every δ":
        at = "at every δ in [0, 1)"
    return f"{other} pays {r['focal']} more than {base} {at}"


def y_label(r: dict) -> str:
    if r["what"] == "advantage":
        base, other = r["policies"]
        return f"{label(other, 30)} minus {label(base, 30)} for {r['focal']} (per round)"
    return "largest gain from deviating (total discounted payoff)"


@styled
def discount_figure(result, *, source=None):
    """One panel: the function recip scanned against the discount factor on its grid, the side
    where the answer is favourable shaded, a dashed line with its value at every critical
    discount factor, and the scenario's own discount factor as a star on the curve.
    ``result``: a critical-discount result or a results document holding one."""
    r, src = read(result, "critical-discount", "discount", source)
    x = np.asarray(r["grid"]["discounts"], dtype=float)
    y = np.array([np.nan if v is None else v for v in r["grid"]["values"]], dtype=float)
    fig = new_figure(9.0, 4.6)
    ax = fig.subplots()
    if r.get("by_player") and r["what"] != "advantage":
        return _own_curves(fig, ax, r, x, src)
    keep = np.isfinite(y)
    ax.plot(x[keep], y[keep], color=BLACK, linewidth=2.0, label="_curve")
    ax.axhline(0.0, color="#555555", linewidth=0.9)
    if r["what"] == "advantage":
        good, bad = y > 0, y < 0
        base, other = r["policies"]
        shades = (f"{label(other, 30)} pays more", f"{label(base, 30)} pays more")
    else:
        good, bad = y <= r["tolerance"], y > r["tolerance"]
        shades = ("an equilibrium", "someone gains by deviating")
    ax.set_xlim(0.0, 1.0)
    low, high = ax.get_ylim()
    span = high - low
    ax.set_ylim(low, high + 0.12 * span)
    top = high + 0.12 * span
    ax.fill_between(x, low, top, where=good, color=POSITIVE, alpha=0.13, linewidth=0)
    ax.fill_between(x, low, top, where=bad, color=NEGATIVE, alpha=0.13, linewidth=0)
    ax.set_ylim(low, top)
    for k, c in enumerate(r["crossings"]):
        d = c["discount"]
        ax.axvline(d, color=BLACK, linestyle="--", linewidth=1.1)
        ax.annotate(
            f"δ = {number(d)}",
            (d, top),
            xytext=(4, -12 - 12 * (k % 3)),
            textcoords="offset points",
            fontsize=9,
            ha="left" if d < 0.8 else "right",
        )
    handles = [
        _patch(POSITIVE, shades[0]),
        _patch(NEGATIVE, shades[1]),
    ]
    own = r.get("own_point")
    if own is not None:
        (star,) = ax.plot(
            [own["discount"]],
            [own["value"]],
            marker="*",
            markersize=15,
            markerfacecolor="white",
            markeredgecolor=BLACK,
            linestyle="none",
        )
        handles.append((star, f"the scenario's own δ = {own['discount']:g}"))
    if r.get("by_player"):  # the focal player's value depends on its own discount factor only
        whose = label(r["by_player"][0]["player"], 30)
        ax.set_xlabel(f"{whose}'s own discount factor δ (its value depends on no other player's)")
    else:
        ax.set_xlabel("discount factor δ (the weight of the future; the chance of another round)")
    ax.set_ylabel(wrap(y_label(r), 4.2, 10, 2))
    n = len(x)
    body = (
        f"Exact values on a grid of {n} discount factors, every critical value refined between "
        "them (dashed lines); shading: where the answer is favourable (blue) or not (vermillion)."
    )
    finish(
        fig,
        capitalised(finding(r)),
        caption(src, seed=None, body=body, conditions=r["conditions"]["text"]),
        ([h for h, _ in handles], [t for _, t in handles]),
    )
    return fig


def _own_curves(fig, ax, r: dict, x: np.ndarray, src):
    """Players with discount factors of their own (subgame perfection or Nash): each player's
    largest gain from deviating against its own discount factor, one colour and line style per
    player, its own discount factor dotted and its critical values dashed."""
    handles = []
    for k, c in enumerate(r["by_player"]):
        y = np.array([np.nan if v is None else v for v in c["values"]], dtype=float)
        keep = np.isfinite(y)
        (line,) = ax.plot(x[keep], y[keep], color=colour(k), linestyle=dash(k), linewidth=2.0)
        handles.append((line, f"{label(c['player'], 30)} (own δ = {number(c['own_discount'])})"))
        ax.axvline(c["own_discount"], color=colour(k), linestyle=":", linewidth=1.4)
        for cross in c["crossings"]:
            ax.axvline(cross["discount"], color=colour(k), linestyle="--", linewidth=1.0)
    ax.axhline(r["tolerance"], color="#555555", linewidth=0.9)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("each player's own discount factor δ (a player's gains depend on its own only)")
    ax.set_ylabel(wrap(y_label(r), 4.2, 10, 2))
    body = (
        f"Each player's largest gain from deviating against its own discount factor, exact on a "
        f"grid of {len(x)} points; dotted: the player's own discount factor in the scenario; "
        "dashed: its critical values. A player deviates where its curve is above zero."
    )
    finish(
        fig,
        capitalised(finding(r)),
        caption(src, seed=None, body=body, conditions=r["conditions"]["text"]),
        ([h for h, _ in handles], [t for _, t in handles]),
    )
    return fig


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _patch(colour: str, text: str):
    from matplotlib.patches import Patch

    return (Patch(facecolor=colour, alpha=0.3, edgecolor="none"), text)


def threshold_figures(r) -> dict:
    return {"discount": discount_figure(r)}


#: The name this figure had before the catalogue.
discount_curve = discount_figure
