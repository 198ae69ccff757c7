"""`recip report` in a real browser: headless Chromium (Debian's package, driven by Playwright's
Python package, which downloads no browser of its own) opens the page from a file and the test
checks that every section and figure is visible, that moving a slider changes the verdict to
the value recip computed for that point, and that the page makes no request beyond itself.
Screenshots are kept in ``test-artifacts/`` (or ``$RECIP_TEST_ARTIFACTS``).

Without Chromium or Playwright the test is skipped, except in CI (``CI=true``), where it fails:
``.ci/run`` installs Chromium, and ``pip install ".[test]"`` Playwright.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import REPORT_FIGURES
from recip.report.html import SECTIONS

CHROMIUM = Path(os.environ.get("RECIP_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(
    os.environ.get("RECIP_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts")
)
#: Flags that keep Chromium from reaching out on its own (updates, sync, QUIC probes).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIGURES = REPORT_FIGURES


def _browser_or_skip():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian's package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("the playwright package (pip install '.[test]')")
    if missing:
        reason = f"the browser test needs {' and '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; .ci/run installs Chromium, so CI must run this test")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def browser_page(sindoor_report, tmp_path_factory):
    """The report open in headless Chromium (a fresh profile), with every request it made
    recorded (and any beyond the page's own file refused)."""
    sync_playwright = _browser_or_skip()
    requests: list[str] = []
    refused: list[str] = []
    errors: list[str] = []
    url = sindoor_report.resolve().as_uri()
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )

        def guard(route):
            if route.request.url == url:
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("websocket", lambda ws: requests.append(ws.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url, wait_until="load")
        yield page, url, requests, refused, errors
        context.close()


def _data(page) -> dict:
    return json.loads(page.locator("#whatif-data").text_content())


def _verdict_at(data: dict, indices: list[int]) -> str:
    """The verdict recip computed at the sliders' ``indices``, read from the page's grid."""
    k = 0
    for slider, i in zip(data["sliders"], indices, strict=True):
        k = k * len(slider["texts"]) + i
    return data["templates"][data["verdicts"][k]].replace("{}", data["margins"][k])


def test_every_section_and_figure_is_visible(browser_page):
    page, _, _, _, errors = browser_page
    for sid, heading, _ in SECTIONS:
        section = page.locator(f"section#{sid}")
        assert section.is_visible(), sid
        assert section.locator("h2").inner_text() == heading
        assert section.bounding_box()["height"] > 60, sid
    figures = page.locator("figure.fig")
    assert figures.count() == len(FIGURES)
    for name in FIGURES:
        svg = page.locator(f"figure#fig-{name} > svg")
        assert svg.is_visible(), name
        box = svg.bounding_box()
        assert box["width"] > 400 and box["height"] > 150, (name, box)
        # drawn, not empty: the figure has its paths and its text
        assert svg.locator("path").count() > 5 and svg.locator("text").count() > 3, name
    curve = page.locator("#whatif-curve")
    assert curve.is_visible() and curve.bounding_box()["height"] > 150
    assert page.locator("#whatif-line-1").get_attribute("points").count(",") == 50
    assert errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-sindoor-2025.png"), full_page=True)
    panel = page.locator("#whatif-panel").bounding_box()
    page.screenshot(  # the top of the page: the verdict, its assumptions and the what-if panel
        path=str(ARTIFACTS / "report-sindoor-2025-top.png"),
        clip={"x": 0, "y": 0, "width": 1280, "height": panel["y"] + panel["height"] + 24},
        full_page=True,
    )


def test_moving_a_slider_shows_the_precomputed_verdict(browser_page):
    page, _, _, _, errors = browser_page
    data = _data(page)
    keys = [s["key"] for s in data["sliders"]]
    nominal = list(data["nominal"])
    verdict = page.locator("#whatif-verdict")
    assert verdict.inner_text() == _verdict_at(data, nominal)
    assert verdict.inner_text().startswith("aligning beats balancing for russia")
    line = page.locator("#whatif-line-1").get_attribute("points")

    # India reads a neutral answer a little kindly: one step right on its tolerance slider
    t = keys.index("strategies.india.tolerance")
    slider = page.locator(f"#whatif-s{t}")
    slider.focus()
    page.keyboard.press("ArrowRight")
    at = list(nominal)
    at[t] += 1
    expected = _verdict_at(data, at)
    assert verdict.inner_text() == expected
    assert expected.startswith("balancing beats aligning for russia")  # the verdict flips
    assert page.locator(f"#whatif-v{t}").inner_text() == "0.1"
    assert (
        "differs from the one at the scenario's own values"
        in page.locator("#whatif-change").inner_text()
    )
    assert page.locator("#whatif-line-1").get_attribute("points") != line  # the curve redrawn
    page.locator("#whatif-panel").screenshot(path=str(_artifacts() / "report-whatif-moved.png"))

    # back to the scenario's tolerance, then the shortest shadow of the future on the grid
    page.keyboard.press("ArrowLeft")
    d = keys.index("horizon.discount")
    page.locator(f"#whatif-s{d}").focus()
    page.keyboard.press("Home")
    at = list(nominal)
    at[d] = 0
    assert verdict.inner_text() == _verdict_at(data, at)
    assert page.locator(f"#whatif-v{d}").inner_text() == "0.02"

    # the cost of taking sides at its highest, and back to the scenario with the button
    s = keys.index("payoffs.taking_sides.russia")
    page.locator(f"#whatif-s{s}").focus()
    page.keyboard.press("End")
    at[s] = len(data["sliders"][s]["texts"]) - 1
    assert verdict.inner_text() == _verdict_at(data, at)
    page.locator("#whatif-reset").click()
    assert verdict.inner_text() == _verdict_at(data, nominal)
    assert page.locator("#whatif-line-1").get_attribute("points") == line
    assert errors == []


def test_the_page_makes_no_request_beyond_itself(browser_page):
    page, url, requests, refused, _ = browser_page
    page.locator("#whatif-s0").focus()
    page.keyboard.press("ArrowRight")  # interaction asks for nothing either
    page.wait_for_timeout(200)
    assert refused == []
    assert requests == [url]
    assert re.match(r"^file://", url)


def _artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
