"""The Dask backend (:mod:`mlsd.grading.backends.dask`): grading on a Dask cluster (a
LocalCluster here) gives what the local pool gives."""

from __future__ import annotations

import pytest

from mlsd.grading.autograde import autograde
from mlsd.grading.release import release
from mlsd.grading.status import Status

from .pipeline_course import (
    SECTION,
    make_root,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)
from .wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.slow


def _class(root) -> None:
    ref = reference_answers(root)
    slow = "import time\ntime.sleep(120)\n"
    answers = {
        "ann": ref,
        "bob": ref | {"rubric-total": WRONG_ANSWERS["rubric-total"][0][1]},
        "cat": ref | {"rubric-band": WRONG_ANSWERS["rubric-band"][1][1]},
        "dan": ref | {"rubric-transcript": slow + ref["rubric-transcript"]},
    }
    place_submissions(root, {s: submission(root, chosen) for s, chosen in answers.items()})


def _grade(root, **backend):
    release(root, SECTION, log=lambda m: None)
    _class(root)
    lines: list[str] = []
    # a limit an honest submission meets even on a busy machine (12 s timed honest students
    # out at load 10), far below the slow student's sleep
    results = autograde(root, SECTION, timeout=60, student_limit=40, log=lines.append, **backend)
    # the slow student is killed at the limit, maybe before nbgrader recorded a submission
    scores = {
        r.student: question_scores(root, SECTION, r.student) for r in results if r.student != "dan"
    }
    return {r.student: (r.status, r.score) for r in results}, scores, lines


def test_dask_grades_like_the_local_pool(tmp_path):
    from distributed import LocalCluster

    local = _grade(make_root(tmp_path / "local"), workers=2)
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        on_dask = _grade(make_root(tmp_path / "dask"), dask=cluster)
    assert on_dask[0] == local[0]
    assert on_dask[1]["ann"] == local[1]["ann"] and on_dask[1]["bob"] == local[1]["bob"]
    assert on_dask[0]["ann"] == (Status.GRADED, 7.0)
    assert on_dask[0]["bob"][1] < 7.0 and on_dask[0]["cat"][1] < 7.0
    # the wall-clock limit holds on Dask too: the task is killed, the batch goes on
    assert on_dask[0]["dan"] == (Status.TIMED_OUT, 0.0)
    assert any("on Dask at" in line for line in on_dask[2])
    assert any(line.startswith("[4/4]") for line in on_dask[2])
