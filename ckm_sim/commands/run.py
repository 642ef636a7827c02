"""``ckm-sim run``: one scenario, one seed; a summary table and files under results/."""

from __future__ import annotations

import argparse
from pathlib import Path

from ckm_sim.commands.argtypes import non_negative_int, periods
from ckm_sim.commands.settings import add_set, settings_of
from ckm_sim.errors import output_error
from ckm_sim.limits import add_max_memory, check_memory
from ckm_sim.model.scenario import load_scenario

HELP = "run one scenario and write its time series, summary and figure"
EXAMPLES = """examples:
  ckm-sim run baseline
  ckm-sim run scenarios/customer_centric.toml --periods 240 --seed 3
  ckm-sim run it_only --out /tmp/ckm
  ckm-sim run duopoly --set firms.laggard.it_systems=0.9 --set switching_cost=0.5

writes <out>/<scenario>/timeseries.parquet, summary.json and timeseries.png
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, periods, seed and output folder."""
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario file or shipped name")
    parser.add_argument("--periods", type=periods, help="periods to run (default: file's)")
    parser.add_argument(
        "--seed", type=non_negative_int, help="random seed (default: the file's, else a fresh one)"
    )
    parser.add_argument("--out", type=Path, default=Path("results"), help="output folder")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_set(parser)
    add_max_memory(parser)


def run(args: argparse.Namespace) -> int:
    """Run one scenario; print its summary and write its series, summary and figure."""
    from ckm_sim.io import inside, write_json, write_parquet
    from ckm_sim.memory import PROCESS_BYTES, competition_bytes, series_bytes
    from ckm_sim.model.model import CKMModel
    from ckm_sim.model.outcomes import OUTCOMES, PLAN_COLUMNS, SUMMARY, horizon_note
    from ckm_sim.reports.plots import plot_timeseries
    from ckm_sim.reports.tables import print_firms, print_summary
    from ckm_sim.whatif.shared.terms import period_word

    scenario = load_scenario(args.scenario).with_overrides(**settings_of(args))
    out = inside(args.out, scenario.name)  # checked before the run
    periods = scenario.periods if args.periods is None else args.periods
    check_memory(
        PROCESS_BYTES + competition_bytes(scenario) + series_bytes(1, periods, len(OUTCOMES)),
        args.max_memory,
        f"{scenario.name} ({scenario.market.customers + scenario.market.prospects:,} customers "
        f"and prospects, {scenario.market.need_dimensions} need dimensions)",
    )
    model = CKMModel(scenario, rng=scenario.seed if args.seed is None else args.seed)
    model.run(periods, progress=not args.quiet and periods >= 50)
    summary, seed = model.summary(), model.seed  # a file without a seed draws a fresh one
    try:
        write_parquet(out / "timeseries.parquet", model.timeseries())
        cohorts = model.cohort_clv().to_dict("records")
        write_json(
            out / "summary.json",
            {"scenario": scenario.model_dump(), "summary": summary, "cohorts": cohorts},
        )
        plot_timeseries(model.timeseries(), out / "timeseries.png", title=scenario.name)
    except OSError as exc:
        raise output_error(exc, f"cannot write results to {out}") from None
    title = f"{scenario.name}: {periods} periods, seed {seed}"
    if model.n_firms > 1:
        title += f" (the market of {model.n_firms} firms)"
    currency = scenario.economics.currency
    title += f"; money in {currency}, discounted to {period_word(scenario)} 0"
    print_summary(summary, SUMMARY | PLAN_COLUMNS, title=title, currency=currency)
    if model.n_firms > 1:
        print_firms(summary, model.firm_names, currency=currency)
    print(horizon_note(scenario.economics.horizon_value))
    print(f"results written to {out}/ (timeseries.parquet, summary.json, timeseries.png)")
    return 0
