"""Store fixed-seed results of small scenarios for tests/test_identical_results.py.

Run on code whose results are the reference (before a pure speed-up): the test then checks
that every later version gives the same summaries and final states. Integer and boolean state
is compared bit for bit (a digest); floating-point state and summaries to 9 significant digits
(each float array by its exactly rounded sum and sum of squares, ``math.fsum``): numpy's
vectorised ``exp`` and sums differ in the last bits between CPUs (AVX-512 against AVX2), while
any change of what the model computes moves them by far more.

    .venv/bin/python benchmarks/store_identical_results.py
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

SMALL = {"customers": 300, "prospects": 150, "employees": 24, "need_dimensions": 12}
#: (name, scenario, overrides, periods): every mechanism, small and short
CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("baseline", "baseline", {}, 40),
    ("customer_centric", "customer_centric", {}, 40),
    ("it_only", "it_only", {}, 40),
    ("co_creation", "co_creation", {}, 40),
    ("siloed_firm", "siloed_firm", {}, 40),
    ("march1991", "march1991", {}, 30),
    (
        "open_market",
        "baseline",
        {
            "market_growth": 0.02,
            "winback_rate": 0.3,
            "winback_cooloff": 2,
            "margin_spread": 1.2,
            "segment_margin_spread": 0.5,
            "loyalty_spread": 1.5,
            "targeting": 0.7,
        },
        60,
    ),
    (
        "scale_free_knowledge",
        "customer_centric",
        {"community": "scale_free", "appraisal": "knowledge", "targeting": 0.4},
        40,
    ),
    (
        "performance_margin_gradual",
        "baseline",
        {
            "appraisal": "performance",
            "code_vote": "margin",
            "socialisation": "gradual",
            "community": "none",
            "loyalty_spread": 0.0,
            "margin_spread": 0.0,
        },
        40,
    ),
    # several firms (docs/ODD.md 7.6): choice, reputations, switching, each firm's learning
    ("duopoly", "duopoly", {}, 40),
    ("market_entry", "market_entry", {}, 40),
    ("it_arms_race", "it_arms_race", {}, 30),
]
STATE_ARRAYS = (
    "needs",
    "profile",
    "profile_time",
    "status",
    "understood",
    "satisfaction",
    "value",
    "hazard",
    "realised_pv0",
    "reported_satisfaction",
    "firm_of",
)
#: Arrays now stored narrower than when the digests were taken: digested in the old dtype (the
#: cast is lossless, so the digest still compares every value exactly).
DIGEST_DTYPES = {"profile_time": np.int32}
PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "identical_results.json"


def digest(array: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes."""
    a = np.ascontiguousarray(array)
    return hashlib.sha256(f"{a.dtype}{a.shape}".encode() + a.tobytes()).hexdigest()


def fingerprint(array: np.ndarray) -> str | dict[str, str]:
    """An integer or boolean array's digest; a float array's exact sums (NaNs counted apart)."""
    a = np.asarray(array)
    if not np.issubdtype(a.dtype, np.floating):
        return digest(a)
    values = a[~np.isnan(a)].astype(np.float64).ravel().tolist()
    return {
        "shape": repr(a.shape),
        "nan": repr(int(np.isnan(a).sum())),
        "sum": repr(math.fsum(values)),
        "sumsq": repr(math.fsum(v * v for v in values)),
    }


def result(scenario: str, overrides: dict[str, Any], periods: int) -> dict[str, Any]:
    """Summary (floats as repr) and fingerprints of the final state of one fixed-seed run."""
    from ckm_sim import CKMModel

    model = CKMModel(scenario, rng=7, collect=False, **SMALL, **overrides).run(periods)
    summary = {k: repr(v) for k, v in model.summary().items()}
    s = model.state
    state = {name: getattr(s, name) for name in STATE_ARRAYS}
    state |= {name: state[name].astype(dtype) for name, dtype in DIGEST_DTYPES.items()}
    arrays = {name: fingerprint(state[name]) for name in STATE_ARRAYS}
    arrays |= {"beliefs": digest(s.beliefs), "code": digest(s.code), "offer": digest(s.offer)}
    return {"summary": summary, "state": arrays}


def compute() -> dict[str, Any]:
    """Every case's result, by case name."""
    return {name: result(sc, ov, periods) for name, sc, ov, periods in CASES}


if __name__ == "__main__":
    PATH.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {PATH}")
