"""``ckm-sim calibrate``: fit parameters to an observed cohort survival curve (``fit``,
``survival``; the shifted-beta-geometric reference in ``sbg``), the fitted scenario as a file
(``scenario_file``) and the report (``report``)."""
