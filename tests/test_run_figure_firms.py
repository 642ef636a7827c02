"""``ckm-sim run`` of several firms draws each firm's line beside the market's (issue 25,
defect 7)."""

from __future__ import annotations

from ckm_sim import CKMModel
from ckm_sim.reports import plots


def _lines(monkeypatch, frame) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}

    def keep(fig, path):
        for ax in fig.axes:
            seen[ax.get_title()] = [line.get_label() for line in ax.get_lines()]
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        seen["legends"] = [t.get_text() for lg in legends for t in lg.get_texts()]
        return path

    monkeypatch.setattr(plots, "save_figure", keep)
    plots.plot_timeseries(frame, "x.png")
    return seen


def test_each_firm_has_a_line_beside_the_market(monkeypatch) -> None:
    model = CKMModel("duopoly", rng=1, customers=200, prospects=100).run(6)
    seen = _lines(monkeypatch, model.timeseries())
    assert {"market", "leader", "laggard"} <= set(seen["legends"])
    with_firms = [t for t, lines in seen.items() if t != "legends" and len(lines) >= 3]
    assert len(with_firms) >= 3, seen  # retention, customers, satisfaction, ... per firm


def test_one_firm_draws_one_line_per_panel(monkeypatch) -> None:
    model = CKMModel(rng=1, customers=200, prospects=100, employees=10).run(6)
    seen = _lines(monkeypatch, model.timeseries())
    assert seen["legends"] == []
    assert all(len(lines) == 1 for t, lines in seen.items() if t not in ("legends", ""))
