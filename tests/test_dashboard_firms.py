"""The dashboard with several firms (docs/ODD.md 7.6): per-firm settings, series, table, network.

The single-firm page is covered by tests/test_dashboard.py and must not change; here a
multi-firm preset must show every firm, and its sliders must set one firm's levels.
"""

from __future__ import annotations

import re

import ipyvuetify as vw
import numpy as np
import pytest
import solara

from ckm_sim.dashboard import app
from ckm_sim.dashboard.charts import (
    FIRM_CHARTED,
    FIRM_PANELS,
    firm_colour,
    firm_option,
    firm_timeseries,
)
from ckm_sim.dashboard.figures import (
    FIRM_TABLE,
    HEADLINE,
    figures_html,
    firms_html,
    headline_html,
    settings_line,
)
from ckm_sim.dashboard.model import (
    DashboardModel,
    build_model,
    model_settings,
    preset_settings,
    setting_firms,
    slider_label,
    slider_names,
)
from ckm_sim.dashboard.network_view import compute_layout, network_option
from ckm_sim.dashboard.notes import COMPETITION_NOTE, format_value, measure
from ckm_sim.dashboard.runner import Runner
from ckm_sim.model.outcomes import BY_NAME
from ckm_sim.model.scenario import DIMENSIONS

SMALL = {"customers": 200, "employees": 20}


@pytest.fixture(scope="module")
def duopoly() -> DashboardModel:
    model = build_model("duopoly", **SMALL)
    model.run(4)
    return model


def test_a_duopoly_preset_loads_each_firms_levels_under_its_own_keys():
    settings = preset_settings("duopoly")
    assert setting_firms(settings) == ("leader", "laggard")
    for dim in DIMENSIONS:  # ckm_sim/data/scenarios/duopoly.toml: leader 0.8, laggard 0.3
        assert settings[f"firms.leader.{dim}"] == 0.8
        assert settings[f"firms.laggard.{dim}"] == 0.3
        assert dim not in settings  # no top-level slider that no firm would use
    names = slider_names(settings)
    assert names[:10] == [f"firms.{f}.{d}" for f in ("leader", "laggard") for d in DIMENSIONS]
    assert setting_firms(preset_settings("baseline")) == ()
    assert slider_label("firms.laggard.it_systems") == "IT systems (laggard)"


def test_a_firms_slider_sets_that_firm_only_and_reset_runs_it():
    runner = Runner("duopoly")
    runner.set_value("firms.laggard.it_systems", 0.9)
    assert set(runner.pending()) == {"firms.laggard.it_systems"}
    runner.reset()
    assert runner.pending() == {}
    leader, laggard = (fs.competence for fs in runner.model.firm_scenarios)
    assert laggard.it_systems == 0.9 and laggard.learning_culture == 0.3
    assert leader.it_systems == 0.8
    assert model_settings(runner.model)["firms.laggard.it_systems"] == 0.9
    assert "laggard: Inter-functional 0.30 · Organisational 0.30 · Cooperation 0.30 · IT 0.90" in (
        settings_line(runner.model)
    )


def test_firm_charts_draw_one_line_per_firm_with_the_firms_data(duopoly):
    option = firm_option(duopoly)
    assert option["legend"]["data"] == ["leader", "laggard"]
    assert len(option["grid"]) == len(FIRM_PANELS) == len(FIRM_CHARTED)
    for p, (title, (name,)) in enumerate(FIRM_PANELS):
        assert title == (BY_NAME[name].panel or BY_NAME[name].label if name in BY_NAME else title)
        lines = [s for s in option["series"] if s["xAxisIndex"] == p]
        assert [s["name"] for s in lines] == ["leader", "laggard"]
        for f, (firm, line) in enumerate(zip(duopoly.firm_names, lines, strict=True)):
            assert line["color"] == firm_colour(f)  # the same colour in every panel
            collected = duopoly.datacollector.model_vars[f"{firm}.{name}"]
            scale = 100.0 if measure(name).kind == "share" else 1.0
            drawn = [np.nan if v is None else v for _, v in line["data"]]  # None: a gap
            assert drawn == pytest.approx(
                [scale * v for v in collected], abs=1e-6, nan_ok=True
            )  # drawn rounded to 6 decimals
    assert firm_colour(0) != firm_colour(1)
    titles = [t["text"] for t in option["title"]]
    assert "Market share (% of customers)" in titles and "Retention (% per month)" in titles


def test_market_shares_of_the_firms_add_up_to_one(duopoly):
    series = firm_timeseries(duopoly)
    total = series["leader"]["market_share"] + series["laggard"]["market_share"]
    assert np.allclose(total, 1.0)


def test_a_single_firm_has_no_firm_series_or_table():
    model = DashboardModel(**SMALL)
    model.run(1)
    assert firm_timeseries(model) == {}
    assert firms_html(model) == ""
    assert "data-figure='firms'" not in figures_html(model)
    assert COMPETITION_NOTE[:30] not in figures_html(model)


def test_headline_says_its_figures_are_the_whole_markets(duopoly):
    assert headline_html(duopoly).count("(all firms)") == len(HEADLINE)
    assert "(all firms)" not in headline_html(DashboardModel(**SMALL))


def test_firms_table_shows_each_firms_current_figures_and_what_they_compete_for(duopoly):
    html = firms_html(duopoly)
    for firm in ("leader", "laggard"):
        for name in FIRM_TABLE:
            value = format_value(name, duopoly.outcomes[f"{firm}.{name}"])
            assert f'data-figure="{firm}.{name}">{value}</td>' in html
    assert COMPETITION_NOTE.replace("'", "&#x27;") in html
    assert "expects" in COMPETITION_NOTE and "rival" in COMPETITION_NOTE
    assert html in figures_html(duopoly)


def test_network_ties_each_customer_to_its_own_firms_serving_employee(duopoly):
    """Defect: the layout took the first firm's employee count for all of them, so service ties
    of a duopoly ended on the other firm's employees instead of the drawn customers."""
    layout = compute_layout(duopoly, max_customers=80)
    s = duopoly.state
    assert layout.n_employees == len(s.employee_firm) == 2 * SMALL["employees"]
    service = layout.edges[layout.kinds == 1]
    assert (service[:, 0] < layout.n_employees).all()
    assert (layout.customer_of(service[:, 1]) == layout.customers).all()
    assert (service[:, 0] == s.serving_employee[layout.customers]).all()
    active = s.status[layout.customers] == 1
    assert (s.employee_firm[service[active, 0]] == s.firm_of[layout.customers][active]).all()
    ties = layout.edges[layout.kinds == 0]
    assert len(ties) and (s.employee_firm[ties[:, 0]] == s.employee_firm[ties[:, 1]]).all()
    assert {s.employee_firm[ties[:, 0]].min(), s.employee_firm[ties[:, 0]].max()} == {0, 1}


def test_network_groups_each_firms_departments_around_its_name(duopoly):
    layout = compute_layout(duopoly, max_customers=80)
    departments = duopoly.scenario_config.firm.departments
    assert layout.labels == (*departments, *departments) and layout.firms == duopoly.firm_names
    xy, s = layout.xy[: layout.n_employees], duopoly.state
    to_centre = np.linalg.norm(xy[:, None, :] - layout.firm_centres[None], axis=2)
    assert (to_centre.argmin(axis=1) == s.employee_firm).all()  # nearer its own firm
    nodes = network_option(duopoly, layout)["series"][0]["data"]
    shown = [n["label"]["formatter"] for n in nodes if "label" in n]
    assert shown == [*departments, *departments, "leader", "laggard"]
    names = [n["name"] for n in nodes]
    assert len(set(names)) == len(names)  # ECharts drops a graph whose node names repeat
    last = layout.n_employees - 1
    assert nodes[0]["name"].startswith("leader ") and nodes[last]["name"].startswith("laggard ")


def test_page_firm_selector_moves_the_chosen_firms_slider(monkeypatch):
    """In the test renderer: duopoly, choose laggard, its IT slider to 0.9, Reset."""
    monkeypatch.setattr("ckm_sim.dashboard.model.CLASSROOM_CUSTOMERS", SMALL["customers"])
    _, rc = solara.render(app.Page(), handle_error=False)
    assert not rc.find(vw.Select, label="Firm the sliders set").widgets  # single firm: none
    rc.find(vw.Select, label="Preset").widget.v_model = "duopoly"
    selector = rc.find(vw.Select, label="Firm the sliders set").widget
    assert selector.items == ["leader", "laggard"] and selector.v_model == "leader"
    assert rc.find(vw.Html, attributes={"data-slider": "firms.leader.it_systems"}).widgets
    others = rc.find(vw.Html, class_="ckm-others").find(vw.Html, class_="ckm-note").widgets
    texts = [str(w.children) for w in others]
    assert len(texts) == 2 and "laggard: Inter-functional 0.30 · Organisational 0.30" in texts[1]
    selector.v_model = "laggard"
    box = rc.find(vw.Html, attributes={"data-slider": "firms.laggard.it_systems"})
    box.find(vw.Slider).widget.v_model = 0.9
    rc.find(vw.Btn, children=["Reset"]).widget.click()
    html = "".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)
    line = re.search(r'data-figure="settings">([^<]*)', html).group(1)
    assert (
        "leader: Inter-functional 0.80 · Organisational 0.80 · Cooperation 0.80 · IT 0.80" in line
    )
    assert (
        "laggard: Inter-functional 0.30 · Organisational 0.30 · Cooperation 0.30 · IT 0.90" in line
    )
    assert 'data-figure="leader.market_share"' in html


def test_the_firm_keys_run_the_preset_as_its_file_says():
    """market_entry's firms set no competence: the sliders' keys (the top-level levels) must not
    change its run against the same market without them."""
    settings = {**preset_settings("market_entry"), **SMALL}
    with_keys = DashboardModel(**settings)
    without = DashboardModel(**{k: v for k, v in settings.items() if not k.startswith("firms.")})
    with_keys.run(3)
    without.run(3)
    assert with_keys.timeseries().equals(without.timeseries())
