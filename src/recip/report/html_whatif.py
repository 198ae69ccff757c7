"""The what-if panel of the HTML report: one slider per input of a
:class:`~recip.questions.whatif.WhatIf` grid, the verdict at the sliders' point, and the
advantage against the discount factor drawn as an SVG polyline; the grid is embedded as JSON
(``#whatif-data``) for the page's script (:data:`recip.report.html_assets.JS`), which only looks
values up. The page as written already shows the scenario's own point, script or not.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

from ..questions.whatif import DISCOUNT, WhatIf, is_discount

#: The curve's drawing area inside its 640 x 300 view box.
PLOT = {"x0": 64.0, "y0": 16.0, "w": 552.0, "h": 236.0}
#: Significant digits of the advantages drawn (the verdicts' margins are written exactly).
CURVE_DIGITS = 6
#: Colours of the curves, one per policy compared with the first (Okabe-Ito).
COLOURS = ("#0072B2", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

LABELS = {DISCOUNT: "discount factor δ (the chance that the relationship goes on)"}


def whatif_data(w: WhatIf) -> dict[str, Any]:
    """What the page's script reads: the sliders, the verdict of every point (a template index
    and the margin's text), the advantages and the plot's scale."""
    adv = w.advantage[:, 1:]
    data: dict[str, Any] = {
        "focal": w.focal,
        "policies": list(w.policies),
        "sliders": [
            {
                "key": s.key,
                "texts": list(s.texts),
                "values": None if s.options else list(s.values),
            }
            for s in w.sliders
        ],
        "nominal": list(w.nominal),
        "curve": w.curve,
        "templates": list(w.templates),
        "winners": list(w.winners),
        "verdicts": [int(v) for v in w.verdicts],
        "margins": list(w.margins),
        "advantage": [_round(x) for x in adv.ravel().tolist()],
    }
    if w.curve is not None:
        data["plot"] = _scale(w)
    return data


def _round(x: float) -> float:
    return float(f"{x:.{CURVE_DIGITS}g}")


def _scale(w: WhatIf) -> dict[str, float]:
    adv = w.advantage[:, 1:]
    low, high = float(min(adv.min(), 0.0)), float(max(adv.max(), 0.0))
    pad = 0.06 * (high - low or 1.0)
    xs = w.sliders[w.curve].values
    return {
        **PLOT,
        "xmin": 0.0 if min(xs) >= 0 else float(min(xs)),
        "xmax": 1.0 if max(xs) <= 1 else float(max(xs)),
        "ymin": low - pad,
        "ymax": high + pad,
    }


def slider_label(scenario, key: str) -> str:
    """A slider's key in words: a payoff term's player, name and note; a strategy parameter
    with what the strategy library says it does; a player's choice of strategy."""
    if key in LABELS:
        return LABELS[key]
    if is_discount(key):
        return f"{key.split('.')[2]}'s own discount factor δ (the chance that it goes on)"
    parts = key.split(".")
    if parts[0] == "payoffs" and len(parts) == 3:
        term = next((t for t in scenario.spec.terms if t.key == f"payoffs.{parts[1]}"), None)
        if term is not None and parts[2] in term.values:
            value = term.values[parts[2]]
            note = getattr(value, "note", None) or term.note
            label = f"{parts[2]}'s payoff “{parts[1].replace('_', ' ')}”"
            return f"{label}: {' '.join(str(note).split())}" if note else label
    if parts[0] == "strategies" and len(parts) == 3:
        from ..strategies import describe

        spec = scenario.spec.strategies.get(parts[1])
        name = spec.get("name") if isinstance(spec, dict) else spec
        docs = {
            p["name"]: p["doc"]
            for item in describe()
            if item["name"] == name
            for p in item["parameters"]
        }
        label = f"{parts[1]}'s {parts[2]} ({name})"
        return f"{label}: {docs[parts[2]]}" if parts[2] in docs else label
    if parts[0] == "strategies" and len(parts) == 2:
        return f"{parts[1]}'s strategy"
    return key


def panel_html(w: WhatIf, claims: dict[str, tuple[str, ...]], labels: dict[str, str]) -> str:
    """The panel's HTML (sliders, verdict, curve) and its data block; ``claims`` maps each
    slider's key to the claims that set it, ``labels`` to its words."""
    data = whatif_data(w)
    k0 = w.point(w.nominal)
    verdict = w.templates[int(w.verdicts[k0])].replace("{}", w.margins[k0])
    order = sorted(range(len(w.sliders)), key=lambda i: i != w.curve)
    controls = []
    for i in order:
        s = w.sliders[i]
        label = labels.get(s.key, s.key)
        cited = claims.get(s.key, ())
        by = f"; set by {', '.join(cited)}" if cited else ""
        controls.append(
            f'<div class="slider"><div class="row"><label for="whatif-s{i}">{escape(label)}'
            f"</label>"
            f'<output id="whatif-v{i}" for="whatif-s{i}">{escape(s.texts[s.nominal])}</output>'
            f"</div>"
            f'<input type="range" id="whatif-s{i}" data-key="{escape(s.key)}" min="0" '
            f'max="{len(s.values) - 1}" step="1" value="{s.nominal}" '
            f'aria-label="{escape(s.key)}">'
            f'<div class="note"><code>{escape(s.key)}</code>: {len(s.values)} values, '
            f"{escape(s.note)}; the scenario's value {escape(s.texts[s.nominal])}"
            f"{escape(by)}.</div></div>"
        )
    at = ", ".join(f"{s.key} = {s.texts[s.nominal]}" for s in w.sliders)
    curve = _curve_svg(w, data) if w.curve is not None else ""
    block = json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return (
        '<div class="whatif" id="whatif-panel">'
        f'<div class="controls">{"".join(controls)}'
        '<button type="button" id="whatif-reset">Back to the scenario\'s values</button></div>'
        '<div class="live">'
        f'<p class="verdict" id="whatif-verdict">{escape(verdict)}</p>'
        f'<p class="small muted" id="whatif-at">at {escape(at)}; everything else as the '
        "scenario says.</p>"
        '<p id="whatif-change">Same verdict as at the scenario\'s own values.</p>'
        f"{curve}</div></div>"
        f'<script type="application/json" id="whatif-data">{block}</script>'
    )


def _curve_svg(w: WhatIf, data: dict[str, Any]) -> str:
    sc = data["plot"]
    x0, y0, pw, ph = sc["x0"], sc["y0"], sc["w"], sc["h"]

    def sx(x: float) -> float:
        return x0 + (x - sc["xmin"]) / (sc["xmax"] - sc["xmin"]) * pw

    def sy(y: float) -> float:
        return y0 + (sc["ymax"] - y) / (sc["ymax"] - sc["ymin"]) * ph

    zero = sy(0.0)
    parts = [
        '<svg id="whatif-curve" viewBox="0 0 640 300" role="img" '
        'aria-label="advantage against the discount factor">',
        f'<rect x="{x0}" y="{y0}" width="{pw}" height="{zero - y0:.1f}" fill="#009E73" '
        'fill-opacity="0.10"/>',
        f'<rect x="{x0}" y="{zero:.1f}" width="{pw}" height="{y0 + ph - zero:.1f}" '
        'fill="#D55E00" fill-opacity="0.10"/>',
    ]
    for y in _ticks(sc["ymin"], sc["ymax"]):
        parts.append(
            f'<line x1="{x0}" x2="{x0 + pw}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" '
            'stroke="#d5dbe0" stroke-width="0.8"/>'
            f'<text x="{x0 - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>'
        )
    for x in _ticks(sc["xmin"], sc["xmax"]):
        parts.append(
            f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{y0}" y2="{y0 + ph}" '
            'stroke="#d5dbe0" stroke-width="0.8"/>'
            f'<text x="{sx(x):.1f}" y="{y0 + ph + 16}" text-anchor="middle">{x:g}</text>'
        )
    parts.append(
        f'<line x1="{x0}" x2="{x0 + pw}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#000" '
        'stroke-width="1.2"/>'
    )
    own = w.sliders[w.curve].values[w.sliders[w.curve].nominal]
    parts.append(
        f'<line x1="{sx(own):.1f}" x2="{sx(own):.1f}" y1="{y0}" y2="{y0 + ph}" '
        'stroke="#5f6b73" stroke-dasharray="4 3"/>'
        f'<text x="{sx(own) + (-4 if own > 0.7 else 4):.1f}" y="{y0 + 12}" fill="#5f6b73" '
        f'text-anchor="{"end" if own > 0.7 else "start"}">the scenario\'s δ</text>'
    )
    nominal = w.point(w.nominal)
    legend = []
    for p in range(1, len(w.policies)):
        colour = COLOURS[(p - 1) % len(COLOURS)]
        pts = []
        for j, x in enumerate(w.sliders[w.curve].values):
            ix = list(w.nominal)
            ix[w.curve] = j
            y = data["advantage"][w.point(ix) * (len(w.policies) - 1) + p - 1]
            pts.append(f"{sx(x):.1f},{sy(y):.1f}")
        parts.append(
            f'<polyline id="whatif-line-{p}" fill="none" stroke="{colour}" stroke-width="2.4" '
            f'points="{" ".join(pts)}"/>'
        )
        legend.append(
            f'<span style="color: {colour}">━ {escape(w.policies[p])} minus '
            f"{escape(w.policies[0])}</span>"
        )
    best = max(range(1, len(w.policies)), key=lambda p: w.advantage[nominal, p])
    parts.append(
        f'<circle id="whatif-marker" r="5" fill="#000" cx="{sx(own):.1f}" '
        f'cy="{sy(_round(float(w.advantage[nominal, best]))):.1f}"/>'
    )
    parts.append(
        f'<text x="{x0 + pw / 2}" y="{y0 + ph + 34}" text-anchor="middle">discount factor δ</text>'
    )
    parts.append("</svg>")
    parts.append(
        f'<p class="small" id="whatif-legend">{"; ".join(legend)}: {escape(w.focal)}\'s '
        f"advantage per round, at the other sliders' values; above 0 (green), the policy pays "
        f"{escape(w.focal)} more than {escape(w.policies[0])}.</p>"
    )
    return "".join(parts)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values between ``low`` and ``high``, about ``count`` of them."""
    width = high - low
    if not width > 0:
        return [low]
    raw = width / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    out = []
    k = first
    while k * step <= high + 1e-9 * step:
        out.append(round(k * step, 12))
        k += 1
    return out
