"""Sub-commands of the ``ckm-sim`` command line, one module each (see ckm_sim/cli.py)."""
