"""The stats stage (:mod:`mlsd.grading.stats`): the per-question page, through the CLI, on the
hostile class."""

from __future__ import annotations

import pytest

from mlsd.grading import cli
from mlsd.grading.stats import question_stats

from .pipeline_course import SECTION

pytestmark = pytest.mark.slow


def test_stats_through_the_cli(hostile_class, tmp_path):
    root, report = hostile_class["root"], tmp_path / "report.html"
    assert cli.main(["grade", "--root", str(root), "stats", SECTION, "--out", str(report)]) == 0
    rows = {r.question: r for r in question_stats(root, SECTION)}
    total = rows["rubric-total-tests"]
    assert total.n == len(hostile_class["students"]) - 2 and 0 < total.passed < 1
    assert any(n >= 1 for _m, n in total.failures)
    page = report.read_text()
    assert "plotly" in page and "rubric-total-tests" in page and "<table" in page
    assert "<script src=" not in page  # self-contained: plotly.js is inlined
