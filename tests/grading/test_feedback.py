"""The feedback stage (:mod:`mlsd.grading.feedback`): pages without hidden tests, and a leak
check that can fail."""

from __future__ import annotations

import pytest

from mlsd.grading.feedback import feedback, hidden_lines, html_text, leaks

from .pipeline_course import SECTION, notebook_name

pytestmark = pytest.mark.slow


def test_feedback_has_no_hidden_tests(hostile_class):
    root = hostile_class["root"]
    secret = hidden_lines(root, SECTION)
    assert secret
    pages = feedback(root, SECTION, log=lambda m: None)
    page = root / "autograder" / "feedback" / "good-a" / SECTION / notebook_name(root)
    page = page.with_suffix(".html")
    assert page in pages
    text = page.read_text()
    assert leaks(text, secret) == []
    assert "check_weighted_total" in html_text(text)  # the visible check is there
    # the leak check itself can fail: a page showing a hidden line is caught
    assert leaks(f"<pre><span>{secret[0]}</span></pre>", secret) == [secret[0]]
