"""mlsd.checks.core: the manifest, stepped hints and the three outcomes of a check."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from importlib import resources

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.checks import core
from mlsd.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Incorrect,
    NotAttempted,
    call_learner,
    exercise,
    hint,
    manifest,
    passed,
    run_cases,
)

EX = "choose_model"  # an exercise that the manifest is known to hold
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- manifest ---------------------------------------------------------------------------


def test_manifest_loads_exercises_keyed_by_id():
    exercises = manifest()
    assert exercises, "mlsd/exercises/*.toml list no exercise"
    assert EX in exercises
    for key, ex in exercises.items():
        assert isinstance(ex, Exercise)
        assert ex.id == key


def test_manifest_mirrors_the_toml_files():
    raw = {}
    for file in resources.files("mlsd").joinpath("exercises").iterdir():
        if file.name.endswith(".toml"):
            raw |= tomllib.loads(file.read_text("utf-8"))
    exercises = manifest()
    assert set(exercises) == set(raw)
    for key, entry in raw.items():
        assert exercises[key].hints == tuple(entry["hints"])
        assert exercises[key].points == entry["points"]


@pytest.mark.parametrize("key", sorted(manifest()))
def test_every_manifest_entry_is_well_formed(key):
    ex = manifest()[key]
    assert len(ex.hints) >= 2, f"{key}: give at least two hint steps"
    assert all(isinstance(h, str) and h.strip() for h in ex.hints)
    assert isinstance(ex.points, int) and not isinstance(ex.points, bool) and ex.points > 0
    assert re.fullmatch(r"\d\d-[a-z0-9-]+", ex.section), ex.section
    assert ex.title.strip()
    assert ex.solution_cell and ex.test_cell and ex.solution_cell != ex.test_cell


def test_grade_ids_are_distinct_across_the_manifest():
    ids = [cell for ex in manifest().values() for cell in (ex.solution_cell, ex.test_cell)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_manifest_is_cached_and_not_consumed_by_loading():
    assert manifest() is manifest()
    assert manifest()[EX].hints  # loading pops hints from the raw table, not from the result


def test_exercise_lookup_and_unknown_id():
    assert exercise(EX) is manifest()[EX]
    with pytest.raises(ValueError) as err:
        exercise("no_such_exercise")
    text = str(err.value)
    assert text.startswith("exercise_id must be one of ")
    assert EX in text
    assert text.endswith("got 'no_such_exercise'.")


# --- hint -------------------------------------------------------------------------------


def test_hint_prints_step_n_of_n_and_points_to_the_next(capsys):
    hints = manifest()[EX].hints
    n = len(hints)
    hint(EX, 1)
    out = capsys.readouterr().out
    assert out.startswith(f"Hint 1/{n} for {EX}")
    assert f'hint("{EX}", 2) gives more' in out
    assert hints[0] in out
    assert hints[1] not in out


def test_hint_default_step_is_the_first(capsys):
    hint(EX)
    assert capsys.readouterr().out.startswith(f"Hint 1/{len(manifest()[EX].hints)} ")


def test_last_hint_says_it_is_the_last(capsys):
    hints = manifest()[EX].hints
    hint(EX, len(hints))
    out = capsys.readouterr().out
    assert out.startswith(f"Hint {len(hints)}/{len(hints)} for {EX} (last hint):")
    assert hints[-1] in out
    assert "gives more" not in out


@pytest.mark.parametrize("key", sorted(manifest()))
def test_every_hint_step_prints_its_own_text(key, capsys):
    hints = manifest()[key].hints
    for step, text in enumerate(hints, start=1):
        hint(key, step)
        out = capsys.readouterr().out
        assert f"Hint {step}/{len(hints)}" in out
        assert out.rstrip("\n").endswith(text)


@pytest.mark.parametrize("step", [0, -1, 99, 1.0, 2.5, "1", None, True, False], ids=repr)
def test_hint_rejects_bad_steps_naming_step_and_range(step, capsys):
    n = len(manifest()[EX].hints)
    with pytest.raises(ValueError) as err:
        hint(EX, step)
    assert str(err.value) == f"step must be a whole number in [1, {n}]; got {step!r}."
    assert capsys.readouterr().out == ""


def test_hint_for_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="exercise_id must be one of"):
        hint("nope", 1)


# --- the outcomes -----------------------------------------------------------------------


def test_failures_are_assertion_errors_so_nbgrader_scores_zero():
    assert issubclass(CheckFailed, AssertionError)
    assert issubclass(Incorrect, CheckFailed)
    assert issubclass(NotAttempted, CheckFailed)
    assert not issubclass(NotAttempted, Incorrect)
    with pytest.raises(AssertionError):
        raise Incorrect(EX, "nope")


def test_failure_text_has_reason_cause_and_hint_pointer():
    err = Incorrect(EX, "f(1) returned 2; expected 3", "you added instead of multiplied")
    assert err.text().splitlines() == [
        f"Incorrect ({EX}): f(1) returned 2; expected 3",
        "Likely cause: you added instead of multiplied",
        f'Stuck? Run hint("{EX}", 1) for a first nudge.',
    ]
    assert str(err) == err.text()
    assert (err.exercise_id, err.message, err.likely_cause) == (
        EX,
        "f(1) returned 2; expected 3",
        "you added instead of multiplied",
    )


def test_failure_text_without_cause_has_no_cause_line():
    lines = NotAttempted(EX, "still a stub").text().splitlines()
    assert lines[0] == f"Not attempted yet ({EX}): still a stub"
    assert not any(line.startswith("Likely cause") for line in lines)


def test_render_traceback_outside_a_kernel_gives_the_plain_lines_without_a_stack():
    # No IPython shell here, so the block cannot be shown: the error output carries the
    # whole message, in plain text (no ANSI colours on JupyterLab's pink stderr background).
    for cls in (Incorrect, NotAttempted):
        err = cls(EX, "the reason", "the cause")
        lines = err._render_traceback_()
        assert lines == err.text().splitlines()
        assert not any(ANSI.search(line) for line in lines)
        assert not any("Traceback" in line or "File " in line for line in lines)


# --- call_learner -----------------------------------------------------------------------


def add(a, b=0):
    return a + b


def stub(*_args):
    raise NotImplementedError


def crashes(x, y=None):
    return x / 0


def test_call_learner_returns_the_result():
    assert call_learner(EX, add, 2, b=3) == 5


def test_stub_becomes_not_attempted():
    with pytest.raises(NotAttempted) as err:
        call_learner(EX, stub, 1)
    assert err.value.exercise_id == EX
    assert "stub still raises the placeholder NotImplementedError" in err.value.message
    assert err.value.__suppress_context__  # no chained traceback to confuse the learner


def test_not_implemented_subclass_and_message_are_still_not_attempted():
    class Placeholder(NotImplementedError):
        pass

    def placeholder():
        raise Placeholder("write your code here")

    with pytest.raises(NotAttempted):
        call_learner(EX, placeholder)


def test_other_exceptions_become_incorrect_naming_the_call():
    with pytest.raises(Incorrect) as err:
        call_learner(EX, crashes, 7, y="z")
    assert not isinstance(err.value, NotAttempted)
    assert err.value.message == (
        "calling crashes(7, y='z') raised ZeroDivisionError: division by zero"
    )
    assert isinstance(err.value.__cause__, ZeroDivisionError)


def test_learner_assertion_error_is_reported_not_passed_through_raw():
    def asserts():
        assert False, "my own assert"  # noqa: B011

    with pytest.raises(Incorrect, match="raised AssertionError: my own assert"):
        call_learner(EX, asserts)


def test_check_failed_raised_inside_passes_through_unchanged():
    inner = Incorrect("other", "inner")

    def raises_check():
        raise inner

    with pytest.raises(Incorrect) as err:
        call_learner(EX, raises_check)
    assert err.value is inner


@pytest.mark.parametrize("fn", [None, 42, "choose_model", ["f"]], ids=repr)
def test_non_callable_is_incorrect(fn):
    with pytest.raises(Incorrect) as err:
        call_learner(EX, fn)
    assert err.value.message == f"expected a function, got {type(fn).__name__}."


def test_lambda_and_callable_objects_are_named_sensibly():
    class Fn:
        def __call__(self):
            raise KeyError("k")

    with pytest.raises(Incorrect, match=r"calling your function\(\) raised KeyError"):
        call_learner(EX, Fn())
    with pytest.raises(Incorrect, match=r"calling <lambda>\(1\) raised TypeError"):
        call_learner(EX, lambda x: x + "s", 1)


# --- run_cases --------------------------------------------------------------------------


def const(value):
    def f(*_args, **_kwargs):
        return value

    f.__name__ = "f"
    return f


def test_run_cases_passes_prints_the_count_and_returns_none(capsys):
    # None on purpose: nbgrader would read a number shown by a test cell as partial credit.
    cases = [Case((1, 2), 3, "1 + 2 is 3."), Case((4,), 9, "4 + 5", kwargs={"b": 5})]
    assert run_cases(EX, add, cases) is None
    out = capsys.readouterr().out
    assert "all 2 visible checks passed" in out


def test_run_cases_quiet_prints_nothing(capsys):
    run_cases(EX, add, [Case((1, 2), 3, "")], quiet=True)
    assert capsys.readouterr().out == ""


def test_none_gets_the_no_return_message():
    with pytest.raises(Incorrect) as err:
        run_cases(EX, const(None), [Case((10, "x"), 3, "because.")])
    assert err.value.message == "f(10, 'x') returned None; expected 3."
    assert err.value.likely_cause == core.NO_RETURN
    assert "print is not return" in err.value.likely_cause


def test_none_is_fine_when_none_is_expected(capsys):
    run_cases(EX, const(None), [Case((), None, "nothing to return.")])
    assert "all 1 visible checks passed" in capsys.readouterr().out


def test_wrong_value_names_call_actual_expected_and_why():
    cases = [Case((1, 2), 3, "1 + 2 is 3."), Case((2, 2), 5, "we said so.")]
    with pytest.raises(Incorrect) as err:
        run_cases(EX, add, cases)
    assert err.value.message == "add(2, 2) returned 4; expected 5 because we said so."
    assert err.value.likely_cause is None


def test_first_failure_stops_the_run_and_no_pass_message(capsys):
    calls = []

    def f(x):
        calls.append(x)
        return 0

    with pytest.raises(Incorrect):
        run_cases(EX, f, [Case((1,), 1, ""), Case((2,), 0, "")])
    assert calls == [1]
    assert "passed" not in capsys.readouterr().out


def test_likely_cause_gets_the_case_and_the_answer():
    seen = []

    def cause(case, actual):
        seen.append((case.args, actual))
        return "you returned the input"

    with pytest.raises(Incorrect) as err:
        run_cases(EX, lambda x: x, [Case((7,), 8, "7 + 1.")], likely_cause=cause)
    assert seen == [((7,), 7)]
    assert err.value.likely_cause == "you returned the input"
    assert "Likely cause: you returned the input" in str(err.value)


def test_likely_cause_is_not_consulted_when_the_answer_is_right(capsys):
    def cause(case, actual):
        raise AssertionError("should not be called")

    run_cases(EX, add, [Case((1, 1), 2, "")], likely_cause=cause)


def test_stub_in_run_cases_is_not_attempted():
    with pytest.raises(NotAttempted):
        run_cases(EX, stub, [Case((1,), 1, "")])


@pytest.mark.parametrize(
    ("actual", "ok"),
    [
        (23_000, True),
        (24_000, True),
        (22_000, True),
        (25_000, False),
        (2_000_000, False),
        (np.float64(23_500), True),
        (np.int64(22_500), True),
    ],
)
def test_rel_tol_accepts_only_within_the_tolerance(actual, ok):
    case = Case((), 23_000, "86,400 s a day.", rel_tol=0.05)
    if ok:
        run_cases(EX, const(actual), [case], quiet=True)
    else:
        with pytest.raises(Incorrect, match=r"returned .*; expected 23000 because 86,400"):
            run_cases(EX, const(actual), [case], quiet=True)


@pytest.mark.parametrize(
    "actual", ["23000", b"23000", [23_000], {"qps": 23_000}, True, np.array([1.0, 2.0])], ids=repr
)
def test_rel_tol_rejects_answers_of_the_wrong_kind(actual):
    expected = 1 if actual is True else 23_000
    with pytest.raises(Incorrect):
        run_cases(EX, const(actual), [Case((), expected, "", rel_tol=0.5)], quiet=True)


@given(
    expected=st.floats(1e-3, 1e9),
    factor=st.floats(0.5, 1.5),
)
def test_rel_tol_matches_math_isclose(expected, factor):
    import math

    actual = expected * factor
    case = Case((), expected, "", rel_tol=0.1)
    try:
        run_cases(EX, const(actual), [case], quiet=True)
    except Incorrect:
        assert not math.isclose(actual, expected, rel_tol=0.1)
    else:
        assert math.isclose(actual, expected, rel_tol=0.1)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(True, 1), (False, 0), (1, True), (0, False), (1.0, True), (True, 1.0)],
    ids=repr,
)
def test_bool_and_number_never_stand_in_for_each_other(actual, expected):
    assert actual == expected  # Python says equal; the check must not
    with pytest.raises(Incorrect) as err:
        run_cases(EX, const(actual), [Case((), expected, "kinds differ.")], quiet=True)
    assert f"returned {actual!r}; expected {expected!r}" in err.value.message


@pytest.mark.parametrize(("actual", "expected"), [(True, True), (False, False), (1, 1.0), (2.0, 2)])
def test_same_kind_equal_values_pass(actual, expected):
    run_cases(EX, const(actual), [Case((), expected, "")], quiet=True)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (np.array([1, 2, 3]), 1),
        (np.array(["simple", "medium"]), "simple"),
        (np.array([[1.0]]), "x"),
    ],
    ids=["array-vs-int", "str-array-vs-str", "2d-vs-str"],
)
def test_numpy_arrays_do_not_crash_the_comparison(actual, expected):
    with pytest.raises(Incorrect) as err:
        run_cases(EX, const(actual), [Case((), expected, "")], quiet=True)
    assert "returned array(" in err.value.message


def test_numpy_scalar_equal_to_expected_passes():
    run_cases(EX, const(np.int64(3)), [Case((), 3, "")], quiet=True)
    run_cases(EX, const(np.str_("simple")), [Case((), "simple", "")], quiet=True)


def test_comparison_that_raises_type_error_is_a_mismatch():
    class Weird:
        def __eq__(self, other):
            raise TypeError("cannot compare")

        __hash__ = object.__hash__

    with pytest.raises(Incorrect, match="returned <"):
        run_cases(EX, const(Weird()), [Case((), 1, "")], quiet=True)


# --- passed -----------------------------------------------------------------------------


def test_passed_says_visible_checks_and_never_all_tests(capsys):
    passed(EX, 7)
    out = capsys.readouterr().out
    assert f"{EX}: all 7 visible checks passed." in out
    assert "Hidden tests" in out
    assert "all tests passed" not in out.lower()


def test_no_check_source_promises_all_tests_passed():
    import mlsd.checks

    folder = resources.files(mlsd.checks)
    for path in folder.iterdir():
        if path.name.endswith(".py"):
            assert "all tests passed" not in path.read_text("utf-8").lower(), path.name
