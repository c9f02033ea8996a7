"""Checks for the ``fraud_threshold`` exercise (section 5, pattern 5).

``find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02)`` returns the highest
score t such that flagging every score >= t gives recall > recall_above and false positive
rate < fpr_below, or None when no score does.
"""

from __future__ import annotations

import numpy as np

from mlsd.checks.core import Case, run_cases
from mlsd.fraud import find_threshold

EXERCISE = "fraud_threshold"

Y10 = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
S10 = [0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.7, 0.6, 0.9]

CASES = (
    Case(
        (Y10, S10),
        0.6,
        "with recall_above=0.5 and fpr_below=0.2, flagging >= 0.6 catches both positives "
        "(recall 1.0) and one of 8 negatives (FPR 0.125 < 0.2); 0.7 and 0.9 catch only one "
        "positive (recall 0.5, not above 0.5).",
        kwargs={"recall_above": 0.5, "fpr_below": 0.2},
    ),
    Case(
        (Y10, S10),
        0.9,
        "at 0.9 recall is 0.5 > 0.4 and FPR is 0 < 0.1; it is the highest.",
        kwargs={"recall_above": 0.4, "fpr_below": 0.1},
    ),
    Case(
        (Y10, S10),
        None,
        "recall above 0.9 needs t <= 0.6, which flags the 0.7 negative: "
        "FPR 0.125 is not below 0.1, so no threshold works: return None.",
        kwargs={"recall_above": 0.9, "fpr_below": 0.1},
    ),
    Case(
        (Y10, S10),
        None,
        "recall must be strictly above 0.5: 0.9 alone gives exactly 0.5, "
        "and 0.6 flags a negative (FPR 0.125, not below 0.1).",
        kwargs={"recall_above": 0.5, "fpr_below": 0.1},
    ),
    Case(
        ([0, 1, 0, 1], [0.9, 0.8, 0.1, 0.2]),
        None,
        "the FPR must be strictly below fpr_below: flagging >= 0.8 gives recall 0.5 > 0.4 but "
        "FPR exactly 0.5, which is not below 0.5; lower thresholds have FPR 0.5 or more.",
        kwargs={"recall_above": 0.4, "fpr_below": 0.5},
    ),
    Case(
        ([0, 1, 0, 1], [0.2, 0.8, 0.8, 0.9]),
        0.9,
        "0.8 is shared by a positive and a "
        "negative, so flagging >= 0.8 has FPR 0.5; 0.9 keeps FPR 0 with recall 0.5 > 0.4.",
        kwargs={"recall_above": 0.4, "fpr_below": 0.3},
    ),
)


def _cause(case: Case, actual) -> str | None:
    if case.expected is None and actual is not None:
        try:
            y, s, t = np.asarray(case.args[0]), np.asarray(case.args[1], float), float(actual)
            flagged = s >= t
            recall = (flagged & (y == 1)).sum() / max((y == 1).sum(), 1)
            fpr = (flagged & (y == 0)).sum() / max((y == 0).sum(), 1)
            if recall >= case.kwargs["recall_above"] and fpr <= case.kwargs["fpr_below"]:
                return "both comparisons are strict: recall > recall_above, FPR < fpr_below."
        except (TypeError, ValueError, KeyError):
            pass
        return "when no score meets both targets, return None instead of the best try."
    if actual is None:
        return "some score meets both targets here: check > versus >= and which side you flag."
    y, s = (np.asarray(a) for a in case.args)
    try:
        t = float(actual)
    except (TypeError, ValueError):
        return f"return a score (a float) or None; you returned {type(actual).__name__}."
    if case.expected is not None and t < case.expected:
        return (
            "a lower threshold also meets the targets here, but the highest one has the "
            "fewest false positives: return the highest."
        )
    if t not in set(s.tolist()):
        return "return one of the scores, the threshold itself (flag when score >= it)."
    return None


def check_find_threshold(fn) -> None:
    """Visible check. Returns None (nbgrader reads numbers as credit)."""
    run_cases(EXERCISE, fn, CASES, likely_cause=_cause)


def expect_thresholds(fn, cases) -> None:
    """Hidden-test helper: (y_true, scores, recall_above, fpr_below, expected, why)."""
    run_cases(
        EXERCISE,
        fn,
        [
            Case((y, s), e, w, kwargs={"recall_above": r, "fpr_below": f})
            for y, s, r, f, e, w in cases
        ],
        likely_cause=_cause,
        quiet=True,
    )


def expect_like_reference(fn, seeds) -> None:
    """Hidden-test helper: seeded random labels and scores (with ties) vs the reference."""
    cases = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n = int(rng.integers(20, 80))
        y = (rng.random(n) < 0.2).astype(int)
        y[0], y[1] = 1, 0
        s = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0, 1).round(2)
        r, f = float(rng.choice([0.5, 0.7, 0.9])), float(rng.choice([0.05, 0.1, 0.3]))
        expected = find_threshold(y, s, r, f)
        cases.append(
            Case(
                (y.tolist(), s.tolist()),
                expected,
                f"on this seeded case (seed {seed}) the highest score meeting "
                f"recall > {r} and FPR < {f} is {expected}.",
                kwargs={"recall_above": r, "fpr_below": f},
            )
        )
    run_cases(EXERCISE, fn, cases, likely_cause=_cause, quiet=True)


def expect_on_section_models(fn, targets) -> None:
    """Hidden-test helper: the section's fraud models (labels and scores loaded here, never
    shown as a case), each (recall_above, fpr_below) target, against the reference."""
    from mlsd.fraud import demo_scores

    scored = demo_scores()
    labels = scored.labels.tolist()
    cases = []
    for name, scores in scored.scores.items():
        for recall_above, fpr_below in targets:
            expected = find_threshold(labels, scores, recall_above, fpr_below)
            cases.append(
                Case(
                    (labels, scores.tolist()),
                    expected,
                    f"on the section's {name} scores the highest threshold with recall > "
                    f"{recall_above} and FPR < {fpr_below} is {expected}.",
                    kwargs={"recall_above": recall_above, "fpr_below": fpr_below},
                )
            )
    run_cases(EXERCISE, fn, cases, likely_cause=_cause, quiet=True)
