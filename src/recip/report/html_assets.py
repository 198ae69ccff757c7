"""The style sheet and the script of the HTML report, inlined in every page (the page loads
nothing: no font, no library, no image from anywhere).

The script drives the what-if panel only: it reads the grid that recip computed (a JSON block,
``#whatif-data``), and on every move of a slider looks up the verdict at the sliders' point and
redraws the advantage against the discount factor from the grid's values. It computes no
payoff: every number it shows was written by recip.
"""

CSS = """
:root { --ink: #1d2327; --muted: #5f6b73; --line: #d5dbe0; --soft: #f5f7f9;
  --blue: #0072B2; --green: #009E73; --red: #D55E00; --amber: #E69F00; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
    sans-serif; line-height: 1.5; }
header.top { background: #17324d; color: #fff; padding: 1.4rem 1.5rem 1rem; }
header.top h1 { margin: 0 0 .3rem; font-size: 1.6rem; line-height: 1.25; }
header.top p { margin: .2rem 0; color: #d8e3ee; font-size: .92rem; }
header.top code { color: #fff; background: rgba(255, 255, 255, .16); }
nav.toc { display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; background: #fff;
  border-bottom: 1px solid var(--line); padding: .45rem 1.5rem; font-size: .9rem; }
nav.toc a { color: var(--blue); text-decoration: none; white-space: nowrap; }
main { max-width: 1180px; margin: 0 auto; padding: 0 1.5rem 3rem; }
section { border-bottom: 1px solid var(--line); padding: 1.6rem 0 1.2rem; }
section > h2 { margin: 0 0 .8rem; font-size: 1.35rem; }
h3 { font-size: 1.08rem; margin: 1.3rem 0 .5rem; }
p { margin: .45rem 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .88em; background: var(--soft); padding: 0 .2em; border-radius: 3px; }
.muted { color: var(--muted); }
.small { font-size: .88rem; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 1.4rem;
  align-items: start; }
@media (max-width: 860px) { .grid2 { grid-template-columns: 1fr; } }
.verdict-box { border: 2px solid var(--blue); border-radius: 8px; padding: .9rem 1.1rem;
  background: #f3f8fc; }
.verdict { font-size: 1.3rem; font-weight: 650; margin: 0 0 .35rem; }
.verdict-box .given { margin: .3rem 0 0; color: var(--muted); font-size: .95rem; }
.assumptions { border: 1px solid var(--line); border-left: 5px solid var(--amber);
  border-radius: 6px; padding: .7rem 1rem; background: #fffaf0; }
.assumptions h3 { margin: 0 0 .3rem; }
.assumptions ul { margin: .2rem 0; padding-left: 1.1rem; }
.assumptions li { margin: .15rem 0; }
.badge { display: inline-block; border-radius: 999px; padding: 0 .55rem; font-size: .8rem;
  font-weight: 600; border: 1px solid currentColor; }
.badge.no { color: var(--red); }
.badge.yes { color: var(--green); }
.badge.same { color: var(--muted); }
table { border-collapse: collapse; margin: .5rem 0 .9rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; vertical-align: top;
  text-align: left; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.wide { width: 100%; }
.matrices { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; }
.matrices table caption { caption-side: top; text-align: left; font-weight: 600;
  font-size: .88rem; padding-bottom: .15rem; }
.state { border: 1px solid var(--line); border-radius: 6px; padding: .2rem 1rem .6rem;
  margin: .8rem 0; }
.terms li { margin: .15rem 0; }
figure.fig { margin: 1rem 0; padding: .6rem; border: 1px solid var(--line);
  border-radius: 6px; background: #fff; }
figure.fig svg { display: block; width: 100%; height: auto; max-width: 860px;
  margin: 0 auto; }
figure.fig svg * { stroke-linejoin: round; stroke-linecap: butt; }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
.whatif { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); gap: 1.4rem;
  border: 2px solid var(--green); border-radius: 8px; padding: 1rem 1.1rem;
  background: #f4fbf8; }
@media (max-width: 860px) { .whatif { grid-template-columns: 1fr; } }
.slider { margin: 0 0 1rem; }
.slider label { display: block; font-weight: 600; line-height: 1.3; }
.slider input[type=range] { width: 100%; accent-color: var(--green); }
.slider .row { display: flex; justify-content: space-between; gap: .6rem; align-items: baseline; }
.slider output { font-weight: 700; font-variant-numeric: tabular-nums; font-size: 1.05rem; }
.slider .note { color: var(--muted); font-size: .82rem; }
button { font: inherit; border: 1px solid var(--green); background: #fff; color: #0b5d45;
  border-radius: 6px; padding: .25rem .7rem; cursor: pointer; }
#whatif-verdict { font-size: 1.2rem; }
#whatif-curve { width: 100%; height: auto; display: block; background: #fff;
  border: 1px solid var(--line); border-radius: 6px; }
#whatif-curve text { font-size: 12px; fill: var(--ink); }
.changed { color: var(--red); font-weight: 600; }
.claim-id { font-weight: 700; white-space: nowrap; }
ul.keys { margin: 0; padding-left: 1rem; }
ul.plain { padding-left: 1.1rem; }
ol.ranked li { margin: .25rem 0; }
.counter-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
  gap: .9rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .9rem;
  background: #fff; }
.card.this { border: 2px solid var(--blue); background: #f3f8fc; }
.card h3 { margin: .1rem 0 .3rem; font-size: 1rem; }
.card .v { font-weight: 600; }
@media print { nav.toc { display: none; } section { break-inside: avoid-page; } }
"""

JS = r"""
(function () {
  "use strict";
  var node = document.getElementById("whatif-data");
  if (!node) { return; }
  var D = JSON.parse(node.textContent);
  var P = D.policies.length - 1;
  var n = D.sliders.length;
  var inputs = [];
  for (var i = 0; i < n; i++) { inputs.push(document.getElementById("whatif-s" + i)); }
  var verdictEl = document.getElementById("whatif-verdict");
  var atEl = document.getElementById("whatif-at");
  var changeEl = document.getElementById("whatif-change");
  var marker = document.getElementById("whatif-marker");
  var nominalWinner = D.winners[D.verdicts[point(D.nominal)]];

  function indices() {
    return inputs.map(function (el) { return parseInt(el.value, 10); });
  }
  function point(ix) {
    var k = 0;
    for (var i = 0; i < n; i++) { k = k * D.sliders[i].texts.length + ix[i]; }
    return k;
  }
  function sx(x) { return D.plot.x0 + (x - D.plot.xmin) / (D.plot.xmax - D.plot.xmin) * D.plot.w; }
  function sy(y) { return D.plot.y0 + (D.plot.ymax - y) / (D.plot.ymax - D.plot.ymin) * D.plot.h; }

  function draw(ix) {
    if (D.curve === null) { return; }
    var c = D.curve, xs = D.sliders[c].values;
    for (var p = 0; p < P; p++) {
      var pts = [];
      for (var j = 0; j < xs.length; j++) {
        var iy = ix.slice(); iy[c] = j;
        var y = D.advantage[point(iy) * P + p];
        pts.push(sx(xs[j]).toFixed(1) + "," + sy(y).toFixed(1));
      }
      document.getElementById("whatif-line-" + (p + 1)).setAttribute("points", pts.join(" "));
    }
    var k = point(ix), best = 0, yb = -Infinity;
    for (var q = 0; q < P; q++) {
      if (D.advantage[k * P + q] > yb) { yb = D.advantage[k * P + q]; best = q; }
    }
    marker.setAttribute("cx", sx(xs[ix[c]]).toFixed(1));
    marker.setAttribute("cy", sy(yb).toFixed(1));
  }

  function update() {
    var ix = indices(), k = point(ix);
    var t = D.verdicts[k];
    verdictEl.textContent = D.templates[t].replace("{}", D.margins[k]);
    var at = [];
    for (var i = 0; i < n; i++) {
      var text = D.sliders[i].texts[ix[i]];
      document.getElementById("whatif-v" + i).textContent = text;
      at.push(D.sliders[i].key + " = " + text);
    }
    atEl.textContent = "at " + at.join(", ") + "; everything else as the scenario says.";
    var winner = D.winners[t];
    if (winner === nominalWinner) {
      changeEl.textContent = "Same verdict as at the scenario's own values.";
      changeEl.className = "";
    } else {
      changeEl.textContent = "The verdict differs from the one at the scenario's own values (" +
        D.templates[D.verdicts[point(D.nominal)]].replace("{}", D.margins[point(D.nominal)]) + ").";
      changeEl.className = "changed";
    }
    draw(ix);
  }

  inputs.forEach(function (el) { el.addEventListener("input", update); });
  document.getElementById("whatif-reset").addEventListener("click", function () {
    for (var i = 0; i < n; i++) { inputs[i].value = String(D.nominal[i]); }
    update();
  });
  update();
})();
"""
