"""A factor that changes nothing is refused in one line before the first run (issue 25,
defect 4): varying ``it_systems`` on ``duopoly``, where every firm sets its own level, gave the
same results at every point."""

from __future__ import annotations

from pathlib import Path

from test_cli import assert_one_error_line, run_cli


def _experiment(folder: Path, factor: str, scenario: str = "duopoly", method: str = "") -> Path:
    path = folder / "inert.toml"
    path.write_text(
        f'name = "inert"\nscenario = "{scenario}"\nperiods = 2\nreplications = 1\n'
        "[fixed]\ncustomers = 100\nprospects = 20\nemployees = 10\n"
        f'[factors."{factor}"]\nlevels = [0.2, 0.8]\n'
        f'[design]\nmethod = "{method or "full_factorial"}"\n',
        encoding="utf-8",
    )
    return path


def _sweep(tmp_path: Path, path: Path) -> tuple[int, str, str]:
    argv = ["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1"]
    return run_cli(argv)


def test_a_market_level_every_firm_overrides_is_refused(tmp_path: Path) -> None:
    path = _experiment(tmp_path, "it_systems")
    code, _, stderr = _sweep(tmp_path, path)
    assert_one_error_line(code, stderr, str(path), "'factors.it_systems'")
    assert code == 2
    assert "changes nothing" in stderr and "firms.leader.it_systems" in stderr
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_one_firms_level_is_accepted(tmp_path: Path) -> None:
    path = _experiment(tmp_path, "firms.laggard.it_systems")
    code, _, stderr = _sweep(tmp_path, path)
    assert code == 0, stderr


def test_a_level_only_some_firms_override_is_accepted(tmp_path: Path) -> None:
    scenario = tmp_path / "half.toml"
    scenario.write_text(
        'name = "half"\n[[firms]]\nname = "a"\nit_systems = 0.9\n[[firms]]\nname = "b"\n',
        encoding="utf-8",
    )
    from ckm_sim.experiments.inert import inert_factors
    from ckm_sim.model.scenario import load_scenario

    assert inert_factors(load_scenario(scenario), {"it_systems": [0.2, 0.8]}) == {}
    assert "it_systems" in inert_factors(load_scenario("duopoly"), {"it_systems": [0.2, 0.8]})
