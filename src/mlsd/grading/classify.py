"""The status of a submission nbgrader has graded: test or locked cells changed (nbgrader
restored them), cells that timed out or raised, output cut at the limit, and code that
reaches into the grader's objects (:mod:`mlsd.grading.tamper`), read from the submitted and
the autograded notebooks."""

from __future__ import annotations

import json
from pathlib import Path

from mlsd.grading import tamper, untrusted
from mlsd.grading.capped import NOTEBOOK_TRUNCATED_NOTICE, TRUNCATED_NOTICE
from mlsd.grading.status import Status


def protected_cells(nb: dict) -> dict[str, str]:
    """grade id -> source of every cell a learner must not change (tests and locked cells)."""
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        protected = meta.get("locked") or meta.get("grade")
        if meta.get("grade_id") and not meta.get("solution") and protected:
            source = cell.get("source", "")
            out[meta["grade_id"]] = "".join(source) if isinstance(source, list) else source
    return out


# What the grader reads of a graded notebook: the largest notebook screening lets through
# plus every output the capped Execute keeps, with room to spare.
READ_CAP = 1 << 30


def read_json(path: Path, cap: int = READ_CAP) -> dict:
    """A notebook's JSON, read as a regular file only (no link, FIFO...), at most ``cap``
    bytes (see :mod:`mlsd.grading.untrusted`)."""
    return json.loads(untrusted.read_regular(path, cap).decode("utf-8"))


def _learner_code(nb: dict, protected: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(label, source, is an answer cell) of every code cell the learner wrote or could change."""
    out = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id in protected:
            continue  # nbgrader runs the released source of these cells
        source = "".join(cell.get("source", ""))
        out.append((grade_id or f"cell {index}", source, bool(meta.get("solution"))))
    return out


def classify(
    root: Path, section: str, student: str, expected: list[str], release: dict | None = None
) -> tuple[Status, str]:
    """Status of a submission nbgrader graded: look at what was submitted and what ran.

    Notes that do not change the status (output cut at the limit, code that reaches into
    the grader's objects) are added to the detail."""
    ag = root / "autograder"
    tampered, timeouts, errors, notes = [], [], [], []
    for name in expected:
        if release is not None and name in release:
            release_cells = release[name]
        else:
            release_cells = protected_cells(read_json(root / "course" / section / name))
        try:
            submitted_nb = read_json(ag / "submitted" / student / section / name)
        except (OSError, ValueError):
            errors.append(f"{name} missing")
            continue
        mine = protected_cells(submitted_nb)
        for grade_id, source in release_cells.items():
            if grade_id not in mine:
                tampered.append(f"{grade_id} deleted")
            elif mine[grade_id].strip() != source.strip():
                tampered.append(f"{grade_id} edited")
        for label, source, answer in _learner_code(submitted_nb, release_cells):
            notes += [f"review {label}: {x}" for x in tamper.suspicious(source, answer)]
        try:
            graded = read_json(ag / "autograded" / student / section / name)
        except (OSError, ValueError):
            continue  # not written, or replaced by something that is not a notebook
        for index, cell in enumerate(graded.get("cells", [])):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            label = meta.get("grade_id") or f"cell {index}"
            for out in cell.get("outputs", []):
                text = "".join(out.get("text", ""))
                if TRUNCATED_NOTICE in text:
                    notes.append(f"output over the limit cut in {label}")
                elif NOTEBOOK_TRUNCATED_NOTICE in text:
                    notes.append(f"output over the notebook's limit cut in {label}")
                if out.get("output_type") != "error":
                    continue
                if out.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
                    timeouts.append(label)
                elif not meta.get("grade"):  # a failing test cell is just a lost point
                    first = (out.get("evalue") or "").strip().splitlines()[:1]
                    errors.append(f"{label}: {out.get('ename')}: {''.join(first)[:120]}")
    if timeouts:
        status, detail = Status.TIMED_OUT, "cell time limit hit in " + ", ".join(timeouts)
    elif tampered:
        status = Status.TAMPERED
        detail = "; ".join(tampered) + " (nbgrader put the released cell back and graded that)"
    elif errors:
        status, detail = Status.ERRORED_CELL, "; ".join(errors)
    else:
        status, detail = Status.GRADED, ""
    return status, "; ".join([x for x in [detail, *notes[:5]] if x])


def answer_sources(nb: dict) -> dict[str, str]:
    """grade id -> source of every code answer cell (nbgrader solution cells) of a notebook."""
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id"):
            source = cell.get("source", "")
            out[meta["grade_id"]] = "".join(source) if isinstance(source, list) else source
    return out


def copy_notes(root: Path, section: str, students: list[str], expected: list[str]) -> dict:
    """student -> review notes for answers that copy the reference solution, a course-package
    function or another student (:mod:`mlsd.grading.similarity`)."""
    from mlsd.grading import similarity
    from mlsd.grading.notebooks import strip_markers

    references = {}
    for path in (root / "solutions" / section).glob("*.ipynb"):
        for grade_id, source in answer_sources(read_json(path)).items():
            references[grade_id] = strip_markers(source)
    answers = {}
    for student in students:
        for name in expected:
            try:
                nb = read_json(root / "autograder" / "submitted" / student / section / name)
            except (OSError, ValueError):
                continue
            answers.setdefault(student, {}).update(answer_sources(nb))
    return similarity.copies(answers, references)
