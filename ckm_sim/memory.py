"""Memory estimates made *before* allocating: of one model from its sizes, of a sweep's design
from its number of points, of the tables a sweep or comparison keeps.

The coefficients were measured with ``tracemalloc`` (peak over building a model and running
three periods) and checked against the growth of the resident set size (RSS) on models from
3,000 to 300,000 customers, 30 to 1,000 need dimensions, 0 to 100 community ties and 50 to
20,000 employees: the estimate was 0.8 to 1.6 times the measured peak, so it is honest within a
factor of 2 (docs/sweeps.md, "Memory"). The per-customer ones were measured again on the
narrower state of issue 14 (RSS growth over building and three periods of 1,000,000 customers
with m = 30 and 100, degree 0 and 6, and 300,000 with degree 30: the estimate is 0.87 to 1.01
times the growth; 10,000,000 customers grow by 7.2 GiB, estimate 7.9 GiB; with every slot
allocated once at build time they peak at 4.7 GiB built and 6.7 GiB after two periods,
``benchmarks/bench_large.py``). Every Python
process adds about :data:`PROCESS_BYTES` (interpreter, numpy, pandas, Mesa, ckm_sim).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

#: Bytes per customer and need dimension (needs, profile, its int16 recording dates, what the
#: customer understands, the profile-matching buffer; with the default market growth's
#: arrival slots).
PER_CUSTOMER_NEED = 10
#: Bytes per customer (satisfaction, value, hazard, CLV, churn and acquisition arrays).
PER_CUSTOMER = 280
#: Bytes per customer and community tie (edge lists and the sparse community matrix).
PER_CUSTOMER_TIE = 45
#: Bytes per employee, segment and need dimension (employees' beliefs, peer learning's copy of
#: them, a mask): 3.0 measured on 2,000 and 4,000 employees x 25 and 50 segments. It was 11
#: while socialisation and peer learning drew a float64 number per belief into an array; since
#: speed round 11 they compute each where they test it (docs/performance.md).
PER_BELIEF = 3
#: Bytes per employee (Mesa agents, ties).
PER_EMPLOYEE = 500
#: Resident memory of one ckm-sim process before it builds a model.
PROCESS_BYTES = 200 * 1024 * 1024
#: Bytes per design point, fixed and per factor (design table, while it is being built).
PER_POINT, PER_POINT_FACTOR = 100, 50
#: Bytes per stored run, fixed and per column (the runs table the analysis reads).
PER_RUN, PER_RUN_COLUMN = 150, 8
#: Bytes per kept period of a run's time series and per column.
PER_SERIES_CELL = 8

#: The scenario fields the model's size depends on, and their defaults (scenario.py).
SIZE_FIELDS = (
    "customers",
    "prospects",
    "need_dimensions",
    "community_degree",
    "employees",
    "segments",
)


def model_bytes(
    customers: Any,
    prospects: Any,
    need_dimensions: Any,
    community_degree: Any,
    employees: Any,
    segments: Any,
) -> Any:
    """Estimated peak memory of one model (bytes, without the process itself); works
    element-wise on numpy arrays of sizes too."""
    n = np.asarray(customers, dtype=np.float64) + np.asarray(prospects, dtype=np.float64)
    m = np.asarray(need_dimensions, dtype=np.float64)
    e = np.asarray(employees, dtype=np.float64)
    return (
        PER_CUSTOMER_NEED * n * m
        + PER_CUSTOMER * n
        + PER_CUSTOMER_TIE * n * np.asarray(community_degree, dtype=np.float64)
        + PER_BELIEF * e * np.asarray(segments, dtype=np.float64) * m
        + PER_EMPLOYEE * e
    )


def scenario_bytes(flat: Mapping[str, Any]) -> float:
    """Estimated peak memory of a model of a flat scenario (``Scenario.flat()``)."""
    return float(model_bytes(*(flat[name] for name in SIZE_FIELDS)))


#: Bytes per customer and firm of a multi-firm market (the word-of-mouth-by-firm matrices and
#: their products, docs/ODD.md 7.6), and per customer (firm, profile firm, serving rank, the
#: current relationship's value, the firm-indexed offer gathered per customer).
PER_CUSTOMER_FIRM, PER_CUSTOMER_COMPETING = 80, 40


def competition_bytes(scenario: Any) -> float:
    """Estimated peak memory of a model of ``scenario`` (a Scenario), its firms included: every
    firm's employees, and the per-firm customer arrays of a market with several firms."""
    flat = dict(scenario.flat())
    names = scenario.firm_names()
    if len(names) == 1:
        return scenario_bytes(flat)
    flat["employees"] = sum(scenario.for_firm(name).firm.employees for name in names)
    n = flat["customers"] + flat["prospects"]
    extra = n * (PER_CUSTOMER_COMPETING + PER_CUSTOMER_FIRM * len(names))
    return scenario_bytes(flat) + extra


def largest_model_bytes(flat: Mapping[str, Any], points: Any) -> float:
    """The largest model estimate over a design's points (a DataFrame whose columns override
    the base scenario's ``flat`` values)."""
    sizes = []
    for name in SIZE_FIELDS:
        if name in getattr(points, "columns", ()):
            sizes.append(np.asarray(points[name].to_numpy(), dtype=np.float64))
        else:
            sizes.append(np.float64(flat[name]))
    estimate = np.asarray(model_bytes(*sizes))
    return float(estimate.max()) if estimate.size else 0.0


def design_bytes(points: int, factors: int) -> float:
    """Estimated memory of building a design of ``points`` points and ``factors`` factors."""
    return float(points) * (PER_POINT + PER_POINT_FACTOR * factors)


def runs_bytes(runs: int, columns: int) -> float:
    """Estimated memory of a runs table of ``runs`` rows and ``columns`` numeric columns."""
    return float(runs) * (PER_RUN + PER_RUN_COLUMN * columns)


def series_bytes(runs: int, periods: int, columns: int) -> float:
    """Estimated memory of the per-period series of ``runs`` runs."""
    return float(runs) * (periods + 1) * (columns + 3) * PER_SERIES_CELL


def processes_bytes(model: float, workers: int) -> float:
    """This process plus ``workers`` worker processes each holding one model (workers = 1:
    the models run in this process)."""
    if workers <= 1:
        return PROCESS_BYTES + model
    return PROCESS_BYTES + workers * (PROCESS_BYTES + model)
