"""What-if tools for strategists, one folder per verb.

- :mod:`~ckm_sim.whatif.compare`: ``ckm-sim compare``, paired differences between scenarios
  and between the firms of one market;
- :mod:`~ckm_sim.whatif.optimize`: ``ckm-sim optimize``, the best split of a budget and
  candidate investment plans;
- :mod:`~ckm_sim.whatif.calibrate`: ``ckm-sim calibrate``, parameters fitted to a cohort's
  survival;
- :mod:`~ckm_sim.whatif.rivals`: best responses between firms, round after round;
- :mod:`~ckm_sim.whatif.shared`: what they share (paired replications, the search loop, budget
  to levels, payback, the reports' words and figures).

Runs go to the one evaluator of :mod:`ckm_sim.experiments.evaluator` (this process, a process
pool or Dask), planned by a :class:`~ckm_sim.experiments.evaluator.RunPlan`; statistics are
:mod:`ckm_sim.experiments.stats`'s.
"""
