"""A stop signal that arrives while tasks are handed to the pool is held until they are all
handed over, then raised (a KeyboardInterrupt inside ``submit`` could leave the pool's locks
taken and its shutdown hanging)."""

from __future__ import annotations

import os
import signal

import pytest

from ckm_sim.lifeline import deferred_stop


def test_a_signal_inside_is_raised_on_leaving_not_before() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt), deferred_stop():
        os.kill(os.getpid(), signal.SIGTERM)
        reached.append("after the signal")  # the block is not cut short
    assert reached == ["after the signal"]


def test_no_signal_no_interrupt_and_handlers_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with deferred_stop():
        pass
    assert signal.getsignal(signal.SIGTERM) is before
