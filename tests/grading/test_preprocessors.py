"""The workbook's nbgrader preprocessors (:mod:`mlsd.grading.preprocessors`)."""

from __future__ import annotations

import copy

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import ClearHiddenTests

from mlsd.grading.preprocessors import ClearHiddenTestsInTestCells


def _notebook():
    learner = new_code_cell("x = 1\n# ### BEGIN HIDDEN TESTS pasted by a learner\n")
    learner.metadata["nbgrader"] = {"grade_id": "answer", "solution": True, "grade": False}
    tests = new_code_cell(
        "assert x == 1\n### BEGIN HIDDEN TESTS\nassert x + 1 == 2  # hidden\n### END HIDDEN TESTS"
    )
    tests.metadata["nbgrader"] = {"grade_id": "answer-tests", "grade": True, "points": 1}
    plain = new_code_cell("y = 2  ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS in a comment")
    return new_notebook(cells=[learner, tests, plain])


def test_only_test_cells_lose_their_hidden_region():
    nb, _ = ClearHiddenTestsInTestCells().preprocess(_notebook(), {})
    learner, tests, plain = nb.cells
    assert learner.source == _notebook().cells[0].source  # shown as the learner wrote it
    assert tests.source == "assert x == 1"
    assert plain.source == _notebook().cells[2].source


def test_nbgraders_own_preprocessor_stops_on_a_learner_marker():
    """Why the variant exists: this error stopped `generate_feedback` for the whole class."""
    with pytest.raises(RuntimeError, match="hidden tests"):
        ClearHiddenTests().preprocess(copy.deepcopy(_notebook()), {})
