"""mlsd.complexity: the claimed ladder, the measured spectrum and the pick rule."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.complexity import (
    BASELINE_ACCURACY_PCT,
    BASELINE_LATENCY_MS,
    CLAIMED_STEPS,
    CLAIMS,
    DEFAULT_REPEATS,
    FAMILY_OF,
    MEASURED_COLUMNS,
    PREDICTION_KEYS,
    allowed_families,
    claimed_spectrum,
    claims_vs_measured,
    explain_pick,
    measure_spectrum,
    measurement_note,
    pick_model,
    spectrum_summary,
    tier_counterexamples,
)

# CPU seconds, not wall: on a shared machine the wall clock measures the neighbours too.
CPU_LIMIT_S = 4.0


@pytest.fixture(scope="module")
def measured():
    measure_spectrum(repeats=10)  # pay scikit-learn's one-off import cost outside the timing
    start = time.process_time()
    table = measure_spectrum()
    return table, time.process_time() - start


def table_of(rows):
    return pd.DataFrame(rows, columns=["model", "accuracy_pct", "p50_ms", "p99_ms"])


LADDER = table_of(
    [
        ("a", 90.0, 0.2, 0.5),
        ("b", 93.0, 1.0, 3.0),
        ("c", 95.0, 2.0, 10.0),
        ("d", 95.0, 1.5, 8.0),
        ("e", 97.0, 20.0, 40.0),
    ]
)


# --- the guide's claims -------------------------------------------------------------------


def test_claimed_steps_are_the_guides():
    steps = [(s.accuracy_gain_pct, s.latency_cost_ms) for s in CLAIMED_STEPS]
    assert steps == [(10, 1), (5, 5), (3, 20), (2, 50), (1, 100)]


def test_claimed_spectrum_is_cumulative_from_the_stated_baseline():
    table = claimed_spectrum()
    assert list(table["model"])[:5] == [
        "logistic regression",
        "random forest",
        "gradient boosting",
        "neural network",
        "deep ensemble",
    ]
    assert table["accuracy_pct"].iloc[0] == BASELINE_ACCURACY_PCT
    assert table["latency_ms"].iloc[0] == BASELINE_LATENCY_MS
    assert list(table["accuracy_pct"]) == [75, 85, 90, 93, 95, 96]
    assert list(table["latency_ms"]) == [1, 2, 7, 27, 77, 177]
    assert (table["accuracy_pct"].diff().iloc[1:] == table["step_accuracy_pct"].iloc[1:]).all()


def test_claimed_spectrum_other_baseline():
    table = claimed_spectrum(60, 0.5)
    assert table["accuracy_pct"].iloc[-1] == 81
    assert table["latency_ms"].iloc[-1] == 176.5


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"baseline_accuracy_pct": 90}, "baseline_accuracy_pct"),  # 90 + 21 > 100
        ({"baseline_accuracy_pct": -1}, "baseline_accuracy_pct"),
        ({"baseline_latency_ms": 0}, "baseline_latency_ms"),
        ({"baseline_latency_ms": "1"}, "baseline_latency_ms"),
    ],
)
def test_claimed_spectrum_rejects_bad_baselines(kwargs, name):
    with pytest.raises(ValueError, match=name):
        claimed_spectrum(**kwargs)


# --- the measurement ----------------------------------------------------------------------


def test_measure_spectrum_returns_sane_values_quickly(measured):
    table, seconds = measured
    assert seconds < CPU_LIMIT_S, f"measure_spectrum used {seconds:.2f} s of CPU"
    assert tuple(table.columns) == MEASURED_COLUMNS
    assert list(table["model"]) == [
        "logistic regression",
        "random forest",
        "gradient boosting",
        "neural network (MLP)",
        "soft-voting ensemble",
    ]
    assert table["accuracy_pct"].between(85, 100).all()
    assert (table["p50_ms"] > 0).all() and (table["p99_ms"] >= table["p50_ms"]).all()
    assert (table["p99_ms"] < 1000).all()
    assert (table["train_s"] > 0).all()
    assert list(table["family"]) == [FAMILY_OF[m] for m in table["model"]]
    assert (table["cpu_p50_ms"] > 0).all()
    # a thread's CPU time cannot exceed the wall-clock time it ran for
    assert (table["cpu_p50_ms"] <= table["p50_ms"] * 1.05).all()
    assert (table["rank_500_ms"] > 0).all() and (table["rank_500_ms"] < 1000).all()
    # The ensemble runs all four members, so it uses the most CPU, and trains the longest.
    ensemble = table.iloc[-1]
    assert ensemble["cpu_p50_ms"] == table["cpu_p50_ms"].max()
    assert ensemble["train_s"] == pytest.approx(table["train_s"].iloc[:-1].sum(), rel=0.5)
    assert table.attrs["calls"] == DEFAULT_REPEATS
    assert 0 < table.attrs["lr_arithmetic_ms"] < table.loc[0, "cpu_p50_ms"]


def test_measure_spectrum_accuracy_is_reproducible(measured):
    table, _ = measured
    again = measure_spectrum(repeats=10)
    assert list(again["accuracy_pct"]) == list(table["accuracy_pct"])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"dataset": "iris"}, "dataset"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"repeats": 3}, "repeats"),
        ({"repeats": True}, "repeats"),
    ],
)
def test_measure_spectrum_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        measure_spectrum(**kwargs)


def test_spectrum_summary_names_the_extremes(measured):
    table, _ = measured
    text = spectrum_summary(table)
    assert "points" in text and "ms" in text
    assert table.loc[table["accuracy_pct"].idxmax(), "model"] in text
    assert spectrum_summary(LADDER, "p99_ms").startswith("Accuracy spans 90.0-97.0 %")


# --- is the machine busy? ----------------------------------------------------------------


def timed(p50, p99, cpu, calls=200, load=None):
    table = pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(len(p50))],
            "accuracy_pct": [90.0] * len(p50),
            "p50_ms": p50,
            "p99_ms": p99,
            "cpu_p50_ms": cpu,
        }
    )
    table.attrs.update(calls=calls, load_per_core=load)
    return table


def test_note_on_a_quiet_machine():
    text = measurement_note(timed([0.2, 2.0], [0.3, 2.6], [0.19, 1.95], load=0.2))
    assert text.startswith("The machine was quiet enough")
    assert "within 1.5x p50 (m0)" in text and "load 0.2 per core" in text
    assert "With 200 calls, p99 is about the 3rd-slowest call" in text


def test_note_when_calls_waited_for_a_core():
    # the slow model's calls were interrupted: wall twice its CPU time, tail still short
    text = measurement_note(timed([0.2, 5.0], [0.3, 7.0], [0.2, 2.4]))
    assert text.startswith("⚠ The machine was busy while measuring")
    assert "took 2.0x the CPU time" in text and "cpu_p50_ms" in text


def test_note_when_the_tail_is_long():
    text = measurement_note(timed([0.3, 2.0], [9.0, 2.5], [0.3, 2.0], calls=100))
    assert text.startswith("⚠") and "p99 reached 30x p50 (m0)" in text
    assert "With 100 calls, p99 is about the 2nd-slowest call" in text


def test_note_without_cpu_times_says_so():
    assert measurement_note(LADDER).startswith("No note")


@pytest.mark.parametrize(("calls", "rank"), [(100, "2nd"), (200, "3rd"), (1000, "11th")])
def test_note_names_which_slow_call_p99_is(calls, rank):
    text = measurement_note(timed([1.0], [1.1], [1.0], calls=calls))
    assert f"p99 is about the {rank}-slowest call" in text


def test_measured_note_agrees_with_the_busy_rule(measured):
    table, _ = measured
    waited = table["p50_ms"].sum() / table["cpu_p50_ms"].sum()
    busy = waited > 1.3 or (table["p99_ms"] / table["p50_ms"]).max() > 5
    assert measurement_note(table).startswith("⚠") == busy


# --- the guide's tier rule against measurements -------------------------------------------

FAMILIES_TABLE = pd.DataFrame(
    {
        "model": ["lr", "gbm", "forest", "mlp", "ensemble"],
        "family": ["simple", "medium", "medium", "complex", "complex"],
        "accuracy_pct": [95.9, 93.6, 94.7, 95.3, 96.5],
        "p50_ms": [0.2, 0.3, 2.0, 0.2, 3.0],
        "p99_ms": [0.4, 0.6, 50.0, 0.5, 200.0],
    }
)


@pytest.mark.parametrize(
    ("budget", "families"),
    [
        (0.01, ("simple",)),
        (49.99, ("simple",)),
        (50, ("simple", "medium")),
        (199.9, ("simple", "medium")),
        (200, ("simple", "medium", "complex")),
    ],
)
def test_allowed_families_follow_the_guides_tiers(budget, families):
    assert allowed_families(budget) == families


@pytest.mark.parametrize(
    ("budget", "col", "expected"),
    [
        (10, "p99_ms", ["mlp", "gbm"]),  # most accurate first
        (0.5, "p99_ms", ["mlp"]),  # exactly the budget fits
        (0.49, "p99_ms", []),
        (49.99, "p99_ms", ["mlp", "gbm"]),  # the forest's 50 ms does not fit
        (50, "p99_ms", ["mlp"]),  # from 50 ms medium models are allowed
        (199.9, "p99_ms", ["mlp"]),
        (200, "p99_ms", []),  # from 200 ms the rule allows everything
        (3, "p50_ms", ["ensemble", "mlp", "forest", "gbm"]),
    ],
)
def test_tier_counterexamples(budget, col, expected):
    assert tier_counterexamples(FAMILIES_TABLE, budget, col) == expected


def test_tier_counterexamples_ties_go_to_the_faster_model():
    twins = FAMILIES_TABLE.assign(accuracy_pct=[90.0, 95.0, 95.0, 80.0, 70.0])
    assert tier_counterexamples(twins, 60, "p99_ms") == ["mlp"]
    assert tier_counterexamples(twins, 49, "p50_ms")[:2] == ["gbm", "forest"]
    assert tier_counterexamples(twins.iloc[::-1], 49, "p50_ms")[:2] == ["gbm", "forest"]


def test_tier_counterexamples_needs_families():
    with pytest.raises(ValueError, match="'family' column"):
        tier_counterexamples(LADDER, 10)
    with pytest.raises(ValueError, match="latency_budget_ms"):
        tier_counterexamples(FAMILIES_TABLE, 0)


def test_measured_models_contradict_the_50_ms_tier(measured):
    table, _ = measured
    # every non-simple model answers one row far below 50 ms of CPU time
    assert (table.loc[table["family"] != "simple", "cpu_p50_ms"] < 50).all()
    assert set(tier_counterexamples(table, 49, "p50_ms")) == set(table["model"][1:])


# --- the guide's claims next to measurements ----------------------------------------------


def test_claims_table_quotes_the_guide_and_measures(measured):
    table, _ = measured
    report = claims_vs_measured(table, {"lr_p99_ms": 50, "forest_gain_points": 10})
    assert list(report.columns) == [
        "claim",
        "the guide says",
        "you predicted",
        "measured here",
        "unit",
    ]
    assert len(report) == len(CLAIMS) == len(PREDICTION_KEYS)
    assert list(report["you predicted"]) == ["10", "—", "—", "50", "—"]
    lr = table.loc[table["model"] == "logistic regression"].iloc[0]
    assert report.loc[3, "measured here"] == f"{lr['p99_ms']:.3g}"
    assert report.loc[2, "measured here"] == "4" or float(report.loc[2, "measured here"]) < 4
    assert "+10 points" in report.loc[0, "the guide says"]
    assert "seconds" in report.loc[4, "the guide says"]


def test_claims_on_a_foreign_table_show_dashes():
    report = claims_vs_measured(LADDER)
    assert set(report["measured here"]) == {"—"} and set(report["you predicted"]) == {"—"}


@pytest.mark.parametrize(
    ("predictions", "match"),
    [
        ({"lr_ms": 3}, "predictions keys must be among"),
        ({"lr_p99_ms": "fast"}, r"predictions\['lr_p99_ms'\] must be a number"),
        ([("lr_p99_ms", 3)], "predictions must be a dict"),
    ],
)
def test_claims_reject_bad_predictions(predictions, match):
    with pytest.raises(ValueError, match=match):
        claims_vs_measured(LADDER, predictions)


# --- the pick rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "col", "expected"),
    [
        (0.4, "p99_ms", None),  # nothing fits
        (0.5, "p99_ms", "a"),  # exactly at the budget fits
        (3, "p99_ms", "b"),
        (8, "p99_ms", "d"),  # d fits at exactly 8; c (10) does not
        (10, "p99_ms", "d"),  # c and d tie at 95 %: d is faster
        (39.99, "p99_ms", "d"),
        (40, "p99_ms", "e"),
        (1.0, "p50_ms", "b"),
        (1.5, "p50_ms", "d"),
        (2.0, "p50_ms", "d"),  # tie again, by p50 d (1.5) beats c (2.0)
        (19.9, "p50_ms", "d"),
        (20, "p50_ms", "e"),
        (0.1, "p50_ms", None),
    ],
)
def test_pick_model_cases(budget, col, expected):
    assert pick_model(LADDER, budget, col) == expected


def test_pick_model_default_column_is_p99():
    assert pick_model(LADDER, 3) == "b"  # by p50 it would be d
    assert pick_model(LADDER, 3, "p50_ms") == "d"


def test_pick_model_exact_tie_goes_to_the_earlier_row():
    twins = table_of([("first", 95.0, 1.0, 1.0), ("second", 95.0, 1.0, 1.0)])
    assert pick_model(twins, 5) == "first"


def test_pick_model_on_the_claimed_ladder():
    claimed = claimed_spectrum()
    assert pick_model(claimed, 7, "latency_ms") == "gradient boosting"
    assert pick_model(claimed, 100, "latency_ms") == "deep ensemble"
    assert pick_model(claimed, 0.5, "latency_ms") is None


def test_pick_model_does_not_modify_the_table():
    copy = LADDER.copy()
    pick_model(LADDER, 10)
    pd.testing.assert_frame_equal(LADDER, copy)


def test_pick_model_empty_table():
    assert pick_model(LADDER.iloc[0:0], 10) is None


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((LADDER, 0), "latency_budget_ms"),
        ((LADDER, -5), "latency_budget_ms"),
        ((LADDER, float("nan")), "latency_budget_ms"),
        ((LADDER, "10"), "latency_budget_ms"),
        ((LADDER, 10, "p95_ms"), "latency_col"),
        ((LADDER, 10, 99), "latency_col"),
        ((LADDER.drop(columns="accuracy_pct"), 10), "accuracy_pct"),
        ((LADDER.drop(columns="model"), 10), "model"),
        ((LADDER.to_dict(), 10), "table"),
    ],
)
def test_pick_model_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        pick_model(*args)


rows = st.lists(
    st.tuples(
        st.floats(50, 100, allow_nan=False),
        st.floats(0.01, 500, allow_nan=False),
    ),
    min_size=0,
    max_size=8,
)


def spectrum(pairs):
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(len(pairs))],
            "accuracy_pct": [a for a, _ in pairs],
            "p99_ms": [lat for _, lat in pairs],
        }
    )


@settings(max_examples=60, deadline=None)
@given(rows, st.floats(0.01, 600, allow_nan=False))
def test_pick_fits_and_nothing_that_fits_is_more_accurate(pairs, budget):
    table = spectrum(pairs)
    chosen = pick_model(table, budget)
    fits = table[table["p99_ms"] <= budget]
    if fits.empty:
        assert chosen is None
        return
    row = table[table["model"] == chosen].iloc[0]
    assert row["p99_ms"] <= budget
    assert row["accuracy_pct"] == fits["accuracy_pct"].max()
    tied = fits[fits["accuracy_pct"] == row["accuracy_pct"]]
    assert row["p99_ms"] == tied["p99_ms"].min()


@settings(max_examples=60, deadline=None)
@given(rows, st.floats(0.01, 300, allow_nan=False), st.floats(0, 300, allow_nan=False))
def test_more_budget_never_buys_less_accuracy(pairs, budget, extra):
    table = spectrum(pairs)
    accuracy = table.set_index("model")["accuracy_pct"]
    small, large = pick_model(table, budget), pick_model(table, budget + extra)
    if small is not None:
        assert large is not None and accuracy[large] >= accuracy[small]


# --- the explanation ----------------------------------------------------------------------


def test_explain_pick_names_the_pick_and_what_was_too_slow():
    text = explain_pick(LADDER, 3)
    assert text.startswith("b:") and "<= 3 ms" in text
    assert "over budget" in text and "e (97.0 %" in text


def test_explain_pick_mentions_a_tie():
    assert "Tied on accuracy but slower: c" in explain_pick(LADDER, 10)


def test_explain_pick_when_nothing_fits():
    text = explain_pick(LADDER, 0.1)
    assert text.startswith("Nothing fits") and "a, needs 0.50 ms" in text
