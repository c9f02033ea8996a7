"""The interview evaluation rubric of guide section 8, as pure functions.

Five dimensions with the guide's weights (problem understanding 20 %, system design 30 %,
ML knowledge 25 %, trade-offs 15 %, communication 10 %). A dimension is scored 0-100 either
directly (a slider) or from evidence: each of its descriptor pairs (an excellent sign and
its poor opposite) is rated ``"excellent"`` (100), ``"not shown"`` (50) or ``"poor"`` (20),
and the dimension score is the mean. A poor sign scores 20, not 0: it is still evidence the
candidate engaged with the topic; 0 is kept for the slider ("never came up").

The total is the weighted mean, out of 100. The weights are the guide's heuristic, not a
formula any company publishes: real loops judge holistically, per level, in a debrief or
hiring committee. What the weighted total is good for is self-assessment: seeing where an
answer is weakest and which gap costs the most. Hire bands (our choice, stated in the
notebook):

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


def practice_gains(scores: Mapping, bar: float = 80.0, weights: Mapping | None = None):
    """Points of the weighted total each dimension would add if raised to ``bar``.

    Returns ``[(key, gain), ...]`` sorted by gain, largest first, dimensions at or above the
    bar left out. The same rule an engineer uses to pick which slice of a model to fix first:
    impact = weight (traffic share) x gap (how far below the target), not the lowest score.
    """
    bar = require_number("bar", bar, 0, 100, unit="points")
    w = validate_weights(WEIGHTS if weights is None else weights)
    s = validate_scores(scores)
    gains = [(k, w[k] * (bar - s[k]) / 100) for k in KEYS if s[k] < bar]
    return sorted(gains, key=lambda kg: (-kg[1], KEYS.index(kg[0])))


def recent_scores(rows, last: int = 3) -> dict[str, float] | None:
    """Mean of each dimension over the ``last`` attempts of a log (``load_assessments``
    rows, oldest first); None when the log is empty. One attempt is noisy: a few smooth it."""
    last = int(require_number("last", last, 1, 1000))
    rows = list(rows)[-last:]
    if not rows:
        return None
    return {k: sum(float(r[k]) for r in rows) / len(rows) for k in KEYS}


# ------------------------------------------------------------- scoring a transcript ---
# A transcript for the scoring exercise is plain data: a list of turns, each a dict with
#   "who":    "interviewer" or "candidate",
#   "minute": minutes since the start,
#   "says":   what was said (shown to the learner; the rules never read it),
#   "raises": (interviewer) [[dimension, pair], ...] the descriptor pairs the question asks about,
#   "signs":  (candidate)   [[dimension, pair, rating], ...] what the turn shows on each pair,
#             rating "excellent" or "poor", taken on its own.
# The rater's rules (``score_turns``) then decide what each pair is worth.
WHO = ("interviewer", "candidate")
PROMPTED_CREDIT = RATING_POINTS["not shown"]  # a good answer the interviewer had to ask for


def validate_turns(turns) -> list[dict]:
    """Each turn well formed (see the comment above); else ValueError naming the turn."""
    if isinstance(turns, str | bytes | Mapping) or not hasattr(turns, "__iter__"):
        raise ValueError(f"turns must be a list of dicts (one per turn); got {turns!r:.60}.")
    out = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, Mapping):
            raise ValueError(f"turns[{i}] must be a dict; got {type(turn).__name__}.")
        who = require_choice(f"turns[{i}]['who']", turn.get("who"), WHO)
        require_number(f"turns[{i}]['minute']", turn.get("minute"), 0, 180, unit="min")
        key, width = ("raises", 2) if who == "interviewer" else ("signs", 3)
        items = turn.get(key, [])
        if isinstance(items, str | bytes) or not hasattr(items, "__iter__"):
            raise ValueError(f"turns[{i}]['{key}'] must be a list; got {items!r}.")
        for item in items:
            if isinstance(item, str | bytes) or len(item) != width:
                raise ValueError(
                    f"turns[{i}]['{key}'] items must be "
                    f"{'[dimension, pair]' if width == 2 else '[dimension, pair, rating]'}; "
                    f"got {item!r}."
                )
            dim = require_choice(f"turns[{i}] dimension", item[0], KEYS)
            n = len(DIMENSION_BY_KEY[dim].excellent)
            pair = item[1]
            if isinstance(pair, bool) or not isinstance(pair, int) or not 0 <= pair < n:
                raise ValueError(
                    f"turns[{i}] pair of {dim} must be an index in [0, {n - 1}]; got {pair!r}."
                )
            if width == 3:
                require_choice(f"turns[{i}] rating", item[2], ("excellent", "poor"))
        out.append(turn)
    return out


def pair_ratings(turns, prompted_credit: float = PROMPTED_CREDIT) -> dict[str, list[float]]:
    """Points for every descriptor pair of every dimension under the calibrated rater's rules:

    1. a pair the candidate never touched is *not shown* (50);
    2. the candidate's **last** word on a pair counts: a mistake put right later is credited,
       a good start undone later is not;
    3. *excellent* earns 100 only if the candidate showed it before any interviewer question
       raised that pair; a good answer to the interviewer's question earns ``prompted_credit``
       (50 by default: the interviewer did that part of the job);
    4. *poor* earns 20, prompted or not.
    """
    credit = require_number("prompted_credit", prompted_credit, 0, 100, unit="points")
    raised: set[tuple[str, int]] = set()
    unprompted_excellent: set[tuple[str, int]] = set()
    last: dict[tuple[str, int], str] = {}
    for turn in validate_turns(turns):
        if turn["who"] == "interviewer":
            raised.update((d, p) for d, p in turn.get("raises", []))
            continue
        for d, p, rating in turn.get("signs", []):
            if rating == "excellent" and (d, p) not in raised:
                unprompted_excellent.add((d, p))
            last[(d, p)] = rating
    points = {}
    for dim in DIMENSIONS:
        row = []
        for p in range(len(dim.excellent)):
            rating = last.get((dim.key, p))
            if rating is None:
                row.append(RATING_POINTS["not shown"])
            elif rating == "poor":
                row.append(RATING_POINTS["poor"])
            else:
                row.append(
                    RATING_POINTS["excellent"] if (dim.key, p) in unprompted_excellent else credit
                )
        points[dim.key] = row
    return points


def score_turns(turns, prompted_credit: float = PROMPTED_CREDIT) -> dict[str, float]:
    """The five dimension scores of a transcript (mean of ``pair_ratings`` per dimension)."""
    return {k: sum(v) / len(v) for k, v in pair_ratings(turns, prompted_credit).items()}


def pair_table() -> str:
    """Every dimension's descriptor pairs, numbered as transcripts refer to them."""
    lines = []
    for d in DIMENSIONS:
        lines.append(f"{d.key} ({d.weight_pct:g} %, {len(d.excellent)} pairs):")
        pairs = enumerate(zip(d.excellent, d.poor, strict=True))
        lines += [f"  {i}: {good}  /  {bad}" for i, (good, bad) in pairs]
    return "\n".join(lines)


def transcript_text(turns) -> str:
    """The transcript as a learner reads it: one line per turn, minute and speaker first."""
    lines = []
    for turn in validate_turns(turns):
        who = "Interviewer" if turn["who"] == "interviewer" else "Candidate"
        lines.append(f"[{turn['minute']:>2} min] {who}: {turn['says']}")
    return "\n".join(lines)


def _turn(who, minute, says, *items):
    key = "raises" if who == "interviewer" else "signs"
    return {"who": who, "minute": minute, "says": says, key: [list(i) for i in items]}


# Candidate C (a music-streaming recommender), the visible transcript of the scoring exercise.
# Its hidden twin lives only in the notebook's hidden tests.
TRANSCRIPT_C_TURNS = (
    _turn("interviewer", 0, "Design song recommendations for a music-streaming app."),
    _turn(
        "candidate", 1, "How many listeners, and how fast must the home screen load?",
        ("problem_understanding", 0, "excellent"), ("problem_understanding", 1, "excellent"),
    ),
    _turn("interviewer", 2, "About 5 M daily listeners; the row must render within 200 ms."),
    _turn(
        "candidate", 3, "And success would be... more engagement, I suppose. Let me draw it.",
        ("problem_understanding", 3, "poor"),
    ),
    _turn(
        "candidate", 5,
        "[draws, in order: listening logs -> nightly candidate generation -> ranking service "
        "-> app, with plays and skips logged back into the logs]",
        ("system_design", 0, "excellent"), ("system_design", 1, "excellent"),
        ("system_design", 3, "excellent"), ("communication", 0, "excellent"),
        ("communication", 1, "excellent"),
    ),
    _turn(
        "candidate", 14,
        "Candidates come from a two-tower model; new users get a popularity list instead. "
        "A gradient-boosted ranker orders the candidates.",
        ("ml_knowledge", 0, "excellent"), ("ml_knowledge", 1, "excellent"),
    ),
    _turn(
        "interviewer", 26, "What would the business measure to call this a success?",
        ("problem_understanding", 2), ("problem_understanding", 3),
    ),
    _turn(
        "candidate", 27,
        "Listening hours per user, and whether new subscribers still listen after 30 days.",
        ("problem_understanding", 2, "excellent"), ("problem_understanding", 3, "excellent"),
    ),
    _turn("interviewer", 30, "And offline, before launch?", ("ml_knowledge", 4)),
    _turn("candidate", 31, "We'd see users listening more.", ("ml_knowledge", 4, "poor")),
    _turn(
        "interviewer", 33, "Batch or real-time scoring? What do you gain and lose?",
        ("tradeoffs", 0), ("tradeoffs", 1),
    ),
    _turn(
        "candidate", 34, "Real-time, because it's better.",
        ("tradeoffs", 0, "poor"), ("tradeoffs", 1, "poor"), ("tradeoffs", 2, "poor"),
    ),
    _turn("interviewer", 37, "Will it hold up at 5 M listeners?", ("system_design", 2)),
    _turn(
        "candidate", 38,
        "Yes: candidates are precomputed nightly and cached per user, so online we only rank "
        "about 500 songs, and the ranking servers scale out behind a load balancer.",
        ("system_design", 2, "excellent"),
    ),
    _turn(
        "candidate", 50,
        "[still on the ranker's features at minute 50: no monitoring drawn, no summary]",
        ("system_design", 4, "poor"), ("communication", 2, "poor"),
        ("communication", 4, "poor"),
    ),
)  # fmt: skip
TRANSCRIPT_C = transcript_text(TRANSCRIPT_C_TURNS)

# Tolerances of the scoring exercise: each dimension within 10 points of the reference rater
# and the weighted total within 5. That absorbs a rater who gives a prompted answer a little
# more than "not shown" (up to about 60) but not one who credits the interviewer's questions
# to the candidate (+12.5 to +37.5 on a dimension in the transcripts used), keeps a first
# word instead of the last, or scores every transcript alike.
DIMENSION_TOLERANCE = 10.0
TOTAL_TOLERANCE = 5.0
