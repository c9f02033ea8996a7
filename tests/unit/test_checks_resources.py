"""mlsd.checks.resources: the references pass, plausible wrong answers fail and say why."""

from __future__ import annotations

import pytest

from mlsd import resources, selfcheck, studyplan
from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.resources import (
    PASS,
    check_cell_status,
    check_filter,
    check_mock_days,
    error,
    expect_cell_status,
    expect_filter,
    expect_mock_days,
    stream,
)

REAL = resources.load()
HIDDEN_FILTER = [
    (None, None, ["A", "B", "C", "D", "E"], ""),
    ("search", None, ["A", "C"], ""),
    ("research", None, ["B"], ""),
    ("interview", None, [], ""),
    (None, "book", ["A", "E"], ""),
    ("ranking", "online", [], ""),
]


def reference_filter(table, topic=None, kind=None):
    return resources.filter_resources(table, topic=topic, kind=kind) if topic is None or (
        topic in resources.topics(table)
    ) else table.iloc[0:0]  # fmt: skip


def test_filter_reference_passes():
    check_filter(reference_filter, REAL)
    expect_filter(reference_filter, HIDDEN_FILTER)


def test_filter_substring_match_fails_with_reason():
    def substring(table, topic=None, kind=None):
        mask = table["kind"].notna()
        if kind is not None:
            mask &= table["kind"] == kind
        if topic is not None:
            mask &= table["topics"].fillna("").str.contains(topic, regex=False)
        return table[mask]

    with pytest.raises(Incorrect) as err:
        check_filter(substring, REAL)
    assert "research" in err.value.likely_cause


def test_filter_none_as_value_and_none_returned():
    def strict(table, topic=None, kind=None):
        return table[table["kind"] == kind]

    with pytest.raises(Incorrect) as err:
        check_filter(strict, REAL)
    assert "no filter" in err.value.likely_cause
    with pytest.raises(Incorrect, match="returned None"):
        check_filter(lambda table, topic=None, kind=None: None, REAL)
    with pytest.raises(Incorrect, match="expected a DataFrame"):
        check_filter(lambda table, topic=None, kind=None: ["A"], REAL)

    def stub(table, topic=None, kind=None):
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        check_filter(stub, REAL)


HIDDEN_MOCKS = [
    (1, 7, [], ""),
    (2, 7, [1], ""),
    (7, 7, [6], ""),
    (8, 7, [6, 7], ""),
    (9, 3, [2, 5, 8], ""),
    (3, 1, [0, 1, 2], ""),
    (30, 0, [29], ""),
]


def test_mock_days_reference_is_the_core_function():
    def mock_days(days, every):
        return list(studyplan.mock_days(days, every))

    check_mock_days(mock_days)
    expect_mock_days(mock_days, HIDDEN_MOCKS)


def test_mock_days_wrong_answers():
    def from_one(days, every):
        chosen = set(range(every, days, every)) if every else set()
        return sorted(chosen | ({days - 1} if days >= 2 else set()))

    with pytest.raises(Incorrect) as err:
        check_mock_days(from_one)
    assert "count from 0" in err.value.likely_cause

    def twice(days, every):
        chosen = list(range(every - 1, days, every)) if every else []
        return chosen + [days - 1] if days >= 2 else chosen

    with pytest.raises(Incorrect) as err:
        check_mock_days(twice)
    assert "once" in err.value.likely_cause

    def always_last(days, every):
        chosen = set(range(every - 1, days, every)) if every else set()
        return sorted(chosen | {days - 1})

    check_mock_days(always_last)  # the visible cases do not cover one day left
    with pytest.raises(Incorrect) as err:
        expect_mock_days(always_last, HIDDEN_MOCKS)
    assert "one day left" in err.value.likely_cause


HIDDEN_STATUS = [
    ([PASS, error("Incorrect")], "incorrect", ""),
    ([stream("hello")], "not run", ""),
    ([error("NameError")], "incorrect", ""),
    ([stream("Hint 1/3 ..."), PASS], "passed", ""),
    ([{"output_type": "execute_result", "data": {}}], "not run", ""),
    ([error("NotAttempted"), PASS], "not attempted", ""),
]


def test_cell_status_reference_is_the_core_function():
    check_cell_status(selfcheck.status_of_outputs)
    expect_cell_status(selfcheck.status_of_outputs, HIDDEN_STATUS)


def test_cell_status_wrong_answers():
    def pass_first(outputs):
        if any("visible checks passed" in o.get("text", "") for o in outputs):
            return "passed"
        return selfcheck.status_of_outputs(outputs)

    check_cell_status(pass_first)
    with pytest.raises(Incorrect) as err:
        expect_cell_status(pass_first, HIDDEN_STATUS)
    assert "errors come first" in err.value.likely_cause

    def any_output(outputs):
        return "passed" if outputs else "not run"

    with pytest.raises(Incorrect):
        check_cell_status(any_output)

    def all_not_attempted(outputs):
        if any(o.get("output_type") == "error" for o in outputs):
            return "not attempted"
        return selfcheck.status_of_outputs(outputs)

    with pytest.raises(Incorrect) as err:
        check_cell_status(all_not_attempted)
    assert "only NotAttempted" in err.value.likely_cause
    with pytest.raises(Incorrect, match="returned None"):
        check_cell_status(lambda outputs: None)
