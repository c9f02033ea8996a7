"""Feedback: nbgrader's HTML pages for students, checked for hidden-test lines.

What a student's kernel left in ``autograded/<student>/<section>/`` is not trusted: nbgrader's
``generate_feedback`` copies every file of that folder next to the page (following links,
blocking on a FIFO) and converts every notebook in it, so entries that are not regular files
or folders are moved to ``autograder/quarantine/<student>/<section>/autograded/`` first,
nbgrader converts only the released notebooks, and it runs under a time limit. Pages are
read as regular files only, at most :data:`PAGE_CAP` bytes, and decoded whatever their bytes.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import stat
import urllib.parse
from pathlib import Path

import nbformat

from mlsd import course
from mlsd.grading import untrusted
from mlsd.grading.layout import Log, check_section, expected_notebooks, print_log
from mlsd.grading.notebooks import BEGIN_HIDDEN, END_HIDDEN, regions
from mlsd.grading.screen import QUARANTINE

PAGE_CAP = 256 << 20  # bytes of one feedback page read for the leak check
# nbgrader generate_feedback takes about 0.25 s per page here; a limit far above that
SECONDS_PER_PAGE, SECONDS_BASE = 30, 120
MIN_SECRET = 12  # shorter hidden-test lines are too common to call a leak


def hidden_lines(root: Path, section: str) -> list[str]:
    """The distinctive lines of every hidden-test region of a section's source notebooks
    (``solutions/`` only: never what a student wrote)."""
    lines = []
    for path in (root / "solutions" / section).glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for region in regions(cell.source, BEGIN_HIDDEN, END_HIDDEN):
                lines += [x.strip() for x in region.splitlines() if len(x.strip()) >= MIN_SECRET]
    return lines


def html_text(page: str) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def encodings(line: str) -> list[str]:
    """``line`` as it shows in a page printed plainly or in a simple encoding: as is, JSON-
    escaped, reversed, URL-encoded, hex, and base64 at each of the three byte alignments
    (the part of the encoding that does not depend on what precedes the line).

    Not caught (a determined student can still leak a hidden test through feedback): any
    other transformation (compression, encryption, rot13, a key of their own), a line split
    across outputs or interleaved, a paraphrase, lines shorter than :data:`MIN_SECRET`
    characters, and text inside images. Keeping hidden tests out of the kernel's reach is the
    real fix; this check is a tripwire."""
    raw = line.encode()
    forms = [line, line[::-1], urllib.parse.quote(line), urllib.parse.quote_plus(line)]
    forms += [raw.hex(), raw.hex().upper()]
    forms.append(_json_escaped(line))
    for skip in range(3):
        part = raw[skip:]
        part = part[: len(part) // 3 * 3]
        if len(part) >= 9:
            forms += [base64.b64encode(part).decode(), base64.urlsafe_b64encode(part).decode()]
    return list(dict.fromkeys(forms))


def _json_escaped(line: str) -> str:
    return json.dumps(line)[1:-1]


def leaks(page: str | bytes, secret_lines: list[str]) -> list[str]:
    """The hidden-test lines a page shows, plainly or encoded (see :func:`encodings`), in
    its visible text or anywhere in its source; ``page`` may be any bytes."""
    if isinstance(page, bytes):
        page = page.decode("utf-8", errors="replace")
    haystacks = (page, html_text(page))
    found = []
    for line in secret_lines:
        if any(form in text for form in encodings(line) for text in haystacks):
            found.append(line)
    return found


def _quarantine_graded(ag: Path, section: str) -> list[str]:
    """Move aside what is not a regular file or folder in every ``autograded/*/<section>/``
    (links are moved themselves, never followed)."""
    notes = []
    graded = ag / "autograded"
    for student_dir in sorted(graded.iterdir()) if graded.is_dir() else []:
        aside = ag / QUARANTINE / student_dir.name / section / "autograded"
        for path in (student_dir, student_dir / section):
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                break
            if not stat.S_ISDIR(mode):
                aside.mkdir(parents=True, exist_ok=True)
                os.rename(path, aside / "_folder")
                notes.append(f"{path.relative_to(ag)} ({untrusted.kind(mode)})")
                break
        else:
            found = untrusted.quarantine(student_dir / section, aside)
            notes += [f"{student_dir.name}: {note}" for note in found]
    return notes


def _pages(ag: Path, section: str) -> list[Path]:
    feedback_dir = ag / "feedback"
    pages = []
    for entry in untrusted.walk(feedback_dir) if feedback_dir.is_dir() else []:
        parts = entry.relative.split("/")
        page = len(parts) == 3 and parts[1] == section and parts[2].endswith(".html")
        if page and stat.S_ISREG(entry.mode):
            pages.append(entry.path)
    return sorted(pages)


def pending_manual_grades(root: Path, section: str) -> dict[str, list[str]]:
    """student -> graded cells of ``section`` that still need a grade by hand: written
    answers, and the cells of a submission nbgrader could not finish."""
    from mlsd.grading.gradebook import open_gradebook

    pending: dict[str, list[str]] = {}
    with open_gradebook(root) as gb:
        for submission in gb.find_assignment(section).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        pending.setdefault(submission.student.id, []).append(grade.name)
    return pending


def feedback(root: Path, section: str, log: Log = print_log, force: bool = False) -> list[Path]:
    """``nbgrader generate_feedback``; warn about any hidden-test line visible in the HTML.

    Refuses while written answers still wait for a grade (their students would read 0 points
    with no word of why), unless ``force``: grade them first in ``mlsd grade ui``."""
    check_section(root, section)
    pending = pending_manual_grades(root, section)
    if pending:
        waiting = sum(len(v) for v in pending.values())
        shown = ", ".join(f"{s} ({', '.join(q)})" for s, q in sorted(pending.items())[:5])
        message = (
            f"{waiting} question(s) of {len(pending)} student(s) still need a grade by hand "
            f"(written answers, or cells nbgrader could not finish): {shown}"
            f"{' ...' if len(pending) > 5 else ''}. Their feedback would show 0 points for "
            "them. Grade them in `mlsd grade ui`"
        )
        if not force:
            raise ValueError(message + ", or pass --force to send feedback anyway.")
        log(f"warning: {message}; sending feedback anyway (--force).")
    ag = root / "autograder"
    for note in _quarantine_graded(ag, section):
        log(f"quarantined before feedback: {note}")
    graded = len(list((ag / "autograded").glob(f"*/{section}")))
    limit = SECONDS_BASE + SECONDS_PER_PAGE * graded
    # one run per released notebook: nbgrader would otherwise convert every *.ipynb a
    # kernel wrote into its folder (and fail the class on one it cannot find grades for)
    for name in expected_notebooks(root, section):
        notebook = f"--CourseDirectory.notebook_id={Path(name).stem}"
        course.nbgrader(root, "generate_feedback", section, "--force", notebook, timeout=limit)
    pages = _pages(ag, section)
    secret = hidden_lines(root, section)
    for page in pages:
        try:
            found = leaks(untrusted.read_regular(page, PAGE_CAP), secret)
        except (OSError, ValueError) as exc:
            log(f"warning: {page.relative_to(root)} not checked: {exc}")
            continue
        if found:
            log(f"warning: {page.relative_to(root)} shows hidden-test line(s): {found[:3]}")
    log(f"feedback: {len(pages)} HTML file(s) under autograder/feedback/*/{section}/")
    return pages
