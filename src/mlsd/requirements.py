"""Clarifying questions (guide section 7, tip 1) as a record later cells can read.

The guide groups the questions to ask in the first five minutes into four groups: scale,
requirements, ML-specific and business. ``QUESTIONS`` lists them with the field of
:class:`Requirements` each answer fills; ``None`` means "not asked yet", and
``open_questions`` names what is still missing, so the calculators can start from the record.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from mlsd.validation import require_choice, require_number

GROUPS = ("Scale", "Requirements", "ML-specific", "Business")
LABELLED_DATA = ("yes", "partly", "no")


@dataclass(frozen=True)
class Question:
    group: str
    field: str
    text: str
    unit: str = ""


QUESTIONS = (
    Question("Scale", "daily_active_users", "How many users a day?", "users/day"),
    Question("Scale", "actions_per_user_per_day", "How many requests does each make?", "per day"),
    Question("Scale", "peak_factor", "How much higher is the peak than the average?", "x"),
    Question("Scale", "training_examples", "How much data: how many examples?", "examples"),
    Question("Scale", "bytes_per_example", "How large is one example?", "bytes"),
    Question("Scale", "regions", "Where are the users: how many regions?", "regions"),
    Question("Requirements", "latency_p99_ms", "Latency requirement (p99)?", "ms"),
    Question("Requirements", "accuracy_target_pct", "Accuracy (or precision) requirement?", "%"),
    Question("Requirements", "monthly_budget_usd", "Cost constraint per month?", "USD"),
    Question("ML-specific", "labelled_data", "Do we have labelled data? (yes, partly, no)"),
    Question("ML-specific", "retrain_every_days", "How often must the model retrain?", "days"),
    Question("ML-specific", "cold_start", "Is there a cold-start problem (new users/items)?"),
    Question("Business", "success_metric", "What is the success metric?"),
    Question("Business", "business_impact", "What is the business impact (per year, say)?"),
    Question("Business", "regulations", "Which regulations apply (privacy, fairness)?"),
)

_RANGES = {
    "daily_active_users": (0, None),
    "actions_per_user_per_day": (0, None),
    "peak_factor": (1, 20),
    "training_examples": (0, None),
    "bytes_per_example": (0, None),
    "regions": (1, 300),
    "latency_p99_ms": (0, None),
    "accuracy_target_pct": (0, 100),
    "monthly_budget_usd": (0, None),
    "retrain_every_days": (0, None),
}


@dataclass(frozen=True)
class Requirements:
    """Answers to the clarifying questions; ``None`` = not asked yet. Numbers are validated."""

    daily_active_users: float | None = None
    actions_per_user_per_day: float | None = None
    peak_factor: float | None = None
    training_examples: float | None = None
    bytes_per_example: float | None = None
    regions: float | None = None
    latency_p99_ms: float | None = None
    accuracy_target_pct: float | None = None
    monthly_budget_usd: float | None = None
    labelled_data: str | None = None
    retrain_every_days: float | None = None
    cold_start: bool | None = None
    success_metric: str | None = None
    business_impact: str | None = None
    regulations: str | None = None

    def __post_init__(self):
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, require_number(name, value, low, high))
        if self.labelled_data is not None:
            require_choice("labelled_data", self.labelled_data, LABELLED_DATA)
        if self.cold_start is not None and not isinstance(self.cold_start, bool):
            raise ValueError(f"cold_start must be True, False or None; got {self.cold_start!r}.")
        for name in ("success_metric", "business_impact", "regulations"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be text or None; got {value!r}.")
            if isinstance(value, str) and not value.strip():
                object.__setattr__(self, name, None)  # an empty answer is no answer

    def as_dict(self) -> dict:
        return asdict(self)

    def calculator_inputs(self) -> dict:
        """The answers the calculators in ``mlsd.estimates`` take, under their names there."""
        mapping = {
            "daily_active_users": "daily_active_users",
            "actions_per_user_per_day": "actions_per_user_per_day",
            "peak_factor": "peak_factor",
            "bytes_per_example": "bytes_per_example",
            "latency_p99_ms": "latency_ms",
        }
        out = {dest: getattr(self, src) for src, dest in mapping.items()}
        if self.training_examples is not None:
            # The calculators count examples per day kept for a retention window: one day
            # holding everything is the same total.
            out["examples_per_day"] = self.training_examples
            out["retention_days"] = 1.0
            out["replication"] = 1.0
        if self.daily_active_users is not None:
            out["entities"] = self.daily_active_users
        return {k: v for k, v in out.items() if v is not None}


def answered(record: Requirements) -> list[Question]:
    return [q for q in QUESTIONS if getattr(record, q.field) is not None]


def open_questions(record: Requirements) -> list[Question]:
    """The questions still unanswered, in the guide's order."""
    return [q for q in QUESTIONS if getattr(record, q.field) is None]


def coverage(record: Requirements) -> dict[str, tuple[int, int]]:
    """Per group: (answered, asked in total)."""
    out = {}
    for group in GROUPS:
        group_qs = [q for q in QUESTIONS if q.group == group]
        done = sum(getattr(record, q.field) is not None for q in group_qs)
        out[group] = (done, len(group_qs))
    return out


def update(record: Requirements, **answers) -> Requirements:
    """A new record with some answers changed (validated like the constructor)."""
    known = {f.name for f in fields(Requirements)}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"unknown answers {unknown}; allowed names are {sorted(known)}.")
    return replace(record, **answers)


# The guide's running example, as answers a candidate might get back from an interviewer.
GUIDE_EXAMPLE = Requirements(
    daily_active_users=200e6,
    actions_per_user_per_day=10,
    peak_factor=3,
    training_examples=1e9,
    bytes_per_example=100e3,
    regions=3,
    latency_p99_ms=100,
    accuracy_target_pct=95,
    labelled_data="yes",
    retrain_every_days=1,
    cold_start=True,
    success_metric="click-through rate, then 7-day retention",
)


_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12}


def parse_amount(name: str, text) -> float | None:
    """'200M', '10 K', '1e9', '1,000' -> a number; '' -> None (not answered yet)."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text).strip().lower().replace(",", "").replace("_", "")
    if not cleaned:
        return None
    factor = 1.0
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if cleaned.endswith(suffix):
            factor, cleaned = _SUFFIXES[suffix], cleaned[: -len(suffix)].strip()
            break
    try:
        return float(cleaned) * factor
    except ValueError:
        raise ValueError(
            f"{name} must be a number such as 200M, 10K, 1e9 or 1,000; got {text!r}."
        ) from None
