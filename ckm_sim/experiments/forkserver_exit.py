"""Imported by the forkserver as a preload module (:data:`~ckm_sim.experiments.evaluator
.PRELOAD`): when the command that started it ends, even by ``kill -9``, the forkserver exits at
once instead of tearing down the model it has loaded.

The forkserver sees its command and workers end as end-of-file on a pipe and raises
``SystemExit``; the first thing its interpreter then does is run the ``atexit`` handlers, the
last registered first, so this one ends the process before anything else is torn down. The
forkserver holds no data of its own: results live in the command's process. Imported anywhere
else (not from the forkserver's ``main``), the module does nothing.
"""

from __future__ import annotations

import atexit
import os
import sys


def preloaded_by_forkserver() -> bool:
    """Whether this import runs inside ``multiprocessing.forkserver.main`` (its preload)."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "main" and code.co_filename.endswith(
            os.path.join("multiprocessing", "forkserver.py")
        ):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


if preloaded_by_forkserver():
    atexit.register(os._exit, 0)
