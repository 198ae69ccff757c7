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
from .folders import (
    check_out_option,
    check_writable,
    default_folder,
    result_files,
    write_files,
)
from .output import say

no_credibility_opt = click.option(
    "--no-credibility",
    is_flag=True,
    help="Skip the check of whether each player's strategy is credible (a best response to the "
    "others' and subgame perfect), which exact comparisons of an infinite horizon make unasked.",
)


def comparison_options(command):
    """The options `run` and `compare` share, applied in the order `--help` lists them."""
    for option in reversed(
        (
            focal_opt,
            policy_opt,
            method_opt,
            no_credibility_opt,
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


def comparison(s, focal, policies, method, replicates, rounds, seed, quiet, credible=True):
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
            credibility=credible,
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
    no_credibility,
    replicates,
    rounds,
    seed,
    sets,
    as_json,
    quiet,
):
    """Compare the focal player's policies, print the verdict, write results and figures.

    SCENARIO is a file or a bundled scenario's name (default: sindoor-2025). Results go to
    ./recip-out/<name>/, where <name> is the scenario's file name without its folder and
    extension; a run with --set writes to ./recip-out/<name>+<tag>/ instead (<tag>: 8 hex
    digits naming the overrides, also recorded in results.json). The figures: payoffs.png/.svg
    (every player's payoff per round and its running value) and, for an exact comparison of
    chains up to 5,000 states, discount.png/.svg (the advantage against the discount factor,
    whose numbers results.json holds under critical_discount); `recip plot` draws the others.

    \b
    Example:
      recip run
      recip run --set horizon.discount=0.5     # writes recip-out/sindoor-2025+<tag>/
      recip run scenarios/my-world.toml --out results/ --method simulate --seed 7
    """
    from ..report.results import results_document

    out = check_out_option(out)
    s = load(scenario, parse_set(sets))
    folder = out if out is not None else default_folder(s)
    check_writable(folder)
    c = comparison(
        s, focal, policies, method, replicates, rounds, seed, quiet or as_json, not no_credibility
    )
    attached = {}
    if not no_figures:
        curve = discount_curve(s, c, policies)
        if curve is not None:
            attached["critical_discount"] = curve
    doc = results_document(c, s, "run", seed=seed, method=method, attached=attached)
    written = write_files(folder, result_files(c, doc, figures=not no_figures))
    show(c, s, "run", as_json=as_json, quiet=quiet, doc=doc)
    if not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")


#: Largest chain (states of a compared profile's Markov chain) for which `recip run` also draws
#: the curve against the discount factor (a solve per grid point: about 200 solves).
RUN_CURVE_STATES = 5_000


def discount_curve(s, c, policies):
    """The first two policies' advantage against the discount factor, which `recip run` draws
    (``discount.png``) when it is cheap: an exact comparison of two or more policies whose
    chains have at most :data:`RUN_CURVE_STATES` states; else None."""
    from ..core.errors import RecipError
    from ..questions.threshold import critical_discount

    sizes = [e.chain_size for e in c.evaluations]
    if c.method != "exact" or len(c.policies) < 2 or None in sizes:
        return None
    if max(sizes) > RUN_CURVE_STATES:
        return None
    chosen = parse_policies(policies)
    try:
        return critical_discount(s, focal=c.focal, policies=chosen[:2] if chosen else None)
    except RecipError:
        return None


@main.command("compare")
@scenario_arg
@click.option(
    "--partners",
    type=click.Choice(["follow-rules", "best-respond"]),
    default="follow-rules",
    show_default=True,
    help="best-respond: the focal player commits to each policy and its partners play their "
    "exact best responses (iterated to a fixed point among them) instead of their strategies.",
)
@click.option(
    "--adaptive",
    multiple=True,
    metavar="PLAYER",
    help="With --partners best-respond: the partners that best-respond (repeatable; default "
    "every partner with a choice).",
)
@comparison_options
def compare_cmd(
    scenario,
    partners,
    adaptive,
    focal,
    policies,
    method,
    no_credibility,
    replicates,
    rounds,
    seed,
    sets,
    as_json,
    quiet,
):
    """Compare the focal player's policies and print the table (writes no files).

    \b
    Example:
      recip compare prisoners-dilemma --policy always:defect --policy aligning
      recip compare counter-china-backs-pakistan --method simulate --seed 1
      recip compare sindoor-2025 --partners best-respond --adaptive india
    """
    from ..core.errors import ScenarioError

    s = load(scenario, parse_set(sets))
    if partners == "best-respond":
        from ..questions.commitment import commit

        if method != "exact":
            raise ScenarioError(
                "--partners best-respond is exact only: leave out --method simulate",
                key="--method",
            )
        r = commit(
            s,
            focal=focal,
            policies=parse_policies(policies),
            partners=list(adaptive) or None,
        )
        show(r, s, "compare", as_json=as_json, quiet=quiet)
        return
    if adaptive:
        raise ScenarioError("--adaptive applies with --partners best-respond", key="--adaptive")
    c = comparison(
        s, focal, policies, method, replicates, rounds, seed, quiet or as_json, not no_credibility
    )
    show(c, s, "compare", as_json=as_json, quiet=quiet, seed=seed, method=method)
