"""Core modules of section 7: requirements, options, cascade, drift, lifecycle, architecture."""

from __future__ import annotations

import math
from pathlib import Path

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
def test_measured_options_contradict_the_guides_milliseconds():
    measured = options.measure_options(repeats=40)
    assert list(measured["model"]) == [*options.MEASURED_AS.values(), options.RAW_LINEAR]
    one_row = measured.set_index("model")["one row p50 (ms)"]
    # even on a busy machine one row is far below the guide's 50 to 200 ms
    assert (one_row < 20).all()
    assert one_row[options.RAW_LINEAR] < one_row["logistic regression"]
    assert (measured["measured accuracy (%)"].iloc[:3] > 85).all()
    compared = options.compare_predictions(
        measured, {"logistic regression": 50, "neural network": None}
    )
    assert compared.loc[0, "you were"].endswith("too high")
    assert compared.loc[2, "you were"] == "not predicted"
    assert "machine was" in options.timing_note(measured)
    with pytest.raises(ValueError, match="predicted_ms names"):
        options.compare_predictions(measured, {"svm": 3})


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


def test_circuit_breakers_decide_what_a_down_tier_costs():
    half = cascade.with_changes(cascade.GUIDE_CASCADE, 0, availability=0.5)
    on, off = cascade.analyse(half), cascade.analyse(half, circuit_breaker=False)
    assert on.shares == off.shares and on.expected_quality == off.expected_quality
    assert off.p50_ms > on.p50_ms + 60  # half the requests wait out tier 1's 80 ms
    mc = cascade.simulate(half, 200_000, seed=4, circuit_breaker=False)
    assert mc.p50_ms == pytest.approx(off.p50_ms, rel=0.02)
    assert mc.p99_ms == pytest.approx(off.p99_ms, rel=0.03)
    # the timeouts add up before the last tier answers
    assert cascade.worst_case_ms(cascade.GUIDE_CASCADE) == pytest.approx(80 + 30 + 10 + 2)


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
    assert drift.latency_alert(np.full(1000, 100.0), 100) == "ok"
    assert drift.latency_alert(np.full(1000, 101.0), 100) == "alert"
    assert drift.latency_alert(np.full(1000, 151.0), 100) == "rollback"
    # a p99 needs 1,000 samples by default (ten above it), not 100
    assert drift.latency_alert(np.full(999, 151.0), 100) == "insufficient data"
    assert drift.latency_alert(np.full(100, 151.0), 100, min_samples=100) == "rollback"
    assert drift.decide(0.3, "ok", new_version=True).action == "rollback"
    assert "release" in drift.decide(0.3, "ok", new_version=True).reasons[0]
    assert drift.decide(0.3, "ok", new_version=False).action == "alert"
    assert "world changed" in drift.decide(0.3, "ok", new_version=False).reasons[0]
    assert drift.decide(0.01, "ok").action == "ok"
    with pytest.raises(ValueError, match="latency_status must be one of"):
        drift.decide(0.1, "fine")
    p = drift.latency_percentiles(drift.latency_samples(200_000, 40, 90))
    assert p["p50"] == pytest.approx(40, rel=0.02) and p["p99"] == pytest.approx(90, rel=0.03)


def test_psi_noise_follows_the_chi_square_approximation():
    # Yurdakul (2018): with no change PSI ~ (1/n + 1/m) chi2(bins - 1); the fixed 0.1 line
    # is crossed by noise alone at small samples.
    assert drift.psi_null_quantile(569, 2000) == pytest.approx(0.0382, rel=0.01)
    table = drift.psi_noise_table()  # as the notebook shows it, whose prose this pins down
    measured = table["measured 95th pct of PSI"]
    approx = table["(1/n + 1/m) χ² approximation"]
    assert ((measured - approx).abs() / approx < 0.15).all()
    share = {
        col: table[col].str.rstrip("%").astype(float)
        for col in ("no-drift pairs above 0.1", "above 0.25")
    }
    assert share["no-drift pairs above 0.1"][0] > 50  # "most comparisons" at 100 rows
    assert 10 <= share["above 0.25"][0] <= 35  # "about one in five"
    assert share["no-drift pairs above 0.1"].iloc[-1] == 0  # none at 10,000 rows
    with pytest.raises(ValueError, match="n_expected must be a whole number"):
        drift.psi_null_quantile(1, 100)


def test_p99_from_few_samples_wanders():
    table = drift.p99_spread(sizes=(100, 10_000), trials=200, seed=2)
    spans = [float(b) - float(a) for a, b in (r.split(" and ") for r in table.iloc[:, 2])]
    assert spans[0] > 4 * spans[1]


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
    # The guide's own picture lacks what its tips 4 to 6 ask for; the reviewed one has it all.
    assert architecture.missing_roles(architecture.GUIDE_SPEC) == [
        "feature store / pipeline",
        "monitoring",
        "fallback",
    ]
    assert architecture.review(architecture.REVIEWED_SPEC) == []
    small = {"components": ["Client", "Model server"], "edges": [("Client", "Model server")]}
    assert "feedback loop" in architecture.missing_roles(small)
    with pytest.raises(ValueError, match="not a component"):
        architecture.to_mermaid({"components": ["A"], "edges": [("A", "B")]})


def _reviewed_with(edges=None, drop=()):
    spec = {
        "components": list(architecture.REVIEWED_SPEC["components"]),
        "groups": {k: list(v) for k, v in architecture.REVIEWED_SPEC["groups"].items()},
        "edges": [e for e in architecture.REVIEWED_SPEC["edges"] if e not in drop],
    }
    spec["edges"] += list(edges or [])
    return spec


def test_review_explains_each_gap():
    why = {f.role: f.why for f in architecture.review(architecture.GUIDE_SPEC)}
    assert "training-serving skew" in why["feature store / pipeline"]
    assert "drift" in why["monitoring"] and "fallback" in why
    # a monitor fed only latency watches the system, not the model
    fed = [e for e in architecture.REVIEWED_SPEC["edges"] if e[1] == "Drift + quality monitor"]
    only_latency = _reviewed_with([("Model server", "Drift + quality monitor", "latency")], fed)
    only_latency["groups"]["Monitoring"] = ["Latency monitor"]
    only_latency["edges"] = [
        (s, "Latency monitor" if t == "Drift + quality monitor" else t, *rest)
        for s, t, *rest in only_latency["edges"]
    ]
    found = architecture.review(only_latency)
    assert [f.role for f in found] == ["monitoring"] and "system only" in found[0].why
    unfed = _reviewed_with(drop=fed)
    assert "no incoming edge" in architecture.review(unfed)[0].why
    # a feature store that feeds serving but not training invites skew
    to_train = ("Feature pipeline + store", "Train", "point-in-time features")
    found = architecture.review(_reviewed_with(drop=[to_train]))
    assert [f.role for f in found] == ["feature store / pipeline"]
    assert "not connected to training" in found[0].why


def _notebook_spec() -> dict:
    """``my_spec`` exactly as tip 2's cell of the solutions notebook defines it."""
    import nbformat

    path = Path(__file__).resolve().parents[2] / "solutions/07-practical-tips/practical-tips.ipynb"
    cell = next(c for c in nbformat.read(path, 4).cells if c.get("id") == "cell-009")
    namespace = {"architecture_diagram": lambda spec: None}
    exec(cell.source, namespace)
    return namespace["my_spec"]


def test_the_notebooks_try_it_on_the_architecture_does_what_it_says():
    # The fraud spec of tip 2 lacks a monitor and the feedback loop; the "Try it" adds both,
    # then relabels the monitor's edge "latency", which the review must flag.
    spec = _notebook_spec()
    assert architecture.missing_roles(spec) == ["monitoring", "feedback loop"]
    spec["groups"]["Online"].append("Monitor")
    spec["edges"] += [
        ("Fraud model server", "Event log", "log scores"),
        ("Fraud model server", "Monitor", "score distribution (PSI)"),
    ]
    assert architecture.review(spec) == []
    spec["edges"][-1] = ("Fraud model server", "Monitor", "latency")
    assert [f.role for f in architecture.review(spec)] == ["monitoring"]
