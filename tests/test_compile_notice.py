"""The first run of an installation that has not compiled the model's kernels says so (issue 25,
defect 8): the compile takes about 20 s and would otherwise look like a hang."""

from __future__ import annotations

import io

import pytest

from ckm_sim import cli
from ckm_sim.model import warmup


def test_no_cache_means_a_notice(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(warmup, "cache_places", lambda: [tmp_path])
    out = io.StringIO()
    assert not warmup.kernels_cached()
    assert warmup.announce_compile(out)
    assert "compiling the model's kernels" in out.getvalue()


def test_a_compiled_cache_means_no_notice() -> None:
    warmup.warm_up()  # compiles, or loads what an earlier run cached
    out = io.StringIO()
    assert warmup.kernels_cached()
    assert not warmup.announce_compile(out) and out.getvalue() == ""


def test_commands_that_run_the_model_give_the_notice(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(warmup, "cache_places", lambda: [tmp_path])
    assert cli.main(["run", "baseline", "--periods", "1", "--out", str(tmp_path / "o")]) == 0
    assert "compiling the model's kernels" in capsys.readouterr().err
    assert cli.main(["validate", "baseline"]) == 0  # no model run, no notice
    assert "compiling" not in capsys.readouterr().err
