"""Section 11 checks in both directions: references pass, wrong answers (and the gaming routes
of tests/grading/wrong_answers/s11_resources.py) fail with the reason."""

from __future__ import annotations

import pytest

from mlsd import studyplan
from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.resources import (
    check_fix_first,
    check_next_review,
    expect_fix_first,
    expect_next_review,
)
from tests.grading.wrong_answers.s11_resources import WRONG_ANSWERS

# Cases written for these tests (not the notebook's hidden ones).
UNSEEN_TABLES = [
    ("CTR by device", {"segment": ["phone", "tablet", "desktop"], "share": [0.7, 0.1, 0.2],
                       "metric": [3.1, 1.0, 3.6]}, 3.5, ["phone", "tablet"], ""),
    ("a segment exactly at the bar", {"segment": ["x", "y"], "share": [0.5, 0.5],
                                      "metric": [80.0, 70.0]}, 80.0, ["y"], ""),
]  # fmt: skip
UNSEEN_HISTORIES = [
    ([(0, 90)] * 1 + [(1, 90), (3, 90), (7, 90), (15, 90)], 20, 31, "capped at 16"),
    ([(0, 90), (2, 10)], 2, 3, "reset after a failure"),
]


def reference_fix_first(table, bar):
    rows = [
        (share * (bar - metric), i, seg)
        for i, (seg, share, metric) in enumerate(
            zip(table["segment"], table["share"], table["metric"], strict=True)
        )
        if metric < bar
    ]
    return [seg for _g, _i, seg in sorted(rows, key=lambda r: (-r[0], r[1]))]


def wrong(grade_id: str, label_start: str):
    source = next(src for label, src in WRONG_ANSWERS[grade_id] if label.startswith(label_start))
    namespace: dict = {}
    exec(source, namespace)
    return next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))


def message(excinfo) -> str:
    return excinfo.value.text()


def test_references_pass(capsys):
    check_fix_first(reference_fix_first)
    expect_fix_first(reference_fix_first, UNSEEN_TABLES)
    check_next_review(studyplan.next_review)
    expect_next_review(studyplan.next_review, UNSEEN_HISTORIES)
    assert capsys.readouterr().out.count("visible checks passed") == 2


@pytest.mark.parametrize("check", [check_fix_first, check_next_review])
def test_stub_is_not_attempted(check):
    def stub(*_a):
        raise NotImplementedError("not attempted yet")

    with pytest.raises(NotAttempted):
        check(stub)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned None; expected", None),
        ("gaming: the visible answers", None, "fix_first(CTR by device, bar=3.5) returned"),
        ("the lowest metric first", "the lowest metric is not always the costliest", None),
        ("keeps the segments", "leave out the segments already at or above the bar", None),
        ("off at the boundary", None, "fix_first(a segment exactly at the bar, bar=80)"),
        ("returns the rows", "return a list of the 'segment' names in order", None),
    ],
)
def test_wrong_fix_first(label, visible, hidden):
    fn = wrong("resources-fix-first", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_fix_first(fn)
        assert visible in message(excinfo)
        return
    check_fix_first(fn)
    with pytest.raises(Incorrect) as excinfo:
        expect_fix_first(fn, UNSEEN_TABLES)
    assert hidden in message(excinfo)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned None; expected 5", None),
        ("gaming: the visible answers", None, "returned 20; expected 31"),
        ("never overdue", "return the due day even when it is in the past", None),
        ("off at the boundary", "65 is a pass", None),
        ("no cap", None, "cap the gap at 16 days"),
        ("one pass too few", "count every pass in a row", None),
    ],
)
def test_wrong_next_review(label, visible, hidden):
    fn = wrong("resources-next-review", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_next_review(fn)
        assert visible in message(excinfo)
        return
    check_next_review(fn)
    with pytest.raises(Incorrect) as excinfo:
        expect_next_review(fn, UNSEEN_HISTORIES)
    assert hidden in message(excinfo)


def test_the_learner_cannot_change_the_table_the_next_case_sees():
    def vandal(table, bar):
        answer = reference_fix_first(table, bar)
        table["metric"] = 0.0
        return answer

    check_fix_first(vandal)
