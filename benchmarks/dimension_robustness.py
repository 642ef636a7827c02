"""Does the ordering of the five dimensions' effects survive the uncalibrated market parameters?

Reads the results of ``experiments/robustness.toml`` (run it first:
``ckm-sim sweep experiments/robustness.toml``). In each market cell (one combination of the
market factors) the five dimensions form a two-level factorial, so a dimension's main effect on
an outcome in replication ``r`` is the mean over the points with it high minus the mean over
the points with it low, all on seed ``r`` (paired). The script prints, per outcome, each cell's
effects and their ranking, the ranking of the effects averaged over all cells, and how many
cells keep that ranking (Kendall's tau against it, and whether the top and bottom agree).

    python benchmarks/dimension_robustness.py [results/robustness]
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats

from ckm_sim.experiments.store import ResultsStore
from ckm_sim.model.scenario import DIMENSIONS

MARKET = ("turbulence", "need_heterogeneity", "satisfaction_sensitivity", "competitor_value")
OUTCOMES = ("clv", "net_value")
SHORT = {"inter_functional_cooperation": "IFC", "organisational_systems": "OS",
         "customer_cooperation": "CC", "it_systems": "IT", "learning_culture": "LC"}  # fmt: skip


def main_effects(runs, outcome: str) -> dict[tuple, np.ndarray]:
    """Market cell -> array (replications x dimensions) of paired main effects."""
    out = {}
    for cell, frame in runs.groupby(list(MARKET)):
        table = frame.pivot_table(index="replication", columns="point", values=outcome)
        points = frame.drop_duplicates("point").set_index("point").loc[table.columns]
        effects = []
        for dim in DIMENSIONS:
            high = (points[dim] == points[dim].max()).to_numpy()
            effects.append(table.loc[:, high].mean(axis=1) - table.loc[:, ~high].mean(axis=1))
        out[cell] = np.column_stack(effects)
    return out


def ranking(effects: np.ndarray) -> list[str]:
    """Dimensions from the largest mean effect to the smallest."""
    return [SHORT[DIMENSIONS[j]] for j in np.argsort(-effects)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results/robustness")
    args = parser.parse_args()
    store = ResultsStore(args.results)
    runs = store.read_runs()
    runs = runs[runs["status"] == "ok"]
    print(f"{len(runs)} runs, {runs['replication'].nunique()} replications per point\n")
    for outcome in OUTCOMES:
        cells = main_effects(runs, outcome)
        overall = np.mean([e.mean(axis=0) for e in cells.values()], axis=0)
        order = ranking(overall)
        print(f"### {outcome}: main effect of each dimension (0.3 -> 0.8) per market cell\n")
        print("| " + " | ".join(MARKET) + " | " + " | ".join(SHORT.values()) + " | ranking | tau |")
        print("|" + "---|" * (len(MARKET) + len(DIMENSIONS) + 2))
        same_top = same_bottom = 0
        taus = []
        for cell, effects in cells.items():
            mean = effects.mean(axis=0)
            tau = stats.kendalltau(-mean, -overall).statistic
            taus.append(tau)
            rank = ranking(mean)
            same_top += rank[0] == order[0]
            same_bottom += rank[-1] == order[-1]
            values = " | ".join(f"{v:,.1f}" for v in mean)
            print(f"| {' | '.join(f'{c:g}' for c in cell)} | {values} | {' > '.join(rank)} | "
                  f"{tau:.2f} |")  # fmt: skip
        means = ", ".join(f"{SHORT[d]} {v:,.1f}" for d, v in zip(DIMENSIONS, overall, strict=True))
        print(
            f"\nAveraged over the {len(cells)} cells: {' > '.join(order)} ({means})."
            f"\nSame largest dimension in {same_top}/{len(cells)} cells, same smallest in "
            f"{same_bottom}/{len(cells)}; Kendall's tau against the average ranking: median "
            f"{np.median(taus):.2f}, min {np.min(taus):.2f}.\n"
        )


if __name__ == "__main__":
    main()
