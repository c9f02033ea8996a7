"""Section 10: the guide's 11 practice problems as data, with a worksheet for each.

A problem row (``data/practice_problems.csv``) gives the numbers the guide states: users,
items, the latency target, frames per second or posts per hour, and metric targets. For each
problem this module adds *stated, editable assumptions* (the numbers the guide leaves out,
such as requests per user per day) and turns both into:

* calculator inputs for section 7's ``mlsd.estimates`` (``worksheet_inputs``);
* one back-of-envelope estimate the learner must reproduce from named inputs
  (``ASSUMPTIONS[n].inputs``, ``reference_estimate``);
* metric-target checks (``parse_targets``, ``meets_targets``): face unlock's false-accept
  rate below 0.01 %, fraud recall over 90 % at under 2 % false positives, and so on;
* the 30 FPS lesson (``pipeline_timing``: the slowest stage sets the frame rate, the sum of
  the stages is the latency) and small worked models of the problems' challenges: cold start
  (``cold_start_weight``), freshness (``share_missed_before_indexing``), adversarial drift
  (``mean_recall_between_retrains``) and multi-turn dialogue (``prompt_tokens_per_turn``).

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

from mlsd import base_rates, data, estimates, rubric
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

    calculator: dict  # worksheet pre-fill: inputs for mlsd.estimates (keys of estimates.DEFAULTS)
    estimate: str  # which estimate the exercise asks for (a key of ESTIMATE_INPUTS)
    inputs: dict  # the exercise's inputs, by the names the prompt uses
    prompt: str  # the question, with every assumption written out
    unit: str


# Each kind of estimate: the inputs it takes (by the names the exercise prompt uses).
ESTIMATE_INPUTS = {
    "peak_qps": ("daily_users", "requests_per_user", "peak_factor"),
    "peak_tps": ("transactions_per_day", "peak_factor"),
    "memory_bytes": ("items", "dimensions", "bytes_per_value"),
    "storage_bytes": ("pages", "bytes_per_page", "replicas"),
    "impostor_attempts": ("max_false_accept_rate",),
    "frame_interval_ms": ("fps",),
    "servers": ("questions_per_day", "peak_factor", "per_server_qps", "headroom"),
    "posts_per_second": ("posts_per_hour",),
}

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
            "per_server_qps": 500.0,
        },
        "peak_qps",
        {"daily_users": 200e6, "requests_per_user": 10, "peak_factor": 3},
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
            "per_server_qps": 200.0,
        },
        "peak_qps",
        {"daily_users": 80e6, "requests_per_user": 5, "peak_factor": 3},
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
            "per_server_qps": 1000.0,
        },
        "memory_bytes",
        {"items": 80e6, "dimensions": 128, "bytes_per_value": 4},
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
            "actions_per_user_per_day": 8.0,
            "peak_factor": 2.0,
            "per_server_qps": 200.0,
        },
        "storage_bytes",
        {"pages": 8e9, "bytes_per_page": 10_000, "replicas": 3},
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
            "peak_factor": 3.0,
            "per_server_qps": 400.0,
        },
        "memory_bytes",
        {"items": 500e6, "dimensions": 64, "bytes_per_value": 4},
        "Memory for one 64-dimension float32 (4-byte) embedding per product, 500 M products.",
        "B",
    ),
    6: Assumptions(
        {
            "daily_active_users": 1e9,
            "actions_per_user_per_day": 80.0,
            "peak_factor": 2.0,
            "latency_ms": 500.0,
        },
        "impostor_attempts",
        {"max_false_accept_rate": 0.0001},
        "Impostor attempts needed to show a false-accept rate below 0.01 % with about 95 % "
        "confidence when none is accepted: the rule of three, n = 3 / rate.",
        "attempts",
    ),
    7: Assumptions(
        {
            "daily_active_users": 8.0,  # the car's cameras stand in for users
            "actions_per_user_per_day": 30.0 * 86_400,
            "peak_factor": 1.0,
            "latency_ms": 33.0,
            "per_server_qps": 400.0,
        },
        "frame_interval_ms",
        {"fps": 30},
        "Frame interval at 30 FPS: a new frame every 1,000 ms / 30 (the time each pipeline "
        "stage has per frame).",
        "ms",
    ),
    8: Assumptions(
        {
            "daily_active_users": 100e6,
            "actions_per_user_per_day": 40.0,
            "peak_factor": 3.0,
            "latency_ms": 200.0,
            "per_server_qps": 2000.0,
        },
        "peak_qps",
        {"daily_users": 100e6, "requests_per_user": 40, "peak_factor": 3},
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
        {"questions_per_day": 5e6, "peak_factor": 3, "per_server_qps": 10, "headroom": 0.3},
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
        "peak_tps",
        {"transactions_per_day": 150e6, "peak_factor": 3},
        "Peak transactions per second: 150 M card transactions a day, peak = 3x.",
        "transactions/s",
    ),
    11: Assumptions(
        {
            "daily_active_users": 24e6,
            "actions_per_user_per_day": 1.0,
            "peak_factor": 2.0,
            "latency_ms": 5000.0,
            "per_server_qps": 50.0,
        },
        "posts_per_second",
        {"posts_per_hour": 1e6},
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


# What the worksheet's calculator inputs stand for when they are not users and requests.
WORKSHEET_NOTES = {
    6: "The calculators show the fleet: 1 B phones x 80 unlock attempts a day, each scored "
    "on its own phone.",
    7: "The calculators show one car: its 8 cameras stand in for users and each camera's 30 "
    "frames a second for requests, so peak QPS is frames per second.",
}


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


def pipeline_timing(stage_ms, copies=None) -> tuple[float, float]:
    """(frames per second the pipeline sustains, end-to-end latency in ms).

    Each stage works on a different frame at the same time, so the slowest stage (per copy:
    ``copies[i]`` instances of stage i take turns on alternate frames) sets the throughput;
    a frame still passes through every stage, so the latency is their sum.
    """
    stages = np.asarray(stage_ms, dtype=float)
    if stages.ndim != 1 or stages.size == 0:
        raise ValueError(f"stage_ms must be a non-empty list of milliseconds; got {stage_ms!r}.")
    if not np.all(np.isfinite(stages)) or np.any(stages <= 0):
        raise ValueError(f"stage_ms must hold positive, finite milliseconds; got {stage_ms!r}.")
    units = np.ones_like(stages) if copies is None else np.asarray(copies, dtype=float)
    if units.shape != stages.shape or np.any(units < 1) or np.any(units != np.round(units)):
        raise ValueError(
            f"copies must be one whole number >= 1 per stage ({stages.size}); got {copies!r}."
        )
    return float(np.min(units * 1000.0 / stages)), float(stages.sum())


def impostor_attempts_needed(max_false_accept_rate) -> float:
    """Rule of three: with 0 errors in n trials the 95 % upper bound on the rate is ~3/n."""
    rate = require_number("max_false_accept_rate", max_false_accept_rate, 0, 1, low_inclusive=False)
    return 3.0 / rate


def _inputs(number: int, overrides: dict) -> dict:
    a = ASSUMPTIONS[number]
    allowed = ESTIMATE_INPUTS[a.estimate]
    unknown = sorted(set(overrides) - set(allowed))
    if unknown:
        raise ValueError(
            f"problem {number}'s estimate takes {', '.join(allowed)}; got unknown input(s) "
            f"{unknown}."
        )
    return {name: require_number(name, v, 0, None) for name, v in (a.inputs | overrides).items()}


def reference_estimate(number, **overrides) -> estimates.Estimate:
    """The problem's back-of-envelope estimate from its stated (or overridden) inputs."""
    p = problem(number)
    kind = p.assumptions.estimate
    v = _inputs(p.number, overrides)
    if kind == "peak_qps":
        return estimates.qps(v["daily_users"], v["requests_per_user"], v["peak_factor"])
    if kind == "peak_tps":
        return estimates.qps(v["transactions_per_day"], 1, v["peak_factor"])
    if kind == "memory_bytes":
        return estimates.embedding_memory(v["items"], v["dimensions"], v["bytes_per_value"])
    if kind == "storage_bytes":
        return estimates.storage(v["pages"], v["bytes_per_page"], 1, v["replicas"])
    if kind == "servers":
        load = estimates.qps(v["questions_per_day"], 1, v["peak_factor"])
        return estimates.servers(load.value, v["per_server_qps"], v["headroom"])
    if kind == "impostor_attempts":
        rate = v["max_false_accept_rate"]
        n = impostor_attempts_needed(rate)
        return _simple("Impostor attempts", n, "attempts", f"{n:,.0f} attempts",
                       "3 ÷ target rate (as a fraction)", f"3 ÷ {rate:g} = {n:,.0f}")  # fmt: skip
    if kind == "frame_interval_ms":
        fps = require_number("fps", v["fps"], 0, 1000, low_inclusive=False, unit="frames/s")
        ms = 1000.0 / fps
        return _simple("Frame interval", ms, "ms", f"a frame every {ms:.1f} ms",
                       "1,000 ms ÷ FPS", f"1,000 ÷ {fps:g} = {ms:.1f} ms")  # fmt: skip
    per_s = v["posts_per_hour"] / 3600
    return _simple("Posts per second", per_s, "posts/s", f"{per_s:,.0f} posts/s",
                   "posts per hour ÷ 3,600 s",
                   f"{v['posts_per_hour']:,.0f} ÷ 3,600 = {per_s:.1f}")  # fmt: skip


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


def operating_point_text(point: base_rates.OperatingPoint) -> str:
    """What a detector does each day at its base rate, in two sentences of plain text."""
    count = estimates.format_count
    return (
        f"Precision {100 * point.precision:.1f} %: about {round(100 * point.precision)} of "
        f"every 100 flags are fraud.\n"
        f"Per day: {count(point.flagged_per_day)} flagged = {count(point.caught_per_day)} "
        f"frauds caught + {count(point.false_alarms_per_day)} good ones flagged; "
        f"{count(point.missed_per_day)} frauds missed."
    )


# --- small worked models of the problems' challenges ---------------------------------------


def cold_start_weight(interactions, prior_strength=5.0):
    """Weight of the personal (collaborative) score after ``interactions`` events when it is
    blended with a prior (popularity or content): n / (n + k). Vectorised over ``interactions``.

    The prior's weight k is how many interactions it is worth: with k = 5 one play moves the
    blend a sixth of the way, twenty plays four fifths.
    """
    k = require_number("prior_strength", prior_strength, 0, None, low_inclusive=False)
    n = np.asarray(interactions, dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n < 0):
        raise ValueError(f"interactions must be counts >= 0; got {interactions!r}.")
    return n / (n + k)


def share_missed_before_indexing(delay_h, half_life_h):
    """Share of a new item's lifetime engagement that happens before it can be recommended,
    when engagement decays exponentially with ``half_life_h`` and indexing takes ``delay_h``:
    1 - 2^(-delay / half-life). Vectorised over ``delay_h``."""
    half = require_number("half_life_h", half_life_h, 0, None, low_inclusive=False, unit="h")
    delay = np.asarray(delay_h, dtype=float)
    if np.any(~np.isfinite(delay)) or np.any(delay < 0):
        raise ValueError(f"delay_h must be hours >= 0; got {delay_h!r}.")
    return 1.0 - 2.0 ** (-delay / half)


def mean_recall_between_retrains(recall_after_training, weekly_evasion, retrain_every_weeks):
    """Average recall over a retraining cycle when adversaries evade a share ``weekly_evasion``
    of what the model still catches each week (recall(t) = r0 (1 - e)^t, t in weeks).

    A deliberately simple model of adaptation: it shows why cadence matters, not how fast a
    given adversary adapts (measure that from recall on fresh labels).
    """
    r0 = require_number("recall_after_training", recall_after_training, 0, 1)
    e = require_number("weekly_evasion", weekly_evasion, 0, 1, high_inclusive=False)
    weeks = require_number(
        "retrain_every_weeks", retrain_every_weeks, 0, None, low_inclusive=False, unit="weeks"
    )
    if e == 0:
        return r0
    rate = -math.log(1 - e)
    return r0 * (1 - math.exp(-rate * weeks)) / (rate * weeks)


def prompt_tokens_per_turn(
    turns, tokens_per_exchange=150, system_tokens=500, keep_last=None, summary_tokens=200
) -> np.ndarray:
    """Prompt length (tokens) at each turn of a conversation with a language model.

    Turn k re-reads the system prompt and the history: all k - 1 earlier exchanges, or, with
    ``keep_last``, only the last few verbatim plus a summary of the older ones.
    """
    n = require_int("turns", turns, 1, 10_000)
    per = require_number("tokens_per_exchange", tokens_per_exchange, 0, None)
    system = require_number("system_tokens", system_tokens, 0, None)
    summary = require_number("summary_tokens", summary_tokens, 0, None)
    earlier = np.arange(n, dtype=float)  # exchanges before turn 1, 2, ..., n
    if keep_last is None:
        history = earlier * per
    else:
        window = require_int("keep_last", keep_last, 0, None)
        history = np.minimum(earlier, window) * per + np.where(earlier > window, summary, 0.0)
    return system + history + per
