"""The competition validity checks of docs/validation.md (issue 11), with more seeds than the
tests: symmetry, share shift, one-firm recovery. Prints the figures the section reports.

    .venv/bin/python benchmarks/competition_checks.py [--seeds 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from competition_helpers import NO_LEARNING, SMALL, market  # noqa: E402

from ckm_sim import CKMModel  # noqa: E402
from ckm_sim.model.scenario import Scenario  # noqa: E402

RECOVERED = (
    "mean_retention_rate",
    "mean_satisfaction",
    "mean_perceived_value",
    "offer_fit",
    "code_accuracy",
    "employee_accuracy",
    "clv",
    "final_active_customers",
)


def summaries(scenario: Scenario, seeds: range) -> list[dict]:
    """Summary rows of ``scenario`` on each seed."""
    return [CKMModel(scenario, rng=s, collect=False).run().summary() for s in seeds]


def column(rows: list[dict], key: str) -> np.ndarray:
    """One summary column over the rows."""
    return np.array([r[key] for r in rows], dtype=np.float64)


def se(values: np.ndarray) -> float:
    """Standard error of the mean."""
    return float(values.std(ddof=1) / np.sqrt(len(values)))


SHIFTED = ("a.final_market_share", "b.final_active_customers", "a.clv", "b.clv")


def checks(seeds: range) -> dict[str, dict[str, tuple[float, float]]]:
    """The three checks' figures, each ``(mean, SE)``: ``symmetry`` (the first firm's final
    share, two like firms), ``shift`` (paired differences when firm ``a`` raises learning culture
    and IT to 0.9), ``alone`` and ``against`` (one firm alone, and the same firm against a rival
    that never learns)."""
    even = summaries(market({"name": "a"}, {"name": "b"}), seeds)
    share = column(even, "a.final_market_share")
    raised = summaries(
        market({"name": "a", "learning_culture": 0.9, "it_systems": 0.9}, {"name": "b"}), seeds
    )
    shift = {}
    for key in SHIFTED:
        d = column(raised, key) - column(even, key)
        shift[key] = (float(d.mean()), se(d))
    alone = summaries(Scenario().with_overrides(**SMALL), seeds)
    duopoly = market(
        {"name": "a", "initial_share": 0.5},
        {"name": "rival", "initial_share": 0.5, **NO_LEARNING},
        customers=2 * SMALL["customers"],
        prospects=2 * SMALL["prospects"],
    )
    against = summaries(duopoly, seeds)
    return {
        "symmetry": {"a.final_market_share": (float(share.mean()), se(share))},
        "shift": shift,
        "alone": {k: (float(column(alone, k).mean()), se(column(alone, k))) for k in RECOVERED},
        "against": {
            k: (float(column(against, f"a.{k}").mean()), se(column(against, f"a.{k}")))
            for k in RECOVERED
        },
    }


def main() -> None:
    """Print the three checks' figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    seeds = range(parser.parse_args().seeds)
    print(f"small market {SMALL}, seeds 0..{len(seeds) - 1}")
    got = checks(seeds)
    mean, err = got["symmetry"]["a.final_market_share"]
    print(f"symmetry: a.final_market_share {mean:.4f} +- {err:.4f} (SE)")
    for key, (mean, err) in got["shift"].items():
        print(f"share shift: {key} paired difference {mean:.4f} +- {err:.4f}")
    for key in RECOVERED:
        (one, e1), (two, e2) = got["alone"][key], got["against"][key]
        z = (two - one) / float(np.hypot(e1, e2))
        print(
            f"recovery: {key}: alone {one:.4f} +- {e1:.4f}, against a rival that never learns "
            f"{two:.4f} +- {e2:.4f}, difference {two - one:+.4f} ({z:+.1f} SE)"
        )


if __name__ == "__main__":
    main()
