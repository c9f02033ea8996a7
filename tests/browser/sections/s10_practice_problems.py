"""Section 10 (practice problems): the worksheet, driven from the keyboard in a real browser.

The notebook shows
``practice_worksheet(1)`` and then calls ``sheet.select(10)``, so the page starts on problem 10.
Expected texts come from the core (mlsd.practice, mlsd.estimates) in the test process.
"""

from __future__ import annotations

from mlsd import estimates, practice
from mlsd.widgets.practice import practice_worksheet
from tests.browser.registry import Page, Section, Step, Widget, js_all, register, text_includes


def _problem_step(describe: str, key: str, number: int) -> Step:
    p = practice.problem(number)
    qps = estimates.estimate_all(**practice.worksheet_inputs(number))["qps"]
    body, arg = js_all(
        text_includes(".mlsd-practice-card", f"{p.number}. {p.title}", p.challenge),
        text_includes(".mlsd-estimates-work", qps.readable),
    )
    return Step(describe, ".mlsd-practice-problem .noUi-handle", key, body, arg)


def worksheet_steps(page: Page):
    # A slider, not a drop-down: in JupyterLab the arrow keys on a focused drop-down move
    # between cells instead.
    yield _problem_step("ArrowRight on the problem number: problem 11", "ArrowRight", 11)
    yield _problem_step("ArrowLeft: back to problem 10", "ArrowLeft", 10)
    yield _problem_step("ArrowLeft again: problem 9", "ArrowLeft", 9)


register(
    Section(
        name="10-practice-problems",
        main="worksheet",
        widgets=(
            Widget(
                "worksheet",
                "mlsd-practice",
                practice_worksheet,
                worksheet_steps,
                figures=("mlsd-practice-fig",),
            ),
        ),
    )
)
