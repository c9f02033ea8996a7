"""Section 7 (practical tips): its six widgets, driven from the keyboard in a real browser.

Expected outputs come from the core functions (``mlsd.requirements.coverage``,
``mlsd.options``, ``mlsd.cascade.analyse``, ``mlsd.drift``, ``mlsd.lifecycle``,
``mlsd.estimates.estimate_all``), computed here in the test process. Text boxes take a few
keys per step (select all, type, Enter or Tab).
"""

from __future__ import annotations

from dataclasses import replace

from mlsd import drift
from mlsd.cascade import analyse, with_changes
from mlsd.estimates import estimate_all
from mlsd.lifecycle import STAGES, gaps, suggest_covered, weakest_stages
from mlsd.options import evaluate_options, explain_ranked, guide_options
from mlsd.requirements import GUIDE_EXAMPLE, QUESTIONS, coverage
from mlsd.widgets import cascade as cascade_mod
from mlsd.widgets import drift as drift_mod
from tests.browser.registry import Section, Step, Widget, js_all, register, text_includes

# --- clarifying checklist ------------------------------------------------------------------


def _checklist_step(describe, key, record) -> Step:
    total = sum(answered for answered, _ in coverage(record).values())
    body, arg = text_includes(
        ".mlsd-requirements-progress", f"{total} of {len(QUESTIONS)} questions answered"
    )
    return Step(describe, ".mlsd-requirements-daily-active-users input", key, body, arg)


def checklist_steps(page):
    cleared = replace(GUIDE_EXAMPLE, daily_active_users=None)
    yield _checklist_step(
        "Clear 'daily active users' and press Enter: one more open question",
        ("Control+a", "Backspace", "Enter"),
        cleared,
    )
    yield _checklist_step(
        "Type 5M and Enter: answered again",
        ("Control+a", "text:5M", "Enter"),
        replace(GUIDE_EXAMPLE, daily_active_users=5e6),
    )


# --- options table -------------------------------------------------------------------------


def _options_step(describe, key, budget, bar=88.0) -> Step:
    try:
        text = explain_ranked(evaluate_options(guide_options(), budget, bar), budget, bar)
    except ValueError as exc:
        body, arg = text_includes(".mlsd-options-message", str(exc)[:50])
    else:
        body, arg = text_includes(".mlsd-options-decision", text)
    return Step(describe, ".mlsd-options-latency .noUi-handle", key, body, arg)


def options_steps(page):
    yield _options_step("End on the latency budget: 400 ms", "End", 400.0)
    yield _options_step("Home on the latency budget: 0 ms is rejected", "Home", 0.0)
    yield _options_step("ArrowRight on the latency budget: 5 ms", "ArrowRight", 5.0)


# --- cascade simulator ---------------------------------------------------------------------


def _snapped(control) -> float:
    """A slider's value as the browser holds it: noUiSlider snaps a value that is off the
    slider's step (0.9999 on a 0.001 step shows, and is sent back, as 1.0)."""
    steps = round((control.value - control.min) / control.step)
    return round(control.min + steps * control.step, 10)


def _cascade_step(describe, key, availability, breaker=True, focus=None) -> Step:
    # Inputs as the page holds them (the guide's tiers snapped to the sliders' steps), from a
    # widget built as the notebook builds it; outputs from the core.
    widget = cascade_mod.cascade_simulator(n_requests=1_000)
    tiers = widget.tiers
    for i, (a_slider, t_slider) in enumerate(zip(widget.availability, widget.timeout, strict=True)):
        changes = {"availability": _snapped(a_slider)}
        if t_slider is not None:
            changes["timeout_ms"] = _snapped(t_slider)
        tiers = with_changes(tiers, i, **changes)
    a = analyse(with_changes(tiers, 0, availability=availability), circuit_breaker=breaker)
    body, arg = text_includes(
        ".mlsd-cascade-summary",
        f"availability (served by some tier){cascade_mod._pct(a.availability)}",
        f"failed requests (no tier answered){a.failed:.2e}",
        f"expected quality (failures score 0){a.expected_quality:.4f}",
        f"p50 latency of served requests{a.p50_ms:.1f} ms",
        f"p99 latency of served requests{a.p99_ms:.1f} ms",
        "Monte Carlo is stale",
    )
    return Step(describe, focus or ".mlsd-cascade-availability-0 .noUi-handle", key, body, arg)


def cascade_steps(page):
    yield _cascade_step("Home on tier 1's availability: it never answers", "Home", 0.0)
    yield _cascade_step("End: tier 1 always answers", "End", 1.0)
    yield _cascade_step("ArrowLeft: tier 1 answers 99.9 % of requests", "ArrowLeft", 0.999)
    yield _cascade_step(
        "Space on 'circuit breakers': a down tier now costs its timeout",
        "Space",
        0.999,
        breaker=False,
        focus=".mlsd-cascade-breaker input",
    )


# --- drift lab -----------------------------------------------------------------------------


def _drift_step(describe, key, shift_sd) -> Step:
    # Slider-rounded inputs (the malignant share sits on a 0.01 step) from a widget built as
    # the notebook builds it; the outputs from the core.
    w = drift_mod.drift_lab()
    reference = drift.reference_feature()
    current = drift.current_feature(shift_sd, _snapped(w.malignant_share), w.n, w.seed)
    slowdown = _snapped(w.slowdown)
    latencies = drift.latency_samples(5000, 40.0 * slowdown, 90.0 * slowdown, w.seed)
    value = drift.psi(reference, current)
    status = drift.latency_alert(latencies, w.slo_ms.value)
    decision = drift.decide(value, status, w.new_version.value)
    body, arg = js_all(
        text_includes(".mlsd-drift-stats", f"PSI {value:.3f} ({drift.psi_level(value)})"),
        text_includes(".mlsd-drift-decision", drift_mod.ACTION_MARK[decision.action]),
    )
    return Step(describe, ".mlsd-drift-shift .noUi-handle", key, body, arg)


def drift_steps(page):
    yield _drift_step("End on the shift slider: +1 standard deviation", "End", 1.0)
    yield _drift_step("Home on the shift slider: −1 standard deviation", "Home", -1.0)
    yield _drift_step("ArrowRight: −0.98 standard deviations", "ArrowRight", -0.98)


# --- lifecycle checklist -------------------------------------------------------------------

LIFECYCLE_TEXT = (
    "We log clicks as labels and retrain the ranker daily on GPUs. Offline we compare AUC on "
    "a time-based split, then run an A/B test on CTR. New models go out as a canary with "
    "automatic rollback if latency p99 breaks the SLO. A dashboard tracks CTR and PSI drift."
)
ADDED = (
    " Features come from a feature store with a schema check.",
    " Hyperparameter tuning runs weekly; an alert pages us on privacy issues.",
)


def _lifecycle_step(describe, before: str, added: str) -> Step:
    # Typing ticks what the new text suggests and never unticks: the union.
    old = suggest_covered(before)
    covered = old | suggest_covered(before + added)
    assert covered != old, f"{added!r} ticks nothing new: the step could not fail"
    weakest = weakest_stages(covered)
    headline = f"Weakest: {', '.join(weakest)}" if weakest else "Every stage covered."
    rows = gaps(covered)
    body, arg = text_includes(
        ".mlsd-lifecycle-report",
        headline,
        *(f"{s}{c}" for s, c in zip(rows["stage"], rows["covered"], strict=True)),
    )
    return Step(
        describe,
        ".mlsd-lifecycle-description textarea",
        ("Control+End", f"text:{added}", "Tab"),
        body,
        arg,
    )


def lifecycle_steps(page):
    assert len(STAGES) == 6
    yield _lifecycle_step("Type about a feature store, then Tab", LIFECYCLE_TEXT, ADDED[0])
    yield _lifecycle_step(
        "Type about tuning and alerts, then Tab", LIFECYCLE_TEXT + ADDED[0], ADDED[1]
    )


# --- estimate calculator -------------------------------------------------------------------


def _estimates_step(describe, key, **changes) -> Step:
    from mlsd.widgets.estimates import EstimateCalculator

    values = {**EstimateCalculator(requirements=GUIDE_EXAMPLE).values(), **changes}
    results = estimate_all(**values)
    body, arg = text_includes(
        ".mlsd-estimates-work", results["qps"].readable, results["servers"].readable
    )
    return Step(describe, ".mlsd-estimates-daily-active-users input", key, body, arg)


def estimates_steps(page):
    yield _estimates_step(
        "Type 2,000,000 daily users and Enter",
        ("Control+a", "text:2000000", "Enter"),
        daily_active_users=2e6,
    )
    yield _estimates_step(
        "Type 50,000,000 daily users and Enter",
        ("Control+a", "text:50000000", "Enter"),
        daily_active_users=5e7,
    )


# --- factories for the Python-side accessibility checks -------------------------------------


def _checklist():
    from mlsd.widgets.requirements import clarifying_checklist

    return clarifying_checklist(GUIDE_EXAMPLE)


def _options():
    from mlsd.widgets.options import options_table

    return options_table(latency_budget_ms=150, accuracy_requirement_pct=88)


def _cascade():
    return cascade_mod.cascade_simulator(n_requests=10_000)


def _drift():
    return drift_mod.drift_lab()


def _lifecycle():
    from mlsd.widgets.lifecycle import lifecycle_checklist

    return lifecycle_checklist(LIFECYCLE_TEXT)


def _estimates():
    from mlsd.widgets.estimates import estimate_calculator

    return estimate_calculator(requirements=GUIDE_EXAMPLE)


register(
    Section(
        name="07-practical-tips",
        main="cascade",
        widgets=(
            Widget(
                "checklist",
                "mlsd-requirements",
                _checklist,
                checklist_steps,
                ("mlsd-requirements-fig",),
            ),
            Widget("options", "mlsd-options", _options, options_steps, ("mlsd-options-fig",)),
            Widget("cascade", "mlsd-cascade", _cascade, cascade_steps, ("mlsd-cascade-fig",)),
            Widget("drift", "mlsd-drift", _drift, drift_steps, ("mlsd-drift-fig",)),
            Widget(
                "lifecycle",
                "mlsd-lifecycle",
                _lifecycle,
                lifecycle_steps,
                ("mlsd-lifecycle-fig",),
            ),
            Widget(
                "estimates",
                "mlsd-estimates",
                _estimates,
                estimates_steps,
                ("mlsd-estimates-fig",),
            ),
        ),
    )
)
