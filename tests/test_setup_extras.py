"""The README's setup installs what every README command needs (issue 25, defect 1): `make run`
installs the ``all`` extra, and ``all`` holds every optional extra of pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_run_installs_every_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    optional = set(extras) - {"all", "dev"}
    (everything,) = extras["all"]
    named = set(re.fullmatch(r"ckm-sim\[(.*)\]", everything).group(1).split(","))
    assert named == optional
    makefile = (ROOT / "Makefile").read_text()
    stamp = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert 'pip install --quiet -e ".[all]"' in stamp
