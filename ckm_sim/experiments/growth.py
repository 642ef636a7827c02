"""Sweeps that grow: more replications, or more samples, added to a stored sweep.

``ckm-sim sweep EXP --resume`` with more replications than the stored sweep (in the file or with
``--replications N``) adds replications ``R_old .. R_new - 1`` to every point; with more samples
(``--samples N``, sampled designs only) it appends a new block of ``N - N_old`` points drawn
with the next block's seed (:func:`ckm_sim.experiments.designs.block_seed`). What is stored is
never rerun: replication ``r`` of point ``p`` runs on ``replication_seed(base_seed, r)`` whether
it ran at once or was added later, so a sweep of 2 replications grown to 4 holds the very runs
of a sweep of 4. Samples are reproducible from the blocks the manifest records (a design of
4 + 4 Latin-hypercube points is its own design, not the one of 8 drawn at once).

A run's id is ``point * replications + replication``; when replications grow, the stored parts
are renumbered (each rewritten then renamed, idempotent, so a kill during it is repaired by the
next ``--resume``). Nothing else may change: experiment, scenario and the stored points must be
those of the stored sweep, else it is refused as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ckm_sim.errors import CKMError
from ckm_sim.experiments.spec import SAMPLED_METHODS, Experiment
from ckm_sim.experiments.stats import replications_for
from ckm_sim.experiments.store import ResultsStore


@dataclass(frozen=True)
class Stored:
    """The size of a stored sweep: replications and, for a sampled design, its sample blocks."""

    replications: int
    blocks: list[int] | None

    @property
    def samples(self) -> int | None:
        """Samples drawn in all (None for a design that is not sampled)."""
        return sum(self.blocks) if self.blocks is not None else None


def stored_size(manifest: dict[str, Any]) -> Stored:
    """The replications and sample blocks a manifest records (a sweep made before blocks
    existed has one block of its spec's samples)."""
    spec = manifest.get("spec") or {}
    design = spec.get("design") or {}
    blocks = manifest.get("design_blocks")
    if blocks is None and design.get("method") in SAMPLED_METHODS and design.get("samples"):
        blocks = [int(design["samples"])]
    return Stored(int(manifest.get("replications", spec.get("replications", 1))), blocks)


def size_free(spec: dict[str, Any]) -> dict[str, Any]:
    """An experiment's spec (``model_dump(mode="json")``) without what may grow."""
    design = {k: v for k, v in (spec.get("design") or {}).items() if k != "samples"}
    return {k: v for k, v in spec.items() if k != "replications"} | {"design": design}


def with_size(
    exp: Experiment,
    replications: int | None = None,
    samples: int | None = None,
) -> Experiment:
    """``exp`` with ``replications`` and ``samples`` (when given) replacing the file's;
    ``samples`` of a design that is not sampled is a one-line error."""
    update: dict[str, Any] = {}
    if replications is not None:
        update["replications"] = replications
    if samples is not None:
        if exp.design.method not in SAMPLED_METHODS:
            raise CKMError(
                f"--samples: a {exp.design.method} design has no samples (only "
                f"{', '.join(SAMPLED_METHODS)} designs do); change its levels in the file"
            )
        update["design"] = exp.design.model_copy(update={"samples": samples})
    if not update:
        return exp
    changed = exp.model_copy(update=update)
    changed._path, changed._text = exp.path, exp.text  # private attributes are not copied
    return changed


def grown(
    exp: Experiment,
    root: Path,
    resume: bool,
    replications: int | None = None,
    samples: int | None = None,
) -> tuple[Experiment, list[int] | None]:
    """The experiment to run into ``root`` and its sample blocks (None: one block).

    ``replications`` and ``samples``: given on the command line (else the file's). Without
    ``resume`` or a stored sweep they just replace the file's values. Resuming a stored sweep of
    the same experiment, the stored size is the least: a larger one grows it (a new block of
    samples); a smaller one given on the command line is refused, a smaller one in the file
    (a sweep grown before) continues the stored sweep.
    """
    exp = with_size(exp, replications, samples)
    store = ResultsStore(root)
    if not resume or not store.exists():
        return exp, None
    manifest = store.read_manifest()
    if size_free(manifest.get("spec") or {}) != size_free(exp.model_dump(mode="json")):
        return exp, None  # another experiment: the runner refuses it, naming the folder
    old = stored_size(manifest)
    if replications is not None and replications < old.replications:
        raise CKMError(
            f"--replications {replications}: {root} already holds {old.replications} "
            "replications; a sweep grows, it never shrinks"
        )
    if samples is not None and old.samples is not None and samples < old.samples:
        raise CKMError(
            f"--samples {samples}: {root} already holds {old.samples} samples "
            f"(blocks {'+'.join(map(str, old.blocks or []))}); a sweep grows, it never shrinks"
        )
    reps = max(exp.replications, old.replications)
    blocks = old.blocks
    if blocks is not None and exp.design.samples is not None and exp.design.samples > sum(blocks):
        blocks = [*blocks, exp.design.samples - sum(blocks)]
    total = sum(blocks) if blocks is not None else None
    exp = with_size(exp, reps, total)
    return exp, blocks if blocks is not None and len(blocks) > 1 else None


def next_replications(
    current: int, worst: float, target: float, cap: int, tolerance: float = 1e-12
) -> int | None:
    """Replications to grow to so that the worst relative CI half-width ``worst`` (at
    ``current`` replications) reaches ``target``: the estimate of
    :func:`~ckm_sim.experiments.stats.replications_for` (the square law with the t quantile of
    the new count), at least one more, at most ``cap``; None when the target is reached or the
    cap is.

    A NaN ``worst`` (fewer than 2 replications, a mean of 0) asks for one more replication
    (two at least), to have a CI to judge."""
    if current >= cap:
        return None
    if math.isnan(worst):
        return min(cap, max(current + 1, 2))
    if worst <= target + tolerance:
        return None
    needed = replications_for(current, worst, target, cap=cap)
    return min(cap, max(current + 1, needed))
