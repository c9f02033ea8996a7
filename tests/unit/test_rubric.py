"""Core of section 8: weights, totals, bands, evidence scoring and the self-assessment CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd import rubric
from mlsd.rubric import (
    CANDIDATE_A,
    CANDIDATE_B,
    KEYS,
    WEIGHTS,
    Evidence,
    append_assessment,
    assessment_row,
    hire_band,
    load_assessments,
    rate_dimension,
    ratings_from_evidence,
    resolve_csv,
    score_evidence,
    validate_weights,
    weighted_total,
)

A_SCORES = {
    "problem_understanding": 100,
    "system_design": 80,
    "ml_knowledge": 80,
    "tradeoffs": 80,
    "communication": 90,
}


def test_guide_weights_sum_to_100_in_the_guide_order():
    assert WEIGHTS == {
        "problem_understanding": 20,
        "system_design": 30,
        "ml_knowledge": 25,
        "tradeoffs": 15,
        "communication": 10,
    }
    for d in rubric.DIMENSIONS:
        assert len(d.excellent) == len(d.poor) >= 4


def test_guide_examples_reproduce_85_and_40():
    a = score_evidence(CANDIDATE_A)
    assert a == A_SCORES
    assert weighted_total(a) == pytest.approx(85.0)
    assert hire_band(weighted_total(a)) == "strong hire"
    b_total = weighted_total(score_evidence(CANDIDATE_B))
    assert b_total == pytest.approx(40.4)
    assert round(b_total) == 40 and hire_band(b_total) == "no hire"


def test_candidate_c_reference_follows_from_its_evidence():
    # The reference the notebook's hidden test uses, derived from logged evidence.
    e = Evidence
    c = [
        e("problem_understanding", 0, "excellent", ""),
        e("problem_understanding", 1, "excellent", ""),
        e("problem_understanding", 3, "poor", ""),
        e("system_design", 0, "excellent", ""),
        e("system_design", 3, "excellent", ""),
        e("system_design", 4, "poor", ""),
        e("ml_knowledge", 0, "excellent", ""),
        e("ml_knowledge", 1, "excellent", ""),
        e("ml_knowledge", 4, "poor", ""),
        e("tradeoffs", 0, "excellent", ""),
        e("tradeoffs", 2, "poor", ""),
        e("communication", 0, "excellent", ""),
        e("communication", 2, "poor", ""),
        e("communication", 4, "poor", ""),
    ]
    scores = score_evidence(c)
    assert scores == {
        "problem_understanding": 67.5,
        "system_design": 64,
        "ml_knowledge": 64,
        "tradeoffs": 54,
        "communication": 48,
    }
    assert weighted_total(scores) == pytest.approx(61.6)
    assert hire_band(61.6) == "lean no hire"


def test_nothing_seen_scores_exactly_50():
    assert weighted_total(score_evidence(())) == 50.0
    assert hire_band(50.0) == "lean no hire"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (100, "strong hire"),
        (80, "strong hire"),
        (79.999, "hire"),
        (65, "hire"),
        (64.99, "lean no hire"),
        (50, "lean no hire"),
        (49.99, "no hire"),
        (0, "no hire"),
    ],
)
def test_band_edges_are_inclusive_floors(total, band):
    assert hire_band(total) == band


@pytest.mark.parametrize("bad", [-0.1, 100.1, float("nan"), "85", None, True])
def test_hire_band_names_total(bad):
    with pytest.raises(ValueError, match="total"):
        hire_band(bad)


def test_weights_summing_to_95_are_refused_with_the_sum():
    with pytest.raises(ValueError, match=r"weights must sum to 100 %; got 95 %"):
        weighted_total(A_SCORES, {**WEIGHTS, "communication": 5})


def test_weights_that_sum_to_100_up_to_rounding_are_accepted():
    w = dict(zip(KEYS, [33.3, 33.3, 13.3, 10.0, 10.1], strict=True))
    assert sum(w.values()) != 100
    assert validate_weights(w)["communication"] == 10.1


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ({**WEIGHTS, "tradeoffs": -5, "communication": 30}, "weights['tradeoffs']"),
        ({k: v for k, v in WEIGHTS.items() if k != "tradeoffs"}, "missing tradeoffs"),
        ({**WEIGHTS, "vibes": 0}, "unknown 'vibes'"),
        ([20, 30, 25, 15, 10], "must be a dict"),
        ({**WEIGHTS, "ml_knowledge": "25"}, "weights['ml_knowledge'] must be a number"),
    ],
)
def test_bad_weights_are_named(weights, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        validate_weights(weights)


@pytest.mark.parametrize(("key", "value"), [("ml_knowledge", 120), ("communication", -1)])
def test_bad_score_names_its_dimension(key, value):
    with pytest.raises(ValueError, match=key):
        weighted_total({**A_SCORES, key: value})


@given(st.lists(st.floats(0, 100), min_size=5, max_size=5))
def test_total_lies_between_min_and_max_score(values):
    scores = dict(zip(KEYS, values, strict=True))
    total = weighted_total(scores)
    assert min(values) - 1e-9 <= total <= max(values) + 1e-9


def test_rate_dimension_scale_and_errors():
    assert rate_dimension("tradeoffs", ["excellent"] * 5) == 100
    assert rate_dimension("tradeoffs", ["poor"] * 5) == 20
    assert rate_dimension("problem_understanding", ["not shown"] * 4) == 50
    with pytest.raises(ValueError, match="must list 4 ratings"):
        rate_dimension("problem_understanding", ["poor"] * 5)
    with pytest.raises(ValueError, match=r"ratings\[1\] of tradeoffs"):
        rate_dimension("tradeoffs", ["poor", "great", "poor", "poor", "poor"])
    with pytest.raises(ValueError, match="dimension must be one of"):
        rate_dimension("charisma", [])


def test_a_sign_cannot_be_both_excellent_and_poor():
    with pytest.raises(ValueError, match="both excellent and poor; pick one for: clear structure"):
        ratings_from_evidence("communication", excellent=[0], poor=[0, 1])
    with pytest.raises(ValueError, match=r"indices in \[0, 3\]; got 4"):
        ratings_from_evidence("problem_understanding", excellent=[4])


def test_self_assessment_csv_round_trip(tmp_path):
    path = tmp_path / "log.csv"
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    append_assessment(path, assessment_row("news feed", A_SCORES, when))
    append_assessment(path, assessment_row(" fraud ", dict.fromkeys(KEYS, 40), when))
    rows = load_assessments(path)
    assert [r["problem"] for r in rows] == ["news feed", "fraud"]
    assert rows[0]["total"] == 85.0 and rows[0]["band"] == "strong hire"
    assert rows[1]["communication"] == 40.0 and rows[1]["band"] == "no hire"
    assert path.read_text().splitlines()[0].startswith("timestamp,problem,problem_understanding")


def test_csv_defaults_to_the_working_folder_never_the_package(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_csv() == tmp_path / "self_assessment.csv"
    assert load_assessments() == []
    with pytest.raises(ValueError, match="path must end in .csv"):
        resolve_csv(tmp_path / "log.txt")


def test_foreign_csv_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="is not a self-assessment log"):
        load_assessments(path)


def test_assessment_row_needs_a_problem_name():
    with pytest.raises(ValueError, match="problem must be a non-empty name"):
        assessment_row("  ", A_SCORES)


def test_evidence_effect_adds_up_to_the_total():
    # every sign of A moves the total by its effect; together they make 85 from 50
    effects = [rubric.evidence_effect(e) for e in CANDIDATE_A]
    assert effects[0] == (12.5, 2.5)  # a problem-understanding sign: 50/4 points, x 20 %
    assert 50 + sum(t for _d, t in effects) == pytest.approx(85.0)
    poor = rubric.evidence_effect(CANDIDATE_B[1])  # a system-design poor sign
    assert poor == pytest.approx((-6.0, -1.8))
    assert 50 + sum(rubric.evidence_effect(e)[1] for e in CANDIDATE_B) == pytest.approx(40.4)
    with pytest.raises(ValueError, match="weights must sum to 100"):
        rubric.evidence_effect(CANDIDATE_A[0], {**WEIGHTS, "tradeoffs": 0})
