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
from mlsd.rubric import KEYS, TRANSCRIPT_C_TURNS, WEIGHTS, score_turns
from tests.grading.wrong_answers.s08_evaluation_rubric import WRONG_ANSWERS

C_REFERENCE = dict(zip(KEYS, [75, 74, 64, 32, 58], strict=True))
PU, SD = "problem_understanding", "system_design"


def _turn(who, minute, *items):
    key = "raises" if who == "interviewer" else "signs"
    return {"who": who, "minute": minute, "says": "", key: [list(i) for i in items]}


# A transcript written for these tests (not the notebook's hidden one): the interviewer asks
# for the constraints and monitoring, the candidate answers both well after a detour.
UNSEEN = [
    _turn("interviewer", 3, (PU, 0), (PU, 1), (SD, 4)),
    _turn("candidate", 4, (SD, 0, "excellent"), (SD, 1, "excellent")),
    _turn("candidate", 12, (PU, 0, "excellent"), (PU, 1, "excellent"), (SD, 4, "excellent")),
]
UNSEEN_REFERENCE = {**dict.fromkeys(KEYS, 50.0), PU: 50.0, SD: 70.0}


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
    check_transcript_scores(score_turns)
    expect_transcript_scores(score_turns, UNSEEN, UNSEEN_REFERENCE)
    out = capsys.readouterr().out
    assert out.count("visible checks passed") == 3
    assert "Your rater gives candidate C 63.8 out of 100 (lean no hire)" in out


def test_stub_is_not_attempted():
    def stub(*_a):
        raise NotImplementedError("not attempted yet")

    for check in (check_weighted_total, check_hire_band, check_transcript_scores):
        with pytest.raises(NotAttempted):
            check(stub)


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


def test_reference_rules_agree_with_the_fixture():
    assert score_turns(TRANSCRIPT_C_TURNS) == C_REFERENCE
    assert score_turns(UNSEEN) == UNSEEN_REFERENCE


def test_a_rater_giving_a_little_prompted_credit_passes():
    # 60 for a good prompted answer is within a calibrated rater's range.
    fn = lambda turns: score_turns(turns, prompted_credit=60)  # noqa: E731
    check_transcript_scores(fn)
    expect_transcript_scores(fn, UNSEEN, UNSEEN_REFERENCE)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned NoneType", None),
        ("gaming: returns candidate C's", "the same scores as for candidate C", None),
        ("gaming: five scores near 60", "problem_understanding: you gave 62", None),
        ("credits the candidate", "counted as if the candidate had raised it", None),
        ("the first word counts", "the candidate's first word on a pair was kept", None),
        ("off at the boundary", None, "problem_understanding: you gave 75, a calibrated rater"),
    ],
)
def test_wrong_transcript_raters(label, visible, hidden):
    fn = wrong("rubric-transcript", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_transcript_scores(fn)
        assert visible in message(excinfo)
        return
    check_transcript_scores(fn)  # passes every case it can see
    with pytest.raises(Incorrect) as excinfo:
        expect_transcript_scores(fn, UNSEEN, UNSEEN_REFERENCE)
    assert hidden in message(excinfo)


def test_keeping_the_best_word_is_named():
    def best(turns):
        kept = []
        seen = set()
        for t in turns:
            for d, p, r in t.get("signs", []):
                seen.add((d, p, r))
        for t in turns:
            signs = [
                [d, p, "excellent" if (d, p, "excellent") in seen else r]
                for d, p, r in t.get("signs", [])
            ]
            kept.append({**t, "signs": signs} if t["who"] == "candidate" else t)
        return score_turns(kept)

    with pytest.raises(Incorrect) as excinfo:
        check_transcript_scores(best)
    assert "the best rating a pair ever got was kept" in message(excinfo)


def test_the_learner_cannot_change_the_turns_the_next_case_sees():
    def vandal(turns):
        scores = score_turns(turns)
        turns.clear()
        return scores

    check_transcript_scores(vandal)
    assert len(TRANSCRIPT_C_TURNS) == 15


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ({**C_REFERENCE, "vibes": 3}, "unknown keys: \\['vibes'\\]"),
        ({**C_REFERENCE, "tradeoffs": 101}, "tradeoffs must be a number in \\[0, 100\\]"),
        ({**C_REFERENCE, "tradeoffs": True}, "tradeoffs must be a number in \\[0, 100\\]"),
        ([1, 2, 3], "returned list"),
    ],
)
def test_malformed_transcript_answers(answer, words):
    with pytest.raises(Incorrect, match=words):
        check_transcript_scores(lambda _turns: answer)


def test_the_total_tolerance_is_enforced_on_its_own():
    # Every dimension within 10 of C's reference, all on the generous side: the total is not.
    generous = {k: v + 9 for k, v in C_REFERENCE.items()}
    with pytest.raises(Incorrect, match="too generous"):
        expect_transcript_scores(lambda _t: generous, TRANSCRIPT_C_TURNS, C_REFERENCE)


def test_weights_fixture_is_the_guide():
    assert sum(WEIGHTS.values()) == 100
