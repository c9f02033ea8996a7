"""A hostile class for the grading-stage tests: good, wrong and hostile submissions of one
small section, delivered as an LMS zip, released, collected and autograded through the real
pipeline once per test session (the ``hostile_class`` fixture of conftest.py)."""

from __future__ import annotations

import hashlib
import time
import zipfile
from pathlib import Path

from mlsd.grading.autograde import autograde
from mlsd.grading.collect import collect
from mlsd.grading.release import release
from mlsd.grading.roster import import_roster

from .pipeline_course import (
    SECTION,
    delete_cell,
    edit_cell,
    make_root,
    malformed_bytes,
    notebook_name,
    reference_answers,
    submission,
)
from .wrong_answers import WRONG_ANSWERS

CELL_TIMEOUT = 10  # s per cell: the infinite loop costs this; an honest cell takes ~1 s, 10x
# under load (a 3 s limit timed honest setup cells out at load average 10)
STUDENT_LIMIT = 60  # s per submission, for the student who ignores SIGINT
GOOD = ("good-a", "good-b", "extra")


def write_roster(path: Path, students) -> Path:
    lines = ["id,first_name,last_name,email"]
    lines += [f"{s},First {s},Last {s},{s}@example.org" for s in students]
    path.write_text("\n".join(lines) + "\n")
    return path


def lms_zip(root: Path, path: Path) -> dict[str, bytes]:
    """The LMS download: name in the zip -> bytes. Returns what each student submitted."""
    ref = reference_answers(root)
    name = notebook_name(root)
    wrong_total = WRONG_ANSWERS["rubric-total"][0][1]
    wrong_band = WRONG_ANSWERS["rubric-band"][0][1]
    files = {
        f"good-a/{name}": submission(root, ref),
        "good-b_attempt_2.ipynb": submission(root, ref | {"rubric-total": wrong_total}),
        f"extra/{name}": submission(root, ref),
        "extra/scratch-data.csv": b"a,b\n1,2\n",
        f"loop/{SECTION}/{name}": submission(
            root, ref | {"rubric-total": ref["rubric-total"] + "\nwhile True:\n    pass\n"}
        ),
        f"importerr/{name}": submission(
            root, ref | {"rubric-total": "import not_a_real_module_xyz\n" + ref["rubric-total"]}
        ),
        # cheating only pays with a wrong answer: the restored tests must catch it
        f"deleted/{name}": submission(
            root, ref | {"rubric-band": wrong_band}, mutate=delete_cell("rubric-band-tests")
        ),
        f"asserttrue/{name}": submission(
            root,
            ref | {"rubric-total": wrong_total},
            mutate=edit_cell("rubric-total-tests", "assert True\n"),
        ),
        "malformed_rubric.ipynb": malformed_bytes(),
        "missing/notes.txt": b"I forgot to attach the notebook\n",
        f"sysexit/{name}": submission(
            root, ref | {"rubric-band": "import sys\nsys.exit(3)\n" + ref["rubric-band"]}
        ),
        # one 20 MB line: nbgrader's LimitOutput counts lines, so it would pass whole
        f"huge/{name}": submission(
            root,
            ref | {"rubric-transcript": "print('x' * 20_000_000)\n" + ref["rubric-transcript"]},
        ),
        f"wrongkernel/{name}": submission(root, ref, mutate=kernel("julia-1.9")),
        # in-kernel tampering: the sandbox cannot stop it, the tripwire names it
        f"monkeypatch/{name}": submission(
            root,
            ref
            | {
                "rubric-total": "import mlsd.checks.rubric as _r\n"
                "_r.check_weighted_total = _r.expect_totals = lambda *a, **k: None\n" + wrong_total
            },
        ),
        # an answer that calls the course's own implementation instead of writing one
        f"copied/{name}": submission(
            root, ref | {"rubric-band": "from mlsd.rubric import hire_band  # noqa\n"}
        ),
        f"nosigint/{name}": submission(
            root,
            ref
            | {
                "rubric-transcript": "import signal\n"
                "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                "while True:\n    pass\n"
            },
        ),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
    return files


def kernel(name: str):
    def mutate(nb):
        nb.metadata["kernelspec"] = {"name": name, "display_name": name, "language": "julia"}

    return mutate


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grade_hostile_class(tmp_path_factory) -> dict:
    """Release, roster, collect the LMS zip and autograde it (2 workers): what the stage
    tests read. Tests that change the course put it back as they found it."""
    root = make_root(tmp_path_factory.mktemp("pipeline"))
    release(root, SECTION, log=lambda m: None)
    students = [
        "good-a",
        "good-b",
        "extra",
        "loop",
        "importerr",
        "deleted",
        "asserttrue",
        "malformed",
        "missing",
        "sysexit",
        "nosigint",
        "huge",
        "wrongkernel",
        "monkeypatch",
        "copied",
    ]
    import_roster(root, write_roster(root / "roster.csv", students))
    files = lms_zip(root, root / "download.zip")
    collected = collect(root, SECTION, root / "download.zip", log=lambda m: None)
    before = {p: sha(p) for p in (root / "autograder" / "submitted").rglob("*") if p.is_file()}
    lines: list[str] = []
    start = time.perf_counter()
    results = autograde(
        root,
        SECTION,
        workers=2,
        timeout=CELL_TIMEOUT,
        student_limit=STUDENT_LIMIT,
        log=lines.append,
    )
    seconds = time.perf_counter() - start
    return {
        "root": root,
        "files": files,
        "collected": collected,
        "before": before,
        "results": {r.student: r for r in results},
        "lines": lines,
        "seconds": seconds,
        "students": students,
    }
