"""Nature's part of a scenario file, checked: the transition matrix or the i.i.d.
probabilities, where the analysed rounds start, the ``[[nature.after]]`` rules by which the
actions move the world (a stochastic game), and the scripted history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ScenarioError
from .payoff_spec import need, scope

PROBABILITY_TOLERANCE = 1e-9


def check_prob_sum(total: float, key: str, what: str) -> None:
    """Refuse chances ``what`` that do not add up to 1 (to within
    :data:`PROBABILITY_TOLERANCE`)."""
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise ScenarioError(f"{what} add up to {total:.6g}, not 1", key=key)


@dataclass(frozen=True)
class RuleSpec:
    """One ``[[nature.after]]`` rule: in ``states``, after a joint action matching ``when``,
    the next world state is drawn from ``next`` (a law over the states, in their order)."""

    key: str
    states: tuple[str, ...]
    when: dict[str, tuple[str, ...]]
    next: np.ndarray
    claims: tuple[str, ...]
    note: str | None
    names: tuple[str, ...] = ()  # every world state, in order

    @property
    def next_named(self) -> dict[str, float]:
        """The next state's law by state name (positive chances only)."""
        return {s: float(p) for s, p in zip(self.names, self.next, strict=True) if p > 0}


def nature(model, states, names):
    """Nature's transition matrix, the start law and whether nature is Markov, from
    ``[nature]`` or the states' i.i.d. probabilities (every name and sum checked)."""
    n = len(names)
    nature = model.nature
    markov = nature is not None and nature.transitions is not None
    if markov:
        for s in states:
            if s.probability is not None:
                raise ScenarioError(
                    "a state's probability is for i.i.d. nature; with [nature.transitions] "
                    "remove it",
                    key=f"states.{s.name}.probability",
                )
        matrix = np.zeros((n, n))
        for sname in names:
            if sname not in nature.transitions:
                raise ScenarioError(
                    f"no transition row for state '{sname}'", key=f"nature.transitions.{sname}"
                )
        for sname, row in nature.transitions.items():
            key = f"nature.transitions.{sname}"
            need(sname, names, key, "state")
            for target, p in row.items():
                need(target, names, f"{key}.{target}", "state")
                matrix[names.index(sname), names.index(target)] = p
            check_prob_sum(float(sum(row.values())), key, "the transition chances")
        iid = None
    else:
        probs = [s.probability for s in states]
        if n == 1 and probs[0] is None:
            probs = [1.0]
        missing = [s.name for s, p in zip(states, probs, strict=True) if p is None]
        if missing:
            raise ScenarioError(
                "every state needs a probability when nature is i.i.d. (or give "
                "[nature.transitions])",
                key=f"states.{missing[0]}.probability",
            )
        check_prob_sum(float(sum(probs)), "states", "the state probabilities")
        iid = np.asarray(probs, dtype=float)
        matrix = np.tile(iid, (n, 1))
    start = None
    if nature is not None and nature.start is not None:
        if isinstance(nature.start, str):
            need(nature.start, names, "nature.start", "state")
            start = np.zeros(n)
            start[names.index(nature.start)] = 1.0
        else:
            start = np.zeros(n)
            for sname, p in nature.start.items():
                need(sname, names, f"nature.start.{sname}", "state")
                start[names.index(sname)] = p
            check_prob_sum(float(start.sum()), "nature.start", "the start chances")
    if start is None:
        if iid is not None:
            start = iid.copy()
        elif not model.history:
            raise ScenarioError(
                "with Markov nature, say where it starts: nature.start = a state or a table of "
                "chances",
                key="nature.start",
            )
    if start is None:  # Markov nature after scripted history: continue from its last state
        start = matrix[names.index(model.history[-1].state)].copy()
    return matrix, start, markov


def rules(model, by_name, players, names) -> tuple[RuleSpec, ...]:
    """The ``[[nature.after]]`` rules, every name checked and every law adding up to 1."""
    if model.nature is None:
        return ()
    out = []
    for r, rule in enumerate(model.nature.after):
        key = f"nature.after[{r}]"
        states, when = scope(key, rule.state, rule.when, by_name, players, names)
        law = np.zeros(len(names))
        for target, p in rule.next.items():
            need(target, names, f"{key}.next.{target}", "state")
            law[names.index(target)] = p
        if not rule.next:
            raise ScenarioError("give the chance of at least one next state", key=f"{key}.next")
        check_prob_sum(float(law.sum()), f"{key}.next", "the next state's chances")
        out.append(RuleSpec(key, states, when, law, tuple(rule.claims), rule.note, tuple(names)))
    return tuple(out)


def history(model, by_name, players):
    """The scripted rounds: each state, every acting player's action (all named and
    declared) and the label."""
    out = []
    for r, rnd in enumerate(model.history):
        key = f"history[{r}]"
        need(rnd.state, by_name, f"{key}.state", "state")
        st = by_name[rnd.state]
        for player, action in rnd.actions.items():
            need(player, players, f"{key}.actions.{player}", "player")
            if player not in st.actions:
                raise ScenarioError(
                    f"{player} does not act in state '{rnd.state}'",
                    key=f"{key}.actions.{player}",
                )
            need(action, st.actions[player], f"{key}.actions.{player}", "action")
        for player in st.actions:
            if player not in rnd.actions:
                raise ScenarioError(
                    f"{player} acts in state '{rnd.state}': say which action it took "
                    f"({', '.join(st.actions[player])})",
                    key=f"{key}.actions",
                )
        out.append((rnd.state, dict(rnd.actions), rnd.label))
    return tuple(out)
