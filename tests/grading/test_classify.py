"""Classifying graded submissions (:mod:`mlsd.grading.classify`): every bad submission of the
hostile class gets a clear status, tampering is restored and flagged."""

from __future__ import annotations

import pytest

from mlsd.grading.notebooks import read
from mlsd.grading.status import Status

from .pipeline_course import SECTION, notebook_name, question_scores

pytestmark = pytest.mark.slow


def test_every_bad_submission_gets_a_clear_status(hostile_class):
    results = hostile_class["results"]
    status = {s: r.status for s, r in results.items()}
    assert status["loop"] == Status.TIMED_OUT and "rubric-total" in results["loop"].detail
    assert status["importerr"] == Status.ERRORED_CELL
    assert "ModuleNotFoundError" in results["importerr"].detail
    assert status["deleted"] == Status.TAMPERED
    assert "rubric-band-tests deleted" in results["deleted"].detail
    assert status["asserttrue"] == Status.TAMPERED
    assert "rubric-total-tests edited" in results["asserttrue"].detail
    assert status["malformed"] == Status.MALFORMED
    assert status["missing"] == Status.MISSING
    assert status["sysexit"] == Status.ERRORED_CELL and "SystemExit" in results["sysexit"].detail
    assert status["nosigint"] == Status.TIMED_OUT
    assert "ignored the interrupt" in results["nosigint"].detail
    assert results["nosigint"].score == 0
    log = hostile_class["root"] / "autograder" / "reports" / f"{SECTION}-logs" / "nosigint.log"
    assert log.read_text()


def test_monkeypatching_the_checks_is_flagged_for_review(hostile_class):
    result = hostile_class["results"]["monkeypatch"]
    # documented limit: inside its own kernel a submission can replace the check functions
    # its test cells call, so the wrong answer passes; the tripwire names it for review
    assert "review rubric-total: line 2: assigns _r.check_weighted_total" in result.detail
    # good-a's answers are the reference solution's, which the copy check notes; no tripwire
    assert " line " not in hostile_class["results"]["good-a"].detail


def test_an_answer_importing_the_reference_is_flagged_for_review(hostile_class):
    result = hostile_class["results"]["copied"]
    assert (result.status, result.score) == (Status.GRADED, 7.0)  # it works, so it passes
    assert "review rubric-band: line 1: imports mlsd.rubric in an answer cell" in result.detail


def test_tampered_test_cells_are_restored_and_score_zero(hostile_class):
    root = hostile_class["root"]
    deleted = question_scores(root, SECTION, "deleted")
    edited = question_scores(root, SECTION, "asserttrue")
    good = question_scores(root, SECTION, "good-a")
    # tampered test cells are put back by nbgrader and run as released: 0 for a wrong answer
    assert edited["rubric-total-tests"] == 0 and good["rubric-total-tests"] == 3
    assert deleted["rubric-band-tests"] == 0 and good["rubric-band-tests"] == 2
    autograded = root / "autograder" / "autograded" / "deleted" / SECTION / notebook_name(root)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in read(autograded).cells]
    assert "rubric-band-tests" in ids
    # the other questions of those students are graded normally
    assert deleted["rubric-total-tests"] == 3 and edited["rubric-band-tests"] == 2
    # a loop in one answer costs nothing else: the cell was interrupted, later cells ran
    assert question_scores(root, SECTION, "loop") == good
