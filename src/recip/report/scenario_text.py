"""A scenario as a reader needs it (``recip show``): its players, its world states with their
chances, each state's actions with their stances and its payoff table, the strategies, the
horizon, noise and the claims it encodes. Everything comes from the validated scenario (the
payoffs are the game's, terms and tables added up at their nominal values); nothing is solved.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.conditions import observation_text
from ..scenario.load import Scenario
from ..scenario.overrides import value_text
from .tables import table, wrap

#: World states shown unless one is asked for or ``--verbose`` (the rest are counted).
MAX_STATES = 12
#: Rows of one state's payoff listing (joint actions) unless ``--verbose``.
MAX_ROWS = 64
#: Most joint actions ``--json`` or ``--verbose`` lists in all (each a row of every player's
#: payoff): beyond it, one state at a time.
MAX_LISTED = 100_000


def _number(x: float) -> str:
    return f"{x:.4g}"


def scenario_document(
    s: Scenario, state: str | None = None, rows: int | None = None
) -> dict[str, Any]:
    """What ``recip show --json`` prints: the scenario's structure and its payoffs by state
    (with ``rows``, the first :data:`MAX_STATES` states and each one's first ``rows + 1`` joint
    actions, enough for the text to say what it leaves out)."""
    game, spec = s.game, s.spec
    states = range(game.n_states) if state is None else [game.state_index(state)]
    if state is None and rows is not None:
        states = range(min(game.n_states, MAX_STATES))
    iid = game.iid
    out: dict[str, Any] = {
        "title": s.title,
        "source": s.source,
        "players": list(game.players),
        "nature": (
            {
                "kind": "i.i.d.",
                "probabilities": dict(zip(game.states, game.transition[0].tolist(), strict=True)),
            }
            if iid or game.n_states == 1
            else {
                "kind": "Markov",
                "start": dict(zip(game.states, game.start.tolist(), strict=True)),
                "transitions": {
                    a: dict(zip(game.states, row.tolist(), strict=True))
                    for a, row in zip(game.states, _rows(game), strict=True)
                },
                "moved_by_actions": [a for k, a in enumerate(game.states) if _moved(game, k)],
            }
        ),
        "after": [_rule(rule) for rule in spec.rules],
        "states": [_state(game, k, rows, s) for k in states],
        "n_states": int(game.n_states),
        "strategies": {p: spec.strategies.get(p) for p in game.players},
        "horizon": {
            "discount": dict(spec.discount) if isinstance(spec.discount, dict) else spec.discount,
            "rounds": spec.rounds,
        },
        "noise": {p: float(spec.noise[p]) for p in game.players},
        "observation": {p: float(spec.observation.get(p, 0.0)) for p in game.players},
        "focal": spec.focal,
        "policies": list(spec.policies) if spec.policies is not None else None,
        "claims": s.claim_map.citation() if s.claim_map else None,
    }
    return out


def _moved(game, s: int) -> bool:
    """Whether the next state's law after state ``s`` depends on its joint action."""
    if game.moves is None:
        return False
    laws = game.moves[s, : game.n_joint[s]]
    return bool(np.any(laws != laws[:1]))


def _rows(game) -> np.ndarray:
    """Each state's next-state law as the matrix shows it: the law after every joint action when
    the rules give them all the same one, else nature's own row (the rules say the rest)."""
    if game.moves is None:
        return game.transition
    return np.stack(
        [game.transition[s] if _moved(game, s) else game.moves[s, 0] for s in range(game.n_states)]
    )


def _rule(rule) -> dict[str, Any]:
    """A ``[[nature.after]]`` rule as ``recip show --json`` prints it."""
    return {
        "key": rule.key,
        "states": list(rule.states),
        "when": {p: list(a) for p, a in rule.when.items()},
        "next": {f"{k}": v for k, v in rule.next_named.items()},
        "note": rule.note,
    }


def _rule_text(rule: dict[str, Any], every_state: bool) -> str:
    where = "after any state" if every_state else f"after {' or '.join(rule['states'])}"
    when = "; ".join(f"{p} {' or '.join(a)}" for p, a in rule["when"].items())
    law = ", ".join(f"{k} {_number(v)}" for k, v in rule["next"].items())
    return f"  {where}{f', when {when}' if when else ''}: next {law}"


def _state(game, s: int, limit: int | None = None, scenario: Scenario | None = None):
    acting = [i for i in range(game.n_players) if game.acts[s, i]]
    actions = {
        game.players[i]: {
            a: {
                game.players[k]: float(game.stances[s, i, j, k])
                for k in range(game.n_players)
                if k != i and game.stances[s, i, j, k] != 0
            }
            for j, a in enumerate(game.actions[s][i])
        }
        for i in acting
    }
    rows = []
    n_joint = int(game.n_joint[s])
    for j in range(n_joint if limit is None else min(n_joint, limit + 1)):
        joint = {game.players[i]: game.actions[s][i][game.joint_actions[s, j, i]] for i in acting}
        pays = dict(zip(game.players, game.payoffs[s, j].tolist(), strict=True))
        rows.append({"actions": joint, "payoffs": pays})
    name = game.states[s]
    out = {
        "name": name,
        "acting": [game.players[i] for i in acting],
        "actions": actions,
        "payoffs": rows,
        "joint_actions": n_joint,
    }
    if scenario is not None:
        raw = (scenario.data.get("states") or {}).get(name) or {}
        out["claims"] = list(raw.get("claims") or ())
        out["terms"] = [_term(t) for t in scenario.spec.terms if name in t.states]
        out["tables"] = sorted(scenario.spec.tables.get(name, {}))
    return out


def _term(t) -> dict[str, Any]:
    """A payoff term as ``recip show`` lists it: its key, condition, nominal values (and
    ranges), claims and note."""
    values = {}
    for p, v in t.values.items():
        nominal = getattr(v, "value", v)
        item = {"value": float(nominal)}
        low, high = getattr(v, "low", None), getattr(v, "high", None)
        if low is not None and high is not None:
            item.update({"low": float(low), "high": float(high)})
        values[p] = item
    return {
        "key": t.key,
        "when": {p: list(a) for p, a in t.when.items()},
        "values": values,
        "claims": list(t.claims),
        "note": t.note,
    }


def term_text(term: dict[str, Any]) -> str:
    """``payoffs.oil_revenue: russia +3 (1.5 to 5) when india plays support [C2]``."""
    pays = ", ".join(
        f"{p} {v['value']:+g}" + (f" ({v['low']:g} to {v['high']:g})" if "low" in v else "")
        for p, v in term["values"].items()
    )
    when = " and ".join(f"{p} plays {' or '.join(a)}" for p, a in term["when"].items())
    text = f"{term['key']}: {pays}" + (f" when {when}" if when else " always")
    return text + (f" [{', '.join(term['claims'])}]" if term["claims"] else "")


def player_matrices(st: dict[str, Any], players) -> list[tuple[str, list[str], list[list[str]]]]:
    """For a state where two players act: one matrix per player, ``(player, header, rows)``
    (rows: the first acting player's actions; columns: the second's); empty otherwise or when
    the listing is incomplete."""
    acting = st["acting"]
    if len(acting) != 2 or len(st["payoffs"]) != st["joint_actions"]:
        return []
    a, b = acting
    cols = list(st["actions"][b])
    out = []
    for p in players:
        grid: dict[str, dict[str, str]] = {}
        for r in st["payoffs"]:
            grid.setdefault(r["actions"][a], {})[r["actions"][b]] = _number(r["payoffs"][p])
        body = [[x, *(grid[x][c] for c in cols)] for x in st["actions"][a]]
        out.append((p, [f"{a} \\ {b}", *cols], body))
    return out


def scenario_lines(s: Scenario, doc: dict[str, Any], *, verbose: bool = False) -> list[str]:
    """The text of ``recip show``."""
    game, spec = s.game, s.spec
    lines = [f"{s.title}  [{s.name}]"]
    if spec.description:
        lines += wrap(" ".join(str(spec.description).split()))
    lines += ["", f"Players: {', '.join(game.players)}."]
    nature = doc["nature"]
    if nature["kind"] == "i.i.d.":
        chances = ", ".join(f"{k} {_number(v)}" for k, v in nature["probabilities"].items())
        lines += wrap(f"World states, drawn afresh each round (i.i.d.): {chances}.")
    else:
        lines += wrap("World states follow a Markov chain (rows: this round; columns: the next):")
        names = list(nature["transitions"])
        moved = set(nature.get("moved_by_actions", ()))
        if len(names) <= MAX_STATES or verbose:
            rows = [
                [
                    a + (" *" if a in moved else ""),
                    *(_number(nature["transitions"][a][b]) for b in names),
                ]
                for a in names
            ]
            lines += ["", table(["from \\ to", *names], rows)]
            if moved:
                lines += wrap(
                    "* after some joint actions the next state's law is another: see the rules "
                    "below."
                )
        else:
            lines.append(f"  ({len(names)} states: the matrix is in --json)")
    if doc["after"]:
        lines += [""]
        lines += wrap(
            "The actions move the world (rules tried in order, the first that matches decides; "
            "otherwise nature's own law):"
        )
        for rule in doc["after"]:
            lines += wrap(_rule_text(rule, len(rule["states"]) == game.n_states), indent="    ")
    shown = doc["states"] if verbose else doc["states"][:MAX_STATES]
    for st in shown:
        lines += ["", *_state_lines(st, game, verbose)]
    more = doc["n_states"] - len(shown) if len(doc["states"]) > 1 else 0
    if more > 0:
        lines += ["", f"... and {more} more states (--verbose, or --state NAME)."]
    lines += [""]
    strategies = [f"{p} {strategy_text(v)}" for p, v in doc["strategies"].items() if v is not None]
    lines += wrap(f"Strategies: {'; '.join(strategies) if strategies else 'none given'}.")
    policies = doc["policies"] or ["balancing", "aligning"]
    lines += wrap(f"Question: {doc['focal']}'s policies {', '.join(map(str, policies))}.")
    horizon = doc["horizon"]
    discount = horizon["discount"]
    if isinstance(discount, dict):  # each player's own
        each = ", ".join(f"{p} {d:g}" for p, d in discount.items())
        rounds = f"{horizon['rounds']} rounds, " if horizon["rounds"] is not None else ""
        how = f"{rounds}discount factors {each} (each player's own)"
    else:
        how = (
            f"{horizon['rounds']} rounds"
            + (f", discount {discount:g}" if discount is not None else "")
            if horizon["rounds"] is not None
            else f"discount factor {discount:g} (the chance of another round)"
        )
    noise = {v for v in doc["noise"].values()}
    shown_noise = (
        f"execution noise {noise.pop():g}"
        if len(noise) == 1
        else "execution noise " + ", ".join(f"{p} {v:g}" for p, v in doc["noise"].items())
    )
    observed = observation_text(tuple(doc["observation"].items()))
    horizon_claims = (s.data.get("horizon") or {}).get("claims") or ()
    cited = f" [{', '.join(horizon_claims)}]" if horizon_claims else ""
    lines += wrap(f"Horizon: {how}{cited}; {shown_noise}{'; ' + observed if observed else ''}.")
    if doc["claims"]:
        lines += ["", *wrap(f"Claims ({doc['claims']}; in our words):")]
        for cid, claim in s.claim_map.claims.items():
            lines += wrap(f"  {cid}: {' '.join(claim.summary.split())}", indent="      ")
    return lines


def strategy_text(value: Any) -> str:
    """A strategy as a reader writes it: ``aligning, tolerance 0 [C1, C11]``."""
    if not isinstance(value, dict):
        return value_text(value)
    params = [
        f"{k} {_number(v) if isinstance(v, float) else value_text(v)}"
        for k, v in value.items()
        if k not in ("name", "claims", "note")
    ]
    claims = value.get("claims") or ()
    text = ", ".join([value_text(value.get("name", "?")), *params])
    return text + (f" [{', '.join(claims)}]" if claims else "")


def _state_lines(st: dict[str, Any], game, verbose: bool) -> list[str]:
    acting = st["acting"]
    head = f"State {st['name']}: " + (
        "nobody acts."
        if not acting
        else f"{' and '.join(acting)} act{'s' if len(acting) == 1 else ''}."
    )
    lines = [head]
    for p, acts in st["actions"].items():
        described = []
        for a, stance in acts.items():
            toward = ", ".join(f"{k} {v:+g}" for k, v in stance.items()) or "neutral"
            described.append(f"{a} ({toward})")
        lines += wrap(f"  {p}: {'; '.join(described)}")
    if st.get("claims"):
        lines += wrap(f"  claims cited: {', '.join(st['claims'])}")
    players = list(game.players)
    rows = st["payoffs"]
    matrices = player_matrices(st, players) if len(rows) <= MAX_ROWS * 4 else []
    if matrices:
        a, b = acting
        lines += ["", f"  each player's payoff; rows: {a}, columns: {b}"]
        for p, header, body in matrices:
            lines += ["", f"  {p}:", table(header, body)]
        return lines + _terms_lines(st)
    listed = rows if verbose else rows[:MAX_ROWS]
    if acting:
        lines += ["", f"  each player's payoff (columns) by {' / '.join(acting)}'s action (rows)"]
    body = [
        [" / ".join(r["actions"].values()) or "-", *(_number(r["payoffs"][p]) for p in players)]
        for r in listed
    ]
    lines += ["", table([" / ".join(acting) or "(no choice)", *players], body)]
    if len(listed) < st["joint_actions"]:
        lines.append(
            f"  ... and {st['joint_actions'] - len(listed)} more joint actions (--verbose)"
        )
    return lines + _terms_lines(st)


def _terms_lines(st: dict[str, Any]) -> list[str]:
    """The payoff terms (and tables) that make up a state's payoffs, with their claims."""
    terms = st.get("terms") or []
    tables = st.get("tables") or []
    if not terms and not tables:
        return []
    lines = ["", "  made of:"]
    for t in terms:
        lines += wrap(f"    {term_text(t)}", indent="      ")
    for p in tables:
        lines += wrap(f"    tables.{st['name']}.{p}: a table of {p}'s payoffs", indent="      ")
    return lines
