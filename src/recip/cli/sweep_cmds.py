"""`recip sweep`: the focal player's policies over a grid or a design of any scenario keys."""

from __future__ import annotations

import json
import sys

import click

from ..core.errors import ScenarioError
from ..core.limits import MAX_CHUNK_POINTS, MAX_SWEEP_POINTS
from ..core.text import echo
from .base import (
    Count,
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
    show,
)
from .folders import check_out_option, check_writable, default_folder, overrides_tag, write_files
from .output import json_visible, say

#: The files a sweep writes (besides the figures).
TABLE, RESULTS = "sweep.csv", "results.json"


def split_item(item: str, option: str) -> tuple[str, str]:
    if "=" not in item:
        raise ScenarioError(
            f"{option} expects KEY=LOW:HIGH:COUNT or KEY=V1,V2,..., e.g. "
            f"horizon.discount=0.5:0.99:50; got {echo(item)}",
            key=option,
        )
    key, spec = item.split("=", 1)
    return key.strip(), spec.strip()


@main.command()
@scenario_arg
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="KEY=LOW:HIGH:N|KEY=V1,V2,...",
    help="A key to sweep (repeatable): N values from LOW to HIGH (ends included), or the values "
    "listed (numbers, or e.g. strategies); with --design, KEY=LOW:HIGH. The first key varies "
    "slowest.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Fix a scenario value (repeatable), as for every command. A value that is a range "
    "(LOW:HIGH:N) or a comma-separated list sweeps the key, as --vary does (after the --vary "
    "keys).",
)
@click.option(
    "--design",
    type=click.Choice(["sobol", "lhs", "random"]),
    default=None,
    help="Draw --samples points (scrambled Sobol', Latin hypercube or random) instead of a grid.",
)
@click.option(
    "--samples",
    type=Count(2, MAX_SWEEP_POINTS, "MAX_SWEEP_POINTS", "draw fewer points"),
    default=None,
    help="Points of a design (Sobol': rounded up to a power of two).",
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of a design."
)
@focal_opt
@policy_opt
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Folder for sweep.csv, results.json, the region map and the checkpoints [default: "
    "recip-out/<scenario>/sweep-<tag>/, <tag> naming the sweep].",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: a Dask cluster (the recip[dask] extra).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="The Dask scheduler, e.g. tcp://host:8786 (default: a local Dask cluster).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: the cores available].",
)
@click.option(
    "--chunk",
    type=Count(1, MAX_CHUNK_POINTS, "MAX_CHUNK_POINTS", "use smaller chunks"),
    default=None,
    help="Points per checkpointed chunk [default: about 1% of the points, 16 to 4096].",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted sweep from its checkpoints.")
@click.option("--no-figures", is_flag=True, help="Write no region map.")
@json_opt
@quiet_opt
@click.pass_context
def sweep(ctx, **options):
    """Compare the focal player's policies at every point of a sweep over any scenario keys;
    write one CSV row per point, results.json and (two keys) a region map.

    Every value is checked before any work starts. Payoff keys cost nearly nothing per value,
    the discount factor a solve per value, any other key a rebuilt scenario and its chains per
    value. Ctrl-C keeps the finished chunks: rerun the same command with --resume.

    \b
    Example:
      recip sweep sindoor-2025 --vary horizon.discount=0.3:0.99:70 \\
          --vary strategies.india.tolerance=0:1:11
      recip sweep sindoor-2025 --vary strategies.india=aligning,myopic \\
          --vary payoffs.taking_sides.russia=-5:0:51
      recip sweep sindoor-2025 --design sobol --samples 4096 \\
          --vary horizon.discount=0.3:0.99 --vary payoffs.oil_revenue.russia=0:6
      recip sweep sindoor-2025 --vary horizon.discount=0.3:0.99:100 --executor dask
    """
    where: list = []  # the output folder, once it is known
    try:
        _sweep(where, **options)
    except KeyboardInterrupt as stop:
        say(_interrupted(stop, where), err=True)
        ctx.exit(130)


def _interrupted(stop: KeyboardInterrupt, where: list) -> str:
    """The one line that Ctrl-C prints: what was kept, and how to finish."""
    from ..questions.sweep import CHECKPOINTS, SweepInterrupted

    if where:
        _remove_temporaries(where[0])
    if isinstance(stop, SweepInterrupted):
        saved, total = stop.saved, stop.total
    elif where and (where[0] / CHECKPOINTS / "manifest.json").exists():
        store = where[0] / CHECKPOINTS
        total = json.loads((store / "manifest.json").read_text(encoding="utf-8"))["chunks"]
        saved = len(list(store.glob("chunk-*.npy")))
    else:
        return "interrupted: nothing was saved"
    return f"interrupted: {saved} of {total} chunks saved in {where[0]}; rerun with --resume"


def _remove_temporaries(folder) -> None:
    """Remove the temporary files of writes that a Ctrl-C or a kill cut short: each file is
    written to ``.<name>.<random>`` and renamed into place, so these are never results."""
    from ..questions.sweep import CHECKPOINTS

    names = (TABLE, RESULTS, "region.png", "region.svg")
    stray = [*(folder / CHECKPOINTS).glob(".chunk-*")]
    stray += [path for name in names for path in folder.glob(f".{name}.*")]
    for path in stray:
        path.unlink(missing_ok=True)


def _sweep(
    where: list,
    *,
    scenario,
    varies,
    sets,
    design,
    samples,
    seed,
    focal,
    policies,
    out,
    executor,
    scheduler,
    workers,
    chunk,
    resume,
    no_figures,
    as_json,
    quiet,
) -> None:
    from ..questions.sweep import CHECKPOINTS, remove_checkpoints, run_sweep
    from ..questions.sweep_plan import plan_sweep
    from ..questions.sweep_spec import is_sweep_text

    folder = check_out_option(out)
    if scheduler is not None and executor != "dask":
        raise ScenarioError("--scheduler is the address of a Dask cluster: add --executor dask")
    grid: dict[str, str] = {}
    origins: dict[str, str] = {}
    fixed = []
    for option, items in (("--vary", varies), ("--set", sets)):
        for item in items:
            if option == "--set" and not is_sweep_text(item.split("=", 1)[-1].strip()):
                fixed.append(item)
                continue
            key, spec = split_item(item, option)
            if key in grid:
                raise ScenarioError(
                    f"the key is swept twice ({origins[key]} and {option})", key=key
                )
            grid[key], origins[key] = spec, option
    s = load(scenario, parse_set(tuple(fixed)))
    if not grid:
        raise ScenarioError(
            "nothing to sweep: give --vary KEY=LOW:HIGH:N (or KEY=V1,V2,...), e.g. "
            "--vary horizon.discount=0.5:0.99:50",
            key="--vary",
        )
    plan = plan_sweep(
        s,
        grid,
        design=design,
        samples=samples,
        seed=seed,
        focal=focal,
        policies=parse_policies(policies),
        chunk=chunk,
        origins=origins,
    )
    if folder is None:
        what = [*grid.items(), ("design", design), ("samples", samples), ("seed", seed)]
        what += [("focal", focal), ("policies", list(policies))]
        folder = default_folder(s) / f"sweep-{overrides_tag(what)}"
    check_writable(folder)
    where.append(folder)
    bar = not (quiet or as_json) and sys.stderr.isatty()
    with progress_bar(bar, "sweeping", len(plan.points), " points") as update:
        result = run_sweep(
            plan,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            out=folder,
            resume=resume,
            progress=update,
            keep=True,
        )
    doc, written = _write(result, s, folder, seed if design else None, no_figures)
    remove_checkpoints(folder / CHECKPOINTS)
    _remove_temporaries(folder)
    show(result, s, "sweep", as_json=as_json, quiet=quiet, doc=doc)
    if not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")


def _write(result, s, folder, seed, no_figures: bool):
    """Write the CSV, results.json and the figures into ``folder``, each wholly or not at all;
    the results document and the paths written."""
    from ..io.results import dumps
    from ..report.results import results_document
    from .folders import figure_files

    doc = results_document(result, s, "sweep", seed=seed, method="exact")
    doc["files"] = {"table": TABLE}
    files: dict[str, bytes | str] = {TABLE: result.to_csv()}
    # from the result itself: a sweep too large for its document still has its region map
    drawn = {} if no_figures else figure_files(result, source=doc)
    files.update(drawn)
    doc["files"]["figures"] = list(drawn)
    files[RESULTS] = json_visible(dumps(doc))
    return doc, write_files(folder, files)
