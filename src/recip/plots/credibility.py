"""Credibility: what each player would gain by deviating from its strategy, under each of the
focal player's policies (from the credibility check)."""

from __future__ import annotations

from ..core.text import join_words
from .reading import read
from .style import BLACK, caption, colour, finish, hatch, new_figure, number, styled
from .text import label

#: What a status says next to its bar.
STATUS = {
    "credible": "credible",
    "not a best response": "not a best response",
    "not subgame perfect": "not subgame perfect off the path",
}


def headline(r: dict) -> str:
    focal = r["focal"]
    by_player: dict[tuple[str, str], list[str]] = {}
    for policy, checks in r["policies"].items():
        for c in checks:
            if c["player"] != focal and not c["credible"]:
                by_player.setdefault((c["player"], c["strategy"]), []).append(policy)
    if not by_player:
        return f"Every partner's strategy is credible under each of {focal}'s policies"
    n = len(r["policies"])
    parts = [
        f"{p}'s {s} under {'every policy' if len(pols) == n > 1 else join_words(pols)}"
        for (p, s), pols in by_player.items()
    ]
    if len(parts) > 2:
        parts = [*parts[:2], f"{len(parts) - 2} more partners' strategies"]
    return f"Not credible: {'; '.join(parts)}"


@styled
def credibility_figure(result, *, source=None):
    """One group of horizontal bars per player (partners first, the focal player last): under
    each of the focal player's policies (colour and hatch), what the player's exact best
    response to the others' strategies gains it per round over its own strategy, labelled with
    the verdict (credible, not a best response, not subgame perfect off the path). ``result``:
    a credibility check, a comparison that made one, or either's results document."""
    r, src = read(result, "credibility", "credibility", source)
    policies = list(r["policies"])
    focal = r["focal"]
    players = []
    for checks in r["policies"].values():
        for c in checks:
            if c["player"] not in players:
                players.append(c["player"])
    players.sort(key=lambda p: p == focal)
    k = len(policies)
    band = 0.8 / k
    fig = new_figure(10.0, 1.0 + len(players) * (0.35 + 0.32 * k))
    ax = fig.subplots()
    gains = [c["best_response_gain"] for checks in r["policies"].values() for c in checks]
    reach = max(max(gains, default=0.0), 1e-12)
    for j, policy in enumerate(policies):
        checks = {c["player"]: c for c in r["policies"][policy]}
        for i, player in enumerate(players):
            c = checks.get(player)
            if c is None:
                continue
            yv = i + (j - (k - 1) / 2) * band
            gain = max(c["best_response_gain"], 0.0)
            ax.barh(
                yv,
                gain,
                height=band * 0.9,
                color=colour(j),
                hatch=hatch(j),
                edgecolor="white",
                label=label(f"{focal}: {policy}", 50) if i == 0 else None,
            )
            text = STATUS.get(c["status"], c["status"])
            if c["status"] == "not a best response":
                text += f" (+{number(gain)})"
            ax.annotate(
                text,
                (gain, yv),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=BLACK,
            )
    ax.set_yticks(
        range(len(players)),
        [
            label(p, 28) + ("\n(focal)" if p == focal else f"\n{label(_strategy(r, p), 28)}")
            for p in players
        ],
    )
    ax.set_ylim(len(players) - 0.5, -0.5)
    ax.set_xlim(0.0, reach * 1.45)
    ax.axvline(0.0, color=BLACK, linewidth=0.9)
    ax.set_xlabel("what the best response gains over the player's own strategy (per round)")
    ax.grid(axis="y", visible=False)
    handles, texts = ax.get_legend_handles_labels()
    body = (
        f"For each of {focal}'s policies and each player: the player's exact best response to "
        "the others' strategies (policy iteration on every situation a history reaches) and "
        "what it gains per round from the start; a strategy is credible when it gains nothing "
        "there and no one-shot deviation gains anywhere, on or off the path of play. The focal "
        f"player's bars say what {focal} itself could gain by leaving the compared policy."
    )
    conditions = r["conditions"]["text"] if isinstance(r["conditions"], dict) else ""
    finish(
        fig,
        headline(r),
        caption(src, seed=None, body=body, conditions=conditions),
        (handles, texts),
    )
    return fig


def _strategy(r: dict, player: str) -> str:
    for checks in r["policies"].values():
        for c in checks:
            if c["player"] == player:
                return c["strategy"]
    return ""
