"""Feedback: nbgrader's HTML pages for students, checked for hidden-test lines."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

from mlsd import course
from mlsd.grading.layout import Log, check_section, print_log
from mlsd.grading.notebooks import BEGIN_HIDDEN, END_HIDDEN, regions


def hidden_lines(root: Path, section: str) -> list[str]:
    """The distinctive lines of every hidden-test region of a section's source notebooks."""
    lines = []
    for path in (root / "solutions" / section).glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for region in regions(cell.source, BEGIN_HIDDEN, END_HIDDEN):
                lines += [x.strip() for x in region.splitlines() if len(x.strip()) >= 12]
    return lines


def html_text(page: str) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaks(page: str, secret_lines: list[str]) -> list[str]:
    text = html_text(page)
    return [line for line in secret_lines if line in text]


def feedback(root: Path, section: str, log: Log = print_log) -> list[Path]:
    """``nbgrader generate_feedback``; warn about any hidden-test line visible in the HTML
    (a failing hidden assert still shows in its traceback: nbgrader behaviour)."""
    check_section(root, section)
    course.nbgrader(root, "generate_feedback", section, "--force")
    pages = sorted((root / "autograder" / "feedback").glob(f"*/{section}/*.html"))
    secret = hidden_lines(root, section)
    for page in pages:
        found = leaks(page.read_text("utf-8"), secret)
        if found:
            log(f"warning: {page.relative_to(root)} shows hidden-test line(s): {found[:3]}")
    log(f"feedback: {len(pages)} HTML file(s) under autograder/feedback/*/{section}/")
    return pages
