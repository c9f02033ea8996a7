"""nbgrader preprocessors of the workbook, named in ``autograder/nbgrader_config.py``."""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests


class ClearHiddenTestsInTestCells(ClearHiddenTests):
    """nbgrader's ``ClearHiddenTests`` for feedback, applied to test cells only.

    Hidden tests live only in test cells, which autograding restores from the release. A
    learner's own cell that happens to contain ``### BEGIN HIDDEN TESTS`` (pasted or
    hostile) made nbgrader raise and the whole ``generate_feedback`` stop; a learner's cell
    holds nothing hidden, so it is shown as written."""

    def preprocess_cell(self, cell, resources, cell_index):
        if not (utils.is_grade(cell) and not utils.is_solution(cell)):
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)
