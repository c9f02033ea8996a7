"""The interview evaluation rubric of guide section 8, as pure functions.

Five dimensions with the guide's weights (problem understanding 20 %, system design 30 %,
ML knowledge 25 %, trade-offs 15 %, communication 10 %). A dimension is scored 0-100 either
directly (a slider) or from evidence: each of its descriptor pairs (an excellent sign and
its poor opposite) is rated ``"excellent"`` (100), ``"not shown"`` (50) or ``"poor"`` (20),
and the dimension score is the mean. A poor sign scores 20, not 0: it is still evidence the
candidate engaged with the topic; 0 is kept for the slider ("never came up").

The total is the weighted mean, out of 100. Hire bands (our choice, stated in the notebook):

- **strong hire** at 80 and above: excellent on most of the heavy dimensions;
- **hire** from 65 up to (not incl.) 80: clearly more excellent signs than gaps;
- **lean no hire** from 50 up to 65: a candidate with no evidence either way scores exactly
  50, so this band means "a few good signs, not enough to vouch for";
- **no hire** below 50: the evidence leans poor.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mlsd.validation import require_choice, require_number


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    weight_pct: float
    excellent: tuple[str, ...]
    poor: tuple[str, ...]  # poor[i] is the opposite of excellent[i]


DIMENSIONS = (
    Dimension(
        "problem_understanding",
        "Problem understanding",
        20,
        (
            "asks sharp clarifying questions",
            "names the key constraints",
            "ties the design to the business",
            "defines a clear success metric",
        ),
        (
            "asks nothing before designing",
            "gets the requirements wrong",
            "jumps straight to a solution",
            "leaves success vague",
        ),
    ),
    Dimension(
        "system_design",
        "System design",
        30,
        (
            "end-to-end architecture",
            "components clearly separated",
            "design that scales",
            "data flow described",
            "monitoring included",
        ),
        (
            "critical components missing",
            "architecture unclear",
            "design that cannot scale",
            "no data flow",
            "no monitoring",
        ),
    ),
    Dimension(
        "ml_knowledge",
        "ML knowledge",
        25,
        (
            "suitable algorithms",
            "several approaches compared",
            "solid fundamentals",
            "training and serving both covered",
            "evaluation metrics named",
        ),
        (
            "unsuitable algorithm",
            "only one approach",
            "shaky fundamentals",
            "training/serving split ignored",
            "no metrics",
        ),
    ),
    Dimension(
        "tradeoffs",
        "Trade-offs",
        15,
        (
            "trade-offs named out loud",
            "pros and cons weighed",
            "decisions justified",
            "several dimensions considered",
            "linked to business impact",
        ),
        (
            "no trade-offs discussed",
            "arbitrary decisions",
            "choices not justified",
            "one-dimensional thinking",
            "business context ignored",
        ),
    ),
    Dimension(
        "communication",
        "Communication",
        10,
        (
            "clear structure",
            "uses diagrams",
            "good pacing",
            "engages the interviewer",
            "summarises key points",
        ),
        (
            "disorganised rambling",
            "no visual aids",
            "too fast or too slow",
            "does not engage",
            "misses key points",
        ),
    ),
)
DIMENSION_BY_KEY = {d.key: d for d in DIMENSIONS}
KEYS = tuple(d.key for d in DIMENSIONS)
WEIGHTS = {d.key: d.weight_pct for d in DIMENSIONS}

RATINGS = ("excellent", "not shown", "poor")
RATING_POINTS = {"excellent": 100.0, "not shown": 50.0, "poor": 20.0}

# (lowest total, band) from the top; a total belongs to the first band whose floor it reaches.
BANDS = ((80.0, "strong hire"), (65.0, "hire"), (50.0, "lean no hire"), (0.0, "no hire"))
BAND_NAMES = tuple(name for _floor, name in BANDS)


def validate_weights(weights: Mapping) -> dict[str, float]:
    """Weights in percent, one per dimension, summing to 100; else ValueError naming it."""
    if not isinstance(weights, Mapping):
        raise ValueError(
            f"weights must be a dict mapping each of {', '.join(KEYS)} to a percentage; "
            f"got {type(weights).__name__}."
        )
    missing = [k for k in KEYS if k not in weights]
    extra = [k for k in weights if k not in KEYS]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unknown {', '.join(map(repr, extra))}")
        raise ValueError(
            f"weights must have exactly the keys {', '.join(KEYS)}; {'; '.join(parts)}."
        )
    out = {k: require_number(f"weights[{k!r}]", weights[k], 0, 100, unit="%") for k in KEYS}
    total = sum(out.values())
    if not math.isclose(total, 100.0, abs_tol=1e-6):
        raise ValueError(f"weights must sum to 100 %; got {total:g} % ({_terms(out)}).")
    return out


def _terms(weights: Mapping) -> str:
    return " + ".join(f"{k} {v:g}" for k, v in weights.items())


def validate_scores(scores: Mapping) -> dict[str, float]:
    """One score in [0, 100] per dimension; else ValueError naming the bad one."""
    if not isinstance(scores, Mapping):
        raise ValueError(
            f"scores must be a dict mapping each of {', '.join(KEYS)} to a score in [0, 100]; "
            f"got {type(scores).__name__}."
        )
    missing = [k for k in KEYS if k not in scores]
    extra = [k for k in scores if k not in KEYS]
    if missing or extra:
        what = "; ".join(
            p
            for p in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(map(repr, extra))}" if extra else "",
            )
            if p
        )
        raise ValueError(f"scores must have exactly the keys {', '.join(KEYS)}; {what}.")
    return {k: require_number(f"scores[{k!r}]", scores[k], 0, 100, unit="points") for k in KEYS}


def weighted_total(scores: Mapping, weights: Mapping | None = None) -> float:
    """The weighted mean of the five dimension scores, out of 100."""
    w = validate_weights(WEIGHTS if weights is None else weights)
    s = validate_scores(scores)
    return sum(s[k] * w[k] for k in KEYS) / 100.0


def hire_band(total) -> str:
    """'strong hire' (>= 80), 'hire' (>= 65), 'lean no hire' (>= 50) or 'no hire'."""
    total = require_number("total", total, 0, 100, unit="points")
    for floor, name in BANDS:
        if total >= floor:
            return name
    raise AssertionError("unreachable: the last band starts at 0")  # pragma: no cover


def rate_dimension(key: str, ratings) -> float:
    """Score a dimension from one rating per descriptor pair (see ``RATINGS``)."""
    key = require_choice("dimension", key, KEYS)
    n = len(DIMENSION_BY_KEY[key].excellent)
    ratings = tuple(ratings)
    if len(ratings) != n:
        raise ValueError(
            f"ratings for {key} must list {n} ratings (one per descriptor pair); "
            f"got {len(ratings)}."
        )
    for i, r in enumerate(ratings):
        require_choice(f"ratings[{i}] of {key}", r, RATINGS)
    return sum(RATING_POINTS[r] for r in ratings) / n


def ratings_from_evidence(key: str, excellent=(), poor=()) -> tuple[str, ...]:
    """Ratings for a dimension from the indices of the signs seen (excellent, poor)."""
    key = require_choice("dimension", key, KEYS)
    n = len(DIMENSION_BY_KEY[key].excellent)
    good, bad = set(excellent), set(poor)
    for name, idx in (("excellent", good), ("poor", bad)):
        for i in idx:
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
                raise ValueError(
                    f"{name} signs of {key} must be indices in [0, {n - 1}]; got {i!r}."
                )
    both = sorted(good & bad)
    if both:
        names = ", ".join(DIMENSION_BY_KEY[key].excellent[i] for i in both)
        raise ValueError(
            f"a sign of {key} cannot be both excellent and poor; pick one for: {names}."
        )
    return tuple(
        "excellent" if i in good else "poor" if i in bad else "not shown" for i in range(n)
    )


@dataclass(frozen=True)
class Evidence:
    """What a candidate said or did, and which descriptor of which dimension it moves."""

    dimension: str
    sign: int  # index of the descriptor pair
    rating: str  # "excellent" or "poor"
    quote: str


def score_evidence(evidence) -> dict[str, float]:
    """Dimension scores from a list of ``Evidence``; unmentioned pairs count as not shown."""
    seen: dict[str, dict[int, str]] = {k: {} for k in KEYS}
    for e in evidence:
        require_choice("evidence dimension", e.dimension, KEYS)
        require_choice("evidence rating", e.rating, ("excellent", "poor"))
        previous = seen[e.dimension].get(e.sign)
        if previous and previous != e.rating:
            raise ValueError(
                f"evidence rates sign {e.sign} of {e.dimension} both excellent and poor."
            )
        seen[e.dimension][e.sign] = e.rating
    out = {}
    for k in KEYS:
        good = [i for i, r in seen[k].items() if r == "excellent"]
        bad = [i for i, r in seen[k].items() if r == "poor"]
        out[k] = rate_dimension(k, ratings_from_evidence(k, good, bad))
    return out


def evidence_effect(e: Evidence, weights: Mapping | None = None) -> tuple[float, float]:
    """How far one piece of evidence moves its dimension and the total, in points, compared
    with the same descriptor pair not shown."""
    require_choice("evidence dimension", e.dimension, KEYS)
    require_choice("evidence rating", e.rating, ("excellent", "poor"))
    w = validate_weights(WEIGHTS if weights is None else weights)
    n = len(DIMENSION_BY_KEY[e.dimension].excellent)
    dimension = (RATING_POINTS[e.rating] - RATING_POINTS["not shown"]) / n
    return dimension, dimension * w[e.dimension] / 100


def _e(dim, sign, rating, quote):
    return Evidence(dim, sign, rating, quote)


# The guide's worked example: an email spam detector. Each line of its summary, in our words,
# tagged with the descriptor it supports.
CANDIDATE_A = (
    _e("problem_understanding", 0, "excellent", "asked how much mail arrives: 10 M a day"),
    _e("problem_understanding", 1, "excellent", "asked the latency bar: under 1 s"),
    _e("problem_understanding", 2, "excellent", "asked how costly a lost real email is"),
    _e("problem_understanding", 3, "excellent", "set the bar: false positives below 0.1 %"),
    _e("system_design", 0, "excellent", "drew the whole path, mail in to verdict out"),
    _e("system_design", 1, "excellent", "separate feature extraction and model serving"),
    _e("system_design", 3, "excellent", "user spam reports flow back as labels"),
    _e("ml_knowledge", 0, "excellent", "gradient boosting suits these tabular signals"),
    _e("ml_knowledge", 1, "excellent", "Naive Bayes baseline first, then boosting"),
    _e("ml_knowledge", 2, "excellent", "explained why an ensemble beats either alone"),
    _e("tradeoffs", 0, "excellent", "compared real-time and batch scoring"),
    _e("tradeoffs", 1, "excellent", "weighed freshness against cost"),
    _e("tradeoffs", 2, "excellent", "chose a hybrid and said why"),
    _e("communication", 0, "excellent", "clear structure, one part at a time"),
    _e("communication", 1, "excellent", "clear diagrams"),
    _e("communication", 2, "excellent", "covered every part in the hour"),
    _e("communication", 3, "excellent", "checked in with the interviewer"),
)
CANDIDATE_B = (
    _e("problem_understanding", 0, "poor", "asked nothing about scale or requirements"),
    _e("system_design", 1, "poor", "a vague box diagram"),
    _e("system_design", 4, "poor", "no monitoring anywhere"),
    _e("ml_knowledge", 1, "poor", "'deep learning', with no alternative and no specifics"),
    _e("tradeoffs", 0, "poor", "no alternatives discussed"),
    _e("tradeoffs", 2, "poor", "the one choice made was not justified"),
    _e("communication", 0, "poor", "disorganised"),
    _e("communication", 1, "poor", "no diagrams"),
)
GUIDE_EXAMPLES = {"Candidate A (strong)": CANDIDATE_A, "Candidate B (weak)": CANDIDATE_B}


# ---------------------------------------------------------------- self-assessment log ---
CSV_COLUMNS = ("timestamp", "problem", *KEYS, "total", "band")
DEFAULT_CSV = "self_assessment.csv"


def assessment_row(problem: str, scores: Mapping, when: dt.datetime | None = None) -> dict:
    """One row of the self-assessment log: the scores, their total and band."""
    if not isinstance(problem, str) or not problem.strip():
        raise ValueError(f"problem must be a non-empty name, e.g. 'news feed'; got {problem!r}.")
    s = validate_scores(scores)
    total = weighted_total(s)
    when = when or dt.datetime.now(dt.UTC)
    return {
        "timestamp": when.isoformat(timespec="seconds"),
        "problem": problem.strip(),
        **s,
        "total": round(total, 2),
        "band": hire_band(total),
    }


def resolve_csv(path=None) -> Path:
    """The log's path: ``path`` if given, else ``self_assessment.csv`` in the working folder."""
    target = Path.cwd() / DEFAULT_CSV if path is None else Path(path)
    if target.suffix.lower() != ".csv":
        raise ValueError(f"path must end in .csv; got {str(target)!r}.")
    return target


def append_assessment(path, row: Mapping) -> Path:
    """Append ``row`` to the CSV at ``path`` (header written when the file is new)."""
    target = resolve_csv(path)
    new = not target.exists() or target.stat().st_size == 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow({c: row[c] for c in CSV_COLUMNS})
    return target


def load_assessments(path=None) -> list[dict]:
    """Rows of the log, oldest first (an empty list when there is no file yet)."""
    target = resolve_csv(path)
    if not target.exists():
        return []
    with target.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None:
            return []
        if tuple(reader.fieldnames) != CSV_COLUMNS:
            raise ValueError(
                f"{target} is not a self-assessment log: its columns are {reader.fieldnames}, "
                f"expected {list(CSV_COLUMNS)}."
            )
        rows = []
        for row in reader:
            for k in (*KEYS, "total"):
                row[k] = float(row[k])
            rows.append(row)
    return rows


# A short transcript for the scoring exercise (a music-streaming recommender). Its reference
# scores live only in the notebook's hidden tests, so the package does not give them away.
TRANSCRIPT_C = """\
Interviewer: Design song recommendations for a music-streaming app.
Candidate C: How many listeners, and how fast must the home screen load?
Interviewer: About 5 M daily listeners; the row must render within 200 ms.
Candidate C: And success would be... more engagement, I suppose. Let me draw it.
  [draws: listening logs -> nightly candidate generation -> ranking service -> app,
   with plays and skips logged back into the logs]
Candidate C: Candidates come from a two-tower model; new users get a popularity list
  instead. A gradient-boosted ranker orders the candidates.
Interviewer: How do you know it works?
Candidate C: We'd see users listening more.
Interviewer: Batch or real-time scoring?
Candidate C: Real-time, because it's better.
  [at 50 minutes the candidate is still on the ranker's features; no summary at the end]
"""
# Tolerance of the scoring exercise: the total within this many points of the reference,
# and every dimension within DIMENSION_TOLERANCE of its reference score.
TOTAL_TOLERANCE = 7.0
DIMENSION_TOLERANCE = 20.0
