"""Structured ML system designs: the eleven reference designs and the schema they share.

A design is what a strong candidate puts on the whiteboard in 45 minutes, as data: the
clarifying questions (each with the assumption made if the interviewer does not answer),
requirements, back-of-envelope estimates, the architecture as stages with latency budgets,
models and why, metrics with targets, detector operating points, trade-offs, failure modes
with fallbacks, monitoring signals with thresholds, and a worked answer to each of the
problem's own challenges (cold start, freshness, adversarial content, ...).

Every quantity an interviewer would check is a typed field with its unit in its name
(``latency_ms``, ``peak_qps``, ``total_bytes``), never free text, so the same schema can
describe a learner's answer in the mock interview and a checker can recompute it with the
workbook's own calculators (``mlsd.estimates``, ``mlsd.base_rates``):

* :func:`inconsistencies` finds contradictions (stages summing past the SLO, too few servers
  for the peak with headroom, storage that is not count x bytes x replication, a detector
  whose precision at the stated prevalence misses its own floor, a cache hit rate the
  catalogue cannot give, a stage slower than the frame interval of a 30 FPS stream);
* :func:`omissions` lists the parts a complete design must have and this one lacks.

Designs are plain frozen dataclasses. ``Design.from_dict`` builds one from JSON/TOML data and
raises ``ValueError`` naming the field path, the value and the allowed range;
``Design.to_dict`` gives JSON/TOML-able data back (``None`` fields are left out). Every
field except ``problem`` has a default, so a learner's partial answer parses and
:func:`omissions` says what is missing. :func:`to_markdown` renders a design for a reveal.

The reference designs live in ``mlsd/reference_designs/pNN-*.toml`` (:func:`reference`).
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from mlsd import base_rates, estimates
from mlsd.validation import require_choice, require_int, require_number

N_PROBLEMS = 11

# Where a stage runs: "online" stages are on the request path and share the latency SLO;
# "nearline" stages (streams) are bounded by the freshness requirement; "offline" ones
# (training, batch jobs) have no per-request budget.
PATHS = ("online", "nearline", "offline")
SERVING_SITES = ("data centre", "on device", "in vehicle")
METRIC_KINDS = ("offline", "online", "guardrail")
DIRECTIONS = (">", ">=", "<", "<=")
# "data" signals watch the inputs (feature drift, missing values, schema): the drift signal.
SIGNAL_KINDS = ("system", "model", "data", "business")
ACTIONS = ("block", "remove", "step_up", "human_review", "downrank", "alert")
STORAGE_MEDIA = ("memory", "disk", "device")

CHALLENGES = {
    "cold_start": "new users or new items with no interaction history",
    "freshness": "new items must be servable within minutes, not at the next batch",
    "diversity": "variety in what is recommended, not more of the same",
    "adversarial": "people who game or evade the model on purpose",
    "personalisation": "the same query or email means different things to different users",
    "spoofing": "presentation attacks: photos, screens, masks",
    "real_time": "a 30 FPS stream: throughput per stage versus end-to-end latency",
    "safety_critical": "a miss can hurt someone: redundancy and a safe fallback",
    "context": "the thread or conversation so far changes the right answer",
    "privacy": "private data: who may see it, what may be learned from it",
    "multi_turn": "a dialogue: state carried across turns",
    "evolving_patterns": "the positives change as adversaries adapt (concept drift)",
    "base_rate": "positives are rare: precision and volume at the real prevalence",
    "delayed_labels": "the truth arrives days or weeks after the decision",
    "multi_modal": "text, images and video together",
}
# The challenges each problem's statement names (or implies): a design must answer them.
PROBLEM_CHALLENGES = {
    1: ("cold_start",),
    2: ("freshness", "cold_start"),
    3: ("diversity", "cold_start"),
    4: ("adversarial", "freshness"),
    5: ("personalisation",),
    6: ("spoofing",),
    7: ("real_time", "safety_critical"),
    8: ("personalisation", "context", "privacy"),
    9: ("multi_turn",),
    10: ("evolving_patterns", "base_rate", "delayed_labels"),
    11: ("multi_modal", "adversarial", "base_rate"),
}


def _spec(default=None, *, low=None, high=None, choices=None, unit="", low_inclusive=True,
          high_inclusive=True):  # fmt: skip
    """A dataclass field with the range (or choices) ``from_dict`` enforces."""
    meta = {
        "low": low,
        "high": high,
        "choices": choices,
        "unit": unit,
        "low_inclusive": low_inclusive,
        "high_inclusive": high_inclusive,
    }
    if isinstance(default, tuple | list):
        return field(default_factory=lambda: tuple(default), metadata=meta)
    return field(default=default, metadata=meta)


def _text(default=""):
    return field(default=default)


def _many(default=()):
    return field(default_factory=lambda: tuple(default))


# --- the schema ------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A clarifying question, and the assumption made if the interviewer does not answer."""

    question: str = _text()
    assumption: str = _text()


@dataclass(frozen=True)
class Requirements:
    functional: tuple[str, ...] = _many()
    non_functional: tuple[str, ...] = _many()
    latency_slo_ms: float | None = _spec(low=0, low_inclusive=False, unit="ms")
    latency_percentile: float | None = _spec(99.0, low=50, high=100, unit="(percentile)")
    frames_per_second: float | None = _spec(low=0, low_inclusive=False, unit="frames/s")
    freshness_s: float | None = _spec(low=0, low_inclusive=False, unit="s")
    availability_pct: float | None = _spec(low=0, high=100, unit="%")


@dataclass(frozen=True)
class Load:
    """Traffic: what one event is, how many a day, the average and the peak."""

    basis: str = _text()
    daily_active_users: float | None = _spec(low=0, unit="users")
    events_per_user_per_day: float | None = _spec(low=0, unit="events/user/day")
    events_per_day: float | None = _spec(low=0, unit="events/day")
    peak_factor: float | None = _spec(low=1, high=20, unit="x average")
    average_qps: float | None = _spec(low=0, unit="requests/s")
    peak_qps: float | None = _spec(low=0, unit="requests/s")


@dataclass(frozen=True)
class Servers:
    hardware: str = _text()
    per_server_qps: float | None = _spec(low=0, low_inclusive=False, unit="requests/s")
    headroom: float | None = _spec(low=0, high=1, high_inclusive=False, unit="(fraction)")
    count: int | None = _spec(low=0, unit="servers")


@dataclass(frozen=True)
class Storage:
    """One store: ``count`` items (after retention) x ``bytes_each`` x ``replication``."""

    name: str = _text()
    medium: str | None = _spec(choices=STORAGE_MEDIA)
    count: float | None = _spec(low=0, unit="items")
    bytes_each: float | None = _spec(low=0, unit="B")
    replication: float | None = _spec(low=1, high=10, unit="copies")
    total_bytes: float | None = _spec(low=0, unit="B")


@dataclass(frozen=True)
class Cache:
    """A cache of the most popular ``cached_items`` of a Zipf-distributed catalogue."""

    name: str = _text()
    catalogue_items: float | None = _spec(low=1, unit="items")
    cached_items: float | None = _spec(low=0, unit="items")
    hit_rate: float | None = _spec(low=0, high=1, unit="(fraction)")
    zipf_exponent: float | None = _spec(1.0, low=0, high=3)


@dataclass(frozen=True)
class Estimates:
    serving_site: str | None = _spec("data centre", choices=SERVING_SITES)
    load: Load | None = None
    servers: Servers | None = None
    storage: tuple[Storage, ...] = _many()
    caches: tuple[Cache, ...] = _many()


@dataclass(frozen=True)
class Stage:
    """One box of the architecture. Online stages in one ``parallel_group`` run at the same
    time, so the slowest of the group counts toward the critical path."""

    name: str = _text()
    does: str = _text()
    path: str | None = _spec("online", choices=PATHS)
    latency_ms: float | None = _spec(low=0, unit="ms")
    parallel_group: str = _text()


@dataclass(frozen=True)
class Architecture:
    stages: tuple[Stage, ...] = _many()
    # True when stages work on different frames (or requests) at the same time: a stream
    # then needs each stage, not their sum, to keep up with the frame rate.
    pipelined: bool = False


@dataclass(frozen=True)
class ModelChoice:
    stage: str = _text()  # the name of the stage it serves
    model: str = _text()
    why: str = _text()
    alternative: str = _text()  # the option weighed against it, and why not


@dataclass(frozen=True)
class Metric:
    name: str = _text()
    kind: str | None = _spec(choices=METRIC_KINDS)
    direction: str | None = _spec(choices=DIRECTIONS)
    target: float | None = _spec()
    unit: str = _text()
    test_size: float | None = _spec(low=0, unit="examples")  # how many cases measure it
    why: str = _text()


@dataclass(frozen=True)
class DetectorTarget:
    """One action of a detector (block, step-up, review...), seen at the real base rate.

    ``recall`` and ``fpr`` are the shares of positives and negatives that get this action;
    ``min_precision`` and the daily limits are the design's own floors and capacities.
    """

    name: str = _text()
    action: str | None = _spec(choices=ACTIONS)
    recall: float | None = _spec(low=0, high=1, unit="(fraction)")
    fpr: float | None = _spec(low=0, high=1, unit="(fraction)")
    prevalence: float | None = _spec(
        low=0, high=1, low_inclusive=False, high_inclusive=False, unit="(fraction)"
    )
    events_per_day: float | None = _spec(low=0, low_inclusive=False, unit="events/day")
    min_precision: float | None = _spec(low=0, high=1, unit="(fraction)")
    max_flags_per_day: float | None = _spec(low=0, unit="events/day")
    max_false_alarms_per_day: float | None = _spec(low=0, unit="events/day")


@dataclass(frozen=True)
class TradeOff:
    choice: str = _text()
    gain: str = _text()
    cost: str = _text()
    alternative: str = _text()


@dataclass(frozen=True)
class FailureMode:
    failure: str = _text()
    detection: str = _text()
    fallback: str = _text()


@dataclass(frozen=True)
class Signal:
    """A monitored signal and the threshold that triggers ``action``."""

    name: str = _text()
    kind: str | None = _spec(choices=SIGNAL_KINDS)
    direction: str | None = _spec(choices=DIRECTIONS)
    threshold: float | None = _spec()
    unit: str = _text()
    action: str = _text()


@dataclass(frozen=True)
class Challenge:
    key: str | None = _spec(choices=tuple(CHALLENGES))
    question: str = _text()
    answer: str = _text()


@dataclass(frozen=True)
class Deployment:
    training_data: str = _text()
    retrain_every_days: float | None = _spec(low=0, low_inclusive=False, unit="days")
    rollout: tuple[str, ...] = _many()


@dataclass(frozen=True)
class Design:
    problem: int = field(metadata={"low": 1, "high": N_PROBLEMS})
    title: str = _text()
    summary: str = _text()
    clarifying_questions: tuple[Question, ...] = _many()
    requirements: Requirements | None = None
    estimates: Estimates | None = None
    architecture: Architecture | None = None
    models: tuple[ModelChoice, ...] = _many()
    metrics: tuple[Metric, ...] = _many()
    detector_targets: tuple[DetectorTarget, ...] = _many()
    tradeoffs: tuple[TradeOff, ...] = _many()
    failure_modes: tuple[FailureMode, ...] = _many()
    monitoring: tuple[Signal, ...] = _many()
    challenges: tuple[Challenge, ...] = _many()
    deployment: Deployment | None = None

    @classmethod
    def from_dict(cls, data) -> Design:
        """Build a design from JSON/TOML data; a bad field raises ``ValueError`` naming it."""
        if not isinstance(data, dict) or "problem" not in data:
            raise ValueError(
                f"design must be a dict with at least a 'problem' number (1 to {N_PROBLEMS}); "
                f"got {_short(data)}."
            )
        return _build(cls, data, "design")

    def to_dict(self) -> dict:
        """JSON/TOML-able data (tuples become lists; ``None`` fields are left out)."""
        return _plain(self)


# --- from_dict / to_dict ---------------------------------------------------------------


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _unwrap_optional(kind):
    """``X | None`` -> (X, True); ``X`` -> (X, False)."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0], True
    return kind, False


def _build(cls, data, path: str):
    if not isinstance(data, dict):
        raise ValueError(f"{path} must be a table (dict) of fields; got {_short(data)}.")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"{path} has no field {unknown[0]!r}; its fields are {', '.join(fields)}.")
    hints = _hints(cls)
    values = {
        name: _value(hints[name], data[name], f"{path}.{name}", fields[name].metadata)
        for name in data
    }
    return cls(**values)


def _value(kind, value, path: str, meta):
    kind, optional = _unwrap_optional(kind)
    if value is None:
        if optional:
            return None
        raise ValueError(f"{path} may not be empty (None).")
    if typing.get_origin(kind) is tuple:
        (item_kind, _ellipsis) = typing.get_args(kind)
        if not isinstance(value, list | tuple):
            raise ValueError(f"{path} must be a list; got {_short(value)}.")
        return tuple(_value(item_kind, v, f"{path}[{i}]", {}) for i, v in enumerate(value))
    if dataclasses.is_dataclass(kind):
        return _build(kind, value, path)
    if kind is str:
        if meta.get("choices"):
            return require_choice(path, value, meta["choices"])
        if not isinstance(value, str):
            raise ValueError(f"{path} must be text; got {_short(value)}.")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{path} must be true or false; got {_short(value)}.")
        return value
    low, high = meta.get("low"), meta.get("high")
    if kind is int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return require_int(path, value, low, high)
    return require_number(
        path,
        value,
        low,
        high,
        low_inclusive=meta.get("low_inclusive", True),
        high_inclusive=meta.get("high_inclusive", True),
        unit=meta.get("unit", ""),
    )


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


# --- the reference designs -------------------------------------------------------------


@cache
def references() -> tuple[Design, ...]:
    """The eleven reference designs, in problem order."""
    folder = resources.files("mlsd").joinpath("reference_designs")
    found = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if file.name.endswith(".toml"):
            try:
                design = Design.from_dict(tomllib.loads(file.read_text("utf-8")))
            except (ValueError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"{file.name}: {exc}") from exc
            found[design.problem] = design
    missing = sorted(set(range(1, N_PROBLEMS + 1)) - set(found))
    if missing:
        raise ValueError(f"no reference design for problem(s) {missing}.")
    return tuple(found[n] for n in range(1, N_PROBLEMS + 1))


def reference(number) -> Design:
    """The reference design of practice problem ``number`` (1 to 11)."""
    number = require_int("number", number, 1, N_PROBLEMS)
    return references()[number - 1]


# --- what the numbers imply ------------------------------------------------------------


def online_stages(design: Design) -> tuple[Stage, ...]:
    stages = design.architecture.stages if design.architecture else ()
    return tuple(s for s in stages if s.path == "online")


def critical_path_ms(stages) -> float | None:
    """Latency of the online path: stages add up; a parallel group costs its slowest stage.

    None when an online stage has no latency budget (the sum is then unknown).
    """
    groups: dict[str, float] = {}
    total = 0.0
    for stage in stages:
        if stage.path != "online":
            continue
        if stage.latency_ms is None:
            return None
        if stage.parallel_group:
            groups[stage.parallel_group] = max(
                groups.get(stage.parallel_group, 0.0), stage.latency_ms
            )
        else:
            total += stage.latency_ms
    return total + sum(groups.values())


def frame_interval_ms(frames_per_second: float) -> float:
    return 1000.0 / frames_per_second


@dataclass(frozen=True)
class Inconsistency:
    """A number in the design that the workbook's own calculators contradict."""

    path: str  # where in the design, e.g. "estimates.servers.count"
    message: str
    # Which check found it (a key of ``INCONSISTENCY_RULES``), so a reviewer such as the
    # mock interview's checker can say what it costs without reading the message.
    rule: str = ""


INCONSISTENCY_RULES = {
    "load_events": "events a day are not users x events per user",
    "load_average": "the average QPS is not events a day / 86,400 s",
    "load_peak": "the peak QPS is not the average x the peak factor",
    "servers": "too few servers for the peak with headroom",
    "storage": "a store's total is not count x bytes x copies",
    "cache_oversize": "a cache holds more items than the catalogue",
    "cache_hit_rate": "a hit rate the cached share of a Zipf catalogue cannot give",
    "model_stage": "a model serves a stage that is not in the architecture",
    "latency_slo": "the online stages add up past the latency SLO",
    "frame_stage": "a pipelined stage slower than the frame interval",
    "frame_serial": "unpipelined stages slower than the frame interval",
    "freshness": "nearline stages slower than the freshness requirement",
    "detector_precision": "a detector's precision at the base rate below its floor",
    "detector_flags": "more flags a day than can be handled",
    "detector_false_alarms": "more false alarms a day than allowed",
    "test_size": "too few test cases to show a rate that small (rule of three)",
}


def _off(stated: float, computed: float, rel_tol: float) -> bool:
    return not math.isclose(stated, computed, rel_tol=rel_tol, abs_tol=1e-9)


def _load_issues(load: Load, rel_tol: float) -> list[Inconsistency]:
    out = []
    path = "estimates.load"
    if None not in (load.daily_active_users, load.events_per_user_per_day, load.events_per_day):
        per_day = load.daily_active_users * load.events_per_user_per_day
        if _off(load.events_per_day, per_day, rel_tol):
            out.append(
                Inconsistency(
                    f"{path}.events_per_day",
                    f"{estimates.format_count(load.daily_active_users)} users x "
                    f"{load.events_per_user_per_day:g} events each is "
                    f"{estimates.format_count(per_day)} a day, not "
                    f"{estimates.format_count(load.events_per_day)}.",
                    rule="load_events",
                )
            )
    if None not in (load.events_per_day, load.average_qps):
        average = load.events_per_day / estimates.SECONDS_PER_DAY
        if _off(load.average_qps, average, rel_tol):
            out.append(
                Inconsistency(
                    f"{path}.average_qps",
                    f"{estimates.format_count(load.events_per_day)} events a day ÷ 86,400 s is "
                    f"{estimates.format_count(average)}/s on average, not "
                    f"{estimates.format_count(load.average_qps)}/s.",
                    rule="load_average",
                )
            )
    if None not in (load.events_per_day, load.peak_factor, load.peak_qps):
        peak = estimates.qps(load.events_per_day, 1, load.peak_factor).value
        if _off(load.peak_qps, peak, rel_tol):
            out.append(
                Inconsistency(
                    f"{path}.peak_qps",
                    f"the peak is {load.peak_factor:g}x the average: "
                    f"{estimates.format_count(peak)}/s, not "
                    f"{estimates.format_count(load.peak_qps)}/s.",
                    rule="load_peak",
                )
            )
    return out


def _server_issues(servers: Servers, load: Load | None) -> list[Inconsistency]:
    peak = load.peak_qps if load else None
    if None in (peak, servers.per_server_qps, servers.headroom, servers.count):
        return []
    needed = int(estimates.servers(peak, servers.per_server_qps, servers.headroom).value)
    if servers.count >= needed:
        return []
    return [
        Inconsistency(
            "estimates.servers.count",
            f"{servers.count} servers are too few: a peak of {estimates.format_count(peak)}/s "
            f"at {estimates.format_count(servers.per_server_qps)}/s each with "
            f"{100 * servers.headroom:g} % headroom needs ceil({estimates.format_count(peak)} "
            f"÷ ({estimates.format_count(servers.per_server_qps)} × "
            f"{1 - servers.headroom:g})) = {needed}.",
            rule="servers",
        )
    ]


def _storage_issues(items, rel_tol: float) -> list[Inconsistency]:
    out = []
    for i, item in enumerate(items):
        if None in (item.count, item.bytes_each, item.replication, item.total_bytes):
            continue
        total = estimates.storage(item.count, item.bytes_each, 1, item.replication).value
        if _off(item.total_bytes, total, rel_tol):
            out.append(
                Inconsistency(
                    f"estimates.storage[{i}].total_bytes",
                    f"{item.name or 'this store'}: {estimates.format_count(item.count)} x "
                    f"{estimates.format_bytes(item.bytes_each)} x {item.replication:g} copies "
                    f"is {estimates.format_bytes(total)}, not "
                    f"{estimates.format_bytes(item.total_bytes)}.",
                    rule="storage",
                )
            )
    return out


def _cache_issues(caches) -> list[Inconsistency]:
    out = []
    for i, c in enumerate(caches):
        if None in (c.catalogue_items, c.cached_items, c.hit_rate, c.zipf_exponent):
            continue
        if c.cached_items > c.catalogue_items:
            out.append(
                Inconsistency(
                    f"estimates.caches[{i}].cached_items",
                    f"{c.name or 'the cache'} holds more items than the catalogue has.",
                    rule="cache_oversize",
                )
            )
            continue
        needed = estimates.cache_items_for_hit_rate(c.catalogue_items, c.hit_rate, c.zipf_exponent)
        if c.cached_items < needed * 0.99:
            out.append(
                Inconsistency(
                    f"estimates.caches[{i}].hit_rate",
                    f"{c.name or 'the cache'}: a {100 * c.hit_rate:g} % hit rate on "
                    f"{estimates.format_count(c.catalogue_items)} items with Zipf exponent "
                    f"{c.zipf_exponent:g} needs the top {estimates.format_count(needed)}; "
                    f"{estimates.format_count(c.cached_items)} are cached.",
                    rule="cache_hit_rate",
                )
            )
    return out


def _latency_issues(design: Design) -> list[Inconsistency]:
    out = []
    req = design.requirements
    stages = design.architecture.stages if design.architecture else ()
    names = {s.name for s in stages}
    for i, model in enumerate(design.models):
        if model.stage and model.stage not in names:
            out.append(
                Inconsistency(
                    f"models[{i}].stage",
                    f"{model.model or 'a model'} serves stage {model.stage!r}, which is not "
                    "in the architecture.",
                    rule="model_stage",
                )
            )
    if req is None:
        return out
    total = critical_path_ms(stages)
    if req.latency_slo_ms is not None and total is not None and total > req.latency_slo_ms:
        out.append(
            Inconsistency(
                "architecture.stages",
                f"the online stages add up to {total:g} ms on the critical path, past the "
                f"{req.latency_slo_ms:g} ms SLO.",
                rule="latency_slo",
            )
        )
    if req.frames_per_second is not None:
        interval = frame_interval_ms(req.frames_per_second)
        online = [s for s in stages if s.path == "online" and s.latency_ms is not None]
        if design.architecture and design.architecture.pipelined:
            slow = [s for s in online if s.latency_ms > interval]
            for s in slow:
                out.append(
                    Inconsistency(
                        "architecture.stages",
                        f"stage {s.name!r} takes {s.latency_ms:g} ms per frame; at "
                        f"{req.frames_per_second:g} FPS a frame arrives every {interval:.1f} ms, "
                        "so that stage falls behind (run copies of it, or make it faster).",
                        rule="frame_stage",
                    )
                )
        elif total is not None and total > interval:
            out.append(
                Inconsistency(
                    "architecture.pipelined",
                    f"the stages run one frame at a time and take {total:g} ms; at "
                    f"{req.frames_per_second:g} FPS a frame arrives every {interval:.1f} ms: "
                    "pipeline the stages or make them faster.",
                    rule="frame_serial",
                )
            )
    if req.freshness_s is not None:
        nearline = [s for s in stages if s.path == "nearline" and s.latency_ms is not None]
        lag = sum(s.latency_ms for s in nearline)
        if nearline and lag > 1000 * req.freshness_s:
            out.append(
                Inconsistency(
                    "architecture.stages",
                    f"the nearline stages take {lag / 1000:g} s, past the freshness "
                    f"requirement of {req.freshness_s:g} s.",
                    rule="freshness",
                )
            )
    return out


def _detector_issues(targets) -> list[Inconsistency]:
    out = []
    for i, t in enumerate(targets):
        if None in (t.recall, t.fpr, t.prevalence, t.events_per_day):
            continue
        point = base_rates.operating_point(t.recall, t.fpr, t.prevalence, t.events_per_day)
        where = f"detector_targets[{i}]"
        label = t.name or t.action or "this tier"
        if t.min_precision is not None and point.precision < t.min_precision:
            out.append(
                Inconsistency(
                    f"{where}.fpr",
                    f"{label}: recall {100 * t.recall:g} % at {100 * t.fpr:g} % false positives "
                    f"and {100 * t.prevalence:g} % prevalence gives a precision of "
                    f"{100 * point.precision:.1f} %, below the {100 * t.min_precision:g} % floor.",
                    rule="detector_precision",
                )
            )
        if t.max_flags_per_day is not None and point.flagged_per_day > t.max_flags_per_day:
            out.append(
                Inconsistency(
                    f"{where}.max_flags_per_day",
                    f"{label}: {estimates.format_count(point.flagged_per_day)} events a day get "
                    f"this action, more than the {estimates.format_count(t.max_flags_per_day)} "
                    "that can be handled.",
                    rule="detector_flags",
                )
            )
        if (
            t.max_false_alarms_per_day is not None
            and point.false_alarms_per_day > t.max_false_alarms_per_day
        ):
            out.append(
                Inconsistency(
                    f"{where}.max_false_alarms_per_day",
                    f"{label}: {estimates.format_count(point.false_alarms_per_day)} good events "
                    f"a day get this action, more than the "
                    f"{estimates.format_count(t.max_false_alarms_per_day)} allowed.",
                    rule="detector_false_alarms",
                )
            )
    return out


def _rate_test_size_issues(metrics) -> list[Inconsistency]:
    """A target like 'false accepts < 0.01 %' needs at least 3 / rate cases (rule of three)."""
    out = []
    for i, m in enumerate(metrics):
        if m.unit != "%" or m.direction not in ("<", "<=") or None in (m.target, m.test_size):
            continue
        if m.target <= 0:
            continue
        needed = 3 / (m.target / 100)
        if m.test_size < needed:
            out.append(
                Inconsistency(
                    f"metrics[{i}].test_size",
                    f"{m.name}: showing a rate below {m.target:g} % takes at least 3 ÷ "
                    f"{m.target / 100:g} = {estimates.format_count(needed)} cases with none "
                    f"failing (rule of three); the test has "
                    f"{estimates.format_count(m.test_size)}.",
                    rule="test_size",
                )
            )
    return out


def inconsistencies(design: Design, rel_tol: float = 0.1) -> list[Inconsistency]:
    """Numbers that contradict each other, recomputed with ``mlsd.estimates`` and
    ``mlsd.base_rates``. Stated results may be rounded: ``rel_tol`` (10 %) is allowed."""
    out: list[Inconsistency] = []
    est = design.estimates
    if est is not None:
        if est.load is not None:
            out += _load_issues(est.load, rel_tol)
        if est.servers is not None:
            out += _server_issues(est.servers, est.load)
        out += _storage_issues(est.storage, rel_tol)
        out += _cache_issues(est.caches)
    out += _latency_issues(design)
    out += _detector_issues(design.detector_targets)
    out += _rate_test_size_issues(design.metrics)
    return out


def omissions(design: Design) -> list[str]:
    """The parts a complete design has and this one lacks (empty for a complete design)."""
    return [text for _key, text in keyed_omissions(design)]


OMISSION_KEYS = (
    "questions", "latency_slo", "functional", "estimates", "load", "servers", "storage",
    "stages", "stage_budget", "models", "metric_offline", "metric_online", "tradeoffs",
    "fallbacks", "monitoring", "drift_signal", "challenge", "rollout",
)  # fmt: skip


def keyed_omissions(design: Design) -> list[tuple[str, str]]:
    """``omissions`` with the key of each (one of ``OMISSION_KEYS``), so a reviewer can say
    what each gap costs without reading its sentence."""
    out: list[tuple[str, str]] = []
    if len(design.clarifying_questions) < 3:
        out.append(
            ("questions", "at least three clarifying questions, each with the assumption made")
        )
    req = design.requirements
    if req is None or req.latency_slo_ms is None:
        out.append(("latency_slo", "a latency SLO in ms (requirements.latency_slo_ms)"))
    if req is None or not req.functional:
        out.append(("functional", "functional requirements"))
    out += _estimate_omissions(design.estimates)
    online = online_stages(design)
    if not online:
        out.append(("stages", "the online path as stages (architecture.stages)"))
    out += [
        ("stage_budget", f"a latency budget for stage {s.name!r}")
        for s in online
        if s.latency_ms is None
    ]
    if not design.models or not all(m.why for m in design.models):
        out.append(("models", "models, each with why"))
    kinds = {m.kind for m in design.metrics if m.target is not None}
    for kind in ("offline", "online"):
        if kind not in kinds:
            out.append((f"metric_{kind}", f"an {kind} metric with a target (offline/online pair)"))
    if len(design.tradeoffs) < 2:
        out.append(
            ("tradeoffs", "at least two trade-offs, each with what is gained and what is lost")
        )
    if not design.failure_modes or not all(f.fallback for f in design.failure_modes):
        out.append(("fallbacks", "failure modes, each with a fallback"))
    signals = [s for s in design.monitoring if s.threshold is not None]
    if not signals:
        out.append(("monitoring", "monitoring signals with thresholds"))
    if not any(s.kind == "data" for s in signals):
        out.append(("drift_signal", "a data-drift signal (monitoring kind 'data')"))
    answered = {c.key for c in design.challenges if c.answer}
    for key in PROBLEM_CHALLENGES.get(design.problem, ()):
        if key not in answered:
            out.append(
                ("challenge", f"an answer to the problem's challenge {key!r} ({CHALLENGES[key]})")
            )
    if design.deployment is None or not design.deployment.rollout:
        out.append(("rollout", "a rollout plan (deployment.rollout)"))
    return out


def _estimate_omissions(est: Estimates | None) -> list[tuple[str, str]]:
    if est is None:
        return [("estimates", "estimates (load, servers, storage)")]
    out = []
    load = est.load
    if load is None or None in (load.events_per_day, load.average_qps, load.peak_qps):
        out.append(("load", "load: events per day, average and peak QPS"))
    if est.serving_site == "data centre":
        s = est.servers
        if s is None or None in (s.per_server_qps, s.headroom, s.count):
            out.append(("servers", "servers: per-server QPS, headroom and count"))
    if not est.storage or any(x.total_bytes is None for x in est.storage):
        out.append(("storage", "storage with total bytes"))
    return out


# --- rendering -------------------------------------------------------------------------


def _cell(text) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _num(value, unit: str = "") -> str:
    if value is None:
        return "—"
    text = estimates.format_count(value)
    return f"{text} {unit}".strip()


def _rate(value) -> str:
    return "—" if value is None else f"{estimates.format_count(value)}/s"


def _pct(value) -> str:
    return "—" if value is None else f"{100 * value:.3g} %"


def _ms(value) -> str:
    return "—" if value is None else f"{value:g} ms"


def _render_requirements(req: Requirements | None) -> list[str]:
    if req is None:
        return []
    lines = ["## Requirements", ""]
    lines += [f"- {r}" for r in req.functional]
    numbers = []
    if req.latency_slo_ms is not None:
        numbers.append(f"latency p{req.latency_percentile:g} < {_ms(req.latency_slo_ms)}")
    if req.frames_per_second is not None:
        numbers.append(
            f"{req.frames_per_second:g} FPS (a frame every "
            f"{frame_interval_ms(req.frames_per_second):.1f} ms)"
        )
    if req.freshness_s is not None:
        numbers.append(f"fresh within {estimates.format_duration(req.freshness_s)}")
    if req.availability_pct is not None:
        numbers.append(f"availability {req.availability_pct:g} %")
    lines += [f"- {r}" for r in req.non_functional]
    if numbers:
        lines.append(f"- **Numbers:** {'; '.join(numbers)}")
    return lines + [""]


def _render_estimates(est: Estimates | None) -> list[str]:
    if est is None:
        return []
    lines = ["## Estimates", "", f"Serving site: {est.serving_site}.", ""]
    load = est.load
    if load is not None:
        lines.append(f"- **Load**, {load.basis}: {_num(load.events_per_day)} events a day → "
                     f"{_rate(load.average_qps)} on average, × {load.peak_factor:g} → "
                     f"**{_rate(load.peak_qps)} at peak**.")  # fmt: skip
    s = est.servers
    if s is not None and None not in (s.per_server_qps, s.headroom, s.count):
        peak = load.peak_qps if load and load.peak_qps is not None else None
        work = ""
        if peak is not None:
            needed = int(estimates.servers(peak, s.per_server_qps, s.headroom).value)
            work = (
                f": ceil({_num(peak)} ÷ ({_num(s.per_server_qps)} × {1 - s.headroom:g})) = {needed}"
            )
        lines.append(
            f"- **Servers**, {s.hardware}: {_rate(s.per_server_qps)} each, "
            f"{100 * s.headroom:g} % headroom{work} → **{s.count}**."
        )
    if est.storage:
        lines += ["", *_table(
            ["store", "medium", "items", "bytes each", "copies", "total"],
            [[x.name, x.medium, _num(x.count), estimates.format_bytes(x.bytes_each or 0),
              f"{x.replication:g}" if x.replication else "—",
              f"**{estimates.format_bytes(x.total_bytes or 0)}**"] for x in est.storage],
        )]  # fmt: skip
    for c in est.caches:
        lines.append(
            f"- **Cache** ({c.name}): top {_num(c.cached_items)} of {_num(c.catalogue_items)} "
            f"items for a {_pct(c.hit_rate)} hit rate (Zipf exponent {c.zipf_exponent:g})."
        )
    return lines + [""]


def _render_architecture(design: Design) -> list[str]:
    arch = design.architecture
    if arch is None:
        return []
    lines = ["## Architecture", ""]
    rows = [
        [s.name, s.does, s.path + (f" (parallel: {s.parallel_group})" if s.parallel_group else ""),
         _ms(s.latency_ms)]
        for s in arch.stages
    ]  # fmt: skip
    lines += _table(["stage", "what it does", "path", "budget"], rows)
    total = critical_path_ms(arch.stages)
    req = design.requirements
    if total is not None:
        slo = f" of the {_ms(req.latency_slo_ms)} SLO" if req and req.latency_slo_ms else ""
        lines.append(f"Critical path (online stages; a parallel group counts its slowest): "
                     f"**{total:g} ms**{slo}.")  # fmt: skip
    if req and req.frames_per_second and arch.pipelined:
        slowest = max((s.latency_ms or 0) for s in online_stages(design))
        lines.append(
            f"Pipelined: the slowest stage ({slowest:g} ms) sets the sustainable rate, "
            f"{1000 / slowest:.0f} FPS ≥ {req.frames_per_second:g} FPS; the sum ({total:g} ms) "
            "is the end-to-end latency."
        )
    return lines + [""]


def _render_detectors(targets) -> list[str]:
    if not targets:
        return []
    rows = []
    for t in targets:
        if None in (t.recall, t.fpr, t.prevalence, t.events_per_day):
            continue
        p = base_rates.operating_point(t.recall, t.fpr, t.prevalence, t.events_per_day)
        rows.append([t.name, t.action, _pct(t.recall), _pct(t.fpr), _pct(t.prevalence),
                     f"**{_pct(p.precision)}**", _num(p.flagged_per_day),
                     _num(p.false_alarms_per_day)])  # fmt: skip
    header = ["tier", "action", "recall", "FPR", "prevalence", "precision", "flagged/day",
              "good ones flagged/day"]  # fmt: skip
    return ["## Detector operating points (at the real base rate)", "",
            *_table(header, rows)]  # fmt: skip


def to_markdown(design: Design, heading: str = "Reference design") -> str:
    """The design as Markdown, with the work behind every derived number shown."""
    d = design
    lines = [f"# {heading} · problem {d.problem}: {d.title}", "", d.summary.strip(), ""]
    if d.clarifying_questions:
        lines += ["## Clarifying questions", ""]
        lines += _table(
            ["question", "assumed if not answered"],
            [[q.question, q.assumption] for q in d.clarifying_questions],
        )
    lines += _render_requirements(d.requirements)
    lines += _render_estimates(d.estimates)
    lines += _render_architecture(d)
    if d.models:
        lines += ["## Models", ""]
        lines += [
            f"- **{m.stage}: {m.model}.** {m.why}"
            + (f" *Weighed against:* {m.alternative}" if m.alternative else "")
            for m in d.models
        ] + [""]
    if d.metrics:
        lines += ["## Metrics and targets", ""]
        lines += _table(
            ["kind", "metric", "target", "why"],
            [
                [m.kind, m.name, f"{m.direction} {m.target:g} {m.unit}".strip()
                 + (f" (on {_num(m.test_size)} cases)" if m.test_size else ""), m.why]
                for m in d.metrics
            ],
        )  # fmt: skip
    lines += _render_detectors(d.detector_targets)
    if d.tradeoffs:
        lines += ["## Trade-offs", ""]
        lines += [
            f"- **{t.choice}** (over {t.alternative}). Gain: {t.gain}. Cost: {t.cost}."
            for t in d.tradeoffs
        ] + [""]
    if d.failure_modes:
        lines += ["## Failure modes", ""]
        lines += _table(
            ["failure", "how we notice", "fallback"],
            [[f.failure, f.detection, f.fallback] for f in d.failure_modes],
        )
    if d.monitoring:
        lines += ["## Monitoring", ""]
        lines += _table(
            ["kind", "signal", "alert when", "then"],
            [[s.kind, s.name, f"{s.direction} {s.threshold:g} {s.unit}".strip(), s.action]
             for s in d.monitoring],
        )  # fmt: skip
    if d.challenges:
        lines += ["## The problem's challenges", ""]
        for c in d.challenges:
            lines += [f"**{c.question}** ({c.key})", "", c.answer.strip(), ""]
    if d.deployment is not None:
        dep = d.deployment
        lines += ["## Training and rollout", "", f"- Training data: {dep.training_data}"]
        if dep.retrain_every_days:
            lines.append(f"- Retrained every {dep.retrain_every_days:g} days")
        lines += [f"- Rollout: {' → '.join(dep.rollout)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def to_html(design: Design, heading: str = "Reference design") -> str:
    """The Markdown rendering as HTML; any HTML inside the design's text is escaped (a
    learner's design is untrusted text)."""
    return _markdown_to_html(to_markdown(design, heading))


@cache
def _markdown_renderer():
    import mistune  # a dependency of nbconvert; imported here so the schema stays light

    return mistune.create_markdown(escape=True, plugins=["table"])


def _markdown_to_html(text: str) -> str:
    return _markdown_renderer()(text)
