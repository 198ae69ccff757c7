"""The sentences of ``recip explain``: from claims to parameters to the verdict.

Each function returns the sentences of one part of an
:class:`~recip.questions.explain.Explanation` (the verdict and how sure it is, the claims and the
keys they set, what the verdict depends on most, whether the reciprocity is credible, which
counter-scenario answers which claim), so that the text printer and the HTML report say the
same thing in the same words.
"""

from __future__ import annotations

from ..core.text import join_words
from ..questions.explain import Explanation, InputWeight
from ..questions.related import Related
from .base import body
from .tables import wrap

#: Headings of the parts, in the order they are printed.
SECTIONS = (
    "The verdict",
    "From claims to parameters",
    "What the verdict depends on most",
    "Is the reciprocity credible?",
    "Counter-scenarios",
)


def verdict_sentences(e: Explanation) -> list[str]:
    out = [f"The verdict: {e.verdict}"]
    if e.conclusion:
        out.append(f"The argument's conclusion ({e.citation}, in our words): {e.conclusion}")
    if e.uncertainty is not None:
        u = e.uncertainty
        out.append(
            f"How sure: {u.summary[0].upper()}{u.summary[1:]} Each draw is exact; the draws "
            "follow the ranges the scenario declares for its uncertain inputs."
        )
    return out


def claim_sentences(e: Explanation) -> list[tuple[str, str]]:
    """One ``(claim id, sentence)`` per claim of the claim map."""
    out = []
    for t in e.trails:
        text = f"{t.summary} In the model: {t.model}"
        if t.keys:
            keys = "; ".join(
                f"{k.key} = {k.value if k.value is not None else '(not set in this scenario)'}"
                + ("" if k.cited else " (the claim map says it informs this key)")
                for k in t.keys
            )
            text += f" It sets {keys}."
        if not t.cited:
            text += " This scenario does not cite it."
        out.append((t.id, text))
    return out


def dependence_sentences(e: Explanation) -> list[str]:
    """The claims ranked by what they do to the verdict, in three sentences, then one sentence
    per input."""
    if e.sensitivity is None:
        return [
            "The scenario declares no uncertain inputs (no ranges, no alternative strategies), "
            "so recip cannot rank its claims by what they do to the verdict."
        ]
    flips = _claims(w for w in e.weights if w.flips)
    moves = [c for c in _claims(w for w in e.weights if not w.flips and not w.inert)]
    moves = [c for c in moves if c not in flips]
    inert = [c for c in _claims(w for w in e.weights if w.inert) if c not in {*flips, *moves}]
    out = []
    if flips:
        out.append(
            f"The verdict depends most on {join_words(flips)}: each sets an input that flips "
            "it within the range the scenario declares."
        )
    else:
        out.append("No claim sets an input that flips the verdict within its declared range.")
    if moves:
        out.append(
            f"Next: {join_words(moves)}, whose inputs move the verdict but do not reverse it "
            "within their ranges."
        )
    if inert:
        out.append(
            f"It does not depend on {join_words(inert)}: their inputs cannot move it under "
            "the compared strategies."
        )
    if e.untested:
        out.append(
            f"Not tested here: {join_words(list(e.untested))} (the scenario declares no range "
            "for what they set)."
        )
    sens = e.sensitivity
    out.append(
        f"Measured by {sens.quantity}: each input at the ends of its declared range, the "
        "others nominal (exact), largest effect first:"
    )
    out += [weight_sentence(w) for w in e.weights]
    return out


def weight_sentence(w: InputWeight) -> str:
    who = f"set by {join_words(list(w.claims))}" if w.claims else "set by no claim"
    if w.inert:
        return f"{w.key} ({who}) cannot move the verdict: {w.inert}."
    if w.flips:
        return f"{w.key} ({who}) {w.flips} within its range (swing {w.swing:.4g})."
    beyond = f"; beyond its range it would flip {w.beyond}" if w.beyond else ""
    return f"{w.key} ({who}) moves the verdict by up to {w.swing:.4g} but does not flip it{beyond}."


def credibility_sentences(e: Explanation) -> list[str]:
    cred = e.credibility
    if cred is None:
        return [
            "Not checked: " + "; ".join(n for n in e.notes if "credib" in n)
            if any("credib" in n for n in e.notes)
            else "Not checked (a finite horizon, or a chain too large to check unasked)."
        ]
    k = cred.policies.index(e.best) if e.best in cred.policies else 0
    policy = cred.policies[k]
    bad = [c for c in cred.checks[k] if c.player != cred.focal and not c.credible]
    lead = "The verdict assumes that every partner carries out its strategy."
    if bad:
        names = join_words([f"{c.player}'s {c.strategy}" for c in bad])
        verb = "are" if len(bad) > 1 else "is"
        lead += (
            f" Under {policy}, the winning policy, {names} {verb} not credible: a partner that "
            "maximises its own payoff would not carry it out, so the verdict rests on a "
            "reciprocity that is not self-enforcing (recip compare --partners best-respond "
            "gives the reading where the partners optimise)."
        )
    else:
        lead += (
            f" Under {policy}, the winning policy, every partner's strategy is credible: a best "
            "response to the others' and subgame perfect."
        )
    return [lead, *(line[0].upper() + line[1:] for line in cred.lines())]


def counter_sentences(e: Explanation) -> list[str]:
    out = [related_sentence(r) for r in e.related]
    if not e.related:
        out.append("No bundled scenario extends or counters this one.")
    if e.open_counterpoints:
        out.append(
            "Counterpoints of the claim map that name no bundled scenario (a parameter or a "
            "scenario of your own can test them): " + " ".join(e.open_counterpoints)
        )
    return out


def related_sentence(r: Related) -> str:
    what = role_text(r.role)
    if r.answers:
        claims = f"answers {join_words(list(r.answers))} (claim map)"
    elif r.touches:
        claims = f"changes what {join_words(list(r.touches))} set"
    else:
        claims = "answers no claim of the map"
    result = f"{r.best} is best for {r.focal} by {r.margin:.4g} per round"
    same = "the verdict is reversed" if r.flips else "the same verdict"
    stance = f"; {r.stance}" if r.stance and r.role != "counterpoint" else ""
    return f"{r.name} ({r.title}; {what}{stance}) {claims}: {result}, {same}."


def role_text(role: str) -> str:
    return {
        "extends it": "extends this scenario",
        "its base": "the scenario this one extends",
    }.get(role, "a counterpoint of the same claim map")


def effect_text(w: InputWeight) -> tuple[str, str]:
    """What one input does to the verdict, short: ``(kind, text)``, kind one of ``flips``,
    ``moves``, ``inert``."""
    if w.inert:
        return "inert", f"{w.key}: cannot move it ({w.inert})"
    if w.flips:
        return "flips", f"{w.key}: {w.flips} within its range"
    beyond = f"; would flip {w.beyond}, beyond its range" if w.beyond else ""
    return "moves", f"{w.key}: moves it by up to {w.swing:.4g}{beyond}"


def _claims(weights) -> list[str]:
    out: dict[str, None] = {}
    for w in weights:
        out.update(dict.fromkeys(w.claims))
    return list(out)


@body.register
def _explanation(e: Explanation, *, verbose: bool = False) -> list[str]:
    lines: list[str] = []
    parts = [
        verdict_sentences(e),
        [f"{cid}: {text}" for cid, text in claim_sentences(e)],
        dependence_sentences(e),
        credibility_sentences(e),
        counter_sentences(e),
    ]
    spaced = (False, True, False, False, True)  # a blank line between claims, counters
    for heading, sentences, space in zip(SECTIONS, parts, spaced, strict=True):
        lines += [heading, ""]
        for s in sentences:
            lines += [*wrap(s, indent="  "), *([""] if space else [])]
        if not space:
            lines.append("")
    return lines[:-1]
