"""Calculators of section 7: values, shown work, monotonicity, unit round trips, bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd import estimates as E

pos = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)
frac = st.floats(min_value=0.0, max_value=0.95)


def test_guide_numbers():
    assert E.qps(200e6, 10, 1).value == pytest.approx(23_148, rel=1e-3)
    assert E.qps(200e6, 10, 3).details["average_qps"] == pytest.approx(23_148, rel=1e-3)
    assert E.concurrency(10_000, 100).value == pytest.approx(1000)
    assert E.implied_bytes_per_example(100e12, 1e9).value == pytest.approx(100e3)
    assert "rich media" in E.implied_bytes_per_example(100e12, 1e9).assumptions[0]
    assert E.embedding_memory(200e6, 128, 4).value == pytest.approx(102.4e9)
    assert E.bandwidth(10_000, 5_000).details["gbit_per_s"] == pytest.approx(0.4)
    assert E.servers(10_000, 500, 0.2).value == 25  # exact division: no extra server
    assert E.servers(10_001, 500, 0.2).value == 26
    assert E.training_time(1e9, 1, 10_000).value == pytest.approx(1e5)


def test_work_is_shown():
    est = E.qps(200e6, 10, 3)
    text = est.show()
    assert "86,400" in text and "200 M" in text and "peak" in text.lower()
    assert "2x to 5x" in text
    assert "<code>" in est.html()
    assert E.storage(1e6, 1e3, 10, 3).readable == "30 GB"
    assert E.format_duration(5400) == "1.5 h"
    assert E.format_bytes(1.5e11) == "150 GB"


@given(users=pos, actions=pos, peak=st.floats(1, 20))
def test_qps_is_monotone(users, actions, peak):
    base = E.qps(users, actions, peak).value
    assert E.qps(users * 2, actions, peak).value >= base
    assert E.qps(users, actions * 2, peak).value >= base
    assert E.qps(users, actions, min(peak * 1.5, 20)).value >= base


@given(peak=pos, capacity=pos, h=frac)
def test_servers_monotone_and_enough(peak, capacity, h):
    n = E.servers(peak, capacity, h).value
    assert n * capacity * (1 - h) >= peak * (1 - 1e-9)
    assert E.servers(peak * 2, capacity, h).value >= n
    assert E.servers(peak, capacity * 2, h).value <= n
    assert E.servers(peak, capacity, min(h + 0.04, 0.99)).value >= n


@given(items=st.integers(1, 10**9), hit=st.floats(0, 1), s=st.floats(0.5, 1.5))
def test_cache_items_monotone_in_hit_rate(items, hit, s):
    k = E.cache_items_for_hit_rate(items, hit, s)
    assert 0 <= k <= items
    assert E.cache_items_for_hit_rate(items, min(1.0, hit + 0.05), s) >= k


def test_cache_matches_brute_force():
    import numpy as np

    n = 50_000
    for s in (0.8, 1.0, 1.2):
        w = np.arange(1, n + 1, dtype=float) ** -s
        share = np.cumsum(w) / w.sum()
        for hit in (0.2, 0.5, 0.8, 0.95):
            assert E.cache_items_for_hit_rate(n, hit, s) == int(np.searchsorted(share, hit)) + 1


BYTE_UNIT = st.sampled_from(sorted(E.BYTE_UNITS))


@given(value=st.floats(-1e15, 1e15, allow_nan=False), a=BYTE_UNIT, b=BYTE_UNIT)
def test_byte_units_round_trip(value, a, b):
    assert E.convert(E.convert(value, a, b), b, a) == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(value=st.floats(0, 1e9), a=st.sampled_from(sorted(E.TIME_UNITS)),
       b=st.sampled_from(sorted(E.TIME_UNITS)))  # fmt: skip
def test_time_units_round_trip(value, a, b):
    assert E.convert(E.convert(value, a, b), b, a) == pytest.approx(value, rel=1e-12, abs=1e-9)


def test_bits_and_bytes():
    assert E.convert(1, "GB", "Gbit") == 8
    assert E.convert(1, "GiB", "GB") == pytest.approx(1.073741824)
    with pytest.raises(ValueError, match="from_unit and to_unit"):
        E.convert(1, "GB", "s")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: E.qps(-1, 10), r"daily_active_users must be >= 0"),
        (lambda: E.qps(10, 10, 0.5), r"peak_factor must be in \[1, 20\]"),
        (lambda: E.servers(100, 0), r"per_server_qps must be > 0"),
        (lambda: E.servers(100, 10, 1.0), r"headroom must be in \[0, 1\)"),
        (lambda: E.cache_size(100, 1.2, 10), r"target_hit_rate must be in \[0, 1\]"),
        (lambda: E.training_time(1e6, 1, 0), r"examples_per_second must be > 0"),
        (lambda: E.embedding_memory(1e6, 0), r"dimensions must be > 0"),
        (lambda: E.storage(1, 1, 1, 0), r"replication must be in \[1, 10\]"),
        (lambda: E.bandwidth(float("nan"), 1), r"qps must be a finite number"),
        (lambda: E.estimate_all(users=3), r"unknown calculator inputs"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_estimate_all_chains():
    out = E.estimate_all(daily_active_users=86.4e6, actions_per_user_per_day=10, peak_factor=1)
    assert out["qps"].value == pytest.approx(10_000)
    # Little's law with the mean: p99 100 ms / 2.5 = 40 ms -> 400; QPS x p99 only as a label
    assert out["concurrency"].value == pytest.approx(400)
    assert out["concurrency"].details["at_p99"] == pytest.approx(1000)
    assert "100 ms ÷ 2.5 = 40 ms" in out["concurrency"].show()
    assert out["servers"].details["in_flight"] == pytest.approx(400)
    assert math.isclose(out["bandwidth"].value, 10_000 * E.DEFAULTS["bytes_per_request"])
    measured = E.estimate_all(latency_ms=100, p99_to_mean=4)
    assert measured["concurrency"].details["mean_latency_ms"] == pytest.approx(25)


# Little's law --------------------------------------------------------------------------
def test_littles_law_takes_the_mean_and_labels_the_p99_figure():
    est = E.concurrency(10_000, 40, 100)
    assert est.value == pytest.approx(400)
    assert est.details["at_p99"] == pytest.approx(1000)
    assert "MEAN" in est.formula and "conservative" in est.readable
    assert "not Little's law" in est.show()
    assert est.details["poisson_p99"] == pytest.approx(400 + 2.3263 * 20, rel=1e-3)
    heavy = E.concurrency(1_000, 120, 80)  # a few hanging requests: mean above p99
    assert "BELOW the average" in heavy.show()
    with pytest.raises(ValueError, match="mean_latency_ms must be >= 0"):
        E.concurrency(10, -1)
    with pytest.raises(ValueError, match=r"p99_to_mean must be in \(0, 100\]"):
        E.estimate_all(p99_to_mean=0)


@pytest.mark.parametrize("hang_share, hang_ms", [(0.0, 0.0), (0.008, 20_000.0)])
def test_simulation_obeys_littles_law_with_the_mean(hang_share, hang_ms):
    r = E.simulate_in_flight(2_000, 40, 100, seconds=5, seed=3, hang_share=hang_share,
                             hang_ms=hang_ms)  # fmt: skip
    assert r["mean_in_flight"] == pytest.approx(r["littles_law"], rel=0.04)
    if hang_share:
        assert r["at_p99"] < r["mean_in_flight"]  # the p99 figure is no bound any more
    else:
        assert r["p99_in_flight"] < r["at_p99"]  # ... and over-sizes a tame tail


def test_littles_law_experiment_table():
    table = E.littles_law_experiment()
    assert len(table) == len(E.LITTLE_SCENARIOS)
    little, measured = table["QPS × mean (Little)"], table["measured: mean in flight"]
    assert ((little - measured).abs() / measured < 0.03).all()
    steady, hanging = table.iloc[0], table.iloc[1]
    assert steady["QPS × p99"] > 2 * steady["measured: mean in flight"]
    assert hanging["QPS × p99"] < hanging["measured: mean in flight"]
    with pytest.raises(ValueError, match="5,000,000 simulated requests"):
        E.simulate_in_flight(1e6, 40, 100, seconds=60)


def test_exercise_reference_arithmetic():
    plan = E.capacity_plan(86.4e6, 10, 1, 5_000, 500, 0.2, 40, 100)
    assert plan["servers"] == 25 and plan["in_flight"] == pytest.approx(400)
    assert plan["in_flight_at_p99"] == pytest.approx(1000)
    data = E.data_plan(1e9 / 365, 100e3, 365, 1, 500e6, 256, 2, 1, 10_000)
    assert data["storage_tb"] == pytest.approx(100) and data["embedding_gb"] == pytest.approx(256)
