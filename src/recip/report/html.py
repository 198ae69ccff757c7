"""``recip report``: one self-contained HTML page to teach an argument from.

:func:`report_html` lays out a :class:`~recip.questions.report_data.ReportData` -- computed
beforehand; nothing here computes -- as one page: the verdict with its assumptions beside it, a
what-if panel (:mod:`recip.report.html_whatif`), the scenario, the trail from claims to
parameters, sensitivity, credibility, the counter-scenarios side by side and where the numbers
came from. Figures are inline SVG (:mod:`recip.report.html_figures`), style and script inline
(:mod:`recip.report.html_assets`); a content security policy forbids the page any request, and
it names no URL. The same data always gives the same bytes (no dates, no absolute paths).
"""

from __future__ import annotations

from html import escape

from .._version import __version__
from ..model.conditions import CRITERIA
from ..questions.claim_trail import claims_of_key
from ..questions.report_data import ReportData
from ..questions.whatif import verdict_template
from .base import overrides_text, value_text
from .explain_text import credibility_sentences, dependence_sentences
from .html_assets import CSS, JS
from .html_figures import CAPTIONS, OTHER, PLACES, result_figures
from .html_sections import (
    claims_section,
    counters_section,
    credibility_table,
    scenario_section,
    table,
)
from .html_whatif import panel_html, slider_label

#: The sections of the page: (id, heading, link text), in order.
SECTIONS = (
    ("verdict", "The verdict and what it assumes", "Verdict"),
    ("whatif", "What if? Move the inputs that matter most", "What if"),
    ("scenario", "The scenario", "Scenario"),
    ("claims", "From claims to parameters", "Claims → parameters"),
    ("sensitivity", "What the verdict depends on", "Sensitivity"),
    ("credibility", "Is the reciprocity credible?", "Credibility"),
    ("counters", "Counter-scenarios side by side", "Counter-scenarios"),
    ("about", "Where these numbers come from", "Provenance"),
)
#: A content security policy that allows the page nothing from outside itself.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def report_html(data: ReportData, scenario) -> str:
    """The page (see the module docstring) for ``data``, computed about ``scenario``."""
    e = data.explanation
    figs = result_figures(
        e.comparison,
        data.threshold,
        e.sensitivity,
        e.uncertainty,
        data.region,
        e.credibility,
        data.overlay,
    )
    placed: dict[str, list[str]] = {}
    for name, svg in figs.items():
        caption = CAPTIONS.get(name, name)
        placed.setdefault(PLACES.get(name, OTHER), []).append(
            f'<figure class="fig" id="fig-{escape(name)}">{svg}'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    bodies = {
        "verdict": _verdict(data),
        "whatif": _whatif(data, scenario),
        "scenario": scenario_section(scenario),
        "claims": claims_section(e),
        "sensitivity": _sensitivity(data),
        "credibility": _paragraphs(credibility_sentences(e)) + credibility_table(e),
        "counters": counters_section(e),
        "about": _about(data, scenario),
    }
    sections = "".join(
        f'<section id="{sid}"><h2>{escape(heading)}</h2>{bodies[sid]}'
        f"{''.join(placed.get(sid, ()))}</section>"
        for sid, heading, _ in SECTIONS
    )
    nav = "".join(f'<a href="#{sid}">{escape(link)}</a>' for sid, _, link in SECTIONS)
    cite = f" · claims: {escape(e.citation)}" if e.citation else ""
    overrides = overrides_text(scenario.overrides)
    extra = f" · overrides: <code>{escape(overrides)}</code>" if overrides else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(scenario.title)} — recip report</title>"
        f"<style>{CSS}</style></head><body>"
        f'<header class="top"><h1>{escape(scenario.title)}</h1>'
        f"<p>Scenario <code>{escape(scenario.name)}</code>{cite}{extra}</p>"
        f"<p>Written by recip {escape(__version__)}: every number on this page was computed "
        "exactly by recip before the page was written; the sliders look values up. The page "
        "needs no network.</p></header>"
        f'<nav class="toc">{nav}</nav><main>{sections}</main>'
        f"<script>{JS}</script></body></html>\n"
    )


def _paragraphs(sentences: list[str]) -> str:
    return "".join(f"<p>{escape(s)}</p>" for s in sentences)


def _verdict(data: ReportData) -> str:
    e = data.explanation
    c = e.comparison
    head, margin, _ = verdict_template(c.focal, c.policies, c.advantage)
    head = head.replace("{}", margin)
    cond = c.conditions
    cred = e.credibility
    if cred is not None and e.best in cred.policies:
        k = cred.policies.index(e.best)
        ok = cred.partners_credible(k)
        credible = (
            "<span class='badge yes'>partners' strategies credible</span>"
            if ok
            else "<span class='badge no'>partners' strategies not credible</span>"
        )
        credible = (
            f"<p>Under {escape(e.best)}: {credible} (see <a href='#credibility'>credibility</a>)."
            "</p>"
        )
    else:
        credible = "<p class='muted'>Credibility not checked (see below).</p>"
    sure = ""
    if e.uncertainty is not None:
        u = e.uncertainty
        share = float(u.best_share[u.nominal_best])
        if share >= 0.9:
            badge = "<span class='badge yes'>holds over the declared ranges</span>"
        elif share >= 0.5:
            badge = f"<span class='badge same'>holds in {share:.0%} of draws</span>"
        else:
            badge = f"<span class='badge no'>holds in only {share:.0%} of draws</span>"
        sure = (
            f"<p>How sure: {badge}</p><p class='small'>{escape(u.summary)} "
            "(<a href='#sensitivity'>what it depends on</a>)</p>"
        )
    box = (
        '<div class="verdict-box">'
        f'<p class="verdict" id="verdict-text">{escape(head)}</p>'
        f'<p class="given">exact, given {escape(cond.text())}.</p>'
        f"{credible}{sure}</div>"
    )
    items = [f"How rounds count: {CRITERIA.get(cond.criterion, cond.criterion)}."]
    items += [f"{clause[0].upper()}{clause[1:]}." for clause in cond.text().split("; ")]
    items.append(
        f"Compared: {c.focal}'s policies {', '.join(c.policies)}; the other players keep the "
        f"strategies above whatever {c.focal} does, and carry them out (see credibility)."
    )
    items.append(
        "Payoffs at their nominal values, in the scenario's units (only differences count); "
        "the declared ranges enter only the uncertainty and sensitivity analyses."
    )
    items.append(
        "Nothing outside the scenario file: its players, world states, payoffs and strategies "
        "are the whole model."
    )
    li = "".join(f"<li>{escape(x)}</li>" for x in items)
    assumptions = f'<div class="assumptions"><h3>Assumptions</h3><ul>{li}</ul></div>'
    out = f'<div class="grid2">{box}{assumptions}</div>'
    if e.conclusion:
        out += (
            f"<p><b>The argument being modelled</b> ({escape(e.citation or '')}, in our words): "
            f"{escape(e.conclusion)}</p>"
        )
    players = list(c.game.players)
    rows = [
        [p, *(f"{v:.4f}" for v in c.values[k]), "baseline" if k == 0 else f"{c.advantage[k]:+.4f}"]
        for k, p in enumerate(c.policies)
    ]
    out += (
        f"<p>Per-round values (exact) under each of {escape(c.focal)}'s policies; the advantage "
        f"is {escape(c.focal)}'s value minus its value under {escape(c.policies[0])}.</p>"
        + table([f"{c.focal}'s policy", *players, "advantage"], rows)
    )
    return out


def _whatif(data: ReportData, scenario) -> str:
    w = data.whatif
    if w is None:
        notes = "; ".join(n for n in data.notes if "what-if" in n)
        return f"<p>No what-if panel for this scenario{': ' + escape(notes) if notes else ''}.</p>"
    claims = {s.key: claims_of_key(data.explanation.trails, s.key) for s in w.sliders}
    text = (
        f"<p>Move a slider: the verdict and the curve change to the exact values recip computed "
        f"beforehand at {len(w.verdicts):,} points (every combination of the sliders' values, "
        "with recip sweep). Nothing is recomputed in the page, and nothing between the grid's "
        "values is shown. The credibility check and the figures below hold for the scenario's "
        "own values only.</p>"
    )
    labels = {s.key: slider_label(scenario, s.key) for s in w.sliders}
    return text + panel_html(w, claims, labels)


def _sensitivity(data: ReportData) -> str:
    e = data.explanation
    sentences = dependence_sentences(e)
    if e.sensitivity is None:
        return _paragraphs(sentences)
    k = next((i for i, s in enumerate(sentences) if s.startswith("Measured by")), len(sentences))
    lead, ranked = sentences[: k + 1], sentences[k + 1 :]
    items = "".join(f"<li>{escape(s)}</li>" for s in ranked)
    out = _paragraphs(lead) + f"<ol class='ranked'>{items}</ol>"
    if e.uncertainty is not None:
        out += f"<p><b>How sure:</b> {escape(e.uncertainty.summary)}</p>"
    region = e.sensitivity.discovery.sentence
    if region:
        out += f"<p><b>Where the verdict flips</b> (over the Sobol' sample): {escape(region)}</p>"
    return out


def _about(data: ReportData, scenario) -> str:
    e = data.explanation
    items = [
        f"recip {__version__}; scenario {scenario.name}, SHA-256 {scenario.hash[:16]}…",
        f"Command: recip report {scenario.name}"
        + "".join(f" --set {k}={v}" for k, v in overrides_pairs(scenario))
        + (f" --samples {e.samples}" if e.samples else "")
        + (f" --seed {e.seed}" if e.seed else ""),
        "Verdict, per-round values, credibility, counter-scenarios and the what-if grid: exact "
        "(Markov chains of the strategies' automata, solved).",
    ]
    if e.sensitivity is not None:
        s = e.sensitivity
        items.append(
            f"Sensitivity: tornado and break-even values exact; Sobol' indices from {s.samples} "
            f"base samples ({s.evaluations:,} exact evaluations), seed {s.seed}."
        )
    if e.uncertainty is not None:
        u = e.uncertainty
        items.append(f"Uncertainty: {u.samples} draws ({u.method} design), seed {u.seed}.")
    notes = [*e.notes, *data.notes]
    for r in (e.sensitivity, e.uncertainty, data.threshold, data.whatif):
        notes += list(getattr(r, "notes", ()) or ())
    items += [f"Note: {n}" for n in dict.fromkeys(notes)]
    items.append(
        "The same scenario and options always give the same page: rerun the command above to "
        "check it."
    )
    return "<ul class='plain small'>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def overrides_pairs(scenario) -> list[tuple[str, str]]:
    return [(k, value_text(v)) for k, v in scenario.overrides]
