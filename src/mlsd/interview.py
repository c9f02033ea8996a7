"""The timed mock interview: phases, an injectable clock, the answer as data, nudges, saving.

A mock is one of the eleven practice problems (or "surprise me") in 45 or 60 minutes. Its
phases follow section 9's good hour (``mlsd.timeline.GOOD_TIMELINE``), with the first block
split in two as section 9 reconciles it with section 7's tip 1: about 5 minutes of clarifying
questions, then about 5 to play the requirements back with numbers and a quick estimate.
Every phase is scaled by ``length / 60`` for a 45-minute mock.

The learner's answer is typed into one field per part of ``mlsd.designs.Design`` (short lines
with ``|`` between the parts, quick to type under time); ``design_from_answers`` parses them
into a ``Design``, computing the derived numbers with section 7's calculators, and reports a
line it cannot read with its field and line number instead of failing the whole answer.

Time comes from a ``Clock`` (``SystemClock``; ``AcceleratedClock`` for tests and class demos;
``ManualClock`` for unit tests). A session only counts time while it runs: reopened after a
kernel restart it is paused where it was saved, and continues when the learner resumes.

``MockStore`` keeps one JSON file per mock in ``mock-interviews/`` in the learner's folder
(``mlsd.learner_files``: atomic, never replacing a file that is not ours), so a mock survives
a kernel restart and can be resumed. Core module: no Jupyter import.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

from mlsd import designs, estimates, learner_files, practice, timeline
from mlsd.designs import CHALLENGES, PROBLEM_CHALLENGES, Design
from mlsd.validation import require_choice, require_int, require_number

LENGTHS_MIN = (45, 60)
SURPRISE = 0  # the problem number that means "surprise me"
FORMAT = "mlsd-mock-interview"
FOLDER = "mock-interviews"
ENV_SPEED = "MLSD_MOCK_SPEED"  # a clock speed-up for class demos and browser tests
PRESENTING_ENV = "MLSD_PRESENTING"  # set by `mlsd present`: the mock's classroom mode


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    section9: str  # the section 9 phase (mlsd.timeline.PHASES) it belongs to
    share: float  # share of that section 9 phase
    fields: tuple[str, ...]  # answer fields typed in this phase
    expects: str  # what an interviewer expects to have heard by now


PHASES = (
    Phase("clarify", "Clarify", "clarification", 0.5, ("questions",),
          "clarifying questions"),
    Phase("requirements", "Requirements and estimates", "clarification", 0.5,
          ("functional", "non_functional", "latency_slo_ms", "latency_percentile",
           "availability_pct", "freshness_s", "frames_per_second", "serving_site",
           "daily_active_users", "events_per_user_per_day", "peak_factor", "per_server_qps",
           "headroom", "servers", "storage", "caches"),
          "numbers: the latency SLO and the peak QPS"),
    Phase("high_level", "High-level design", "architecture", 1.0, ("stages", "pipelined"),
          "latency budgets for at least three online stages"),
    Phase("deep_dive", "Deep dive", "deep_dives", 1.0,
          ("models", "metrics", "detectors", "challenges"),
          "numbers: a metric with a target"),
    Phase("tradeoffs", "Trade-offs and failure modes", "tradeoffs", 1.0,
          ("tradeoffs", "failures", "monitoring"),
          "trade-offs with their costs and a fallback for each failure"),
    Phase("wrap_up", "Wrap-up", "wrap_up", 1.0,
          ("summary", "training_data", "retrain_every_days", "rollout"),
          "a summary"),
)  # fmt: skip
PHASE_KEYS = tuple(p.key for p in PHASES)
PHASE_BY_KEY = {p.key: p for p in PHASES}
NUMBER_FIELDS = (
    "latency_slo_ms", "latency_percentile", "availability_pct", "freshness_s",
    "frames_per_second", "daily_active_users", "events_per_user_per_day", "peak_factor",
    "per_server_qps", "headroom", "servers", "retrain_every_days",
)  # fmt: skip
TEXT_FIELDS = tuple(
    f for p in PHASES for f in p.fields if f not in NUMBER_FIELDS + ("pipelined", "serving_site")
)


# --- the schedule ------------------------------------------------------------------------


def _length(total_min) -> int:
    total = require_int("length_min", total_min)
    if total not in LENGTHS_MIN:
        raise ValueError(f"length_min must be one of 45, 60 (minutes); got {total}.")
    return total


def schedule(total_min=60) -> tuple[tuple[str, float, float], ...]:
    """(phase, start_min, end_min) for a mock of ``total_min`` minutes."""
    scale = _length(total_min) / timeline.INTERVIEW_MIN
    out, start = [], 0.0
    planned = {p: (e - s) for p, s, e in timeline.GOOD_TIMELINE}
    for phase in PHASES:
        length = planned[phase.section9] * phase.share * scale
        out.append((phase.key, start, start + length))
        start += length
    return tuple(out)


def bands(total_min=60) -> dict[str, tuple[float, float]]:
    """Each phase's (low, high) minutes: section 9's bands, scaled and split like the phases."""
    scaled = timeline.bands_for(_length(total_min))
    return {p.key: tuple(x * p.share for x in scaled[p.section9]) for p in PHASES}


def planned_minutes(phase: str, total_min=60) -> float:
    require_choice("phase", phase, PHASE_KEYS)
    start, end = next((s, e) for p, s, e in schedule(total_min) if p == phase)
    return end - start


def scheduled_phase(elapsed_min, total_min=60) -> str:
    """The phase the clock says it is (the last one once time is up)."""
    elapsed = require_number("elapsed_min", elapsed_min, 0, unit="min")
    for phase, _start, end in schedule(total_min):
        if elapsed < end:
            return phase
    return PHASE_KEYS[-1]


def pick_problem(number, rng: random.Random | None = None) -> int:
    """``number`` (1-11), or a random problem for ``SURPRISE`` (0)."""
    number = require_int("problem", number, SURPRISE, designs.N_PROBLEMS)
    if number == SURPRISE:
        return (rng or random.Random()).randint(1, designs.N_PROBLEMS)
    return number


# --- clocks -------------------------------------------------------------------------------


class SystemClock:
    """Real seconds (monotonic: a changed wall clock does not move the mock)."""

    speed = 1.0

    def now(self) -> float:
        return time.monotonic()


class AcceleratedClock:
    """``speed`` mock seconds for every real second (a 45-minute mock in 45 s at 60)."""

    def __init__(self, speed: float = 60.0):
        self.speed = require_number("speed", speed, 0, 3600, low_inclusive=False, unit="x")

    def now(self) -> float:
        return time.monotonic() * self.speed


class ManualClock:
    """A clock that moves only when told (unit tests)."""

    speed = 1.0

    def __init__(self, start: float = 0.0):
        self.t = float(start)

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += require_number("seconds", seconds, 0, unit="s")


def clock_for(speed=None):
    """The clock for a speed: real time at 1 (or None), accelerated above."""
    if speed is None or float(speed) == 1.0:
        return SystemClock()
    return AcceleratedClock(speed)


# --- parsing the answer fields -----------------------------------------------------------

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12}
_NUMBER = re.compile(r"^\s*([-+]?\d[\d,_]*(?:\.\d+)?(?:e[-+]?\d+)?)\s*([a-z%]*)\s*$", re.I)


def parse_number(text, name: str = "value") -> float | None:
    """'200', '1,500', '2e9', '10K', '1.5 M', '3 B' -> a float; '' -> None."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    text = str(text or "").strip()
    if not text:
        return None
    m = _NUMBER.match(text)
    suffix = m.group(2).lower() if m else ""
    if not m or (suffix and suffix not in _SUFFIX):
        raise ValueError(f"{name} must be a number such as 200, 1,500, 2e9 or 10K; got {text!r}.")
    return float(m.group(1).replace(",", "").replace("_", "")) * _SUFFIX.get(suffix, 1.0)


def parse_fraction(text, name: str = "value") -> float | None:
    """'0.9', '90 %' or '90%' -> 0.9; '' -> None."""
    text = str(text or "").strip()
    if not text:
        return None
    percent = text.endswith("%")
    value = parse_number(text.rstrip("%").strip(), name)
    value = value / 100 if percent else value
    return require_number(name, value, 0, 1, unit="(a fraction, or a percentage with %)")


def _lines(text) -> list[tuple[int, str]]:
    return [(i, line.strip()) for i, line in enumerate(str(text or "").splitlines(), 1)
            if line.strip()]  # fmt: skip


def _parts(line: str, n_min: int, n_max: int, what: str, where: str) -> list[str]:
    parts = [p.strip() for p in line.split("|")]
    if not n_min <= len(parts) <= n_max:
        raise ValueError(
            f"{where}: expected {what} separated by '|'; got {len(parts)} part(s) in {line!r}."
        )
    return parts + [""] * (n_max - len(parts))


_TARGET = re.compile(
    r"^\s*(>=|<=|>|<|≥|≤)?\s*([-+]?[\d.,]+(?:e[-+]?\d+)?(?:\s*[kmb]\b)?)\s*(.*)$", re.I
)
_DIRECTIONS = {"≥": ">=", "≤": "<="}


def parse_target(text, where: str = "target") -> tuple[str | None, float | None, str]:
    """'>= 80 %' -> ('>=', 80.0, '%'); '< 200 ms' -> ('<', 200.0, 'ms'); '' -> (None, None, '')."""
    text = str(text or "").strip()
    if not text:
        return None, None, ""
    m = _TARGET.match(text)
    if not m:
        raise ValueError(f"{where}: a target looks like '>= 80 %' or '< 200 ms'; got {text!r}.")
    direction = _DIRECTIONS.get(m.group(1), m.group(1)) or ">="
    return direction, parse_number(m.group(2), where), m.group(3).strip()


def parse_questions(text) -> list[dict]:
    """One per line: 'question? assumption' (the assumption follows the first '?')."""
    out = []
    for _i, line in _lines(text):
        question, mark, assumption = line.partition("?")
        out.append({"question": question.strip() + mark, "assumption": assumption.strip(" -:")})
    return out


def parse_storage(text) -> list[dict]:
    """'name | items | bytes each | copies' per line; the total is computed."""
    out = []
    for i, line in _lines(text):
        where = f"storage line {i}"
        name, count, size, copies = _parts(line, 3, 4, "name | items | bytes each | copies",
                                           where)  # fmt: skip
        count_v, size_v = (
            parse_number(count, f"{where} items"),
            parse_number(size, f"{where} bytes"),
        )
        copies_v = parse_number(copies, f"{where} copies") if copies else 3.0
        total = estimates.storage(count_v, size_v, 1, copies_v).value
        out.append({"name": name, "count": count_v, "bytes_each": size_v,
                    "replication": copies_v, "total_bytes": total})  # fmt: skip
    return out


def parse_caches(text) -> list[dict]:
    """'name | catalogue items | cached items | hit rate' per line."""
    out = []
    for i, line in _lines(text):
        where = f"cache line {i}"
        name, items, cached, hit = _parts(
            line, 4, 4, "name | catalogue items | cached items | hit rate", where
        )
        out.append({"name": name, "catalogue_items": parse_number(items, f"{where} items"),
                    "cached_items": parse_number(cached, f"{where} cached"),
                    "hit_rate": parse_fraction(hit, f"{where} hit rate")})  # fmt: skip
    return out


def parse_stages(text) -> list[dict]:
    """'name | latency ms | what it does | path | parallel group' per line (path defaults to
    online)."""
    out = []
    for i, line in _lines(text):
        where = f"stage line {i}"
        name, ms, does, path, group = _parts(
            line, 2, 5, "name | latency ms | what it does | path | parallel group", where
        )
        path = path.lower() or "online"
        require_choice(f"{where} path", path, designs.PATHS)
        stage = {"name": name, "does": does, "path": path, "parallel_group": group}
        latency = parse_number(ms.lower().removesuffix("ms").strip(), f"{where} latency")
        if latency is not None:
            stage["latency_ms"] = latency
        out.append(stage)
    return out


def parse_models(text) -> list[dict]:
    """'stage | model | why | alternative' per line."""
    out = []
    for i, line in _lines(text):
        stage, model, why, alternative = _parts(
            line, 2, 4, "stage | model | why | alternative", f"model line {i}"
        )
        out.append({"stage": stage, "model": model, "why": why, "alternative": alternative})
    return out


def parse_metrics(text) -> list[dict]:
    """'kind | name | target | why' per line, kind offline, online or guardrail."""
    out = []
    for i, line in _lines(text):
        where = f"metric line {i}"
        kind, name, target, why = _parts(line, 3, 4, "kind | name | target | why", where)
        kind = require_choice(f"{where} kind", kind.lower(), designs.METRIC_KINDS)
        direction, value, unit = parse_target(target, f"{where} target")
        metric = {"kind": kind, "name": name, "unit": unit, "why": why}
        if value is not None:
            metric |= {"direction": direction, "target": value}
        out.append(metric)
    return out


def parse_detectors(text) -> list[dict]:
    """'name | action | recall | FPR | prevalence | events a day | min precision' per line."""
    out = []
    keys = ("recall", "fpr", "prevalence", "events_per_day", "min_precision")
    for i, line in _lines(text):
        where = f"detector line {i}"
        name, action, *numbers = _parts(
            line, 4, 7, "name | action | recall | FPR | prevalence | events a day | min "
            "precision", where,
        )  # fmt: skip
        action = require_choice(f"{where} action", action.lower(), designs.ACTIONS)
        target = {"name": name, "action": action}
        for key, text_value in zip(keys, numbers, strict=True):
            parse = parse_number if key == "events_per_day" else parse_fraction
            value = parse(text_value, f"{where} {key}")
            if value is not None:
                target[key] = value
        out.append(target)
    return out


def parse_tradeoffs(text) -> list[dict]:
    """'choice | gain | cost | alternative' per line."""
    return [
        dict(zip(("choice", "gain", "cost", "alternative"),
                 _parts(line, 2, 4, "choice | gain | cost | alternative", f"trade-off line {i}"),
                 strict=True))
        for i, line in _lines(text)
    ]  # fmt: skip


def parse_failures(text) -> list[dict]:
    """'failure | how you notice | fallback' per line."""
    return [
        dict(zip(("failure", "detection", "fallback"),
                 _parts(line, 1, 3, "failure | how you notice | fallback", f"failure line {i}"),
                 strict=True))
        for i, line in _lines(text)
    ]  # fmt: skip


def parse_monitoring(text) -> list[dict]:
    """'kind | signal | alert when | action' per line, e.g. 'data | PSI of price | > 0.2 PSI |
    retrain'."""
    out = []
    for i, line in _lines(text):
        where = f"monitoring line {i}"
        kind, name, when, action = _parts(line, 3, 4, "kind | signal | alert when | action", where)
        kind = require_choice(f"{where} kind", kind.lower(), designs.SIGNAL_KINDS)
        direction, value, unit = parse_target(when, f"{where} alert when")
        signal = {"kind": kind, "name": name, "unit": unit, "action": action}
        if value is not None:
            signal |= {"direction": direction, "threshold": value}
        out.append(signal)
    return out


_LIST_PARSERS = {
    "questions": ("clarifying_questions", parse_questions),
    "models": ("models", parse_models),
    "metrics": ("metrics", parse_metrics),
    "detectors": ("detector_targets", parse_detectors),
    "tradeoffs": ("tradeoffs", parse_tradeoffs),
    "failures": ("failure_modes", parse_failures),
    "monitoring": ("monitoring", parse_monitoring),
}


@dataclass(frozen=True)
class ParsedAnswer:
    design: Design
    errors: tuple[tuple[str, str], ...]  # (field, message) of the parts that could not be read


def _number_answers(answers: dict, errors: list) -> dict:
    out = {}
    for key in NUMBER_FIELDS:
        try:
            out[key] = parse_number(answers.get(key, ""), key)
        except ValueError as exc:
            errors.append((key, str(exc)))
            out[key] = None
    return out


def _requirements(answers: dict, n: dict) -> dict:
    req = {
        "functional": [line for _i, line in _lines(answers.get("functional"))],
        "non_functional": [line for _i, line in _lines(answers.get("non_functional"))],
    }
    for key in ("latency_slo_ms", "latency_percentile", "availability_pct", "freshness_s",
                "frames_per_second"):  # fmt: skip
        if n[key] is not None:
            req[key] = n[key]
    return req


def _estimates(answers: dict, n: dict, errors: list) -> dict:
    est = {"serving_site": answers.get("serving_site") or "data centre"}
    users, per_user = n["daily_active_users"], n["events_per_user_per_day"]
    if users is not None and per_user is not None:
        load = estimates.qps(users, per_user, n["peak_factor"] or 3.0)
        est["load"] = {
            "basis": f"{estimates.format_count(users)} users x {per_user:g} events each",
            "daily_active_users": users,
            "events_per_user_per_day": per_user,
            "events_per_day": load.details["requests_per_day"],
            "peak_factor": n["peak_factor"] or 3.0,
            "average_qps": load.details["average_qps"],
            "peak_qps": load.value,
        }
    servers = {k: n[v] for k, v in (("per_server_qps", "per_server_qps"),
                                     ("headroom", "headroom"), ("count", "servers"))
               if n[v] is not None}  # fmt: skip
    if servers:
        if "count" in servers:
            servers["count"] = int(math.ceil(servers["count"]))
        est["servers"] = servers
    for key, parse in (("storage", parse_storage), ("caches", parse_caches)):
        try:
            est[key] = parse(answers.get(key))
        except ValueError as exc:
            errors.append((key, str(exc)))
    return est


def design_from_answers(problem: int, answers: dict) -> ParsedAnswer:
    """The learner's typed answer as a ``Design``; unreadable parts are left out and named."""
    problem = require_int("problem", problem, 1, designs.N_PROBLEMS)
    errors: list[tuple[str, str]] = []
    numbers = _number_answers(answers, errors)
    data: dict = {
        "problem": problem,
        "title": practice.problem(problem).title,
        "summary": str(answers.get("summary") or ""),
        "requirements": _requirements(answers, numbers),
        "estimates": _estimates(answers, numbers, errors),
    }
    try:
        data["architecture"] = {
            "stages": parse_stages(answers.get("stages")),
            "pipelined": bool(answers.get("pipelined")),
        }
    except ValueError as exc:
        errors.append(("stages", str(exc)))
    for key, (field_name, parse) in _LIST_PARSERS.items():
        try:
            data[field_name] = parse(answers.get(key))
        except ValueError as exc:
            errors.append((key, str(exc)))
    data["challenges"] = [
        {"key": key, "question": "", "answer": str(answers.get(f"challenge:{key}") or "")}
        for key in PROBLEM_CHALLENGES[problem]
        if str(answers.get(f"challenge:{key}") or "").strip()
    ]
    deployment = {
        "training_data": str(answers.get("training_data") or ""),
        "rollout": [line for _i, line in _lines(answers.get("rollout"))],
    }
    if numbers["retrain_every_days"]:
        deployment["retrain_every_days"] = numbers["retrain_every_days"]
    data["deployment"] = deployment
    return ParsedAnswer(_validated(data, errors), tuple(errors))


def _validated(data: dict, errors: list) -> Design:
    """Build the design; a field whose values are out of range is dropped and named."""
    for _attempt in range(len(data) + 1):
        try:
            return Design.from_dict(data)
        except ValueError as exc:
            path = str(exc).split(" ", 1)[0]
            top = path.removeprefix("design.").split(".")[0].split("[")[0]
            if top not in data or top == "problem":
                raise
            errors.append((top, str(exc)))
            del data[top]
    raise AssertionError("unreachable")  # pragma: no cover


def _cell(text: str) -> str:
    """Text safe inside one '|'-separated part."""
    return str(text).replace("|", "/").replace("\n", " ")


def answers_from_design(design: Design) -> dict:
    """The typed fields that describe ``design`` (the inverse of ``design_from_answers`` for
    what the mock asks: sample answers and tests use it)."""
    d, n = design, {}
    req, est = d.requirements, d.estimates
    n["questions"] = "\n".join(
        f"{q.question.rstrip('?')}? {q.assumption}".strip() for q in d.clarifying_questions
    )
    if req:
        n["functional"], n["non_functional"] = (
            "\n".join(req.functional),
            "\n".join(req.non_functional),
        )
        for key in ("latency_slo_ms", "latency_percentile", "availability_pct", "freshness_s",
                    "frames_per_second"):  # fmt: skip
            if getattr(req, key) is not None:
                n[key] = f"{getattr(req, key):g}"
    if est:
        n["serving_site"] = est.serving_site
        if est.load and est.load.daily_active_users is not None:
            n["daily_active_users"] = f"{est.load.daily_active_users:g}"
            n["events_per_user_per_day"] = f"{est.load.events_per_user_per_day:g}"
        elif est.load and est.load.events_per_day is not None:
            n["daily_active_users"], n["events_per_user_per_day"] = (
                f"{est.load.events_per_day:g}",
                "1",
            )
        if est.load and est.load.peak_factor:
            n["peak_factor"] = f"{est.load.peak_factor:g}"
        if est.servers:
            for key, field_name in (("per_server_qps", "per_server_qps"),
                                    ("headroom", "headroom"), ("servers", "count")):  # fmt: skip
                if getattr(est.servers, field_name) is not None:
                    n[key] = f"{getattr(est.servers, field_name):g}"
        n["storage"] = "\n".join(
            f"{_cell(s.name)} | {s.count:g} | {s.bytes_each:g} | {s.replication:g}"
            for s in est.storage
            if None not in (s.count, s.bytes_each, s.replication)
        )
        n["caches"] = "\n".join(
            f"{_cell(c.name)} | {c.catalogue_items:g} | {c.cached_items:g} | {c.hit_rate:g}"
            for c in est.caches
        )
    if d.architecture:
        n["stages"] = "\n".join(
            " | ".join([_cell(s.name), "" if s.latency_ms is None else f"{s.latency_ms:g}",
                        _cell(s.does), s.path, s.parallel_group]).rstrip(" |")
            for s in d.architecture.stages
        )  # fmt: skip
        n["pipelined"] = d.architecture.pipelined
    n["models"] = "\n".join(
        f"{_cell(m.stage)} | {_cell(m.model)} | {_cell(m.why)} | {_cell(m.alternative)}"
        for m in d.models
    )
    n["metrics"] = "\n".join(
        f"{m.kind} | {_cell(m.name)} | "
        + (f"{m.direction} {m.target:g} {m.unit}".strip() if m.target is not None else "")
        + f" | {_cell(m.why)}"
        for m in d.metrics
    )
    n["detectors"] = "\n".join(
        " | ".join([_cell(t.name), t.action or "alert", *(
            "" if getattr(t, k) is None else f"{getattr(t, k):g}"
            for k in ("recall", "fpr", "prevalence", "events_per_day", "min_precision"))])
        for t in d.detector_targets
    )  # fmt: skip
    for c in d.challenges:
        n[f"challenge:{c.key}"] = c.answer.strip()
    n["tradeoffs"] = "\n".join(
        " | ".join(_cell(x) for x in (t.choice, t.gain, t.cost, t.alternative)) for t in d.tradeoffs
    )
    n["failures"] = "\n".join(
        " | ".join(_cell(x) for x in (f.failure, f.detection, f.fallback)) for f in d.failure_modes
    )
    n["monitoring"] = "\n".join(
        f"{s.kind} | {_cell(s.name)} | "
        + (f"{s.direction} {s.threshold:g} {s.unit}".strip() if s.threshold is not None else "")
        + f" | {_cell(s.action)}"
        for s in d.monitoring
    )
    n["summary"] = d.summary.strip()
    if d.deployment:
        n["training_data"] = d.deployment.training_data
        n["rollout"] = "\n".join(d.deployment.rollout)
        if d.deployment.retrain_every_days:
            n["retrain_every_days"] = f"{d.deployment.retrain_every_days:g}"
    return n


# --- the session ---------------------------------------------------------------------------


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Nudge:
    kind: str  # "numbers", "overrun", "time", "follow_up"
    text: str


class MockSession:
    """One mock interview: its problem and length, the clock, the phase the learner is in,
    the answers typed so far, and (after time is up) the self-scores.

    ``data`` is the plain dict saved as JSON; the session only counts time while running."""

    def __init__(self, data: dict, clock=None):
        self.data = data
        self.clock = clock or SystemClock()
        self._resumed_at: float | None = None

    @classmethod
    def new(cls, problem, length_min, clock=None, rng=None, when=None) -> MockSession:
        number = pick_problem(problem, rng)
        total = _length(length_min)
        when = when or dt.datetime.now(dt.UTC)
        data = {
            "id": f"{when:%Y%m%d-%H%M%S}-p{number:02d}",
            "problem": number,
            "surprise": int(problem) == SURPRISE,
            "length_min": total,
            "created": when.isoformat(timespec="seconds"),
            "elapsed_s": 0.0,
            "phase": PHASE_KEYS[0],
            "phase_seconds": dict.fromkeys(PHASE_KEYS, 0.0),
            "answers": {},
            "finished": False,
            "self_scores": None,
            "revealed": False,
        }
        return cls(data, clock)

    # time ----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._resumed_at is not None

    def start(self) -> None:
        """Start (or resume) the clock."""
        if not self.running and not self.data["finished"]:
            self._resumed_at = self.clock.now()

    def pause(self) -> None:
        """Stop counting time (the elapsed time so far is kept)."""
        if self.running:
            self._bank()
            self._resumed_at = None

    def _bank(self) -> None:
        now = self.clock.now()
        spent = min(max(0.0, now - self._resumed_at), self.total_s - self.data["elapsed_s"])
        spent = max(0.0, spent)
        self.data["elapsed_s"] += spent
        self.data["phase_seconds"][self.data["phase"]] += spent
        self._resumed_at = now

    def tick(self) -> None:
        """Bring the saved times up to now (called by the widget's timer)."""
        if self.running:
            self._bank()
            if self.time_left_s <= 0:
                self.finish()

    @property
    def total_s(self) -> float:
        return 60.0 * self.data["length_min"]

    @property
    def elapsed_s(self) -> float:
        extra = max(0.0, self.clock.now() - self._resumed_at) if self.running else 0.0
        return min(self.total_s, self.data["elapsed_s"] + extra)

    @property
    def time_left_s(self) -> float:
        return max(0.0, self.total_s - self.elapsed_s)

    def phase_elapsed_s(self, phase: str | None = None) -> float:
        phase = phase or self.data["phase"]
        extra = 0.0
        if self.running and phase == self.data["phase"]:
            extra = max(0.0, self.clock.now() - self._resumed_at)
        return self.data["phase_seconds"][phase] + extra

    # phases and answers --------------------------------------------------------------------
    @property
    def phase(self) -> str:
        return self.data["phase"]

    def go_to(self, phase: str) -> None:
        """Move to ``phase`` (forward or back); the time so far stays with the old phase."""
        require_choice("phase", phase, PHASE_KEYS)
        if self.running:
            self._bank()
        self.data["phase"] = phase

    def next_phase(self) -> str:
        i = PHASE_KEYS.index(self.phase)
        if i + 1 < len(PHASE_KEYS):
            self.go_to(PHASE_KEYS[i + 1])
        return self.phase

    def set_answer(self, key: str, value) -> None:
        self.data["answers"][key] = value

    def finish(self) -> None:
        """Time is up (or the learner stops early): the clock stops; scoring comes next."""
        self.pause()
        self.data["finished"] = True
        self.data.setdefault("finished_at", _now_iso())

    # reading it ----------------------------------------------------------------------------
    @property
    def problem(self) -> int:
        return self.data["problem"]

    def parsed(self) -> ParsedAnswer:
        return design_from_answers(self.problem, self.data["answers"])

    def phase_minutes(self) -> dict[str, float]:
        return {p: self.phase_elapsed_s(p) / 60 for p in PHASE_KEYS}

    def pacing_view(self) -> dict:
        """What the checker needs to judge the pacing (``interviewer.pacing``)."""
        return {
            "phase_minutes": self.phase_minutes(),
            "bands": bands(self.data["length_min"]),
            "labels": {p.key: p.label for p in PHASES},
            "finished": self.data["finished"],
        }

    def nudges(self, design: Design | None = None) -> list[Nudge]:
        """What a good interviewer (or a kind timer) would say now."""
        if self.data["finished"]:
            return [Nudge("time", "Time is up: score yourself on the rubric below.")]
        design = design or self.parsed().design
        phase = PHASE_BY_KEY[self.phase]
        spent = self.phase_elapsed_s() / 60
        planned = planned_minutes(phase.key, self.data["length_min"])
        out = []
        if spent >= max(2.0, planned / 4) and not _heard(phase.key, design, self.data["answers"]):
            out.append(Nudge("numbers", f"You are {spent:.0f} minutes into the "
                             f"{phase.label.lower()} without {phase.expects}."))  # fmt: skip
        if spent > planned:
            nxt = PHASE_KEYS.index(phase.key) + 1
            move = (f": move on to {PHASES[nxt].label.lower()}" if nxt < len(PHASES)
                    else ": close now")  # fmt: skip
            out.append(Nudge("overrun", f"{phase.label} has run {spent - planned:.0f} min past "
                             f"its {planned:.3g} minutes{move}."))  # fmt: skip
        left = self.time_left_s / 60
        if left <= 5 and phase.key != "wrap_up":
            out.append(Nudge("time", f"{left:.0f} minutes left: wrap up (summary, then risks)."))
        return out


def _heard(phase: str, design: Design, answers: dict) -> bool:
    """Has the phase produced what an interviewer expects of it (the nudge's condition)?"""
    req, est = design.requirements, design.estimates
    if phase == "clarify":
        return len(design.clarifying_questions) >= 2
    if phase == "requirements":
        return bool(req and req.latency_slo_ms is not None and est and est.load)
    if phase == "high_level":
        return sum(1 for s in designs.online_stages(design) if s.latency_ms is not None) >= 3
    if phase == "deep_dive":
        return any(m.target is not None for m in design.metrics)
    if phase == "tradeoffs":
        return bool(design.tradeoffs) and any(f.fallback for f in design.failure_modes)
    return bool(design.summary.strip())


# --- saving -------------------------------------------------------------------------------


class MockStore:
    """One JSON file per mock in ``<folder>/mock-interviews/``."""

    def __init__(self, folder="."):
        self.folder = Path(folder).expanduser() / FOLDER

    def path(self, session_id: str) -> Path:
        if not re.fullmatch(r"[0-9]{8}-[0-9]{6}-p[0-9]{2}", str(session_id)):
            raise ValueError(f"session id must look like 20261203-101500-p03; got {session_id!r}.")
        return self.folder / f"{session_id}.json"

    def save(self, session: MockSession) -> Path:
        if session.running:
            session.tick()
        data = dict(session.data, saved=_now_iso())
        return learner_files.write_json_atomic(self.path(data["id"]), data, FORMAT)

    def load(self, session_id: str, clock=None) -> MockSession:
        data = learner_files.read_json(self.path(session_id), FORMAT)
        if data is None:
            raise ValueError(f"no saved mock {session_id!r} in {self.folder}.")
        data.pop(learner_files.FORMAT_KEY, None)
        return MockSession(data, clock)

    def sessions(self) -> tuple[list[dict], list[str]]:
        """(saved mocks, oldest first; files that could not be read, with why)."""
        found, skipped = [], []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            if path.name.endswith("-debrief.json"):
                continue
            try:
                data = learner_files.read_json(path, FORMAT)
            except ValueError as exc:
                skipped.append(str(exc))
                continue
            found.append(data)
        return sorted(found, key=lambda d: d["created"]), skipped

    def latest_unfinished(self, clock=None) -> MockSession | None:
        mocks, _skipped = self.sessions()
        open_ = [d for d in mocks if not d.get("self_scores")]
        if not open_:
            return None
        data = dict(open_[-1])
        data.pop(learner_files.FORMAT_KEY, None)
        return MockSession(data, clock)


def problem_label(number: int) -> str:
    """'Problem 3 · Spotify music recommendations' (the study planner's name for it)."""
    return f"Problem {number} · {practice.problem(number).title}"


def challenge_prompt(key: str) -> str:
    return f"{key.replace('_', ' ')}: {CHALLENGES[key]}"


# --- a mock handed in for grading ----------------------------------------------------------

GRADING_FENCE = "mlsd-mock-answer"


def grading_text(session: MockSession) -> str:
    """What a learner pastes into a manually graded cell: the design as Markdown for the
    grader to read, then the typed fields in a fenced JSON block (``GRADING_FENCE``) that the
    instructor's checker parses as data (``answers_from_grading_text``), never executes."""
    design = session.parsed().design
    payload = {"problem": session.problem, "length_min": session.data["length_min"],
               "answers": session.data["answers"]}  # fmt: skip
    text = designs.to_markdown(design, heading="Mock answer")
    fence = "`" * 4
    return f"{text}\n{fence}{GRADING_FENCE}\n{json.dumps(payload, indent=1)}\n{fence}\n"


_FENCED = re.compile(r"`{3,}\s*" + GRADING_FENCE + r"\s*\n(.*?)\n`{3,}", re.S)


def answers_from_grading_text(text: str) -> tuple[int, dict]:
    """(problem, answers) from a graded cell's text; ValueError when there is no valid block."""
    m = _FENCED.search(str(text))
    if not m:
        raise ValueError(
            f"text has no {GRADING_FENCE} block (paste what mock.for_grading() printed)."
        )
    try:
        payload = json.loads(m.group(1))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the {GRADING_FENCE} block is not valid JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise ValueError(f"the {GRADING_FENCE} block must hold problem and answers.")
    answers = {str(k): v for k, v in payload["answers"].items()
               if isinstance(v, str | bool | int | float)}  # fmt: skip
    return require_int("problem", payload.get("problem"), 1, designs.N_PROBLEMS), answers
