"""Checks for section 12 (the mock interview): the interviewer's latency rule.

``critical_path``: the end-to-end latency of a design's online path, the number the
interviewer compares with the SLO. Stages run one after another, except those in the same
parallel group, which run at the same time (the slowest one counts); nearline and offline
stages are not on the request path; an online stage with no budget makes the total unknown.

Visible cases are the prompt's; hidden tests (in the solutions notebook) call
``expect_critical_path`` with designs the learner has never seen.
"""

from __future__ import annotations

import math

from mlsd.checks.engine import Case, run

CRITICAL_PATH = "mock_critical_path"


def _stage(name, ms, path="online", group=""):
    return {"name": name, "latency_ms": ms, "path": path, "parallel_group": group}


VISIBLE = (
    Case(([_stage("gateway", 10), _stage("rank", 60)],), 70.0,
         "two online stages one after another: 10 + 60 ms."),
    Case(([_stage("gateway", 10), _stage("lexical", 80, group="retrieval"),
           _stage("semantic", 70, group="retrieval"), _stage("rank", 40)],), 130.0,
         "lexical and semantic retrieval run in parallel: only the slower (80 ms) counts."),
    Case(([_stage("score", 20), _stage("session features", 120_000, "nearline"),
           _stage("training", None, "offline")],), 20.0,
         "nearline and offline stages are not on the request path."),
    Case(([_stage("gateway", 10), _stage("rank", None)],), None,
         "an online stage with no budget: the total is unknown (None)."),
    Case(([],), 0.0, "no online stage: nothing on the request path (0 ms)."),
)  # fmt: skip


def _matches(actual, expected) -> bool:
    if expected is None or actual is None:
        return actual is expected
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return False
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


def _cause(case: Case, actual) -> str | None:
    stages = case.args[0]
    online = [s for s in stages if s["path"] == "online"]
    if case.expected is None:
        return "an online stage without a latency budget makes the total unknown: return None."
    if actual is None:
        return "only an online stage with no budget makes the total unknown."
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return "return the total in ms as a number (or None)."
    if math.isclose(actual, sum((s["latency_ms"] or 0) for s in stages)):
        return "only online stages are on the request path: skip nearline and offline ones."
    if math.isclose(actual, sum((s["latency_ms"] or 0) for s in online)):
        return "stages in the same parallel group run at the same time: count the slowest once."
    if online and math.isclose(actual, max(s["latency_ms"] or 0 for s in online)):
        return "stages outside a parallel group run one after another: add them up."
    return None


def check_critical_path(fn) -> None:
    cases = [Case(c.args, c.expected, c.why, compare=_matches) for c in VISIBLE]
    run(CRITICAL_PATH, fn, cases, likely_cause=_cause)


def expect_critical_path(fn, cases) -> None:
    """``cases`` are (stages, expected ms or None, why) tuples; stages are
    (name, latency_ms, path, parallel_group) tuples."""
    built = [
        Case(([_stage(*s) for s in stages],), expected, why, compare=_matches)
        for stages, expected, why in cases
    ]
    run(CRITICAL_PATH, fn, built, likely_cause=_cause, quiet=True)
