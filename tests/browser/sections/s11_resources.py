"""Section 11: resource table, study planner and self-check, driven from the keyboard.

Expected texts come
from the core functions (mlsd.resources, mlsd.studyplan, mlsd.selfcheck) in the test process.
The notebook shows resource_table(), study_planner(days=21, hours_per_day=2.0) and
self_check("..").
"""

from __future__ import annotations

import datetime as dt
import html

from mlsd import resources, selfcheck, studyplan
from mlsd.widgets.resources import resource_table, self_check, study_planner
from tests.browser.registry import Page, Section, Step, Widget, js_all, register, text_includes

KIND_ORDER = ["any", *resources.KINDS]


def _kind_step(describe: str, key: str, kind: str) -> Step:
    rows = resources.filter_resources(kind=kind)
    total = len(resources.load())
    body, arg = js_all(
        text_includes(".mlsd-resources-count", f"{len(rows)} of {total} resources"),
        text_includes(".mlsd-resources-table", *rows["title"].tolist()),
    )
    nth = KIND_ORDER.index(kind) + 1
    return Step(describe, f".mlsd-resources-kind button:nth-child({nth})", key, body, arg)


UNCLIPPED = """
const buttons = [...root.querySelectorAll('.mlsd-resources-kind button')];
return buttons.length === 5 && buttons.every(b => b.scrollWidth <= b.clientWidth + 1);
"""


def resource_steps(page: Page):
    # Buttons, not a drop-down: in JupyterLab the arrow keys on a focused drop-down move
    # between cells instead.
    yield _kind_step("Space on 'Real-world system write-ups'", "Space", "write-up")
    yield _kind_step("Space on the 'Books' kind button", "Space", "book")
    # Each button as wide as its label: none is cut short (issue 11, item 3).
    online = _kind_step("", "Space", "online")
    body, arg = js_all((online.predicate, online.arg), (UNCLIPPED, None))
    yield Step(
        "Space on 'Online courses and channels': its rows, and every kind button shows its "
        "whole label",
        online.focus,
        "Space",
        body,
        arg,
    )


def _days_step(describe: str, key: str, days: int) -> Step:
    plan = studyplan.study_plan(days, 2.0, dt.date.today(), 7)
    body, arg = text_includes(".mlsd-planner-summary", html.unescape(plan.summary()))
    return Step(describe, ".mlsd-planner-days input", key, body, arg)


def planner_steps(page: Page):
    yield _days_step("ArrowUp on the days: 22 days", "ArrowUp", 22)
    yield _days_step("ArrowDown on the days: back to 21", "ArrowDown", 21)


def _tick_step(describe: str, ticked: int) -> Step:
    total = len(selfcheck.CHECKLIST)
    body, arg = text_includes(".mlsd-selfcheck-readiness", f"checklist {ticked} of {total} ticked")
    return Step(describe, ".mlsd-selfcheck-item input", "Space", body, arg)


def selfcheck_steps(page: Page):
    yield _tick_step("Space on the first checklist item ticks it", 1)
    yield _tick_step("Space again unticks it", 0)


register(
    Section(
        name="11-resources",
        main="planner",
        widgets=(
            Widget(
                "resources",
                "mlsd-resources",
                resource_table,
                resource_steps,
                figures=("mlsd-resources-fig",),
            ),
            Widget(
                "planner",
                "mlsd-planner",
                study_planner,
                planner_steps,
                figures=("mlsd-planner-fig",),
            ),
            Widget(
                "selfcheck",
                "mlsd-selfcheck",
                lambda: self_check(".."),
                selfcheck_steps,
                figures=("mlsd-selfcheck-fig",),
            ),
        ),
    )
)
