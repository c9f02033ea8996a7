"""The interviewer of the mock interview: a deterministic design-consistency checker.

It reads a structured design (``mlsd.designs.Design``: the same schema as the eleven reference
designs) and answers the way an interviewer's notes would, with no network and no model:

* **contradictions**, recomputed with the workbook's own calculators (``designs.inconsistencies``
  uses ``mlsd.estimates`` and ``mlsd.base_rates``): stages that add up past the SLO, too few
  servers for the peak with headroom, storage that is not count x bytes x copies, a cache hit
  rate the catalogue cannot give, and a detector whose precision at the stated base rate is
  below its own floor, or below the floor nobody ships when the design states none
  (``DEFAULT_MIN_PRECISION``);
* **omissions the rubric punishes** (``designs.keyed_omissions`` plus a few of its own): no
  clarifying questions, requirements without numbers ("fast", "scalable") or a target
  without a unit, no fallback, no monitoring or no drift signal, no offline/online metric pair,
  no answer to the problem's own challenge (cold start, freshness, ...);
* **follow-up questions** drawn from the problem's challenges (``designs.PROBLEM_CHALLENGES``),
  asked during the deep dive as an interviewer would (``follow_ups``).

Each :class:`Finding` names the rubric dimension and the descriptor pair it costs (section 8's
``mlsd.rubric``) and how to fix it. ``suggested_scores`` turns the findings and the positive
evidence in the design (and, when given, the pacing of the mock) into a score per dimension
with the rubric's own rule (excellent 100, not shown 50, poor 20). The checker sees structure
and arithmetic, never quality: whether a model *suits* the problem is for the candidate's own
judgement and the reference design, so pairs it cannot observe stay "not shown".

Core module: no Jupyter import. Every text a finding carries may quote the learner's own words;
renderers escape it (``notes_markdown`` for nbgrader comments, the widget for HTML).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mlsd import base_rates, designs, rubric
from mlsd.designs import CHALLENGES, PROBLEM_CHALLENGES, Design

KINDS = ("contradiction", "omission", "follow_up")

# Precision floors when a detector tier states none (our judgement, used only then: a design
# that states ``min_precision`` is held to its own floor).
# - An automatic action against a person (block a payment, remove a post) below 10 % precision
#   hurts nine innocent people for every guilty one: no product team ships that as automatic;
#   the guide's fraud target (90 % recall at 2 % FPR, 0.1 % fraud) is about 4 %.
# - A friction or a queue (step-up, human review, alert, down-ranking) below 1 % sends 99 false
#   alarms per real one. Clinical monitoring shows what that does to the people who must
#   respond: with 72-99 % of alarms false, staff stop responding (Sendelbach & Funk, AACN
#   Advanced Critical Care, 2013), and responses slow as non-actionable alarms pile up
#   (Bonafide et al., Journal of Hospital Medicine, 2015). The reference fraud design's own
#   step-up floor is 1 %.
DEFAULT_MIN_PRECISION = {
    "block": 0.10,
    "remove": 0.10,
    "step_up": 0.01,
    "human_review": 0.01,
    "alert": 0.01,
    "downrank": 0.01,
}

# Words that promise a quality without a number ("fast", "scalable"): section 9's "no numbers"
# mistake. A requirement line with one of these and no digit is vague.
VAGUE_WORDS = (
    "fast", "quick", "low latency", "low-latency", "scalable", "scale well", "real-time",
    "real time", "accurate", "highly available", "high availability", "reliable", "a lot",
    "lots of", "large", "efficient", "cheap", "responsive", "robust",
)  # fmt: skip
_VAGUE = re.compile(r"\b(" + "|".join(re.escape(w) for w in VAGUE_WORDS) + r")\b", re.I)


@dataclass(frozen=True)
class Rule:
    """What a kind of finding costs and how to fix it."""

    kind: str
    dimension: str  # a key of mlsd.rubric.DIMENSIONS
    pair: int  # the descriptor pair it rates poor
    fix: str


RULES: dict[str, Rule] = {
    # contradictions (designs.INCONSISTENCY_RULES)
    "load_events": Rule("contradiction", "system_design", 2,
                        "Events a day = daily users x events per user; redo it with section 7's "
                        "calculator and carry the result through."),
    "load_average": Rule("contradiction", "system_design", 2,
                         "Average QPS = events a day / 86,400 s."),
    "load_peak": Rule("contradiction", "system_design", 2,
                      "Peak QPS = average QPS x the peak factor (2x to 5x); size everything "
                      "for the peak."),
    "servers": Rule("contradiction", "system_design", 2,
                    "Servers = ceil(peak QPS / (per-server QPS x (1 - headroom))): add servers, "
                    "or show a faster server with a measurement."),
    "storage": Rule("contradiction", "system_design", 2,
                    "Total = items x bytes each x copies (usually 3); redo the arithmetic."),
    "cache_oversize": Rule("contradiction", "system_design", 2,
                           "A cache holds at most the whole catalogue; cache the hot head."),
    "cache_hit_rate": Rule("contradiction", "system_design", 2,
                           "Under Zipf popularity the hit rate follows from the cached share "
                           "(estimates.cache_items_for_hit_rate): cache more items or state the "
                           "lower hit rate and its cost."),
    "model_stage": Rule("contradiction", "system_design", 1,
                        "Name the stage each model serves exactly as in the architecture."),
    "latency_slo": Rule("contradiction", "problem_understanding", 1,
                        "Cut a stage's budget (cache, precompute, a cheaper model, parallel "
                        "calls) until the critical path fits the SLO, with some spare."),
    "frame_stage": Rule("contradiction", "system_design", 2,
                        "Each pipelined stage must finish within the frame interval: run copies "
                        "of the slow stage or make it faster (throughput), then quote the sum "
                        "as the end-to-end latency."),
    "frame_serial": Rule("contradiction", "system_design", 2,
                         "Pipeline the stages (each works on a different frame) or make them "
                         "faster: unpipelined, the whole sum must fit one frame interval."),
    "freshness": Rule("contradiction", "system_design", 3,
                      "Make the nearline path faster (a stream, not a batch) or relax the "
                      "freshness requirement with the interviewer."),
    "detector_precision": Rule("contradiction", "ml_knowledge", 2,
                               "Quote precision at the real base rate; lower the FPR of the "
                               "automatic tier and send the uncertain band to a cheaper action "
                               "(step-up, review)."),
    "unshippable_precision": Rule("contradiction", "ml_knowledge", 2,
                                  "At the stated prevalence this tier is mostly false alarms: "
                                  "state a precision floor, lower the FPR, and route the "
                                  "uncertain band to a cheaper action."),
    "detector_flags": Rule("contradiction", "tradeoffs", 4,
                           "More cases a day than the team can handle: raise the threshold or "
                           "grow the team, and say what it costs."),
    "detector_false_alarms": Rule("contradiction", "tradeoffs", 4,
                                  "Too many good users hit a day: tighten this tier and say "
                                  "what recall it costs."),
    "test_size": Rule("contradiction", "ml_knowledge", 4,
                      "Showing a rate below r with no failures takes 3 / r cases (rule of "
                      "three): grow the test set or state a looser target."),
    # omissions (designs.OMISSION_KEYS and this module's own)
    "no_questions": Rule("omission", "problem_understanding", 0,
                      "Ask at least three questions (scale, latency, success, data) and state "
                      "the assumption you make when the answer does not come."),
    "no_latency_slo": Rule("omission", "problem_understanding", 1,
                        "State the latency SLO in ms and its percentile (p99 < 200 ms)."),
    "no_functional": Rule("omission", "problem_understanding", 1,
                       "Say what the system must do, in one line each."),
    "vague_requirement": Rule("omission", "problem_understanding", 1,
                              "Replace the adjective with a number and a unit: 'fast' becomes "
                              "'p99 < 100 ms at 10 K QPS'."),
    "no_estimates": Rule("omission", "system_design", 2,
                      "Estimate the load (QPS), the servers and the storage before drawing."),
    "no_load": Rule("omission", "system_design", 2,
                 "Give events a day, the average and the peak QPS."),
    "no_servers": Rule("omission", "system_design", 2,
                    "Give per-server QPS, headroom and the server count."),
    "no_storage": Rule("omission", "system_design", 2,
                    "Give each store's total bytes (items x bytes x copies)."),
    "no_stages": Rule("omission", "system_design", 0,
                   "Draw the online path as stages, request in to response out."),
    "no_stage_budget": Rule("omission", "system_design", 2,
                         "Give every online stage a latency budget in ms that sums within the "
                         "SLO."),
    "no_models": Rule("omission", "ml_knowledge", 0,
                   "Name a model for each ML stage and say why it fits (data, latency, size)."),
    "no_model_alternative": Rule("omission", "ml_knowledge", 1,
                              "Compare each model with one alternative and say why not."),
    "no_metric_offline": Rule("omission", "ml_knowledge", 4,
                           "Name an offline metric with a target (e.g. recall@500 >= 80 % on "
                           "a time split)."),
    "no_metric_online": Rule("omission", "problem_understanding", 3,
                          "Name the online metric that decides the launch, with a target and a "
                          "test (A/B)."),
    "metric_unit": Rule("omission", "problem_understanding", 3,
                        "Give the target its unit (%, ms, per day): '>= 80' alone can be read "
                        "three ways."),
    "no_tradeoffs": Rule("omission", "tradeoffs", 0,
                      "Name at least two choices out loud, each with what it gains and costs."),
    "tradeoff_cost": Rule("omission", "tradeoffs", 1,
                          "Every choice costs something: say what, and why it is worth it."),
    "no_fallbacks": Rule("omission", "system_design", 0,
                      "For each failure say how you notice it and what users get instead "
                      "(cached, popular, rules)."),
    "no_monitoring": Rule("omission", "system_design", 4,
                       "Monitor system, model, data and business signals, each with a "
                       "threshold and an action."),
    "no_drift_signal": Rule("omission", "system_design", 4,
                         "Add a data-drift signal: PSI of key features against training "
                         "(investigate from 0.1, act from 0.25)."),
    "no_challenge": Rule("omission", "ml_knowledge", 0,
                      "Answer the problem's own challenge with a concrete mechanism and a "
                      "number."),
    "no_rollout": Rule("omission", "ml_knowledge", 3,
                    "Say how the model reaches users: shadow, canary, A/B, rollback."),
    "base_rate": Rule("omission", "ml_knowledge", 2,
                      "Give the prevalence: recall and FPR mean nothing for users until the "
                      "base rate turns them into precision and daily false alarms."),
    "no_summary": Rule("omission", "communication", 4,
                    "Close with three sentences: the design, its key number, its biggest "
                    "risk."),
    # the mock's pacing (from the session's phase log)
    "overrun": Rule("omission", "communication", 2,
                    "Keep each phase within its band (section 9): say 'let me move on' and "
                    "come back if time allows."),
    "skipped_phase": Rule("omission", "communication", 0,
                          "Touch every phase, even briefly: an interviewer cannot credit what "
                          "you never reached."),
}  # fmt: skip

# Which rubric pair an unanswered challenge costs (default: ML knowledge, suitable algorithms).
CHALLENGE_COST = {
    "real_time": ("system_design", 2),
    "safety_critical": ("system_design", 0),
    "privacy": ("problem_understanding", 1),
    "base_rate": ("ml_knowledge", 2),
    "delayed_labels": ("ml_knowledge", 3),
}

# What the interviewer asks in the deep dive about each challenge (our words).
FOLLOW_UP_QUESTIONS = {
    "cold_start": "Someone signed up a minute ago: what do they see, and when does your "
    "personalisation take over?",
    "freshness": "An item was created five minutes ago: how does it reach users, and how long "
    "does that take?",
    "diversity": "Your top 20 are all the same kind of thing: how do you add variety without "
    "losing engagement?",
    "adversarial": "People are gaming your model on purpose: what do they try, and what do you "
    "rely on that is costly to fake?",
    "personalisation": "Two users type the same thing and mean different things: where does "
    "the user enter your model?",
    "spoofing": "Someone holds up a photo or a screen: what stops it?",
    "real_time": "Frames arrive every 33 ms: what must each stage take, and what is the "
    "end-to-end latency?",
    "safety_critical": "The model misses a pedestrian: what else in the system catches it, "
    "and what is the safe fallback?",
    "context": "The thread so far changes the right answer: what context does the model see?",
    "privacy": "This is private data: who may see it, and what may the model learn from it?",
    "multi_turn": "The user says 'and the other one?': how do you carry state across turns?",
    "evolving_patterns": "Fraudsters change tactics every few weeks: how do you notice, and "
    "how fast can you adapt?",
    "base_rate": "Positives are rare: what precision and how many false alarms a day does your "
    "threshold give at the real base rate?",
    "delayed_labels": "The truth arrives weeks later: how do you train and monitor before it does?",
    "multi_modal": "Text, images and video arrive together: one model or several, and how do "
    "you combine them?",
}

DIMENSION_NAMES = {d.key: d.name for d in rubric.DIMENSIONS}


@dataclass(frozen=True)
class Finding:
    """One note the interviewer writes: what is wrong (or asked), what it costs, the fix.

    ``dimension`` and ``pair`` default to the rule's (``RULES``); an unanswered challenge
    costs the pair of its challenge (``CHALLENGE_COST``)."""

    rule: str  # a key of RULES
    where: str  # the field it concerns, e.g. "estimates.servers.count"
    says: str  # what the interviewer says (plain text; may quote the learner)
    dimension: str = ""
    pair: int = -1

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}; got {self.rule!r}.")
        if not self.dimension:
            object.__setattr__(self, "dimension", RULES[self.rule].dimension)
        if self.pair < 0:
            object.__setattr__(self, "pair", RULES[self.rule].pair)

    @property
    def kind(self) -> str:
        return RULES[self.rule].kind

    @property
    def fix(self) -> str:
        return RULES[self.rule].fix

    def costs(self) -> str:
        """'System design (30 %): design that cannot scale'."""
        dim = rubric.DIMENSION_BY_KEY[self.dimension]
        return f"{dim.name} ({dim.weight_pct:g} %): {dim.poor[self.pair]}"

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "dimension": self.dimension,
            "pair": self.pair,
            "where": self.where,
            "says": self.says,
            "fix": self.fix,
            "costs": self.costs(),
        }


@dataclass(frozen=True)
class FollowUp:
    """A deep-dive question drawn from the problem's challenges, and the candidate's answer."""

    key: str  # a key of designs.CHALLENGES
    question: str
    answer: str  # "" when not answered yet

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


# --- follow-up questions -----------------------------------------------------------------


def follow_ups(design: Design) -> list[FollowUp]:
    """The problem's challenges as the interviewer's questions, each with the design's answer."""
    answers = {c.key: c.answer for c in design.challenges if c.key}
    return [
        FollowUp(key, FOLLOW_UP_QUESTIONS[key], answers.get(key, ""))
        for key in PROBLEM_CHALLENGES.get(design.problem, ())
    ]


# --- the checks ----------------------------------------------------------------------------


def contradictions(design: Design) -> list[Finding]:
    """Numbers the workbook's calculators contradict, plus unshippable detector tiers."""
    out = [Finding(i.rule, i.path, i.message) for i in designs.inconsistencies(design)]
    return out + _default_floor_findings(design.detector_targets)


def _default_floor_findings(targets) -> list[Finding]:
    out = []
    for i, t in enumerate(targets):
        if t.min_precision is not None or None in (t.recall, t.fpr, t.prevalence):
            continue
        floor = DEFAULT_MIN_PRECISION.get(t.action or "", DEFAULT_MIN_PRECISION["alert"])
        precision = base_rates.precision(t.recall, t.fpr, t.prevalence)
        if precision < floor:
            label = t.name or t.action or "this tier"
            out.append(
                Finding(
                    "unshippable_precision",
                    f"detector_targets[{i}].fpr",
                    f"{label}: recall {100 * t.recall:g} % at {100 * t.fpr:g} % false "
                    f"positives with {100 * t.prevalence:g} % prevalence is "
                    f"{100 * precision:.1f} % precision: {_wrong_per_right(precision)} wrong "
                    f"for each right {t.action or 'flag'}. Below {100 * floor:g} % nobody "
                    "ships that.",
                )
            )
    return out


def _wrong_per_right(precision: float) -> str:
    if precision <= 0:
        return "every one"
    return f"{(1 - precision) / precision:.0f}"


def omissions(design: Design) -> list[Finding]:
    """What the rubric punishes and the design lacks, one finding per gap."""
    out = []
    challenges = iter(PROBLEM_CHALLENGES.get(design.problem, ()))
    answered = {c.key for c in design.challenges if c.answer}
    for key, text in designs.keyed_omissions(design):
        if key == "challenge":  # keyed_omissions lists the unanswered ones in problem order
            challenge = next(k for k in challenges if k not in answered)
            dim, pair = CHALLENGE_COST.get(challenge, ("ml_knowledge", 0))
            out.append(
                Finding("no_challenge", f"challenges.{challenge}", f"Missing: {text}.",
                        dim, pair)
            )  # fmt: skip
            continue
        out.append(Finding(f"no_{key}", _OMISSION_WHERE.get(key, key), f"Missing: {text}."))
    out += _vague_requirements(design)
    out += _unitless_targets(design)
    out += _model_alternatives(design)
    out += _tradeoff_costs(design)
    out += _base_rate_gaps(design)
    if not design.summary.strip():
        out.append(Finding("no_summary", "summary", "Missing: a closing summary."))
    return out


_OMISSION_WHERE = {
    "questions": "clarifying_questions",
    "latency_slo": "requirements.latency_slo_ms",
    "functional": "requirements.functional",
    "load": "estimates.load",
    "servers": "estimates.servers",
    "storage": "estimates.storage",
    "stages": "architecture.stages",
    "stage_budget": "architecture.stages",
    "metric_offline": "metrics",
    "metric_online": "metrics",
    "fallbacks": "failure_modes",
    "monitoring": "monitoring",
    "drift_signal": "monitoring",
    "rollout": "deployment.rollout",
}


def _vague_requirements(design: Design) -> list[Finding]:
    req = design.requirements
    if req is None:
        return []
    out = []
    for group in ("functional", "non_functional"):
        for i, line in enumerate(getattr(req, group)):
            word = _VAGUE.search(line)
            if word and not re.search(r"\d", line):
                out.append(
                    Finding(
                        "vague_requirement",
                        f"requirements.{group}[{i}]",
                        f"'{word.group(0)}' with no number: {line!r}.",
                    )
                )
    return out


def _unitless_targets(design: Design) -> list[Finding]:
    """A target above 1 with no unit is ambiguous (a ratio such as AUC or NDCG needs none)."""
    out = []
    for group, items, value in (("metrics", design.metrics, "target"),
                                ("monitoring", design.monitoring, "threshold")):  # fmt: skip
        for i, item in enumerate(items):
            number = getattr(item, value)
            if number is not None and abs(number) > 1 and not item.unit.strip():
                out.append(
                    Finding(
                        "metric_unit",
                        f"{group}[{i}].unit",
                        f"{item.name or 'a target'}: {item.direction or ''} {number:g} of what?",
                    )
                )
    return out


def _model_alternatives(design: Design) -> list[Finding]:
    if design.models and not any(m.alternative.strip() for m in design.models):
        return [Finding("no_model_alternative", "models", "No model is compared with another.")]
    return []


def _tradeoff_costs(design: Design) -> list[Finding]:
    return [
        Finding("tradeoff_cost", f"tradeoffs[{i}].cost", f"{t.choice or 'a choice'}: no cost.")
        for i, t in enumerate(design.tradeoffs)
        if t.choice.strip() and not t.cost.strip()
    ]


def _base_rate_gaps(design: Design) -> list[Finding]:
    return [
        Finding(
            "base_rate",
            f"detector_targets[{i}].prevalence",
            f"{t.name or t.action or 'a detector'}: recall and FPR with no base rate.",
        )
        for i, t in enumerate(design.detector_targets)
        if t.prevalence is None and (t.recall is not None or t.fpr is not None)
    ]


def review(design: Design, session: Mapping | None = None) -> list[Finding]:
    """Every finding on a design: contradictions, omissions and, given the mock's session
    (``phase_minutes``, ``total_min``, ``finished``), its pacing."""
    out = contradictions(design) + omissions(design)
    if session is not None:
        out += pacing(session)
    return out


# --- pacing --------------------------------------------------------------------------------


def pacing(session: Mapping) -> list[Finding]:
    """Overruns and skipped phases of a finished mock. ``session['phase_minutes']`` maps each
    mock phase (``mlsd.interview.PHASE_KEYS``) to the minutes spent; ``session['bands']``
    maps it to its (low, high) band in minutes for this length."""
    minutes = session.get("phase_minutes", {})
    bands = session.get("bands", {})
    out = []
    for phase, (_low, high) in bands.items():
        spent = minutes.get(phase, 0.0)
        label = session.get("labels", {}).get(phase, phase)
        if spent > high + 1e-9:
            out.append(
                Finding("overrun", f"phases.{phase}",
                        f"{label}: {spent:.0f} min, past its {high:g}-minute band.")
            )  # fmt: skip
        elif spent <= 0 and session.get("finished"):
            out.append(Finding("skipped_phase", f"phases.{phase}", f"{label}: never reached."))
    return out


# --- suggested scores ----------------------------------------------------------------------

_TRADEOFF_AXES = {
    "latency": ("latency", " ms", "fast", "slow", "p99"),
    "cost": ("cost", "cheap", "expensive", "gpu", "$", "servers"),
    "quality": ("accuracy", "recall", "precision", "quality", "relevance", "ndcg", "miss"),
    "freshness": ("fresh", "stale", "minutes", "hours", "batch"),
    "complexity": ("complex", "simple", "maintain", "operate", "debug"),
    "people": ("user", "customer", "reviewer", "member", "privacy", "trust"),
}
_BUSINESS_WORDS = ("revenue", "retention", "engagement", "customer", "user", "member",
                   "conversion", "watch", "hours", "cost", "declin", "complaint")  # fmt: skip


def _axes(text: str) -> set[str]:
    low = text.lower()
    return {axis for axis, words in _TRADEOFF_AXES.items() if any(w in low for w in words)}


def positive_evidence(design: Design, session: Mapping | None = None) -> set[tuple[str, int]]:
    """The descriptor pairs the design (and the session) show as excellent."""
    d = design
    ev: set[tuple[str, int]] = set()
    req, est = d.requirements, d.estimates
    qs = [q for q in d.clarifying_questions if q.question.strip()]
    if len(qs) >= 3 and all(q.assumption.strip() for q in qs):
        ev.add(("problem_understanding", 0))
    if req and req.latency_slo_ms is not None and est and est.load and est.load.peak_qps:
        ev.add(("problem_understanding", 1))
    kinds = {m.kind for m in d.metrics if m.target is not None}
    if "online" in kinds:
        ev.add(("problem_understanding", 2))
    if {"online", "offline"} <= kinds:
        ev.add(("problem_understanding", 3))
    stages = d.architecture.stages if d.architecture else ()
    online = designs.online_stages(d)
    if len(online) >= 3 and d.failure_modes and all(f.fallback for f in d.failure_modes):
        ev.add(("system_design", 0))
    if len(stages) >= 3 and all(s.does.strip() for s in stages):
        ev.add(("system_design", 1))
    if (
        est
        and est.load
        and est.load.peak_qps
        and est.storage
        and (est.serving_site != "data centre" or (est.servers and est.servers.count))
    ):
        ev.add(("system_design", 2))
    if (
        any(s.path in ("nearline", "offline") for s in stages)
        and d.deployment
        and (d.deployment.training_data.strip())
    ):
        ev.add(("system_design", 3))
    signals = [s for s in d.monitoring if s.threshold is not None]
    if signals and any(s.kind == "data" for s in signals):
        ev.add(("system_design", 4))
    answered = {c.key for c in d.challenges if c.answer.strip()}
    if (
        d.models
        and all(m.why.strip() for m in d.models)
        and all(k in answered for k in PROBLEM_CHALLENGES.get(d.problem, ()))
    ):
        ev.add(("ml_knowledge", 0))
    if d.models and all(m.alternative.strip() for m in d.models):
        ev.add(("ml_knowledge", 1))
    if any(t.prevalence is not None for t in d.detector_targets) or any(
        m.test_size for m in d.metrics
    ):
        ev.add(("ml_knowledge", 2))
    dep = d.deployment
    if dep and dep.training_data.strip() and dep.rollout and dep.retrain_every_days:
        ev.add(("ml_knowledge", 3))
    if "offline" in kinds:
        ev.add(("ml_knowledge", 4))
    full = [t for t in d.tradeoffs if t.choice.strip()]
    if len(full) >= 2:
        ev.add(("tradeoffs", 0))
    if len(full) >= 2 and all(t.gain.strip() and t.cost.strip() for t in full):
        ev.add(("tradeoffs", 1))
    if len(full) >= 2 and all(t.alternative.strip() for t in full):
        ev.add(("tradeoffs", 2))
    if len(set().union(*(_axes(f"{t.gain} {t.cost}") for t in full))) >= 3 if full else False:
        ev.add(("tradeoffs", 3))
    if any(w in f"{t.gain} {t.cost}".lower() for t in full for w in _BUSINESS_WORDS) and (
        "online" in kinds
    ):
        ev.add(("tradeoffs", 4))
    if sum(1 for s in online if s.latency_ms is not None) >= 3:
        ev.add(("communication", 1))
    if d.summary.strip():
        ev.add(("communication", 4))
    if session is not None:
        ev |= _session_evidence(session, design)
    return ev


def _session_evidence(session: Mapping, design: Design) -> set[tuple[str, int]]:
    ev = set()
    minutes = session.get("phase_minutes", {})
    bands = session.get("bands", {})
    if session.get("finished") and bands and all(minutes.get(p, 0) > 0 for p in bands):
        ev.add(("communication", 0))
    if bands and all(minutes.get(p, 0) <= hi + 1e-9 for p, (_lo, hi) in bands.items()):
        ev.add(("communication", 2))
    asked = follow_ups(design)
    if asked and all(f.answered for f in asked):
        ev.add(("communication", 3))
    return ev


def pair_ratings(findings: Iterable[Finding], evidence: set[tuple[str, int]]) -> dict:
    """{dimension: [rating per pair]}: poor where a finding costs it (findings win), excellent
    where the evidence shows it, 'not shown' otherwise."""
    poor = {(f.dimension, f.pair) for f in findings if f.kind != "follow_up"}
    return {
        dim.key: [
            "poor" if (dim.key, i) in poor else
            "excellent" if (dim.key, i) in evidence else "not shown"
            for i in range(len(dim.excellent))
        ]
        for dim in rubric.DIMENSIONS
    }  # fmt: skip


def suggested_scores(design: Design, session: Mapping | None = None) -> dict[str, float]:
    """A score per rubric dimension from what the checker can see (rubric.rate_dimension)."""
    ratings = pair_ratings(review(design, session), positive_evidence(design, session))
    return {key: rubric.rate_dimension(key, r) for key, r in ratings.items()}


def score_gaps(self_scores: Mapping, suggested: Mapping) -> dict[str, float]:
    """Self-score minus the checker's suggestion, per dimension (positive = rated higher)."""
    mine = rubric.validate_scores(self_scores)
    theirs = rubric.validate_scores(suggested)
    return {k: mine[k] - theirs[k] for k in rubric.KEYS}


# --- rendering -----------------------------------------------------------------------------


def finding_line(f: Finding) -> str:
    """One finding as plain text."""
    return f"[{f.kind}] {f.says} Costs {f.costs()}. Fix: {f.fix}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_safe(text: str) -> str:
    """Untrusted text made inert inside Markdown that is rendered to HTML: HTML escaped, and
    every Markdown control character backslash-escaped (no links, images or emphasis)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=True))


def notes_markdown(design: Design, session: Mapping | None = None) -> str:
    """The interviewer's notes as Markdown for an nbgrader comment: findings grouped by rubric
    dimension, then the suggested scores. Every sentence is escaped: the design is the
    learner's untrusted text."""
    found = review(design, session)
    scores = suggested_scores(design, session)
    lines = [f"**Interviewer's notes** ({len(found)} finding(s); the checker sees structure "
             "and arithmetic, not quality)", ""]  # fmt: skip
    for dim in rubric.DIMENSIONS:
        mine = [f for f in found if f.dimension == dim.key]
        lines.append(f"- **{dim.name}**: suggested {scores[dim.key]:.0f} / 100")
        lines += [f"    - {markdown_safe(f.says)} *Fix:* {markdown_safe(f.fix)}" for f in mine]
    asked = follow_ups(design)
    if asked:
        lines += ["", "**Follow-up questions**", ""]
        lines += [
            f"- {markdown_safe(f.question)} "
            + ("(answered)" if f.answered else "(**not answered**)")
            for f in asked
        ]
    return "\n".join(lines) + "\n"


def challenge_name(key: str) -> str:
    return CHALLENGES.get(key, key)
