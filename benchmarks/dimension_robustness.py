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
from dataclasses import dataclass

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


@dataclass
class Ordering:
    """One outcome's main effects per market cell and how well the cells keep their ranking."""

    outcome: str
    cells: dict[tuple, np.ndarray]  # market cell -> mean main effect of each dimension
    overall: np.ndarray  # the effects averaged over all cells
    taus: list[float]  # per cell, Kendall's tau of its ranking against the overall one

    @property
    def order(self) -> list[str]:
        """The ranking of the averaged effects."""
        return ranking(self.overall)

    def rankings(self) -> list[list[str]]:
        """Each cell's ranking."""
        return [ranking(mean) for mean in self.cells.values()]

    def table(self) -> str:
        """The Markdown table of each cell's effects, ranking and tau."""
        lines = [
            "| " + " | ".join(MARKET) + " | " + " | ".join(SHORT.values()) + " | ranking | tau |",
            "|" + "---|" * (len(MARKET) + len(DIMENSIONS) + 2),
        ]
        for (cell, mean), tau in zip(self.cells.items(), self.taus, strict=True):
            values = " | ".join(f"{v:,.1f}" for v in mean)
            lines.append(
                f"| {' | '.join(f'{c:g}' for c in cell)} | {values} | "
                f"{' > '.join(ranking(mean))} | {tau:.2f} |"
            )
        return "\n".join(lines)

    def summary(self) -> str:
        """The averaged ranking and how many cells keep its ends, with tau's median and min."""
        n, order = len(self.cells), self.order
        same_top = sum(r[0] == order[0] for r in self.rankings())
        same_bottom = sum(r[-1] == order[-1] for r in self.rankings())
        means = ", ".join(
            f"{SHORT[d]} {v:,.1f}" for d, v in zip(DIMENSIONS, self.overall, strict=True)
        )
        return (
            f"Averaged over the {n} cells: {' > '.join(order)} ({means}).\n"
            f"Same largest dimension in {same_top}/{n} cells, same smallest in "
            f"{same_bottom}/{n}; Kendall's tau against the average ranking: median "
            f"{np.median(self.taus):.2f}, min {np.min(self.taus):.2f}."
        )


def ordering(runs, outcome: str) -> Ordering:
    """The main effects on ``outcome`` of the finished runs, cell by cell, and their ranking."""
    cells = {cell: e.mean(axis=0) for cell, e in main_effects(runs, outcome).items()}
    overall = np.mean(list(cells.values()), axis=0)
    taus = [float(stats.kendalltau(-mean, -overall).statistic) for mean in cells.values()]
    return Ordering(outcome, cells, overall, taus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results/robustness")
    args = parser.parse_args()
    store = ResultsStore(args.results)
    runs = store.read_runs()
    runs = runs[runs["status"] == "ok"]
    print(f"{len(runs)} runs, {runs['replication'].nunique()} replications per point\n")
    for outcome in OUTCOMES:
        result = ordering(runs, outcome)
        print(f"### {outcome}: main effect of each dimension (0.3 -> 0.8) per market cell\n")
        print(result.table())
        print(f"\n{result.summary()}\n")


if __name__ == "__main__":
    main()
