"""The commands across firms, end to end on a tiny duopoly: a firm's parameter moves only that
firm's costs (checked in closed form), compare reports each firm, optimize gives a best response
and best-response rounds write their table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from firm_helpers import tiny_duopoly

from ckm_sim.cli import main
from ckm_sim.model.runs import run_scenario


def _multi_firm_model() -> bool:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        summary = run_scenario(tiny_duopoly(Path(folder)), seed=1, periods=1).summary
    return "leader.net_value" in summary


pytestmark = pytest.mark.skipif(
    not _multi_firm_model(), reason="the multi-firm model (branch firms) is not merged yet"
)

# the rival's levels cost 2000 * (3 x 0.5^2 + 0.2^2 + it^2) a period: 1,600 at IT 0.1 and 3,200
# at IT 0.9, so its discounted investment doubles whatever the discounting; the leader's stays
RIVAL_COST_RATIO = (0.75 + 0.04 + 0.81) / (0.75 + 0.04 + 0.01)


def _variant(folder: Path, name: str, it: float) -> Path:
    path = tiny_duopoly(folder, name)
    text = path.read_text().replace('name = "rival"\n', f'name = "rival"\nit_systems = {it}\n')
    path.write_text(text)
    return path


def test_compare_reports_each_firm(tmp_path):
    low, high = _variant(tmp_path, "low", 0.1), _variant(tmp_path, "high", 0.9)
    out = tmp_path / "out"
    args = [
        "compare",
        str(low),
        str(high),
        "-r",
        "3",
        "--periods",
        "6",
        "--quiet",
        "--workers",
        "1",
    ]
    assert main([*args, "--out", str(out)]) == 0
    folder = out / "compare" / "low_vs_high"
    runs = pd.read_parquet(folder / "summaries.parquet").set_index(["scenario", "replication"])
    ratio = runs.loc["high", "rival.investment_cost"] / runs.loc["low", "rival.investment_cost"]
    assert ratio.to_numpy() == pytest.approx(RIVAL_COST_RATIO, rel=1e-9)
    leader = runs["leader.investment_cost"]
    assert (leader.loc["high"].to_numpy() == leader.loc["low"].to_numpy()).all()
    diffs = pd.read_csv(folder / "differences.csv")
    assert {"leader.net_value", "rival.net_value", "rival.final_market_share"} <= set(
        diffs["metric"]
    )
    result = json.loads((folder / "comparison.json").read_text())
    firm_lines = [s for s in result["sentences"] if s.startswith("high against low: leader's")]
    assert any("; rival's net value" in s for s in firm_lines)
    assert "## Each firm" in (folder / "report.md").read_text()
    assert (folder / "firms.png").stat().st_size > 0


def test_a_sweep_factor_moves_one_firm(tmp_path):
    tiny_duopoly(tmp_path)
    path = tmp_path / "exp.toml"
    path.write_text(
        'name = "exp"\nscenario = "duo.toml"\nreplications = 2\nperiods = 4\n'
        "[factors.'firms.rival.it_systems']\nlevels = [0.1, 0.9]\n"
        '[design]\nmethod = "full_factorial"\n'
        '[outcomes]\nreport = ["net_value", "rival.net_value"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    runs = pd.read_parquet(out / "exp" / "runs").set_index(
        ["firms.rival.it_systems", "replication"]
    )
    ratio = runs.loc[0.9, "rival.investment_cost"] / runs.loc[0.1, "rival.investment_cost"]
    assert ratio.to_numpy() == pytest.approx(RIVAL_COST_RATIO, rel=1e-9)
    assert (
        runs.loc[0.9, "leader.investment_cost"] == runs.loc[0.1, "leader.investment_cost"]
    ).all()
    assert "rival.net_value_mean" in pd.read_csv(out / "exp" / "points.csv")


FAST = ["--method", "tpe", "--trials", "2", "--restarts", "1", "--polish", "0", "-r", "1"]
FAST += ["--eval-replications", "2", "--periods", "4", "--quiet", "--workers", "1"]


def test_optimize_one_firm_is_a_best_response(tmp_path):
    path = tiny_duopoly(tmp_path)
    out = tmp_path / "out"
    assert (
        main(
            ["optimize", str(path), "--firm", "rival", "--budget", "3000", *FAST, "--out", str(out)]
        )
        == 0
    )
    result = json.loads((out / "optimize" / "duo_rival_budget3000" / "optimum.json").read_text())
    assert result["firm"] == "rival" and result["versus_current"]["n"] == 2
    assert sum(row["best"] for row in result["allocation"]) == pytest.approx(3000.0)
    assert any("its best response; rivals fixed" in line for line in result["findings"])


def test_a_best_response_by_surface_spends_at_most_the_firms_budget(tmp_path):
    path = tiny_duopoly(tmp_path)
    out = tmp_path / "out"
    args = ["optimize", str(path), "--firm", "rival", "--budget", "3000", "--trials", "26"]
    args += ["-r", "1", "--eval-replications", "2", "--periods", "4", "--quiet", "--workers", "1"]
    assert main([*args, "--out", str(out)]) == 0
    result = json.loads((out / "optimize" / "duo_rival_budget3000" / "optimum.json").read_text())
    assert result["method"] == "surface" and result["firm"] == "rival"
    assert sum(row["best"] for row in result["allocation"]) <= 3000.0 + 1e-6
    assert result["versus_current"]["n"] == 2


def test_best_response_rounds_write_their_table(tmp_path):
    path = tiny_duopoly(tmp_path)
    out = tmp_path / "out"
    args = ["optimize", str(path), "--firm", "leader", "--firm", "rival", "--budget", "3000"]
    args += ["--budget", "rival=2000", "--best-response-rounds", "2", *FAST, "--out", str(out)]
    assert main(args) == 0
    folder = out / "optimize" / "duo_best_responses"
    result = json.loads((folder / "best_responses.json").read_text())
    assert result["status"] in ("settled", "cycle", "unsettled")
    assert result["budgets"] == {"leader": 3000.0, "rival": 2000.0}
    assert len(result["rounds"]) == 2 * result["rounds_played"]
    rounds = pd.read_csv(folder / "rounds.csv")
    assert list(rounds["firm"][:2]) == ["leader", "rival"]
    spend = rounds[list(rounds.columns[2:7])].sum(axis=1)
    assert spend.to_numpy() == pytest.approx([3000.0, 2000.0] * result["rounds_played"])
    assert "## Rounds" in (folder / "report.md").read_text()
