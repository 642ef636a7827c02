"""Dashboard components, rendered with solara's own test renderer (as Mesa's tests do)."""

from __future__ import annotations

import math

import ipyvuetify as vw
import numpy as np
import pytest
import solara
from hypothesis import given
from hypothesis import strategies as st
from solara.components.echarts import EchartsWidget

from ckm_sim.dashboard import app
from ckm_sim.dashboard.charts import PANELS, timeseries_option
from ckm_sim.dashboard.compare import COMPARED, build_pair, comparison_table
from ckm_sim.dashboard.figures import HEADLINE, figures_html, headline_html
from ckm_sim.dashboard.flows import FADE, FlowTrace
from ckm_sim.dashboard.model import (
    CLASSROOM_CUSTOMERS,
    SLIDERS,
    DashboardModel,
    model_settings,
    preset_settings,
)
from ckm_sim.dashboard.network_view import (
    CATEGORIES,
    compute_layout,
    network_layout,
    network_option,
    sample_note,
    satisfaction_colours,
)
from ckm_sim.dashboard.notes import MEASURES, format_difference, format_value
from ckm_sim.dashboard.runner import Runner
from ckm_sim.model.market import ACTIVE, CHURNED
from ckm_sim.model.outcomes import OUTCOMES
from ckm_sim.model.scenario import DIMENSIONS, list_scenarios, load_scenario

SMALL = {"customers": 200, "employees": 20}


def small_page(monkeypatch):
    """Render the page with a small classroom, for speed."""
    monkeypatch.setattr("ckm_sim.dashboard.model.CLASSROOM_CUSTOMERS", SMALL["customers"])
    _, rc = solara.render(app.Page(), handle_error=False)
    return rc


def page_html(rc) -> str:
    """The HTML of every panel on the page (figures, notes)."""
    return "".join(w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets)


def live_option(rc) -> dict:
    """The live time-series chart's option (the ECharts widget with eight grids)."""
    options = [w.option for w in rc.find(EchartsWidget).widgets]
    return next(o for o in options if len(o.get("grid", [])) == len(PANELS))


def test_preset_settings_come_from_the_scenario_file_with_the_class_size_capped():
    for preset in list_scenarios():
        sc = load_scenario(preset)
        values = preset_settings(preset)
        for dim in DIMENSIONS:
            if sc.firms:  # each firm's own levels, under the model's override keys
                for firm in sc.firm_names():
                    level = getattr(sc.for_firm(firm).competence, dim)
                    assert values[f"firms.{firm}.{dim}"] == level
                assert dim not in values
            else:
                assert values[dim] == getattr(sc.competence, dim)
        assert values["customers"] == min(sc.market.customers, CLASSROOM_CUSTOMERS)
        assert values["employees"] == sc.firm.employees
        assert values["turbulence"] == sc.market.turbulence


def test_a_model_built_from_settings_reads_back_the_same_settings():
    settings = {**preset_settings("it_only"), "customers": 300, "it_systems": 0.4, "seed": 7}
    model = DashboardModel(**settings)
    back = model_settings(model)
    for name in [*SLIDERS, "seed"]:
        assert back[name] == pytest.approx(settings[name])
    assert back["preset"] == "it_only"
    file = load_scenario("it_only")
    share = file.market.prospects / file.market.customers
    assert model.scenario_config.market.prospects == round(300 * share)


def test_runner_reset_builds_the_preset_and_sliders_the_controls_show():
    """Defect 1: after a preset and a slider, Reset runs exactly what the controls show."""
    runner = Runner()
    runner.load_preset("customer_centric")
    runner.set_value("turbulence", 0.05)
    assert set(runner.pending()) == {"turbulence"}
    runner.step()
    runner.reset()
    assert runner.pending() == {} and runner.period == 0
    sc = runner.model.scenario_config
    assert sc.competence == load_scenario("customer_centric").competence
    assert sc.market.turbulence == 0.05
    assert sc.market.customers == CLASSROOM_CUSTOMERS
    runner.load_preset("baseline")
    assert runner.model.scenario_config.market.customers == CLASSROOM_CUSTOMERS
    assert (
        runner.model.scenario_config.market.turbulence
        == load_scenario("baseline").market.turbulence
    )


def test_runner_plays_to_the_target_and_pauses_between_periods():
    runner = Runner()
    assert runner.play(3)
    while runner.advance():
        pass
    assert runner.period == 3 and not runner.playing.is_set()
    assert runner.pair.left.steps == runner.pair.right.steps == 3
    assert not runner.play(2)  # already past it
    runner.play()
    assert runner.advance() and runner.period == 4
    runner.pause()
    assert not runner.advance() and runner.period == 4


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
    assert (layout.kinds == 1).sum() == 50  # one service tie per drawn customer


def test_network_layout_draws_everyone_when_the_market_is_small():
    model = DashboardModel(customers=30, prospects=10, employees=10)
    layout = compute_layout(model, max_customers=300)
    assert len(layout.customers) == 40
    assert sample_note(model, layout) == "Everyone in the market is drawn."


def test_sample_note_counts_customers_and_prospects_apart():
    """Defect 6: prospects are not counted as customers."""
    model = DashboardModel(customers=200, prospects=100, employees=10)
    layout = compute_layout(model, max_customers=60)
    note = sample_note(model, layout)
    assert "of 200 customers" in note and "of 100 prospects" in note


def test_network_option_colours_customers_by_state_and_never_zooms():
    model = DashboardModel(**SMALL)
    model.run(30)
    layout = network_layout(model, max_customers=400)
    option = network_option(model, layout)
    series = option["series"][0]
    assert series["roam"] is False  # defect 4: the wheel scrolls the page
    nodes = series["data"]
    n_emp = SMALL["employees"]
    status = model.state.status[layout.customers]
    colours = satisfaction_colours(model.state.satisfaction[layout.customers])
    for k, node in enumerate(nodes[n_emp : n_emp + len(layout.customers)]):
        if status[k] == ACTIVE:
            assert node["itemStyle"]["color"] == colours[k]
        elif status[k] == CHURNED:
            assert node["category"] == 2 and node["itemStyle"]["opacity"] < 0.5
        else:
            assert node["category"] == 3
    assert (status == CHURNED).any()  # 30 periods of a 200-customer market lose someone
    # defect 6: churned and prospects differ; no node colour is also a satisfaction colour
    (_, employee, _), _, (_, churned, _), (_, prospect, prospect_symbol) = CATEGORIES
    assert churned != prospect and prospect_symbol == "emptyCircle"
    assert employee not in satisfaction_colours(np.linspace(0, 1, 101))


def test_flow_trace_fades_over_periods():
    trace = FlowTrace(5)
    trace.note("about", np.array([1, 3]), 10)
    assert list(trace.opacity("about", np.arange(5), 10)) == [0, FADE[0], 0, FADE[0], 0]
    assert trace.opacity("about", np.array([1]), 11)[0] == FADE[1]
    assert trace.opacity("about", np.array([1]), 10 + len(FADE))[0] == 0.0


def test_flow_trace_matches_what_the_model_counts():
    """The FROM trace holds exactly the customers whose items the model counted."""
    model = DashboardModel(preset="co_creation", customers=300, prospects=100, employees=20)
    for _ in range(4):
        active_before = int((model.state.status == ACTIVE).sum())
        model.step()
        sharers = int((model.flows.last["from"] == model.steps).sum())
        dims = min(model.scenario_config.market.dims_per_feedback, model.state.needs.shape[1])
        items = model.outcomes["knowledge_from_customers"] * active_before
        assert sharers * dims == pytest.approx(items)
        contacted = int((model.flows.last["about"] == model.steps).sum())
        rate = model.scenario_config.market.contact_rate
        sd = (active_before * rate * (1 - rate)) ** 0.5
        assert abs(contacted - rate * active_before) < 5 * sd
        tailored = model.flows.last["for"] == model.steps
        assert (model.flows.last["about"][tailored] == model.steps).all()


def test_network_colours_the_ties_that_carried_a_flow():
    model = DashboardModel(preset="co_creation", **SMALL)
    model.run(3)
    layout = network_layout(model, max_customers=100)
    links = [link for link in network_option(model, layout)["series"][0]["links"] if "flow" in link]
    flows = {link["flow"] for link in links}
    assert flows == {"about", "from", "for"}
    drawn_about = model.flows.opacity("about", layout.customers, model.steps) > 0
    about = [link for link in links if link["flow"] == "about"]
    assert len(about) == int(drawn_about.sum())


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


def test_figures_panel_and_headline_show_the_models_outcomes_with_units():
    model = DashboardModel(**SMALL)
    model.run(2)
    html = figures_html(model)
    assert "Period 2" in html
    assert f'data-figure="active_customers">{model.outcomes["active_customers"]:,}' in html
    assert f'data-figure="offer_fit">{100 * model.outcomes["offer_fit"]:.1f} %' in html
    head = headline_html(model)
    for name in HEADLINE:
        assert f"data-headline='{name}'>{format_value(name, model.outcomes[name])}<" in head
        assert MEASURES[name].meaning.replace("'", "&#x27;") in head


def test_every_outcome_shown_has_a_unit_or_is_a_count_and_a_meaning():
    for name, m in MEASURES.items():
        assert name in OUTCOMES
        assert m.meaning and (m.unit or m.kind == "count")


def test_format_difference_signs_and_relative_change():
    assert format_difference("net_value", 400_000.0, 448_600.0) == "+48,600 (+12 %)"
    assert format_difference("retention_rate", 0.97, 0.95) == "-2.0 pts"
    assert format_difference("mean_satisfaction", 0.5, float("nan")) == "–"


def test_side_by_side_pair_shares_seed_and_market_and_lists_employees_right():
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
    assert "employee_accuracy" in COMPARED  # defect 6
    assert "Employees right" in comparison_table(pair)


def test_chart_subtitle_names_the_solid_and_dashed_lines():
    """Defect 6: the ABOUT panel says which line is CRM profiles right."""
    model = DashboardModel(**SMALL)
    model.run(1)
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    option = timeseries_option({"a": df, "b": df})
    about = next(t for t in option["title"] if t["text"].startswith("Knowledge ABOUT"))
    assert "solid: CRM profiles right" in about["subtext"]
    assert "dashed: Employees right" in about["subtext"]
    assert all(t["textStyle"]["fontSize"] >= 14 for t in option["title"])
    assert all(a["axisLabel"]["fontSize"] >= 14 for a in option["yAxis"])


def test_page_step_button_advances_model_figures_and_charts(monkeypatch):
    rc = small_page(monkeypatch)
    before = live_option(rc)
    assert len(before["series"][0]["data"]) == 1
    rc.find(vw.Btn, children=["Step"]).widget.click()
    rc.find(vw.Btn, children=["Step"]).widget.click()
    after = live_option(rc)
    assert len(after["series"][0]["data"]) == 3
    assert 'data-figure="period">Period 2' in page_html(rc)


def test_page_preset_then_reset_keeps_the_preset(monkeypatch):
    """Defect 1 in the test renderer: choose it_only, Reset: it_only at the classroom size."""
    rc = small_page(monkeypatch)
    rc.find(vw.Select, label="Preset").widget.v_model = "it_only"
    rc.find(vw.Btn, children=["Reset"]).widget.click()
    html = page_html(rc)
    sc = load_scenario("it_only")
    assert "Period 0 · it_only" in html
    assert f"IT {sc.competence.it_systems:.2f}" in html
    assert f"{SMALL['customers']} customers" in html


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


def test_classroom_doc_figures_are_what_the_dashboard_computes():
    """docs/classroom.md quotes only figures the script computes; regenerate with
    ``.venv/bin/python docs/make_classroom_figures.py`` after a model change."""
    from pathlib import Path

    from ckm_sim.dashboard import lesson

    text = (Path(__file__).resolve().parents[1] / "docs" / "classroom.md").read_text()
    assert len(lesson.MARKER.findall(text)) >= 30
    assert lesson.stale(text) == []
    out = lesson.outcomes
    # co-creation's investment and the costs of its extra customers come off its extra equity
    gain = {k: out("co_creation")[k] - out("baseline")[k] for k in ("net_value", "customer_equity")}
    assert gain["net_value"] < gain["customer_equity"]
    # the lesson's qualitative claims hold at these figures
    assert out("customer_centric")["repository_accuracy"] > out("it_only")["repository_accuracy"]
    assert (
        out("co_creation")["knowledge_from_customers"] > out("baseline")["knowledge_from_customers"]
    )
    assert out("turbulent_baseline")["active_customers"] < out("live_baseline")["active_customers"]
    assert out("turbulent_customer_centric")["offer_fit"] > out("turbulent_baseline")["offer_fit"]


def test_runner_stops_at_the_scenarios_horizon():
    runner = Runner()
    runner.settings = {**runner.settings, "customers": 100}
    runner.reset()
    horizon = runner.model.scenario_config.periods
    runner.play(horizon + 10)
    while runner.advance():
        pass
    assert runner.period == horizon and not runner.running and not runner.playing.is_set()
    runner.step()
    assert runner.period == horizon  # Step does nothing past the horizon


def test_flow_trace_makes_room_for_customers_who_arrive():
    import numpy as np

    from ckm_sim.dashboard.flows import FADE, FlowTrace

    trace = FlowTrace(3)
    trace.note("about", np.array([5]), 2)  # a customer who arrived after the trace was made
    shown = trace.opacity("about", np.array([0, 5, 9]), 2)
    assert shown.tolist() == [0.0, FADE[0], 0.0]
