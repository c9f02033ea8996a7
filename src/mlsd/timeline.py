"""Guide section 9, mistake 7: planning the 60 minutes of an interview.

A plan is a list of ``(phase, start_min, end_min)`` segments. The guide's good timeline is
clarification 0-10, architecture 10-25, deep dives 25-40, trade-offs and scaling 40-55 and
wrap-up 55-60; its bad timeline spends the first 30 minutes (and more) on the model.

``plan_issues`` checks a plan against these rules (an empty list means it passes):

1. the segments run back to back from minute 0 to minute 60, with no gap and no overlap;
2. the five phases each appear once, in the guide's order;
3. each phase's length is inside its band (minutes, inclusive): clarification 5-12,
   architecture 10-20, deep dives 10-20, trade-offs 10-20, wrap-up 3-8. The bands sit
   around the guide's 10/15/15/15/5 and leave room to adapt to the interviewer;
4. a ``model`` segment (talking model architecture before anything else) is flagged, and
   30 minutes or more of it is named as the guide's bad timeline.

Interviews are not always 60 minutes (45 is common, and the guide says to practise at 45-60):
``bands_for(total_min)`` scales every band in proportion, and ``plan_issues`` takes the
interview's length.
"""

from __future__ import annotations

import math
from numbers import Real

from mlsd.validation import require_number

PHASES = {
    "clarification": "Clarification and requirements",
    "architecture": "High-level architecture",
    "deep_dives": "Component deep dives",
    "tradeoffs": "Trade-offs and scaling",
    "wrap_up": "Wrap-up and Q&A",
}
EXTRA = {"model": "Model architecture only"}
ALL_PHASES = {**PHASES, **EXTRA}
ORDER = tuple(PHASES)
BANDS_MIN = {
    "clarification": (5, 12),
    "architecture": (10, 20),
    "deep_dives": (10, 20),
    "tradeoffs": (10, 20),
    "wrap_up": (3, 8),
}
INTERVIEW_MIN = 60
BAD_MODEL_MIN = 30
LENGTH_RANGE_MIN = (30, 90)  # interviews the scaled bands are meant for

GOOD_TIMELINE = (
    ("clarification", 0, 10),
    ("architecture", 10, 25),
    ("deep_dives", 25, 40),
    ("tradeoffs", 40, 55),
    ("wrap_up", 55, 60),
)
# The guide's bad hour: model talk for 45 minutes, then everything else crammed into 15.
BAD_TIMELINE = (
    ("model", 0, 45),
    ("clarification", 45, 48),
    ("architecture", 48, 51),
    ("deep_dives", 51, 54),
    ("tradeoffs", 54, 57),
    ("wrap_up", 57, 60),
)


def validate_plan(plan) -> list[tuple[str, float, float]]:
    """Each segment a (phase, start, end) with a known phase and 0 <= start < end."""
    if isinstance(plan, str | bytes) or not hasattr(plan, "__iter__"):
        raise ValueError(f"plan must be a list of (phase, start_min, end_min); got {plan!r}.")
    out = []
    for i, seg in enumerate(plan):
        if isinstance(seg, str | bytes) or not hasattr(seg, "__len__") or len(seg) != 3:
            raise ValueError(
                f"plan[{i}] must be a (phase, start_min, end_min) triple; got {seg!r}."
            )
        phase, start, end = seg
        if phase not in ALL_PHASES:
            raise ValueError(
                f"plan[{i}] phase must be one of {', '.join(map(repr, ALL_PHASES))}; got {phase!r}."
            )
        for name, v in (("start_min", start), ("end_min", end)):
            if isinstance(v, bool) or not isinstance(v, Real) or not math.isfinite(v) or v < 0:
                raise ValueError(f"plan[{i}] {name} must be a number >= 0 minutes; got {v!r}.")
        if end <= start:
            raise ValueError(
                f"plan[{i}] ({phase}) must end after it starts; got {start:g} to {end:g} min."
            )
        out.append((phase, float(start), float(end)))
    if not out:
        raise ValueError("plan must have at least one segment; got an empty plan.")
    return out


def bands_for(total_min=INTERVIEW_MIN) -> dict[str, tuple[float, float]]:
    """Each phase's band in minutes for an interview of ``total_min`` (the 60-minute bands
    scaled in proportion: a 45-minute interview gives clarification 3.75-9 minutes)."""
    total = require_number("total_min", total_min, *LENGTH_RANGE_MIN, unit="min")
    scale = total / INTERVIEW_MIN
    return {p: (lo * scale, hi * scale) for p, (lo, hi) in BANDS_MIN.items()}


def plan_issues(plan, total_min=INTERVIEW_MIN) -> list[str]:
    """What is wrong with a plan, in plain words; [] when it follows the guide."""
    bands = bands_for(total_min)
    total = float(total_min)
    segments = sorted(validate_plan(plan), key=lambda s: s[1])
    issues = []
    if segments[0][1] > 0:
        issues.append(f"nothing planned from 0 to {segments[0][1]:g} min.")
    for (p1, _s1, e1), (p2, s2, _e2) in zip(segments, segments[1:], strict=False):
        if s2 > e1:
            issues.append(f"gap from {e1:g} to {s2:g} min between {p1} and {p2}.")
        elif s2 < e1:
            issues.append(f"{p1} and {p2} overlap from {s2:g} to {e1:g} min.")
    end = segments[-1][2]
    if end > total + 1e-9:
        issues.append(f"the plan runs to {end:g} min; the interview ends at {total:g}.")
    elif end < total - 1e-9:
        issues.append(f"nothing planned from {end:g} to {total:g} min.")
    model = sum(e - s for p, s, e in segments if p == "model")
    if model >= BAD_MODEL_MIN * total / INTERVIEW_MIN:
        issues.append(
            f"{model:g} min on model architecture alone: the guide's bad timeline "
            "(half the interview on the model leaves the rest rushed)."
        )
    elif model > 0:
        issues.append(
            f"{model:g} min on model architecture as its own phase: fold model talk into "
            "the component deep dives."
        )
    phases = [p for p, _s, _e in segments if p in PHASES]
    for p in ORDER:
        n = phases.count(p)
        if n == 0:
            issues.append(f"no time for {PHASES[p].lower()}.")
        elif n > 1:
            issues.append(f"{p} appears {n} times: give each phase one block.")
    if sorted(set(phases), key=phases.index) != [p for p in ORDER if p in phases]:
        issues.append(
            "phases out of order: clarify, architecture, deep dives, trade-offs, wrap-up."
        )
    for p in ORDER:
        minutes = sum(e - s for q, s, e in segments if q == p)
        lo, hi = bands[p]
        if minutes and not lo - 1e-9 <= minutes <= hi + 1e-9:
            issues.append(
                f"{PHASES[p].lower()} gets {minutes:g} min; plan {lo:g}-{hi:g} min "
                f"(the guide's good timeline at 60 min: {_guide_minutes(p)})."
            )
    return issues


def _guide_minutes(phase: str) -> str:
    _p, s, e = next(seg for seg in GOOD_TIMELINE if seg[0] == phase)
    return f"{s}-{e} min"


def plan_from_minutes(minutes: dict, model_min=0) -> list[tuple[str, float, float]]:
    """Back-to-back segments from phase lengths (in ORDER), after ``model_min`` of model talk."""
    plan, t = [], 0.0
    if model_min:
        plan.append(("model", 0.0, float(model_min)))
        t = float(model_min)
    for p in ORDER:
        m = minutes.get(p, 0)
        if isinstance(m, bool) or not isinstance(m, Real) or not math.isfinite(m) or m < 0:
            raise ValueError(f"minutes[{p!r}] must be a number >= 0; got {m!r}.")
        if m:
            plan.append((p, t, t + m))
            t += m
    return plan
