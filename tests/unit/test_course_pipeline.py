"""The solutions/ -> course/ pipeline and notebook hygiene helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from mlsd import cli, course

ROOT = Path(__file__).resolve().parents[2]


def _notebook_with_outputs(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 3
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)
    ]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)
    return path


def test_dirty_cells_names_each_problem_and_clean_fixes_them(tmp_path):
    path = _notebook_with_outputs(tmp_path / "dirty.ipynb")
    assert course.dirty_cells(path) == [
        "cell 0 has outputs",
        "cell 0 has an execution count",
        "notebook metadata stores widget state",
    ]
    assert course.clean(path) is True
    assert course.dirty_cells(path) == []
    assert course.clean(path) is False, "cleaning a clean notebook changes nothing"


def test_repo_root_found_from_a_subfolder_and_not_elsewhere(tmp_path):
    assert course.repo_root(ROOT / "src" / "mlsd") == ROOT
    assert course.sections(ROOT)[0][:2].isdigit()


def test_build_course_rejects_an_unknown_section(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["build-course", "99-nowhere"]) == 2
    assert "no section ['99-nowhere'] under solutions/" in capsys.readouterr().err


@pytest.mark.slow
def test_check_reports_a_course_that_drifted_from_solutions(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "repo"
    for folder in ("solutions", "course", "autograder"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("*.db"))
    section = course.sections(copy)[0]
    released = next((copy / "course" / section).glob("*.ipynb"))
    nb = nbformat.read(released, as_version=4)
    nb.cells[0].source += "\nedited by hand"
    nbformat.write(nb, released)
    monkeypatch.chdir(copy)
    # one section: tests/notebooks/test_course_integrity.py checks the whole course
    assert cli.main(["build-course", "--check", section]) == 1
    assert f"{section}/{released.name} (differs)" in capsys.readouterr().out
    assert cli.main(["build-course", section]) == 0
    assert cli.main(["build-course", "--check", section]) == 0
    assert cli.main(["build-course", "--check", "99-no-such-section"]) == 2
