"""Guide section 9, the seven common mistakes: a spot-the-mistake quiz (each excerpt with the
notes a reviewer writes about it, and the checklist that turns notes into a mistake), the
phased plan against over-engineering, and numbers with units: a detector that flags
implausible values, and requirement statements checked against a system's spec.

The time-management mistake has its own module, ``mlsd.timeline``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral

MISTAKES = {
    "jumping_to_solution": "Jumping to a solution too quickly",
    "over_engineering": "Over-engineering",
    "ignoring_non_ml": "Ignoring the non-ML components",
    "no_numbers": "No numbers or specifics",
    "forgetting_production": "Forgetting about production",
    "ignoring_edge_cases": "Not considering edge cases",
    "poor_time_management": "Poor time management",
}
CHOICES = (*MISTAKES, "none")


# What a reviewer notes about an answer excerpt: observable facts, not verdicts.
PARTS = ("data", "features", "model", "serving", "monitoring", "experiments", "feedback")
NOTE_FIELDS = {
    "minute": "minute of the 60-minute interview when it was said",
    "questions_asked": "clarifying questions asked by then (this excerpt included)",
    "names_model": "the excerpt names a model or an algorithm",
    "users": "users of the product, from the prompt (None when unknown)",
    "phase": "complexity proposed: 1 popularity or rules, 2 classic ML (collaborative "
    "filtering, boosted trees), 3 deep networks or GPU clusters (None when none)",
    "parts": "parts of the system covered so far, from PARTS",
    "whole_design": "the excerpt is the candidate's whole answer to a design question",
    "vague_words": "requirement words with no number: fast, a lot, accurate...",
    "numbers": "numbers with units stated",
    "ships_on_offline_metric": "declares the work done on an offline metric",
    "happy_path_only": "assumes clean data, users with history, no attackers, no outages",
}


@dataclass(frozen=True)
class Excerpt:
    id: str
    prompt: str
    text: str
    answer: str  # a key of MISTAKES, or "none"
    explanation: str
    notes: dict  # keys NOTE_FIELDS: what a reviewer writes down about the excerpt


def _notes(
    minute,
    questions_asked=0,
    names_model=False,
    users=None,
    phase=None,
    parts=(),
    whole_design=False,
    vague_words=0,
    numbers=0,
    ships_on_offline_metric=False,
    happy_path_only=False,
) -> dict:
    return {
        "minute": minute, "questions_asked": questions_asked, "names_model": names_model,
        "users": users, "phase": phase, "parts": list(parts), "whole_design": whole_design,
        "vague_words": vague_words, "numbers": numbers,
        "ships_on_offline_metric": ships_on_offline_metric, "happy_path_only": happy_path_only,
    }  # fmt: skip


# Answer excerpts written for this workbook; each illustrates one mistake (or none).
EXCERPTS = (
    Excerpt(
        "E1",
        "What are the requirements?",
        "It has to be fast, handle a lot of traffic and be really accurate.",
        "no_numbers",
        "Fast, a lot, really accurate: none can be designed for or tested. Say p99 latency, "
        "QPS and a metric with a target.",
        _notes(3, vague_words=3),
    ),
    Excerpt(
        "E2",
        "Design a search ranker.",
        "Before I draw anything: how many queries a second, what latency budget, and do we "
        "have click logs or human relevance labels?",
        "none",
        "Clarifying scale, latency and the labels available before designing: exactly "
        "the right start.",
        _notes(1, questions_asked=3),
    ),
    Excerpt(
        "E3",
        "Recommend products for a shop with 8,000 customers.",
        "We'll pretrain a billion-parameter model on a GPU cluster and serve it from "
        "several regions behind a service mesh.",
        "over_engineering",
        "8 K customers need popularity lists or collaborative filtering first; the cluster "
        "costs months and beats a simple baseline by nothing you could measure.",
        _notes(6, questions_asked=2, names_model=True, users=8_000, phase=3),
    ),
    Excerpt(
        "E4",
        "(Forty minutes into a sixty-minute interview.)",
        "...so that's the third variant of the attention layer. I haven't drawn the serving "
        "side yet; let me go through the loss function first.",
        "poor_time_management",
        "Forty minutes on model internals leaves twenty for everything else: the "
        "architecture, trade-offs and wrap-up will be rushed.",
        _notes(40, questions_asked=4, names_model=True, phase=3, parts=["model"]),
    ),
    Excerpt(
        "E5",
        "Design a news-feed ranker.",
        "Right, I'd use a two-tower model with in-batch negatives, then a transformer "
        "re-ranker on top. Let me start with the embedding sizes.",
        "jumping_to_solution",
        "Model choices in the first sentence, with no question about users, latency or the "
        "feedback available: the design may solve the wrong problem.",
        _notes(1, names_model=True, phase=3),
    ),
    Excerpt(
        "E6",
        "How would you launch it?",
        "Shadow mode for a week, then a 5 % canary with automatic rollback if p99 or the "
        "complaint rate crosses its alert line, then a two-week A/B test.",
        "none",
        "Deployment, monitoring and rollback: production thinking, not only accuracy.",
        _notes(50, questions_asked=4, numbers=2, parts=PARTS[:6]),
    ),
    Excerpt(
        "E7",
        "Design a movie recommender.",
        "Every user has rated dozens of films, so matrix factorisation covers everyone and "
        "the ratings are always clean.",
        "ignoring_edge_cases",
        "New users and new films have no ratings (cold start), most matrices are sparse, "
        "and ratings get spammed: only the happy path was designed.",
        _notes(
            12,
            questions_asked=2,
            names_model=True,
            phase=2,
            parts=["data", "model"],
            happy_path_only=True,
        ),
    ),
    Excerpt(
        "E8",
        "You have a model with 0.94 AUC. What next?",
        "Then we're done: 0.94 AUC offline is excellent, so we ship it.",
        "forgetting_production",
        "No deployment plan, A/B test, monitoring, drift detection or rollback: production "
        "ML is about keeping it reliable after launch.",
        _notes(
            38,
            questions_asked=3,
            parts=["data", "features", "model", "serving"],
            ships_on_offline_metric=True,
        ),
    ),
    Excerpt(
        "E9",
        "Any requirements you want to state?",
        "p99 under 80 ms at 12 K QPS peak, and precision of at least 95 % at 80 % recall on "
        "last month's labelled traffic.",
        "none",
        "Latency, load and quality, each with a number and a unit, and a way to check it.",
        _notes(6, questions_asked=3, numbers=4),
    ),
    Excerpt(
        "E10",
        "Design a fraud detector.",
        "The heart is a gradient-boosted model with 300 trees, depth 8, learning rate 0.05, "
        "and these forty features... (and the whole answer stays on the model).",
        "ignoring_non_ml",
        "Nothing on data collection, the feature pipeline, serving, alerts, A/B tests or "
        "the feedback loop from chargebacks: the model is a small part of the system.",
        _notes(
            15, questions_asked=2, names_model=True, phase=2, parts=["model"], whole_design=True
        ),
    ),
)
EXCERPT_BY_ID = {e.id: e for e in EXCERPTS}


@dataclass(frozen=True)
class QuizFeedback:
    id: str
    given: object
    correct: bool
    text: str


def _label(choice: str) -> str:
    return MISTAKES.get(choice, "no mistake")


def classify(excerpt_id: str, choice) -> QuizFeedback:
    """Feedback on one answer; an explanation whether it is right or wrong."""
    if excerpt_id not in EXCERPT_BY_ID:
        raise ValueError(
            f"excerpt_id must be one of {', '.join(EXCERPT_BY_ID)}; got {excerpt_id!r}."
        )
    if choice not in CHOICES:
        raise ValueError(
            f"the answer for {excerpt_id} must be one of {', '.join(map(repr, CHOICES))}; "
            f"got {choice!r}."
        )
    e = EXCERPT_BY_ID[excerpt_id]
    if choice == e.answer:
        return QuizFeedback(e.id, choice, True, f"✓ {_label(choice)}. {e.explanation}")
    return QuizFeedback(
        e.id,
        choice,
        False,
        f"✗ you chose “{_label(choice)}”, but this excerpt shows: {_label(e.answer)}. "
        f"{e.explanation}",
    )


def quiz_score(answers: Mapping) -> int:
    """How many excerpts the answers classify correctly (unknown or missing count 0)."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers must be a dict of excerpt id -> choice; got {answers!r}.")
    return sum(answers.get(e.id) == e.answer for e in EXCERPTS)


def validate_notes(notes) -> dict:
    """A reviewer's notes with every field of ``NOTE_FIELDS`` and sane values."""
    if not isinstance(notes, Mapping):
        raise ValueError(f"notes must be a dict with the keys {', '.join(NOTE_FIELDS)}; got "
                         f"{type(notes).__name__}.")  # fmt: skip
    missing = [k for k in NOTE_FIELDS if k not in notes]
    if missing:
        raise ValueError(f"notes are missing {', '.join(missing)}.")
    for key in ("minute", "questions_asked", "vague_words", "numbers"):
        v = notes[key]
        if isinstance(v, bool) or not isinstance(v, Integral) or v < 0:
            raise ValueError(f"notes['{key}'] must be a whole number >= 0; got {v!r}.")
    if notes["phase"] not in (None, 1, 2, 3):
        raise ValueError(f"notes['phase'] must be 1, 2, 3 or None; got {notes['phase']!r}.")
    users = notes["users"]
    if users is not None and (isinstance(users, bool) or not isinstance(users, Integral)):
        raise ValueError(f"notes['users'] must be a whole number or None; got {users!r}.")
    unknown = [x for x in notes["parts"] if x not in PARTS]
    if unknown:
        raise ValueError(f"notes['parts'] must come from {', '.join(PARTS)}; got {unknown}.")
    return dict(notes)


def notes_summary(notes) -> str:
    """The notes in one readable line, as the quiz shows them under an excerpt."""
    n = validate_notes(notes)
    bits = [f"minute {n['minute']}", f"{n['questions_asked']} question(s) asked"]
    if n["names_model"]:
        bits.append("names a model")
    if n["users"] is not None:
        bits.append(f"{n['users']:,} users")
    if n["phase"] is not None:
        bits.append(f"proposes phase {n['phase']}")
    bits.append(f"parts: {', '.join(n['parts']) or 'none yet'}")
    if n["whole_design"]:
        bits.append("whole design")
    if n["vague_words"]:
        bits.append(f"{n['vague_words']} vague word(s)")
    bits.append(f"{n['numbers']} number(s) with units")
    if n["ships_on_offline_metric"]:
        bits.append("ships on an offline metric")
    if n["happy_path_only"]:
        bits.append("happy path only")
    return " · ".join(bits)


def mistake_from_notes(notes) -> str:
    """The reviewer's checklist: the mistake a set of notes shows, or 'none'.

    Each rule is the observable core of one mistake (the excerpts show at most one):
    past half time with no path to the user drawn (poor time management); a model named
    before any clarifying question (jumping to a solution); more complexity than the users
    justify (over-engineering); a whole design that covers only the model (ignoring the
    non-ML parts); vague requirement words and no number (no numbers); done on an offline
    metric with no monitoring and no experiment (forgetting production); only the happy path
    (ignoring edge cases).
    """
    n = validate_notes(notes)
    if n["minute"] >= 30 and "serving" not in n["parts"]:
        return "poor_time_management"
    if n["names_model"] and n["questions_asked"] == 0:
        return "jumping_to_solution"
    if n["phase"] is not None and n["users"] is not None and n["phase"] > choose_phase(n["users"]):
        return "over_engineering"
    if n["whole_design"] and set(n["parts"]) <= {"model"}:
        return "ignoring_non_ml"
    if n["vague_words"] > 0 and n["numbers"] == 0:
        return "no_numbers"
    if n["ships_on_offline_metric"] and not {"monitoring", "experiments"} & set(n["parts"]):
        return "forgetting_production"
    if n["happy_path_only"]:
        return "ignoring_edge_cases"
    return "none"


# --------------------------------------------------------------- over-engineering ---
@dataclass(frozen=True)
class Phase:
    number: int
    name: str
    approach: str
    from_users: int  # the phase fits from this many users (our thresholds)


PHASES = (
    Phase(1, "Popularity", "most popular items, no ML", 0),
    Phase(2, "Collaborative filtering", "simple ML on the user-item matrix", 1_000),
    Phase(3, "Neural network", "deep models, only if the data and the gain justify it", 1_000_000),
)


def choose_phase(users) -> int:
    """The phase to start with at this many users: 1 below 1,000, 2 below 1 M, else 3."""
    if isinstance(users, bool) or not isinstance(users, Integral):
        raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
    if users < 0:
        raise ValueError(f"users must be a whole number >= 0; got {users}.")
    for phase in reversed(PHASES):
        if users >= phase.from_users:
            return phase.number
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------- no numbers ---
_NUM = r"(?<![\w.])\d+(?:[.,]\d+)*\s*(?:[kKmMbB](?![a-zA-Z])|thousand|million|billion)?"
UNIT_PATTERNS = {
    "latency": re.compile(
        _NUM + r"\s*(?:ms|milliseconds?|µs|us|s|secs?|seconds?|minutes?|min)\b", re.I
    ),
    "scale": re.compile(
        _NUM + r"\s*(?:[a-z-]+\s+){0,2}?"
        r"(?:qps|rps|requests?(?:\s*(?:/|per)\s*(?:s|sec|second|day))?|users?|"
        r"dau|mau|customers?|items?|examples?|events?|rows?|queries|documents?|images?|"
        r"[kmgtp]b|bytes?|transactions?)\b",
        re.I,
    ),
    "accuracy": re.compile(
        r"(?:"
        + _NUM
        + r"\s*(?:%|percent)|(?:auc|ndcg(?:@\d+)?|f1|map)\s*(?:of|=|:|at)?\s*0?\.\d+)",
        re.I,
    ),
}
KINDS = tuple(UNIT_PATTERNS)


def quantities(statement: str, kind: str) -> list[str]:
    """Every number-with-unit of ``kind`` ('latency', 'scale', 'accuracy') in the text."""
    if not isinstance(statement, str):
        raise ValueError(f"statement must be text; got {type(statement).__name__}.")
    if kind not in UNIT_PATTERNS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")
    return [m.group(0).strip() for m in UNIT_PATTERNS[kind].finditer(statement)]


def missing_numbers(statements: Mapping) -> dict[str, str]:
    """For each kind whose statement has no number with a unit, the reason; {} if all do."""
    if not isinstance(statements, Mapping):
        raise ValueError(
            f"statements must be a dict with keys {', '.join(KINDS)}; got "
            f"{type(statements).__name__}."
        )
    out = {}
    units = {
        "latency": "a time unit (ms or s)",
        "scale": "a unit of load or size (QPS, users, TB, examples)",
        "accuracy": "a percentage or a metric value (95 %, AUC 0.9)",
    }
    for kind in KINDS:
        text = statements.get(kind)
        if not isinstance(text, str) or not text.strip():
            out[kind] = "no statement given"
        elif not quantities(text, kind):
            bare = re.search(r"\d", text)
            out[kind] = (
                f"has a number but not with {units[kind]}"
                if bare
                else f"has no number: add one with {units[kind]}"
            )
    return out


# ------------------------------------------------- numbers: values, plausibility, specs ---
_VALUE = r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*([kKmMbB](?![a-zA-Z])|thousand|million|billion)?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
_TIME_UNITS = {"ms": 1.0, "millisecond": 1.0, "milliseconds": 1.0, "µs": 1e-3, "us": 1e-3,
               "s": 1e3, "sec": 1e3, "secs": 1e3, "second": 1e3, "seconds": 1e3,
               "min": 6e4, "minute": 6e4, "minutes": 6e4}  # fmt: skip
_LATENCY = re.compile(_VALUE + r"\s*(ms|milliseconds?|µs|us|s|secs?|seconds?|minutes?|min)\b", re.I)
_RATE = re.compile(
    _VALUE + r"\s*(?:qps|rps|req/s|requests?\s*(?:/|per)\s*s(?:ec(?:ond)?)?|"
    r"queries\s*(?:/|per)\s*s(?:ec(?:ond)?)?)\b",
    re.I,
)
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:%|percent)", re.I)
_PERCENTILE = re.compile(r"\bp\s?(50|75|90|95|99(?:\.9+)?)\b|\b(50|75|90|95|99(?:\.9+)?)(?:st|th)"
                         r"[- ]percentile\b", re.I)  # fmt: skip
_METRIC_WORDS = re.compile(
    r"\b(precision|recall|accuracy|auc|ndcg|map|mrr|f1|ctr|click-through|conversion|"
    r"error|mae|rmse|hit rate|acceptance|resolution|detection|false positive|fpr|tpr)\b",
    re.I,
)
# Ranges a senior engineer would accept without a second look, for a user-facing request.
PLAUSIBLE = {
    "latency_ms": (5.0, 60_000.0),  # a page or API call over a network: not 1 ms, not hours
    "users": (100.0, 1e10),  # fewer than 100 users is no scale requirement
    "qps": (1.0, 1e8),
}


def _number(value: str, scale: str | None) -> float:
    return float(value.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def latencies_ms(statement: str) -> list[float]:
    """Every time in the text, in milliseconds ('150 ms' -> 150, '0.2 s' -> 200)."""
    return [_number(v, k) * _TIME_UNITS[u.lower()] for v, k, u in _LATENCY.findall(str(statement))]


def percentiles(statement: str) -> list[float]:
    """Every latency percentile named ('p99', 'p95', '99th percentile')."""
    return [float(a or b) for a, b in _PERCENTILE.findall(str(statement))]


def rates_qps(statement: str) -> list[float]:
    """Every request rate in the text, per second ('69 K QPS' -> 69000)."""
    return [_number(v, k) for v, k in _RATE.findall(str(statement))]


def percentages(statement: str) -> list[float]:
    """Every percentage in the text ('30 %' -> 30.0)."""
    return [float(v) for v in _PERCENT.findall(str(statement))]


def implausible(kind: str, statement: str) -> list[str]:
    """Why the numbers of a statement are not believable for a user-facing ML system ([] if
    they are): a p99 of 1 ms for a page, one user as a scale, a percentage with no metric."""
    if kind not in UNIT_PATTERNS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")
    text = str(statement)
    reasons = []
    if kind == "latency":
        lo, hi = PLAUSIBLE["latency_ms"]
        for ms in latencies_ms(text):
            if not lo <= ms <= hi:
                reasons.append(
                    f"{ms:g} ms is not a plausible latency for a user-facing request "
                    f"(expect {lo:g} ms to {hi / 1000:g} s: a network round trip alone takes "
                    "milliseconds)."
                )
    elif kind == "scale":
        users = [
            _number(v, k)
            for v, k in re.findall(
                _VALUE + r"\s*(?:[a-z-]+\s+){0,2}?(?:users?|dau|mau|customers?)\b", text, re.I
            )  # fmt: skip
        ]
        for u in users:
            if u < PLAUSIBLE["users"][0]:
                reasons.append(f"{u:g} user(s) is no scale requirement: state the real audience.")
        for q in rates_qps(text):
            if not PLAUSIBLE["qps"][0] <= q <= PLAUSIBLE["qps"][1]:
                reasons.append(f"{q:g} QPS is outside any plausible load (1 to 100 M).")
    elif percentages(text) and not _METRIC_WORDS.search(text):
        reasons.append(
            "a percentage with no metric named: say which metric (precision, recall, NDCG, "
            "CTR...) and its target."
        )
    return reasons


# A system spec for the requirements exercise: plain data the learner's function receives.
SPEC_FIELDS = {
    "product": "what is served, in words",
    "daily_active_users": "users a day",
    "requests_per_user_per_day": "requests each user makes a day",
    "peak_to_average": "peak traffic / average traffic",
    "latency_percentile": "the percentile the latency budget holds at (e.g. 99)",
    "latency_budget_ms": "the latency budget at that percentile, in ms",
    "metric": "the offline quality metric",
    "baseline_pct": "the metric today, in %",
    "target_pct": "the metric to reach, in %",
}
VIDEO_SPEC = {
    "product": "video streaming home-page row",
    "daily_active_users": 100_000_000,
    "requests_per_user_per_day": 20,
    "peak_to_average": 3,
    "latency_percentile": 99,
    "latency_budget_ms": 150,
    "metric": "recall@50",
    "baseline_pct": 30,
    "target_pct": 33,
}


def validate_spec(spec) -> dict:
    """A spec with every field of ``SPEC_FIELDS`` and positive numbers; else ValueError."""
    if not isinstance(spec, Mapping):
        raise ValueError(f"spec must be a dict with the keys {', '.join(SPEC_FIELDS)}; got "
                         f"{type(spec).__name__}.")  # fmt: skip
    missing = [k for k in SPEC_FIELDS if k not in spec]
    if missing:
        raise ValueError(f"spec is missing {', '.join(missing)}.")
    for k in SPEC_FIELDS:
        if k in ("product", "metric"):
            continue
        v = spec[k]
        if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0:
            raise ValueError(f"spec['{k}'] must be a number > 0; got {v!r}.")
    return dict(spec)


def peak_qps(spec) -> float:
    """Peak requests a second: users x requests per user / 86,400 s x peak-to-average."""
    s = validate_spec(spec)
    return s["daily_active_users"] * s["requests_per_user_per_day"] / 86_400 * s["peak_to_average"]


def statement_issues(statements: Mapping) -> dict[str, list[str]]:
    """For each kind, what a reviewer would push back on ({} when nothing): no number with
    its unit, a latency with no percentile, or a value that is not plausible."""
    out: dict[str, list[str]] = {k: [why] for k, why in missing_numbers(statements).items()}
    for kind in KINDS:
        if kind in out:
            continue
        issues = implausible(kind, statements[kind])
        if kind == "latency" and not percentiles(statements[kind]):
            issues.insert(0, "no percentile: say p95 or p99 (an average hides the slow tail).")
        if issues:
            out[kind] = issues
    return out
