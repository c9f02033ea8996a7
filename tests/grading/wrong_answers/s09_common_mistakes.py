"""Wrong answers for section 9 (common mistakes); see the package docstring."""

_KEY = {
    "E1": "no_numbers",
    "E2": "none",
    "E3": "over_engineering",
    "E4": "poor_time_management",
    "E5": "jumping_to_solution",
    "E6": "none",
    "E7": "ignoring_edge_cases",
    "E8": "forgetting_production",
    "E9": "none",
    "E10": "ignoring_non_ml",
}


def _quiz(changes: dict) -> str:
    answers = {**_KEY, **changes}
    return f"""
def classify_excerpts():
    return {answers!r}
"""


WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "mistake-quiz": [
        (
            "returns None (builds the dict, no return)",
            """
def classify_excerpts():
    answers = {"E1": "no_numbers", "E2": "none"}
""",
        ),
        (
            "off at the boundary: every excerpt right but one good answer called a mistake",
            _quiz({"E9": "no_numbers"}),
        ),
        (
            "production and non-ML components swapped",
            _quiz({"E8": "ignoring_non_ml", "E10": "forgetting_production"}),
        ),
        (
            "never answers 'none': good answers forced into a mistake",
            _quiz({"E2": "jumping_to_solution", "E6": "forgetting_production", "E9": "no_numbers"}),
        ),
        (
            "titles instead of keys",
            _quiz({"E1": "No numbers or specifics"}),
        ),
    ],
    "interview-plan": [
        (
            "returns None (prints the plan)",
            """
def interview_plan():
    print([("clarification", 0, 10), ("architecture", 10, 25)])
""",
        ),
        (
            "off at the boundary: wrap-up ends at 59, a minute short of the hour",
            """
def interview_plan():
    return [("clarification", 0, 10), ("architecture", 10, 25), ("deep_dives", 25, 40),
            ("tradeoffs", 40, 55), ("wrap_up", 55, 59)]
""",
        ),
        (
            "the guide's bad timeline: 30 minutes on the model first",
            """
def interview_plan():
    return [("model", 0, 30), ("clarification", 30, 35), ("architecture", 35, 45),
            ("deep_dives", 45, 50), ("tradeoffs", 50, 57), ("wrap_up", 57, 60)]
""",
        ),
        (
            "architecture drawn before the clarifying questions",
            """
def interview_plan():
    return [("architecture", 0, 15), ("clarification", 15, 25), ("deep_dives", 25, 40),
            ("tradeoffs", 40, 55), ("wrap_up", 55, 60)]
""",
        ),
        (
            "overlapping blocks (deep dives start before the architecture ends)",
            """
def interview_plan():
    return [("clarification", 0, 10), ("architecture", 10, 25), ("deep_dives", 20, 40),
            ("tradeoffs", 40, 55), ("wrap_up", 55, 60)]
""",
        ),
        (
            "no wrap-up: trade-offs run to the end",
            """
def interview_plan():
    return [("clarification", 0, 10), ("architecture", 10, 25), ("deep_dives", 25, 40),
            ("tradeoffs", 40, 60)]
""",
        ),
    ],
    "choose-phase": [
        (
            "returns None above a million users (no final return)",
            """
def choose_phase(users):
    if isinstance(users, bool) or not isinstance(users, int) or users < 0:
        raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
    if users < 1_000:
        return 1
    if users < 1_000_000:
        return 2
""",
        ),
        (
            "off at the boundary: > instead of >= (1,000 users stays in phase 1)",
            """
def choose_phase(users):
    if isinstance(users, bool) or not isinstance(users, int) or users < 0:
        raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
    if users > 1_000_000:
        return 3
    if users > 1_000:
        return 2
    return 1
""",
        ),
        (
            "no validation: negative users are phase 1",
            """
def choose_phase(users):
    if users >= 1_000_000:
        return 3
    if users >= 1_000:
        return 2
    return 1
""",
        ),
        (
            "over-engineers: neural network from 10 K users",
            """
def choose_phase(users):
    if isinstance(users, bool) or not isinstance(users, int) or users < 0:
        raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
    if users >= 10_000:
        return 3
    if users >= 1_000:
        return 2
    return 1
""",
        ),
        (
            "accepts a float user count and a bool",
            """
def choose_phase(users):
    if users < 0:
        raise ValueError(f"users must be >= 0; got {users!r}.")
    if users >= 1_000_000:
        return 3
    if users >= 1_000:
        return 2
    return 1
""",
        ),
    ],
    "numbers-units": [
        (
            "returns None (the statements are printed)",
            """
def specific_statements():
    print("p99 under 150 ms; 60 K QPS; 95 % precision")
""",
        ),
        (
            "off at the boundary: numbers without units ('under 150', 'accuracy of 95')",
            """
def specific_statements():
    return {"latency": "p99 under 150", "scale": "60 K QPS at the peak",
            "accuracy": "an accuracy of 95"}
""",
        ),
        (
            "still vague: no numbers at all",
            """
def specific_statements():
    return {"latency": "It must be fast.", "scale": "Lots of users.",
            "accuracy": "Highly accurate."}
""",
        ),
        (
            "latency as an average, no percentile",
            """
def specific_statements():
    return {"latency": "Recommendations load in 150 ms on average.",
            "scale": "60 K QPS at the evening peak.",
            "accuracy": "Recall@50 goes from 30 % to 33 %."}
""",
        ),
        (
            "copies the guide's examples word for word",
            """
def specific_statements():
    return {"latency": "We need p99 latency < 100ms",
            "scale": "We need 100TB of storage for 1B training examples",
            "accuracy": "We want 95% precision at 85% recall"}
""",
        ),
    ],
}
