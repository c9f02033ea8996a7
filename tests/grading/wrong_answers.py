"""Plausible wrong answers per exercise, keyed by the solution cell's grade id.

Each must lose points under the real nbgrader autograde (tests/grading/test_autograde.py).
Every exercise has at least three, including one returning None and one off at a boundary.
"""

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
}
