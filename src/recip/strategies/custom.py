"""Strategies written in a scenario file as automata: named memories, what to play in each,
and transitions on observed actions. This lets a user add a strategy without Python.

.. code-block:: toml

    [automata.alternator]
    description = "Cooperates, then defects, then cooperates, ..."
    initial = "even"
    memories.even = { play = "cooperate", next = "odd" }
    memories.odd = { play = "defect", next = "even" }

    [automata.grudger.memories.calm]
    play = "cooperate"
    next = [{ when = { col = "defect" }, to = "angry" }]
    [automata.grudger.memories.angry]
    play = "defect"
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from .base import Strategy, TableBuilder

_RULE_KEYS = ("to", "state", "when")


class ScenarioAutomaton(Strategy):
    name = "automaton"
    summary = "A finite automaton written in the scenario file ([automata.<name>])."
    source = "Finite automata as repeated-game strategies [Rubinstein1986, Abreu-Rubinstein1988]."
    metadata = {
        "memory": "user-defined memories",
        "stochastic": "if a play is a distribution",
        "games": "any",
        "reciprocal": "user-defined",
    }

    def __init__(self, automaton_name: str, spec: Any, *, key: str | None = None):
        self.automaton_name = automaton_name
        self.spec = spec
        self.params = {}
        self.key = key

    @property
    def label(self) -> str:
        return self.automaton_name

    @property
    def identity(self) -> tuple[str, str]:
        return (self.automaton_name, repr(self.spec))

    def compile(self, game, player: int) -> Automaton:
        spec = self.spec
        base = f"automata.{self.automaton_name}"
        names = list(spec.memories)
        if not names:
            raise ScenarioError("an automaton needs at least one memory", key=f"{base}.memories")
        initial = spec.initial if spec.initial is not None else names[0]
        if initial not in names:
            raise ScenarioError(
                f"unknown memory '{initial}'; {suggest(initial, names)}", key=f"{base}.initial"
            )
        tb = TableBuilder(game, player)
        policy, update = tb.empty(len(names))
        for m, (mname, mem) in enumerate(spec.memories.items()):
            mkey = f"{base}.memories.{mname}"
            self._play(game, player, policy[m], mem.play, f"{mkey}.play")
            self._next(game, update[m], mem.next, names, m, f"{mkey}.next")
        return Automaton(policy, update, names.index(initial), tuple(names), self.label)

    def _play(self, game, player, out: np.ndarray, play, key) -> None:
        pname = game.players[player]
        if isinstance(play, dict):
            for sname in play:
                if sname != "default" and sname not in game.states:
                    raise ScenarioError(
                        f"unknown state '{sname}'; {suggest(sname, [*game.states, 'default'])}",
                        key=f"{key}.{sname}",
                    )
        for s in range(game.n_states):
            if not game.acts[s, player]:
                continue
            choices = game.actions[s][player]
            sname = game.states[s]
            if isinstance(play, str):
                entry, where = play, key
            else:
                entry = play.get(sname, play.get("default"))
                where = f"{key}.{sname if sname in play else 'default'}"
                if entry is None:
                    raise ScenarioError(
                        f"{pname} acts in state '{sname}': say what to play there (or give "
                        "'default')",
                        key=key,
                    )
            dist = {entry: 1.0} if isinstance(entry, str) else dict(entry)
            for action in dist:
                if action not in choices:
                    raise ScenarioError(
                        f"{pname} has no action '{action}' in state '{sname}'; "
                        f"{suggest(action, choices)}",
                        key=where,
                    )
            total = sum(dist.values())
            if abs(total - 1.0) > 1e-9:
                raise ScenarioError(f"the chances add up to {total:g}, not 1", key=where)
            for action, p in dist.items():
                out[s, choices.index(action)] = p

    def _next(self, game, out: np.ndarray, nxt, names, current: int, key) -> None:
        if nxt is None:
            return
        if isinstance(nxt, str):
            if nxt not in names:
                raise ScenarioError(f"unknown memory '{nxt}'; {suggest(nxt, names)}", key=key)
            out[:] = names.index(nxt)
            return
        decided = np.zeros(out.shape, dtype=bool)
        for r, rule in enumerate(nxt):
            rkey = f"{key}[{r}]"
            if not isinstance(rule, dict):
                raise ScenarioError("a rule is a table {state?, when?, to}", key=rkey)
            for k in rule:
                if k not in _RULE_KEYS:
                    raise ScenarioError(
                        f"unknown key '{k}'; {suggest(k, _RULE_KEYS)}", key=f"{rkey}.{k}"
                    )
            to = rule.get("to")
            if not isinstance(to, str) or to not in names:
                raise ScenarioError(
                    f"'to' must name a memory; {suggest(str(to), names)}", key=f"{rkey}.to"
                )
            match = self._rule_mask(game, rule, rkey)
            fire = match & ~decided
            out[fire] = names.index(to)
            decided |= match

    @staticmethod
    def _rule_mask(game, rule: dict, key: str) -> np.ndarray:
        S, J = game.n_states, game.max_joint
        mask = np.zeros((S, J), dtype=bool)
        for s in range(S):
            mask[s, : game.n_joint[s]] = True
        states = rule.get("state")
        if states is not None:
            states = [states] if isinstance(states, str) else list(states)
            keep = np.zeros(S, dtype=bool)
            for sname in states:
                if sname not in game.states:
                    raise ScenarioError(
                        f"unknown state '{sname}'; {suggest(sname, game.states)}",
                        key=f"{key}.state",
                    )
                keep[game.states.index(sname)] = True
            mask &= keep[:, None]
        when = rule.get("when", {})
        if not isinstance(when, dict):
            raise ScenarioError("'when' is a table player -> action(s)", key=f"{key}.when")
        for pname, acts in when.items():
            if pname not in game.players:
                raise ScenarioError(
                    f"unknown player '{pname}'; {suggest(pname, game.players)}",
                    key=f"{key}.when.{pname}",
                )
            i = game.players.index(pname)
            acts = [acts] if isinstance(acts, str) else list(acts)
            known = {a for s in range(S) if game.acts[s, i] for a in game.actions[s][i]}
            for a in acts:
                if a not in known:
                    raise ScenarioError(
                        f"{pname} has no action '{a}'; {suggest(a, sorted(known))}",
                        key=f"{key}.when.{pname}",
                    )
            for s in range(S):
                if not game.acts[s, i]:
                    mask[s] = False
                    continue
                idx = [game.actions[s][i].index(a) for a in acts if a in game.actions[s][i]]
                mask[s] &= np.isin(game.joint_actions[s, :, i], idx)
        return mask
