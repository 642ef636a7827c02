"""Experiments: sweeps, replications and sensitivity analysis over scenario parameters.

One module per job, in the order data flows through them:

- :mod:`~ckm_sim.experiments.spec`: the experiment file (TOML) and its validation;
- :mod:`~ckm_sim.experiments.designs`: design points (full factorial, one-at-a-time, Latin
  hypercube, Sobol/Saltelli and Morris through SALib, or a CSV of points);
- :mod:`~ckm_sim.experiments.execute`: batches of runs and the evaluators that run them (in this
  process, a local process pool, or a Dask cluster), all behind ``concurrent.futures``;
- :mod:`~ckm_sim.experiments.store`: the results folder (Parquet parts, manifest, resume);
- :mod:`~ckm_sim.experiments.runner`: the sweep loop (submit, collect, save, progress bar);
- :mod:`~ckm_sim.experiments.analysis`: means and CIs, paired differences, Sobol/Morris indices;
- :mod:`~ckm_sim.experiments.report`: the Markdown report and its seaborn figures.
"""

from ckm_sim.experiments.spec import Experiment, ExperimentError, load_experiment

__all__ = ["Experiment", "ExperimentError", "load_experiment"]
