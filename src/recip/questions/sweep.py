"""Sweeps: the focal player's policies compared at every point of a grid (or a design) over any
of the scenario's keys.

At each point the swept keys take their values and everything else keeps the scenario's; each
of the focal player's policies is evaluated *exactly* against the others' strategies there
(:mod:`recip.model.points`), so a point's values equal ``recip.compare`` of the scenario with
those overrides. What a point costs depends on the kind of key (:mod:`recip.model.points`):
payoff keys are nearly free (one solve serves every payoff value), the discount factor costs one
solve per distinct value, a strategy or one of its parameters a compilation per distinct
combination (sharing chains where the automata come out the same), and any other key (noise,
nature, ...) a rebuilt scenario and its chains per distinct combination of such values.

Points are cut into chunks (:mod:`recip.model.chunks`) that any executor runs -- this process, a
local process pool, or a Dask cluster -- and each chunk's values depend on its points only, so
the answer is the same bytes whatever runs it. With ``out``, every finished chunk is checkpointed
as it completes, and ``resume=True`` finishes an interrupted sweep without computing a finished
chunk again. The values are exact: no chunk draws random numbers (a design's points are drawn
once, from ``seed``, before the points are cut into chunks).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.text import join_words
from ..model.chunks import fingerprint, values_at
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.setting import as_setting
from ..parallel import ChunkStore, default_workers
from ..parallel.store import MANIFEST
from ..scenario.load import Scenario
from .checks import check_flag
from .sweep_plan import SweepPlan, lookup, plan_sweep
from .sweep_result import Sweep
from .sweep_spec import Swept

#: The folder, under ``out``, of a sweep's checkpoints.
CHECKPOINTS = "checkpoints"


class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C: ``saved`` of its ``total`` chunks are checkpointed in
    ``folder`` (``resume=True`` finishes it)."""

    def __init__(self, saved: int, total: int, folder: Path):
        super().__init__(f"{saved} of {total} chunks saved in {folder}")
        self.saved, self.total, self.folder = saved, total, folder


def sweep(
    scenario: Scenario | str,
    grid: Mapping[str, Any] | None = None,
    *,
    design: str | None = None,
    samples: int | None = None,
    seed: int = 0,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk: int | None = None,
) -> Sweep:
    """Every policy's exact values at every point of a sweep over ``grid``'s keys.

    ``grid`` maps dotted keys to what they take (:mod:`recip.questions.sweep_spec`): a range
    ``"low:high:count"``, values ``"v1,v2,..."`` or a list of values; several keys make the full
    product, the first key varying slowest. With ``design`` (``"sobol"``, ``"lhs"``,
    ``"random"``), ``samples`` points are drawn from ``seed`` instead, each key over its range
    ``"low:high"`` (or among its values). Everything is checked before any work
    (:func:`~recip.questions.sweep_plan.plan_sweep`): a bad key, range or value is a
    :class:`~recip.core.errors.ScenarioError`.

    ``executor``, ``workers`` (default: the cores available) and ``scheduler``: where the chunks
    run (:func:`recip.parallel.run`). ``out``: checkpoint each finished chunk under
    ``out/checkpoints/`` (removed when the sweep completes); ``resume=True`` reuses the ones
    found there. ``chunk``: points per chunk (default
    :func:`~recip.questions.sweep_plan.chunk_size`). ``progress(k)`` is called as ``k`` more
    points are done.

    >>> import recip
    >>> sw = recip.sweep("prisoners-dilemma", {"horizon.discount": "0.1:0.9:5"},
    ...                  policies=["always:defect", "aligning"], workers=1)
    >>> sw.winners()
    ['always:defect', 'always:defect', 'always:defect', 'aligning', 'aligning']
    """
    check_flag(resume, "resume")
    if resume and out is None:
        raise ScenarioError("resume needs the folder of the checkpoints (out)", key="resume")
    plan = plan_sweep(
        scenario,
        grid,
        design=design,
        samples=samples,
        seed=seed,
        focal=focal,
        policies=policies,
        chunk=chunk,
    )
    return run_sweep(
        plan,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        out=out,
        resume=resume,
        progress=progress,
    )


def run_sweep(
    plan: SweepPlan,
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
    keep: bool = False,
) -> Sweep:
    """Run a checked sweep (see :func:`sweep`); ``keep`` leaves the checkpoints in place (the
    command line removes them once its files are written)."""
    axes, X = plan.axes, plan.points
    store = None
    fresh = True
    if out is not None:
        work = fingerprint(plan.base, axes, X, plan.focal_given, plan.policies, False)
        store = ChunkStore(
            Path(out) / CHECKPOINTS, f"{work}/chunk={plan.chunk}", plan.chunks, resume=resume
        )
        done = len(store.done())
        fresh = done == 0
        if resume:
            warnings.warn(
                f"resumed: {done} of {plan.chunks} chunks read from {store.folder}"
                if done
                else f"nothing to resume in {store.folder}: the sweep runs from the start",
                stacklevel=2,
            )
    if workers is None and not (executor == "dask" and scheduler is not None):
        workers = default_workers()
    try:
        values = values_at(
            plan.base,
            axes,
            X,
            focal=plan.focal_given,
            policies=plan.policies,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            store=store,
            chunk=plan.chunk,
            progress=progress,
        )
    except KeyboardInterrupt:
        if store is None:
            raise
        raise SweepInterrupted(len(store.done()), plan.chunks, store.folder) from None
    except ScenarioError:
        if store is not None and fresh:
            remove_checkpoints(store.folder)  # a point the checks could not foresee
        raise
    if store is not None and not keep:
        remove_checkpoints(store.folder)
    return _result(plan, values)


def _result(plan: SweepPlan, values: np.ndarray) -> Sweep:
    setting = as_setting(plan.base)
    parsed, _ = setting.policy_list(plan.policies)
    profile = setting.profile({plan.focal: parsed[0]})
    own_values = np.array(
        [compile_profile(setting, setting.profile({plan.focal: p})).values() for p in parsed]
    )
    notes = list(plan.notes)
    own = tuple(_own(plan.base, setting, profile, item) for item in plan.inputs)
    if any(x is None for x in own):
        unknown = [item.key for item, x in zip(plan.inputs, own, strict=True) if x is None]
        notes.append(
            f"the scenario's own value of {join_words(unknown)} is not among the swept values "
            "or not set in the file: its own point is not marked"
        )
    conditions = setting.conditions(
        profile,
        focal=plan.focal,
        discount_varies=any(a.kind == "discount" for a in plan.axes),
    )
    return Sweep(
        title=f"{setting.title}: {plan.focal}'s policies {', '.join(plan.labels)} over "
        f"{' x '.join(a.key for a in plan.axes)}",
        conditions=_swept_conditions(conditions, plan.inputs),
        scenario_name=plan.scenario.name,
        focal=plan.focal,
        players=plan.players,
        policies=plan.labels,
        inputs=plan.inputs,
        design=plan.design or "grid",
        seed=plan.seed if plan.design is not None else None,
        points=plan.points,
        values=values,
        own_point=own,
        own_values=own_values,
        structures=plan.structures,
        solves=plan.solves,
        chunks=plan.chunks,
        notes=tuple(notes),
    )


def _swept_conditions(conditions: Conditions, inputs: Sequence[Swept]) -> Conditions:
    """The conditions, with what is swept of each other player's strategy said
    (``india plays aligning with tolerance swept``; ``a swept strategy``)."""
    own = [s.key.split(".")[2] for s in inputs if s.key.startswith("horizon.discount.")]
    if own:  # players' own discount factors swept: say so, and give the others'
        discounts = conditions.discounts or tuple(
            (p, conditions.discount) for p, _ in conditions.noise
        )
        conditions = replace(
            conditions, discount=None, discounts=discounts, swept=tuple(own), weighted_by=None
        )
    swept: dict[str, list[str]] = {}
    for s in inputs:
        parts = s.key.split(".")
        if parts[0] == "strategies" and len(parts) >= 2:
            swept.setdefault(parts[1], []).append(".".join(parts[2:]))
    if not swept:
        return conditions
    others = []
    for p, label in conditions.others:
        if p in swept and "" in swept[p]:
            label = "a swept strategy"
        elif p in swept:
            label = f"{label.split('(')[0]} with {join_words(swept[p])} swept"
        others.append((p, label))
    return replace(conditions, others=tuple(others))


def _own(scenario: Scenario, setting, profile, item: Swept) -> float | None:
    """The scenario's own value of a swept key (an option's index for options), or None."""
    key = item.key
    if item.axis.kind == "payoff":
        return scenario.payoff_slots[key][1]
    parts = key.split(".")
    if item.axis.kind == "discount":  # every player's: none when they have their own
        return None if setting.own_discounts else setting.discount
    if parts[:2] == ["horizon", "discount"] and len(parts) == 3 and parts[2] in setting.players:
        return setting.discount_of(parts[2])
    current = lookup(scenario.data, key)
    if item.axis.options:
        if parts[0] == "strategies" and len(parts) == 2 and parts[1] in setting.players:
            mine = profile[setting.players.index(parts[1])].identity
            for k, option in enumerate(item.axis.options):
                try:
                    if setting.parse(option, key).identity == mine:
                        return float(k)
                except ScenarioError:
                    continue
            return None
        matches = [k for k, o in enumerate(item.axis.options) if o == current]
        return float(matches[0]) if matches else None
    if isinstance(current, Mapping):
        current = current.get("value")
    param = parts[0] == "strategies" and len(parts) == 3 and parts[1] in setting.players
    if current is None and param:
        current = getattr(profile[setting.players.index(parts[1])], parts[2], None)
    if isinstance(current, int | float) and not isinstance(current, bool):
        return float(current)
    return None


def remove_checkpoints(folder: Path) -> None:
    """Remove a finished sweep's checkpoints: the store's own files, then its folder if empty
    (nothing else under ``out`` is touched)."""
    folder = Path(folder)
    # finished chunks, and the temporary file of a chunk being written when a run was killed
    for path in (*folder.glob("chunk-*.npy"), *folder.glob(".chunk-*")):
        path.unlink(missing_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()
