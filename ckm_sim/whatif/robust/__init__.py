"""``ckm-sim robust``: alternatives across plausible worlds (assumptions, worlds, runs, scores,
flips, report)."""
