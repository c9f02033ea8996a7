"""mlsd.checks.engine: one loop for every exercise's cases, tested in both directions
(right answers pass and are counted; each kind of wrong answer fails with its message)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlsd.checks import engine
from mlsd.checks.engine import (
    NO_RETURN,
    NO_RETURN_OR_NOTHING,
    Case,
    Tally,
    equal,
    exact,
    run,
    within,
)
from mlsd.checks.labelled import LabelledCase, close, run_labelled
from mlsd.checks.outcome import Incorrect, NotAttempted

EX = "choose_model"


def const(value, name="f"):
    def f(*_args, **_kwargs):
        return value

    f.__name__ = name
    return f


# --- equal: plain data, exact kinds ------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (3, 3),
        (3, 3.0),
        (np.int64(3), 3),
        (np.float32(0.5), 0.5),
        ("simple", "simple"),
        (np.str_("simple"), "simple"),
        (True, True),
        (np.True_, True),
        (None, None),
        ([1, "a"], (1, "a")),  # brackets are not the skill
        ({"a": [1, 2]}, {"a": (1, 2)}),
        ({1, 2}, {2, 1}),
        (np.array([1, 2]), np.array([1, 2])),
        (b"x", b"x"),
        (float("nan"), float("nan")),
        (pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})),
    ],
    ids=repr,
)
def test_equal_accepts_the_same_plain_value(actual, expected):
    assert equal(actual, expected)
    assert exact(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (True, 1),
        (1, True),
        (0.0, False),
        ("3", 3),
        (3, "3"),
        (None, 0),
        (0, None),
        ([1, 2], [1, 2, 3]),
        ((1, 2), (2, 1)),
        ({"a": 1}, {"a": 1, "b": 2}),
        ({"a": 1}, {"a": 2}),
        (np.array([1, 2]), [1, 2]),
        (np.array([1, 2]), np.array([1, 2, 3])),
        (np.array([True, False]), np.array([1, 0])),
        (np.array(["a"]), "a"),
        (pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2]})),
        (pd.Series([1]), pd.DataFrame({"a": [1]})),
        ({1, 2}, [1, 2]),
    ],
    ids=repr,
)
def test_equal_rejects_a_different_value_or_kind(actual, expected):
    assert not equal(actual, expected)


def test_equal_is_not_fooled_by_an_eq_that_always_says_true():
    class Yes:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    class SneakyStr(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class SneakyInt(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__

    for fake, expected in [
        (Yes(), 3),
        (Yes(), "simple"),
        (Yes(), None),
        (SneakyStr("x"), "simple"),
        (SneakyInt(0), 3),
        ([Yes()], [3]),
        ({"a": Yes()}, {"a": 3}),
    ]:
        assert not equal(fake, expected), fake


@pytest.mark.parametrize(
    ("actual", "ok"),
    [
        (23_000, True),
        (24_000, True),
        (25_000, False),
        ((23_500, "qps"), True),  # numbers inside tuples
        ([25_000, "qps"], False),
        ({"qps": 22_000}, True),  # and inside dict values
    ],
    ids=repr,
)
def test_within_applies_the_tolerance_also_inside_containers(actual, ok):
    expected = (
        23_000
        if isinstance(actual, int)
        else ({"qps": 23_000} if isinstance(actual, dict) else (23_000, "qps"))
    )
    assert within(0.05)(actual, expected) is ok


def test_within_on_arrays_and_tables():
    assert within(0.01)(np.array([1.0, 2.0]), np.array([1.005, 2.0]))
    assert not within(0.001)(np.array([1.0, 2.0]), np.array([1.05, 2.0]))
    assert within(0.01)(pd.Series([1.0]), pd.Series([1.005]))
    assert not within(0.01)(pd.Series([1.0]), pd.Series([1.5]))


@pytest.mark.parametrize("rel_tol", [-0.1, 1, 2, "0.1", None])
def test_within_rejects_a_bad_tolerance(rel_tol):
    with pytest.raises(ValueError, match=r"rel_tol must be a number in \[0, 1\); got"):
        within(rel_tol)


def test_labelled_close_keeps_its_absolute_floor_for_zero():
    assert close(1e-15, 0.0, 0.01)
    assert not close(1e-15, 0.0, None)
    assert close((1.0, None), (1.001, None), 0.01)


# --- run: both directions ----------------------------------------------------------------


def test_right_answers_pass_and_the_count_is_the_number_of_cases(capsys):
    cases = [Case((1, 2), 3, ""), Case((2, 2), 4, ""), Case((0,), 5, "", kwargs={"b": 5})]
    assert run(EX, lambda a, b=0: a + b, cases) is None
    assert f"{EX}: all 3 visible checks passed" in capsys.readouterr().out


def test_label_replaces_the_call_in_messages():
    table = pd.DataFrame({"x": range(50)})
    case = Case((table,), 1, "the table has one row over 48.", label="count(big table)")
    with pytest.raises(Incorrect) as err:
        run(EX, lambda t: 0, [case], quiet=True)
    assert err.value.message.startswith("count(big table) returned 0; expected 1 because")
    assert "49" not in err.value.message  # the table's repr is not printed


def test_label_also_names_a_crash():
    case = Case((pd.DataFrame({"x": [1]}),), 1, "", label="count(big table)")
    with pytest.raises(Incorrect) as err:
        run(EX, lambda t: t["missing"], [case], quiet=True)
    assert err.value.message == "calling count(big table) raised KeyError: 'missing'"


def test_custom_comparator_decides():
    def same_set(actual, expected):
        return sorted(actual) == sorted(expected)

    run(EX, const([2, 1]), [Case((), [1, 2], "", compare=same_set)], quiet=True)
    with pytest.raises(Incorrect):
        run(EX, const([2, 2]), [Case((), [1, 2], "", compare=same_set)], quiet=True)


def test_none_return_is_reported_once_with_the_no_return_cause():
    with pytest.raises(Incorrect) as err:
        run(EX, const(None), [Case((1,), 2, "one more.")], likely_cause=lambda c, a: "x")
    assert err.value.message == "f(1) returned None; expected 2."
    # None is never a right answer here, so the exercise's diagnosis is not asked.
    assert err.value.likely_cause == NO_RETURN


def test_when_none_is_a_real_answer_the_exercise_names_the_slip_first():
    cases = [Case((1,), None, "nothing fits."), Case((2,), "a", "a fits.")]
    with pytest.raises(Incorrect) as err:
        run(EX, const(None), cases, likely_cause=lambda c, a: "you compared with <")
    assert err.value.likely_cause == "you compared with <"
    with pytest.raises(Incorrect) as err:
        run(EX, const(None), cases)
    assert err.value.likely_cause == NO_RETURN_OR_NOTHING


def test_wrong_value_names_call_answer_expected_why_and_cause():
    cases = [Case((7,), 8, "7 + 1 is 8.")]
    with pytest.raises(Incorrect) as err:
        run(EX, lambda x: x, cases, likely_cause=lambda c, a: f"you returned {a}, the input")
    assert err.value.message == "<lambda>(7) returned 7; expected 8 because 7 + 1 is 8."
    assert err.value.likely_cause == "you returned 7, the input"


def test_stub_is_not_attempted_and_stops_at_once():
    calls = []

    def stub(x):
        calls.append(x)
        raise NotImplementedError

    with pytest.raises(NotAttempted):
        run(EX, stub, [Case((1,), 1, ""), Case((2,), 2, "")])
    assert calls == [1]


def test_crash_cause_is_asked_about_the_learners_exception():
    seen = []

    def cause(case, exc):
        seen.append((case.args, type(exc)))
        return "the table is empty when nothing fits"

    with pytest.raises(Incorrect) as err:
        run(EX, lambda x: [][0], [Case((1,), None, "")], crash_cause=cause, quiet=True)
    assert seen == [((1,), IndexError)]
    assert err.value.likely_cause == "the table is empty when nothing fits"
    assert err.value.message == "calling <lambda>(1) raised IndexError: list index out of range"
    assert isinstance(err.value.__cause__, IndexError)


def test_a_learner_that_mutates_its_input_cannot_change_the_next_case():
    shared = [3, 1, 2]
    cases = [Case((shared,), 3, "max is 3."), Case((shared,), 3, "still 3.")]

    def sorts_then_pops(values):
        values.sort()
        return values.pop()

    run(EX, sorts_then_pops, cases, quiet=True)
    assert shared == [3, 1, 2]


def test_a_case_with_an_array_or_table_gets_a_fresh_copy():
    arr, table = np.array([1.0, 2.0]), pd.DataFrame({"a": [1, 2]})

    def vandal(a, t):
        a[:] = 0
        t["a"] = 0
        return 1

    run(EX, vandal, [Case((arr, table), 1, "")], quiet=True)
    assert arr.tolist() == [1.0, 2.0] and table["a"].tolist() == [1, 2]


def test_quiet_runs_say_nothing_and_loud_runs_say_the_count(capsys):
    run(EX, const(1), [Case((), 1, "")], quiet=True)
    assert capsys.readouterr().out == ""


# --- Tally: counting checks that are not call-and-compare ---------------------------------


def test_tally_counts_cases_and_conditions(capsys):
    tally = Tally(EX)
    tally.run(const(1), [Case((), 1, ""), Case((2,), 1, "")])
    tally.expect(True, "unused")
    tally.report()
    assert tally.count == 3
    assert f"{EX}: all 3 visible checks passed" in capsys.readouterr().out


def test_tally_raises_on_a_failed_condition_and_does_not_count_it():
    tally = Tally(EX)
    with pytest.raises(Incorrect) as err:
        tally.expect(False, "the band was missed", "explore more")
    assert (err.value.message, err.value.likely_cause) == ("the band was missed", "explore more")
    assert tally.count == 0


def test_a_tally_with_nothing_checked_cannot_report_a_pass(capsys):
    with pytest.raises(ValueError, match="ran no case cannot pass"):
        Tally(EX).report()
    with pytest.raises(ValueError, match="ran no case cannot pass"):
        run(EX, const(1), [])
    assert capsys.readouterr().out == ""


# --- the old names keep working -----------------------------------------------------------


def test_labelled_case_is_a_case_with_its_label_first(capsys):
    case = LabelledCase("pick(guide table, 150)", (1,), 2.0, "why.", rel_tol=0.01)
    assert isinstance(case, Case)
    assert (case.label, case.args, case.expected, case.rel_tol) == (
        "pick(guide table, 150)",
        (1,),
        2.0,
        0.01,
    )
    run_labelled(EX, const(2.01), [case])
    assert "all 1 visible checks passed" in capsys.readouterr().out
    with pytest.raises(Incorrect, match=r"^Incorrect \(choose_model\): pick\(guide table, 150\)"):
        run_labelled(EX, const(3.0), [case], quiet=True)


@pytest.mark.parametrize("label", ["", "  ", None, 3])
def test_labelled_case_needs_a_label(label):
    with pytest.raises(ValueError, match="label must be a non-empty string"):
        LabelledCase(label, (), 1, "")


def test_the_no_return_sentence_is_written_once_in_the_engine():
    # The section modules that still spell it out are listed in the engine's report; the
    # engine itself keeps one copy for every check that goes through it.
    import inspect

    source = inspect.getsource(engine)
    assert source.count("print is not return") == 2  # NO_RETURN and NO_RETURN_OR_NOTHING
