"""The tampering tripwire: it names reaches into the grader and stays quiet on real answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlsd.grading.tamper import suspicious

ROOT = Path(__file__).resolve().parents[2]

TAMPERING = {
    "import mlsd.checks.rubric as r\nr.check_weighted_total = lambda f: None": "assigns r.check",
    "from mlsd import checks\nchecks.core.passed = print": "assigns checks.core.passed",
    "from mlsd.checks import core\ndel core.Incorrect": "deletes core.Incorrect",
    "import builtins\nbuiltins.print = None": "assigns builtins.print",
    "import sys\nsys.modules['mlsd.checks'] = object()": "sys.modules",
    "setattr(__import__('mlsd.checks'), 'x', 1)": "calls setattr()",
    "def f():\n    pass\nf.__code__ = (lambda: 1).__code__": "uses .__code__",
    "import inspect\ninspect.currentframe().f_back.f_globals['x'] = 1": "uses .f_back",
    "exec('import mlsd')": "calls exec()",
    "import ctypes": "imports ctypes",
    "%time x = 1\nimport builtins as b\nb.len = None": "assigns b.len",
}

HONEST = [
    "x = 1\ny = [i * i for i in range(3)]",
    "import numpy as np\nscores = np.array([1, 2])\nscores[0] = 5",
    "import sys\nprint(sys.version)",
    "from mlsd.checks.rubric import check_weighted_total\ncheck_weighted_total(f)",
    "def f(a):\n    return a.copy()",
    "this is not python (",
]


# Answer cells calling the course's own implementation instead of the learner's.
REFERENCE_IMPORTS = {
    "from mlsd.bandits import ucb1_select\nchoose = ucb1_select": "imports mlsd.bandits",
    "import mlsd.chooser as c\nchoose_model = c.choose_model": "imports mlsd.chooser",
    "from mlsd import rubric\nhire_band = rubric.hire_band": "imports mlsd.rubric",
    "import mlsd\nf = mlsd.bandits": "imports mlsd in an answer cell",
}


@pytest.mark.parametrize("source,expected", REFERENCE_IMPORTS.items())
def test_course_code_imported_in_an_answer_cell_is_named(source, expected):
    found = suspicious(source, answer=True)
    assert any(expected in line and "reference" in line for line in found), found


@pytest.mark.parametrize("source", REFERENCE_IMPORTS)
def test_course_code_imported_outside_answer_cells_is_fine(source):
    # demo cells import widgets and data from mlsd: that is how the notebooks work
    assert suspicious(source) == []


def test_answer_cells_may_import_the_checks_and_hints():
    assert suspicious("from mlsd.checks import hint\nhint('bandit-ucb1')", answer=True) == []
    assert suspicious("from mlsd import checks", answer=True) == []


@pytest.mark.parametrize("source,expected", TAMPERING.items())
def test_tampering_is_named(source, expected):
    found = suspicious(source)
    assert any(expected in line for line in found), found
    assert all(line.startswith("line ") for line in found)


@pytest.mark.parametrize("source", HONEST)
def test_honest_code_is_not_flagged(source):
    assert suspicious(source) == []


def test_no_reference_answer_of_the_workbook_is_flagged():
    checked = 0
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if cell["cell_type"] != "code" or meta.get("grade") or meta.get("locked"):
                continue
            checked += 1
            answer = bool(meta.get("solution"))
            found = suspicious("".join(cell["source"]), answer)
            assert found == [], (path.name, meta.get("grade_id"), found)
    assert checked > 30
