"""`recip equilibria`, `recip threshold` and `recip export`: issue 3's analyses."""

from __future__ import annotations

import click

from ..core.errors import ScenarioError
from .base import (
    focal_opt,
    json_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    progress_bar,
    quiet_opt,
    scenario_arg,
    set_opt,
    show,
    verbose_opt,
)
from .output import say


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


def meta(s, candidates: tuple[str, ...], bar: bool):
    """The meta-game, with a progress bar over its candidate profiles (after one second)."""
    from ..questions.meta import meta_game

    with progress_bar(bar, "meta-game", unit=" profiles") as update:
        return meta_game(s, parse_candidates(candidates), progress=update)


@main.command()
@scenario_arg
@click.option("--state", default=None, help="Only this world state's stage game.")
@click.option("--meta", "meta_", is_flag=True, help="The meta-game over repeated-game strategies.")
@click.option(
    "--candidates",
    "candidates",
    multiple=True,
    metavar="PLAYER=S1,S2,...",
    help="Meta-game candidates of a player (repeatable; default: [meta] in the scenario, "
    "else its strategy, balancing, aligning, myopic and every always:<action>).",
)
@click.option(
    "--spe",
    is_flag=True,
    help="Check whether the scenario's profile is subgame perfect (one-shot deviations).",
)
@set_opt
@json_opt
@quiet_opt
@verbose_opt
def equilibria(scenario, state, meta_, candidates, spe, sets, as_json, quiet, verbose):
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

        result = is_subgame_perfect(s)
    elif meta_:
        result = meta(s, candidates, bar=not (quiet or as_json))
    else:
        from ..questions.stage import stage_equilibria

        result = stage_equilibria(s, state)
    show(result, s, "equilibria", as_json=as_json, quiet=quiet, verbose=verbose)


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
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Write results.json and the curve against the discount factor (discount.png/.svg).",
)
@focal_opt
@policy_opt
@set_opt
@json_opt
@quiet_opt
def threshold(scenario, what, out, focal, policies, sets, as_json, quiet):
    """Critical discount factors: every discount factor in [0, 1) where the answer changes.

    \b
    Example:
      recip threshold sindoor-2025 --out thresholds/
      recip threshold prisoners-dilemma --what spe --set strategies.row=grim-trigger \\
          --set strategies.col=grim-trigger --set noise.execution=0
    """
    from ..questions.threshold import critical_discount
    from .folders import check_out_option, check_writable, result_files, write_files
    from .output import say

    out = check_out_option(out)
    s = load(scenario, parse_set(sets))
    if out is not None:
        check_writable(out)
    result = critical_discount(s, focal=focal, policies=parse_policies(policies), what=what)
    written = []
    if out is not None:
        from ..report.results import results_document

        doc = results_document(result, s, "threshold")
        written = write_files(out, result_files(result, doc))
    show(result, s, "threshold", as_json=as_json, quiet=quiet)
    if written and not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")


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
@click.option("--meta", "meta_", is_flag=True, help="Export the meta-game instead of a stage game.")
@click.option(
    "--candidates",
    "candidates",
    multiple=True,
    metavar="PLAYER=S1,S2,...",
    help="Meta-game candidates (as for `recip equilibria --meta`).",
)
@click.option("--out", default=None, metavar="FILE", help="Write to this file instead of printing.")
@set_opt
def export(scenario, fmt, state, meta_, candidates, out, sets):
    """Export a stage game or the meta-game as a Gambit .nfg file.

    Without --state, a scenario with one world state exports that state.

    \b
    Example:
      recip export prisoners-dilemma --format nfg > pd.nfg
      recip export sindoor-2025 --state india_attacked --out attacked.nfg
      recip export sindoor-2025 --meta --out meta.nfg
    """
    from ..report.nfg import export_stage_nfg
    from .folders import check_out_option, check_writable, write_files

    path = check_out_option(out)
    s = load(scenario, parse_set(sets))
    if path is not None:
        if path.is_dir():
            raise ScenarioError(f"{path} is a folder; give a file name", key="--out")
        check_writable(path.parent)
    text = meta(s, candidates, bar=True).to_nfg() if meta_ else export_stage_nfg(s, state)
    if path is None:
        say(text, nl=not text.endswith("\n"))
    else:
        write_files(path.parent, {path.name: text})
