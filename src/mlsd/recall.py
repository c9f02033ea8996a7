"""A recall drill: the numbers and rules an interviewer expects, as Leitner boxes.

Cards are built from the workbook's own constants where they exist (the rubric weights from
``mlsd.rubric``, the timeline from ``mlsd.timeline``, the PSI thresholds from ``mlsd.drift``,
the latency tiers from ``mlsd.chooser``), so a card can never drift from what the sections teach.

Spacing is the Leitner system (Leitner, *So lernt man lernen*, 1972): a card starts in box 1;
a card you knew moves up a box, one you missed goes back to box 1; box ``b`` comes back after
``2 ** (b - 1)`` days (1, 2, 4, 8, 16), the doubling rule section 11's planner also uses.
Retrieval practice with spacing beats rereading for long-term retention (Roediger &
Karpicke, Psychological Science, 2006; Cepeda et al., Psychological Bulletin, 2006).

Progress lives in ``recall-drill.json`` in the learner's folder. Core module: no Jupyter import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mlsd import drift, learner_files, rubric, timeline
from mlsd.validation import require_choice

BOXES = 5
FORMAT = "mlsd-recall-drill"
FILE = "recall-drill.json"
TOPICS = ("latency", "capacity", "monitoring", "rubric", "timeline", "metrics")


@dataclass(frozen=True)
class Card:
    id: str
    topic: str
    front: str
    back: str


def _rubric_cards() -> list[Card]:
    weights = ", ".join(f"{d.name.lower()} {d.weight_pct:g} %" for d in rubric.DIMENSIONS)
    return [
        Card("rubric-weights", "rubric", "The guide's rubric: five dimensions and their weights?",
             f"{weights}. A heuristic for self-assessment: real loops are holistic and "
             "level-calibrated."),
        Card("rubric-bands", "rubric", "Which rubric totals are strong hire, hire, lean no hire?",
             "Our bands: " + "; ".join(f"{name} from {floor:g}" for floor, name in rubric.BANDS)
             + " (no evidence either way scores exactly 50)."),
    ]  # fmt: skip


def _timeline_cards() -> list[Card]:
    hour = "; ".join(f"{timeline.PHASES[p].lower()} {s}-{e}" for p, s, e in timeline.GOOD_TIMELINE)
    return [
        Card("timeline-hour", "timeline", "The good 60-minute interview, phase by phase?",
             f"{hour} minutes. For 45 minutes scale every phase by 3/4."),
        Card("timeline-bad", "timeline", "The classic time-management failure?",
             f"{timeline.BAD_MODEL_MIN}+ minutes on model architecture before anything else; the "
             "rest is rushed into the last quarter."),
    ]  # fmt: skip


CARDS_FIXED = (
    Card("latency-tiers", "latency", "The guide's latency tiers for model complexity?",
         "Under 50 ms: a simple model; 50-200 ms: medium complexity; 200 ms and more: latency "
         "stops deciding, cost does. A rule of thumb about CPU serving: measured, boosted trees "
         "and small MLPs score in well under a millisecond."),
    Card("latency-p99", "latency", "Why state a latency SLO at p99 rather than the mean?",
         "Users feel the tail, and a page that fans out to many calls waits for the slowest; "
         "p99 needs about 1,000 samples to measure."),
    Card("frame-interval", "latency", "At 30 FPS, what must each pipelined stage take?",
         "Under 33.3 ms each (1000 / 30): the slowest stage sets the frame rate; the sum of the "
         "stages is the end-to-end latency."),
    Card("qps", "capacity", "Average and peak QPS from daily users?",
         "Average = DAU x requests per user per day / 86,400 s; peak = average x 2 to 5 "
         "(3 is a common default)."),
    Card("servers", "capacity", "How many servers for the peak?",
         "ceil(peak QPS / (per-server QPS x (1 - headroom))), e.g. 30 % headroom."),
    Card("storage", "capacity", "Storage for a log of examples?",
         "Examples per day x bytes each x retention days x replication (3 copies is the "
         "distributed-file-system default)."),
    Card("littles-law", "capacity", "Requests in flight (Little's law)?",
         "L = arrival rate x MEAN time in the system (QPS x mean latency in s); QPS x p99 only "
         "as a labelled conservative sizing bound."),
    Card("psi", "monitoring", "PSI thresholds for feature drift?",
         f"Below {drift.PSI_MODERATE:g}: no significant change; {drift.PSI_MODERATE:g} to "
         f"{drift.PSI_MAJOR:g}: moderate, investigate; above {drift.PSI_MAJOR:g}: major, "
         "retrain or roll back. Small samples inflate PSI: read it with the sample size."),
    Card("monitoring-kinds", "monitoring", "The four kinds of monitoring signal?",
         "System (latency, errors, throughput), model (prediction distribution, online "
         "metrics), data (feature drift, missing values, schema) and business (revenue, "
         "engagement)."),
    Card("base-rate", "metrics", "Precision of a detector at a base rate?",
         "precision = recall x p / (recall x p + FPR x (1 - p)). At 0.1 % fraud, 90 % recall "
         "at 2 % FPR is about 4 % precision."),
    Card("rule-of-three", "metrics", "How many clean tests show a rate below r?",
         "3 / r with no failures (rule of three, 95 % confidence): 0.01 % false accepts needs "
         "30,000 impostor attempts."),
    Card("offline-online", "metrics", "What metric pair does every design need?",
         "An offline metric with a target that gates the launch (e.g. recall@500, NDCG) and an "
         "online metric that decides it (an A/B test on the business goal), plus guardrails."),
)  # fmt: skip


@cache
def cards() -> tuple[Card, ...]:
    return CARDS_FIXED + tuple(_rubric_cards()) + tuple(_timeline_cards())


def card(card_id: str) -> Card:
    known = {c.id: c for c in cards()}
    require_choice("card_id", card_id, tuple(known))
    return known[card_id]


def interval_days(box: int) -> int:
    """Days until a card in ``box`` (1 to 5) comes back: 1, 2, 4, 8, 16."""
    if isinstance(box, bool) or not isinstance(box, int) or not 1 <= box <= BOXES:
        raise ValueError(f"box must be a whole number in [1, {BOXES}]; got {box!r}.")
    return 2 ** (box - 1)


def review(progress: dict, card_id: str, knew: bool, today: dt.date) -> dict:
    """Progress after answering ``card_id`` on ``today`` (a new dict; the input is kept)."""
    card(card_id)
    if not isinstance(knew, bool):
        raise ValueError(f"knew must be True or False; got {knew!r}.")
    state = dict(progress.get(card_id, {"box": 1}))
    box = min(BOXES, state["box"] + 1) if knew else 1
    due = today + dt.timedelta(days=interval_days(box))
    seen = state.get("seen", 0) + 1
    right = state.get("right", 0) + int(knew)
    return {**progress, card_id: {"box": box, "due": due.isoformat(), "seen": seen,
                                  "right": right}}  # fmt: skip


def due_cards(progress: dict, today: dt.date, topic: str | None = None) -> list[str]:
    """Cards due on ``today`` (of one ``topic``, or all): new cards and those whose date has
    come, lowest box first."""
    if topic is not None:
        require_choice("topic", topic, TOPICS)
    out = []
    for c in cards():
        if topic is not None and c.topic != topic:
            continue
        state = progress.get(c.id)
        if state is None or dt.date.fromisoformat(state["due"]) <= today:
            out.append((state["box"] if state else 0, c.id))
    return [cid for _box, cid in sorted(out, key=lambda bc: bc[0])]


def box_counts(progress: dict) -> list[int]:
    """How many cards sit in each box (index 0 = never seen, then boxes 1 to 5)."""
    counts = [0] * (BOXES + 1)
    for c in cards():
        counts[progress[c.id]["box"] if c.id in progress else 0] += 1
    return counts


class RecallStore:
    """Progress in ``recall-drill.json`` in the learner's folder."""

    def __init__(self, folder="."):
        self.path = Path(folder).expanduser() / FILE

    def load(self) -> dict:
        data = learner_files.read_json(self.path, FORMAT)
        return dict(data["progress"]) if data else {}

    def save(self, progress: dict) -> Path:
        return learner_files.write_json_atomic(self.path, {"progress": progress}, FORMAT)
