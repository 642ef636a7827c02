"""Experiments: sweeps, replications and sensitivity analysis over scenario parameters.

One module per job, in the order data flows through them:

- :mod:`~ckm_sim.experiments.spec`: the experiment file (TOML) and its validation;
- :mod:`~ckm_sim.experiments.designs`: design points (full factorial, one-at-a-time, Latin
  hypercube, Sobol/Saltelli and Morris through SALib, or a CSV of points);
- :mod:`~ckm_sim.experiments.evaluator`: the one evaluator of every command (this process, a
  local forkserver pool, or a Dask cluster, behind ``concurrent.futures``) and the
  :class:`~ckm_sim.experiments.evaluator.RunPlan` (replications, seed, periods, workers);
- :mod:`~ckm_sim.experiments.execute`: batches of runs of a sweep, one row each;
- :mod:`~ckm_sim.experiments.store`: the results folder (the run row, Parquet parts, manifest);
- :mod:`~ckm_sim.experiments.runner`: the sweep loop (submit, collect, save, progress bar);
- :mod:`~ckm_sim.experiments.stats`: means, paired differences and their confidence intervals
  (shared with the what-if commands);
- :mod:`~ckm_sim.experiments.analysis`: means and CIs, paired differences, Sobol/Morris indices;
- :mod:`~ckm_sim.experiments.discovery`: PRIM boxes and a tree of where an outcome is high;
- :mod:`~ckm_sim.experiments.report`: the Markdown report and its seaborn figures.
"""

from ckm_sim.experiments.spec import Experiment, ExperimentError, load_experiment

__all__ = ["Experiment", "ExperimentError", "load_experiment"]
