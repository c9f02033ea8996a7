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
            assert suspicious("".join(cell["source"])) == [], (path.name, meta.get("grade_id"))
    assert checked > 30
