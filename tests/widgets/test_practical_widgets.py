"""Section 7 widgets driven from Python: controls in, outputs and figures out, errors shown."""

from __future__ import annotations

import pytest

from mlsd import cascade, drift, estimates, options, timing
from mlsd.architecture import REVIEWED_SPEC
from mlsd.requirements import GUIDE_EXAMPLE, Requirements
from mlsd.widgets.architecture import architecture_diagram
from mlsd.widgets.cascade import cascade_simulator
from mlsd.widgets.drift import drift_lab
from mlsd.widgets.estimates import INPUT_NAMES, estimate_calculator
from mlsd.widgets.lifecycle import lifecycle_checklist
from mlsd.widgets.options import options_table
from mlsd.widgets.requirements import clarifying_checklist


def median_ms(action, n=15) -> float:
    return timing.median_ms(action, n)


def test_calculator_matches_core_and_takes_initial_values():
    w = estimate_calculator(daily_active_users=86.4e6, actions_per_user_per_day=10, peak_factor=1)
    assert w.results["qps"].value == pytest.approx(10_000)
    assert w.results["concurrency"].value == pytest.approx(400)  # the mean: 100 ms / 2.5
    assert "86,400" in w.work.value and "Little" in w.work.value and "MEAN" in w.work.value
    w.p99_to_mean.value = 5.0
    assert w.results["concurrency"].value == pytest.approx(200)
    for name in INPUT_NAMES:
        assert f"mlsd-estimates-{name.replace('_', '-')}" in getattr(w, name)._dom_classes
    layout = w.fig.layout
    assert layout.title.text and "servers" in layout.yaxis.title.text
    assert w.fig.data[1].y[0] == w.results["servers"].value


def test_calculator_from_requirements_and_presets():
    w = estimate_calculator(requirements=GUIDE_EXAMPLE)
    assert w.daily_active_users.value == 200e6
    assert w.results["qps"].details["average_qps"] == pytest.approx(23_148, rel=1e-3)
    w.preset.value = estimates.PRESETS[0]
    assert w.results["concurrency"].value == pytest.approx(400)
    assert w.results["concurrency"].details["at_p99"] == pytest.approx(1000)
    assert "10 K QPS" in w.message.value and "MEAN" in w.message.value


@pytest.mark.parametrize(
    "name, value, needle",
    [
        ("daily_active_users", -1, "daily_active_users must be &gt;= 0"),
        ("per_server_qps", 0, "per_server_qps must be &gt; 0"),
        ("target_hit_rate", 1.5, "target_hit_rate must be in [0, 1]"),
        ("examples_per_second", 0, "examples_per_second must be &gt; 0"),
    ],
)
def test_calculator_shows_bad_input(name, value, needle):
    w = estimate_calculator()
    getattr(w, name).value = value
    assert needle in w.message.value and w.results == {}
    getattr(w, name).value = estimates.DEFAULTS[name]
    assert w.message.value == "" and w.results


def test_checklist_builds_the_record():
    w = clarifying_checklist()
    assert w.record == Requirements()
    w.daily_active_users.value = "200M"
    w.cold_start.value = True
    assert w.record.daily_active_users == 200e6 and w.record.cold_start is True
    assert list(w.fig.data[0].y)[0] == 1
    w.peak_factor.value = "50"
    assert "peak_factor must be in [1, 20]" in w.message.value
    assert clarifying_checklist(GUIDE_EXAMPLE).record == GUIDE_EXAMPLE


def test_options_table_follows_the_core():
    w = options_table()
    assert "gradient boosting (XGBoost)" in w.decision.value
    w.latency_budget.value = 40
    assert "Nothing fits" in w.decision.value
    w.latency_budget.value = 300
    w.accuracy_requirement.value = 80
    assert options.pick_option(options.guide_options(), 300, 80) in w.decision.value
    assert list(w.fig.data[1].x) == [300, 300]
    w.latency_budget.value = 0
    assert "latency_budget_ms must be &gt; 0" in w.message.value


def test_cascade_simulator_closed_form_and_monte_carlo():
    w = cascade_simulator(n_requests=20_000)
    # a browser slider echoing 0.995 as 0.9950000000000001 does not make the Monte Carlo stale
    w.availability[1].value = 0.9950000000000001
    assert w.mc is not None and "stale" not in w.summary.value
    exact = cascade.analyse(cascade.GUIDE_CASCADE)
    assert list(w.fig.data[0].y)[0] == pytest.approx(exact.shares[0])
    assert w.mc is not None and len(w.fig.data[1].y) == 5
    w.availability[0].value = 0.5
    assert w.mc is None and len(w.fig.data[1].y) == 0 and "stale" in w.summary.value
    assert w.analysis.shares[0] == pytest.approx(
        cascade.analyse(cascade.with_changes(cascade.GUIDE_CASCADE, 0, availability=0.5)).shares[0]
    )
    w.run.click()
    assert w.mc is not None and abs(w.mc.shares[0] - w.analysis.shares[0]) < 0.02
    assert w.timeout[-1] is None  # popular items wait as long as it takes
    p50_with_breakers = w.analysis.p50_ms
    w.circuit_breaker.value = False
    assert w.analysis.p50_ms > p50_with_breakers + 60 and w.mc is None
    assert "worst case" in w.summary.value and "122 ms" in w.summary.value
    # dots, not bars, on the log axis; tiny shares sit on the floor with a "<" label
    assert all(trace.type == "scatter" for trace in w.fig.data)
    assert min(w.fig.data[0].y) >= 1e-6 and "< 0.0001 %" in w.fig.data[0].text


def test_drift_lab_decides():
    w = drift_lab()
    assert w.action == "ok"
    w.shift_sd.value = 0.6
    assert w.psi_value > drift.PSI_MAJOR and w.action == "alert"
    w.new_version.value = True
    assert w.action == "rollback" and "release" in w.decision.value
    w.shift_sd.value = 0.0
    w.slowdown.value = 3.0
    assert w.action == "rollback" and "p99" in w.stats.value
    w.slo_ms.value = 0
    assert "slo_ms must be &gt; 0" in w.message.value


def test_lifecycle_and_architecture():
    w = lifecycle_checklist()
    w.description.value = "We retrain daily, canary rollout, PSI drift alerts."
    assert {"frequency", "rollout", "drift", "triggers"} <= w.covered()
    assert w.fig.data[0].y[-1] == pytest.approx(200 / 3)
    guide = architecture_diagram().data
    assert "mermaid" in guide and "flag 3 gap(s)" in guide and "training-serving skew" in guide
    assert "every part drawn" in architecture_diagram(REVIEWED_SPEC).data


def test_callbacks_are_fast():
    calc, opts, casc, lab = estimate_calculator(), options_table(), cascade_simulator(), drift_lab()
    budgets = {
        "calculator": median_ms(lambda i: setattr(calc.daily_active_users, "value", 1e6 + i)),
        "options": median_ms(lambda i: setattr(opts.latency_budget, "value", 100 + i)),
        "cascade": median_ms(lambda i: setattr(casc.availability[0], "value", 0.9 + i / 1000)),
        "cascade breakers": median_ms(lambda i: setattr(casc.circuit_breaker, "value", i % 2 == 0)),
        "drift": median_ms(lambda i: setattr(lab.shift_sd, "value", i / 50)),
    }
    assert all(v < 20 for v in budgets.values()), budgets
