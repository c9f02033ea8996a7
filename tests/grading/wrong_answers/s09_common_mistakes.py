"""Wrong answers for section 9 (common mistakes); see the package docstring.

Besides plausible slips, each exercise has its gaming route (copying the quiz widget's answers,
a lookup table of the visible cases, the visible spec's sentences hard-coded, numbers without
plausibility): each must lose points under the real nbgrader autograde.
"""

_CHECKLIST = """
def spot_mistake(notes):
    if notes["minute"] {late} 30 and "serving" not in notes["parts"]:
        return "poor_time_management"
    if notes["names_model"]{asked}:
        return "jumping_to_solution"
    users, phase = notes["users"], notes["phase"]
    if phase is not None and users is not None:
        justified = 3 if users >= 1_000_000 else 2 if users >= 1_000 else 1
        if phase > justified:
            return "over_engineering"
    if notes["whole_design"] and set(notes["parts"]) <= {{"model"}}:
        return "ignoring_non_ml"
    if notes["vague_words"] > 0{numbered}:
        return "no_numbers"
    if notes["ships_on_offline_metric"]{production}:
        return "forgetting_production"
    if notes["happy_path_only"]:
        return "ignoring_edge_cases"
    return "none"
"""
_RIGHT = {
    "late": ">=",
    "asked": ' and notes["questions_asked"] == 0',
    "numbered": ' and notes["numbers"] == 0',
    "production": ' and not {"monitoring", "experiments"} & set(notes["parts"])',
}


def _checklist(**slip) -> str:
    return _CHECKLIST.format(**{**_RIGHT, **slip})


def _statements(latency: str, scale: str, accuracy: str) -> str:
    return f"""
def specific_statements(spec):
    peak = (spec["daily_active_users"] * spec["requests_per_user_per_day"] / 86_400
            * spec["peak_to_average"])
    return {{"latency": {latency}, "scale": {scale}, "accuracy": {accuracy}}}
"""


_OK_LATENCY = "f\"p{spec['latency_percentile']:g} under {spec['latency_budget_ms']:g} ms\""
_OK_SCALE = 'f"{peak:,.0f} QPS at peak"'
_OK_ACCURACY = "f\"{spec['metric']} from {spec['baseline_pct']:g} % to {spec['target_pct']:g} %\""


WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "mistake-quiz": [
        (
            "returns None (decides, but never returns)",
            """
def spot_mistake(notes):
    verdict = "no_numbers" if notes["vague_words"] else "none"
""",
        ),
        (
            "gaming: returns the quiz widget's answers, copied as a dict",
            """
def spot_mistake(notes):
    return {"E1": "no_numbers", "E2": "none", "E3": "over_engineering",
            "E4": "poor_time_management", "E5": "jumping_to_solution", "E6": "none",
            "E7": "ignoring_edge_cases", "E8": "forgetting_production", "E9": "none",
            "E10": "ignoring_non_ml"}
""",
        ),
        (
            "gaming: a lookup table of the ten visible excerpts (by minute)",
            """
def spot_mistake(notes):
    seen = {3: "no_numbers", 1: None, 6: None, 40: "poor_time_management", 50: "none",
            12: "ignoring_edge_cases", 38: "forgetting_production", 15: "ignoring_non_ml"}
    if notes["minute"] == 1:
        return "none" if notes["questions_asked"] else "jumping_to_solution"
    if notes["minute"] == 6:
        return "over_engineering" if notes["names_model"] else "none"
    return seen.get(notes["minute"], "none")
""",
        ),
        (
            "off at the boundary: poor time management only after minute 30, not at 30",
            _checklist(late=">"),
        ),
        (
            "any model named counts as jumping to a solution, questions or not",
            _checklist(asked=""),
        ),
        (
            "a vague word is 'no numbers' even when numbers follow it",
            _checklist(numbered=""),
        ),
        (
            "shipping on an offline metric is always 'forgetting production'",
            _checklist(production=""),
        ),
    ],
    "interview-plan": [
        (
            "returns None (prints the plan)",
            """
def interview_plan(total_min):
    print([("clarification", 0, 10), ("architecture", 10, 25)])
""",
        ),
        (
            "gaming: the guide's 60-minute plan whatever the length",
            """
def interview_plan(total_min):
    return [("clarification", 0, 10), ("architecture", 10, 25), ("deep_dives", 25, 40),
            ("tradeoffs", 40, 55), ("wrap_up", 55, 60)]
""",
        ),
        (
            "off at the boundary: a fixed 5-minute wrap-up (too long for 30 minutes)",
            """
def interview_plan(total_min):
    rest = total_min - 5
    parts = [("clarification", 10), ("architecture", 15), ("deep_dives", 15),
             ("tradeoffs", 15)]
    plan, start = [], 0.0
    for phase, minutes in parts:
        end = start + minutes * rest / 55
        plan.append((phase, start, end))
        start = end
    return plan + [("wrap_up", start, float(total_min))]
""",
        ),
        (
            "the guide's bad timeline, scaled: half the interview on the model first",
            """
def interview_plan(total_min):
    half = total_min / 2
    step = (total_min - half) / 5
    plan = [("model", 0, half)]
    for i, phase in enumerate(["clarification", "architecture", "deep_dives",
                               "tradeoffs", "wrap_up"]):
        plan.append((phase, half + i * step, half + (i + 1) * step))
    return plan
""",
        ),
        (
            "architecture drawn before the clarifying questions",
            """
def interview_plan(total_min):
    k = total_min / 60
    return [("architecture", 0, 15 * k), ("clarification", 15 * k, 25 * k),
            ("deep_dives", 25 * k, 40 * k), ("tradeoffs", 40 * k, 55 * k),
            ("wrap_up", 55 * k, 60 * k)]
""",
        ),
        (
            "no wrap-up: trade-offs run to the end",
            """
def interview_plan(total_min):
    k = total_min / 60
    return [("clarification", 0, 10 * k), ("architecture", 10 * k, 25 * k),
            ("deep_dives", 25 * k, 40 * k), ("tradeoffs", 40 * k, 60 * k)]
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
def specific_statements(spec):
    print("p99 under 150 ms; 69 K QPS; recall@50 33 %")
""",
        ),
        (
            "gaming: numbers without plausibility ('p99 1 ms', '1 user', '1 %')",
            """
def specific_statements(spec):
    return {"latency": "p99 1 ms", "scale": "1 user", "accuracy": "1 %"}
""",
        ),
        (
            "gaming: the video spec's sentences hard-coded",
            """
def specific_statements(spec):
    return {"latency": "p99 under 150 ms for the home row.",
            "scale": "69 K QPS at the evening peak.",
            "accuracy": "recall@50 from 30 % to 33 %."}
""",
        ),
        (
            "latency 'under 150 ms' with no percentile",
            _statements("f\"under {spec['latency_budget_ms']:g} ms\"", _OK_SCALE, _OK_ACCURACY),
        ),
        (
            "always says p99, whatever percentile the spec holds the budget at",
            _statements("f\"p99 under {spec['latency_budget_ms']:g} ms\"", _OK_SCALE, _OK_ACCURACY),
        ),
        (
            "average load instead of the peak (peak factor forgotten)",
            _statements(
                _OK_LATENCY, "f\"{peak / spec['peak_to_average']:,.0f} QPS\"", _OK_ACCURACY
            ),
        ),
        (
            "off at the boundary: 100,000 seconds in a day (peak QPS 14 % low)",
            _statements(_OK_LATENCY, 'f"{peak * 86_400 / 100_000:,.0f} QPS at peak"', _OK_ACCURACY),
        ),
        (
            "the baseline stated as the target",
            _statements(
                _OK_LATENCY, _OK_SCALE, "f\"{spec['metric']} of {spec['baseline_pct']:g} %\""
            ),
        ),
    ],
}
