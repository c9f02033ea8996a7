"""Releasing a section: ``course/SECTION`` and its gradebook entry from ``solutions/``."""

from __future__ import annotations

from pathlib import Path

from mlsd import course
from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, check_section, print_log


def release(root: Path, section: str, log: Log = print_log) -> None:
    """Regenerate ``course/SECTION`` and its gradebook entry from ``solutions/SECTION``.

    Refuses when that would drop an assignment or notebook that already has submissions."""
    from nbgrader.api import MissingEntry

    with open_gradebook(root) as gb:
        try:
            assignment = gb.find_assignment(section)
        except MissingEntry:
            assignment = None
        graded_notebooks = set()
        n_submissions = 0
        if assignment is not None:
            n_submissions = len(assignment.submissions)
            for sub in assignment.submissions:
                graded_notebooks |= {nb.name for nb in sub.notebooks}
    if section not in course.sections(root):
        if n_submissions:
            raise ValueError(
                f"section={section!r} is gone from solutions/ but has {n_submissions} "
                "submission(s) in the gradebook; refusing to drop it"
            )
        check_section(root, section)
    source = {p.stem for p in (root / "solutions" / section).glob("*.ipynb")}
    dropped = sorted(graded_notebooks - source)
    if dropped:
        raise ValueError(
            f"regenerating {section} would drop notebook(s) {dropped} that have submissions; "
            "refusing (restore them in solutions/ or remove the submissions with nbgrader db)"
        )
    course.replace_course(root, only=[section])
    log(f"released course/{section}/ ({n_submissions} submission(s) kept)")
