"""Section 7 checks in both directions: references pass, known slips fail with their reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlsd import drift
from mlsd.cascade import serve_one
from mlsd.checks import Incorrect, NotAttempted
from mlsd.checks import cascade as cc
from mlsd.checks import drift as dc
from mlsd.checks import estimates as ec
from mlsd.checks import options as oc
from mlsd.options import pick_option


def stub(*_a, **_k):
    raise NotImplementedError()


def fails(check, fn, *needles):
    with pytest.raises(Incorrect) as info:
        check(fn)
    text = str(info.value)
    for needle in needles:
        assert needle in text, text


def test_references_pass(capsys):
    oc.check_pick_option(pick_option)
    cc.check_serve_request(serve_one)
    dc.check_psi(drift.psi)
    dc.check_latency_alert(drift.latency_alert)
    ec.check_capacity_plan(ec.capacity_answer)
    ec.check_data_plan(ec.data_answer)
    assert capsys.readouterr().out.count("visible checks passed") == 6


@pytest.mark.parametrize(
    "check",
    [oc.check_pick_option, cc.check_serve_request, dc.check_psi, dc.check_latency_alert,
     ec.check_capacity_plan, ec.check_data_plan],
)  # fmt: skip
def test_stubs_are_not_attempted(check):
    with pytest.raises(NotAttempted):
        check(stub)


def test_pick_option_slips():
    def most_accurate(t, b, a):
        p = t[(t.latency_ms <= b) & (t.accuracy_pct >= a)]
        return None if p.empty else p.sort_values("accuracy_pct").option.iloc[-1]

    fails(oc.check_pick_option, most_accurate, "cheapest")

    def strict(t, b, a):
        p = t[(t.latency_ms < b) & (t.accuracy_pct > a)]
        return None if p.empty else p.sort_values("cost_rank").option.iloc[0]

    fails(oc.check_pick_option, strict, "(<=)")


def test_serve_request_slips():
    def strict(t, u, lat):
        spent = 0
        for i, (a, b, x) in enumerate(zip(t, u, lat, strict=True)):
            if b and x < a:
                return i, spent + x
            spent += a if b else 0
        return None, spent

    fails(cc.check_serve_request, strict, "use <=")

    def one_based(t, u, lat):
        i, s = serve_one(t, u, lat)
        return (None if i is None else i + 1), s

    fails(cc.check_serve_request, one_based, "numbered from 0")


def test_psi_slips():
    def no_floor(e, a, bins=10):
        e, a = np.asarray(e), np.asarray(a)
        inner = np.quantile(e, np.linspace(0, 1, bins + 1))[1:-1]
        pe = np.bincount(np.searchsorted(inner, e, side="right"), minlength=bins) / e.size
        pa = np.bincount(np.searchsorted(inner, a, side="right"), minlength=bins) / a.size
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum((pa - pe) * np.log(pa / pe)))

    fails(dc.check_psi, no_floor, "1e-4")

    def equal_width(e, a, bins=10):
        e = np.asarray(e)
        edges = np.linspace(e.min(), e.max(), bins + 1)
        pe = np.maximum(drift.bin_shares(e, edges), 1e-4)
        pa = np.maximum(drift.bin_shares(a, edges), 1e-4)
        return float(np.sum((pa - pe) * np.log(pa / pe)))

    fails(dc.check_psi, equal_width, "equal-width")


def test_latency_alert_slips():
    def mean_based(s, slo, rollback_factor=1.5, min_samples=100):
        if len(s) < min_samples:
            return "insufficient data"
        m = np.mean(s)
        return "rollback" if m > rollback_factor * slo else "alert" if m > slo else "ok"

    fails(dc.check_latency_alert, mean_based, "p99")

    def inclusive(s, slo, rollback_factor=1.5, min_samples=100):
        if len(s) < min_samples:
            return "insufficient data"
        p = np.percentile(s, 99)
        return "rollback" if p >= rollback_factor * slo else "alert" if p >= slo else "ok"

    fails(dc.check_latency_alert, inclusive, "use >")


@pytest.mark.parametrize(
    "key, factor, needle",
    [
        ("average_qps", 86_400, "per day vs per second"),
        ("bandwidth_gbit_s", 1 / 8, "bits vs bytes"),
        ("peak_qps", 1 / 3, "missing peak factor"),
        ("in_flight", 1000, "ms vs s"),
    ],
)
def test_capacity_slips_are_named(key, factor, needle):
    def slipped(**kw):
        out = ec.capacity_answer(**kw)
        out[key] *= factor
        return out

    fails(ec.check_capacity_plan, slipped, needle)


def test_servers_slips_are_named():
    def int_plus_one(**kw):
        out = ec.capacity_answer(**kw)
        peak = out["peak_qps"]
        out["servers"] = int(peak / (kw["server_qps"] * (1 - kw["headroom"]))) + 1
        return out

    fails(ec.check_capacity_plan, int_plus_one, "math.ceil")

    def no_headroom(**kw):
        out = ec.capacity_answer(**kw)
        out["servers"] = math.ceil(out["peak_qps"] / kw["server_qps"])
        return out

    fails(ec.check_capacity_plan, no_headroom, "headroom")


def test_data_slips_are_named():
    def binary(**kw):
        out = ec.data_answer(**kw)
        out["storage_tb"] *= 1e12 / 2**40
        return out

    fails(ec.check_data_plan, binary, "TiB")

    def none(**kw):
        return None

    fails(ec.check_data_plan, none, "None")
