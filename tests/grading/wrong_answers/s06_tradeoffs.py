"""Wrong answers for section 6 (trade-offs); see the package docstring."""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "choose-model": [
        (
            "returns None (prints instead of returning)",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        print("simple")
""",
        ),
        (
            "off-by-one boundary: <= 50 and <= 200",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms <= 50:
        return "simple"
    if latency_budget_ms <= 200:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
        (
            ">= 90 instead of > 90",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 200:
        return "optimised_complex" if accuracy_requirement_pct >= 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
        (
            "cost ignored",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 200:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "most_accurate"
""",
        ),
        (
            "only the hidden 199.9 ms boundary wrong (< 199)",
            """
def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    if latency_budget_ms < 50:
        return "simple"
    if latency_budget_ms < 199:
        return "optimised_complex" if accuracy_requirement_pct > 90 else "medium"
    return "cached_batch" if cost_budget == "low" else "most_accurate"
""",
        ),
    ],
    "classify-scenarios": [
        (
            "returns None",
            """
def classify_scenarios():
    answers = {"card-fraud": "real-time"}
""",
        ),
        (
            "everything real-time",
            """
def classify_scenarios():
    ids = ["card-fraud", "weekly-churn-report", "home-feed", "ad-auction", "newsletter",
           "login-risk", "playlist-continuation"]
    return {i: "real-time" for i in ids}
""",
        ),
        (
            "hybrid cases called batch",
            """
def classify_scenarios():
    return {
        "card-fraud": "real-time", "weekly-churn-report": "batch", "home-feed": "batch",
        "ad-auction": "real-time", "newsletter": "batch", "login-risk": "real-time",
        "playlist-continuation": "batch",
    }
""",
        ),
        (
            "one scenario missing",
            """
def classify_scenarios():
    return {
        "card-fraud": "real-time", "weekly-churn-report": "batch", "home-feed": "hybrid",
        "ad-auction": "real-time", "newsletter": "batch", "login-risk": "real-time",
    }
""",
        ),
    ],
    "pick-model": [
        (
            "returns None (forgot to return the name)",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    best = within.sort_values("accuracy_pct").iloc[-1]["model"] if len(within) else None
""",
        ),
        (
            "off-by-one boundary: < budget instead of <=",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] < latency_budget_ms]
    if within.empty:
        return None
    ranked = within.sort_values(["accuracy_pct", latency_col], ascending=[False, True])
    return ranked["model"].iloc[0]
""",
        ),
        (
            "always judges by p99, ignoring latency_col",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table["p99_ms"] <= latency_budget_ms]
    if within.empty:
        return None
    ranked = within.sort_values(["accuracy_pct", "p99_ms"], ascending=[False, True])
    return ranked["model"].iloc[0]
""",
        ),
        (
            "picks the fastest model that fits",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    if within.empty:
        return None
    return within.sort_values(latency_col)["model"].iloc[0]
""",
        ),
        (
            "ties go to the first row (idxmax), not the faster model",
            """
def pick_model(table, latency_budget_ms, latency_col="p99_ms"):
    within = table[table[latency_col] <= latency_budget_ms]
    if within.empty:
        return None
    return within.loc[within["accuracy_pct"].idxmax(), "model"]
""",
        ),
    ],
    "model-budget": [
        (
            "returns None (prints the answer)",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    print(slo_ms - network_ms - offline_ms - online_ms)
""",
        ),
        (
            "forgets the network",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return slo_ms - features
""",
        ),
        (
            "sums the feature stages even when they run in parallel",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    return slo_ms - network_ms - offline_ms - online_ms
""",
        ),
        (
            "clamps at 0 instead of reporting the overrun (boundary)",
            """
def model_budget_ms(slo_ms, network_ms, offline_ms, online_ms, parallel_features=False):
    features = max(offline_ms, online_ms) if parallel_features else offline_ms + online_ms
    return max(0, slo_ms - network_ms - features)
""",
        ),
    ],
}
