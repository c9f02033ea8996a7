"""Core modules of section 7: requirements, options, cascade, drift, lifecycle, architecture."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import architecture, cascade, drift, lifecycle, options, requirements


# requirements ------------------------------------------------------------------------
def test_requirements_record_and_open_questions():
    rec = requirements.Requirements(daily_active_users=1e6, success_metric="  ")
    assert rec.success_metric is None
    assert len(requirements.open_questions(rec)) == len(requirements.QUESTIONS) - 1
    assert requirements.coverage(rec)["Scale"] == (1, 6)
    assert requirements.GUIDE_EXAMPLE.calculator_inputs()["latency_ms"] == 100
    with pytest.raises(ValueError, match="daily_active_users must be >= 0"):
        requirements.Requirements(daily_active_users=-5)
    with pytest.raises(ValueError, match="labelled_data must be one of"):
        requirements.Requirements(labelled_data="maybe")
    with pytest.raises(ValueError, match="unknown answers"):
        requirements.update(rec, users=3)


@pytest.mark.parametrize(
    "text, value", [("200M", 2e8), ("10 K", 1e4), ("1e9", 1e9), ("1,000", 1e3), ("", None)]
)
def test_parse_amount(text, value):
    assert requirements.parse_amount("x", text) == value


# options -----------------------------------------------------------------------------
def test_guide_case_picks_gradient_boosting():
    table = options.guide_options()
    assert options.pick_option(table, 150, 88) == "gradient boosting (XGBoost)"
    assert options.pick_option(table, 40, 80) is None
    assert options.pick_option(table, 50, 85) == "logistic regression"
    assert "Nothing fits" in options.explain_pick(table, 300, 95)
    ranked = options.evaluate_options(table, 150, 88)
    assert ranked["passes"].tolist() == [True, False, False]
    with pytest.raises(ValueError, match="latency_budget_ms must be > 0"):
        options.pick_option(table, 0, 88)


# cascade -----------------------------------------------------------------------------
def test_closed_form_and_monte_carlo_agree():
    exact = cascade.analyse(cascade.GUIDE_CASCADE)
    mc = cascade.simulate(cascade.GUIDE_CASCADE, 200_000, seed=1)
    assert sum(exact.shares) == pytest.approx(exact.availability)
    for a, b in zip(exact.shares, mc.shares, strict=True):
        assert abs(a - b) < 4 * math.sqrt(max(a, 1e-6) / 200_000) + 1e-5
    assert mc.expected_quality == pytest.approx(exact.expected_quality, abs=3e-3)
    assert mc.p50_ms == pytest.approx(exact.p50_ms, rel=0.02)
    assert mc.p99_ms == pytest.approx(exact.p99_ms, rel=0.03)


@settings(max_examples=25, deadline=None)
@given(a=st.floats(0.3, 1.0), t=st.floats(5, 200))
def test_cascade_agrees_for_random_first_tiers(a, t):
    tiers = cascade.with_changes(cascade.GUIDE_CASCADE, 0, availability=a, timeout_ms=t)
    exact, mc = cascade.analyse(tiers), cascade.simulate(tiers, 100_000, seed=2)
    assert abs(exact.shares[0] - mc.shares[0]) < 0.01
    assert mc.p50_ms == pytest.approx(exact.p50_ms, rel=0.05)


def test_serve_one_and_timeouts_bound_the_tail():
    assert cascade.serve_one([80, 30], [True, True], [80, 5]) == (0, 80)
    assert cascade.serve_one([80, 30], [True, True], [81, 5]) == (1, 85)
    assert cascade.serve_one([80, 30], [False, False], [1, 1]) == (None, 0)
    short = cascade.with_changes(cascade.GUIDE_CASCADE, 0, timeout_ms=40)
    assert cascade.analyse(short).p99_ms < cascade.analyse(cascade.GUIDE_CASCADE).p99_ms
    with pytest.raises(ValueError, match="availability must be in"):
        cascade.with_changes(cascade.GUIDE_CASCADE, 0, availability=1.5)
    with pytest.raises(ValueError, match="tiers must be 1 to"):
        cascade.analyse([])


# drift -------------------------------------------------------------------------------
def test_psi_properties():
    ref = drift.reference_feature()
    assert drift.psi(ref, ref) == pytest.approx(0, abs=1e-12)
    values = [drift.psi(ref, drift.current_feature(s)) for s in (0, 0.2, 0.5, 1.0)]
    assert values == sorted(values) and values[-1] > drift.PSI_MAJOR
    assert drift.psi_level(0.05) == "no significant change"
    assert drift.psi_level(0.1) == "moderate change"
    assert drift.psi_level(0.25) == "major change"
    with pytest.raises(ValueError, match="actual must hold finite numbers"):
        drift.psi(ref, [1.0, float("nan")])


def test_ks_flags_what_psi_calls_small():
    ref = drift.reference_feature()
    cur = drift.current_feature(0.2)
    assert drift.psi(ref, cur) < drift.PSI_MODERATE
    assert drift.ks_test(ref, cur)[1] < drift.KS_ALPHA


def test_latency_alert_and_decisions():
    assert drift.latency_alert(np.full(100, 100.0), 100) == "ok"
    assert drift.latency_alert(np.full(100, 101.0), 100) == "alert"
    assert drift.latency_alert(np.full(100, 151.0), 100) == "rollback"
    assert drift.latency_alert(np.full(99, 151.0), 100) == "insufficient data"
    assert drift.decide(0.3, "ok", new_version=True).action == "rollback"
    assert drift.decide(0.3, "ok", new_version=False).action == "alert"
    assert drift.decide(0.01, "ok").action == "ok"
    with pytest.raises(ValueError, match="latency_status must be one of"):
        drift.decide(0.1, "fine")
    p = drift.latency_percentiles(drift.latency_samples(200_000, 40, 90))
    assert p["p50"] == pytest.approx(40, rel=0.02) and p["p99"] == pytest.approx(90, rel=0.03)


# lifecycle and architecture ----------------------------------------------------------
def test_lifecycle_gaps():
    found = lifecycle.suggest_covered("We retrain daily and watch PSI drift with a canary.")
    assert {"frequency", "drift", "rollout"} <= found
    table = lifecycle.gaps(found)
    assert len(table) == 6 and table["score"].between(0, 1).all()
    assert lifecycle.weakest_stages(set(lifecycle.ITEM_KEYS)) == []
    with pytest.raises(ValueError, match="covered must hold item keys"):
        lifecycle.gaps({"nope"})


def test_architecture_mermaid_and_roles():
    text = architecture.to_mermaid(architecture.GUIDE_SPEC)
    assert text.startswith("flowchart TD") and text.count("subgraph") == 2
    assert architecture.missing_roles(architecture.GUIDE_SPEC) == []
    small = {"components": ["Client", "Model server"], "edges": [("Client", "Model server")]}
    assert "feedback loop" in architecture.missing_roles(small)
    with pytest.raises(ValueError, match="not a component"):
        architecture.to_mermaid({"components": ["A"], "edges": [("A", "B")]})
