"""Checks that ``recip validate`` adds to loading: what a file may leave open for the Python API
(which can supply it at call time) but a command-line run needs.

>>> from recip.scenario.load import load_scenario
>>> problems(load_scenario("sindoor-2025"))
[]
"""

from __future__ import annotations

from ..core.errors import ScenarioError
from ..core.text import join_words
from .load import Scenario
from .payoff_spec import unpaid


def problems(scenario: Scenario) -> list[ScenarioError]:
    """What keeps a loaded scenario from being run as it stands, one :class:`ScenarioError`
    per problem (an empty list when there is none).

    * Every player is paid by some payoff term or table, unless the file declares that it is not
      (``[players.<p>] payoffs = "none"``); a player that acts in a state with a
      ``[tables.<state>]`` has a table there, unless a term pays it there. Otherwise a
      forgotten payoff would silently be 0.
    * A player that acts in some world state needs a strategy in ``[strategies]``, except the
      focal player of ``[compare]`` (its strategies are the compared policies). The Python API
      can give the missing ones in a profile (``recip.evaluate(s, {"india": "aligning"})``); the
      command line cannot. A Gambit ``.nfg`` game is exempt: its format holds no strategies.
    """
    spec = scenario.spec
    found = [exc.located(scenario.source) for exc in unpaid(spec)]
    if scenario.source.lower().endswith(".nfg"):
        # a Gambit game is a stage game: its format holds no strategies, and its stage
        # equilibria need none (a run gives them with --set strategies.<player>=...)
        return found
    for player in spec.players:
        if player == spec.focal or player in spec.strategies:
            continue
        where = [s.name for s in spec.states if player in s.actions]
        if not where:
            continue  # it never acts: it passes everywhere and needs no strategy
        shown = join_words([f"'{s}'" for s in where[:5]]) + (" ..." if len(where) > 5 else "")
        found.append(
            ScenarioError(
                f"{player} acts (in {shown}) but has no strategy; add one to [strategies], "
                f'e.g. {player} = "aligning"',
                file=scenario.source,
                key=f"strategies.{player}",
            )
        )
    return found
