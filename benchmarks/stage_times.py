"""Time each stage of CKMModel.step on the reference model (a profiling aid; prints ms/step)."""

from __future__ import annotations

import time

from ckm_sim import CKMModel
from ckm_sim.model.market import ACTIVE


def main(customers: int = 10_000, prospects: int = 5_000, periods: int = 120) -> None:
    model = CKMModel(customers=customers, prospects=prospects, employees=200, rng=1, collect=False)
    totals: dict[str, float] = {}

    def timed(name, fn, *args):
        start = time.perf_counter()
        result = fn(*args)
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
        return result

    for _ in range(periods):
        s = model.state
        model.flow_counts = {}
        timed("sharing", model._draw_sharing)
        timed("open market", model._open_market)
        timed("turbulence", model._turbulence)
        active = s.status == ACTIVE
        contacted = timed("flow ABOUT", model._knowledge_about_customers, active)
        timed("flow FROM", model._knowledge_from_customers, active)
        timed("organisational learning", model._organisational_learning, active)
        timed("offer adaptation", model._adapt_offer)
        timed("flow FOR", model._knowledge_for_customers, active, contacted)
        acquired, churned = timed("customers decide", model._customers_decide, active)
        timed("outcomes", model._update_outcomes, acquired, churned, int(active.sum()), 0)
        model.steps += 1
    for name, total in totals.items():
        print(f"{name:26s} {total * 1000 / periods:7.3f} ms/period")
    print(f"{'total':26s} {sum(totals.values()) * 1000 / periods:7.3f} ms/period")


if __name__ == "__main__":
    main()
