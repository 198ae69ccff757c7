"""The command line: parse, call the API, print. No computation happens here."""

from __future__ import annotations

import json
import sys
import tomllib
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ._version import __version__
from .errors import RecipError, ScenarioError


class _Group(click.Group):
    """Turns recip's expected errors into one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecipError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise ScenarioError(
                f"--set expects KEY=VALUE, e.g. horizon.discount=0.95; got {item!r}", key="--set"
            )
        key, raw = item.split("=", 1)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        out[key.strip()] = value
    return out


def _load(scenario: str | None, overrides: dict[str, Any]):
    from .scenario.bundled import DEFAULT_SCENARIO
    from .scenario.load import load_scenario

    s = load_scenario(scenario or DEFAULT_SCENARIO)
    return s.with_overrides(overrides) if overrides else s


def _emit_json(doc: dict[str, Any]) -> None:
    from .report.results import dumps

    click.echo(dumps(doc), nl=False)


scenario_arg = click.argument("scenario", required=False)
set_opt = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a scenario value by dotted key (repeatable), e.g. "
    "--set horizon.discount=0.95 --set strategies.india.tolerance=1",
)
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
quiet_opt = click.option("--quiet", "-q", is_flag=True, help="Print only the verdict line.")
seed_opt = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the simulation (results are identical for a seed).",
)
method_opt = click.option(
    "--method",
    type=click.Choice(["exact", "simulate"]),
    default="exact",
    show_default=True,
    help="Solve the Markov chain, or simulate.",
)
replicates_opt = click.option(
    "--replicates",
    type=click.IntRange(min=2),
    default=20_000,
    show_default=True,
    help="Simulated plays per policy.",
)
rounds_opt = click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="Simulated rounds (default: the horizon, or until the "
    "discount weight left is below 1e-9).",
)
focal_opt = click.option("--focal", default=None, help="Player whose policies are compared.")
policy_opt = click.option(
    "--policy",
    "policies",
    multiple=True,
    help="A policy to compare (repeatable; default: the scenario's "
    "[compare] or balancing and aligning).",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="recip")
def main() -> None:
    """recip: balancing versus aligning in repeated games read from scenario files.

    \b
    Example:
      recip run                          # the bundled op-ed scenario, sindoor-2025
      recip run counter-short-shadow --set horizon.discount=0.95
      recip scenarios                    # what is bundled
    """


def _comparison(scenario, sets, focal, policies, method, replicates, rounds, seed, quiet):
    from .analysis.compare import DEFAULT_POLICIES, compare

    s = _load(scenario, _parse_set(sets))
    n_policies = len(policies) or len(s.spec.policies or DEFAULT_POLICIES)
    show = method == "simulate" and not quiet
    with _progress(show, "simulating", replicates * n_policies) as bar:
        c = compare(
            s,
            focal=focal,
            policies=list(policies) or None,
            method=method,
            replicates=replicates,
            rounds=rounds,
            seed=seed,
            progress=bar,
        )
    return s, c


@contextmanager
def _progress(show: bool, what: str, total: int | None = None):
    """A progress bar on stderr for work that may take more than a second (it appears only
    after one second), or nothing."""
    if not show:
        yield None
        return
    from tqdm import tqdm

    with tqdm(
        desc=what, total=total, unit=" replicates", delay=1.0, file=sys.stderr, leave=False
    ) as bar:
        yield bar.update


@main.command()
@scenario_arg
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for results.json and figures [default: recip-out/<scenario>/].",
)
@click.option("--no-figures", is_flag=True, help="Write results.json only.")
@focal_opt
@policy_opt
@method_opt
@replicates_opt
@rounds_opt
@seed_opt
@set_opt
@json_opt
@quiet_opt
def run(
    scenario,
    out,
    no_figures,
    focal,
    policies,
    method,
    replicates,
    rounds,
    seed,
    sets,
    as_json,
    quiet,
):
    """Compare the focal player's policies, print the verdict, write results and a figure.

    SCENARIO is a file or a bundled scenario's name (default: sindoor-2025).

    \b
    Example:
      recip run
      recip run scenarios/my-world.toml --out results/ --method simulate --seed 7
    """
    from .plots import render
    from .plots.payoffs import payoff_curves
    from .report.results import dumps, results_document, write_atomic
    from .report.text import comparison_table

    s, c = _comparison(
        scenario, sets, focal, policies, method, replicates, rounds, seed, quiet or as_json
    )
    doc = results_document(
        s, "run", {"comparison": c.to_dict()}, seed=seed, method=method, overrides=_parse_set(sets)
    )
    files = {"results.json": dumps(doc)}
    if not no_figures:
        fig = payoff_curves(c)
        files["payoffs.png"] = render(fig, "png")
        files["payoffs.svg"] = render(fig, "svg")
    folder = out if out is not None else Path("recip-out") / s.name
    for name, data in files.items():
        write_atomic(folder / name, data)
    if as_json:
        _emit_json(doc)
    elif quiet:
        click.echo(c.verdict)
    else:
        click.echo(comparison_table(c, title=f"{s.title}  [{s.name}]"))
        click.echo(f"\nWrote {', '.join(str(folder / n) for n in files)}")


@main.command("compare")
@scenario_arg
@focal_opt
@policy_opt
@method_opt
@replicates_opt
@rounds_opt
@seed_opt
@set_opt
@json_opt
@quiet_opt
def compare_cmd(scenario, focal, policies, method, replicates, rounds, seed, sets, as_json, quiet):
    """Compare the focal player's policies and print the table (writes no files).

    \b
    Example:
      recip compare prisoners-dilemma --policy always:defect --policy aligning
    """
    from .report.results import results_document
    from .report.text import comparison_table

    s, c = _comparison(
        scenario, sets, focal, policies, method, replicates, rounds, seed, quiet or as_json
    )
    if as_json:
        _emit_json(
            results_document(
                s,
                "compare",
                {"comparison": c.to_dict()},
                seed=seed,
                method=method,
                overrides=_parse_set(sets),
            )
        )
    elif quiet:
        click.echo(c.verdict)
    else:
        click.echo(comparison_table(c, title=f"{s.title}  [{s.name}]"))


def _parse_candidates(items: tuple[str, ...]) -> dict[str, list[str]] | None:
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
    s = _load(scenario, _parse_set(sets))
    if spe:
        from .analysis.spe import format_subgame_perfection, is_subgame_perfect

        result = is_subgame_perfect(s)
        text = format_subgame_perfection(result)
    elif meta:
        from .analysis.meta import format_meta_game, meta_game

        result = meta_game(s, _parse_candidates(candidates))
        text = format_meta_game(result)
    else:
        from .analysis.equilibria import format_stage_equilibria, stage_equilibria

        result = stage_equilibria(s, state)
        text = format_stage_equilibria(result)
    if as_json:
        _emit_json(result.to_dict())
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
    from .analysis.threshold import critical_discount, format_critical_discount

    s = _load(scenario, _parse_set(sets))
    result = critical_discount(s, focal=focal, policies=list(policies) or None, what=what)
    if as_json:
        _emit_json(result.to_dict())
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
    from .errors import suggest
    from .nfg import export_stage_nfg
    from .report.results import write_atomic

    s = _load(scenario, _parse_set(sets))
    if meta:
        from .analysis.meta import meta_game

        text = meta_game(s, _parse_candidates(candidates)).to_nfg()
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


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@json_opt
@quiet_opt
def validate(scenarios, as_json, quiet):
    """Check scenario files: structure, names, probabilities, strategies, limits.

    Exit code 0 when every file is valid, 2 at the first invalid one (with its message).

    \b
    Example:
      recip validate scenarios/*.toml
    """
    from .scenario.load import load_scenario

    report = []
    for name in scenarios:
        s = load_scenario(name)
        report.append(
            {
                "scenario": name,
                "title": s.title,
                "valid": True,
                "players": list(s.players),
                "states": list(s.game.states),
            }
        )
        if not as_json and not quiet:
            click.echo(
                f"{name}: valid — {s.title} ({len(s.players)} players, "
                f"{len(s.game.states)} world state{'s' if len(s.game.states) != 1 else ''})"
            )
    if as_json:
        click.echo(json.dumps(report, indent=2))


@main.command()
@json_opt
def strategies(as_json):
    """List the strategy library: name, what it does, its source and parameters.

    \b
    Example:
      recip strategies --json
    """
    from .strategies import describe

    items = describe()
    if as_json:
        click.echo(json.dumps(items, indent=2, default=str))
        return
    for item in items:
        click.echo(f"{item['name']}: {item['summary']}")
        click.echo(f"    source: {item['source']}")
        meta = ", ".join(f"{k}={v}" for k, v in item["metadata"].items())
        click.echo(f"    metadata: {meta}")
        for p in item["parameters"]:
            click.echo(f"    parameter {p['range']}")
    click.echo("Scenario files may also define their own automata: see docs/scenario-format.md.")


@main.command()
@json_opt
def scenarios(as_json):
    """List the bundled scenarios (run any of them by name).

    \b
    Example:
      recip scenarios
      recip run donation-game
    """
    from .scenario import bundled
    from .scenario.load import load_scenario

    items = []
    for name in bundled.scenario_names():
        s = load_scenario(name)
        items.append({"name": name, "title": s.title, "path": str(bundled.scenario_path(name))})
    if as_json:
        click.echo(json.dumps(items, indent=2))
        return
    width = max((len(i["name"]) for i in items), default=0)
    for i in items:
        default = "  (default)" if i["name"] == bundled.DEFAULT_SCENARIO else ""
        click.echo(f"{i['name'].ljust(width)}  {i['title']}{default}")


@main.command()
def schema():
    """Print the JSON Schema of scenario files (for editors that check TOML).

    \b
    Example:
      recip schema > recip-scenario.schema.json
    """
    from .scenario.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
