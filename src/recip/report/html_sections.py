"""Sections of the HTML report that lay out the scenario and its claims: the scenario as a
reader needs it (``recip show``: players, world states with their chances, each state's payoff
matrix per player and the terms and claims behind it, strategies), the trail from claims to
parameters, the credibility checks and the counter-scenarios side by side. Every text from a
scenario or claim map is escaped."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from ..questions.explain import Explanation
from .credibility_text import credibility_rows
from .explain_text import effect_text, role_text
from .scenario_text import MAX_ROWS, player_matrices, scenario_document, strategy_text, term_text


def table(header: list[str], rows: list[list[str]], *, numeric=None, caption=None) -> str:
    """An HTML table of text cells (escaped); the ``numeric`` columns (default: all but the
    first) align right."""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    right = set(range(1, len(header))) if numeric is None else set(numeric)

    def cls(k: int) -> str:
        return ' class="num"' if k in right else ""

    head = "".join(f"<th{cls(k)}>{escape(str(h))}</th>" for k, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(k)}>{escape(str(c))}</td>" for k, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def scenario_section(s) -> str:
    """The scenario as ``recip show`` prints it, as HTML."""
    doc = scenario_document(s, rows=MAX_ROWS)
    game = s.game
    out = []
    if s.spec.description:
        out.append(f"<p>{escape(' '.join(str(s.spec.description).split()))}</p>")
    players = s.data.get("players")
    rows = []
    for p in game.players:
        info = players.get(p) or {} if isinstance(players, Mapping) else {}
        rows.append([p, info.get("label") or p, " ".join(str(info.get("description", "")).split())])
    out.append("<h3>Players</h3>" + table(["player", "name", "who"], rows, numeric=()))
    nature = doc["nature"]
    raw_states = s.data.get("states") or {}
    state_rows = []
    for st in doc["states"]:
        raw = raw_states.get(st["name"]) or {}
        chance = (
            f"{nature['probabilities'][st['name']]:.4g}" if nature["kind"] == "i.i.d." else "Markov"
        )
        state_rows.append(
            [
                st["name"],
                raw.get("label") or "",
                chance,
                ", ".join(st["acting"]) or "nobody",
                ", ".join(st.get("claims") or ()) or "-",
            ]
        )
    how = (
        "drawn afresh each round (i.i.d.)"
        if nature["kind"] == "i.i.d."
        else "following a Markov chain (see recip show)"
    )
    out.append(
        f"<h3>World states, {how}</h3>"
        + table(["state", "what it is", "chance", "who acts", "claims"], state_rows, numeric=(2,))
    )
    for st in doc["states"]:
        out.append(_state_html(st, raw_states.get(st["name"]) or {}, list(game.players)))
    more = doc["n_states"] - len(doc["states"])
    if more > 0:
        out.append(f"<p class='muted'>… and {more} more states (recip show --verbose).</p>")
    strat = [[p, strategy_text(v)] for p, v in doc["strategies"].items() if v is not None]
    out.append(
        "<h3>Strategies</h3>"
        + table(["player", "strategy [claims]"], strat, numeric=())
        + f"<p>The question: {escape(doc['focal'])}'s policies "
        f"{escape(', '.join(map(str, doc['policies'] or ['balancing', 'aligning'])))}.</p>"
    )
    return "".join(out)


def _state_html(st: dict[str, Any], raw: dict[str, Any], players: list[str]) -> str:
    head = f"<h3>State <code>{escape(st['name'])}</code>"
    head += f": {escape(raw['label'])}</h3>" if raw.get("label") else "</h3>"
    parts = [head]
    if raw.get("description"):
        parts.append(f"<p class='muted'>{escape(' '.join(str(raw['description']).split()))}</p>")
    for p, acts in st["actions"].items():
        described = []
        for a, stance in acts.items():
            toward = ", ".join(f"{k} {v:+g}" for k, v in stance.items()) or "neutral"
            described.append(f"{a} ({toward})")
        parts.append(f"<p><b>{escape(p)}</b> chooses: {escape('; '.join(described))}</p>")
    if not st["acting"]:
        parts.append("<p>Nobody acts.</p>")
    if st.get("claims"):
        parts.append(f"<p>Claims cited: {escape(', '.join(st['claims']))}</p>")
    matrices = player_matrices(st, players)
    if matrices:
        a, b = st["acting"]
        parts.append(
            f"<p class='small muted'>Each player's payoff; rows: {escape(a)}'s action, columns: "
            f"{escape(b)}'s.</p><div class='matrices'>"
            + "".join(table(h, r, caption=f"{p}'s payoff") for p, h, r in matrices)
            + "</div>"
        )
    else:
        rows = [
            [" / ".join(r["actions"].values()) or "-", *(f"{r['payoffs'][p]:.4g}" for p in players)]
            for r in st["payoffs"]
        ]
        label = " / ".join(st["acting"]) or "(no choice)"
        parts.append(
            "<p class='small muted'>Each player's payoff (columns) by joint action (rows).</p>"
            + table([label, *players], rows)
        )
        if len(rows) < st["joint_actions"]:
            parts.append(f"<p class='muted'>… and {st['joint_actions'] - len(rows)} more.</p>")
    terms = [term_text(t) for t in st.get("terms") or ()]
    terms += [f"tables.{st['name']}.{p}: a table of {p}'s payoffs" for p in st.get("tables") or ()]
    if terms:
        items = "".join(f"<li><code>{escape(t)}</code></li>" for t in terms)
        parts.append(
            f"<p class='small'>Made of (nominal values, ranges, claims):</p>"
            f"<ul class='terms small'>{items}</ul>"
        )
    return f"<div class='state'>{''.join(parts)}</div>"


def claims_section(e: Explanation) -> str:
    """The trail: each claim, what it becomes in the model, the keys it sets and their values,
    and what it does to the verdict."""
    if not e.trails:
        return "<p>This scenario names no claim map: it encodes no claims of a source.</p>"
    effect: dict[str, list[tuple[str, str]]] = {}
    for w in e.weights:
        for c in w.claims:
            effect.setdefault(c, []).append(effect_text(w))
    badges = {
        "flips": "<span class='badge no'>can flip the verdict</span>",
        "moves": "<span class='badge same'>moves it, no flip in range</span>",
        "inert": "<span class='badge yes'>cannot move it</span>",
    }
    rows = []
    for t in e.trails:
        keys = "".join(
            f"<li><code>{escape(k.key)}</code> = {escape(k.value or '(not set here)')}"
            + ("" if k.cited else " <span class='muted'>(the claim map says it informs it)</span>")
            + "</li>"
            for k in t.keys
        )
        does = effect.get(t.id)
        if does:
            kinds = {kind for kind, _ in does}
            kind = next(k for k in ("flips", "moves", "inert") if k in kinds)
            items = "".join(f"<li>{escape(text)}</li>" for _, text in does)
            verdict = f"{badges[kind]}<ul class='keys'>{items}</ul>"
        elif t.id in e.untested:
            verdict = "not tested: the scenario declares no range for what it sets"
        else:
            verdict = escape("not cited by this scenario" if not t.cited else "-")
        rows.append(
            f"<tr><td class='claim-id'>{escape(t.id)}</td><td>{escape(t.summary)}</td>"
            f"<td>{escape(t.model)}</td><td><ul class='keys'>{keys}</ul></td>"
            f"<td class='small'>{verdict}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "claim",
            "what it says (in our words)",
            "what it becomes in the model",
            "keys it sets → values",
            "what it does to the verdict",
        )
    )
    return (
        f"<p>Source: {escape(e.citation or '')}. Every claim is our paraphrase, written to be "
        "tested, not endorsed.</p>"
        f"<table class='wide'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def credibility_table(e: Explanation) -> str:
    cred = e.credibility
    if cred is None:
        return ""
    rows = credibility_rows(cred)
    header = [f"{cred.focal}'s policy", "player", "strategy", "best-response gain", "one-shot"]
    return table([*header, "verdict"], rows, numeric=(3, 4))


def counters_section(e: Explanation) -> str:
    """This scenario and every scenario that extends or counters it, side by side."""
    c = e.comparison
    cards = [
        "<div class='card this'><h3>This scenario: "
        f"<code>{escape(e.scenario)}</code></h3>"
        f"<p class='v'>{escape(c.policies[c.best])} is best for {escape(c.focal)}</p>"
        f"<p class='small'>{escape(e.verdict)}</p></div>"
    ]
    for r in e.related:
        badge = (
            "<span class='badge no'>reverses the verdict</span>"
            if r.flips
            else "<span class='badge same'>same verdict</span>"
        )
        claims = (
            f"Answers {', '.join(r.answers)} (claim map)"
            if r.answers
            else (f"Changes what {', '.join(r.touches)} set" if r.touches else "")
        )
        argument = (
            f"<p class='small'>{escape(r.argument)}</p>"
            if r.argument
            else f"<p class='small'>{escape(r.description)}</p>"
        )
        changes = ", ".join(r.changes[:10]) + (" …" if len(r.changes) > 10 else "")
        cards.append(
            f"<div class='card'><h3><code>{escape(r.name)}</code> {badge}</h3>"
            f"<p class='small muted'>{escape(r.title)} — {escape(role_text(r.role))}"
            f"{escape(', ' + r.stance) if r.stance and r.role != 'counterpoint' else ''}</p>"
            f"<p class='v'>{escape(r.best)} is best for {escape(r.focal)}, by {r.margin:.4g} "
            "per round</p>"
            f"<p class='small'>{escape(claims)}</p>{argument}"
            f"<p class='small muted'>Differs in: {escape(changes) or 'nothing'}. "
            f"Report: <code>recip report {escape(r.name)}</code></p></div>"
        )
    out = f"<div class='counter-grid'>{''.join(cards)}</div>"
    if e.open_counterpoints:
        items = "".join(f"<li>{escape(t)}</li>" for t in e.open_counterpoints)
        out += (
            "<h3>Counterpoints of the claim map that name no bundled scenario</h3>"
            f"<ul class='plain'>{items}</ul>"
        )
    return out
