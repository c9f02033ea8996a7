"""Back-of-envelope calculators for guide section 7, tip 7 ("use numbers").

Every calculator is a pure function returning an :class:`Estimate`: the number in a base unit
(requests/s, bytes, bytes/s, seconds, servers, requests) plus the work that produced it (the
formula, the numbers plugged in, the assumptions) so a learner can say it out loud. Bytes use
decimal prefixes (1 KB = 1,000 B, as disks and network links are sold); ``convert`` also knows
the binary ones (KiB, GiB) and bits (a link's Gbit/s is bytes x 8).

The functions take plain numbers so other sections (the practice problems) can call them
with a scenario's values; bad input raises ``ValueError`` naming the argument and range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from mlsd.validation import require_number

SECONDS_PER_DAY = 86_400
Z99 = 2.3263478740408408  # the standard normal's 99th percentile
# p99 / mean latency when only the p99 is known: a log-normal latency whose p99 is 2 to 3x
# its median has p99 / mean of about 2 to 2.8. An assumption to replace with measured logs.
P99_TO_MEAN = 2.5
PEAK_FACTOR_RANGE = (1.0, 20.0)  # peak / average traffic; 2x to 5x is the usual convention

# Every unit ``convert`` knows, as a multiple of its family's base unit.
BYTE_UNITS = {
    "bit": 1 / 8,
    "B": 1.0,
    "Kbit": 1e3 / 8,
    "KB": 1e3,
    "Mbit": 1e6 / 8,
    "MB": 1e6,
    "Gbit": 1e9 / 8,
    "GB": 1e9,
    "Tbit": 1e12 / 8,
    "TB": 1e12,
    "PB": 1e15,
    "KiB": 2.0**10,
    "MiB": 2.0**20,
    "GiB": 2.0**30,
    "TiB": 2.0**40,
}
TIME_UNITS = {
    "ms": 1e-3,
    "s": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "day": 86_400.0,
    "year": 365 * 86_400.0,
}
COUNT_UNITS = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
_FAMILIES = (BYTE_UNITS, TIME_UNITS)


def convert(value, from_unit: str, to_unit: str) -> float:
    """Convert within one family: bytes and bits, or time (``convert(1, "GB", "Gbit")`` is 8)."""
    value = require_number("value", value)
    for family in _FAMILIES:
        if from_unit in family and to_unit in family:
            return value * family[from_unit] / family[to_unit]
    known = ", ".join(f"{u!r}" for f in _FAMILIES for u in f)
    raise ValueError(
        f"from_unit and to_unit must both be bytes/bits or both be time units ({known}); "
        f"got {from_unit!r} and {to_unit!r}."
    )


def round_sig(value: float, digits: int = 3) -> float:
    """Round to ``digits`` significant figures: estimates carry no more precision than that."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _number(value: float) -> str:
    """3 significant figures with thousands separators, no trailing zeros."""
    value = round_sig(value, 3)
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) >= 1 else f"{value:.3g}"


def format_count(value: float, unit: str = "") -> str:
    """1234567 -> '1.23 M'; plain below 10,000 (readable as a number of servers or requests)."""
    suffix = f" {unit}" if unit else ""
    if abs(value) < 10_000:
        return f"{_number(value)}{suffix}"
    for prefix in ("T", "B", "M", "K"):
        if abs(value) >= COUNT_UNITS[prefix]:
            return f"{_number(value / COUNT_UNITS[prefix])} {prefix}{suffix}"
    return f"{_number(value)}{suffix}"  # pragma: no cover - unreachable


def format_bytes(n_bytes: float) -> str:
    """Decimal prefixes: 1.5e11 -> '150 GB'."""
    for unit in ("PB", "TB", "GB", "MB", "KB"):
        if abs(n_bytes) >= BYTE_UNITS[unit]:
            return f"{_number(n_bytes / BYTE_UNITS[unit])} {unit}"
    return f"{_number(n_bytes)} B"


def format_duration(seconds: float) -> str:
    """The largest unit that keeps the number >= 1: 5400 -> '1.5 h'."""
    for unit in ("year", "day", "h", "min", "s"):
        if abs(seconds) >= TIME_UNITS[unit]:
            plural = "s" if unit in ("year", "day") and seconds / TIME_UNITS[unit] != 1 else ""
            return f"{_number(seconds / TIME_UNITS[unit])} {unit}{plural}"
    return f"{_number(seconds * 1e3)} ms"


@dataclass(frozen=True)
class Estimate:
    """A number with its work shown. ``value`` is in ``unit`` (a base unit)."""

    name: str
    value: float
    unit: str
    readable: str
    formula: str
    substituted: str
    assumptions: tuple[str, ...] = ()
    details: dict = field(default_factory=dict)

    def show(self) -> str:
        lines = [
            f"{self.name}: {self.readable}",
            f"  formula:  {self.formula}",
            f"  numbers:  {self.substituted}",
        ]
        lines += [f"  assumes:  {a}" for a in self.assumptions]
        return "\n".join(lines)

    def html(self) -> str:
        assumptions = "".join(f"<li>{a}</li>" for a in self.assumptions)
        return (
            f"<div class='mlsd-estimate'><b>{self.name}: {self.readable}</b><br>"
            f"<code>{self.formula}</code><br><code>{self.substituted}</code>"
            f"<ul style='margin:0'>{assumptions}</ul></div>"
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.show()


def _nonneg(name, value, unit=""):
    return require_number(name, value, 0, None, unit=unit)


def _positive(name, value, unit=""):
    return require_number(name, value, 0, None, low_inclusive=False, unit=unit)


def qps(daily_active_users, actions_per_user_per_day, peak_factor=3.0) -> Estimate:
    """Peak requests per second from daily users; ``details['average_qps']`` is the mean."""
    users = _nonneg("daily_active_users", daily_active_users, "users")
    actions = _nonneg("actions_per_user_per_day", actions_per_user_per_day, "requests/user/day")
    peak = require_number("peak_factor", peak_factor, *PEAK_FACTOR_RANGE, unit="x average")
    per_day = users * actions
    average = per_day / SECONDS_PER_DAY
    return Estimate(
        name="Peak QPS",
        value=average * peak,
        unit="requests/s",
        readable=f"{format_count(average * peak)} requests/s at peak "
        f"({format_count(average)}/s on average)",
        formula="DAU × actions per user per day ÷ 86,400 s × peak factor",
        substituted=f"{format_count(users)} × {_number(actions)} ÷ 86,400 s × {_number(peak)}"
        f" = {format_count(per_day)}/day ÷ 86,400 = {_number(average)}/s × {_number(peak)}",
        assumptions=(
            "traffic peaks at 2x to 5x the daily average (evening hours, events); "
            f"{_number(peak)}x is used here",
            "one action = one request to the model (fan-out to several models multiplies it)",
        ),
        details={"average_qps": average, "requests_per_day": per_day},
    )


def storage(examples_per_day, bytes_per_example, retention_days, replication=3) -> Estimate:
    """Bytes on disk: examples per day x bytes each x days kept x copies."""
    per_day = _nonneg("examples_per_day", examples_per_day, "examples/day")
    size = _nonneg("bytes_per_example", bytes_per_example, "B")
    days = _nonneg("retention_days", retention_days, "days")
    copies = require_number("replication", replication, 1, 10, unit="copies")
    total = per_day * size * days * copies
    return Estimate(
        name="Storage",
        value=total,
        unit="B",
        readable=format_bytes(total),
        formula="examples per day × bytes per example × retention days × replication",
        substituted=f"{format_count(per_day)} × {format_bytes(size)} × {_number(days)} "
        f"day{'' if days == 1 else 's'} × "
        f"{_number(copies)} = {format_bytes(total)}",
        assumptions=(
            f"{_number(copies)} cop{'y' if copies == 1 else 'ies'} (distributed file systems "
            "keep 3 by default; cloud object stores replicate inside their price)",
            "raw examples only: features, indexes and model checkpoints come on top",
        ),
        details={"examples_kept": per_day * days, "bytes_one_copy": total / copies},
    )


def implied_bytes_per_example(total_bytes, examples) -> Estimate:
    """What a data-size claim implies per example (the guide: 100 TB / 1 B = 100 KB)."""
    total = _nonneg("total_bytes", total_bytes, "B")
    count = _positive("examples", examples, "examples")
    each = total / count
    if each >= 20_000:
        meaning = "rich media (an image, audio, a long document): not a row of tabular features"
    elif each >= 1_000:
        meaning = "a few hundred features or a short text per example"
    else:
        meaning = "a compact tabular row (100 float32 features are 400 B)"
    return Estimate(
        name="Bytes per example",
        value=each,
        unit="B",
        readable=f"{format_bytes(each)} per example",
        formula="total bytes ÷ number of examples",
        substituted=f"{format_bytes(total)} ÷ {format_count(count)} = {format_bytes(each)}",
        assumptions=(f"{format_bytes(each)} per example suggests {meaning}",),
        details={"meaning": meaning},
    )


def bandwidth(qps_value, bytes_per_request) -> Estimate:
    """Bytes per second through the serving path; ``details['gbit_per_s']`` for the link."""
    rate = _nonneg("qps", qps_value, "requests/s")
    size = _nonneg("bytes_per_request", bytes_per_request, "B")
    per_second = rate * size
    gbit = per_second * 8 / 1e9
    return Estimate(
        name="Bandwidth",
        value=per_second,
        unit="B/s",
        readable=f"{format_bytes(per_second)}/s = {_number(gbit)} Gbit/s",
        formula="QPS × bytes per request (× 8 for bits on the wire)",
        substituted=f"{format_count(rate)}/s × {format_bytes(size)} = "
        f"{format_bytes(per_second)}/s × 8 = {_number(gbit)} Gbit/s",
        assumptions=(
            "links are sold in bits per second, storage in bytes: 1 byte = 8 bits",
            "response payload only; protocol overhead adds roughly 5 to 10 %",
        ),
        details={"gbit_per_s": gbit},
    )


def embedding_memory(entities, dimensions, bytes_per_value=4) -> Estimate:
    """Bytes for one embedding (or feature vector) per entity held in memory."""
    count = _nonneg("entities", entities, "entities")
    dims = _positive("dimensions", dimensions, "values per entity")
    width = _positive("bytes_per_value", bytes_per_value, "B")
    total = count * dims * width
    return Estimate(
        name="Embedding memory",
        value=total,
        unit="B",
        readable=format_bytes(total),
        formula="entities × dimensions × bytes per value",
        substituted=f"{format_count(count)} × {_number(dims)} × {_number(width)} B = "
        f"{format_bytes(total)}",
        assumptions=(
            f"{_number(width)} bytes per value (float32 = 4, float16 = 2, int8 = 1)",
            "one copy; replicas for availability multiply it, an index (ANN) adds 10 to 50 %",
        ),
        details={"gb": total / 1e9},
    )


def _zipf_partial_sum(k: np.ndarray | float, s: float, exact: np.ndarray) -> np.ndarray:
    """sum_{i<=k} i^-s: exact up to len(exact), then the midpoint integral (error < 1e-6)."""
    k = np.asarray(k, dtype=float)
    m = len(exact)
    head = exact[np.clip(k.astype(np.int64), 1, m) - 1]
    lo, hi = m + 0.5, k + 0.5
    if s == 1.0:
        tail = np.log(np.maximum(hi, lo) / lo)
    else:
        tail = (np.maximum(hi, lo) ** (1 - s) - lo ** (1 - s)) / (1 - s)
    return np.where(k <= m, head, exact[-1] + tail)


_EXACT_TERMS = 2000


def cache_items_for_hit_rate(items, target_hit_rate, zipf_exponent=1.0) -> int:
    """How many of the most popular ``items`` a cache must hold to reach the hit rate,
    when request popularity follows Zipf's law (the i-th item is asked ~ 1/i^s as often)."""
    n = _positive("items", items, "items")
    hit = require_number("target_hit_rate", target_hit_rate, 0, 1, unit="(fraction)")
    s = require_number("zipf_exponent", zipf_exponent, 0, 3, unit="")
    n = int(math.floor(n))
    if n < 1:
        raise ValueError(f"items must be >= 1 items; got {items!r}.")
    if hit == 0:
        return 0
    exact = np.cumsum(np.arange(1, _EXACT_TERMS + 1, dtype=float) ** -s)
    total = float(_zipf_partial_sum(n, s, exact))
    target = hit * total
    if target <= exact[min(n, _EXACT_TERMS) - 1]:
        k = int(np.searchsorted(exact, target * (1 - 1e-12), side="left")) + 1
        return min(k, n)
    rest, lo = target - exact[-1], _EXACT_TERMS + 0.5
    if s == 1.0:
        k = lo * math.exp(rest) - 0.5
    else:
        k = (lo ** (1 - s) + (1 - s) * rest) ** (1 / (1 - s)) - 0.5
    return int(min(n, math.ceil(k - 1e-9)))


def cache_size(items, target_hit_rate, bytes_per_item, zipf_exponent=1.0) -> Estimate:
    """Bytes of cache for a target hit rate under Zipf popularity."""
    count = cache_items_for_hit_rate(items, target_hit_rate, zipf_exponent)
    size = _nonneg("bytes_per_item", bytes_per_item, "B")
    total = count * size
    share = count / math.floor(float(items))
    return Estimate(
        name="Cache size",
        value=total,
        unit="B",
        readable=f"{format_bytes(total)} ({format_count(count)} items, "
        f"{_number(100 * share)} % of the catalogue)",
        formula="(fewest top items whose popularity adds up to the hit rate) × bytes per item",
        substituted=f"top {format_count(count)} of {format_count(float(items))} items × "
        f"{format_bytes(size)} = {format_bytes(total)} for a {_number(100 * target_hit_rate)} "
        "% hit rate",
        assumptions=(
            f"popularity follows Zipf's law with exponent {_number(zipf_exponent)} "
            "(1 is typical for web content; a larger exponent means a more skewed catalogue)",
            "the cache holds exactly the most popular items (a well-tuned LRU comes close)",
        ),
        details={"items_cached": count, "share_of_catalogue": share},
    )


def concurrency(qps_value, mean_latency_ms, p99_latency_ms=None) -> Estimate:
    """Little's law: requests in flight L = arrival rate λ x MEAN time in the system W.

    Little (1961) proved L = λW for the long-run averages of any stable system, whatever the
    distribution of the times: W is the mean, so L is the mean number in flight. Given
    ``p99_latency_ms`` as well, ``details['at_p99']`` holds λ x p99, labelled for what it is:
    the number in flight *if every request were as slow as the p99 one*. That figure is a
    conservative (high) size for thread and connection pools while the mean stays below the
    p99; it is not the p99 of the number in flight (for Poisson arrivals with no queueing
    that count is Poisson with mean L, so its p99 is about L + 2.33 sqrt(L)), and it is no
    bound at all during a burst, or when a few requests hang so long that the mean exceeds
    the p99 (see ``simulate_in_flight``).
    """
    rate = _nonneg("qps", qps_value, "requests/s")
    mean = _nonneg("mean_latency_ms", mean_latency_ms, "ms")
    in_flight = rate * mean / 1000
    details = {"mean_latency_ms": mean, "poisson_p99": in_flight + Z99 * math.sqrt(in_flight)}
    assumptions = [
        "W is the MEAN time a request spends in the system (Little 1961): L is then the "
        "average number in flight, over a steady window",
        f"with Poisson arrivals the count itself fluctuates: its p99 is about L + 2.33 √L "
        f"= {format_count(details['poisson_p99'])}",
    ]
    readable = f"{format_count(in_flight)} requests in flight on average"
    if p99_latency_ms is not None:
        p99 = _nonneg("p99_latency_ms", p99_latency_ms, "ms")
        at_p99 = rate * p99 / 1000
        details["at_p99"] = at_p99
        readable += f" (λ × p99 = {format_count(at_p99)}: a conservative sizing figure)"
        if mean <= p99:
            assumptions.append(
                f"λ × p99 = {format_count(at_p99)} is the count if every request took the "
                "p99: a high, conservative size for thread and connection pools, not Little's "
                "law and not a bound during bursts"
            )
        else:
            assumptions.append(
                f"the mean ({_number(mean)} ms) is above the p99 ({_number(p99)} ms): a heavy "
                f"tail (a few requests hang), so λ × p99 = {format_count(at_p99)} is BELOW the "
                "average in flight; size for L and fix the hanging requests (timeouts)"
            )
    return Estimate(
        name="Requests in flight",
        value=in_flight,
        unit="requests",
        readable=readable,
        formula="Little's law: L = λ × W (QPS × MEAN latency in seconds)",
        substituted=f"{format_count(rate)}/s × {_number(mean)} ms = {format_count(rate)}/s × "
        f"{_number(mean / 1000)} s = {format_count(in_flight)}",
        assumptions=tuple(assumptions),
        details=details,
    )


def simulate_in_flight(
    qps_value, median_ms, p99_ms, seconds=5.0, seed=0, hang_share=0.0, hang_ms=0.0
) -> dict:
    """Measure the requests in flight of a simulated service, to put Little's law to the test.

    Poisson arrivals at ``qps_value`` for ``seconds`` (after a warm-up as long as the slowest
    request, so the count starts in its steady state); each request takes a log-normal time
    with the given median and p99, except a share ``hang_share`` that hangs for ``hang_ms``
    (a dependency that answers only at a client timeout). The in-flight count is read at
    10,000 random instants. Returns the mean and p99 latency of every simulated request, the
    mean, p99 and maximum number in flight, and the two formulas: ``littles_law`` (QPS x
    measured mean latency) and ``at_p99`` (QPS x measured p99 latency).
    """
    rate = _positive("qps", qps_value, "requests/s")
    median = _positive("median_ms", median_ms, "ms")
    p99 = require_number("p99_ms", p99_ms, median, None, unit="ms (>= median_ms)")
    window = require_number("seconds", seconds, 0.1, 600, unit="s")
    share = require_number("hang_share", hang_share, 0, 0.5, unit="(fraction)")
    hang = _nonneg("hang_ms", hang_ms, "ms")
    if rate * (window + 1) > 5e6:
        raise ValueError(
            f"qps x seconds must stay under 5,000,000 simulated requests; got {qps_value!r} "
            f"requests/s for {seconds!r} s."
        )
    rng = np.random.default_rng(seed)
    sigma = math.log(p99 / median) / Z99
    warm_up = max(hang, median * math.exp(5 * sigma)) / 1000
    span = warm_up + window
    n = rng.poisson(rate * span)
    arrivals = np.sort(rng.uniform(0.0, span, n))
    latency_ms = median * np.exp(sigma * rng.standard_normal(n))
    latency_ms[rng.random(n) < share] = hang
    departures = np.sort(arrivals + latency_ms / 1000)
    instants = rng.uniform(warm_up, span, 10_000)
    counts = np.searchsorted(arrivals, instants, side="right") - np.searchsorted(
        departures, instants, side="right"
    )
    mean_ms, p99_measured = float(latency_ms.mean()), float(np.percentile(latency_ms, 99))
    return {
        "mean_latency_ms": mean_ms,
        "p99_latency_ms": p99_measured,
        "littles_law": rate * mean_ms / 1000,
        "at_p99": rate * p99_measured / 1000,
        "mean_in_flight": float(counts.mean()),
        "p99_in_flight": float(np.percentile(counts, 99)),
        "max_in_flight": int(counts.max()),
    }


LITTLE_SCENARIOS = (
    ("steady: 10 K QPS, median 40 ms, p99 100 ms", dict(qps_value=10_000, median_ms=40.0,
     p99_ms=100.0, seconds=5.0)),
    ("0.8 % of requests hang 30 s (a client timeout)", dict(qps_value=10_000, median_ms=40.0,
     p99_ms=100.0, seconds=10.0, hang_share=0.008, hang_ms=30_000.0)),
)  # fmt: skip


def littles_law_experiment(seed=0):
    """``simulate_in_flight`` for the scenarios of ``LITTLE_SCENARIOS``, as a table."""
    import pandas as pd

    rows = []
    for label, kwargs in LITTLE_SCENARIOS:
        r = simulate_in_flight(seed=seed, **kwargs)
        rows.append(
            {
                "scenario": label,
                "mean latency (ms)": round(r["mean_latency_ms"], 1),
                "p99 latency (ms)": round(r["p99_latency_ms"], 1),
                "QPS × mean (Little)": round(r["littles_law"]),
                "QPS × p99": round(r["at_p99"]),
                "measured: mean in flight": round(r["mean_in_flight"]),
                "measured: p99 in flight": round(r["p99_in_flight"]),
            }
        )
    return pd.DataFrame(rows)


def servers(peak_qps, per_server_qps, headroom=0.3, mean_latency_ms=None) -> Estimate:
    """Servers for the peak with a fraction ``headroom`` of each one's capacity kept free.

    ``per_server_qps`` must be the throughput one server sustains *while still meeting the
    latency SLO* (a load test), not its maximum: near saturation queues grow without bound.
    """
    peak = _nonneg("peak_qps", peak_qps, "requests/s")
    capacity = _positive("per_server_qps", per_server_qps, "requests/s")
    spare = require_number("headroom", headroom, 0, 1, high_inclusive=False, unit="(fraction)")
    usable = capacity * (1 - spare)
    count = math.ceil(peak / usable * (1 - 1e-12))  # float noise must not add a server
    details = {"usable_qps_per_server": usable, "utilisation": peak / (count * capacity or 1)}
    assumptions = [
        f"each server runs at most {_number(100 * (1 - spare))} % of the throughput it "
        "sustains within the latency SLO (measured in a load test, not its maximum: near "
        f"saturation queueing delay explodes); {_number(100 * spare)} % headroom for spikes "
        "and deploys",
        "losing a machine needs 1/N spare, losing one of three zones needs 1/3: check the "
        "headroom covers the failure you plan for",
        "load is spread evenly (a load balancer); round up: a part of a server is a server",
    ]
    if mean_latency_ms is not None:
        flight = concurrency(peak, mean_latency_ms).value
        details["in_flight"] = flight
        details["in_flight_per_server"] = flight / max(count, 1)
        assumptions.append(
            f"Little's law with the mean latency: {format_count(flight)} requests in flight, "
            f"about {_number(flight / max(count, 1))} per server on average"
        )
    return Estimate(
        name="Servers",
        value=float(count),
        unit="servers",
        readable=f"{count:,} servers",
        formula="ceil(peak QPS ÷ (per-server QPS × (1 − headroom)))",
        substituted=f"ceil({format_count(peak)} ÷ ({format_count(capacity)} × "
        f"{_number(1 - spare)})) = ceil({_number(peak / usable)}) = {count:,}",
        assumptions=tuple(assumptions),
        details=details,
    )


def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms,
                  p99_latency_ms) -> dict:  # fmt: skip
    """The plain numbers of the capacity exercise (the checks' reference arithmetic)."""
    average = daily_active_users * actions_per_user_per_day / SECONDS_PER_DAY
    peak = average * peak_factor
    return {
        "average_qps": average,
        "peak_qps": peak,
        "bandwidth_gbit_s": peak * bytes_per_response * 8 / 1e9,
        "servers": math.ceil(peak / (server_qps * (1 - headroom)) * (1 - 1e-12)),
        "in_flight": peak * mean_latency_ms / 1000,
        "in_flight_at_p99": peak * p99_latency_ms / 1000,
    }


def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second) -> dict:  # fmt: skip
    """The plain numbers of the data exercise (the checks' reference arithmetic)."""
    kept = examples_per_day * retention_days
    return {
        "storage_tb": kept * bytes_per_example * replication / 1e12,
        "embedding_gb": users * dimensions * bytes_per_value / 1e9,
        "training_hours": kept * epochs / examples_per_second / 3600,
    }


def training_time(examples, epochs, examples_per_second, workers=1, scaling_efficiency=1.0):
    """Seconds to train: examples x epochs / (throughput x workers x efficiency)."""
    count = _nonneg("examples", examples, "examples")
    passes = _positive("epochs", epochs, "epochs")
    speed = _positive("examples_per_second", examples_per_second, "examples/s")
    machines = require_number("workers", workers, 1, None, unit="workers")
    efficiency = require_number(
        "scaling_efficiency", scaling_efficiency, 0, 1, low_inclusive=False, unit="(fraction)"
    )
    seconds = count * passes / (speed * machines * efficiency)
    return Estimate(
        name="Training time",
        value=seconds,
        unit="s",
        readable=format_duration(seconds),
        formula="examples × epochs ÷ (examples/s per worker × workers × scaling efficiency)",
        substituted=f"{format_count(count)} × {_number(passes)} ÷ ({format_count(speed)}/s × "
        f"{_number(machines)} × {_number(efficiency)}) = {_number(seconds)} s = "
        f"{format_duration(seconds)}",
        assumptions=(
            "throughput measured on the real model and input pipeline (I/O often limits it)",
            "adding workers rarely scales perfectly: 0.7 to 0.9 efficiency is common",
        ),
        details={"hours": seconds / 3600},
    )


@dataclass(frozen=True)
class Preset:
    name: str
    values: dict
    story: str


# The guide's numbers. Values not in the guide are stated assumptions, shown with the preset.
PRESETS = (
    Preset(
        "Guide: p99 < 100 ms at 10 K QPS",
        {
            "daily_active_users": 100e6,
            "actions_per_user_per_day": 8.64,
            "peak_factor": 1.0,
            "latency_ms": 100.0,
            "p99_to_mean": 2.5,
            "per_server_qps": 500.0,
        },
        "10 K QPS is the peak here (100 M users x 8.64 requests a day ÷ 86,400 s). Little's "
        "law takes the MEAN latency: at 40 ms (p99 100 ms ÷ 2.5) about 400 requests are in "
        "flight on average; 10 K x the p99 = 1,000 is only a conservative sizing figure",
    ),
    Preset(
        "Guide: 100 TB of training data, 1 B examples",
        {
            "examples_per_day": 1e9 / 365,
            "bytes_per_example": 100e3,
            "retention_days": 365.0,
            "replication": 1.0,
            "epochs": 1.0,
            "examples_per_second": 10_000.0,
        },
        "1 B examples = 2.74 M a day kept for a year; 100 TB ÷ 1 B = 100 KB each, "
        "so these are images or documents, not tabular rows",
    ),
    Preset(
        "Guide: 200 M users",
        {
            "daily_active_users": 200e6,
            "actions_per_user_per_day": 10.0,
            "peak_factor": 3.0,
            "entities": 200e6,
            "dimensions": 128.0,
            "bytes_per_value": 4.0,
        },
        "200 M users x 10 requests a day is about 23 K QPS on average; "
        "a 128-float user embedding each needs about 100 GB",
    ),
)

# Inputs of the calculator set with defaults (used by the widget and by section 10's sheets).
DEFAULTS = {
    "daily_active_users": 10e6,
    "actions_per_user_per_day": 20.0,
    "peak_factor": 3.0,
    "bytes_per_request": 5_000.0,
    "examples_per_day": 10e6,
    "bytes_per_example": 1_000.0,
    "retention_days": 90.0,
    "replication": 3.0,
    "entities": 10e6,
    "dimensions": 64.0,
    "bytes_per_value": 4.0,
    "catalogue_items": 1e6,
    "target_hit_rate": 0.8,
    "bytes_per_item": 2_000.0,
    "per_server_qps": 500.0,
    "headroom": 0.3,
    "latency_ms": 100.0,  # the p99 latency (the SLO); Little's law needs the mean:
    "p99_to_mean": P99_TO_MEAN,  # mean latency = latency_ms / p99_to_mean
    "epochs": 5.0,
    "examples_per_second": 20_000.0,
    "workers": 1.0,
}


def estimate_all(**values) -> dict[str, Estimate]:
    """Run every calculator from one set of inputs (missing ones take ``DEFAULTS``).

    Derived numbers chain: peak QPS feeds bandwidth, servers and Little's law; the examples
    kept feed the training time. ``latency_ms`` is the p99 latency; Little's law takes the
    mean, ``latency_ms / p99_to_mean`` (a ratio measured from the serving logs; 2.5 when
    unknown, stated in the work shown).
    """
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown calculator inputs {unknown}; allowed names are {sorted(DEFAULTS)}."
        )
    v = DEFAULTS | values
    ratio = require_number("p99_to_mean", v["p99_to_mean"], 0, 100, low_inclusive=False)
    p99 = _nonneg("latency_ms", v["latency_ms"], "ms")
    mean = p99 / ratio
    load = qps(v["daily_active_users"], v["actions_per_user_per_day"], v["peak_factor"])
    kept = storage(
        v["examples_per_day"], v["bytes_per_example"], v["retention_days"], v["replication"]
    )
    return {
        "qps": load,
        "bandwidth": bandwidth(load.value, v["bytes_per_request"]),
        "servers": servers(load.value, v["per_server_qps"], v["headroom"], mean),
        "concurrency": _with_mean_assumption(concurrency(load.value, mean, p99), p99, ratio),
        "storage": kept,
        "embedding_memory": embedding_memory(v["entities"], v["dimensions"], v["bytes_per_value"]),
        "cache": cache_size(v["catalogue_items"], v["target_hit_rate"], v["bytes_per_item"]),
        "training_time": training_time(
            kept.details["examples_kept"], v["epochs"], v["examples_per_second"], v["workers"]
        ),
    }


def _with_mean_assumption(estimate: Estimate, p99: float, ratio: float) -> Estimate:
    """State where the mean latency came from (the calculator derives it from the p99)."""
    note = (
        f"mean latency = p99 {_number(p99)} ms ÷ {_number(ratio)} = {_number(p99 / ratio)} ms "
        "(p99 ÷ mean is 2 to 3 for a steady service; read both from the serving logs)"
    )
    return replace(estimate, assumptions=(note, *estimate.assumptions))
