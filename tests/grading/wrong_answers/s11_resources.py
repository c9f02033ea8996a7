"""Wrong answers for section 11 (resources, study plan); see the package docstring.

Each exercise also has its gaming route: the visible cases' answers hard-coded, which the
hidden cases (tables and attempt histories the learner never saw) must catch.
"""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "resources-fix-first": [
        (
            "returns None (the order is printed)",
            """
def fix_first(table, bar):
    print(list(table["segment"]))
""",
        ),
        (
            "gaming: the visible answers hard-coded",
            """
def fix_first(table, bar):
    if "tradeoffs" in list(table["segment"]):
        return ["tradeoffs", "ml_knowledge", "communication", "system_design",
                "problem_understanding"]
    return ["online", "wallet"]
""",
        ),
        (
            "the lowest metric first, whatever its share",
            """
def fix_first(table, bar):
    below = table[table["metric"] < bar]
    return list(below.sort_values("metric", kind="stable")["segment"])
""",
        ),
        (
            "keeps the segments above the bar (negative gains last)",
            """
def fix_first(table, bar):
    gains = table["share"] * (bar - table["metric"])
    order = sorted(range(len(table)), key=lambda i: -gains.iloc[i])
    return [table["segment"].iloc[i] for i in order]
""",
        ),
        (
            "off at the boundary: a segment exactly at the bar is kept",
            """
def fix_first(table, bar):
    rows = [(share * (bar - metric), i, seg) for i, (seg, share, metric)
            in enumerate(zip(table["segment"], table["share"], table["metric"]))
            if metric <= bar]
    return [seg for _g, _i, seg in sorted(rows, key=lambda r: (-r[0], r[1]))]
""",
        ),
        (
            "returns the rows (a DataFrame) instead of the names",
            """
def fix_first(table, bar):
    below = table[table["metric"] < bar]
    gain = below["share"] * (bar - below["metric"])
    return below.assign(gain=gain).sort_values("gain", ascending=False)
""",
        ),
    ],
    "resources-next-review": [
        (
            "returns None for a problem never attempted",
            """
def next_review(attempts, today):
    if attempts:
        streak = 0
        for _day, total in reversed(attempts):
            if total < 65:
                break
            streak += 1
        return attempts[-1][0] + (1 if streak == 0 else min(2 ** streak, 16))
""",
        ),
        (
            "gaming: the visible answers hard-coded",
            """
def next_review(attempts, today):
    known = {0: 5, 1: 1, 2: 4, 3: 14}
    if attempts and attempts[-1] == (0, 65):
        return 2
    if attempts and attempts[-1] == (2, 40):
        return 3
    return known.get(len(attempts), today) if attempts else today
""",
        ),
        (
            "never overdue: the due day is clamped to today",
            """
def next_review(attempts, today):
    if not attempts:
        return today
    streak = 0
    for _day, total in reversed(attempts):
        if total < 65:
            break
        streak += 1
    return max(today, attempts[-1][0] + (1 if streak == 0 else min(2 ** streak, 16)))
""",
        ),
        (
            "off at the boundary: a total of 65 is not counted as a pass",
            """
def next_review(attempts, today):
    if not attempts:
        return today
    streak = 0
    for _day, total in reversed(attempts):
        if total <= 65:
            break
        streak += 1
    return attempts[-1][0] + (1 if streak == 0 else min(2 ** streak, 16))
""",
        ),
        (
            "no cap: the gap keeps doubling",
            """
def next_review(attempts, today):
    if not attempts:
        return today
    streak = 0
    for _day, total in reversed(attempts):
        if total < 65:
            break
        streak += 1
    return attempts[-1][0] + 2 ** streak
""",
        ),
        (
            "one pass too few: 2 ** (streak - 1)",
            """
def next_review(attempts, today):
    if not attempts:
        return today
    streak = 0
    for _day, total in reversed(attempts):
        if total < 65:
            break
        streak += 1
    return attempts[-1][0] + (1 if streak == 0 else min(2 ** (streak - 1), 16))
""",
        ),
    ],
}
