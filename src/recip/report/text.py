"""Plain-text tables of analysis results, as the command line prints them."""

from __future__ import annotations

from ..questions.compare import Comparison

STANCE_WORDS = {1: "sides with", 0: "is neutral toward", -1: "sides against"}


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = []
    for r, row in enumerate([header, *rows]):
        cells = [row[0].ljust(widths[0])] + [
            x.rjust(w) for x, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if r == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _stance_shown(game, partner: str, focal: str, state: str) -> int:
    s, i, f = game.state_index(state), game.player_index(partner), game.player_index(focal)
    stances = game.stances[s, i, : game.n_actions[s, i], f]
    return 1 if (stances == 1).any() else -1


def describe_method(c: Comparison) -> str:
    e = c.evaluations[0]
    if c.method == "exact":
        sizes = sorted({ev.chain_size for ev in c.evaluations})
        plural = "s" if sizes != [1] else ""
        return f"exact (Markov chain of {'/'.join(map(str, sizes))} state{plural} per policy)"
    return (
        f"simulated ({e.replicates} replicates x {e.rounds} rounds, seed {e.seed}; "
        "common random numbers across policies)"
    )


def comparison_table(c: Comparison, *, title: str | None = None) -> str:
    """The verdict table: each policy, every player's value, the focal advantage and each
    partner's behaviour toward the focal player."""
    players = list(c.evaluations[0].players)
    partner_cols = [(p, s) for p, states in c.partners[0].items() for s in states]
    game = c.evaluations[0].game
    # the stance worth showing: siding with the focal player where the partner can, else against
    shown = {(p, s): _stance_shown(game, p, c.focal, s) for p, s in partner_cols}
    header = [f"{c.focal}'s policy", *players, "advantage"]
    header += [f"{p} {STANCE_WORDS[shown[p, s]]} {c.focal} in {s}" for p, s in partner_cols]
    rows = []
    for k, (policy, ev) in enumerate(zip(c.policies, c.evaluations, strict=True)):
        row = [policy]
        for p in players:
            v = f"{ev.value(p):.4f}"
            if ev.stderr is not None:
                v += f" ±{1.96 * ev.stderr[players.index(p)]:.4f}"
            row.append(v)
        if k == 0:
            row.append("baseline")
        else:
            adv = f"{c.advantage[k]:+.4f}"
            if c.method != "exact":
                lo, hi = c.advantage_ci[k]
                adv += f" [{lo:+.4f}, {hi:+.4f}]"
            row.append(adv)
        for p, s in partner_cols:
            freq = c.partners[k].get(p, {}).get(s, {}).get(shown[p, s], float("nan"))
            row.append(f"{100 * freq:.1f}%")
        rows.append(row)
    out = []
    if title:
        out.append(title)
    out.append(f"Values are per-round payoffs; {describe_method(c)}.")
    out.append("")
    out.append(_table(header, rows))
    out.append("")
    out.append(f"Verdict: {c.verdict}")
    return "\n".join(out)
