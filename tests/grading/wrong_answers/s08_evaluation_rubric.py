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
            "returns None (the scores are built but not returned)",
            """
def score_transcript(turns):
    scores = {"problem_understanding": 75, "system_design": 74, "ml_knowledge": 64,
              "tradeoffs": 32, "communication": 58}
""",
        ),
        (
            "gaming: returns candidate C's reference scores whatever the transcript",
            """
def score_transcript(turns):
    return {"problem_understanding": 75, "system_design": 74, "ml_knowledge": 64,
            "tradeoffs": 32, "communication": 58}
""",
        ),
        (
            "gaming: five scores near 60 for every transcript",
            """
def score_transcript(turns):
    return {"problem_understanding": 62, "system_design": 60, "ml_knowledge": 58,
            "tradeoffs": 57, "communication": 61}
""",
        ),
        (
            "credits the candidate with what the interviewer raised (prompted = excellent)",
            """
def score_transcript(turns):
    pairs = {"problem_understanding": 4, "system_design": 5, "ml_knowledge": 5,
             "tradeoffs": 5, "communication": 5}
    last = {}
    for turn in turns:
        for dim, pair, rating in turn.get("signs", []):
            last[(dim, pair)] = rating
    points = {"excellent": 100, "poor": 20}
    return {dim: sum(points.get(last.get((dim, p)), 50) for p in range(n)) / n
            for dim, n in pairs.items()}
""",
        ),
        (
            "the first word counts instead of the last",
            """
def score_transcript(turns):
    pairs = {"problem_understanding": 4, "system_design": 5, "ml_knowledge": 5,
             "tradeoffs": 5, "communication": 5}
    raised, first = set(), {}
    for turn in turns:
        if turn["who"] == "interviewer":
            raised.update((d, p) for d, p in turn.get("raises", []))
            continue
        for d, p, rating in turn.get("signs", []):
            if (d, p) not in first:
                if rating == "poor":
                    first[(d, p)] = 20
                else:
                    first[(d, p)] = 50 if (d, p) in raised else 100
    return {dim: sum(first.get((dim, p), 50) for p in range(n)) / n
            for dim, n in pairs.items()}
""",
        ),
        (
            "off at the boundary: a question counts as prompting only in the turn just before",
            """
def score_transcript(turns):
    pairs = {"problem_understanding": 4, "system_design": 5, "ml_knowledge": 5,
             "tradeoffs": 5, "communication": 5}
    unprompted, last, just_raised = set(), {}, set()
    for turn in turns:
        if turn["who"] == "interviewer":
            just_raised = {(d, p) for d, p in turn.get("raises", [])}
            continue
        for d, p, rating in turn.get("signs", []):
            if rating == "excellent" and (d, p) not in just_raised:
                unprompted.add((d, p))
            last[(d, p)] = rating
        just_raised = set()
    scores = {}
    for dim, n in pairs.items():
        pts = []
        for p in range(n):
            r = last.get((dim, p))
            pts.append(50 if r is None else 20 if r == "poor" else
                       100 if (dim, p) in unprompted else 50)
        scores[dim] = sum(pts) / n
    return scores
""",
        ),
    ],
}
