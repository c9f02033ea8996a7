"""mlsd.validation: every rejection names the argument, the value and the allowed range."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.validation import require_choice, require_int, require_number

finite = st.floats(allow_nan=False, allow_infinity=False)


# --- require_number: accepted values ---------------------------------------------------


@pytest.mark.parametrize(
    "value", [3, 3.0, np.float64(3.0), np.int64(3), np.float32(3.0), Fraction(3, 1)]
)
def test_number_accepts_real_numbers_and_returns_a_float(value):
    result = require_number("x", value, 0, 10)
    assert result == 3.0
    assert type(result) is float


@given(finite)
def test_number_without_bounds_accepts_any_finite_float(value):
    assert require_number("x", value) == value


# --- require_number: rejected kinds ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [True, False, np.bool_(True), "10", b"10", None, [10], (10,), {"x": 10}, Decimal("10"), 1j],
    ids=repr,
)
def test_number_rejects_non_numbers_naming_argument_value_and_range(value):
    with pytest.raises(ValueError) as err:
        require_number("latency_budget_ms", value, 0, None, low_inclusive=False, unit="ms")
    text = str(err.value)
    assert text.startswith("latency_budget_ms must be a number > 0 ms")
    assert text.endswith(f"got {value!r}.")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.nan, np.float64("inf")])
def test_number_rejects_nan_and_infinity(value):
    with pytest.raises(ValueError) as err:
        require_number("accuracy_pct", value, 0, 100, unit="%")
    text = str(err.value)
    assert text.startswith("accuracy_pct must be a finite number in [0, 100] %")
    assert repr(float(value)) in text


def test_messages_without_bounds_read_as_one_sentence():
    with pytest.raises(ValueError) as err:
        require_number("x", math.nan)
    assert str(err.value) == "x must be a finite number; got nan."
    with pytest.raises(ValueError) as err:
        require_number("x", "3")
    assert str(err.value) == "x must be a number; got '3'."
    with pytest.raises(ValueError) as err:
        require_int("n", 2.5)
    assert str(err.value) == "n must be a whole number; got 2.5."


def test_int_too_large_for_a_float_is_a_value_error_not_an_overflow():
    with pytest.raises(ValueError, match=r"^x must be a finite number in \[0, 10\]"):
        require_number("x", 10**400, 0, 10)


# --- require_number: bounds, exact at the edges ----------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "accepted", "rejected", "shown"),
    [
        ({"low": 0}, [0, 0.0, 1e-300], [-1e-300, -0.5], ">= 0"),
        ({"low": 0, "low_inclusive": False}, [1e-300, 5], [0, -0.0, -1], "> 0"),
        ({"high": 100}, [100, -1e9], [100.00000000001, 101], "<= 100"),
        ({"high": 100, "high_inclusive": False}, [99.99999999, -5], [100, 100.5], "< 100"),
        ({"low": 0, "high": 100}, [0, 50, 100], [-0.001, 100.001], "in [0, 100]"),
        (
            {"low": 0, "high": 100, "low_inclusive": False, "high_inclusive": False},
            [0.001, 99.999],
            [0, 100],
            "in (0, 100)",
        ),
        (
            {"low": 50, "high": 200, "high_inclusive": False},
            [50, 199.99],
            [49.99, 200],
            "in [50, 200)",
        ),
        (
            {"low": 50, "high": 200, "low_inclusive": False},
            [50.01, 200],
            [50, 200.01],
            "in (50, 200]",
        ),
    ],
)
def test_bounds_are_exact_at_the_edges(kwargs, accepted, rejected, shown):
    for value in accepted:
        assert require_number("x", value, **kwargs) == value
    for value in rejected:
        with pytest.raises(ValueError) as err:
            require_number("x", value, **kwargs)
        assert str(err.value).startswith(f"x must be {shown}; got ")


def test_out_of_range_message_names_argument_range_unit_and_value():
    with pytest.raises(ValueError) as err:
        require_number("latency_budget_ms", -5, 0, None, low_inclusive=False, unit="ms")
    assert str(err.value) == "latency_budget_ms must be > 0 ms; got -5."
    with pytest.raises(ValueError) as err:
        require_number("accuracy_requirement_pct", 101, 0, 100, unit="%")
    assert str(err.value) == "accuracy_requirement_pct must be in [0, 100] %; got 101."


def test_value_just_outside_the_range_is_not_rounded_onto_the_bound():
    # "got 100" next to "in [0, 100]" would contradict itself.
    with pytest.raises(ValueError) as err:
        require_number("x", 100.0000001, 0, 100)
    assert str(err.value) == "x must be in [0, 100]; got 100.0000001."


@given(low=finite, high=finite, value=finite)
def test_accepts_exactly_the_closed_interval(low, high, value):
    if low > high:
        low, high = high, low
    inside = low <= value <= high
    try:
        require_number("x", value, low, high)
    except ValueError as err:
        assert not inside
        text = str(err)
        assert text.startswith("x must be in [")
        shown = text.removesuffix(".").rsplit("got ", 1)[1]
        assert float(shown) == value  # the value shown is the value received, not a rounding
    else:
        assert inside


@given(bound=finite, value=finite)
def test_exclusive_low_rejects_the_bound_itself(bound, value):
    ok = value > bound
    try:
        require_number("x", value, bound, None, low_inclusive=False)
    except ValueError as err:
        assert not ok
        assert str(err).startswith("x must be > ")
    else:
        assert ok


@given(bound=finite, value=finite)
def test_exclusive_high_rejects_the_bound_itself(bound, value):
    ok = value < bound
    try:
        require_number("x", value, None, bound, high_inclusive=False)
    except ValueError as err:
        assert not ok
        assert str(err).startswith("x must be < ")
    else:
        assert ok


# --- require_int -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 7, np.int64(7), np.int8(-3)])
def test_int_accepts_integers_and_returns_int(value):
    result = require_int("n", value)
    assert result == int(value)
    assert type(result) is int


@pytest.mark.parametrize("value", [True, False, 7.0, np.float64(7.0), "7", None, Fraction(7, 1)])
def test_int_rejects_non_integers_naming_argument_value_and_range(value):
    with pytest.raises(ValueError) as err:
        require_int("n_arms", value, 1, 10)
    assert str(err.value) == f"n_arms must be a whole number in [1, 10]; got {value!r}."


def test_int_bounds_are_inclusive_and_exact():
    assert require_int("n", 1, 1, 10) == 1
    assert require_int("n", 10, 1, 10) == 10
    for value in (0, 11):
        with pytest.raises(ValueError) as err:
            require_int("n", value, 1, 10)
        assert str(err.value) == f"n must be a whole number in [1, 10]; got {value}."
    with pytest.raises(ValueError, match=r"^n must be a whole number >= 0; got -1\.$"):
        require_int("n", -1, 0)
    with pytest.raises(ValueError, match=r"^n must be a whole number <= 3; got 4\.$"):
        require_int("n", 4, None, 3)


@given(st.integers(), st.integers(-1000, 1000), st.integers(0, 1000))
def test_int_accepts_exactly_the_closed_interval(value, low, width):
    high = low + width
    inside = low <= value <= high
    try:
        assert require_int("n", value, low, high) == value
    except ValueError:
        assert not inside
    else:
        assert inside


# --- require_choice --------------------------------------------------------------------


def test_choice_returns_the_value_when_listed():
    assert require_choice("cost_budget", "low", ("low", "medium", "high")) == "low"
    assert require_choice("cost_budget", "high", iter(["low", "medium", "high"])) == "high"


@pytest.mark.parametrize("value", ["Low", "cheap", "", None, 1, ["low"], " low"], ids=repr)
def test_choice_rejects_others_listing_every_choice(value):
    with pytest.raises(ValueError) as err:
        require_choice("cost_budget", value, ("low", "medium", "high"))
    assert str(err.value) == (f"cost_budget must be one of 'low', 'medium', 'high'; got {value!r}.")


@given(st.text())
def test_choice_accepts_only_listed_strings(value):
    choices = ("batch", "real-time", "hybrid")
    if value in choices:
        assert require_choice("mode", value, choices) == value
    else:
        with pytest.raises(
            ValueError, match=r"^mode must be one of 'batch', 'real-time', 'hybrid'"
        ):
            require_choice("mode", value, choices)
