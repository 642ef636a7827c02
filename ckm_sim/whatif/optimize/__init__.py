"""``ckm-sim optimize``: the best split of a per-period budget (``budget``), searched on a
response surface (``surface``, ``surface_search``) or by Optuna, polished (``polish``),
checked for agreement (``convergence``); candidate investment plans (``plans``); its report
(``report``)."""
