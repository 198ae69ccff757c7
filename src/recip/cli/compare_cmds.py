"""`recip run` and `recip compare`: the focal player's policies side by side."""

from __future__ import annotations

from pathlib import Path

import click

from .base import (
    emit_json,
    focal_opt,
    json_opt,
    load,
    main,
    method_opt,
    parse_policies,
    parse_set,
    policy_opt,
    progress_bar,
    quiet_opt,
    replicates_opt,
    rounds_opt,
    scenario_arg,
    seed_opt,
    set_opt,
)


def comparison_options(command):
    """The options `run` and `compare` share, applied in the order `--help` lists them."""
    for option in reversed(
        (
            focal_opt,
            policy_opt,
            method_opt,
            replicates_opt,
            rounds_opt,
            seed_opt,
            set_opt,
            json_opt,
            quiet_opt,
        )
    ):
        command = option(command)
    return command


def show(s, c, doc, *, as_json: bool, quiet: bool) -> None:
    """Print a comparison: its results document (--json), its verdict (--quiet) or its table."""
    from ..report.text import comparison_table

    if as_json:
        emit_json(doc)
    elif quiet:
        click.echo(c.verdict)
    else:
        click.echo(comparison_table(c, title=f"{s.title}  [{s.name}]"))


def comparison(scenario, sets, focal, policies, method, replicates, rounds, seed, quiet):
    from ..model.setting import as_setting
    from ..questions.compare import compare

    s = load(scenario, parse_set(sets))
    n_policies = len(policies) or len(as_setting(s).policies)
    show = method == "simulate" and not quiet
    with progress_bar(show, "simulating", replicates * n_policies) as bar:
        c = compare(
            s,
            focal=focal,
            policies=parse_policies(policies),
            method=method,
            replicates=replicates,
            rounds=rounds,
            seed=seed,
            progress=bar,
        )
    return s, c


@main.command()
@scenario_arg
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for results.json and figures [default: recip-out/<scenario>/].",
)
@click.option("--no-figures", is_flag=True, help="Write results.json only.")
@comparison_options
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
    from ..io.results import dumps, write_atomic
    from ..plots import render
    from ..plots.payoffs import payoff_curves
    from ..report.results import results_document

    s, c = comparison(
        scenario, sets, focal, policies, method, replicates, rounds, seed, quiet or as_json
    )
    doc = results_document(
        s, "run", {"comparison": c.to_dict()}, seed=seed, method=method, overrides=parse_set(sets)
    )
    files = {"results.json": dumps(doc)}
    if not no_figures:
        fig = payoff_curves(c)
        files["payoffs.png"] = render(fig, "png")
        files["payoffs.svg"] = render(fig, "svg")
    folder = out if out is not None else Path("recip-out") / s.name
    for name, data in files.items():
        write_atomic(folder / name, data)
    show(s, c, doc, as_json=as_json, quiet=quiet)
    if not (as_json or quiet):
        click.echo(f"\nWrote {', '.join(str(folder / n) for n in files)}")


@main.command("compare")
@scenario_arg
@comparison_options
def compare_cmd(scenario, focal, policies, method, replicates, rounds, seed, sets, as_json, quiet):
    """Compare the focal player's policies and print the table (writes no files).

    \b
    Example:
      recip compare prisoners-dilemma --policy always:defect --policy aligning
    """
    from ..report.results import results_document

    s, c = comparison(
        scenario, sets, focal, policies, method, replicates, rounds, seed, quiet or as_json
    )
    doc = results_document(
        s,
        "compare",
        {"comparison": c.to_dict()},
        seed=seed,
        method=method,
        overrides=parse_set(sets),
    )
    show(s, c, doc, as_json=as_json, quiet=quiet)
