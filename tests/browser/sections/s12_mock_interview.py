"""Section 12 (the mock interview): the mock, the calibration drill and the recall drill,
driven from the keyboard in a real browser.

The whole timed mock (accelerated clock, nudges, a kernel restart, the reveal after
self-scoring) is driven in tests/browser/test_mock_interview.py; here each widget gets the
keyboard steps every section gets. Expected texts come from the core in the test process.
"""

from __future__ import annotations

from mlsd import calibration, practice, recall
from mlsd.widgets.interview import calibration_drill, mock_interview, recall_drill
from tests.browser.registry import Page, Section, Step, Widget, register, text_includes


def mock_steps(page: Page):
    p = practice.problem(3)
    body, arg = text_includes(".mlsd-mock-card", f"{p.number}. {p.title}")
    yield Step("Space on problem 3: its card appears", ".mlsd-mock-problem button:nth-child(4)",
               "Space", body, arg)  # fmt: skip
    body, arg = text_includes(".mlsd-mock-clock", p.title, "Clarify")
    yield Step("Space on Start: the clock runs in the Clarify phase", "button.mlsd-mock-start",
               "Space", body, arg)  # fmt: skip
    body, arg = text_includes(".mlsd-mock-clock", "Requirements and estimates")
    yield Step("Space on Next phase: requirements and estimates", "button.mlsd-mock-next",
               "Space", body, arg)  # fmt: skip


def calibration_steps(page: Page):
    first = calibration.sample(calibration.drill_order(0)[0])
    body, arg = text_includes(".mlsd-calibration-result", f"This was a {first.level} answer")
    yield Step("Space on Submit: the reference grade and its reasons",
               "button.mlsd-calibration-submit", "Space", body, arg)  # fmt: skip
    body, arg = text_includes(".mlsd-calibration-sample", "Sample 2 of 9")
    yield Step("Space on Next sample: the second sample", "button.mlsd-calibration-next", "Space",
               body, arg)  # fmt: skip


def recall_steps(page: Page):
    first, second = recall.cards()[0], recall.cards()[1]
    body, arg = text_includes(".mlsd-recall-back", first.back[:40])
    yield Step("Space on Show the answer: the back of the first card", "button.mlsd-recall-show",
               "Space", body, arg)  # fmt: skip
    body, arg = text_includes(".mlsd-recall-front", second.front)
    yield Step("Space on I knew it: the next card", "button.mlsd-recall-knew", "Space", body, arg)


register(
    Section(
        name="12-mock-interview",
        main="mock",
        widgets=(
            Widget("calibration", "mlsd-calibration", calibration_drill, calibration_steps,
                   figures=("mlsd-calibration-fig",)),
            Widget("mock", "mlsd-mock", mock_interview, mock_steps),
            Widget("recall", "mlsd-recall", recall_drill, recall_steps),
        ),
    )
)  # fmt: skip
