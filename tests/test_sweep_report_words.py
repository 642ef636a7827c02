"""Words in the sweep report a reader does not stumble on (issue 25, defect 6): with one
replication the adequacy sentence says there is no CI (not "clv (worst - of the mean; )"), and
the reference point reads as factors with their values, not as a Python dict."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import write_experiment

from ckm_sim.cli import main

ONE_AT_A_TIME = """
[factors.it_systems]
levels = [0.2, 0.8]
[factors.learning_culture]
levels = [0.2, 0.8]
[design]
method = "one_at_a_time"
"""


def _report(folder: Path, replications: int) -> str:
    path = write_experiment(folder, ONE_AT_A_TIME, periods=2, replications=replications)
    argv = ["sweep", str(path), "--out", str(folder / "out"), "--quiet", "--workers", "1"]
    assert main(argv) == 0
    return (folder / "out" / "tiny" / "report.md").read_text()


@pytest.fixture(scope="module")
def one_replication(tmp_path_factory) -> str:
    return _report(tmp_path_factory.mktemp("one"), 1)


def _adequacy(report: str) -> str:
    return report.split("## Are the replications enough?", 1)[1].strip().split("\n\n", 1)[0]


def test_one_replication_says_there_is_no_ci(one_replication: str) -> None:
    sentence = _adequacy(one_replication)
    assert "worst -" not in sentence and "; )" not in sentence and "()" not in sentence
    assert "one replication" in sentence and "at least 2" in sentence


def test_the_reference_point_is_not_a_python_dict(one_replication: str) -> None:
    (line,) = [x for x in one_replication.splitlines() if x.startswith("Reference: ")]
    assert "{" not in line and "'" not in line
    assert "it_systems = 0.5" in line and "learning_culture = 0.5" in line
