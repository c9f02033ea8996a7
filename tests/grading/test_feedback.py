"""The feedback stage (:mod:`mlsd.grading.feedback`): pages without hidden tests, and a leak
check that can fail."""

from __future__ import annotations

import base64
import copy
import html
import json
import os
import subprocess
import sys
import urllib.parse

import nbformat
import pytest

from mlsd.grading.feedback import (
    feedback,
    hidden_lines,
    html_text,
    leaks,
    pending_manual_grades,
)

from .attack_class import add_kernel_leftovers
from .pipeline_course import SECTION, notebook_name

pytestmark = pytest.mark.slow


def test_feedback_has_no_hidden_tests(hostile_class):
    root = hostile_class["root"]
    secret = hidden_lines(root, SECTION)
    assert secret
    pages = feedback(root, SECTION, log=lambda m: None, force=True)
    page = root / "autograder" / "feedback" / "good-a" / SECTION / notebook_name(root)
    page = page.with_suffix(".html")
    assert page in pages
    text = page.read_text()
    assert leaks(text, secret) == []
    assert "check_weighted_total" in html_text(text)  # the visible check is there
    # the leak check itself can fail: a page showing a hidden line is caught
    assert leaks(f"<pre><span>{secret[0]}</span></pre>", secret) == [secret[0]]


def test_feedback_waits_for_what_needs_a_grade_by_hand(hostile_class):
    """Students would read 0 points for a question nobody graded yet: refused, named, and
    sent only with --force. (The walkthrough test shows it with real written answers.)"""
    root = hostile_class["root"]
    pending = pending_manual_grades(root, SECTION)
    student, questions = sorted(pending.items())[0]
    with pytest.raises(ValueError, match=rf"need a grade by hand .*{student} \({questions[0]}"):
        feedback(root, SECTION, log=lambda m: None)
    proc = _mlsd(root, "feedback", SECTION)
    assert proc.returncode == 2 and "mlsd grade ui" in proc.stderr


# ----------------------------------------------------------------------------- attacks


def _mlsd(root, *args, timeout=300) -> subprocess.CompletedProcess:
    """``mlsd grade ...`` in its own process, stopped if it hangs (a FIFO used to)."""
    command = [sys.executable, "-m", "mlsd.cli", "grade", "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_feedback_survives_fifos_links_and_a_learners_hidden_marker(attack_class):
    root, canary = attack_class["root"], attack_class["canary"]
    folder = add_kernel_leftovers(root, "honest", canary)
    proc = _mlsd(root, "feedback", SECTION, "--force")
    assert proc.returncode == 0, proc.stderr
    assert "quarantined before feedback: honest: pipe.txt (FIFO)" in proc.stdout
    feedback_dir = root / "autograder" / "feedback"
    # a learner cell with the marker no longer stops nbgrader: that student gets a page
    page = feedback_dir / "marker" / SECTION / attack_class["name"].replace(".ipynb", ".html")
    assert page.is_file() and "BEGIN HIDDEN TESTS" in page.read_text()
    # nothing the kernel left was followed into a student's feedback
    texts = [p.read_bytes() for p in feedback_dir.rglob("*") if p.is_file()]
    assert not any(b"CANARY" in t for t in texts)
    assert not any(os.path.islink(p) for p in feedback_dir.rglob("*"))
    aside = root / "autograder" / "quarantine" / "honest" / SECTION / "autograded"
    assert (aside / "secret.txt").is_symlink() and not (folder / "pipe.txt").exists()


def test_nbgrader_own_clear_hidden_tests_stops_on_the_marker(attack_class, tmp_path):
    """Why the workbook's variant exists: nbgrader's ClearHiddenTests raises on the learner
    cell, and generate_feedback fails for the class (what made `mlsd grade feedback` exit 2)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.preprocessors import ClearHiddenTests

    from mlsd.grading.preprocessors import ClearHiddenTestsInTestCells

    graded = attack_class["root"] / "autograder" / "autograded" / "marker" / SECTION
    nb = nbformat.read(graded / attack_class["name"], 4)
    with pytest.raises(RuntimeError, match="hidden test"):
        ClearHiddenTests().preprocess(copy.deepcopy(nb), {})
    cleared, _ = ClearHiddenTestsInTestCells().preprocess(copy.deepcopy(nb), {})
    source = HTMLExporter().from_notebook_node(cleared)[0]
    secret = hidden_lines(attack_class["root"], SECTION)
    assert leaks(source, secret) == [] and "BEGIN HIDDEN TESTS" in source


def test_leak_check_sees_simple_encodings_and_reads_any_bytes():
    line = "assert band_of(0.93) == 'strong hire', 'hidden case'"
    secret = [line, "check_weighted_total(lambda w: w)  # hidden"]
    raw = line.encode()
    pages = {
        "plain": f"<pre>{html.escape(line)}</pre>",
        "reversed": line[::-1],
        "hex": raw.hex(),
        "url": urllib.parse.quote(line),
        "json": json.dumps({"text": "x" + line}),
    }
    for prefix in ("", "a", "ab"):  # base64 of the line at each of the three alignments
        pages[f"base64+{len(prefix)}"] = base64.b64encode((prefix + line + "\n").encode()).decode()
    for label, page in pages.items():
        assert leaks(page, secret) == [line], label
    binary = b"\x89PNG\r\n\x1a\n\xff\xfe" + raw + b"\x00\xc3("
    assert leaks(binary, secret) == [line]  # not UTF-8: decoded with replacement, checked
    assert leaks(b"\xff\xfe\x00 nothing here", secret) == []
    assert leaks(base64.b64encode(b"an unrelated line of output").decode(), secret) == []
