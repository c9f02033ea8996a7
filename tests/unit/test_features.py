"""mlsd.features: the latency budget of offline and online features."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.features import (
    BREAKDOWN_COLUMNS,
    EXAMPLE_RECORDS,
    GUIDE_HYBRID,
    PRESETS,
    REQUEST_TIME,
    STAGES,
    budget_breakdown,
    budget_verdict,
    end_to_end_ms,
    feature_latency_ms,
    feature_records,
    model_budget_ms,
    staleness,
)

ms = st.floats(0, 1000, allow_nan=False)
slos = st.floats(0.01, 5000, allow_nan=False)


# --- the guide's example ------------------------------------------------------------------


def test_guide_hybrid_features_take_15_ms():
    assert (GUIDE_HYBRID.offline_ms, GUIDE_HYBRID.online_ms) == (5, 10)
    assert feature_latency_ms(5, 10) == 15
    assert feature_latency_ms(5, 10, parallel_features=True) == 10
    assert GUIDE_HYBRID.parallel_features is False


def test_presets_are_consistent():
    names = [p.name for p in PRESETS]
    assert len(set(names)) == len(names) == 3
    verdicts = {p.name: budget_verdict(**p.stages()) for p in PRESETS}
    assert all(v.fits for v in verdicts.values())
    ad = next(p for p in PRESETS if p.name.startswith("Ad serving"))
    assert ad.slo_ms <= 10 and ad.parallel_features
    # The ad preset fits only because its features run in parallel.
    assert not budget_verdict(**{**ad.stages(), "parallel_features": False}).fits


# --- model_budget_ms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((100, 20, 5, 10), {}, 65),
        ((100, 20, 5, 10), {"parallel_features": True}, 70),
        ((50, 20, 10, 20), {}, 0),
        ((40, 20, 10, 20), {}, -10),
        ((60, 10, 15, 15), {"parallel_features": True}, 35),
        ((30, 5, 25, 8), {"parallel_features": True}, 0),
        ((100, 20, 5, 10), {"extra_ms": 15}, 50),
        ((1, 0, 0, 0), {}, 1),
    ],
)
def test_model_budget_cases(args, kwargs, expected):
    assert model_budget_ms(*args, **kwargs) == pytest.approx(expected)


def test_model_budget_is_not_clamped():
    assert model_budget_ms(10, 50, 0, 0) == -40


@pytest.mark.parametrize(
    ("args", "kwargs", "name"),
    [
        ((0, 1, 1, 1), {}, "slo_ms"),
        ((-10, 1, 1, 1), {}, "slo_ms"),
        ((float("inf"), 1, 1, 1), {}, "slo_ms"),
        ((100, -1, 1, 1), {}, "network_ms"),
        ((100, 1, -0.5, 1), {}, "offline_ms"),
        ((100, 1, 1, -2), {}, "online_ms"),
        ((100, 1, 1, "3"), {}, "online_ms"),
        ((100, 1, 1, None), {}, "online_ms"),
        ((100, 1, 1, 1), {"parallel_features": "yes"}, "parallel_features"),
        ((100, 1, 1, 1), {"parallel_features": 1}, "parallel_features"),
        ((100, 1, 1, 1), {"extra_ms": -1}, "extra_ms"),
    ],
)
def test_model_budget_rejects_bad_input_naming_the_argument(args, kwargs, name):
    with pytest.raises(ValueError, match=name):
        model_budget_ms(*args, **kwargs)


def test_negative_model_latency_is_rejected():
    with pytest.raises(ValueError, match="model_ms"):
        end_to_end_ms(1, 1, 1, -1)
    with pytest.raises(ValueError, match="model_ms"):
        budget_breakdown(100, 1, 1, 1, -1)


@settings(max_examples=80, deadline=None)
@given(slos, ms, ms, ms, st.booleans(), st.floats(0, 100, allow_nan=False))
def test_model_budget_shrinks_as_any_stage_grows(slo, network, offline, online, par, more):
    base = model_budget_ms(slo, network, offline, online, par)
    assert model_budget_ms(slo, network + more, offline, online, par) <= base + 1e-9
    assert model_budget_ms(slo, network, offline + more, online, par) <= base + 1e-9
    assert model_budget_ms(slo, network, offline, online + more, par) <= base + 1e-9
    assert model_budget_ms(slo + more, network, offline, online, par) >= base - 1e-9


@settings(max_examples=80, deadline=None)
@given(slos, ms, ms, ms)
def test_parallel_saves_exactly_the_shorter_feature_stage(slo, network, offline, online):
    sequential = model_budget_ms(slo, network, offline, online)
    parallel = model_budget_ms(slo, network, offline, online, parallel_features=True)
    assert parallel >= sequential
    assert parallel - sequential == pytest.approx(min(offline, online), abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(slos, ms, ms, ms, ms, ms, st.booleans())
def test_budget_and_end_to_end_agree(slo, network, offline, online, model, extra, par):
    room = model_budget_ms(slo, network, offline, online, par, extra_ms=extra)
    total = end_to_end_ms(network, offline, online, model, extra, par)
    assert slo - total == pytest.approx(room - model, abs=1e-6)
    verdict = budget_verdict(slo, network, offline, online, model, extra, par)
    assert verdict.fits == (verdict.spare_ms >= 0)
    if abs(model - room) > 1e-6:
        assert verdict.fits == (model < room)
    assert verdict.spare_ms == pytest.approx(slo - total, abs=1e-6)


# --- the waterfall rows -------------------------------------------------------------------


def test_breakdown_sequential_rows():
    rows = budget_breakdown(**GUIDE_HYBRID.stages())
    assert tuple(rows.columns) == BREAKDOWN_COLUMNS
    assert list(rows["stage"]) == [*STAGES, "total"]
    assert list(rows["counted_ms"]) == [20, 5, 10, 30, 0, 65]
    assert list(rows["measure"]) == ["relative"] * 5 + ["total"]
    assert "35 ms to spare" in rows["note"].iloc[-1]


def test_breakdown_parallel_hides_the_shorter_feature_stage():
    rows = budget_breakdown(100, 20, 5, 10, 30, parallel_features=True).set_index("stage")
    assert rows.loc["offline", "ms"] == 5 and rows.loc["offline", "counted_ms"] == 0
    assert rows.loc["online", "counted_ms"] == 10
    assert "hidden" in rows.loc["offline", "note"]
    assert rows.loc["total", "counted_ms"] == 60
    slower_lookup = budget_breakdown(100, 20, 12, 10, 30, parallel_features=True)
    assert list(slower_lookup["counted_ms"]) == [20, 12, 0, 30, 0, 62]
    tie = budget_breakdown(100, 20, 10, 10, 30, parallel_features=True)
    assert list(tie["counted_ms"]) == [20, 10, 0, 30, 0, 60]


def test_breakdown_reports_overrun():
    rows = budget_breakdown(50, 20, 10, 20, 10)
    assert rows["counted_ms"].iloc[-1] == 60
    assert "10 ms over" in rows["note"].iloc[-1]


@settings(max_examples=60, deadline=None)
@given(slos, ms, ms, ms, ms, ms, st.booleans())
def test_breakdown_total_is_the_sum_of_counted_stages(slo, network, off, on, model, extra, par):
    rows = budget_breakdown(slo, network, off, on, model, extra, par)
    stages = rows.iloc[:-1]
    assert rows["counted_ms"].iloc[-1] == pytest.approx(stages["counted_ms"].sum())
    assert rows["counted_ms"].iloc[-1] == pytest.approx(
        end_to_end_ms(network, off, on, model, extra, par)
    )
    assert (stages["counted_ms"] <= stages["ms"]).all()


# --- the verdict --------------------------------------------------------------------------


def test_verdict_fits_with_spare():
    verdict = budget_verdict(**GUIDE_HYBRID.stages())
    assert verdict.fits and verdict.spare_ms == 35 and verdict.model_budget_ms == 65
    assert verdict.text.startswith("fits with 35 ms to spare")


def test_verdict_over_names_the_biggest_stage_and_the_parallel_saving():
    verdict = budget_verdict(50, 10, 8, 12, 27)
    assert not verdict.fits and verdict.spare_ms == -7
    assert verdict.text.startswith("over the SLO by 7 ms")
    assert "model inference (27 ms)" in verdict.text
    assert "in parallel saves 8 ms" in verdict.text


def test_verdict_when_even_a_free_model_does_not_fit():
    verdict = budget_verdict(10, 20, 0, 0, 1)
    assert verdict.model_budget_ms == -10
    assert "even a model taking 0 ms would not fit" in verdict.text


def test_verdict_exact_fit():
    verdict = budget_verdict(60, 20, 10, 20, 10)
    assert verdict.fits and verdict.spare_ms == 0


# --- feature records and staleness --------------------------------------------------------


def test_feature_records_offline_are_stale_online_are_fresh():
    table = feature_records()
    assert set(table["kind"]) == {"offline", "online"}
    offline = table[table["kind"] == "offline"]
    online = table[table["kind"] == "online"]
    assert (offline["age_hours"] >= 1).all()
    assert (online["age_hours"] == 0).all()
    assert len(table) == len(EXAMPLE_RECORDS)


def test_feature_records_age_with_the_request_time():
    later = feature_records(REQUEST_TIME + timedelta(hours=2))
    now = feature_records()
    assert (later["age_hours"] - now["age_hours"]).round(1).eq(2.0).all()


def test_staleness():
    assert staleness(datetime(2025, 1, 1, 3), datetime(2025, 1, 1, 5)) == timedelta(hours=2)
    with pytest.raises(ValueError, match="request_time"):
        staleness(datetime(2025, 1, 2), datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="computed_at"):
        staleness("yesterday", datetime(2025, 1, 1))
