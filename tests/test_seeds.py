"""Seeds and numbers as Mesa and sweep tools pass them: an unset seed is fresh entropy and is
recorded, a recorded seed repeats its run, integral floats and numpy integers are whole numbers."""

from __future__ import annotations

import warnings

import mesa
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckm_sim import CKMModel, Scenario, ScenarioError, run_scenario
from ckm_sim.model.scenario import as_whole_number

SMALL = dict(customers=60, prospects=30, employees=10, need_dimensions=6)
PERIODS = 5


def _batch(**kwargs) -> list[dict]:
    kwargs.setdefault("data_collection_period", -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Mesa deprecates iterations=
        return mesa.batch_run(CKMModel, number_processes=1, display_progress=False, **kwargs)


def _equity(rows: list[dict]) -> list[float]:
    return [row["customer_equity"] for row in rows]


def test_unseeded_models_draw_and_record_distinct_seeds():
    models = [CKMModel(**SMALL).run(PERIODS) for _ in range(3)]
    seeds = [m.seed for m in models]
    assert len(set(seeds)) == 3 and all(isinstance(s, int) and s >= 0 for s in seeds)
    assert [m.summary()["seed"] for m in models] == seeds
    assert len({m.outcomes["customer_equity"] for m in models}) == 3


def test_batch_run_iterations_give_distinct_runs():
    rows = _batch(parameters={**SMALL, "periods": PERIODS}, iterations=3)
    assert len(rows) == 3 and len(set(_equity(rows))) == 3


def test_batch_run_rows_with_rng_none_record_the_seed_each_run_drew():
    # issue 25: rng=None leaves None in batch_run's own "rng" column; the model's reporter gives
    # the seed it drew, and that seed replays the row exactly
    rows = _batch(parameters={**SMALL, "periods": PERIODS}, rng=[None] * 3)
    assert [row["rng"] for row in rows] == [None] * 3
    seeds = [row["seed"] for row in rows]
    assert len(set(seeds)) == 3 and all(isinstance(s, int) and s >= 0 for s in seeds)
    for row in rows:
        again = _batch(parameters={**SMALL, "periods": PERIODS}, rng=[row["seed"]])
        assert len(again) == 1
        replayed = {k: v for k, v in again[0].items() if k not in ("RunId", "iteration", "rng")}
        original = {k: v for k, v in row.items() if k not in ("RunId", "iteration", "rng")}
        assert replayed.keys() == original.keys()
        for key, value in original.items():  # NaN (an outcome without customers) equals NaN
            assert value == replayed[key] or (value != value and replayed[key] != replayed[key])


def test_every_collected_period_carries_the_seed_but_the_timeseries_keeps_outcomes_only():
    rows = _batch(parameters={**SMALL, "periods": PERIODS}, rng=[None], data_collection_period=1)
    assert len(rows) == PERIODS + 1 and len({row["seed"] for row in rows}) == 1
    model = CKMModel(rng=rows[0]["seed"], **SMALL).run(PERIODS)
    assert "seed" not in model.timeseries().columns
    by_period = pd.DataFrame(rows).set_index("Step")["customer_equity"]
    np.testing.assert_array_equal(by_period.to_numpy(), model.timeseries()["customer_equity"])


def test_rng_none_is_fresh_entropy_even_for_a_seeded_scenario():
    # Mesa's own advice, rng=[None] * n: the shipped baseline fixes seed 42, rng=None overrides it
    rows = _batch(parameters={"scenario": "baseline", **SMALL, "periods": PERIODS}, rng=[None] * 3)
    assert len(set(_equity(rows))) == 3


def test_a_seed_parameter_of_batch_run_is_used():
    rows = _batch(parameters={**SMALL, "periods": PERIODS, "seed": [3, 4]})
    by_seed = {row["seed"]: row["customer_equity"] for row in rows}
    for seed in (3, 4):
        again = CKMModel(rng=seed, **SMALL).run(PERIODS)
        assert by_seed[seed] == again.outcomes["customer_equity"]


def test_a_recorded_seed_repeats_the_run_bit_for_bit():
    first = CKMModel(**SMALL).run(PERIODS)
    again = CKMModel(rng=first.seed, **SMALL).run(PERIODS)
    pd.testing.assert_frame_equal(first.timeseries(), again.timeseries(), check_exact=True)
    assert first.summary() == again.summary()
    np.testing.assert_array_equal(first.state.beliefs, again.state.beliefs)


def test_a_scenario_file_seed_is_respected(tmp_path):
    path = tmp_path / "seeded.toml"
    path.write_text("seed = 7\n[market]\ncustomers = 60\nprospects = 30\nneed_dimensions = 6\n")
    model = CKMModel(path, employees=10).run(PERIODS)
    assert model.seed == 7 and model.summary()["seed"] == 7
    explicit = CKMModel(path, employees=10, rng=7).run(PERIODS)
    assert model.summary() == explicit.summary()
    assert CKMModel(path, employees=10, rng=None).seed != 7  # rng=None: fresh, as in Mesa
    assert CKMModel("baseline", **SMALL).seed == 42


def test_a_generator_is_used_as_given_and_records_no_seed():
    a = CKMModel(rng=np.random.default_rng(5), **SMALL).run(PERIODS)
    b = CKMModel(rng=np.random.default_rng(5), **SMALL).run(PERIODS)
    assert a.seed is None and a.summary()["seed"] is None
    assert a.summary() == b.summary()


@pytest.mark.parametrize("seed", [np.int64(5), np.uint32(5), 5.0, np.float64(5.0)])
def test_numpy_integers_and_integral_floats_are_seeds(seed):
    # EMA Workbench's Mesa example makes np.int64 seeds; they used to fail inside Mesa
    model = CKMModel(rng=seed, **SMALL).run(PERIODS)
    assert model.seed == 5 and type(model.seed) is int
    assert model.summary() == CKMModel(rng=5, **SMALL).run(PERIODS).summary()


def test_integral_float_periods_run():
    model = CKMModel(periods=6.0, **SMALL, rng=1)
    assert model.scenario_config.periods == 6 and type(model.scenario_config.periods) is int
    assert model.run(6.0).steps == 6
    other = CKMModel(rng=1, **SMALL).run(np.int64(6)).summary()
    # the same run (NaN where a yearly cohort is not reached: compared as equal)
    assert other.keys() == model.summary().keys()
    for key, value in model.summary().items():
        assert value == other[key] or (value != value and other[key] != other[key]), key
    run = run_scenario(Scenario(), seed=np.int64(1), periods=6.0, **SMALL)
    assert run.summary == model.summary()


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: CKMModel(periods=60.5, **SMALL), "'periods': must be a whole number (got 60.5)"),
        (lambda: CKMModel(periods="60", **SMALL), "'periods': must be a whole number (got '60')"),
        (lambda: CKMModel(customers=True), "'customers' must be a number, not true"),
        (
            lambda: CKMModel(segments=2.5, **SMALL),
            "'market.segments': must be a whole number (got 2.5)",
        ),
        (lambda: CKMModel(rng=60.5, **SMALL), "seed must be a whole number, got 60.5"),
        (lambda: CKMModel(rng=True, **SMALL), "seed must be a whole number, got True"),
        (lambda: CKMModel(rng="7", **SMALL), "seed must be a whole number, got '7'"),
        (lambda: CKMModel(rng=-1, **SMALL), "seed must be >= 0, got -1"),
        (lambda: CKMModel(rng=1, **SMALL).run(2.5), "periods must be a whole number, got 2.5"),
        (lambda: run_scenario(Scenario(), seed=1, periods=1.5), "periods must be a whole number"),
    ],
)
def test_bad_numbers_are_one_line_errors(build, fragment):
    with pytest.raises(ScenarioError) as err:
        build()
    assert fragment in str(err.value) and "\n" not in str(err.value)


def test_run_scenario_by_name_without_a_seed():
    run = run_scenario("baseline", periods=3, **SMALL)
    assert run.summary["seed"] == 42 and run.summary["scenario"] == "baseline"
    fresh = run_scenario(Scenario(), periods=3, **SMALL)
    again = run_scenario(Scenario(), seed=fresh.summary["seed"], periods=3, **SMALL)
    assert fresh.summary == again.summary


TINY = dict(customers=20, prospects=10, employees=5, need_dimensions=4)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_any_recorded_seed_rebuilds_the_same_model(seed):
    a = CKMModel(rng=seed, **TINY).run(2)
    b = CKMModel(rng=a.seed, **TINY).run(2)
    assert a.seed == seed
    pd.testing.assert_series_equal(pd.Series(a.summary()), pd.Series(b.summary()))
    np.testing.assert_array_equal(a.state.beliefs, b.state.beliefs)
    np.testing.assert_array_equal(a.state.status, b.state.status)


@given(st.integers(min_value=-(2**62), max_value=2**62))
def test_whole_numbers_in_every_numeric_spelling(n):
    assert as_whole_number(n) == n
    assert as_whole_number(np.int64(n)) == n
    if abs(n) < 2**53:  # exactly representable as a float
        assert as_whole_number(float(n)) == n


@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not float(x).is_integer()))
def test_fractions_and_non_finite_floats_are_not_whole_numbers(x):
    with pytest.raises(ValueError, match="whole number"):
        as_whole_number(x)


@pytest.mark.parametrize("value", [True, False, np.bool_(True), "7", None, [7]])
def test_booleans_strings_and_others_are_not_whole_numbers(value):
    with pytest.raises(ValueError, match="whole number"):
        as_whole_number(value)


def test_command_line_records_the_fresh_seed_of_an_unseeded_file(tmp_path, capsys):
    import json

    from ckm_sim import cli

    path = tmp_path / "unseeded.toml"
    path.write_text("[market]\ncustomers = 40\nprospects = 20\n[firm]\nemployees = 10\n")
    common = [str(path), "--periods", "3", "--quiet"]
    assert cli.main(["run", *common, "--out", str(tmp_path / "a")]) == 0
    first = json.loads((tmp_path / "a" / "unseeded" / "summary.json").read_text())["summary"]
    assert isinstance(first["seed"], int)
    assert f"seed {first['seed']}" in capsys.readouterr().out
    again = ["run", *common, "--seed", str(first["seed"]), "--out", str(tmp_path / "b")]
    assert cli.main(again) == 0
    second = json.loads((tmp_path / "b" / "unseeded" / "summary.json").read_text())["summary"]
    assert second == first
