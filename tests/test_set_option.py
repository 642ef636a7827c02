"""``--set KEY=VALUE`` on run, compare and sweep (issue 25): one-off parameter changes, checked
before anything runs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ckm_sim import cli
from ckm_sim.commands.settings import setting

TINY = ["--set", "customers=150", "--set", "prospects=50", "--set", "employees=10"]


def test_values_are_read_as_toml() -> None:
    assert setting("it_systems=0.9") == ("it_systems", 0.9)
    assert setting("customers=300") == ("customers", 300)
    assert setting("community=scale_free") == ("community", "scale_free")
    assert setting('community="none"') == ("community", "none")
    assert setting("firms.laggard.it_systems = 0.7") == ("firms.laggard.it_systems", 0.7)


@pytest.mark.parametrize("bad", ["it_systems", "=0.3", "no_such_field=1", "it_systems="])
def test_a_bad_setting_is_one_argparse_line(bad, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["run", "baseline", "--set", bad])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("ckm-sim run: error: argument --set")


def test_run_uses_the_settings(tmp_path, capsys) -> None:
    argv = ["run", "baseline", "--periods", "3", "--out", str(tmp_path), *TINY]
    assert cli.main([*argv, "--set", "it_systems=0.9"]) == 0
    saved = json.loads((tmp_path / "baseline" / "summary.json").read_text())
    assert saved["scenario"]["competence"]["it_systems"] == 0.9
    assert saved["scenario"]["market"]["customers"] == 150


def test_an_out_of_range_value_is_one_line(tmp_path, capsys) -> None:
    argv = ["run", "baseline", "--out", str(tmp_path), "--set", "it_systems=1.4"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "it_systems" in err[0] and not (tmp_path / "baseline").exists()


def test_a_sweep_cannot_set_one_of_its_factors(tmp_path, capsys) -> None:
    argv = ["sweep", "quickstart", "--out", str(tmp_path), "--set", "it_systems=0.9"]
    assert cli.main(argv) == 2
    assert "is a factor of the sweep" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_a_sweep_and_a_comparison_take_the_settings(tmp_path, capsys) -> None:
    from ckm_sim.commands.settings import experiment_with
    from ckm_sim.experiments.spec import load_experiment

    exp = experiment_with(load_experiment("quickstart"), {"customers": 150, "periods": 3})
    assert exp.base_scenario().market.customers == 150
    argv = ["compare", "baseline", "it_only", "-r", "2", "--periods", "3", "-j", "1"]
    assert cli.main([*argv, "--out", str(tmp_path), "--quiet", *TINY]) == 0
    series = pd.read_parquet(next((tmp_path / "compare").rglob("timeseries.parquet")))
    assert set(series.loc[series["period"] == 0, "active_customers"]) == {150}
