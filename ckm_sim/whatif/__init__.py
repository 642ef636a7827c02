"""What-if tools for strategists: paired comparisons, budget allocation, calibration.

Runs go to the one evaluator of :mod:`ckm_sim.experiments.evaluator` (this process, a process
pool or Dask), planned by a :class:`~ckm_sim.experiments.evaluator.RunPlan`; statistics are
:mod:`ckm_sim.experiments.stats`'s.

- :mod:`~ckm_sim.whatif.paired`: replications of several scenarios with common random numbers;
- :mod:`~ckm_sim.whatif.compare`: ``ckm-sim compare`` (differences, sentences, report);
- :mod:`~ckm_sim.whatif.payback`: when an investment starts to pay (the payback period);
- :mod:`~ckm_sim.whatif.plans`: candidate investment plans (``ckm-sim optimize --plans``);
- :mod:`~ckm_sim.whatif.allocation`: a per-period budget -> competence levels, via the costs;
- :mod:`~ckm_sim.whatif.search`: the seeded ask/tell search ``optimize`` and ``calibrate`` share;
- :mod:`~ckm_sim.whatif.optimize`: ``ckm-sim optimize`` (Optuna over the budget simplex);
- :mod:`~ckm_sim.whatif.survival` and :mod:`~ckm_sim.whatif.calibrate`: ``ckm-sim calibrate``
  (fit parameters to an observed cohort survival curve);
- :mod:`~ckm_sim.whatif.figures` and the ``*_report`` modules: the reports.
"""
