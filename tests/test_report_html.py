"""`recip report`: one self-contained HTML page. Every section and figure is there, nothing
points outside the page, the page's own numbers are recip's, and the same scenario gives the
same bytes. (tests/test_report_browser.py loads it in a real browser.)"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

import recip
from conftest import REPORT_FIGURES
from recip.report.html import SECTIONS
from recip.report.html_figures import inline_svg
from test_cli import recip as run_recip

FIGURES = REPORT_FIGURES


class _Outline(HTMLParser):
    """The ids of sections and figures, every attribute that could load something, and the
    nesting of the elements (which must close in order)."""

    VOID = {"meta", "input", "br", "img", "hr", "link", "circle", "rect", "line", "path", "use"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.figures, self.loads, self.stack, self.errors = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if tag == "figure":
            self.figures.append(a.get("id"))
        for name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
            if name in a and not (a[name] or "").startswith(("#", "data:image/png;base64,")):
                self.loads.append((tag, name, a[name]))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def page(sindoor_report):
    return sindoor_report.read_text(encoding="utf-8")


def test_every_section_and_figure_is_there(page):
    outline = _Outline()
    outline.feed(page)
    assert outline.sections == [sid for sid, _, _ in SECTIONS]
    assert outline.figures == [f"fig-{name}" for name in FIGURES]
    assert not outline.errors and outline.stack == []
    for name in FIGURES:
        fig = re.search(rf'<figure class="fig" id="fig-{name}">(.*?)</figure>', page, re.S)
        assert fig and "<svg " in fig.group(1) and "<figcaption>" in fig.group(1)
    assert page.count('type="range"') == 3 and 'id="whatif-curve"' in page


def test_the_page_names_no_url_and_loads_nothing(page):
    # images drawn as pixels sit inside their figure, base64-encoded
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=\s]+", "", page)
    assert not re.search(r"\b(?:https?|ftp|wss?|file):/|\bhttps?:|//[a-z]", text, re.I)
    outline = _Outline()
    outline.feed(page)
    assert outline.loads == []  # every href is an anchor in the page, images inline
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"url\((?!#)", page)  # only references to the page's own SVG ids
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_the_pages_numbers_are_recips(page):
    c = recip.compare("sindoor-2025")
    head = c.verdict.split(" (exact)")[0]
    assert f'<p class="verdict" id="verdict-text">{head}</p>' in page
    data = json.loads(
        re.search(r'<script type="application/json" id="whatif-data">(.*?)</script>', page, re.S)
        .group(1)
        .replace("<\\/", "</")
    )
    assert [s["key"] for s in data["sliders"]] == [
        "strategies.india.tolerance",
        "payoffs.taking_sides.russia",
        "horizon.discount",
    ]
    shape = [len(s["texts"]) for s in data["sliders"]]
    k = 0
    for n, i in zip(shape, data["nominal"], strict=True):
        k = k * n + i
    assert data["templates"][data["verdicts"][k]].replace("{}", data["margins"][k]) == head
    assert len(data["verdicts"]) == len(data["margins"]) == len(data["advantage"]) == 11 * 15 * 50
    assert f'id="whatif-verdict">{head}</p>' in page
    # every section's words: the trail, the credibility and the counter-scenarios
    for claim in (f"C{k}" for k in range(1, 13)):
        assert f"<td class='claim-id'>{claim}</td>" in page
    assert "counter-mediator" in page and "reverses the verdict" in page
    assert "partners' strategies not credible" in page


@pytest.mark.slow
def test_the_same_scenario_gives_the_same_page(sindoor_report, tmp_path):
    r = run_recip("report", "sindoor-2025", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "report.html").read_bytes() == sindoor_report.read_bytes()


def test_a_scenario_without_claims_or_ranges_has_a_page_too(tmp_path):
    r = run_recip("report", "prisoners-dilemma", "--samples", "4", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    path = tmp_path / "recip-out" / "prisoners-dilemma" / "report.html"
    assert f"Wrote {path.relative_to(tmp_path)}" in r.stdout
    text = path.read_text(encoding="utf-8")
    outline = _Outline()
    outline.feed(text)
    assert outline.sections == [sid for sid, _, _ in SECTIONS] and not outline.errors
    assert "declares no uncertain inputs" in text and "names no claim map" in text
    assert text.count('type="range"') == 1  # the discount factor alone


def test_an_inline_svg_keeps_to_itself():
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://x">\n'
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="5pt" '
        'viewBox="0 0 10 5" xmlns="http://www.w3.org/2000/svg"><metadata>http://m</metadata>'
        '<defs><style>*{a:b}</style><path id="p1"/></defs><use xlink:href="#p1"/>'
        '<g clip-path="url(#p1)"/></svg>'
    )
    out = inline_svg(svg, "fig")
    assert "http" not in out and "width=" not in out and "<style" not in out
    assert 'id="fig-p1"' in out and 'href="#fig-p1"' in out and "url(#fig-p1)" in out
    assert out.startswith('<svg role="img" aria-label="fig" viewBox="0 0 10 5"')
