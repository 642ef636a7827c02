"""Time each stage of CKMModel.step on the reference model (a profiling aid; prints ms/step).

Walks the model's own pipeline (``model.stages``), so the names are those of docs/ODD.md 3.
"""

from __future__ import annotations

import time

from ckm_sim import CKMModel
from ckm_sim.model.stages import Period, Stage


def main(customers: int = 10_000, prospects: int = 5_000, periods: int = 120) -> None:
    model = CKMModel(customers=customers, prospects=prospects, employees=200, rng=1, collect=False)
    totals: dict[str, float] = {}

    def timed(name: str, stage: Stage) -> Stage:
        def run(world, period):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            record = stage(world, period)
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
            return record

        return run

    model.stages = [(name, timed(name, stage)) for name, stage in model.stages]
    for _ in range(periods):
        model.step()
        start = time.perf_counter()
        _ = model.outcomes
        totals["outcomes"] = totals.get("outcomes", 0.0) + time.perf_counter() - start
    assert isinstance(model.period, Period)
    for name, total in totals.items():
        print(f"{name:26s} {total * 1000 / periods:7.3f} ms/period")
    print(f"{'total':26s} {sum(totals.values()) * 1000 / periods:7.3f} ms/period")


if __name__ == "__main__":
    main()
