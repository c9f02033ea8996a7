"""Input checks shared by every core module.

Each helper raises ``ValueError`` with one sentence that names the argument, the value
received and the allowed range, so a learner (or a widget's message line) can act on it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real


def _describe_range(low, high, low_inclusive, high_inclusive, unit):
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        return f"in {left}{_show(low)}, {_show(high)}{right}{unit}"
    if low is not None:
        return f"{'>=' if low_inclusive else '>'} {_show(low)}{unit}"
    if high is not None:
        return f"{'<=' if high_inclusive else '<'} {_show(high)}{unit}"
    return ""  # no bounds: the caller says "a number" / "a finite number" alone


def _show(value: float) -> str:
    # Short form when it is exact; otherwise the full repr, so 100.0000001 is not shown as 100
    # nor a bound of 1048576 as 1.04858e+06.
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def require_number(
    name: str,
    value,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``name`` and the range."""
    allowed = _describe_range(low, high, low_inclusive, high_inclusive, unit)
    suffix = f" {allowed}" if allowed else ""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number{suffix}; got {value!r}.")
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(
            f"{name} must be a finite number{suffix}; got an integer too large for a float."
        ) from None
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number{suffix}; got {value!r}.")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {allowed}; got {_show(value)}.")
    return value


def require_int(name: str, value, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int, or raise ValueError naming ``name`` and the range."""
    allowed = _describe_range(low, high, True, True, "")
    suffix = f" {allowed}" if allowed else ""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number{suffix}; got {value!r}.")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be a whole number{suffix}; got {value}.")
    return value


def require_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ValueError listing them."""
    choices = tuple(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}.")
    return value
