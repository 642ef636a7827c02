"""What-if tools for strategists: paired comparisons, budget allocation, calibration.

- :mod:`~ckm_sim.whatif.stats`: paired differences and their 95% confidence intervals;
- :mod:`~ckm_sim.whatif.parallel`: ordered runs on a process pool (same results for any size);
- :mod:`~ckm_sim.whatif.paired`: replications of several scenarios with common random numbers;
- :mod:`~ckm_sim.whatif.compare`: ``ckm-sim compare`` (differences, sentences, report);
- :mod:`~ckm_sim.whatif.allocation`: a per-period budget -> competence levels, via the costs;
- :mod:`~ckm_sim.whatif.optimize`: ``ckm-sim optimize`` (Optuna over the budget simplex);
- :mod:`~ckm_sim.whatif.survival` and :mod:`~ckm_sim.whatif.calibrate`: ``ckm-sim calibrate``
  (fit parameters to an observed cohort survival curve);
- :mod:`~ckm_sim.whatif.figures` and :mod:`~ckm_sim.whatif.markdown`: the reports.
"""
