"""The figure catalogue (recip.plots): every figure on bundled scenarios, its title, axis labels,
legend and series; PNG and SVG written, the same bytes for the same input (and from the saved
results document); readable with six policies and six players (no text outside the canvas,
from the renderer's extents)."""

from __future__ import annotations

import json

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import recip
from conftest import SIX, SIX_POLICIES, six_partners
from recip.io.results import dumps
from recip.plots import CATALOGUE, draw, drawable, figures, render
from recip.plots.style import caption_of
from recip.questions.horizons import one_vs_many
from recip.questions.overlay import counter_scenarios, critical_discounts
from recip.questions.timeline import timeline
from recip.report.results import results_document
from recip.scenario import bundled

SINDOOR = "sindoor-2025"


# ----------------------------------------------------------------------------------------------
# helpers


def title(fig) -> str:
    return " ".join(fig._suptitle.get_text().split())


def legend_texts(fig) -> list[str]:
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def outside(fig) -> list[str]:
    """Every drawn text whose window extent leaves the figure (1 pixel of slack), and the
    figure's tight box if it does."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    ticks, drawn = set(), set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks.update((tick.label1, tick.label2))
            for tick in axis._update_ticks():  # the ticks in view, the ones drawn
                drawn.update((tick.label1, tick.label2))
    bad = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or (t in ticks and t not in drawn):
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        e = t.get_window_extent(renderer)
        if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1:
            bad.append(f"{t.get_text()[:40]!r} at {e}")
    tight = fig.get_tightbbox(renderer)
    size = fig.bbox_inches
    if (
        tight.x0 < -0.02
        or tight.y0 < -0.02
        or tight.x1 > size.x1 + 0.02
        or tight.y1 > size.y1 + 0.02
    ):
        bad.append(f"tight box {tight}")
    return bad


# ----------------------------------------------------------------------------------------------
# results, computed once per module (small grids, few draws)


@pytest.fixture(scope="module")
def sindoor():
    return recip.load_scenario(SINDOOR)


@pytest.fixture(scope="module")
def results(sindoor):
    pd = recip.load_scenario("prisoners-dilemma")
    return {
        "payoffs": (recip.compare(sindoor), sindoor),
        "discount": (recip.critical_discount(sindoor), sindoor),
        "discount-overlay": (
            critical_discounts([sindoor, *counter_scenarios(sindoor)], grid=60),
            sindoor,
        ),
        "region": (
            recip.sweep(
                sindoor,
                {"horizon.discount": "0.3:0.99:12", "payoffs.taking_sides.russia": "-3:0:6"},
                workers=1,
            ),
            sindoor,
        ),
        "tornado": (
            recip.sensitivity(
                sindoor,
                samples=8,
                inputs=["horizon.discount", "payoffs.taking_sides.russia", "strategies.india"],
            ),
            sindoor,
        ),
        "uncertainty": (recip.uncertainty(sindoor, samples=32), sindoor),
        "timeline": (timeline(sindoor, rounds=20, seed=2), sindoor),
        "one-vs-many": (one_vs_many(pd), pd),
        "credibility": (recip.credibility(sindoor), sindoor),
        "meta": (
            recip.meta_game(
                pd, {p: ["always:defect", "aligning", "balancing"] for p in pd.players}
            ),
            pd,
        ),
    }


def document(result, scenario) -> dict:
    """The results document as results.json holds it (written and read back)."""
    return json.loads(dumps(results_document(result, scenario, "plot")))


# ----------------------------------------------------------------------------------------------
# every figure: files, bytes, caption


def test_the_catalogue_lists_ten_figures():
    assert list(CATALOGUE) == [
        "payoffs",
        "discount",
        "discount-overlay",
        "region",
        "tornado",
        "uncertainty",
        "timeline",
        "one-vs-many",
        "credibility",
        "meta",
    ]


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_every_figure_draws_the_same_bytes_again_and_from_its_document(name, results):
    result, scenario = results[name]
    doc = document(result, scenario)
    assert name in drawable(doc)
    fig = draw(name, doc)
    png, svg = render(fig, "png"), render(fig, "svg")
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert svg.lstrip().startswith(b"<?xml") and len(svg) > 10_000
    assert render(draw(name, doc), "svg") == svg  # the same input: the same file
    assert render(draw(name, result, source=scenario), "svg") == svg  # result or document
    # the caption names the scenario, its hash, and the seed or that the values are exact
    text = caption_of(fig)
    assert f"Scenario {scenario.name} (sha256 {scenario.hash[:8]})" in text
    assert (
        ("seed" in text)
        if name in ("tornado", "uncertainty", "timeline")
        else ("exact values (no random draws, no seed)" in text)
    )
    if scenario.claim_map is not None:
        assert scenario.claim_map.citation() in text


def test_a_figure_of_another_result_is_refused_naming_what_the_document_holds(results):
    c, s = results["payoffs"]
    doc = document(c, s)
    assert drawable(doc) == ["payoffs", "credibility"]
    with pytest.raises(recip.ScenarioError, match="holds comparison, credibility"):
        draw("timeline", doc)
    with pytest.raises(recip.ScenarioError, match="did you mean 'payoffs'"):
        draw("payofs", doc)


# ----------------------------------------------------------------------------------------------
# each figure's content


def test_payoffs_one_column_per_player_and_the_running_value_ends_at_the_verdict(results):
    c, _s = results["payoffs"]
    fig = draw("payoffs", c)
    assert title(fig) == (
        "Aligning beats balancing for russia by 0.3744 per round (exact), at discount factor "
        "δ = 0.9"
    )
    axes = fig.axes
    assert len(axes) == 6  # two panels per player
    assert [ax.get_title() for ax in axes[::2]] == ["russia (focal)", "india", "pakistan"]
    assert axes[0].get_ylabel() == "expected payoff in round t"
    assert axes[1].get_ylabel().startswith("value earned by round t\n(1 − δ)")
    assert all(ax.get_xlabel() == "round t" for ax in axes[1::2])
    assert legend_texts(fig) == [
        "russia: balancing",
        "russia: aligning",
        "value over all rounds (what the verdict compares)",
    ]
    for k, (top, bottom) in enumerate(zip(axes[::2], axes[1::2], strict=True)):
        assert len(top.lines) == 2  # one per policy
        running = [ln for ln in bottom.lines if ln.get_marker() in ("None", None, "")]
        diamonds = [ln for ln in bottom.lines if ln.get_marker() == "D"]
        assert len(running) == 2 and len(diamonds) == 2
        player = c.evaluations[0].players[k]
        for ev, ln, d in zip(c.evaluations, running, diamonds, strict=True):
            # the diamond is the value the verdict compares; the line climbs toward it
            assert d.get_ydata()[0] == pytest.approx(ev.value(player))
            assert ln.get_ydata()[-1] == pytest.approx(ev.value(player), abs=0.02)


def test_payoffs_in_the_short_shadow_agree_with_the_verdict():
    """Issue 10: the undiscounted running total contradicted the verdict in counter-short-shadow
    (aligning's total overtook balancing's while balancing wins at δ = 0.25)."""
    c = recip.compare("counter-short-shadow", credibility=False)
    assert c.policies[c.best] == "balancing"
    fig = draw("payoffs", c)
    russia = fig.axes[1]
    balancing, aligning = (ln.get_ydata() for ln in russia.lines[:4:2])
    assert balancing[-1] > aligning[-1]
    assert title(fig).startswith("Balancing beats aligning for russia")


def test_discount_marks_every_critical_value_and_the_scenario_s_own(results):
    r, _ = results["discount"]
    fig = draw("discount", r)
    ax = fig.axes[0]
    assert title(fig) == "Aligning pays russia more than balancing above δ = 0.457"
    dashed = [ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == "--"]
    assert dashed == pytest.approx(list(r.roots))
    (star,) = [ln for ln in ax.lines if ln.get_marker() == "*"]
    assert star.get_xdata()[0] == 0.9
    # the star sits at the comparison's own advantage: computed another way
    assert star.get_ydata()[0] == pytest.approx(recip.compare(SINDOOR).advantage[1], abs=1e-9)
    assert ax.get_xlabel().startswith("discount factor δ")
    assert ax.get_ylabel().replace("\n", " ") == "aligning minus balancing for russia (per round)"
    assert legend_texts(fig) == [
        "aligning pays more",
        "balancing pays more",
        "the scenario's own δ = 0.9",
    ]


def test_discount_overlay_draws_the_op_ed_and_its_counter_scenarios(results):
    r, _ = results["discount-overlay"]
    fig = draw("discount-overlay", r)
    ax = fig.axes[0]
    names = [o.name for o in r.origins]
    # the op-ed and every bundled scenario arguing about its claim map (tagged counterpoint or
    # pro), read from the files' tags
    arguing = [
        n
        for n in bundled.scenario_names()
        if {"counterpoint", "pro"} & set(recip.load_scenario(n).data.get("tags") or ())
    ]
    assert names[0] == SINDOOR and sorted(names[1:]) == sorted(arguing)
    curves = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    assert len(curves) == len(names)
    texts = legend_texts(fig)
    assert texts[0] == "sindoor-2025: above δ\u00a0=\u00a00.457"  # a space wrapping keeps
    assert "counter-india-dependent: never" in texts
    assert "counter-third-way: at every δ" in texts
    assert texts[-2:] == [
        "a critical discount factor",
        "the scenario's own δ (marker of its colour)",
    ]
    crossings = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_ydata()[0] == 0.0]
    assert len(crossings) == sum(len(x.crossings) for x in r.results)
    assert title(fig).startswith("Aligning pays russia more than balancing: above a critical δ")


def test_region_marks_the_break_even_and_the_scenario_s_own_point(results):
    from recip.plots.region import BREAK_EVEN

    sw, _ = results["region"]
    fig = draw("region", sw)
    ax = fig.axes[0]
    assert [c.get_gid() for c in ax.collections if c.get_gid() == BREAK_EVEN] == [BREAK_EVEN]
    (star,) = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    assert star.get_xydata().tolist() == [[0.9, -1.0]]
    assert ax.get_xlabel() == "horizon.discount"
    assert ax.get_ylabel() == "payoffs.taking_sides.russia"
    assert legend_texts(fig) == [
        "break-even (advantage = 0)",
        "the scenario's own point (0.9, -1)",
    ]
    assert "of this map (blue)" in title(fig)


def test_tornado_one_bar_pair_per_input(results):
    r, _ = results["tornado"]
    fig = draw("tornado", r)
    left, right = fig.axes[:2]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert set(labels) == {e.key for e in r.effects if not e.inert}
    assert left.get_xlabel() == "change in the advantage (per round)"
    assert right.get_xlabel() == "Sobol' index (share of variance)"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["first order", "total"]
    assert title(fig).startswith("Aligning beats balancing for russia: flips with")


def test_uncertainty_one_histogram_per_policy_with_the_share_positive(results):
    u, _ = results["uncertainty"]
    fig = draw("uncertainty", u)
    (ax,) = [a for a in fig.axes if a.get_visible()]
    share = 100 * u.spreads[0].positive
    assert ax.get_title().startswith(f"advantage > 0 in {share:.1f}% of draws")
    assert ax.get_xlabel() == "aligning minus balancing (per round)"
    assert ax.get_ylabel() == "share of draws"
    assert len(ax.patches) == 40  # the histogram's bins
    assert legend_texts(fig)[:2] == [
        "draws where the policy pays more than balancing",
        "draws where balancing pays more",
    ]
    assert "is russia's best policy in" in title(fig)


def test_timeline_one_panel_per_policy_one_row_per_stance(results):
    t, _ = results["timeline"]
    fig = draw("timeline", t)
    assert len(fig.axes) == 2
    for ax, policy in zip(fig.axes, t.policies, strict=True):
        assert ax.get_title(loc="left") == f"russia: {policy}"
        rows = [x.get_text() for x in ax.get_yticklabels()]
        assert rows == ["world state", *(f"{a} → {b}" for a, b in t.pairs)]
        assert len(ax.collections) == 2  # the state strip and the stances
    assert fig.axes[-1].get_xlabel() == "round"
    texts = legend_texts(fig)
    assert texts[:4] == ["sides with (+1)", "neutral (0)", "against (−1)", "no choice about them"]
    assert texts[4:] == [
        f"state: {x}" for x in ("Quiet years", "Russia isolated", "India attacked")
    ]
    c = [t.counts(p, "india", "russia")["sides"] for p in range(2)]
    assert f"india sides with russia in {c[0]} of" in title(fig)


def test_one_vs_many_two_panels_of_bars_and_the_best_responses(results):
    r, _ = results["one-vs-many"]
    fig = draw("one-vs-many", r)
    left, right = fig.axes
    assert len(left.patches) == len(right.patches) == 3
    assert [b.get_height() for b in left.patches] == pytest.approx(list(r.one_round))
    assert [b.get_height() for b in right.patches] == pytest.approx(list(r.long_run))
    assert left.get_title().startswith("one round: the next alone\nmyopic best response")
    dashed = [
        ln.get_ydata()[0] for ax in (left, right) for ln in ax.lines if ln.get_linestyle() == "--"
    ]
    assert dashed == pytest.approx([r.myopic[0], r.far_sighted[0]])
    assert [t.get_text() for t in left.get_xticklabels()] == list(r.policies)
    assert title(fig) == "In one round always:defect pays row most; over many rounds balancing does"


def test_credibility_bars_per_player_and_policy(results):
    r, _ = results["credibility"]
    fig = draw("credibility", r)
    ax = fig.axes[0]
    assert len(ax.patches) == 6  # three players, two policies
    heights = sorted(round(p.get_width(), 6) for p in ax.patches)
    gains = sorted(round(max(c.gain, 0.0), 6) for checks in r.checks for c in checks)
    assert heights == gains
    assert legend_texts(fig) == ["russia: balancing", "russia: aligning"]
    assert title(fig).startswith("Not credible: india's aligning(tolerance=0) under every policy")
    # the same bars from the check a comparison makes unasked
    unasked = draw("credibility", recip.compare(SINDOOR)).axes[0]
    assert sorted(round(p.get_width(), 6) for p in unasked.patches) == heights
    assert title(draw("credibility", recip.compare(SINDOOR))) == title(fig)


def test_meta_one_heatmap_per_player_best_responses_and_equilibria(results):
    m, _ = results["meta"]
    fig = draw("meta", m)
    heatmaps = [ax for ax in fig.axes if ax.images]
    assert len(heatmaps) == 2
    for ax, player in zip(heatmaps, m.players, strict=True):
        assert ax.images[0].get_array().shape == (3, 3)
        assert ax.get_ylabel() == f"{player}'s strategy"
        outlined = [p for p in ax.patches if p.get_edgecolor()[3] > 0]
        assert len(outlined) == sum(len(b.best) for b in m.responses(player))
        stars = [ln for ln in ax.lines if ln.get_marker() == "*"]
        assert len(stars) == len(m.equilibria.pure)
    assert title(fig).startswith("Pure equilibri")


# ----------------------------------------------------------------------------------------------
# six policies, six players: every text inside the canvas


@pytest.fixture(scope="module")
def six():
    return six_partners()


def six_results(name: str, s):
    if name == "payoffs":
        return recip.compare(s, credibility=False)
    if name == "discount":
        return recip.critical_discount(s, grid=40)
    if name == "discount-overlay":
        pd = recip.load_scenario("prisoners-dilemma")
        return critical_discounts(
            [s, pd, "donation-game", SINDOOR, *counter_scenarios(SINDOOR)[:4]], grid=40
        )
    if name == "region":
        return recip.sweep(
            s,
            {"horizon.discount": "0.6:0.95:6", f"payoffs.cost0.{SIX[0]}": "-1.5:-0.5:5"},
            policies=list(SIX_POLICIES),
            workers=1,
        )
    if name == "tornado":
        return recip.sensitivity(s, samples=8)
    if name == "uncertainty":
        return recip.uncertainty(s, samples=16)
    if name == "timeline":
        return timeline(s, rounds=40, seed=1)
    if name == "one-vs-many":
        return one_vs_many(s)
    if name == "credibility":
        return recip.credibility(s)
    return recip.meta_game(s, {p: ["always:cooperate", "always:defect"] for p in SIX})


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_six_policies_and_six_players_keep_every_text_inside_the_canvas(name, six):
    result = six_results(name, six)
    fig = draw(name, result, source=six)
    assert outside(fig) == []
    assert len(title(fig)) > 20 and caption_of(fig).startswith("Scenario six-partners")


def test_payoffs_with_six_players_has_twelve_panels_and_six_policies(six):
    fig = draw("payoffs", recip.compare(six, credibility=False))
    assert len(fig.axes) == 12
    assert [ax.get_title() for ax in fig.axes[::2]] == [f"{SIX[0]} (focal)", *SIX[1:]]
    assert legend_texts(fig)[:6] == [f"{SIX[0]}: {p}" for p in SIX_POLICIES]
    assert all(len(ax.lines) == 6 for ax in fig.axes[::2])


def test_figures_written_with_each_result(results, sindoor):
    c, _ = results["payoffs"]
    assert list(figures(c)) == ["payoffs"]
    doc = results_document(
        c, sindoor, "run", attached={"critical_discount": results["discount"][0]}
    )
    assert list(figures(doc)) == ["payoffs", "discount"]
    assert figures(recip.is_subgame_perfect("prisoners-dilemma")) == {}
