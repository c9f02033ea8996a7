"""Section 8 (evaluation rubric): the two rubric scorers and the self-assessment log.

Expected totals come from the core (``mlsd.rubric``) in the test process. The notebook shows
``rubric_scorer()`` (Candidate A), ``rubric_scorer(candidate="blank (nothing seen yet)")``
and ``self_assessment()``; each scorer's container carries ``mlsd-rubric-example`` or
``mlsd-rubric-blank`` so the steps address the right one.
"""

from __future__ import annotations

from mlsd.rubric import (
    DIMENSIONS,
    GUIDE_EXAMPLES,
    KEYS,
    WEIGHTS,
    hire_band,
    rate_dimension,
    ratings_from_evidence,
    weighted_total,
)
from mlsd.widgets.rubric import BLANK
from tests.browser.registry import Section, Step, js_all, register, text_includes
from tests.browser.registry import Widget as W_


def _descriptor_scores(candidate: str) -> dict[str, float]:
    evidence = GUIDE_EXAMPLES.get(candidate, ())
    return {
        k: rate_dimension(
            k,
            ratings_from_evidence(
                k,
                tuple(e.sign for e in evidence if e.dimension == k and e.rating == "excellent"),
                tuple(e.sign for e in evidence if e.dimension == k and e.rating == "poor"),
            ),
        )
        for k in KEYS
    }


def _weight_step(describe, css_root, candidate, key_index, weight) -> Step:
    k = KEYS[key_index]
    weights = {**{d.key: float(d.weight_pct) for d in DIMENSIONS}, k: float(weight)}
    try:
        total = weighted_total(_descriptor_scores(candidate), weights)
    except ValueError as exc:
        body, arg = text_includes(".mlsd-rubric-message", str(exc)[:50])
    else:
        body, arg = js_all(
            text_includes(".mlsd-rubric-total", f"Total: {total:.1f} / 100"),
            text_includes(".mlsd-rubric-band", f"Band: {hire_band(total)}"),
        )
    return Step(
        describe,
        f".mlsd-rubric-weight-{k} input",
        ("Control+a", f"text:{weight:g}", "Enter"),
        body,
        arg,
    )


def example_steps(page):
    k = KEYS[0]
    yield _weight_step(
        f"Type 40 as the weight of {k} and Enter: the weights no longer sum to 100",
        "example",
        "Candidate A (strong)",
        0,
        40,
    )
    yield _weight_step(
        f"Type {WEIGHTS[k]:g} back and Enter: Candidate A's total again",
        "example",
        "Candidate A (strong)",
        0,
        WEIGHTS[k],
    )

    weak = "Candidate B (weak)"
    total = weighted_total(_descriptor_scores(weak))
    body, arg = js_all(
        text_includes(".mlsd-rubric-total", f"Total: {total:.1f} / 100"),
        text_includes(".mlsd-rubric-band", f"Band: {hire_band(total)}"),
    )
    yield Step(
        f"Space on the '{weak}' button: its signs ticked, its total",
        ".mlsd-rubric-candidate button:nth-child(2)",
        "Space",
        body,
        arg,
    )


def blank_steps(page):
    k = KEYS[1]
    yield _weight_step(
        f"Type 0 as the weight of {k} and Enter: rejected (the weights sum to less than 100)",
        "blank",
        BLANK,
        1,
        0,
    )
    yield _weight_step(
        f"Type {WEIGHTS[k]:g} back and Enter: the blank candidate's total",
        "blank",
        BLANK,
        1,
        WEIGHTS[k],
    )


def _self_step(describe, key, value) -> Step:
    k = KEYS[0]
    total = weighted_total({**{x: 50.0 for x in KEYS}, k: float(value)})
    body, arg = text_includes(".mlsd-self-total", f"Total: {total:.1f} / 100")
    return Step(describe, f".mlsd-self-{k} .noUi-handle", key, body, arg)


def self_steps(page):
    yield _self_step(f"End on the {KEYS[0]} slider: 100 points", "End", 100)
    yield _self_step(f"Home on the {KEYS[0]} slider: 0 points", "Home", 0)


def _example():
    from mlsd.widgets.rubric import rubric_scorer

    return rubric_scorer()


def _blank():
    from mlsd.widgets.rubric import rubric_scorer

    return rubric_scorer(candidate=BLANK)


def _self(tmp=None):
    import tempfile
    from pathlib import Path

    from mlsd.widgets.rubric import self_assessment

    return self_assessment(Path(tempfile.mkdtemp()) / "self_assessment.csv")


register(
    Section(
        name="08-evaluation-rubric",
        main="scorer",
        widgets=(
            W_("scorer", "mlsd-rubric-example", _example, example_steps, ("mlsd-rubric-fig",)),
            W_("blank", "mlsd-rubric-blank", _blank, blank_steps, ("mlsd-rubric-fig",)),
            W_("self", "mlsd-self-assessment", _self, self_steps, ("mlsd-self-fig",)),
        ),
    )
)
