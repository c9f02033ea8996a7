"""Each section-5 pattern as a pipeline of stages with a per-stage latency budget.

The guide draws every pattern as an arrow of stages. Here each stage carries a time in
milliseconds; stages marked ``offline`` run ahead of time (batch jobs, indexing) and cost
the request nothing. The online stages add up to the end-to-end latency, which must stay
under the pattern's target. Targets come from the guide (bidding under 50 ms) and from its
practice problems (a recommender under 200 ms, product search under 200 ms, real-time
object detection under 33 ms, auto-reply suggestions under 200 ms, card fraud under 50 ms).
The per-stage times are our assumptions for a first design, for you to move.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mlsd.validation import require_choice, require_number


@dataclass(frozen=True)
class Stage:
    name: str
    ms: float
    offline: bool = False


@dataclass(frozen=True)
class Pattern:
    key: str
    title: str
    target_ms: float
    target_source: str
    stages: tuple[Stage, ...]

    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def defaults(self) -> dict[str, float]:
        return {s.name: s.ms for s in self.stages}


PATTERNS: dict[str, Pattern] = {
    p.key: p
    for p in (
        Pattern(
            "recommendations",
            "Recommendations",
            200.0,
            "practice problem 1 (movie recommendations): under 200 ms",
            (
                Stage("candidate generation (batch)", 0.0, offline=True),
                Stage("fetch candidates + features", 25.0),
                Stage("ranking model", 60.0),
                Stage("business rules", 10.0),
                Stage("top-K + network", 40.0),
            ),
        ),
        Pattern(
            "search",
            "Search & ranking",
            200.0,
            "practice problem 5 (product search): under 200 ms",
            (
                Stage("query rewriting", 15.0),
                Stage("retrieval", 40.0),
                Stage("ranking", 70.0),
                Stage("personalisation", 20.0),
                Stage("results + network", 30.0),
            ),
        ),
        Pattern(
            "vision",
            "Computer vision",
            33.0,
            "practice problem 7 (object detection at 30 frames per second): under 33 ms",
            (
                Stage("preprocessing", 4.0),
                Stage("feature extraction", 15.0),
                Stage("classification / detection", 8.0),
                Stage("post-processing", 3.0),
            ),
        ),
        Pattern(
            "nlp",
            "NLP / text understanding",
            200.0,
            "practice problem 8 (email auto-reply suggestions): under 200 ms",
            (
                Stage("tokenisation", 5.0),
                Stage("embedding", 30.0),
                Stage("model (transformer)", 90.0),
                Stage("task head", 5.0),
                Stage("output + network", 40.0),
            ),
        ),
        Pattern(
            "fraud",
            "Fraud / anomaly detection",
            50.0,
            "practice problem 10 (card fraud, per transaction): under 50 ms",
            (
                Stage("feature extraction", 15.0),
                Stage("rules check", 3.0),
                Stage("ML model", 12.0),
                Stage("decision", 2.0),
                Stage("feedback (async)", 0.0, offline=True),
            ),
        ),
        Pattern(
            "bidding",
            "Real-time bidding",
            50.0,
            "the guide's pattern 6: latency under 50 ms",
            (
                Stage("context", 5.0),
                Stage("value prediction", 12.0),
                Stage("bid optimisation", 4.0),
                Stage("auction + network", 20.0),
            ),
        ),
    )
}


def pattern(key: str) -> Pattern:
    return PATTERNS[require_choice("pattern", key, PATTERNS)]


def budget_table(key: str, stage_ms: dict | None = None, target_ms=None) -> pd.DataFrame:
    """Rows per stage: its time, what it adds online, cumulative time, and the slack left.

    ``stage_ms`` overrides stage times by name; ``target_ms`` overrides the pattern's target.
    """
    pat = pattern(key)
    target = require_number(
        "target_ms",
        pat.target_ms if target_ms is None else target_ms,
        0,
        None,
        low_inclusive=False,
        unit="ms",
    )
    stage_ms = dict(stage_ms or {})
    unknown = sorted(set(stage_ms) - set(pat.stage_names()))
    if unknown:
        raise ValueError(f"stage_ms has unknown stages {unknown}; known: {pat.stage_names()}.")
    rows, total = [], 0.0
    for stage in pat.stages:
        ms = require_number(
            f"stage_ms[{stage.name!r}]", stage_ms.get(stage.name, stage.ms), 0, None, unit="ms"
        )
        counted = 0.0 if stage.offline else ms
        total += counted
        rows.append((stage.name, ms, counted, total, stage.offline))
    table = pd.DataFrame(rows, columns=["stage", "ms", "counted_ms", "cumulative_ms", "offline"])
    table.attrs["target_ms"] = target
    table.attrs["total_ms"] = total
    return table


def verdict(table: pd.DataFrame) -> tuple[bool, str]:
    """Whether the online stages fit the target, in words."""
    target, total = table.attrs["target_ms"], table.attrs["total_ms"]
    online = table[~table["offline"]]
    biggest = online.loc[online["counted_ms"].idxmax()] if len(online) else None
    if total <= target:
        return True, f"fits: {total:g} ms of {target:g} ms, {target - total:g} ms to spare."
    where = (
        f"; the biggest stage is {biggest['stage']} ({biggest['ms']:g} ms)"
        if biggest is not None
        else ""
    )
    return False, f"over by {total - target:g} ms: {total:g} ms against {target:g} ms{where}."
