"""Sections 10 and 11 timings: every widget callback against the core function alone.

Each figure is a median over repeated calls, printed with a ratio against the core function
the callback calls, measured in the same run. Bar: every callback < 20 ms median.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import nbformat

from mlsd import estimates, practice, resources, selfcheck, studyplan, timing
from mlsd.checks.core import manifest
from mlsd.chooser import choose_model
from mlsd.widgets.practice import practice_worksheet
from mlsd.widgets.resources import resource_table, self_check, study_planner

START = dt.date(2026, 12, 1)


def median_ms(action, repeat=33) -> float:
    return timing.median_ms(action, repeat)


def learner_course(root: Path) -> Path:
    """A course folder with every section saved, half the checks passed."""
    for k, section in enumerate(sorted({e.section for e in manifest().values()})):
        nb = nbformat.v4.new_notebook()
        for j, ex in enumerate(e for e in manifest().values() if e.section == section):
            cell = nbformat.v4.new_code_cell("check()")
            cell.metadata["nbgrader"] = {"grade_id": ex.test_cell, "grade": True}
            if (j + k) % 2:
                cell.outputs = [nbformat.v4.new_output("stream", text="visible checks passed")]
            nb.cells.append(cell)
        (root / section).mkdir()
        nbformat.write(nb, root / section / "nb.ipynb")
    return root


def main() -> int:
    sheet = practice_worksheet(1)
    shelf = resource_table()
    planner = study_planner(days=21, start=START)
    course = learner_course(Path(tempfile.mkdtemp()))
    checker = self_check(str(course))
    kinds = ["book", "online", "write-up", "practice", "any"]

    def core_problem(i):
        n = i % 11 + 1
        p = practice.problem(n)
        estimates.estimate_all(**practice.worksheet_inputs(n))
        choose_model(p.latency_ms, 85.0, "medium")

    rows = [  # (callback, widget median, median of the core functions it calls)
        (
            "worksheet: pick a problem",
            median_ms(lambda i: setattr(sheet.problem, "value", i % 11 + 1)),
            median_ms(core_problem),
        ),
        (
            "resources: change the kind",
            median_ms(lambda i: setattr(shelf.kind, "value", kinds[i % 5])),
            median_ms(lambda i: resources.filter_resources(shelf.data, kind=kinds[i % 4])),
        ),
        (
            "planner: change the days",
            median_ms(lambda i: setattr(planner.days, "value", 10 + i)),
            median_ms(lambda i: studyplan.study_plan(10 + i, 2.0, START, 7)),
        ),
        (
            "self-check: re-read notebooks",
            median_ms(lambda i: checker.update()),
            median_ms(lambda i: selfcheck.progress(course)),
        ),
        (
            "self-check: tick a box",
            median_ms(
                lambda i: setattr(checker.boxes[i % 18], "value", not checker.boxes[i % 18].value)
            ),
            median_ms(lambda i: selfcheck.readiness(checker.progress, i % 18)),
        ),
    ]
    messages = [sheet.message, shelf.message, planner.message, checker.message]
    assert all(m.value == "" for m in messages), "a callback reported an error"
    for name, widget, core in rows:
        verdict = "ok" if widget < 20 else "OVER"
        print(
            f"{name:32s} median {widget:7.2f} ms (bar 20 ms: {verdict}); "
            f"core alone {core:6.2f} ms, ratio {widget / core:5.1f}x"
        )
    return 0 if all(widget < 20 for _n, widget, _c in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
