"""The interviewer's notes on a graded mock, written into nbgrader's feedback.

Section 12's last exercise is a written answer graded by hand (grade id ``mock-design``): the
learner pastes what ``mock.for_grading()`` printed, a readable design and a fenced
``mlsd-mock-answer`` block with the typed fields. After ``autograde``, this step reads that
block from each *submitted* notebook *as data* (``json.loads``; nothing a student wrote is
executed, and nothing their kernel printed is read), runs the mock's checker
(``mlsd.interviewer``) in the instructor's process, and stores the notes as the cell's
*automatic comment* in the gradebook, the field nbgrader itself fills with "No response.".

Formgrader then shows the notes in the comment box while the instructor grades the cell
(an instructor's own comment replaces them), and ``generate_feedback`` renders them as the
cell's comment: Markdown, every learner string escaped (``interviewer.markdown_safe``).
``autograde`` resets automatic comments, so run this after it. The block is read from
``submitted/``, not ``autograded/``: the autograded copy holds the learner's markdown already
turned into inert HTML (``sanitize.SanitizeSubmission``), where the fence is gone.
"""

from __future__ import annotations

from pathlib import Path

from mlsd import interview, interviewer
from mlsd.grading.notebooks import read

GRADE_ID = "mock-design"
SECTION = "12-mock-interview"
NO_BLOCK = (
    "**Interviewer's notes:** no `mlsd-mock-answer` block found in this answer, so the "
    "checker could not read it (the learner pastes what `mock.for_grading()` prints)."
)


def notes_for(text: str) -> str:
    """The notes for one graded cell's text (Markdown, safe to render)."""
    try:
        problem, answers = interview.answers_from_grading_text(text)
    except ValueError:
        return NO_BLOCK
    design = interview.design_from_answers(problem, answers).design
    return interviewer.notes_markdown(design)


def _graded_source(path: Path) -> str | None:
    """The text of the ``mock-design`` cell in one notebook, or None (no cell, unreadable)."""
    try:
        for cell in read(path).cells:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == GRADE_ID:
                return str(cell["source"])
    except Exception:  # a hostile or broken file: nothing to comment on, nothing to stop
        return None
    return None


def write_notes(course_root: Path, assignment: str = SECTION, db_url: str | None = None) -> int:
    """Set the automatic comment of every autograded ``mock-design`` cell; return how many."""
    from nbgrader.api import Gradebook, MissingEntry

    course_root = Path(course_root)
    url = db_url or f"sqlite:///{course_root / 'gradebook.db'}"
    done = 0
    with Gradebook(url) as gb:
        for path in sorted((course_root / "autograded").glob(f"*/{assignment}/*.ipynb")):
            student, notebook = path.parent.parent.name, path.stem
            submitted = course_root / "submitted" / student / assignment / path.name
            source = _graded_source(submitted if submitted.is_file() else path)
            if source is None:
                continue
            try:
                comment = gb.find_comment(GRADE_ID, notebook, assignment, student)
            except MissingEntry:
                continue
            comment.auto_comment = notes_for(source)
            gb.db.commit()
            done += 1
    return done
