"""Unconditional and adaptive strategies: always, random, myopic, win-stay-lose-shift."""

from __future__ import annotations

import numpy as np

from ..core import radix
from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from .base import Parameter, Strategy, TableBuilder, pick


def _acting_states(game, player: int) -> list[int]:
    return [s for s in range(game.n_states) if game.acts[s, player]]


class Always(Strategy):
    name = "always"
    summary = "Plays the same action every time it acts (written 'always:<action>')."
    source = "Unconditional strategies ALLC / ALLD [Axelrod1984]."
    parameters = (Parameter("action", None, "the action, or a table state -> action", kind="any"),)
    metadata = {"memory": 0, "stochastic": False, "games": "any", "reciprocal": False}

    def __init__(self, *, key: str | None = None, **params):
        action = params.get("action")
        if action is None:
            raise ScenarioError(
                "'always' needs an action: write 'always:<action>' or {name = \"always\", "
                'action = "..."}',
                key=key,
            )
        if not isinstance(action, str | dict) or (
            isinstance(action, dict) and not all(isinstance(v, str) for v in action.values())
        ):
            raise ScenarioError(
                f"'action' must be an action name or a table state -> action, not {action!r}",
                key=key,
            )
        self.params = {"action": action}
        self.key = key

    @property
    def label(self) -> str:
        a = self.params["action"]
        if isinstance(a, str):
            return f"always:{a}"
        return "always:" + ",".join(f"{s}={v}" for s, v in a.items())

    def compile(self, game, player: int) -> Automaton:
        tb = TableBuilder(game, player)
        policy, update = tb.empty(1)
        action = self.params["action"]
        pname = game.players[player]
        if isinstance(action, dict):
            for sname in action:
                if sname not in game.states:
                    raise ScenarioError(
                        f"unknown state '{sname}'; {suggest(sname, game.states)}", key=self.key
                    )
        for s in _acting_states(game, player):
            choices = game.actions[s][player]
            wanted = action if isinstance(action, str) else action.get(game.states[s])
            if wanted is None:
                raise ScenarioError(
                    f"{pname} acts in state '{game.states[s]}' but 'always' names no action "
                    f"for it ({', '.join(choices)})",
                    key=self.key,
                )
            if wanted not in choices:
                raise ScenarioError(
                    f"{pname} has no action '{wanted}' in state '{game.states[s]}'; "
                    f"{suggest(wanted, choices)}",
                    key=self.key,
                )
            policy[0, s, choices.index(wanted)] = 1.0
        return Automaton(policy, update, 0, ("-",), self.label)


class Random(Strategy):
    name = "random"
    summary = "Picks one of its actions uniformly at random every time it acts."
    source = "The random strategy of Axelrod's first tournament [Axelrod1980]."
    metadata = {"memory": 0, "stochastic": True, "games": "any", "reciprocal": False}

    def compile(self, game, player: int) -> Automaton:
        tb = TableBuilder(game, player)
        policy, update = tb.empty(1)
        for s in _acting_states(game, player):
            k = game.n_actions[s, player]
            policy[0, s, :k] = 1.0 / k
        return Automaton(policy, update, 0, ("-",), self.label)


def _others_code(game, s: int, player: int) -> tuple[np.ndarray, int]:
    """For each joint action of state ``s``: the index of the other players' part, and how many
    such parts there are."""
    J = game.n_joint[s]
    others = [k for k in range(game.n_players) if k != player]
    sizes = game.n_actions[s, others]
    code = radix.encode(game.joint_actions[s, :J][:, others], radix.places(sizes))
    return code, radix.span(sizes)


class Myopic(Strategy):
    reads_payoffs = True
    name = "myopic"
    summary = (
        "Plays a best response of the stage game to what the others did the last time this "
        "world state occurred (to uniform play before that)."
    )
    source = "Cournot / best-response dynamics [Fudenberg-Levine1998, ch. 2]."
    metadata = {
        "memory": "others' last actions per state",
        "stochastic": False,
        "games": "any",
        "reciprocal": False,
    }

    def compile(self, game, player: int) -> Automaton:
        states = []
        for s in _acting_states(game, player):
            code, size = _others_code(game, s, player)
            if size > 1:
                states.append((s, code, size))
        sizes = [size + 1 for _, _, size in states]  # digit 0: not seen yet
        M = radix.span(sizes)
        tb = TableBuilder(game, player)
        policy, update = tb.empty(M)
        place = radix.places(sizes)
        mem = np.arange(M)
        for s in _acting_states(game, player):
            k = game.n_actions[s, player]
            J = game.n_joint[s]
            own = game.joint_actions[s, :J, player]
            code, size = _others_code(game, s, player)
            pay = np.zeros((k, size))
            pay[own, code] = game.payoffs[s, :J, player]
            others = [q for q in range(game.n_players) if q != player]
            st = game.stances[s, player, :k][:, others]
            pos = next((i for i, (t, _, _) in enumerate(states) if t == s), None)
            # response to each belief: uniform (digit 0), then each observed profile
            beliefs = np.vstack([np.full(size, 1.0 / size), np.eye(size)])
            best = pick(beliefs @ pay.T, st)  # (size + 1,)
            digit = (mem // place[pos]) % sizes[pos] if pos is not None else np.zeros(M, int)
            policy[mem, s, best[digit]] = 1.0
            if pos is not None:
                new_digit = code + 1
                upd = mem[:, None] + (new_digit[None, :] - digit[:, None]) * place[pos]
                update[:, s, :J] = upd
        labels = tuple(str(m) for m in range(M))
        return Automaton(policy, update, 0, labels, self.label)


class WinStayLoseShift(Strategy):
    reads_payoffs = True
    name = "win-stay-lose-shift"
    summary = (
        "Repeats its last action in a state if that round paid at least its aspiration, "
        "otherwise shifts to its next action (Pavlov)."
    )
    source = "Win-stay, lose-shift / Pavlov [Kraines-Kraines1989, Nowak-Sigmund1993]."
    parameters = (
        Parameter(
            "aspiration",
            None,
            "payoff that counts as a win; default: the mean of its stage payoffs in that state",
            kind="any",
        ),
    )
    metadata = {
        "memory": "own last action and payoff per state",
        "stochastic": False,
        "games": "any",
        "reciprocal": True,
    }

    def __init__(self, *, key: str | None = None, **params):
        asp = params.pop("aspiration", None)
        super().__init__(key=key, **params)
        if asp is not None and (
            isinstance(asp, bool) or not isinstance(asp, int | float) or not np.isfinite(asp)
        ):
            raise ScenarioError(f"'aspiration' must be a finite number, not {asp!r}", key=key)
        self.params["aspiration"] = None if asp is None else float(asp)

    def compile(self, game, player: int) -> Automaton:
        states = [s for s in _acting_states(game, player) if game.n_actions[s, player] > 1]
        sizes = [int(game.n_actions[s, player]) for s in states]
        M = radix.span(sizes)
        tb = TableBuilder(game, player)
        policy, update = tb.empty(M)
        place = radix.places(sizes)
        mem = np.arange(M)
        for s in _acting_states(game, player):
            if s not in states:
                policy[:, s, 0] = 1.0
                continue
            pos = states.index(s)
            k, J = sizes[pos], game.n_joint[s]
            digit = (mem // place[pos]) % k
            policy[mem, s, digit] = 1.0
            pay = game.payoffs[s, :J, player]
            asp = self.params["aspiration"]
            if asp is None:
                asp = float(pay.mean())
            own = game.joint_actions[s, :J, player]
            nxt = np.where(pay >= asp - 1e-12, own, (own + 1) % k)
            update[:, s, :J] = mem[:, None] + (nxt[None, :] - digit[:, None]) * place[pos]
        labels = tuple(
            ",".join(
                game.actions[s][player][(m // place[i]) % sizes[i]] for i, s in enumerate(states)
            )
            or "-"
            for m in range(M)
        )
        return Automaton(policy, update, 0, labels, self.label)
