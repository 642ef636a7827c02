"""``python -m ckm_sim``: the ``ckm-sim`` command line."""

import sys

from ckm_sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
