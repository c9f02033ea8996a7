"""Wrong answers for section 7 (practical tips); see the package docstring.

Labels starting with "gaming:" are not mistakes but routes around the exercise: answers that
hard-code what the visible checks show. They pass the visible check by construction and must
still lose points, because every hidden test probes cases the learner has never seen. Every
other wrong answer must already fail the visible check (tests/unit/test_checks_practical.py):
a visible "passed" that then scores 0 would be a broken promise.
"""

from mlsd import drift, estimates
from mlsd.cascade import serve_one
from mlsd.checks import cascade as cascade_checks
from mlsd.checks import drift as drift_checks
from mlsd.checks import estimates as estimate_checks
from mlsd.checks import options as option_checks
from mlsd.options import pick_option as reference_pick


def _gaming_pick_option() -> str:
    seen = {}
    for label, budget, bar, _expected, _why in option_checks.VISIBLE:
        table = option_checks.tables()[label]
        seen[(len(table), budget, bar)] = reference_pick(table, budget, bar)
    return f"""
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    seen = {seen!r}
    return seen.get((len(table), latency_budget_ms, accuracy_requirement_pct))
"""


def _gaming_serve_request() -> str:
    seen = {
        (tuple(up), tuple(latency)): serve_one(timeouts, up, latency)
        for timeouts, up, latency, _why in cascade_checks.VISIBLE
    }
    return f"""
def serve_request(timeouts_ms, up, latency_ms):
    seen = {seen!r}
    return seen.get((tuple(up), tuple(latency_ms)), (None, 0.0))
"""


def _gaming_psi() -> str:
    seen = {}
    for case in drift_checks.visible_psi_cases():
        expected, actual = case.args
        bins = case.kwargs.get("bins", 10)
        key = (len(expected), len(actual), bins, round(float(actual.mean()), 3))
        seen[key] = case.expected
    return f"""
def psi(expected, actual, bins=10):
    seen = {seen!r}
    return seen.get((len(expected), len(actual), bins, round(float(np.mean(actual)), 3)), 0.0)
"""


def _gaming_latency_alert() -> str:
    seen = {}
    for case in drift_checks.visible_alert_cases():
        samples, slo = case.args
        key = (len(samples), slo, case.kwargs.get("rollback_factor", 1.5),
               case.kwargs.get("min_samples", drift.MIN_SAMPLES),
               round(float(max(samples)), 1))  # fmt: skip
        seen[key] = case.expected
    return f"""
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    seen = {seen!r}
    top = round(float(max(samples_ms)), 1) if len(samples_ms) else None
    return seen.get((len(samples_ms), slo_ms, rollback_factor, min_samples, top), "ok")
"""


def _gaming_capacity_plan() -> str:
    seen = {
        args["daily_active_users"]: estimates.capacity_plan(**args)
        for _label, args in estimate_checks.CAPACITY_VISIBLE
    }
    return f"""
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    seen = {seen!r}
    return seen.get(daily_active_users)
"""


def _gaming_data_plan() -> str:
    seen = {
        args["examples_per_day"]: estimates.data_plan(**args)
        for _label, args in estimate_checks.DATA_VISIBLE
    }
    return f"""
def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second):
    seen = {seen!r}
    return seen.get(examples_per_day)
"""


WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "pick-option": [
        (
            "returns None (forgot the return)",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] <= latency_budget_ms)
                    & (table["accuracy_pct"] >= accuracy_requirement_pct)]
    best = passing.sort_values("cost_rank")["option"].iloc[0] if len(passing) else None
""",
        ),
        (
            "off at the boundary: strict < budget and > bar",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] < latency_budget_ms)
                    & (table["accuracy_pct"] > accuracy_requirement_pct)]
    if passing.empty:
        return None
    ranked = passing.sort_values(["cost_rank", "accuracy_pct", "latency_ms"],
                                 ascending=[True, False, True])
    return ranked["option"].iloc[0]
""",
        ),
        (
            "picks the most accurate passing option, ignoring cost",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] <= latency_budget_ms)
                    & (table["accuracy_pct"] >= accuracy_requirement_pct)]
    if passing.empty:
        return None
    return passing.sort_values("accuracy_pct", ascending=False)["option"].iloc[0]
""",
        ),
        (
            "cost ties go to the first row instead of accuracy then latency",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] <= latency_budget_ms)
                    & (table["accuracy_pct"] >= accuracy_requirement_pct)]
    if passing.empty:
        return None
    return passing.loc[passing["cost_rank"].idxmin(), "option"]
""",
        ),
        (
            "columns by position (assumes option, latency, accuracy, cost order)",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    rows = [tuple(r) for r in table.itertuples(index=False)]
    passing = [r for r in rows if r[1] <= latency_budget_ms and r[2] >= accuracy_requirement_pct]
    if not passing:
        return None
    return sorted(passing, key=lambda r: (r[3], -r[2], r[1]))[0][0]
""",
        ),
        (
            "cost ties broken by latency alone (skips the accuracy tie-break)",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] <= latency_budget_ms)
                    & (table["accuracy_pct"] >= accuracy_requirement_pct)]
    if passing.empty:
        return None
    return passing.sort_values(["cost_rank", "latency_ms"])["option"].iloc[0]
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_pick_option()),
        (
            "nothing fits: returns the fastest option anyway",
            """
def pick_option(table, latency_budget_ms, accuracy_requirement_pct):
    passing = table[(table["latency_ms"] <= latency_budget_ms)
                    & (table["accuracy_pct"] >= accuracy_requirement_pct)]
    if passing.empty:
        return table.sort_values("latency_ms")["option"].iloc[0]
    ranked = passing.sort_values(["cost_rank", "accuracy_pct", "latency_ms"],
                                 ascending=[True, False, True])
    return ranked["option"].iloc[0]
""",
        ),
    ],
    "serve-request": [
        (
            "returns None (prints the result)",
            """
def serve_request(timeouts_ms, up, latency_ms):
    print("served")
""",
        ),
        (
            "off at the boundary: latency < timeout",
            """
def serve_request(timeouts_ms, up, latency_ms):
    spent = 0.0
    for i, (timeout, is_up, latency) in enumerate(zip(timeouts_ms, up, latency_ms)):
        if not is_up:
            continue
        if latency < timeout:
            return i, spent + latency
        spent += timeout
    return None, spent
""",
        ),
        (
            "a down tier costs its timeout",
            """
def serve_request(timeouts_ms, up, latency_ms):
    spent = 0.0
    for i, (timeout, is_up, latency) in enumerate(zip(timeouts_ms, up, latency_ms)):
        if is_up and latency <= timeout:
            return i, spent + latency
        spent += timeout
    return None, spent
""",
        ),
        (
            "a timed-out tier costs its latency, not its timeout",
            """
def serve_request(timeouts_ms, up, latency_ms):
    spent = 0.0
    for i, (timeout, is_up, latency) in enumerate(zip(timeouts_ms, up, latency_ms)):
        if not is_up:
            continue
        if latency <= timeout:
            return i, spent + latency
        spent += latency
    return None, spent
""",
        ),
        (
            "a failed request reports 0 ms",
            """
def serve_request(timeouts_ms, up, latency_ms):
    spent = 0.0
    for i, (timeout, is_up, latency) in enumerate(zip(timeouts_ms, up, latency_ms)):
        if not is_up:
            continue
        if latency <= timeout:
            return i, spent + latency
        spent += timeout
    return None, 0.0
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_serve_request()),
    ],
    "psi-score": [
        (
            "returns None (no return)",
            """
def psi(expected, actual, bins=10):
    value = 0.0
""",
        ),
        (
            "np.histogram on the quantile edges drops values outside the reference's range",
            """
def psi(expected, actual, bins=10):
    edges = np.quantile(expected, np.linspace(0, 1, bins + 1))
    e = np.maximum(np.histogram(expected, edges)[0] / len(expected), 1e-4)
    a = np.maximum(np.histogram(actual, edges)[0] / len(actual), 1e-4)
    return float(np.sum((a - e) * np.log(a / e)))
""",
        ),
        (
            "equal-width bins instead of quantiles",
            """
def psi(expected, actual, bins=10):
    expected, actual = np.asarray(expected, float), np.asarray(actual, float)
    edges = np.linspace(expected.min(), expected.max(), bins + 1)
    inner = edges[1:-1]
    e = np.bincount(np.searchsorted(inner, expected, side="right"), minlength=bins)
    a = np.bincount(np.searchsorted(inner, actual, side="right"), minlength=bins)
    e, a = np.maximum(e / expected.size, 1e-4), np.maximum(a / actual.size, 1e-4)
    return float(np.sum((a - e) * np.log(a / e)))
""",
        ),
        (
            "no floor for empty bins (inf or nan)",
            """
def psi(expected, actual, bins=10):
    expected, actual = np.asarray(expected, float), np.asarray(actual, float)
    inner = np.quantile(expected, np.linspace(0, 1, bins + 1))[1:-1]
    e = np.bincount(np.searchsorted(inner, expected, side="right"), minlength=bins)
    a = np.bincount(np.searchsorted(inner, actual, side="right"), minlength=bins)
    e, a = e / expected.size, a / actual.size
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((a - e) * np.log(a / e)))
""",
        ),
        (
            "ignores the bins argument (always 10)",
            """
def psi(expected, actual, bins=10):
    expected, actual = np.asarray(expected, float), np.asarray(actual, float)
    inner = np.quantile(expected, np.linspace(0, 1, 11))[1:-1]
    e = np.bincount(np.searchsorted(inner, expected, side="right"), minlength=10)
    a = np.bincount(np.searchsorted(inner, actual, side="right"), minlength=10)
    e, a = np.maximum(e / expected.size, 1e-4), np.maximum(a / actual.size, 1e-4)
    return float(np.sum((a - e) * np.log(a / e)))
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_psi()),
    ],
    "latency-alert": [
        (
            "returns None (forgot to return 'ok')",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < min_samples:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 > rollback_factor * slo_ms:
        return "rollback"
    if p99 > slo_ms:
        return "alert"
""",
        ),
        (
            "off at the boundary: >= instead of >",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < min_samples:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 >= rollback_factor * slo_ms:
        return "rollback"
    if p99 >= slo_ms:
        return "alert"
    return "ok"
""",
        ),
        (
            "alerts on the mean instead of p99",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < min_samples:
        return "insufficient data"
    mean = np.mean(samples_ms)
    if mean > rollback_factor * slo_ms:
        return "rollback"
    if mean > slo_ms:
        return "alert"
    return "ok"
""",
        ),
        (
            "checks the alert before the rollback (never rolls back)",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < min_samples:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 > slo_ms:
        return "alert"
    if p99 > rollback_factor * slo_ms:
        return "rollback"
    return "ok"
""",
        ),
        (
            "keeps the old 100-sample minimum instead of the argument",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < 100:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 > rollback_factor * slo_ms:
        return "rollback"
    if p99 > slo_ms:
        return "alert"
    return "ok"
""",
        ),
        (
            "ignores rollback_factor (always 1.5)",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) < min_samples:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 > 1.5 * slo_ms:
        return "rollback"
    if p99 > slo_ms:
        return "alert"
    return "ok"
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_latency_alert()),
        (
            "min_samples off by one (<=)",
            """
def latency_alert(samples_ms, slo_ms, rollback_factor=1.5, min_samples=1000):
    if len(samples_ms) <= min_samples:
        return "insufficient data"
    p99 = np.percentile(samples_ms, 99)
    if p99 > rollback_factor * slo_ms:
        return "rollback"
    if p99 > slo_ms:
        return "alert"
    return "ok"
""",
        ),
    ],
    "capacity-plan": [
        (
            "returns None (prints the dict)",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    print(daily_active_users * actions_per_user_per_day / 86_400)
""",
        ),
        (
            "Little's law with the p99 latency instead of the mean",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    average = daily_active_users * actions_per_user_per_day / 86_400
    peak = average * peak_factor
    return {"average_qps": average, "peak_qps": peak,
            "bandwidth_gbit_s": peak * bytes_per_response * 8 / 1e9,
            "servers": math.ceil(peak / (server_qps * (1 - headroom))),
            "in_flight": peak * p99_latency_ms / 1000,
            "in_flight_at_p99": peak * p99_latency_ms / 1000}
""",
        ),
        (
            "bandwidth in bytes, not bits",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    average = daily_active_users * actions_per_user_per_day / 86_400
    peak = average * peak_factor
    return {"average_qps": average, "peak_qps": peak,
            "bandwidth_gbit_s": peak * bytes_per_response / 1e9,
            "servers": math.ceil(peak / (server_qps * (1 - headroom))),
            "in_flight": peak * mean_latency_ms / 1000,
            "in_flight_at_p99": peak * p99_latency_ms / 1000}
""",
        ),
        (
            "off at the boundary: int(x) + 1 servers",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    average = daily_active_users * actions_per_user_per_day / 86_400
    peak = average * peak_factor
    return {"average_qps": average, "peak_qps": peak,
            "bandwidth_gbit_s": peak * bytes_per_response * 8 / 1e9,
            "servers": int(peak / (server_qps * (1 - headroom))) + 1,
            "in_flight": peak * mean_latency_ms / 1000,
            "in_flight_at_p99": peak * p99_latency_ms / 1000}
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_capacity_plan()),
        (
            "missing peak factor everywhere",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    average = daily_active_users * actions_per_user_per_day / 86_400
    peak = average
    return {"average_qps": average, "peak_qps": peak,
            "bandwidth_gbit_s": peak * bytes_per_response * 8 / 1e9,
            "servers": math.ceil(peak / (server_qps * (1 - headroom))),
            "in_flight": peak * mean_latency_ms / 1000,
            "in_flight_at_p99": peak * p99_latency_ms / 1000}
""",
        ),
        (
            "Little's law with milliseconds as seconds",
            """
def capacity_plan(daily_active_users, actions_per_user_per_day, peak_factor,
                  bytes_per_response, server_qps, headroom, mean_latency_ms, p99_latency_ms):
    average = daily_active_users * actions_per_user_per_day / 86_400
    peak = average * peak_factor
    return {"average_qps": average, "peak_qps": peak,
            "bandwidth_gbit_s": peak * bytes_per_response * 8 / 1e9,
            "servers": math.ceil(peak / (server_qps * (1 - headroom))),
            "in_flight": peak * mean_latency_ms,
            "in_flight_at_p99": peak * p99_latency_ms}
""",
        ),
    ],
    "data-plan": [
        (
            "returns None",
            """
def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second):
    kept = examples_per_day * retention_days
""",
        ),
        (
            "binary prefixes (TiB, GiB) at the unit boundary",
            """
def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second):
    kept = examples_per_day * retention_days
    return {"storage_tb": kept * bytes_per_example * replication / 2**40,
            "embedding_gb": users * dimensions * bytes_per_value / 2**30,
            "training_hours": kept * epochs / examples_per_second / 3600}
""",
        ),
        (
            "forgot the replicas",
            """
def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second):
    kept = examples_per_day * retention_days
    return {"storage_tb": kept * bytes_per_example / 1e12,
            "embedding_gb": users * dimensions * bytes_per_value / 1e9,
            "training_hours": kept * epochs / examples_per_second / 3600}
""",
        ),
        (
            "training time trains on one day only",
            """
def data_plan(examples_per_day, bytes_per_example, retention_days, replication, users,
              dimensions, bytes_per_value, epochs, examples_per_second):
    kept = examples_per_day * retention_days
    return {"storage_tb": kept * bytes_per_example * replication / 1e12,
            "embedding_gb": users * dimensions * bytes_per_value / 1e9,
            "training_hours": examples_per_day * epochs / examples_per_second / 3600}
""",
        ),
        ("gaming: hard-codes the visible cases", _gaming_data_plan()),
    ],
}
