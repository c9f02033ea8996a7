"""Scoring that teaches calibration: graded sample answers, calibration error, score gaps.

Self-assessment is only useful when it is calibrated: people who know least about a skill
overestimate their performance most (Kruger & Dunning, Journal of Personality and Social
Psychology, 1999), and comparing one's own judgement with an expert's on worked examples is
how raters are trained (frame-of-reference training: Roch, Woehr, Mishra & Kieszczynska,
Journal of Occupational and Organizational Psychology, 2012, a meta-analysis).

So, before the first mock, the learner grades sample answers to three problems (a weak, a
medium and a strong answer to each, as ``Design`` data) on section 8's rubric and sees the
reference grades; the calibration error (mean absolute difference per dimension) and its sign
(``bias``: positive = grading too generously) are tracked across attempts in
``calibration.json`` in the learner's folder.

The reference grades are ours, one per dimension with the reason, given as a senior
interviewer reads the written answer. They are checked against the mock's checker
(``mlsd.interviewer.suggested_scores``) in the tests, within a band: the checker sees
structure and arithmetic only, the grade also weighs quality.

Core module: no Jupyter import.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mlsd import designs, learner_files, rubric
from mlsd.designs import Design
from mlsd.validation import require_choice

LEVELS = ("weak", "medium", "strong")
FORMAT = "mlsd-calibration"
FILE = "calibration.json"
CALIBRATION_PROBLEMS = (1, 6, 10)  # a recommender, a vision system and a detector


@dataclass(frozen=True)
class Sample:
    """A sample answer with its reference grade per rubric dimension and why."""

    id: str  # e.g. "p01-weak"
    problem: int
    level: str
    design: Design
    scores: Mapping[str, float]
    why: Mapping[str, str]

    @property
    def total(self) -> float:
        return rubric.weighted_total(self.scores)


# --- building the samples -------------------------------------------------------------------


def _edit(data: dict, path: str, value) -> None:
    node, keys = data, path.replace("[", ".").replace("]", "").split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
    if value is _DROP:
        del node[last]
    elif callable(value):
        node[last] = value(node[last])
    else:
        node[last] = value


_DROP = object()


def _from_reference(problem: int, edits) -> Design:
    data = copy.deepcopy(designs.reference(problem).to_dict())
    for path, value in edits:
        _edit(data, path, value)
    return Design.from_dict(data)


def _first(n):
    return lambda items: items[:n]


def _without(key, value):
    return lambda items: [x for x in items if x.get(key) != value]


def _strong(problem: int) -> Design:
    """What a strong candidate says in 45 minutes: the reference design, shorter."""
    return _from_reference(problem, [
        ("clarifying_questions", _first(4)),
        ("failure_modes", _first(2)),
        ("monitoring", lambda ss: [s for s in ss if s["kind"] in ("system", "data")][:3]),
        ("tradeoffs", _first(2)),
    ])  # fmt: skip


_MEDIUM_EDITS = {
    1: [
        ("clarifying_questions", _first(2)),
        ("estimates.servers.count", 60),  # too few for 69 K QPS at 500/s with headroom
        ("models", lambda ms: [m | {"alternative": ""} for m in ms]),
        ("monitoring", _without("kind", "data")),
        ("challenges", []),
        ("tradeoffs", _first(1)),
    ],
    6: [
        ("clarifying_questions", _first(2)),
        ("metrics.0.test_size", 5_000),  # cannot show 0.01 % false accepts
        ("models", lambda ms: [m | {"alternative": ""} for m in ms]),
        ("failure_modes", lambda fs: [f | {"fallback": ""} for f in fs]),
        ("deployment.rollout", []),
    ],
    10: [
        ("clarifying_questions", _first(2)),
        ("detector_targets", lambda ts: [ts[0] | {"fpr": 0.02}]),  # the guide's 2 % FPR, blocked
        ("monitoring", _without("kind", "data")),
        ("challenges", _without("key", "delayed_labels")),
        ("tradeoffs", lambda ts: [t | {"cost": ""} for t in ts[:2]]),
    ],
}

_WEAK = {
    1: {
        "problem": 1,
        "title": "Netflix movie recommendations",
        "summary": "",
        "clarifying_questions": [{"question": "How many users are there?"}],
        "requirements": {"functional": ["Recommend movies to users."],
                         "non_functional": ["Fast and scalable."]},
        "architecture": {"stages": [
            {"name": "App", "does": "Shows the recommendations."},
            {"name": "Model", "does": "A deep learning model ranks every movie."},
        ]},
        "models": [{"stage": "Model", "model": "Deep neural network",
                    "why": "Deep learning is the most accurate."}],
        "metrics": [{"name": "Accuracy", "kind": "offline", "direction": ">=", "target": 95,
                     "unit": "%"}],
    },
    6: {
        "problem": 6,
        "title": "Face recognition to unlock a phone",
        "summary": "A CNN compares the face with the owner's photo.",
        "clarifying_questions": [],
        "requirements": {"functional": ["Unlock the phone when the owner looks at it."],
                         "non_functional": ["Very accurate and fast."]},
        "estimates": {"serving_site": "data centre"},
        "architecture": {"stages": [
            {"name": "Camera", "does": "Takes a photo."},
            {"name": "Cloud model", "does": "A CNN compares it with the owner's photo.",
             "latency_ms": 300},
        ]},
        "models": [{"stage": "Cloud model", "model": "CNN",
                    "why": "CNNs are best for images."}],
        "metrics": [{"name": "Accuracy", "kind": "offline", "direction": ">", "target": 99.9,
                     "unit": "%"}],
    },
    10: {
        "problem": 10,
        "title": "Credit card fraud detection",
        "summary": "",
        "clarifying_questions": [{"question": "What is the latency?", "assumption": "50 ms"}],
        "requirements": {"functional": ["Detect fraudulent transactions."],
                         "latency_slo_ms": 50},
        "architecture": {"stages": [
            {"name": "Model", "does": "Scores the transaction.", "latency_ms": 20},
        ]},
        "models": [{"stage": "Model", "model": "XGBoost", "why": "Good on tabular data."}],
        "detector_targets": [{"name": "Block", "action": "block", "recall": 0.9, "fpr": 0.02}],
        "metrics": [{"name": "Recall", "kind": "offline", "direction": ">", "target": 90,
                     "unit": "%"}],
        "failure_modes": [{"failure": "Model down", "detection": "errors",
                           "fallback": "approve everything"}],
    },
}  # fmt: skip

# The reference grades (problem understanding, system design, ML knowledge, trade-offs,
# communication) and why, as an interviewer reads each written answer.
_GRADES = {
    "p01-weak": (
        (25, 20, 25, 20, 30),
        (
            "One question with no assumption; 'fast and scalable' with no number; no success "
            "metric tied to watch time.",
            "Two boxes, no candidate generation, no estimates, no fallback, no monitoring.",
            "'Deep learning is the most accurate' is not a reason; accuracy is the wrong metric "
            "for ranking; no cold-start answer.",
            "No trade-off is named.",
            "No summary; the structure is a list of boxes.",
        ),
    ),
    "p01-medium": (
        (55, 55, 55, 45, 60),
        (
            "Two good questions, numbers for latency and load, offline and online metrics.",
            "A full two-stage path with budgets, but 60 servers cannot carry 69 K QPS and no drift "
            "signal is watched.",
            "Sound models, none compared with an alternative; the cold-start question is "
            "unanswered.",
            "One trade-off, weighed well.",
            "Clear stages and budgets; summary given.",
        ),
    ),
    "p01-strong": (
        (90, 90, 85, 80, 80),
        (
            "Sharp questions with assumptions; SLO, load and a watch-time goal with targets.",
            "End to end with budgets that fit, estimates that add up, fallbacks and drift "
            "monitoring.",
            "Two-tower retrieval and a multi-task ranker, each against an alternative; a tiered "
            "cold-start answer.",
            "Two trade-offs with gains and costs.",
            "Structured, with a budget table and a summary.",
        ),
    ),
    "p06-weak": (
        (20, 20, 30, 20, 35),
        (
            "No questions; 'very accurate and fast' with no number; no false-accept target.",
            "Sends faces to a cloud model: a privacy and latency problem; no estimates, no "
            "fallback, no monitoring.",
            "A CNN is plausible, but accuracy is the wrong metric and spoofing is never mentioned.",
            "No trade-off is named.",
            "A one-line summary.",
        ),
    ),
    "p06-medium": (
        (55, 55, 50, 75, 65),
        (
            "Two questions; the targets are stated with numbers.",
            "On-device pipeline with budgets, but no failure has a fallback (what if the match "
            "fails twice?).",
            "Models fit, none compared; the false-accept target rests on 5,000 impostor tries, "
            "which cannot show 0.01 %.",
            "Three trade-offs with gains and costs.",
            "Clear and summarised.",
        ),
    ),
    "p06-strong": (
        (90, 90, 90, 75, 80),
        (
            "Questions on threat model and hardware; targets with test sizes.",
            "On-device, pipelined budgets, fallbacks to the passcode, monitoring.",
            "Liveness, embedding and matching, each against an alternative; the rule of three "
            "respected.",
            "Two trade-offs, weighed.",
            "Clear and summarised.",
        ),
    ),
    "p10-weak": (
        (30, 20, 20, 20, 25),
        (
            "One question; no volume or fraud rate asked.",
            "One box; no rules, features or fallback worth the name ('approve everything').",
            "90 % recall at 2 % FPR with no base rate: at 0.1 % fraud that blocks ~22 good "
            "customers per fraud.",
            "No trade-off is named.",
            "No summary.",
        ),
    ),
    "p10-medium": (
        (50, 55, 45, 45, 65),
        (
            "Two questions; latency, load and targets stated.",
            "Rules, features, model and decision with budgets; no drift signal watched.",
            "Blocking at 2 % FPR is ~4 % precision at the base rate, below the design's own floor; "
            "delayed labels are not addressed.",
            "Trade-offs named without their costs.",
            "Clear and summarised.",
        ),
    ),
    "p10-strong": (
        (90, 90, 90, 80, 80),
        (
            "Questions on actions, fraud rate and volume; targets at the base rate.",
            "Rules and model in parallel within 50 ms, fallbacks, drift and business monitoring.",
            "Two tiers with precision at 0.1 % prevalence; evolving patterns and delayed labels "
            "answered.",
            "Two trade-offs with costs.",
            "Clear and summarised.",
        ),
    ),
}


@cache
def samples() -> tuple[Sample, ...]:
    """The nine sample answers (three problems x weak, medium, strong), in a fixed order."""
    out = []
    for number in CALIBRATION_PROBLEMS:
        built = {
            "weak": Design.from_dict(_WEAK[number]),
            "medium": _from_reference(number, _MEDIUM_EDITS[number]),
            "strong": _strong(number),
        }
        for level in LEVELS:
            sid = f"p{number:02d}-{level}"
            scores, why = _GRADES[sid]
            out.append(
                Sample(sid, number, level, built[level], dict(zip(rubric.KEYS, scores,
                       strict=True)), dict(zip(rubric.KEYS, why, strict=True)))
            )  # fmt: skip
    return tuple(out)


def sample(sample_id: str) -> Sample:
    known = {s.id: s for s in samples()}
    require_choice("sample_id", sample_id, tuple(known))
    return known[sample_id]


def drill_order(seed: int = 0) -> list[str]:
    """The samples in a shuffled order (so the level is not given away by position)."""
    ids = [s.id for s in samples()]
    random.Random(seed).shuffle(ids)
    return ids


# --- calibration error ---------------------------------------------------------------------


def calibration_error(grades: Mapping, reference: Mapping) -> dict[str, float]:
    """Mean absolute error and bias (mean of grade - reference) over the five dimensions, plus
    the signed difference per dimension, in rubric points."""
    mine = rubric.validate_scores(grades)
    ref = rubric.validate_scores(reference)
    diffs = {k: mine[k] - ref[k] for k in rubric.KEYS}
    n = len(diffs)
    return {
        "mae": sum(abs(v) for v in diffs.values()) / n,
        "bias": sum(diffs.values()) / n,
        **{f"diff_{k}": v for k, v in diffs.items()},
    }


def summary(records) -> dict:
    """Across graded samples: how many, the mean error and bias, the error of the first and
    last three (is it shrinking?) and the dimension most over-rated."""
    records = list(records)
    if not records:
        return {"graded": 0}
    errors = [calibration_error(r["grades"], sample(r["sample"]).scores) for r in records]
    mean = sum(e["mae"] for e in errors) / len(errors)
    per_dim = {k: sum(e[f"diff_{k}"] for e in errors) / len(errors) for k in rubric.KEYS}
    worst = max(per_dim, key=lambda k: abs(per_dim[k]))
    return {
        "graded": len(records),
        "mae": mean,
        "bias": sum(e["bias"] for e in errors) / len(errors),
        "first_mae": sum(e["mae"] for e in errors[:3]) / len(errors[:3]),
        "last_mae": sum(e["mae"] for e in errors[-3:]) / len(errors[-3:]),
        "most_off": worst,
        "most_off_by": per_dim[worst],
    }


CALIBRATED_MAE = 10.0  # within 10 points per dimension: section 8's rater tolerance


class CalibrationLog:
    """The learner's graded samples, saved in ``calibration.json`` in their folder."""

    def __init__(self, folder="."):
        self.path = Path(folder).expanduser() / FILE

    def records(self) -> list[dict]:
        data = learner_files.read_json(self.path, FORMAT)
        return list(data["records"]) if data else []

    def add(self, sample_id: str, grades: Mapping, when: dt.datetime | None = None) -> dict:
        sample(sample_id)
        grades = rubric.validate_scores(grades)
        record = {
            "sample": sample_id,
            "grades": grades,
            "time": (when or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        }
        records = self.records() + [record]
        learner_files.write_json_atomic(self.path, {"records": records}, FORMAT)
        return record
