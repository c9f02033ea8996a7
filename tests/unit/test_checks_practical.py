"""Section 7 checks in both directions: references pass, known slips fail with their reason."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlsd import drift
from mlsd import estimates as E
from mlsd.cascade import serve_one
from mlsd.checks import Incorrect, NotAttempted
from mlsd.checks import cascade as cc
from mlsd.checks import drift as dc
from mlsd.checks import estimates as ec
from mlsd.checks import options as oc
from mlsd.grading.notebooks import BEGIN_HIDDEN, graded_cells, read, strip_markers
from mlsd.options import pick_option
from tests.grading.wrong_answers.s07_practical_tips import WRONG_ANSWERS as S07_WRONG


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
    ec.check_capacity_plan(E.capacity_plan)
    ec.check_data_plan(E.data_plan)
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
        out = E.capacity_plan(**kw)
        out[key] *= factor
        return out

    fails(ec.check_capacity_plan, slipped, needle)


def test_servers_slips_are_named():
    def int_plus_one(**kw):
        out = E.capacity_plan(**kw)
        peak = out["peak_qps"]
        out["servers"] = int(peak / (kw["server_qps"] * (1 - kw["headroom"]))) + 1
        return out

    fails(ec.check_capacity_plan, int_plus_one, "math.ceil")

    def no_headroom(**kw):
        out = E.capacity_plan(**kw)
        out["servers"] = math.ceil(out["peak_qps"] / kw["server_qps"])
        return out

    fails(ec.check_capacity_plan, no_headroom, "headroom")


def test_data_slips_are_named():
    def binary(**kw):
        out = E.data_plan(**kw)
        out["storage_tb"] *= 1e12 / 2**40
        return out

    fails(ec.check_data_plan, binary, "TiB")

    def none(**kw):
        return None

    fails(ec.check_data_plan, none, "None")


# Wrong answers through the checks (fast; the real nbgrader run is tests/grading) ---------
SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions" / "07-practical-tips"


def _test_cells() -> dict[str, str]:
    """solution grade id -> the source of the test cell after it."""
    out, last = {}, None
    for cell in graded_cells(read(next(SOLUTIONS.glob("*.ipynb")))):
        if cell.kind == "solution":
            last = cell.grade_id
        elif cell.kind == "tests" and last:
            out[last] = cell.source
    return out


TEST_CELLS = _test_cells()
S07_CASES = [
    (grade_id, label, source)
    for grade_id, answers in S07_WRONG.items()
    for label, source in answers
]


def _learner_namespace(source: str) -> dict:
    # What the learner's cells see: the notebook's setup cell imports math, np and pd.
    namespace = {"math": math, "np": np, "pd": pd}
    exec(source, namespace)
    return namespace


@pytest.mark.parametrize("grade_id, label, source", S07_CASES, ids=lambda v: str(v)[:40])
def test_wrong_answers_fail_visibly_and_gaming_fails_hidden(grade_id, label, source, capsys):
    visible, _, hidden = TEST_CELLS[grade_id].partition(BEGIN_HIDDEN)
    if label.startswith("gaming:"):
        # passes what it copied, then meets cases it has never seen
        exec(visible, _learner_namespace(source))
        assert "visible checks passed" in capsys.readouterr().out
        with pytest.raises(Incorrect):
            exec(strip_markers(TEST_CELLS[grade_id]), _learner_namespace(source))
    else:
        # no visible "passed" for an answer that breaks a rule the prompt states
        with pytest.raises(Incorrect):
            exec(visible, _learner_namespace(source))


def test_every_exercise_has_a_gaming_route_and_three_plausible_slips():
    assert set(S07_WRONG) == set(TEST_CELLS)
    for grade_id, answers in S07_WRONG.items():
        labels = [label for label, _ in answers]
        assert sum(label.startswith("gaming:") for label in labels) >= 1, grade_id
        assert sum(not label.startswith("gaming:") for label in labels) >= 3, grade_id


def test_reference_passes_the_hidden_tests(capsys):
    nb = read(next(SOLUTIONS.glob("*.ipynb")))
    solutions = {
        c.grade_id: strip_markers(c.source) for c in graded_cells(nb) if c.kind == "solution"
    }
    for grade_id, test_source in TEST_CELLS.items():
        exec(strip_markers(test_source), _learner_namespace(solutions[grade_id]))
    assert capsys.readouterr().out.count("visible checks passed") == len(TEST_CELLS)


def test_p99_in_littles_law_is_named():
    def with_p99(**kw):
        out = E.capacity_plan(**kw)
        out["in_flight"] = out["in_flight_at_p99"]
        return out

    fails(ec.check_capacity_plan, with_p99, "Little's law", "MEAN")


def test_alert_keyword_arguments_are_enforced_visibly():
    def fixed_factor(s, slo, rollback_factor=1.5, min_samples=1000):
        if len(s) < min_samples:
            return "insufficient data"
        p = np.percentile(s, 99)
        return "rollback" if p > 1.5 * slo else "alert" if p > slo else "ok"

    fails(dc.check_latency_alert, fixed_factor, "rollback_factor argument")

    def off_by_one(s, slo, rollback_factor=1.5, min_samples=1000):
        if len(s) <= min_samples:
            return "insufficient data"
        return drift.latency_alert(s, slo, rollback_factor, min_samples)

    fails(dc.check_latency_alert, off_by_one, "exactly min_samples")
