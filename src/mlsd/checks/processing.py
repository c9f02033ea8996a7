"""Checks for the batch / real-time / hybrid exercise (section 6.2).

The learner writes ``classify_scenario(scenario)``: a decision rule over a scenario's
properties (a dict with ``needs_request_data``, ``budget_ms``, ``items_to_score``,
``ms_per_item``, plus ``id`` and ``description``) returning ``'batch'``, ``'real-time'`` or
``'hybrid'``. The visible check runs the scenarios of the notebook's table and a few
"what if" variants of them (same story, one property changed, a new id), so a rule that
looks answers up by id, or one mode for everything, fails here already; the hidden tests use
scenarios the learner has never seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlsd.checks.engine import NO_RETURN, Tally, call
from mlsd.processing import MODES, SCENARIOS, Scenario

EXERCISE = "classify_scenarios"  # the manifest id, kept stable


@dataclass(frozen=True)
class ModeCase:
    """One scenario to classify, the right mode and why."""

    record: dict
    expected: str
    why: str

    @property
    def id(self) -> str:
        return self.record["id"]


def _case(scenario: Scenario) -> ModeCase:
    return ModeCase(scenario.record(), scenario.mode, scenario.explanation)


# Variants of the table's scenarios: one property changed, a new id.
WHAT_IFS = (
    Scenario(
        "card-fraud/deep-ensemble",
        "Card fraud again, but the model is a deep ensemble taking 150 ms per transaction.",
        True,
        100.0,
        1,
        150.0,
        "the payment is still new, but 150 ms does not fit 100 ms: precompute what you can "
        "per card (history aggregates, embeddings) and keep only a light step per payment.",
    ),
    Scenario(
        "ad-auction/exact-fit",
        "The ad auction with 40 eligible ads at 0.25 ms each.",
        True,
        10.0,
        40,
        0.25,
        "40 x 0.25 ms = 10 ms, exactly the budget: a computation that takes the budget fits.",
    ),
    Scenario(
        "home-feed/logged-out",
        "The home feed for logged-out visitors: no session, everyone sees the same page.",
        False,
        200.0,
        5_000_000,
        0.01,
        "with no session nothing depends on the request: rank once an hour, serve the list.",
    ),
)
VISIBLE_CASES = tuple(_case(s) for s in (*SCENARIOS, *WHAT_IFS))


def _mistake(case: ModeCase, given: str) -> str:
    """What a wrong mode for this scenario most likely misses (never just the answer)."""
    r = case.record
    full_ms = r["items_to_score"] * r["ms_per_item"]
    work = f"{r['items_to_score']:,} items x {r['ms_per_item']:g} ms = {full_ms:,.6g} ms"
    if case.expected == "batch":
        return (
            "nothing in this answer depends on the request (needs_request_data is False), so "
            "it can be computed ahead and served as a lookup, even if someone waits for it."
        )
    if given == "batch":
        return (
            "this answer needs data that exists only at request time: it cannot all be "
            "computed ahead."
        )
    if case.expected == "real-time":
        return f"the whole answer ({work}) fits the {r['budget_ms']:g} ms budget."
    return f"the whole answer ({work}) does not fit the {r['budget_ms']:g} ms budget."


def _verdicts(fn, cases) -> tuple[list[str], list[ModeCase], list]:
    """Call the learner once per case; one feedback line each, the wrong cases, the answers."""
    lines, wrong, answers = [], [], []
    for case in cases:
        given = call(EXERCISE, fn, (dict(case.record),), shown=f"{_name(fn)}(<{case.id}>)")
        answers.append(given)
        if isinstance(given, str) and given == case.expected:
            lines.append(f"  ✓ {case.id}: {given} — {case.why}")
            continue
        wrong.append(case)
        if given is None:
            lines.append(f"  ✗ {case.id}: returned None.")
        elif not isinstance(given, str) or given not in MODES:
            lines.append(f"  ✗ {case.id}: {given!r} is not one of {', '.join(MODES)}.")
        else:
            lines.append(f"  ✗ {case.id}: you said {given}; {_mistake(case, given)}")
    return lines, wrong, answers


def _name(fn) -> str:
    return getattr(fn, "__name__", None) or "your function"


def _likely_cause(answers: list, wrong: list[ModeCase], cases) -> str | None:
    if all(a is None for a in answers):
        return NO_RETURN
    distinct = {repr(a) for a in answers}
    if len(distinct) == 1 and len(cases) > 1:
        return "every scenario got the same mode: decide from the scenario's properties."
    what_ifs = {c.id for c in wrong} & {s.id for s in WHAT_IFS}
    if what_ifs and len(what_ifs) == len(wrong):
        return (
            "only the 'what if' variants are wrong: read the properties of the scenario you "
            "are given (scenario['budget_ms'] and so on), not its id."
        )
    return None


def _run(fn, cases, *, what: str, quiet: bool) -> None:
    """Classify every case, show one line each (visible check only), then count the right
    ones on a ``Tally``: the first wrong one raises, with how many are wrong in all."""
    lines, wrong, answers = _verdicts(fn, cases)
    if not quiet:
        print("\n".join(lines))
    tally = Tally(EXERCISE)
    cause = _likely_cause(answers, wrong, cases) if wrong else None
    for case in cases:
        tally.expect(
            case not in wrong,
            f"{len(wrong)} of {len(cases)} {what}: {[c.id for c in wrong]}.",
            cause,
        )
    if not quiet:
        tally.report()


def check_classify_scenario(fn) -> None:
    """Visible check: the table's scenarios and three variants, one line of feedback each."""
    _run(fn, VISIBLE_CASES, what="scenarios are not right yet", quiet=False)


def expect_modes(fn, cases) -> None:
    """Hidden-test helper: ``cases`` are (id, needs_request_data, budget_ms, items_to_score,
    ms_per_item, expected mode) tuples written in the notebook, so the expected modes are not
    in the package a learner can read."""
    probes = [
        ModeCase(
            {
                "id": sid,
                "description": f"held-out scenario {sid}",
                "needs_request_data": needs,
                "budget_ms": budget,
                "items_to_score": items,
                "ms_per_item": per_item,
            },
            expected,
            "",
        )
        for sid, needs, budget, items, per_item, expected in cases
    ]
    _run(fn, probes, what="held-out scenario(s) classified wrongly", quiet=True)
