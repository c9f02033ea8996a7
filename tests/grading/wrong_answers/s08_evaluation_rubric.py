"""Wrong answers for section 8 (the evaluation rubric); see the package docstring."""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "rubric-total": [
        (
            "returns None (prints the total)",
            """
def weighted_total(scores, weights):
    print(sum(scores[k] * weights[k] for k in scores) / 100)
""",
        ),
        (
            "off at the boundary: exact == 100 rejects weights that sum to 100 up to rounding",
            """
def weighted_total(scores, weights):
    weight_sum = sum(weights.values())
    if weight_sum != 100:
        raise ValueError(f"weights must sum to 100 %; got {weight_sum:g} %.")
    for key, score in scores.items():
        if not 0 <= score <= 100:
            raise ValueError(f"scores[{key!r}] must be in [0, 100]; got {score}.")
    return sum(scores[key] * weights[key] for key in scores) / 100
""",
        ),
        (
            "no validation at all: bad weights are silently scored",
            """
def weighted_total(scores, weights):
    return sum(scores[key] * weights[key] for key in scores) / 100
""",
        ),
        (
            "forgets that weights are percentages (no / 100)",
            """
def weighted_total(scores, weights):
    weight_sum = sum(weights.values())
    if abs(weight_sum - 100) > 1e-6:
        raise ValueError(f"weights must sum to 100 %; got {weight_sum:g} %.")
    for key, score in scores.items():
        if not 0 <= score <= 100:
            raise ValueError(f"scores[{key!r}] must be in [0, 100]; got {score}.")
    return sum(scores[key] * weights[key] for key in scores)
""",
        ),
        (
            "checks the weights but lets a score of -5 or 100.5 through",
            """
def weighted_total(scores, weights):
    weight_sum = sum(weights.values())
    if abs(weight_sum - 100) > 1e-6:
        raise ValueError(f"weights must sum to 100 %; got {weight_sum:g} %.")
    return sum(scores[key] * weights[key] for key in scores) / 100
""",
        ),
        (
            "a vague error message that names neither the weights nor their sum",
            """
def weighted_total(scores, weights):
    if abs(sum(weights.values()) - 100) > 1e-6:
        raise ValueError("bad input")
    for key, score in scores.items():
        if not 0 <= score <= 100:
            raise ValueError("bad input")
    return sum(scores[key] * weights[key] for key in scores) / 100
""",
        ),
    ],
    "rubric-band": [
        (
            "returns None for the lowest band (no final return)",
            """
def hire_band(total):
    if not 0 <= total <= 100:
        raise ValueError(f"total must be in [0, 100]; got {total}.")
    if total >= 80:
        return "strong hire"
    if total >= 65:
        return "hire"
    if total >= 50:
        return "lean no hire"
""",
        ),
        (
            "off at the boundary: > instead of >= (80 becomes a hire)",
            """
def hire_band(total):
    if not 0 <= total <= 100:
        raise ValueError(f"total must be in [0, 100]; got {total}.")
    if total > 80:
        return "strong hire"
    if total > 65:
        return "hire"
    if total > 50:
        return "lean no hire"
    return "no hire"
""",
        ),
        (
            "no range check: 105 is a strong hire",
            """
def hire_band(total):
    if total >= 80:
        return "strong hire"
    if total >= 65:
        return "hire"
    if total >= 50:
        return "lean no hire"
    return "no hire"
""",
        ),
        (
            "bands tested from the bottom: everything >= 50 is 'lean no hire'",
            """
def hire_band(total):
    if not 0 <= total <= 100:
        raise ValueError(f"total must be in [0, 100]; got {total}.")
    if total < 50:
        return "no hire"
    if total >= 50:
        return "lean no hire"
    if total >= 65:
        return "hire"
    return "strong hire"
""",
        ),
        (
            "the top of the scale (100) refused as out of range",
            """
def hire_band(total):
    if not 0 <= total < 100:
        raise ValueError(f"total must be in [0, 100); got {total}.")
    if total >= 80:
        return "strong hire"
    if total >= 65:
        return "hire"
    if total >= 50:
        return "lean no hire"
    return "no hire"
""",
        ),
    ],
    "rubric-transcript": [
        (
            "returns None (the dict is built but not returned)",
            """
def transcript_c_scores():
    scores = {"problem_understanding": 70, "system_design": 65, "ml_knowledge": 65,
              "tradeoffs": 55, "communication": 50}
""",
        ),
        (
            "off at the boundary: every dimension a little generous, total 69 (limit 68.6)",
            """
def transcript_c_scores():
    return {"problem_understanding": 75, "system_design": 72, "ml_knowledge": 72,
            "tradeoffs": 60, "communication": 55}
""",
        ),
        (
            "swayed by the good questions: problem understanding 100, the rest fair",
            """
def transcript_c_scores():
    return {"problem_understanding": 100, "system_design": 64, "ml_knowledge": 64,
            "tradeoffs": 54, "communication": 48}
""",
        ),
        (
            "too harsh: every gap scored as if nothing good was said",
            """
def transcript_c_scores():
    return {"problem_understanding": 45, "system_design": 45, "ml_knowledge": 50,
            "tradeoffs": 40, "communication": 35}
""",
        ),
        (
            "a flat 60 for every dimension",
            """
def transcript_c_scores():
    return dict.fromkeys(["problem_understanding", "system_design", "ml_knowledge",
                          "tradeoffs", "communication"], 60)
""",
        ),
    ],
}
