"""The stats stage (:mod:`mlsd.grading.stats`): the per-question page, through the CLI, on the
hostile class."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlsd.grading import cli
from mlsd.grading.stats import failure_message, question_stats

from .attack_class import add_kernel_leftovers
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


def test_stats_reads_only_the_graded_notebooks_and_never_blocks(attack_class, tmp_path):
    root, report = attack_class["root"], tmp_path / "stats.html"
    add_kernel_leftovers(root, "display-update", attack_class["canary"])
    command = [sys.executable, "-m", "mlsd.cli", "grade", "--root", str(root), "stats", SECTION]
    proc = subprocess.run(
        [*command, "--out", str(report)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    page = report.read_text()
    assert "rubric-total-tests" in page
    assert "Poisoned" not in page and "CANARY" not in page  # extra.ipynb was not read


def test_failure_messages_do_not_repeat_the_error_name():
    assert failure_message("Incorrect", "Incorrect (rubric-total): 12 expected\nmore") == (
        "Incorrect (rubric-total): 12 expected"
    )
    assert failure_message("ValueError", "bad input") == "ValueError: bad input"
    assert failure_message("KeyError", "") == "KeyError: "
