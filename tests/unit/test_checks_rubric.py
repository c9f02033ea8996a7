"""Section 8 checks in both directions: references pass, wrong answers fail with the reason."""

from __future__ import annotations

import math

import pytest

from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.rubric import (
    check_hire_band,
    check_transcript_scores,
    check_weighted_total,
    expect_bands,
    expect_totals,
    expect_transcript_scores,
)
from mlsd.rubric import KEYS, WEIGHTS
from tests.grading.wrong_answers.s08_evaluation_rubric import WRONG_ANSWERS

C_REFERENCE = dict(zip(KEYS, [67.5, 64, 64, 54, 48], strict=True))


def weighted_total(scores, weights):
    s = sum(weights.values())
    if not math.isclose(s, 100, abs_tol=1e-6):
        raise ValueError(f"weights must sum to 100 %; got {s:g} %.")
    for k, v in scores.items():
        if not 0 <= v <= 100:
            raise ValueError(f"scores[{k!r}] out of range: {v}")
    return sum(scores[k] * weights[k] for k in scores) / 100


def hire_band(total):
    if not 0 <= total <= 100:
        raise ValueError(f"total must be in [0, 100]; got {total}")
    return (
        "strong hire"
        if total >= 80
        else "hire"
        if total >= 65
        else ("lean no hire" if total >= 50 else "no hire")
    )


def wrong(grade_id: str, label_start: str):
    """The wrong answer of the grading suite whose label starts with ``label_start``."""
    source = next(src for label, src in WRONG_ANSWERS[grade_id] if label.startswith(label_start))
    namespace: dict = {}
    exec(source, namespace)
    return next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))


def message(excinfo) -> str:
    return excinfo.value.text()


def test_references_pass(capsys):
    check_weighted_total(weighted_total)
    check_hire_band(hire_band)
    check_transcript_scores(lambda: C_REFERENCE)
    expect_transcript_scores(lambda: C_REFERENCE, C_REFERENCE)
    assert capsys.readouterr().out.count("visible checks passed") == 3


def test_stub_is_not_attempted():
    def stub(*_a):
        raise NotImplementedError("not attempted yet")

    for check in (check_weighted_total, check_hire_band, check_transcript_scores):
        with pytest.raises(NotAttempted):
            check(stub if check is not check_transcript_scores else lambda: stub())


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("returns None", "returned None"),
        ("no validation", "expected a ValueError because the weights sum to 95"),
        ("forgets that weights", "divide the weighted sum by 100"),
        ("checks the weights but", "expected a ValueError because scores run from 0 to 100"),
        ("a vague error", "does not mention 'weights', '95'"),
    ],
)
def test_wrong_totals_fail_visibly_with_the_reason(label, words):
    with pytest.raises(Incorrect) as excinfo:
        check_weighted_total(wrong("rubric-total", label))
    assert words in message(excinfo)


def test_exact_equality_on_the_weight_sum_fails_the_hidden_rounding_case():
    fn = wrong("rubric-total", "off at the boundary")
    check_weighted_total(fn)  # passes what it can see
    w = dict(zip(KEYS, [33.3, 33.3, 13.3, 10.0, 10.1], strict=True))
    with pytest.raises(Incorrect, match="raised ValueError: weights must sum to 100 %"):
        expect_totals(fn, [("rounded weights", dict.fromkeys(KEYS, 50), w, 50.0, "sums to 100")])


def test_plain_mean_is_named():
    with pytest.raises(Incorrect, match="plain mean"):
        check_weighted_total(lambda s, w: sum(s.values()) / len(s))


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("returns None", "returned None"),
        ("off at the boundary", "80 belongs to the higher band (use >=)"),
        ("no range check", "hire_band(105) returned 'strong hire'; expected a ValueError"),
        ("bands tested from the bottom", "hire_band(85) returned 'lean no hire'"),
    ],
)
def test_wrong_bands_fail_visibly_with_the_reason(label, words):
    with pytest.raises(Incorrect) as excinfo:
        check_hire_band(wrong("rubric-band", label))
    assert words in message(excinfo)


def test_refusing_100_fails_the_hidden_top_of_scale():
    fn = wrong("rubric-band", "the top of the scale")
    check_hire_band(fn)
    with pytest.raises(Incorrect, match="hire_band.100. raised ValueError"):
        expect_bands(fn, [(100, "strong hire", "top")])


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned NoneType", None),
        ("off at the boundary", None, "weighted total is 69.1; a calibrated total is within 7"),
        ("swayed by the good questions", None, "problem_understanding: you gave 100"),
        ("too harsh", None, "dimension(s) more than 20 points"),
        ("a flat 60", "every dimension got 60", None),
    ],
)
def test_wrong_transcript_scores(label, visible, hidden):
    fn = wrong("rubric-transcript", label)
    if visible:
        with pytest.raises(Incorrect, match=visible):
            check_transcript_scores(fn)
        return
    check_transcript_scores(fn)
    with pytest.raises(Incorrect, match=hidden.replace("(", r"\(").replace(")", r"\)")):
        expect_transcript_scores(fn, C_REFERENCE)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({**C_REFERENCE, "vibes": 3}, "unknown keys: \\['vibes'\\]"),
        ({**C_REFERENCE, "tradeoffs": 101}, "tradeoffs must be a number in \\[0, 100\\]"),
        ([1, 2, 3], "returned list"),
        (dict.fromkeys(KEYS, 95) | {"communication": 90}, "well inside \\[30, 80\\]"),
    ],
)
def test_malformed_transcript_answers(answer, words):
    with pytest.raises(Incorrect, match=words):
        check_transcript_scores(lambda: answer)


def test_weights_fixture_is_the_guide():
    assert sum(WEIGHTS.values()) == 100
