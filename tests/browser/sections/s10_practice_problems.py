"""Section 10 (practice problems): the worksheet and the base-rate explorer, driven from the
keyboard in a real browser.

The notebook shows ``practice_worksheet(10)``, so the page starts on problem 10; the explorer
starts at the guide's fraud target. Expected texts come from
the core (mlsd.practice, mlsd.estimates, mlsd.base_rates, mlsd.designs) in the test process.
"""

from __future__ import annotations

from mlsd import base_rates, designs, estimates, practice
from mlsd.widgets.practice import base_rate_explorer, practice_worksheet
from tests.browser.registry import Page, Section, Step, Widget, js_all, register, text_includes

# --- the worksheet ---------------------------------------------------------------------------


def _problem_step(describe: str, key: str, number: int) -> Step:
    p = practice.problem(number)
    qps = estimates.estimate_all(**practice.worksheet_inputs(number))["qps"]
    body, arg = js_all(
        text_includes(".mlsd-practice-card", f"{p.number}. {p.title}", p.challenge),
        text_includes(".mlsd-estimates-work", qps.readable),
        text_includes(".mlsd-practice-problem", str(number)),  # the slider's readout
    )
    return Step(describe, ".mlsd-practice-problem .noUi-handle", key, body, arg)


def worksheet_steps(page: Page):
    # A slider, not a drop-down: in JupyterLab the arrow keys on a focused drop-down move
    # between cells instead.
    yield _problem_step("ArrowRight on the problem number: problem 11", "ArrowRight", 11)
    yield _problem_step("ArrowLeft: back to problem 10", "ArrowLeft", 10)
    yield _problem_step("ArrowLeft again: problem 9", "ArrowLeft", 9)
    design = designs.reference(9)
    body, arg = text_includes(
        ".mlsd-practice-design",
        f"Reference design · problem 9: {design.title}",
        design.clarifying_questions[0].question,
    )
    yield Step(
        "Space on 'Show the reference design': problem 9's design appears",
        "button.mlsd-practice-reveal",
        "Space",
        body,
        arg,
    )


# --- the base-rate explorer --------------------------------------------------------------------
EVENTS_PER_DAY, RECALL, FPR = 150e6, 0.9, 0.02  # the explorer's opening state
LOG_STEP = 0.05  # the prevalence slider moves its exponent in these steps


def _prevalence_step(describe: str, key: str, prevalence: float) -> Step:
    point = base_rates.operating_point(RECALL, FPR, prevalence, EVENTS_PER_DAY)
    first_line = practice.operating_point_text(point).splitlines()[0]
    body, arg = text_includes(".mlsd-baserate-result", first_line)
    return Step(describe, ".mlsd-baserate-prevalence .noUi-handle", key, body, arg)


def base_rate_steps(page: Page):
    yield _prevalence_step("End on the prevalence slider: about half are fraud", "End",
                           10**-0.3)  # fmt: skip
    yield _prevalence_step("Home: 1 in 100,000 is fraud", "Home", 1e-5)
    yield _prevalence_step("ArrowRight: one step up", "ArrowRight", 10 ** (-5 + LOG_STEP))
    point = base_rates.operating_point(RECALL, FPR, 0.001, EVENTS_PER_DAY)
    body, arg = text_includes(".mlsd-baserate-result", *practice.operating_point_text(point)
                              .splitlines())  # fmt: skip
    yield Step(
        "Space on the 'Guide's fraud target' example: 0.1 % fraud, about 4 % precision",
        ".mlsd-baserate-preset button:nth-child(1)",
        "Space",
        body,
        arg,
    )


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
            Widget(
                "base_rate",
                "mlsd-baserate",
                base_rate_explorer,
                base_rate_steps,
                figures=("mlsd-baserate-fig",),
            ),
        ),
    )
)
