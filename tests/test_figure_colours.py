"""The same alternative has the same colour in every figure of a report (issue 25, defect 7):
compare's paths.png drew the alternatives after the reference, differences.png without it, so
each alternative took its neighbour's colour."""

from __future__ import annotations

import pandas as pd

from ckm_sim.whatif.shared import figures


def _bands(groups: list[str]) -> pd.DataFrame:
    rows = [
        {"scenario": g, "period": p, "metric": "clv", "mean": 1.0, "low": 0.5, "high": 1.5}
        for g in groups
        for p in range(3)
    ]
    return pd.DataFrame(rows)


def _colours(monkeypatch, groups: list[str], order: list[str] | None) -> dict[str, tuple]:
    seen = {}

    def keep(fig, path):
        for line in fig.axes[0].lines:
            seen[line.get_label()] = tuple(line.get_color())
        return path

    monkeypatch.setattr(figures, "save_figure", keep)
    figures.plot_bands(_bands(groups), "x.png", {"clv": "CLV"}, colour_order=order)
    return seen


def test_an_alternative_keeps_its_colour_without_the_reference(monkeypatch) -> None:
    order = ["baseline", "it_plus", "culture_plus"]
    paths = _colours(monkeypatch, order, order)
    differences = _colours(monkeypatch, order[1:], order)
    assert differences["it_plus"] == paths["it_plus"]
    assert differences["culture_plus"] == paths["culture_plus"]
    assert paths["it_plus"] != paths["culture_plus"]
