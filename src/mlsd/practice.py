"""Section 10: the guide's 11 practice problems as data, with a worksheet for each.

A problem row (``data/practice_problems.csv``) gives the numbers the guide states: users,
items, the latency target, frames per second or posts per hour, and metric targets. For each
problem this module adds *stated, editable assumptions* (the numbers the guide leaves out,
such as requests per user per day) and turns both into:

* calculator inputs for section 7's ``mlsd.estimates`` (``worksheet_inputs``);
* one back-of-envelope estimate the learner must reproduce (``reference_estimate``);
* metric-target checks (``parse_targets``, ``meets_targets``): face unlock's false-accept
  rate below 0.01 %, fraud recall over 90 % at under 2 % false positives, and so on.

Everything is a pure function; bad input raises ``ValueError`` naming the argument.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from mlsd import data, estimates, rubric
from mlsd.validation import require_int, require_number

N_PROBLEMS = 11
RUBRIC = tuple((d.name, d.weight_pct) for d in rubric.DIMENSIONS)  # section 8's rubric
PATTERN_NOTEBOOK = "../05-common-ml-systems/common-ml-systems.ipynb"
PATTERNS = {  # pattern key -> the section 5 heading that teaches it
    "recommendations": "1 · Recommendations: candidates → ranking → business rules → top-K",
    "search": "2 · Search & ranking: query → retrieval → ranking → results",
    "vision": "3 · Computer vision: image → preprocessing → features → classifier",
    "nlp": "4 · NLP: text → tokenisation → embedding → model → head",
    "fraud": "5 · Fraud / anomaly detection: event → rules → model → decision",
}
_TARGET = re.compile(r"(?P<metric>[a-z_]+)\s*(?P<op>>=|<=|>|<)\s*(?P<value>\d+(\.\d+)?)")
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


@dataclass(frozen=True)
class Assumptions:
    """What the guide leaves out for one problem, stated so the learner can change it."""

    calculator: dict  # inputs for mlsd.estimates (keys of estimates.DEFAULTS)
    estimate: str  # which estimate the exercise asks for
    prompt: str  # the question, with every assumption written out
    unit: str


# One entry per problem. Numbers from the guide are in the CSV; these are ours, and say so.
ASSUMPTIONS: dict[int, Assumptions] = {
    1: Assumptions(
        {
            "daily_active_users": 200e6,
            "actions_per_user_per_day": 10.0,
            "peak_factor": 3.0,
            "entities": 200e6,
            "dimensions": 128.0,
            "catalogue_items": 10e3,
        },
        "peak_qps",
        "Peak QPS: all 200 M users active daily, 10 recommendation requests each, peak = 3x "
        "the daily average.",
        "requests/s",
    ),
    2: Assumptions(
        {
            "daily_active_users": 80e6,
            "actions_per_user_per_day": 5.0,
            "peak_factor": 3.0,
            "entities": 20e6,
            "dimensions": 64.0,
            "catalogue_items": 20e6,
        },
        "peak_qps",
        "Peak QPS: 10 % of the 800 M members active daily (80 M), 5 requests each, peak = 3x.",
        "requests/s",
    ),
    3: Assumptions(
        {
            "daily_active_users": 200e6,
            "actions_per_user_per_day": 20.0,
            "peak_factor": 3.0,
            "entities": 80e6,
            "dimensions": 128.0,
            "catalogue_items": 80e6,
        },
        "embedding_bytes",
        "Memory for one 128-dimension float32 (4-byte) embedding per song, 80 M songs.",
        "B",
    ),
    4: Assumptions(
        {
            "examples_per_day": 8e9,
            "bytes_per_example": 10e3,
            "retention_days": 1.0,
            "replication": 3.0,
            "daily_active_users": 1e9,
            "actions_per_user_per_day": 5.0,
        },
        "index_bytes",
        "Index storage: 8 B pages x 10 KB of text and features each x 3 replicas.",
        "B",
    ),
    5: Assumptions(
        {
            "entities": 500e6,
            "dimensions": 64.0,
            "bytes_per_value": 4.0,
            "daily_active_users": 300e6,
            "actions_per_user_per_day": 4.0,
        },
        "embedding_bytes",
        "Memory for one 64-dimension float32 (4-byte) embedding per product, 500 M products.",
        "B",
    ),
    6: Assumptions(
        {
            "daily_active_users": 1e9,
            "actions_per_user_per_day": 50.0,
            "peak_factor": 2.0,
            "latency_ms": 500.0,
        },
        "impostor_attempts",
        "Impostor attempts needed to show a false-accept rate below 0.01 % with about 95 % "
        "confidence when none is accepted: the rule of three, n = 3 / rate.",
        "attempts",
    ),
    7: Assumptions(
        {"latency_ms": 33.0},
        "frame_budget_ms",
        "Time per frame at 30 FPS: 1,000 ms / 30 frames.",
        "ms",
    ),
    8: Assumptions(
        {
            "daily_active_users": 100e6,
            "actions_per_user_per_day": 40.0,
            "peak_factor": 3.0,
            "latency_ms": 200.0,
        },
        "peak_qps",
        "Peak QPS: 100 M daily users receive 40 emails each, one suggestion request per email, "
        "peak = 3x.",
        "requests/s",
    ),
    9: Assumptions(
        {
            "daily_active_users": 5e6,
            "actions_per_user_per_day": 1.0,
            "peak_factor": 3.0,
            "per_server_qps": 10.0,
            "headroom": 0.3,
            "latency_ms": 1000.0,
        },
        "servers",
        "Servers: 5 M questions a day, peak = 3x, one GPU server answers 10 questions/s and "
        "keeps 30 % headroom (round up).",
        "servers",
    ),
    10: Assumptions(
        {
            "daily_active_users": 150e6,
            "actions_per_user_per_day": 1.0,
            "peak_factor": 3.0,
            "latency_ms": 50.0,
            "per_server_qps": 2000.0,
        },
        "peak_qps",
        "Peak transactions per second: 150 M card transactions a day, peak = 3x.",
        "transactions/s",
    ),
    11: Assumptions(
        {
            "daily_active_users": 24e6,
            "actions_per_user_per_day": 1.0,
            "peak_factor": 1.0,
            "latency_ms": 5000.0,
        },
        "posts_per_second",
        "Posts per second: 1 M posts an hour, spread evenly over the hour.",
        "posts/s",
    ),
}


@dataclass(frozen=True)
class Target:
    """One metric target, e.g. ``false_accept_pct < 0.01``."""

    metric: str
    op: str
    value: float

    def met_by(self, actual: float) -> bool:
        return bool(_OPS[self.op](actual, self.value))

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


@dataclass(frozen=True)
class Problem:
    number: int
    title: str
    domain: str
    problem_set: str
    users: float | None
    items: float | None
    items_kind: str
    latency_ms: float
    fps: float | None
    posts_per_hour: float | None
    goal: str
    challenge: str
    targets: tuple[Target, ...]
    pattern: str

    @property
    def assumptions(self) -> Assumptions:
        return ASSUMPTIONS[self.number]

    def pattern_link(self) -> str:
        """Markdown link to the section 5 pattern this problem builds on."""
        return f"[Section 5 · {PATTERNS[self.pattern]}]({PATTERN_NOTEBOOK})"

    def facts(self) -> list[str]:
        """The guide's numbers for this problem, in words."""
        out = []
        if self.users:
            out.append(f"{estimates.format_count(self.users)} users")
        if self.items:
            out.append(f"{estimates.format_count(self.items)} {self.items_kind}")
        if self.fps:
            out.append(f"real time at {self.fps:g} FPS")
        if self.posts_per_hour:
            out.append(f"{estimates.format_count(self.posts_per_hour)} posts/hour")
        out.append(f"latency under {_ms(self.latency_ms)}")
        return out


def _ms(value: float) -> str:
    return f"{value / 1000:g} s" if value >= 1000 else f"{value:g} ms"


def parse_targets(text) -> tuple[Target, ...]:
    """``'recall_pct>90;false_positive_pct<2'`` -> two Targets (an empty cell -> none)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return ()
    out = []
    for part in str(text).split(";"):
        match = _TARGET.fullmatch(part.strip())
        if match is None:
            raise ValueError(f"targets must look like 'metric>value' joined by ';'; got {part!r}.")
        out.append(Target(match["metric"], match["op"], float(match["value"])))
    return tuple(out)


def _optional(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


@cache
def problems() -> tuple[Problem, ...]:
    """All 11 problems from ``data/practice_problems.csv`` (checksum checked)."""
    table = data.load("practice_problems")
    return tuple(
        Problem(
            number=int(r.number),
            title=r.title,
            domain=r.domain,
            problem_set=r.problem_set,
            users=_optional(r.users),
            items=_optional(r.items),
            items_kind="" if pd.isna(r.items_kind) else r.items_kind,
            latency_ms=float(r.latency_ms),
            fps=_optional(r.fps),
            posts_per_hour=_optional(r.posts_per_hour),
            goal=r.goal,
            challenge=r.challenge,
            targets=parse_targets(r.targets),
            pattern=r.pattern,
        )
        for r in table.itertuples(index=False)
    )


def problem(number) -> Problem:
    """Problem ``number`` (1 to 11)."""
    number = require_int("number", number, 1, N_PROBLEMS)
    return problems()[number - 1]


def table() -> pd.DataFrame:
    """The problems as a table for display and filtering (domain, numbers, goal, targets)."""
    return data.load("practice_problems")


def domains() -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.domain for p in problems()))


def worksheet_inputs(number, **overrides) -> dict:
    """Calculator inputs for problem ``number``: the stated assumptions, then ``overrides``."""
    p = problem(number)
    unknown = sorted(set(overrides) - set(estimates.DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown calculator inputs {unknown}; allowed names are {sorted(estimates.DEFAULTS)}."
        )
    values = {"latency_ms": p.latency_ms} | dict(p.assumptions.calculator) | overrides
    return {k: float(v) for k, v in values.items()}


def frame_budget_ms(fps, other_stages_ms=0.0) -> float:
    """Milliseconds a model has per frame: 1,000 / fps minus the other stages' time."""
    rate = require_number("fps", fps, 0, 1000, low_inclusive=False, unit="frames/s")
    other = require_number("other_stages_ms", other_stages_ms, 0, None, unit="ms")
    return 1000.0 / rate - other


def impostor_attempts_needed(max_false_accept_rate) -> float:
    """Rule of three: with 0 errors in n trials the 95 % upper bound on the rate is ~3/n."""
    rate = require_number("max_false_accept_rate", max_false_accept_rate, 0, 1, low_inclusive=False)
    return 3.0 / rate


def reference_estimate(number, **overrides) -> estimates.Estimate:
    """The problem's back-of-envelope estimate under its stated (or overridden) assumptions."""
    p = problem(number)
    kind = p.assumptions.estimate
    v = estimates.DEFAULTS | worksheet_inputs(number, **overrides)
    if kind == "peak_qps":
        return estimates.qps(v["daily_active_users"], v["actions_per_user_per_day"],
                             v["peak_factor"])  # fmt: skip
    if kind == "embedding_bytes":
        return estimates.embedding_memory(v["entities"], v["dimensions"], v["bytes_per_value"])
    if kind == "index_bytes":
        return estimates.storage(v["examples_per_day"], v["bytes_per_example"],
                                 v["retention_days"], v["replication"])  # fmt: skip
    if kind == "servers":
        load = estimates.qps(v["daily_active_users"], v["actions_per_user_per_day"],
                             v["peak_factor"])  # fmt: skip
        return estimates.servers(load.value, v["per_server_qps"], v["headroom"])
    if kind == "impostor_attempts":
        n = impostor_attempts_needed(0.0001)
        return _simple("Impostor attempts", n, "attempts", f"{n:,.0f} attempts",
                       "3 ÷ target rate", "3 ÷ 0.0001 = 30,000")  # fmt: skip
    if kind == "frame_budget_ms":
        ms = frame_budget_ms(p.fps)
        return _simple("Frame budget", ms, "ms", f"{ms:.1f} ms per frame",
                       "1,000 ms ÷ FPS", f"1,000 ÷ {p.fps:g} = {ms:.1f} ms")  # fmt: skip
    per_s = p.posts_per_hour / 3600
    return _simple("Posts per second", per_s, "posts/s", f"{per_s:,.0f} posts/s",
                   "posts per hour ÷ 3,600 s",
                   f"{p.posts_per_hour:,.0f} ÷ 3,600 = {per_s:.1f}")  # fmt: skip


def _simple(name, value, unit, readable, formula, substituted) -> estimates.Estimate:
    return estimates.Estimate(name, float(value), unit, readable, formula, substituted)


def reference_estimates() -> dict[int, float]:
    """Problem number -> the value of its estimate under the stated assumptions."""
    return {p.number: reference_estimate(p.number).value for p in problems()}


def meets_targets(number, **metrics) -> dict[str, bool]:
    """Which of problem ``number``'s targets the measured ``metrics`` (in %) meet."""
    p = problem(number)
    if not p.targets:
        raise ValueError(f"problem {p.number} ({p.title}) states no metric target.")
    out = {}
    for target in p.targets:
        if target.metric not in metrics:
            names = ", ".join(t.metric for t in p.targets)
            raise ValueError(f"metrics must give {names} (in %); {target.metric} is missing.")
        value = require_number(target.metric, metrics[target.metric], 0, 100, unit="%")
        out[str(target)] = target.met_by(value)
    return out


def rates(y_true, y_pred) -> dict[str, float]:
    """Recall and false-positive rate (both in %) of 0/1 predictions, as numpy arrays."""
    truth = np.asarray(y_true).astype(bool)
    pred = np.asarray(y_pred).astype(bool)
    if truth.shape != pred.shape or truth.ndim != 1:
        raise ValueError(
            f"y_true and y_pred must be 1-D and the same length; got shapes {truth.shape} "
            f"and {pred.shape}."
        )
    positives, negatives = truth.sum(), (~truth).sum()
    if positives == 0 or negatives == 0:
        raise ValueError("y_true must contain both classes (0 and 1) to measure both rates.")
    return {
        "recall_pct": 100.0 * (pred & truth).sum() / positives,
        "false_positive_pct": 100.0 * (pred & ~truth).sum() / negatives,
    }
