"""Dashboard components, rendered with solara's own test renderer (as Mesa's tests do)."""

from __future__ import annotations

import math

import ipyvuetify as vw
import numpy as np
import pytest
import solara
from hypothesis import given
from hypothesis import strategies as st
from mesa.visualization.solara_viz import _build_model_init_kwargs
from solara.components.echarts import EchartsWidget

from ckm_sim.dashboard import app
from ckm_sim.dashboard.charts import PANELS, timeseries_option
from ckm_sim.dashboard.compare import build_pair
from ckm_sim.dashboard.figures import figures_html
from ckm_sim.dashboard.model import (
    CLASSROOM_CUSTOMERS,
    DIMENSION_LABELS,
    MARKET_SLIDERS,
    DashboardModel,
    model_params,
    preset_values,
)
from ckm_sim.dashboard.network_view import (
    compute_layout,
    network_layout,
    network_option,
    satisfaction_colours,
)
from ckm_sim.model.market import ACTIVE, CHURNED
from ckm_sim.model.scenario import DIMENSIONS, list_scenarios, load_scenario

SMALL = {"customers": 200, "employees": 20}


@solara.component
def Shell():
    """The page inside an app layout, so the sidebar (Mesa's controls) is rendered too."""
    with solara.AppLayout():
        app.Page()


def small_page(monkeypatch):
    """Render the page with a small classroom, for speed."""
    monkeypatch.setattr("ckm_sim.dashboard.model.CLASSROOM_CUSTOMERS", SMALL["customers"])
    _, rc = solara.render(Shell(), handle_error=False)
    return rc


def page_html(rc) -> str:
    """The HTML of every panel on the page (figures, notes)."""
    return "".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


def live_option(rc) -> dict:
    """The live time-series chart's option (the ECharts widget with eight grids)."""
    options = [w.option for w in rc.find(EchartsWidget).widgets]
    return next(o for o in options if len(o.get("grid", [])) == len(PANELS))


def test_preset_values_come_from_the_scenario_file_with_the_class_size_capped():
    for preset in list_scenarios():
        sc = load_scenario(preset)
        values = preset_values(preset)
        for dim in DIMENSIONS:
            assert values[dim] == getattr(sc.competence, dim)
        assert values["customers"] == min(sc.market.customers, CLASSROOM_CUSTOMERS)
        assert values["employees"] == sc.firm.employees
        assert values["turbulence"] == sc.market.turbulence


def test_model_params_give_a_slider_per_dimension_market_parameter_and_seed():
    params = model_params("it_only")
    sc = load_scenario("it_only")
    for name in [*DIMENSION_LABELS, *MARKET_SLIDERS, "seed"]:
        slider = params[name]
        assert slider.min <= slider.value <= slider.max
    assert params["it_systems"].value == sc.competence.it_systems
    assert params["learning_culture"].value == sc.competence.learning_culture
    assert params["preset"] == "it_only"


def test_mesa_reset_kwargs_rebuild_the_preset_with_the_sliders():
    """SolaraViz's Reset passes the sliders and a Mesa scenario object; the model takes both."""
    model = DashboardModel(preset="it_only", **SMALL)
    values = {**preset_values("it_only"), "customers": 300, "it_systems": 0.4, "seed": 7}
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    rebuilt = type(model)(**kwargs)
    file = load_scenario("it_only")
    assert rebuilt.scenario_config.competence.it_systems == 0.4
    assert rebuilt.scenario_config.competence.learning_culture == file.competence.learning_culture
    assert rebuilt.scenario_config.market.customers == 300
    share = file.market.prospects / file.market.customers
    assert rebuilt.scenario_config.market.prospects == round(300 * share)
    assert rebuilt.seed == 7


def test_same_seed_same_run():
    a, b = DashboardModel(seed=3, **SMALL), DashboardModel(seed=3, **SMALL)
    a.run(3)
    b.run(3)
    assert a.outcomes == b.outcomes


def test_network_layout_is_cached_sampled_and_leaves_the_run_alone():
    watched, unwatched = DashboardModel(**SMALL), DashboardModel(**SMALL)
    layout = network_layout(watched, max_customers=50)
    n_emp = SMALL["employees"]
    n_cust = len(watched.state.status)
    assert len(layout.customers) == 50 and len(np.unique(layout.customers)) == 50
    assert layout.customers.min() >= 0 and layout.customers.max() < n_cust
    assert layout.xy.shape == (n_emp + 50, 2)
    assert layout.edges.min() >= 0 and layout.edges.max() < n_emp + 50
    for _ in range(3):
        watched.step()
        unwatched.step()
        network_option(watched, network_layout(watched, max_customers=50))
        assert network_layout(watched, max_customers=50) is layout  # computed once per model
    assert watched.outcomes == unwatched.outcomes  # drawing never used the model's generator
    # every tie between drawn nodes is drawn: the service tie of each drawn customer
    assert len(layout.edges) >= 50


def test_network_layout_draws_everyone_when_the_market_is_small():
    model = DashboardModel(customers=30, prospects=10, employees=10)
    layout = compute_layout(model, max_customers=300)
    assert len(layout.customers) == 40


def test_network_option_colours_customers_by_state():
    model = DashboardModel(**SMALL)
    model.run(30)
    layout = network_layout(model, max_customers=400)
    nodes = network_option(model, layout)["series"][0]["data"]
    n_emp = SMALL["employees"]
    status = model.state.status[layout.customers]
    colours = satisfaction_colours(model.state.satisfaction[layout.customers])
    for k, node in enumerate(nodes[n_emp:]):
        if status[k] == ACTIVE:
            assert node["itemStyle"]["color"] == colours[k]
        elif status[k] == CHURNED:
            assert node["itemStyle"]["opacity"] < 0.5
    departments = model.state.employee_department
    assert [n["category"] for n in nodes[:n_emp]] == list(departments)
    assert (status == CHURNED).any()  # 30 periods of a 200-customer market lose someone


def test_satisfaction_colours_run_from_red_through_yellow_to_green():
    red, yellow, green = satisfaction_colours(np.array([0.0, 0.5, 1.0]))
    assert red == "#d73027" and yellow == "#fee08b" and green == "#1a9850"


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20))
def test_satisfaction_colours_are_always_valid_hex(values):
    colours = satisfaction_colours(np.array(values, dtype=float))
    assert len(colours) == len(values)
    assert all(len(c) == 7 and c[0] == "#" and int(c[1:], 16) >= 0 for c in colours)


def test_timeseries_option_has_a_line_per_measure_and_run_and_no_nan():
    model = DashboardModel(customers=0, prospects=0, employees=10)  # NaN outcomes: no customers
    model.run(2)
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    one = timeseries_option({"": df})
    assert len(one["series"]) == sum(len(m) for _, m in PANELS)
    two = timeseries_option({"a": df, "b": df})
    assert len(two["series"]) == 2 * len(one["series"])
    for series in one["series"]:
        assert len(series["data"]) == 3  # periods 0, 1, 2
        assert all(v is None or math.isfinite(v) for _, v in series["data"])
    retention = next(s for s in one["series"] if s["name"].startswith("Retention"))
    assert all(v is None for _, v in retention["data"])  # no customers: a gap, not a number


def test_figures_panel_shows_period_and_the_models_outcomes():
    model = DashboardModel(**SMALL)
    model.run(2)
    html = figures_html(model)
    assert 'data-figure="period">Period 2' in html
    assert f'data-figure="active_customers">{model.outcomes["active_customers"]:,}' in html
    assert f'data-figure="offer_fit">{model.outcomes["offer_fit"]:.3f}' in html


def test_side_by_side_pair_shares_seed_and_market_and_follows_the_clock():
    model = DashboardModel(seed=5, customers=150, prospects=50, employees=15, turbulence=0.03)
    pair = build_pair(model, "it_only", "customer_centric")
    for run in (pair.left, pair.right):
        assert run.seed == 5
        assert run.scenario_config.market.customers == 150
        assert run.scenario_config.market.turbulence == 0.03
        assert run.scenario_config.firm.employees == 15
    for preset, run in (("it_only", pair.left), ("customer_centric", pair.right)):
        assert run.scenario_config.competence == load_scenario(preset).competence
    model.run(4)
    pair.catch_up(model.steps)
    assert pair.left.steps == pair.right.steps == 4


def test_page_step_button_advances_model_figures_and_charts(monkeypatch):
    rc = small_page(monkeypatch)
    labels = {w.label for w in rc.find(vw.Slider).widgets}
    assert set(DIMENSION_LABELS.values()) <= labels
    assert {label for label, *_ in MARKET_SLIDERS.values()} <= labels
    before = live_option(rc)
    assert len(before["series"][0]["data"]) == 1
    rc.find(vw.Btn, children=["Step"]).widget.click()
    rc.find(vw.Btn, children=["Step"]).widget.click()
    after = live_option(rc)
    assert len(after["series"][0]["data"]) == 3
    html = page_html(rc)
    assert 'data-figure="period">Period 2' in html


def test_page_slider_applies_on_reset(monkeypatch):
    rc = small_page(monkeypatch)
    rc.find(vw.Slider, label="IT systems").widget.v_model = 0.9
    rc.find(vw.Btn, children=["Reset"]).widget.click()
    html = page_html(rc)
    assert "IT 0.90" in html and 'data-figure="period">Period 0' in html


def test_page_preset_loads_its_values_into_the_sliders(monkeypatch):
    rc = small_page(monkeypatch)
    rc.find(vw.Select, label="Preset").widget.v_model = "it_only"
    sc = load_scenario("it_only")
    for dim, label in DIMENSION_LABELS.items():
        assert rc.find(vw.Slider, label=label).widget.v_model == pytest.approx(
            getattr(sc.competence, dim)
        )
    html = page_html(rc)
    assert "it_only" in html and f"IT {sc.competence.it_systems:.2f}" in html


def test_dashboard_command_refuses_a_busy_port_in_one_line(capsys):
    import socket

    from ckm_sim.commands import dashboard

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert dashboard.main(["--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "in use" in err and str(port) in err


def test_dashboard_command_rejects_a_bad_port():
    from ckm_sim.commands import dashboard

    with pytest.raises(SystemExit) as exit_info:
        dashboard.main(["--port", "70000"])
    assert exit_info.value.code == 2
