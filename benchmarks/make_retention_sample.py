"""Regenerate data/retention_sample.csv: the synthetic cohort retention ``ckm-sim calibrate``'s
examples fit, simulated from the current model at the values its header documents.

The cohort is the baseline's initial customers (docs/whatif.md, "Retention file format"); the
file holds the mean survival curve of ``REPLICATIONS`` runs (seeds ``replication_seed(SEED,
r)``), scaled to a cohort of 1,000 and rounded. Rerun after a deliberate change of the model's
churn (the file was stale once: made on the model of issue 5, its documented values no longer
fitted it on later models; docs/whatif.md says how it was found).

    .venv/bin/python benchmarks/make_retention_sample.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ckm_sim.model.runs import replication_seed
from ckm_sim.model.scenario import load_scenario
from ckm_sim.whatif.calibrate.survival import simulate_with

#: The documented generating values (the file's header says them too).
VALUES = {"churn_floor": 0.004, "competitor_pull": 0.07}
PERIODS, REPLICATIONS, SEED, COHORT = 36, 8, 2026, 1000
PATH = Path(__file__).resolve().parents[1] / "data" / "retention_sample.csv"


def sample_text(periods: int = PERIODS) -> str:
    """The CSV text: a header of comments, then ``period,active`` rows for periods 0..``periods``
    (a shorter run gives the same first rows: the scenario's horizon, not the run's, sizes it)."""
    scenario = load_scenario("baseline")
    curves = [
        simulate_with(scenario, VALUES, replication_seed(SEED, r), periods)
        for r in range(REPLICATIONS)
    ]
    active = np.rint(COHORT * np.mean(curves, axis=0)).astype(int)
    values = ", ".join(f"{k}={v:g}" for k, v in VALUES.items())
    header = [
        "# Sample cohort retention (synthetic: the mean survival of the initial customers of",
        f"# scenarios/baseline.toml with {values}, over {REPLICATIONS} runs",
        f"# (seeds replication_seed({SEED}, r)), scaled to a cohort of {COHORT}; regenerate with",
        "# benchmarks/make_retention_sample.py).",
        "# period: periods since the cohort was acquired (0 = acquisition, holds the cohort size)",
        "# active: customers of the cohort still active at the end of the period",
        "period,active",
    ]
    rows = [f"{t},{a}" for t, a in enumerate(active)]
    return "\n".join(header + rows) + "\n"


if __name__ == "__main__":
    PATH.write_text(sample_text(), encoding="utf-8")
    print(f"wrote {PATH}")
