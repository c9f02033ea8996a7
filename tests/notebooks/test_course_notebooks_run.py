"""Every released notebook runs to its end as Run All does, failing only at the learner's
stubs (no time budget: ``test_notebooks_run.py`` times the solutions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.grading.execute import run_notebook
from mlsd.grading.notebooks import graded_cells

ROOT = Path(__file__).resolve().parents[2]
COURSE_NBS = sorted((ROOT / "course").glob("*/*.ipynb"))

pytestmark = pytest.mark.slow


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", COURSE_NBS, ids=rel)
def test_course_notebook_runs_to_the_end_and_fails_only_where_the_learner_has_work(path):
    # Without allow_errors, as JupyterLab's Run All: only cells tagged raises-exception (the
    # checks, tagged by `mlsd build-course`) may fail and let the run continue; any other
    # failing cell stops it with CellExecutionError.
    run = run_notebook(path, allow_errors=False)
    assert run.notebook.cells[-1].cell_type != "code" or run.notebook.cells[-1].execution_count
    test_cells = {c.grade_id for c in graded_cells(run.notebook) if c.kind == "tests"}
    failed = {e.grade_id: e for e in run.errors}
    unexpected = {g: e for g, e in failed.items() if g not in test_cells}
    assert unexpected == {}, "only the checks of unanswered exercises may fail"
    assert set(failed) == test_cells, "every check must report the untouched stub"
    assert {e.ename for e in failed.values()} == {"NotAttempted"}
