"""Screening (:mod:`mlsd.grading.screen`): what is decided before a submission is graded."""

from __future__ import annotations

import json
import os
import stat

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from mlsd import course
from mlsd.grading.screen import digest, screen
from mlsd.grading.settings import SubmissionLimits
from mlsd.grading.status import Status

from .pipeline_course import SECTION, make_root, place_submissions, question_scores


def _folder(tmp_path, files: dict[str, bytes]):
    folder = tmp_path / "submitted" / "ann" / "08-x"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _notebook() -> bytes:
    return nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")])).encode()


def test_a_valid_notebook_passes(tmp_path):
    assert screen(_folder(tmp_path, {"a.ipynb": _notebook()}), ["a.ipynb"]) is None


def test_no_notebook_is_missing(tmp_path):
    status, detail = screen(_folder(tmp_path, {"notes.txt": b"hi"}), ["a.ipynb"])
    assert status == Status.MISSING and detail == "no a.ipynb in the submission"


def test_bad_json_and_bad_schema_are_malformed(tmp_path):
    broken = _folder(tmp_path / "1", {"a.ipynb": b'{"cells": [{"cell_type": "co'})
    status, detail = screen(broken, ["a.ipynb"])
    assert status == Status.MALFORMED and detail.startswith("a.ipynb: JSONDecodeError")
    v3 = _folder(tmp_path / "2", {"a.ipynb": json.dumps({"nbformat": 3}).encode()})
    assert screen(v3, ["a.ipynb"]) == (
        Status.MALFORMED,
        "a.ipynb: ValueError: not an nbformat 4 notebook",
    )
    schema = json.loads(_notebook())
    schema["cells"][0]["cell_type"] = "spreadsheet"
    bad = _folder(tmp_path / "3", {"a.ipynb": json.dumps(schema).encode()})
    assert screen(bad, ["a.ipynb"])[0] == Status.MALFORMED


def test_digest_changes_with_any_file_and_only_then(tmp_path):
    folder = _folder(tmp_path, {"a.ipynb": _notebook(), "data.csv": b"1,2\n"})
    first = digest(folder)
    assert digest(folder) == first
    (folder / "data.csv").write_bytes(b"1,3\n")
    assert digest(folder) != first
    (folder / "data.csv").write_bytes(b"1,2\n")
    assert digest(folder) == first
    (folder / "renamed.csv").write_bytes(b"")
    assert digest(folder) != first


# ----------------------------------------------------------------------------- through the pipeline


@pytest.mark.slow
def test_links_fifos_and_hard_links_are_moved_aside_and_the_rest_graded(attack_class):
    root, result = attack_class["root"], attack_class["results"]["links"]
    assert (result.status, result.score) == (Status.GRADED, 7.0)
    for note in (
        "notes.txt (symbolic link) moved to quarantine",
        "data (symbolic link) moved to quarantine",
        "pipe.csv (FIFO) moved to quarantine",
        "shared.csv (hard link) replaced by a copy",
    ):
        assert note in result.detail, result.detail
    aside = root / "autograder" / "quarantine" / "links" / SECTION
    assert (aside / "notes.txt").is_symlink() and stat.S_ISFIFO(
        os.lstat(aside / "pipe.csv").st_mode
    )
    # the links were moved, never followed: nothing of the host reached the kernel's folder
    graded = root / "autograder" / "autograded" / "links" / SECTION
    assert "CANARY" not in "".join(
        p.read_text(errors="replace") for p in graded.rglob("*") if p.is_file()
    )
    # the hard link's other name is untouched and no longer shares the file
    shared = attack_class["shared"]
    assert os.stat(shared).st_nlink == 1 and shared.read_text() == "a,b\n1,2\n"
    assert (root / "autograder" / "submitted" / "links" / SECTION / "shared.csv").read_text() == (
        "a,b\n1,2\n"
    )
    assert oct(shared.stat().st_mode & 0o777) != oct(0o444)


@pytest.mark.slow
def test_a_linked_notebook_is_missing_never_followed(attack_class):
    result = attack_class["results"]["linked-notebook"]
    assert result.status == Status.MISSING
    assert "(symbolic link) moved to quarantine" in result.detail


@pytest.mark.slow
def test_notebooks_over_the_size_or_cell_limit_are_not_graded(attack_class):
    big, many = attack_class["results"]["too-big"], attack_class["results"]["many-cells"]
    assert big.status == Status.TOO_LARGE and "MB, over the 1 MB limit" in big.detail
    assert many.status == Status.TOO_LARGE and "cells, over the 500 cell limit" in many.detail
    assert big.score == many.score == 0.0
    graded = attack_class["root"] / "autograder" / "autograded"
    assert not (graded / "too-big").exists() and not (graded / "many-cells").exists()


@pytest.mark.slow
def test_honest_grades_are_those_of_grading_alone(attack_class, tmp_path):
    """The honest student and the one whose links were moved aside score, question by
    question, what plain ``nbgrader autograde`` gives the honest notebook alone."""
    root = make_root(tmp_path / "alone")
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    name = attack_class["name"]
    notebook = attack_class["root"] / "autograder" / "submitted" / "honest" / SECTION / name
    place_submissions(root, {"honest": notebook.read_bytes()})
    course.nbgrader(root, "autograde", SECTION, "--student", "honest")
    alone = question_scores(root, SECTION, "honest")
    for student in ("honest", "links", "marker"):
        assert question_scores(attack_class["root"], SECTION, student) == alone, student


def test_size_and_cell_caps_are_checked_before_parsing(tmp_path):
    limits = SubmissionLimits(max_notebook_mb=1, max_cells=10)
    big = nbformat.writes(new_notebook(cells=[new_code_cell("x" * (2 << 20))])).encode()
    status, detail = screen(_folder(tmp_path / "1", {"a.ipynb": big}), ["a.ipynb"], limits)
    assert status == Status.TOO_LARGE and detail == "a.ipynb: 2 MB, over the 1 MB limit"
    many = nbformat.writes(new_notebook(cells=[new_code_cell("1")] * 11)).encode()
    status, detail = screen(_folder(tmp_path / "2", {"a.ipynb": many}), ["a.ipynb"], limits)
    assert (status, detail) == (Status.TOO_LARGE, "a.ipynb: 11 cells, over the 10 cell limit")


def test_a_notebook_that_is_a_fifo_or_a_link_is_not_read(tmp_path):
    folder = _folder(tmp_path, {"notes.txt": b"x"})
    os.mkfifo(folder / "a.ipynb")  # opening it for reading would block
    assert screen(folder, ["a.ipynb"])[0] == Status.MISSING
    (folder / "a.ipynb").unlink()
    (folder / "a.ipynb").symlink_to(folder / "notes.txt")
    assert screen(folder, ["a.ipynb"])[0] == Status.MISSING
