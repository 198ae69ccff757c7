"""`recip equilibria`, `recip threshold` and `recip export`: issue 3's analyses."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import ScenarioError
from .base import (
    emit_json,
    focal_opt,
    json_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    quiet_opt,
    scenario_arg,
    set_opt,
)


def parse_candidates(items: tuple[str, ...]) -> dict[str, list[str]] | None:
    out: dict[str, list[str]] = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError(
                f"--candidates expects PLAYER=STRATEGY,STRATEGY,...; got {item!r}",
                key="--candidates",
            )
        player, specs = item.split("=", 1)
        out[player.strip()] = [x.strip() for x in specs.split(",") if x.strip()]
    return out or None


@main.command()
@scenario_arg
@click.option("--state", default=None, help="Only this world state's stage game.")
@click.option("--meta", is_flag=True, help="The meta-game over repeated-game strategies.")
@click.option(
    "--candidates",
    "candidates",
    multiple=True,
    metavar="PLAYER=S1,S2,...",
    help="Meta-game candidates of a player (repeatable; default: [meta] in the scenario, "
    "else its strategy, balancing and aligning).",
)
@click.option(
    "--spe",
    is_flag=True,
    help="Check whether the scenario's profile is subgame perfect (one-shot deviations).",
)
@set_opt
@json_opt
def equilibria(scenario, state, meta, candidates, spe, sets, as_json):
    """Nash equilibria: of each world state's stage game, of the meta-game (--meta), or
    subgame perfection of the scenario's profile (--spe).

    \b
    Example:
      recip equilibria prisoners-dilemma
      recip equilibria sindoor-2025 --meta
      recip equilibria sindoor-2025 --meta --candidates russia=balancing,aligning,grim-trigger
      recip equilibria prisoners-dilemma --spe --set horizon.discount=0.6
    """
    s = load(scenario, parse_set(sets))
    if spe:
        from ..questions.spe import is_subgame_perfect
        from ..report.equilibria_text import format_subgame_perfection

        result = is_subgame_perfect(s)
        text = format_subgame_perfection(result)
    elif meta:
        from ..questions.meta import meta_game
        from ..report.equilibria_text import format_meta_game

        result = meta_game(s, parse_candidates(candidates))
        text = format_meta_game(result)
    else:
        from ..questions.stage import stage_equilibria
        from ..report.equilibria_text import format_stage_equilibria

        result = stage_equilibria(s, state)
        text = format_stage_equilibria(result)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(text)


@main.command()
@scenario_arg
@click.option(
    "--what",
    type=click.Choice(["advantage", "spe", "nash"]),
    default="advantage",
    show_default=True,
    help="advantage: where the focal policy comparison changes sign; spe / nash: where the "
    "scenario's profile is a subgame perfect / Nash equilibrium.",
)
@focal_opt
@policy_opt
@set_opt
@json_opt
@quiet_opt
def threshold(scenario, what, focal, policies, sets, as_json, quiet):
    """Critical discount factors: every discount factor in [0, 1) where the answer changes.

    \b
    Example:
      recip threshold sindoor-2025
      recip threshold prisoners-dilemma --what spe --set strategies.row=grim-trigger \\
          --set strategies.col=grim-trigger --set noise.execution=0
    """
    from ..questions.threshold import critical_discount
    from ..report.equilibria_text import format_critical_discount

    s = load(scenario, parse_set(sets))
    result = critical_discount(s, focal=focal, policies=parse_policies(policies), what=what)
    if as_json:
        emit_json(result.to_dict())
    elif quiet:
        click.echo(result.sentence)
    else:
        click.echo(format_critical_discount(result))


@main.command()
@scenario_arg
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nfg"]),
    default="nfg",
    show_default=True,
    help="Gambit's normal-form format (outcome version: labels survive).",
)
@click.option("--state", default=None, help="The world state whose stage game to export.")
@click.option("--meta", is_flag=True, help="Export the meta-game instead of a stage game.")
@click.option(
    "--candidates",
    "candidates",
    multiple=True,
    metavar="PLAYER=S1,S2,...",
    help="Meta-game candidates (as for `recip equilibria --meta`).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of printing.",
)
@set_opt
def export(scenario, fmt, state, meta, candidates, out, sets):
    """Export a stage game or the meta-game as a Gambit .nfg file.

    Without --state, a scenario with one world state exports that state.

    \b
    Example:
      recip export prisoners-dilemma --format nfg > pd.nfg
      recip export sindoor-2025 --state india_attacked --out attacked.nfg
      recip export sindoor-2025 --meta --out meta.nfg
    """
    from ..core.errors import suggest
    from ..io.results import write_atomic
    from ..report.nfg import export_stage_nfg

    s = load(scenario, parse_set(sets))
    if meta:
        from ..questions.meta import meta_game

        text = meta_game(s, parse_candidates(candidates)).to_nfg()
    else:
        states = s.game.states
        if state is None and len(states) > 1:
            raise ScenarioError(
                f"this scenario has {len(states)} world states: choose one with --state "
                f"({', '.join(states)}), or export the meta-game with --meta",
                file=s.source,
                key="--state",
            )
        state = state or states[0]
        if state not in states:
            raise ScenarioError(
                f"no world state '{state}'; {suggest(state, states)}",
                file=s.source,
                key="--state",
            )
        text = export_stage_nfg(s, state)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(out, text)
