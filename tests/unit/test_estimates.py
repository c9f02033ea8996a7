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
    assert out["concurrency"].value == pytest.approx(1000)
    assert math.isclose(out["bandwidth"].value, 10_000 * E.DEFAULTS["bytes_per_request"])
