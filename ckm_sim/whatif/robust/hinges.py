"""Which assumptions a claim hinges on: Morris elementary effects of its margin.

Morris's (1991) screening with Campolongo, Cariboni & Saltelli's (2007) ``mu*``:
:func:`morris_worlds` draws ``r`` trajectories through a ``p``-level grid of the unit hypercube
(SALib), each moving one parameter at a time by ``Delta = p / (2 (p - 1))`` of its range, and
maps them onto the assumptions' ranges as the Latin hypercube's worlds are
(:func:`~ckm_sim.whatif.robust.worlds.worlds_at`: in log(value) for a log range). A parameter's
elementary effect on a claim's margin (:mod:`~ckm_sim.whatif.robust.claims`) is the change of
the margin per unit of its (unit-scaled) range: an effect of 10 says that moving the parameter
across its whole range moves the margin by about 10. Per parameter, :func:`hinges` gives
``mu_star`` (the mean absolute effect: how much the parameter moves the margin), ``mu`` (the
mean signed effect: which way), ``sigma`` (how much the effect depends on where the other
parameters are: interactions and curvature) and ``share`` (``mu_star`` over the sum over
parameters), through :func:`ckm_sim.experiments.analysis.morris_indices`.

Why Morris rather than Sobol: ``r (k + 1)`` worlds screen ``k`` parameters (a dozen
parameters, eight trajectories: about a hundred worlds), where Sobol's first and total indices
need ``N (k + 2)`` (over a thousand worlds at ``N`` = 100) per alternative. Morris ranks the
parameters by influence and says which way they push; it does not apportion the margin's
variance, and a parameter with ``mu_star`` near the seed noise of an effect is not told apart
from one that does nothing.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ckm_sim.errors import CKMError
from ckm_sim.experiments.analysis import morris_indices
from ckm_sim.whatif.robust.assumptions import Assumptions
from ckm_sim.whatif.robust.worlds import check_worlds, worlds_at

#: Grid levels of the Morris design (the usual choice: steps of two thirds of a range).
LEVELS = 4


def morris_worlds(
    assumptions: Assumptions, trajectories: int, levels: int = LEVELS, seed: int | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """``trajectories`` Morris trajectories over the assumptions (``seed`` None: the file's):
    the points in the unit hypercube (SALib's order, which :func:`hinges` needs) and the worlds
    they are (``world`` 0.., one column per parameter)."""
    from SALib.sample import morris

    names = assumptions.names
    if trajectories < 2:
        raise CKMError(f"Morris needs at least 2 trajectories, got {trajectories}")
    check_worlds(trajectories * (len(names) + 1))
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unit = morris.sample(
            problem,
            trajectories,
            num_levels=levels,
            seed=assumptions.seed if seed is None else seed,
        )
    return unit, worlds_at(assumptions, unit)


def hinges(
    unit: np.ndarray, margins: pd.DataFrame, names: list[str], levels: int = LEVELS
) -> pd.DataFrame:
    """Per claim (a column of ``margins``, one row per point of ``unit`` in the same order) and
    parameter (``names``, the columns of ``unit``): ``mu_star``, ``mu_star_conf``, ``mu``,
    ``sigma`` and ``share``, the parameters of each claim from the most influential down."""
    if len(margins) != len(unit):
        raise CKMError(
            f"Morris needs the margin at every point of its trajectories: {len(margins)} of "
            f"{len(unit)} (a run failed?)"
        )
    frames = []
    for claim in margins.columns:
        y = margins[claim].to_numpy(dtype=np.float64)
        table = morris_indices(unit, y, names, levels)
        total = float(table["mu_star"].sum())
        table["share"] = table["mu_star"] / total if total > 0 else 0.0
        table.insert(0, "claim", claim)
        frames.append(table.sort_values("mu_star", ascending=False, kind="stable"))
    return pd.concat(frames, ignore_index=True).rename(columns={"factor": "parameter"})
