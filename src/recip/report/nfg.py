"""A scenario's stage games as Gambit ``.nfg`` files."""

from __future__ import annotations

from ..core.errors import ScenarioError, suggest
from ..io.nfg import export_tensor_nfg


def export_stage_nfg(scenario, state: str | None = None, *, passive: bool = False) -> str:
    """The stage game of world ``state`` of ``scenario`` as an ``.nfg`` file (nominal payoffs).

    ``state`` may be left out when the scenario has a single world state. The players are
    those who choose in that state, with the scenario's player and action names;
    ``passive=True`` adds the others, each with its single action ``pass``, so that their payoffs
    are kept too.

    >>> from recip import load_scenario
    >>> print(export_stage_nfg(load_scenario("prisoners-dilemma"), "round").splitlines()[0])
    NFG 1 R "The repeated prisoner's dilemma: state round" { "row" "col" }
    """
    scenario = _as_scenario(scenario)
    game = scenario.game
    if state is None:
        if len(game.states) > 1:
            raise ScenarioError(
                f"this scenario has {len(game.states)} world states: choose one with --state "
                f"({', '.join(game.states)}), or export the meta-game with --meta",
                file=scenario.source,
                key="--state",
            )
        state = game.states[0]
    if state not in game.states:
        raise ScenarioError(
            f"no world state '{state}'; {suggest(state, game.states)}",
            file=scenario.source,
            key="--state",
        )
    s = game.state_index(state)
    chosen = [i for i in range(game.n_players) if passive or game.acts[s, i]]
    if not chosen:
        raise ScenarioError(
            f"nobody chooses in state '{state}', so it has no strategic game; export it with "
            "passive players (passive=True) or choose another state",
            file=scenario.source,
            key="--state",
        )
    shape = [int(game.n_actions[s, i]) for i in range(game.n_players)]
    full = game.payoffs[s, : game.n_joint[s]].reshape([*shape, game.n_players])
    # Players left out have one action each: index it away.
    index = tuple(slice(None) if i in chosen else 0 for i in range(game.n_players))
    tensor = full[index][..., chosen]
    label = next(st.label for st in scenario.spec.states if st.name == state)
    title = f"{scenario.title}: state {state}" + (f" ({label})" if label != state else "")
    comment = f"recip scenario {scenario.name}, world state {state}, nominal payoffs"
    return export_tensor_nfg(
        title,
        [game.players[i] for i in chosen],
        [game.actions[s][i] for i in chosen],
        tensor,
        comment=comment,
    )


def _as_scenario(scenario):
    from ..scenario.load import Scenario, load_scenario

    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
