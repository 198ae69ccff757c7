"""Scenario discovery: where in the space of inputs the verdict flips, as a few readable boxes.

Given sampled inputs ``X`` (one row per case) and a mask of the cases in which the verdict flips,
:func:`describe_flips` finds up to :data:`MAX_BOXES` boxes -- each a conjunction of at most
:data:`MAX_CONDITIONS` conditions such as ``horizon.discount < 0.6`` or ``strategies.india is
myopic`` -- that hold most of the flips and little else, and says so in one sentence. Each box
has the two measures of scenario discovery [Bryant-Lempert2010]_:

* *coverage*: the share of all flip cases that lie inside the box;
* *density*: the share of the cases inside the box that flip (its purity).

The boxes are leaves of a classification tree (CART [Breiman1984]_, scikit-learn's
:class:`~sklearn.tree.DecisionTreeClassifier`) of depth :data:`MAX_CONDITIONS`, grown on the
inputs (a choice among alternatives enters as one yes/no column per alternative, so that a
condition reads "is myopic" rather than "index > 0.5"). The leaves in which flips are the
majority are simplified -- a condition is dropped while the density stays within
:data:`SIMPLIFY` of the leaf's -- and kept, largest first, while each adds at least
:data:`MIN_GAIN` coverage. Each threshold is rounded to the fewest significant digits that move
at most :data:`ROUND_SHARE` of the cases across it, and coverage and density are counted for the
box as printed.

Why a tree from scikit-learn rather than PRIM: PRIM (Friedman-Fisher 1999) is the classic
algorithm of scenario discovery, but its maintained implementation (``ema_workbench``) brings a
large stack of dependencies for one function; scikit-learn is maintained, has wheels
everywhere, and needs only ``joblib`` and ``narwhals`` beyond what recip already uses. Trees
give disjoint boxes with the same two measures, and a shallow tree gives short sentences. It is
imported only when boxes are sought (about half a second), so ``import recip`` stays fast.

.. [Bryant-Lempert2010] B. P. Bryant, R. J. Lempert, Thinking inside the box: a participatory,
   computer-assisted approach to scenario discovery, Technol. Forecast. Soc. Change 77 (2010)
   34-49.
.. [Breiman1984] L. Breiman, J. Friedman, R. Olshen, C. Stone, Classification and Regression
   Trees, Wadsworth, 1984.

>>> import numpy as np
>>> X = np.random.default_rng(1).random((2000, 3))
>>> flips = (X[:, 0] > 0.3) & (X[:, 1] > 0.6)
>>> d = describe_flips(["a", "b", "c"], X, flips, outcome="balancing wins")
>>> d.boxes[0].text
'a > 0.3 and b > 0.6'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Most boxes in a description.
MAX_BOXES = 3
#: Most conditions in a box (the depth of the tree).
MAX_CONDITIONS = 3
#: Smallest leaf, as a share of the cases (and at least :data:`MIN_LEAF` cases): smaller boxes
#: describe noise, not a region.
LEAF_SHARE = 0.02
MIN_LEAF = 5
#: A condition is dropped from a box while the box's density stays within this of the leaf's.
SIMPLIFY = 0.02
#: A further box is kept only if it adds at least this share of the flip cases.
MIN_GAIN = 0.05
#: A threshold is rounded to fewer digits if that moves at most this share of the cases.
ROUND_SHARE = 0.005
#: Fewest cases worth describing.
MIN_CASES = 10


@dataclass(frozen=True)
class Condition:
    """One condition of a box: ``low < key < high`` for a number (either end may be open,
    ``None``), or ``key`` is one of ``allowed`` (labels) for a choice among ``options``."""

    key: str
    low: float | None = None
    high: float | None = None
    allowed: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if self.options:
            if len(self.allowed) <= len(self.options) - len(self.allowed):
                return f"{self.key} is {' or '.join(self.allowed)}"
            left_out = [o for o in self.options if o not in self.allowed]
            return f"{self.key} is not {' or '.join(left_out)}"
        if self.low is not None and self.high is not None:
            return f"{_number(self.low)} < {self.key} < {_number(self.high)}"
        if self.low is not None:
            return f"{self.key} > {_number(self.low)}"
        return f"{self.key} < {_number(self.high)}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "text": self.text}
        if self.options:
            out["is_one_of"] = list(self.allowed)
        else:
            out.update({"above": self.low, "below": self.high})
        return out


@dataclass(frozen=True)
class Box:
    """A region of inputs: its ``conditions`` (all hold), the ``cases`` inside it, the
    ``flips`` among them, its ``coverage`` and ``density``."""

    conditions: tuple[Condition, ...]
    cases: int
    flips: int
    coverage: float
    density: float

    @property
    def text(self) -> str:
        return " and ".join(c.text for c in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "conditions": [c.to_dict() for c in self.conditions],
            "cases": self.cases,
            "flips": self.flips,
            "coverage": self.coverage,
            "density": self.density,
        }


@dataclass(frozen=True)
class Discovery:
    """Where the verdict flips: the ``boxes``, the ``outcome`` that holds in them ("balancing
    wins"), the number of ``cases`` and of ``flips`` among them, and the :attr:`sentence`."""

    outcome: str
    cases: int
    flips: int
    boxes: tuple[Box, ...]
    #: The share of the flip cases inside some box.
    covered: float = 0.0

    @property
    def sentence(self) -> str:
        """The region in one sentence, e.g. ``balancing wins when horizon.discount < 0.46:
        covers 98% of such cases, 100% pure``."""
        if self.flips == 0:
            return f"The verdict does not flip in any of the {self.cases} sampled cases."
        share = self.flips / self.cases
        if self.flips == self.cases:
            return f"{_capital(self.outcome)} in every one of the {self.cases} sampled cases."
        if not self.boxes:
            return (
                f"{_capital(self.outcome)} in {_percent(share)} of the sampled cases "
                f"({self.flips} of {self.cases}), in no region a box of at most "
                f"{MAX_CONDITIONS} conditions describes."
            )
        parts = [
            f"when {b.text}: covers {_percent(b.coverage)} of such cases, "
            f"{_percent(b.density)} pure"
            for b in self.boxes
        ]
        return (
            f"{_capital(self.outcome)} {'; or '.join(parts)} "
            f"({_percent(share)} of the {self.cases} sampled cases flip)."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "cases": self.cases,
            "flips": self.flips,
            "boxes": [b.to_dict() for b in self.boxes],
            "covered": self.covered,
            "sentence": self.sentence,
            "method": f"classification tree of depth {MAX_CONDITIONS} (scikit-learn)",
        }


@dataclass(frozen=True)
class _Column:
    key: str
    options: tuple[str, ...] = ()


def describe_flips(
    inputs: Sequence[Any],
    X: np.ndarray,
    flips: np.ndarray,
    *,
    outcome: str = "the verdict flips",
    seed: int = 0,
) -> Discovery:
    """The region of inputs in which ``flips`` holds, as boxes (see the module docstring).

    ``inputs`` name the columns of ``X``: a dotted key each, or the
    :class:`~recip.model.inputs.Input` of that column (a choice among alternatives then holds
    the index of an alternative, and conditions name the alternatives). ``outcome`` is what
    holds in the flip cases, for the sentence ("balancing wins").
    """
    columns = [_column(i) for i in inputs]
    X = np.asarray(X, dtype=float).reshape(-1, len(columns))
    flips = np.asarray(flips, dtype=bool).reshape(-1)
    if len(flips) != len(X):
        raise ValueError(f"{len(X)} cases but {len(flips)} flip marks")
    n, k = len(X), int(flips.sum())
    if k == 0 or k == n or n < MIN_CASES:
        return Discovery(outcome, n, k, ())
    leaves = _leaves(columns, X, flips, seed)
    candidates = []
    for leaf in leaves:
        leaf = _simplify(columns, X, flips, leaf)
        candidates.append((int((flips & _inside(columns, X, leaf)).sum()), leaf))
    chosen: list[Box] = []
    union = np.zeros(n, dtype=bool)
    for _, leaf in sorted(candidates, key=lambda c: -c[0]):
        inside = _inside(columns, X, leaf)
        gain = (flips & inside & ~union).sum() / k
        if gain < MIN_GAIN or len(chosen) == MAX_BOXES:
            continue
        union |= inside
        chosen.append(_box(columns, X, flips, leaf))
    return Discovery(outcome, n, k, tuple(chosen), float((flips & union).sum() / k))


# -- the tree and its leaves ----------------------------------------------------------------


def _column(item: Any) -> _Column:
    if isinstance(item, str):
        return _Column(item)
    options = tuple(option_label(o) for o in getattr(item.axis, "options", ()))
    return _Column(item.key, options)


def option_label(option: Any) -> str:
    """An alternative strategy as a reader would name it: ``myopic``, ``aligning(tolerance=0)``.

    >>> option_label({"name": "aligning", "tolerance": 0.0, "note": "why"})
    'aligning(tolerance=0)'
    """
    if not isinstance(option, dict):
        return str(option)
    params = [
        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in option.items()
        if k not in ("name", "claims", "note")
    ]
    name = str(option.get("name", "?"))
    return f"{name}({', '.join(params)})" if params else name


def _features(columns: list[_Column], X: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The tree's features: each number as it is, each choice as one yes/no column per
    alternative; and which (column, alternative or -1) each feature is."""
    feats, where = [], []
    for c, col in enumerate(columns):
        if col.options:
            for o in range(len(col.options)):
                feats.append((X[:, c] == o).astype(float))
                where.append((c, o))
        else:
            feats.append(X[:, c])
            where.append((c, -1))
    return np.column_stack(feats), where


def _leaves(columns: list[_Column], X: np.ndarray, flips: np.ndarray, seed: int) -> list[dict]:
    """Every leaf of the tree as ``{column: (low, high)}`` for numbers and ``{column: set of
    allowed alternatives}`` for choices."""
    from sklearn.tree import DecisionTreeClassifier

    F, where = _features(columns, X)
    leaf_size = max(MIN_LEAF, math.ceil(LEAF_SHARE * len(X)))
    tree = DecisionTreeClassifier(
        max_depth=MAX_CONDITIONS, min_samples_leaf=leaf_size, random_state=seed
    ).fit(F, flips)
    t = tree.tree_
    flip_class = list(tree.classes_).index(True)

    def walk(node: int, bounds: dict) -> list[tuple[dict, bool]]:
        """The leaves under ``node``, each with whether flips are its majority; two sibling
        leaves that both are flip leaves are one box (their parent's)."""
        if t.children_left[node] == -1:
            return [(bounds, int(np.argmax(t.value[node][0])) == flip_class)]
        c, option = where[t.feature[node]]
        threshold = float(t.threshold[node])
        found = []
        for child, side in ((t.children_left[node], "below"), (t.children_right[node], "above")):
            b = dict(bounds)
            if option >= 0:
                allowed = b.get(c, frozenset(range(len(columns[c].options))))
                b[c] = allowed - {option} if side == "below" else allowed & {option}
            else:
                low, high = b.get(c, (None, None))
                cut = _round(X[:, c], threshold)
                if side == "below":
                    high = cut if high is None else min(high, cut)
                else:
                    low = cut if low is None else max(low, cut)
                b[c] = (low, high)
            found.append(walk(child, b))
        left, right = found
        if len(left) == len(right) == 1 and left[0][1] and right[0][1]:
            return [(bounds, True)]
        return left + right

    return [bounds for bounds, flip in walk(0, {}) if flip]


def _round(values: np.ndarray, threshold: float) -> float:
    """A short decimal near the tree's ``threshold``: the one with the fewest significant
    digits that moves at most :data:`ROUND_SHARE` of the cases to the other side (the box's
    numbers are counted with it, so they are exact for the box as printed)."""
    room = ROUND_SHARE * len(values)
    for digits in range(1, 16):
        cut = float(f"{threshold:.{digits}g}")
        moved = np.count_nonzero((values > min(cut, threshold)) & (values <= max(cut, threshold)))
        if moved <= room:
            return cut
    return threshold


def _inside(columns: list[_Column], X: np.ndarray, leaf: dict) -> np.ndarray:
    inside = np.ones(len(X), dtype=bool)
    for c, bound in leaf.items():
        if columns[c].options:
            inside &= np.isin(X[:, c], sorted(bound))
        else:
            low, high = bound
            if low is not None:
                inside &= X[:, c] > low
            if high is not None:
                inside &= X[:, c] < high
    return inside


def _simplify(columns: list[_Column], X: np.ndarray, flips: np.ndarray, leaf: dict) -> dict:
    """Drop the conditions that do not change what the box says: without them its density
    stays within :data:`SIMPLIFY` of the leaf's (a density that changes more, up or down, means
    the box would reach into another region)."""
    leaf = {c: b for c, b in leaf.items() if not _trivial(columns[c], b)}
    target = flips[_inside(columns, X, leaf)].mean()
    while leaf:
        trials = []
        for c in leaf:
            rest = {k: b for k, b in leaf.items() if k != c}
            change = abs(flips[_inside(columns, X, rest)].mean() - target)
            trials.append((change, c, rest))
        change, _, rest = min(trials, key=lambda t: t[0])
        if change > SIMPLIFY:
            break
        leaf = rest
    return leaf


def _trivial(column: _Column, bound) -> bool:
    if column.options:
        return len(bound) == len(column.options)
    return bound == (None, None)


def _box(columns: list[_Column], X: np.ndarray, flips: np.ndarray, leaf: dict) -> Box:
    inside = _inside(columns, X, leaf)
    conditions = []
    for c in sorted(leaf):
        col, bound = columns[c], leaf[c]
        if col.options:
            allowed = tuple(col.options[o] for o in sorted(bound))
            conditions.append(Condition(col.key, allowed=allowed, options=col.options))
        else:
            conditions.append(Condition(col.key, low=bound[0], high=bound[1]))
    cases, hits = int(inside.sum()), int((flips & inside).sum())
    return Box(tuple(conditions), cases, hits, hits / int(flips.sum()), hits / cases)


def _number(x: float) -> str:
    return f"{x:.6g}"


def _percent(share: float) -> str:
    """A share as a whole percentage, never rounded up to 100% or down to 0%."""
    pct = 100 * share
    if 99 < pct < 100:
        return "over 99%"
    if 0 < pct < 1:
        return "under 1%"
    return f"{pct:.0f}%"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
