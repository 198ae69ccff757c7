"""`recip run` and `recip compare`: the focal player's policies side by side."""

from __future__ import annotations

import click

from .base import (
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
    show,
)
from .folders import check_out_option, check_writable, default_folder, write_files
from .output import json_visible, say


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


def comparison(s, focal, policies, method, replicates, rounds, seed, quiet):
    from ..model.setting import as_setting
    from ..questions.compare import compare

    n_policies = len(policies) or len(as_setting(s).policies)
    bar = method == "simulate" and not quiet
    with progress_bar(bar, "simulating", replicates * n_policies) as update:
        return compare(
            s,
            focal=focal,
            policies=parse_policies(policies),
            method=method,
            replicates=replicates,
            rounds=rounds,
            seed=seed,
            progress=update,
        )


@main.command()
@scenario_arg
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Folder for results.json and figures [default: recip-out/<scenario>/; with --set, "
    "recip-out/<scenario>+<tag>/, <tag> naming the overrides, so that the baseline's files are "
    "kept].",
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

    SCENARIO is a file or a bundled scenario's name (default: sindoor-2025). Results go to
    ./recip-out/<name>/, where <name> is the scenario's file name without its folder and
    extension; a run with --set writes to ./recip-out/<name>+<tag>/ instead (<tag>: 8 hex
    digits naming the overrides, also recorded in results.json).

    \b
    Example:
      recip run
      recip run --set horizon.discount=0.5     # writes recip-out/sindoor-2025+<tag>/
      recip run scenarios/my-world.toml --out results/ --method simulate --seed 7
    """
    from ..io.results import dumps
    from ..plots import figures, render
    from ..report.results import results_document

    out = check_out_option(out)
    s = load(scenario, parse_set(sets))
    folder = out if out is not None else default_folder(s)
    check_writable(folder)
    c = comparison(s, focal, policies, method, replicates, rounds, seed, quiet or as_json)
    doc = results_document(c, s, "run", seed=seed, method=method)
    files: dict[str, bytes | str] = {"results.json": json_visible(dumps(doc))}
    if not no_figures:
        for name, fig in figures(c).items():
            files[f"{name}.png"] = render(fig, "png")
            files[f"{name}.svg"] = render(fig, "svg")
    written = write_files(folder, files)
    show(c, s, "run", as_json=as_json, quiet=quiet, doc=doc)
    if not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")


@main.command("compare")
@scenario_arg
@comparison_options
def compare_cmd(scenario, focal, policies, method, replicates, rounds, seed, sets, as_json, quiet):
    """Compare the focal player's policies and print the table (writes no files).

    \b
    Example:
      recip compare prisoners-dilemma --policy always:defect --policy aligning
      recip compare counter-china-backs-pakistan --method simulate --seed 1
    """
    s = load(scenario, parse_set(sets))
    c = comparison(s, focal, policies, method, replicates, rounds, seed, quiet or as_json)
    show(c, s, "compare", as_json=as_json, quiet=quiet, seed=seed, method=method)
