"""An attack class for screening, output caps, feedback and stats: submissions whose folders
hold links, FIFOs and hard links, notebooks over the size or cell limits, a display updated
in place with 20 M characters, and a learner cell holding the hidden-tests marker; plus an
honest student. Released, placed in ``submitted/`` and autograded through the real pipeline
once per test session (the ``attack_class`` fixture of conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

from mlsd.grading.autograde import autograde
from mlsd.grading.release import release
from mlsd.grading.settings import SubmissionLimits

from .pipeline_course import (
    SECTION,
    make_root,
    notebook_name,
    place_submissions,
    reference_answers,
    submission,
)

CELL_TIMEOUT = 20
LIMITS = SubmissionLimits(max_notebook_mb=1, max_cells=500)


def _padded(nb) -> None:
    nb.cells.append(new_markdown_cell("padding " * 300_000))  # 2.4 MB: over the 1 MB limit


def _many_cells(nb) -> None:
    nb.cells += [new_markdown_cell(f"cell {i}") for i in range(600)]  # over 500 cells, ~60 KB


def grade_attack_class(tmp_path_factory) -> dict:
    root = make_root(tmp_path_factory.mktemp("attack"))
    release(root, SECTION, log=lambda m: None)
    outside = tmp_path_factory.mktemp("host")
    canary = outside / "host-secret.txt"
    canary.write_text("CANARY-host-secret-4711\n")
    shared = outside / "hard-linked.csv"
    shared.write_text("a,b\n1,2\n")
    ref = reference_answers(root)
    name = notebook_name(root)
    update = "h = display('a', display_id=True)\nh.update('y' * 20_000_000)\n"
    answers = {
        "honest": submission(root, ref),
        "links": submission(root, ref),
        "linked-notebook": submission(root, ref),
        "too-big": submission(root, ref, mutate=_padded),
        "many-cells": submission(root, ref, mutate=_many_cells),
        "marker": submission(
            root, ref | {"rubric-total": ref["rubric-total"] + "\n# ### BEGIN HIDDEN TESTS\n"}
        ),
        "display-update": submission(
            root, ref | {"rubric-transcript": update + ref["rubric-transcript"]}
        ),
    }
    place_submissions(root, answers)
    submitted = root / "autograder" / "submitted"
    links = submitted / "links" / SECTION
    (links / "notes.txt").symlink_to(canary)
    (links / "data").symlink_to(outside, target_is_directory=True)
    os.mkfifo(links / "pipe.csv")
    os.link(shared, links / "shared.csv")
    linked_nb = submitted / "linked-notebook" / SECTION / name
    linked_nb.unlink()
    linked_nb.symlink_to(submitted / "honest" / SECTION / name)
    lines: list[str] = []
    results = autograde(
        root, SECTION, workers=2, timeout=CELL_TIMEOUT, log=lines.append, limits=LIMITS
    )
    return {
        "root": root,
        "results": {r.student: r for r in results},
        "lines": lines,
        "canary": canary,
        "shared": shared,
        "name": name,
    }


def add_kernel_leftovers(root: Path, student: str, canary: Path) -> Path:
    """What a kernel could leave in its folder: a FIFO, a link to a host file, a FIFO named
    like a notebook and an extra notebook claiming test failures. Returns the folder."""
    folder = root / "autograder" / "autograded" / student / SECTION
    for fifo in ("pipe.txt", "trap.ipynb"):
        if not os.path.lexists(folder / fifo):
            os.mkfifo(folder / fifo)
    if not os.path.lexists(folder / "secret.txt"):
        (folder / "secret.txt").symlink_to(canary)
    poison = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.metadata["nbgrader"] = {"grade_id": "rubric-total-tests", "grade": True, "points": 3}
    cell.outputs = [nbformat.v4.new_output("error", ename="Poisoned", evalue="by a kernel")]
    poison.cells = [cell]
    nbformat.write(poison, folder / "extra.ipynb")
    return folder
