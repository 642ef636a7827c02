"""One page for a meeting (issue 25): every what-if command and sweep writes ``summary.html``
with the question, the answer sentence its report gives, the figure embedded as a base64 PNG,
the CIs and caveats; it refers to nothing outside itself and escapes every name."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import pandas as pd
from experiment_helpers import write_experiment
from whatif_helpers import calibrate_argv, compare_argv, tiny_scenario

from ckm_sim.cli import main
from ckm_sim.reports.html_summary import Summary, render, write_summary
from ckm_sim.reports.plots import plt

IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def _page(folder: Path) -> str:
    page = (folder / "summary.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", page), "the page must open offline"
    for attr in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert attr.startswith("data:image/png;base64,"), attr
    (png,) = IMG.findall(page)
    assert base64.b64decode(png).startswith(b"\x89PNG\r\n\x1a\n")
    return page


def _png(path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    fig.savefig(path)
    plt.close(fig)
    return path


def test_the_page_escapes_names_and_embeds_its_figure(tmp_path: Path) -> None:
    figure = _png(tmp_path / "f.png")
    name = 'a<script>alert("x")</script> & b'
    summary = Summary(
        title=f"compare: {name}",
        question=f"What changes when {name} replaces base?",
        answer=f"{name} raises net value by 10 (95% CI 2 to 18) over base.",
        figure=figure,
        details=["<b>bold</b> is text"],
        caveats=["x < y & y > z"],
    )
    page = _page(write_summary(summary, tmp_path).parent)
    assert "<script>" not in page and "<b>" not in page
    assert html.escape(summary.answer) in page
    assert "x &lt; y &amp; y &gt; z" in page
    assert base64.b64decode(IMG.findall(page)[0]) == figure.read_bytes()


def test_a_page_without_its_figure_still_renders(tmp_path: Path) -> None:
    page = render(Summary("t", "q?", "a.", figure=tmp_path / "missing.png"))
    assert "<img" not in page and '<p class="answer">a.</p>' in page


def test_compare_writes_its_page(tmp_path: Path) -> None:
    low = tiny_scenario(tmp_path, "low", level=0.2)
    high = tiny_scenario(tmp_path, "high+more", level=0.9)
    out = tmp_path / "results"
    argv = compare_argv(low, high, out)
    assert main(argv) == 0
    folder = next((out / "compare").iterdir())
    page = _page(folder)
    sentences = json.loads((folder / "comparison.json").read_text())["sentences"]
    net = next(s for s in sentences if "net value" in s)
    assert f'<p class="answer">{html.escape(net)}</p>' in page
    assert "What changes when high+more replaces low?" in page
    assert "95% CI" in page and "paired" in page


def test_optimize_writes_its_page(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    out = tmp_path / "results"
    args = ["optimize", str(sc), "--budget", "2500", "--trials", "4", "--periods", "6"]
    args += ["--restarts", "2", "--polish", "1", "--method", "tpe", "-r", "1", "--workers", "1"]
    assert main([*args, "--eval-replications", "2", "--out", str(out), "--quiet"]) == 0
    folder = out / "optimize" / "tiny_budget2500"
    page = _page(folder)
    findings = json.loads((folder / "optimum.json").read_text())["findings"]
    assert f'<p class="answer">{html.escape(findings[0])}</p>' in page
    assert "How should a budget of 2,500" in page


def test_calibrate_writes_its_page(tmp_path: Path) -> None:
    out = tmp_path / "results"
    args = calibrate_argv(tmp_path)
    assert (
        main([*args, "--trials", "4", "-r", "1", "--eval-replications", "2", "--out", str(out)])
        == 0
    )
    folder = out / "calibrate" / "tiny_cohort"
    page = _page(folder)
    findings = json.loads((folder / "calibration.json").read_text())["findings"]
    assert f'<p class="answer">{html.escape(findings[0])}</p>' in page
    assert "Which values of competitor_pull" in page


GRID = """
[factors.it_systems]
levels = [0.0, 0.5, 1.0]
[design]
method = "full_factorial"
[outcomes]
report = ["clv", "net_value"]
"""


def test_sweep_writes_its_page_naming_the_best_point(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, GRID, replications=2)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    folder = out / "tiny"
    page = _page(folder)
    runs = pd.read_parquet(folder / "runs")
    best = int(runs.groupby("point")["clv"].mean().idxmax())
    assert f"clv is highest at point {best} " in page
    assert "Caveats" in page
