"""Checks for section 11: filtering the resources, mock-interview days, reading progress."""

from __future__ import annotations

import pandas as pd

from mlsd.checks.core import Case, Incorrect, call_learner, passed, run_cases

FILTER, MOCKS, STATUS = "resources_filter", "resources_mock_days", "resources_cell_status"

# A small table whose traps are visible: "research" contains "search", "mock interviews"
# contains "interview", and one row has no topics at all.
TOY = pd.DataFrame(
    {
        "title": ["A", "B", "C", "D", "E"],
        "by": ["a", "b", "c", "d", "e"],
        "kind": ["book", "online", "write-up", "practice", "book"],
        "topics": [
            "search;ranking",
            "research",
            "recommendations;search",
            "mock interviews",
            "",
        ],
        "what_for": ["", "", "", "", ""],
    }
)


def _titles(result) -> list[str] | None:
    if isinstance(result, pd.DataFrame) and "title" in result.columns:
        return list(result["title"])
    return None


def _run_filter(fn, cases, quiet: bool) -> None:
    for table, topic, kind, expected, why in cases:
        result = call_learner(FILTER, fn, table.copy(), topic=topic, kind=kind)
        call = f"filter_resources(table, topic={topic!r}, kind={kind!r})"
        if result is None:
            raise Incorrect(
                FILTER,
                f"{call} returned None; expected a DataFrame with the rows {expected}.",
                "the function has no `return` statement (print is not return).",
            )
        titles = _titles(result)
        if titles is None:
            raise Incorrect(
                FILTER, f"{call} returned a {type(result).__name__}; expected a DataFrame."
            )
        if titles != expected:
            cause = None
            if topic and set(expected) < set(titles):
                cause = (
                    "a topic must equal one entry of the ';'-separated list: 'search' is "
                    "in 'research' as text, but research is a different topic. Split on ';'."
                )
            elif topic is None or kind is None:
                cause = "None means 'no filter' for that argument: keep every row for it."
            raise Incorrect(
                FILTER, f"{call} kept {titles}; expected {expected} because {why}", cause
            )
    if not quiet:
        passed(FILTER, len(cases))


def check_filter(fn, real_table: pd.DataFrame) -> None:
    """Visible check on the shipped table and on the toy table's substring trap."""
    search = ["Machine Learning System Design Interview", "Amazon product recommendations"]
    books = list(real_table.loc[real_table["kind"] == "book", "title"])
    cases = [
        (real_table, "search", None, search, "only these two list the topic 'search'."),
        (real_table, None, "book", books, "the guide lists three books."),
        (TOY, "search", "book", ["A"], "A is the only book about search."),
    ]
    _run_filter(fn, cases, quiet=False)


def expect_filter(fn, cases) -> None:
    """Hidden-test helper: (topic, kind, expected titles, why) on the toy table."""
    _run_filter(fn, [(TOY, t, k, e, w) for t, k, e, w in cases], quiet=True)


# --- mock-interview days -----------------------------------------------------------------
VISIBLE_MOCKS = (
    Case((14, 7), [6, 13], "days 6 and 13 are the 7th and 14th days; 13 is also the last."),
    Case((10, 7), [6, 9], "the 7th day (index 6) and the last day before the interview (9)."),
    Case((5, 0), [4], "mock_every=0 means no regular mocks: only the last day."),
)


def _mock_cause(case: Case, actual) -> str | None:
    days, every = case.args
    if not isinstance(actual, list):
        return "return a list of day numbers (ints), sorted."
    if actual and actual[0] == every:
        return "days count from 0 (today): the 7th day is day 6."
    if len(actual) != len(set(actual)):
        return "the last day can also be a regular mock day: list it once."
    if days - 1 not in actual and days >= 2:
        return "the last day before the interview is always a mock day."
    if days == 1 and actual:
        return "with one day left there is no room for a mock: return []."
    return None


def check_mock_days(fn) -> None:
    run_cases(MOCKS, fn, VISIBLE_MOCKS, likely_cause=_mock_cause)


def expect_mock_days(fn, cases) -> None:
    """``cases`` are (days, mock_every, expected list, why)."""
    run_cases(
        MOCKS,
        fn,
        [Case((d, m), e, why) for d, m, e, why in cases],
        likely_cause=_mock_cause,
        quiet=True,
    )


# --- a test cell's status from its saved outputs -------------------------------------------
def stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def error(ename: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": "", "traceback": []}


PASS = stream("✓ psi: all 5 visible checks passed. Hidden tests run at grading time may ...")
VISIBLE_STATUS = (
    Case(([],), "not run", "a cell that was never run has no outputs."),
    Case(([PASS],), "passed", "the check printed that the visible checks passed."),
    Case(([error("NotAttempted")],), "not attempted", "the stub is still there."),
    Case(([error("Incorrect")],), "incorrect", "the check found a wrong answer."),
)


def _status_cause(case: Case, actual) -> str | None:
    outputs = case.args[0]
    kinds = [o.get("output_type") for o in outputs]
    if actual not in ("passed", "incorrect", "not attempted", "not run"):
        return "return exactly 'passed', 'incorrect', 'not attempted' or 'not run'."
    if "error" in kinds and actual == "passed":
        return "an error after the pass message means a later check failed: errors come first."
    if "error" in kinds and case.expected == "incorrect":
        return "only NotAttempted means not attempted; any other error counts as incorrect."
    if actual == "passed":
        return "printing something is not passing: look for 'visible checks passed'."
    return None


def check_cell_status(fn) -> None:
    run_cases(STATUS, fn, VISIBLE_STATUS, likely_cause=_status_cause)


def expect_cell_status(fn, cases) -> None:
    """``cases`` are (outputs, expected, why)."""
    run_cases(
        STATUS,
        fn,
        [Case((outputs,), e, why) for outputs, e, why in cases],
        likely_cause=_status_cause,
        quiet=True,
    )
