"""Screening (:mod:`mlsd.grading.screen`): what is decided before a submission is graded."""

from __future__ import annotations

import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from mlsd.grading.screen import digest, screen
from mlsd.grading.status import Status


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
