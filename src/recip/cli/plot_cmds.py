"""`recip plot FIGURE SCENARIO|results.json`: any figure of the catalogue (recip.plots).

From a scenario it asks the figure's question, then writes the figure as PNG and SVG with the
results document it was drawn from (``FIGURE.json``, which draws it again); from a results
document (``results.json`` of ``recip run`` and the analyses, ``--json`` output, or a
``FIGURE.json``) it draws again without computing anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..core import limits
from ..core.errors import ScenarioError
from .base import Count, focal_opt, load, main, parse_policies, parse_set, policy_opt, set_opt
from .folders import check_out_option, check_writable, default_folder, named_folder, write_files
from .output import say

#: The options each figure takes besides --out, --set, --focal and --policy (None: none).
OPTIONS = {
    "payoffs": (),
    "discount": (),
    "discount-overlay": ("--with",),
    "region": ("--vary",),
    "tornado": ("--samples", "--seed"),
    "uncertainty": ("--samples", "--seed"),
    "timeline": ("--rounds", "--seed"),
    "one-vs-many": (),
    "credibility": (),
    "meta": ("--candidates",),
}
#: Grid of the default region map: discount factors, and values of the other key.
REGION_DISCOUNTS = "0.05:0.99:48"
REGION_VALUES = 25


def _result(name: str, s, o: dict):
    """Ask the question the figure ``name`` draws; the result and its seed (None if exact)."""
    focal, policies = o["focal"], parse_policies(o["policies"])
    seed = o["seed"] if o["seed"] is not None else 0
    if name == "payoffs":
        from ..questions.compare import compare

        return compare(s, focal=focal, policies=policies, credibility=False), None
    if name == "discount":
        from ..questions.threshold import critical_discount

        return critical_discount(s, focal=focal, policies=policies), None
    if name == "discount-overlay":
        from ..questions.overlay import counter_scenarios, critical_discounts

        others = list(o["with"]) or counter_scenarios(s)
        scenarios = [s, *(load(x, {}) for x in others)]
        return critical_discounts(scenarios, focal=focal, policies=policies), None
    if name == "region":
        from ..questions.sweep import sweep

        return sweep(s, _region_grid(s, o["vary"]), focal=focal, policies=policies), None
    if name == "tornado":
        from ..questions.sensitivity import sensitivity

        kw = {"samples": o["samples"]} if o["samples"] else {}
        return sensitivity(s, focal=focal, policies=policies, seed=seed, **kw), seed
    if name == "uncertainty":
        from ..questions.uncertainty import uncertainty

        kw = {"samples": o["samples"]} if o["samples"] else {}
        return uncertainty(s, focal=focal, policies=policies, seed=seed, **kw), seed
    if name == "timeline":
        from ..questions.timeline import timeline

        return timeline(s, focal=focal, policies=policies, rounds=o["rounds"], seed=seed), seed
    if name == "one-vs-many":
        from ..questions.horizons import one_vs_many

        return one_vs_many(s, focal=focal, policies=policies), None
    if name == "credibility":
        from ..questions.credibility import credibility

        return credibility(s, focal=focal, policies=policies), None
    from ..questions.meta import meta_game
    from .analysis_cmds import parse_candidates

    if focal or policies:
        raise ScenarioError("the meta figure takes --candidates, not --focal or --policy")
    return meta_game(s, parse_candidates(o["candidates"])), None


def _region_grid(s, varies: tuple[str, ...]) -> dict[str, str]:
    """The two keys of a region map: the ``--vary`` ones, else the discount factor and the
    first numeric uncertain input the scenario declares (a payoff first), over its range."""
    from ..model.inputs import declared_inputs
    from .sweep_cmds import split_item

    if varies:
        grid = dict(split_item(v, "--vary") for v in varies)
        if len(grid) != 2:
            raise ScenarioError(
                f"a region map has two keys: give --vary twice, not {len(grid)} key(s)",
                key="--vary",
            )
        return grid
    numeric = [i for i in declared_inputs(s) if not i.discrete and i.key != "horizon.discount"]
    numeric.sort(key=lambda i: not i.key.startswith("payoffs."))
    if not numeric:
        raise ScenarioError(
            "this scenario declares no uncertain number to map against the discount factor; "
            "give two keys, e.g. --vary horizon.discount=0.3:0.99:40 --vary KEY=LOW:HIGH:25",
            key="--vary",
        )
    first = numeric[0]
    return {
        "horizon.discount": REGION_DISCOUNTS,
        first.key: f"{first.low!r}:{first.high!r}:{REGION_VALUES}",
    }


def _given(o: dict) -> list[str]:
    """The figure-specific options given on the command line."""
    given = []
    for option, key in (
        ("--with", "with"),
        ("--vary", "vary"),
        ("--samples", "samples"),
        ("--seed", "seed"),
        ("--rounds", "rounds"),
        ("--candidates", "candidates"),
    ):
        if o[key] not in (None, ()):
            given.append(option)
    return given


def _read_document(path: Path) -> dict:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"{path} is not a results document (JSON): {exc}") from None
    if not isinstance(doc, dict) or "kind" not in doc:
        raise ScenarioError(
            f"{path} is not a results document: it has no 'kind' (write one with recip run, "
            "--json or recip plot)"
        )
    return doc


@main.command()
@click.argument("figure")
@click.argument("target", required=False, metavar="[SCENARIO|RESULTS.json]")
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Folder for the figure [default: recip-out/<scenario>/, with --set "
    "recip-out/<scenario>+<tag>/].",
)
@focal_opt
@policy_opt
@set_opt
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed of a figure that draws random numbers (timeline, uncertainty, tornado) "
    "[default: 0].",
)
@click.option(
    "--with",
    "with_",
    multiple=True,
    metavar="SCENARIO",
    help="discount-overlay: a scenario to draw with SCENARIO (repeatable) [default: the bundled "
    "counter-scenarios of its claim map].",
)
@click.option(
    "--vary",
    multiple=True,
    metavar="KEY=LOW:HIGH:N|KEY=V1,V2,...",
    help=f"region: the two keys of the map [default: horizon.discount={REGION_DISCOUNTS} and "
    f"the first uncertain payoff the scenario declares, {REGION_VALUES} values over its range].",
)
@click.option(
    "--samples",
    type=Count(2, limits.MAX_UNCERTAINTY_SAMPLES, "MAX_UNCERTAINTY_SAMPLES", "draw fewer"),
    default=None,
    help="uncertainty: draws; tornado: base samples [default: as recip uncertainty and recip "
    "sensitivity].",
)
@click.option(
    "--rounds",
    type=Count(1, limits.MAX_CURVE_ROUNDS, "MAX_CURVE_ROUNDS", "show fewer rounds"),
    default=None,
    help="timeline: rounds shown [default: 30, or a finite horizon's own].",
)
@click.option(
    "--candidates",
    multiple=True,
    metavar="PLAYER=S1,S2,...",
    help="meta: a player's candidate strategies (repeatable), as for recip equilibria --meta.",
)
def plot(
    figure, target, out, focal, policies, sets, seed, with_, vary, samples, rounds, candidates
):
    """Draw FIGURE of a scenario, or again from a results document (results.json, --json
    output or FIGURE.json); writes FIGURE.png and FIGURE.svg (and, from a scenario,
    FIGURE.json: the results it was drawn from).

    \b
    Figures: payoffs, discount, discount-overlay, region, tornado, uncertainty, timeline,
    one-vs-many, credibility, meta (docs/figures.md says what each shows).

    \b
    Example:
      recip plot discount-overlay sindoor-2025      # the op-ed and its counter-scenarios
      recip plot timeline sindoor-2025 --seed 3 --rounds 40
      recip plot region sindoor-2025 --vary horizon.discount=0.3:0.99:40 \\
          --vary payoffs.taking_sides.russia=-3:0:25
      recip plot payoffs recip-out/sindoor-2025/results.json
    """
    from ..plots import catalogue

    catalogue.entry(figure)  # an unknown name: refused first, with the nearest names
    options = {
        "focal": focal,
        "policies": policies,
        "seed": seed,
        "with": with_,
        "vary": vary,
        "samples": samples,
        "rounds": rounds,
        "candidates": candidates,
    }
    folder = check_out_option(out)
    path = Path(target) if target else None
    if path is not None and path.suffix.lower() == ".json" and path.is_file():
        extra = [*_given(options), *(["--set"] if sets else [])]
        extra += [x for x, v in (("--focal", focal), ("--policy", policies)) if v]
        if extra:
            raise ScenarioError(
                f"{', '.join(extra)} appl{'ies' if len(extra) == 1 else 'y'} when drawing from a "
                "scenario; a results document is drawn as it is",
                key=extra[0],
            )
        doc = _read_document(path)
        names = catalogue.drawable(doc)
        if figure not in names:
            raise ScenarioError(
                f"{path} holds a {doc['kind']} result; the figures drawn from it: "
                f"{', '.join(names) or 'none'}",
                key="figure",
            )
        sc = doc.get("scenario") if isinstance(doc.get("scenario"), dict) else {}
        folder = folder or named_folder(
            sc.get("name") or path.stem, (doc.get("overrides") or {}).items()
        )
        files, result = {}, doc
    else:
        unused = [x for x in _given(options) if x not in OPTIONS[figure] and x != "--seed"]
        if unused or (seed is not None and "--seed" not in OPTIONS[figure]):
            bad = unused or ["--seed"]
            raise ScenarioError(
                f"{bad[0]} does not apply to the {figure} figure (it takes "
                f"{', '.join(OPTIONS[figure]) or 'no option of its own'})",
                key=bad[0],
            )
        s = load(target, parse_set(sets))
        folder = folder or default_folder(s)
        check_writable(folder)
        computed, used_seed = _result(figure, s, options)
        from ..io.results import dumps
        from ..report.results import results_document
        from .output import json_visible

        result = results_document(computed, s, "plot", seed=used_seed)
        files = {f"{figure}.json": json_visible(dumps(result))}
        if figure == "region":  # a sweep too large for its document still has its map
            result = computed
    check_writable(folder)
    from ..plots import draw, render

    source = None if isinstance(result, dict) else json.loads(files[f"{figure}.json"])
    fig = draw(figure, result, source=source)
    files = {f"{figure}.png": render(fig, "png"), f"{figure}.svg": render(fig, "svg"), **files}
    written = write_files(folder, files)
    say(" ".join(fig._suptitle.get_text().split()))
    say(f"\nWrote {', '.join(str(p) for p in written)}")
