"""Sections 5, 7, 9, 11 (every other one) through real ``nbgrader autograde``: see
autograde_sections.py."""

from __future__ import annotations

import pytest

from .autograde_sections import (  # noqa: F401  (collected here, with this file's sections)
    SECTIONS,
    graded_run,
    test_each_exercise_has_enough_wrong_answers,
    test_every_wrong_answer_loses_points,
    test_reference_solution_scores_full_marks,
    test_untouched_stub_scores_zero_and_says_not_attempted,
)

pytestmark = pytest.mark.slow
graded = pytest.fixture(scope="module", params=SECTIONS[0::2], name="graded")(graded_run)
