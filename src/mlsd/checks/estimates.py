"""Checks for the estimate exercises (section 7, tip 7): ``capacity_plan`` and ``data_plan``.

Each returns a dict of numbers. A number passes within 5 % (rounded inputs are fine; a unit
slip is not); servers must be the exact whole number. A wrong number is compared with what
the usual slips give (per day vs per second, bits vs bytes, no peak factor, ms vs s, binary
prefixes, forgotten headroom, the p99 in Little's law) and the message names the one that
matches. The reference arithmetic is in the core (``mlsd.estimates.capacity_plan`` and
``data_plan``), where the grading tripwire flags an answer cell that imports it.
"""

from __future__ import annotations

import math

import numpy as np

from mlsd import estimates
from mlsd.checks.engine import NO_RETURN, Tally, call, function_name
from mlsd.checks.outcome import Incorrect

REL_TOL = 0.05
CAPACITY = "capacity_plan"
DATA = "data_plan"
CAPACITY_KEYS = (
    "average_qps", "peak_qps", "bandwidth_gbit_s", "servers", "in_flight", "in_flight_at_p99",
)  # fmt: skip
DATA_KEYS = ("storage_tb", "embedding_gb", "training_hours")
UNITS = {
    "average_qps": "requests/s",
    "peak_qps": "requests/s",
    "bandwidth_gbit_s": "Gbit/s",
    "servers": "servers",
    "in_flight": "requests",
    "in_flight_at_p99": "requests",
    "storage_tb": "TB",
    "embedding_gb": "GB",
    "training_hours": "h",
}


LITTLE = (
    "Little's law L = λ x W uses the MEAN time in the system (Little 1961): in_flight is peak "
    "QPS x mean_latency_ms / 1000. The p99 gives the count if every request were as slow as "
    "the p99 one, which is the separate in_flight_at_p99 figure."
)


def _slips(key: str, args: dict) -> list[tuple[float, str]]:
    """(ratio actual/expected, what it means) for the usual slips on ``key``."""
    out = [
        (86_400, "per day vs per second: divide a daily count by the 86,400 s in a day."),
        (1 / 86_400, "divided by 86,400 twice, or a per-second number treated as per day."),
        (1 / 8, "bits vs bytes: a link carries bits, 8 per byte; multiply bytes by 8."),
        (8, "bits vs bytes: storage and memory are in bytes; do not multiply by 8 here."),
        (1000, "a unit prefix or ms vs s: 1 ms = 0.001 s; 1 GB = 1,000 MB."),
        (1 / 1000, "a unit prefix or ms vs s: 1 ms = 0.001 s; 1 GB = 1,000 MB."),
        (1e9 / 2**30, "binary prefixes: this workbook uses decimal GB (1e9 bytes), not GiB."),
        (1e12 / 2**40, "binary prefixes: this workbook uses decimal TB (1e12 bytes), not TiB."),
        (60, "hours vs minutes: divide seconds by 3,600 for hours."),
        (3600, "seconds, not hours: divide by 3,600."),
    ]
    mean, p99 = args.get("mean_latency_ms"), args.get("p99_latency_ms")
    if mean and p99 and not math.isclose(mean, p99):
        if key == "in_flight":
            out.insert(0, (p99 / mean, LITTLE))
        if key == "in_flight_at_p99":
            out.insert(0, (mean / p99, "in_flight_at_p99 is peak QPS x the p99 latency (the "
                                       "conservative sizing figure); the mean goes into "
                                       "in_flight."))  # fmt: skip
    peak = args.get("peak_factor")
    if peak and peak != 1 and key in ("peak_qps", "bandwidth_gbit_s", "in_flight",
                                      "in_flight_at_p99"):  # fmt: skip
        out.append((1 / peak, f"missing peak factor: size for the peak, {peak:g}x the average."))
    if peak and peak != 1 and key == "average_qps":
        out.append((peak, "the average has no peak factor: it comes in only for peak_qps."))
    replication = args.get("replication")
    if replication and replication != 1 and key == "storage_tb":
        out.append((1 / replication, f"forgot the {replication:g} replicas."))
    retention = args.get("retention_days")
    if retention and retention != 1 and key in ("storage_tb", "training_hours"):
        out.append((1 / retention, f"forgot the {retention:g} days of retention."))
    epochs = args.get("epochs")
    if epochs and epochs != 1 and key == "training_hours":
        out.append((1 / epochs, f"forgot the {epochs:g} epochs."))
    return out


def _servers_slip(actual, args: dict) -> str | None:
    peak = args["daily_active_users"] * args["actions_per_user_per_day"] / 86_400
    peak *= args["peak_factor"]
    usable = args["server_qps"] * (1 - args["headroom"])
    guesses = [
        (math.ceil(peak / args["server_qps"]), "forgot the headroom: each server runs at "
         "(1 - headroom) of its capacity."),
        (int(peak / usable) + 1, "int(x) + 1 is not a ceiling: when the division is exact it "
         "adds a server too many; use math.ceil."),
        (math.floor(peak / usable), "round up, not down: part of a server is a whole server."),
        (round(peak / usable), "round up, not to the nearest: part of a server is a server."),
        (math.ceil(peak / args["peak_factor"] / usable), "size for the peak QPS, not the average."),
        (math.ceil(peak * (1 + args["headroom"]) / args["server_qps"]),
         "headroom divides capacity: peak / (capacity x (1 - headroom)), not peak x (1 + h)."),
    ]  # fmt: skip
    for guess, reason in guesses:
        if actual == guess:
            return reason
    return None


def _number(tally: Tally, label: str, key: str, value) -> float:
    """The value as a float (numpy numbers are fine); a bool or text is not a number."""
    if not isinstance(value, bool) and isinstance(value, int | float | np.number):
        return float(value)
    raise Incorrect(tally.exercise_id, f"{label}: {key} must be a number; got {value!r}.")


def _check(tally: Tally, fn, label, args: dict, keys, expected: dict) -> None:
    """One scenario: call once, then one counted check per key of the returned dict."""
    exercise = tally.exercise_id
    result = call(exercise, fn, (), args, shown=f"{function_name(fn)}(**{label})")
    if result is None:
        raise Incorrect(
            exercise,
            f"{label}: your function returned None; expected a dict with keys {list(keys)}.",
            NO_RETURN,
        )
    if type(result) is not dict:
        raise Incorrect(exercise, f"{label}: expected a dict, got {type(result).__name__}.")
    missing = [k for k in keys if k not in result]
    if missing:
        raise Incorrect(exercise, f"{label}: the dict lacks the keys {missing}.")
    for key in keys:
        actual, want = _number(tally, label, key, result[key]), expected[key]
        if key == "servers":
            ok = actual == want
        else:
            ok = math.isclose(actual, want, rel_tol=REL_TOL, abs_tol=1e-12)
        cause = None
        if not ok and key == "servers":
            cause = _servers_slip(actual, args)
        elif not ok and want:
            ratio = actual / want
            for factor, reason in _slips(key, args):
                if math.isclose(ratio, factor, rel_tol=0.02):
                    cause = reason
                    break
        tolerance = "exactly" if key == "servers" else f"within {REL_TOL:.0%} of"
        tally.expect(
            ok,
            f"{label}: {key} = {actual:,.6g} {UNITS[key]}; expected {tolerance} "
            f"{want:,.6g} {UNITS[key]}.",
            cause,
        )


CAPACITY_VISIBLE = (
    ("photo feed (50 M DAU x 20 views, 3x peak)",
     dict(daily_active_users=50e6, actions_per_user_per_day=20, peak_factor=3,
          bytes_per_response=20_000, server_qps=400, headroom=0.25, mean_latency_ms=45,
          p99_latency_ms=120)),
    ("the guide's 10 K QPS at p99 100 ms, mean 40 ms (864 M requests a day, no extra peak)",
     dict(daily_active_users=86.4e6, actions_per_user_per_day=10, peak_factor=1,
          bytes_per_response=5_000, server_qps=500, headroom=0.2, mean_latency_ms=40,
          p99_latency_ms=100)),
)  # fmt: skip

DATA_VISIBLE = (
    ("click logs (20 M examples a day, 2 KB, 180 days, 3 copies; 200 M users x 64 floats)",
     dict(examples_per_day=20e6, bytes_per_example=2_000, retention_days=180, replication=3,
          users=200e6, dimensions=64, bytes_per_value=4, epochs=3,
          examples_per_second=50_000)),
)  # fmt: skip


def check_capacity_plan(fn) -> None:
    """Visible check: two stated scenarios, every number within 5 % (servers exact)."""
    tally = Tally(CAPACITY)
    for label, args in CAPACITY_VISIBLE:
        _check(tally, fn, label, args, CAPACITY_KEYS, estimates.capacity_plan(**args))
    tally.report()


def check_data_plan(fn) -> None:
    """Visible check: one stated scenario, every number within 5 %."""
    tally = Tally(DATA)
    for label, args in DATA_VISIBLE:
        _check(tally, fn, label, args, DATA_KEYS, estimates.data_plan(**args))
    tally.report()


def expect_capacity(fn, cases) -> None:
    """Hidden-test helper: (label, kwargs, expected dict) triples."""
    tally = Tally(CAPACITY)
    for label, args, expected in cases:
        _check(tally, fn, label, args, CAPACITY_KEYS, expected)


def expect_data(fn, cases) -> None:
    """Hidden-test helper: (label, kwargs, expected dict) triples."""
    tally = Tally(DATA)
    for label, args, expected in cases:
        _check(tally, fn, label, args, DATA_KEYS, expected)
