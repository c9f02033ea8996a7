"""work/, the learner's copy of the course: seeding, and merging course updates by grade id.

The synthetic course here has every kind of cell the merge treats differently: prose, a
widget cell, answer cells (code and a written answer) with nbgrader checksums, and test
cells. A "learner" answers, adds cells, edits, saves files; a new course version changes
prose, a widget and a check, adds a cell and removes an exercise. Whatever the learner wrote
must survive, and what the course changed must arrive.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from mlsd import cli, workspace

ROOT = Path(__file__).resolve().parents[2]
NB = "06-demo/demo.ipynb"
LANG = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
T1 = dt.datetime(2026, 12, 1, 10, 0, 0)
T2 = dt.datetime(2026, 12, 2, 10, 0, 0)
T3 = dt.datetime(2026, 12, 3, 10, 0, 0)


def _graded(cell, grade_id, *, solution=False, grade=False, points=0):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    cell.id = grade_id
    cell.metadata["nbgrader"] = meta
    cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    return cell


def _cell(kind, cell_id, source):
    cell = (nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell)(source)
    cell.id = cell_id
    return cell


def release_v1():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "py"}
    nb.cells = [
        _cell("md", "intro", "# Demo\n\nThe first version of the prose."),
        _cell("code", "widget", "show_widget(size=1)"),
        _graded(_cell("code", "x", "def f():\n    ...  # YOUR CODE HERE"), "ex-f", solution=True),
        _graded(_cell("code", "x", "check_f(f)"), "ex-f-tests", grade=True, points=2),
        _cell("md", "between", "Between the exercises."),
        _graded(_cell("code", "x", "def g():\n    ...  # YOUR CODE HERE"), "ex-g", solution=True),
        _graded(_cell("code", "x", "check_g(g)"), "ex-g-tests", grade=True, points=1),
        _graded(
            _cell("md", "x", "YOUR ANSWER HERE"), "ex-why", solution=True, grade=True, points=2
        ),
        _cell("md", "old-recap", "A recap the next version drops."),
    ]
    return nb


def release_v2():
    """Prose, the widget cell and a check changed; a cell added; exercise g and a recap
    cell removed."""
    nb = release_v1()
    cells = {c.id: c for c in nb.cells}
    cells["intro"].source = "# Demo\n\nThe SECOND version of the prose."
    cells["widget"].source = "show_widget(size=2)"
    cells["ex-f-tests"].source = "check_f(f, strict=True)"
    _graded(cells["ex-f-tests"], "ex-f-tests", grade=True, points=2)
    new = _cell("md", "new-topic", "A new topic.")
    nb.cells = [c for c in nb.cells if c.id not in {"ex-g", "ex-g-tests", "old-recap"}]
    nb.cells.insert(nb.cells.index(cells["between"]) + 1, new)
    return nb


def write(folder: Path, nb, rel=NB) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def read(path: Path):
    return nbformat.read(path, as_version=4)


def by_id(nb):
    return {c.id: c for c in nb.cells}


def answer(nb, cell_id, text):
    by_id(nb)[cell_id].source = text


@pytest.fixture
def folders(tmp_path):
    release, work = tmp_path / "course", tmp_path / "work"
    write(release, release_v1())
    return release, work


def update(work, release, when, **kw):
    return workspace.update(work, release, now=when, language_info=LANG, **kw)


def learner_works(work: Path) -> Path:
    """Answer f, g and the written question; add a cell; run a cell; save a CSV."""
    path = work / NB
    nb = read(path)
    answer(nb, "ex-f", "def f():\n    return 42")
    answer(nb, "ex-g", "def g():\n    return 'mine'")
    answer(nb, "ex-why", "Because p99 is what users feel.")
    own = _cell("code", "my-own-cell", "# my scratch work\nprint(f())")
    nb.cells.insert(1, own)  # right after the intro
    widget = by_id(nb)["widget"]
    widget.outputs = [nbformat.v4.new_output("stream", text="ran\n")]
    widget.execution_count = 3
    nbformat.write(nb, path)
    (work / "06-demo" / "self_assessment.csv").write_text("date,score\n2026-12-01,3\n")
    return path


def test_first_run_seeds_work_with_the_kernels_language_info_and_a_second_changes_nothing(
    folders,
):
    release, work = folders
    first = update(work, release, T1)
    assert first.created and [f.action for f in first.files] == ["added"]
    assert "your own copy of the course" in first.lines()[0]
    seeded = read(work / NB)
    assert seeded.metadata["language_info"] == LANG
    assert [c.source for c in seeded.cells] == [c.source for c in release_v1().cells]
    before = (work / NB).stat().st_mtime_ns, (work / NB).read_bytes()
    second = update(work, release, T2)
    assert [f.action for f in second.files] == ["unchanged"]
    assert second.lines() == ["work/ is up to date with the course (1 notebooks)."]
    assert ((work / NB).stat().st_mtime_ns, (work / NB).read_bytes()) == before
    assert not (work / workspace.BACKUP_DIR).exists(), "nothing changed, nothing backed up"


def test_a_course_update_brings_new_text_and_keeps_every_answer_and_file(folders):
    release, work = folders
    update(work, release, T1)
    path = learner_works(work)
    csv = work / "06-demo" / "self_assessment.csv"
    csv_before = csv.stat().st_mtime_ns, csv.read_bytes()
    learner_copy = path.read_bytes()
    write(release, release_v2())

    result = update(work, release, T2)

    merged = read(path)
    cells = by_id(merged)
    # The course's new prose, widget and check arrived; the new topic is in place.
    assert cells["intro"].source.endswith("The SECOND version of the prose.")
    assert cells["widget"].source == "show_widget(size=2)"
    assert cells["ex-f-tests"].source == "check_f(f, strict=True)"
    assert "new-topic" in cells and "old-recap" not in cells
    # Every answer the learner wrote is there, unchanged.
    assert cells["ex-f"].source == "def f():\n    return 42"
    assert cells["ex-why"].source == "Because p99 is what users feel."
    # The answer to the removed exercise g is kept in a marked, ungraded cell after a note.
    kept = [c for c in merged.cells if workspace.KEPT_TAG in c.metadata.get("tags", [])]
    assert [c.cell_type for c in kept] == ["markdown", "code"]
    assert "`ex-g`" in kept[0].source and "Kept for you" in kept[0].source
    assert kept[1].source == "def g():\n    return 'mine'" and "nbgrader" not in kept[1].metadata
    assert "ex-g" not in cells and "ex-g-tests" not in cells
    # The learner's own cell stays right after the course cell it followed.
    order = [c.id for c in merged.cells]
    assert order.index("my-own-cell") == order.index("intro") + 1
    # Files the learner made are never touched; the old notebook is backed up.
    assert (csv.stat().st_mtime_ns, csv.read_bytes()) == csv_before
    backup = work / ".backups" / "2026-12-02T10-00-00" / NB
    assert backup.read_bytes() == learner_copy
    (line,) = result.lines()
    assert line.startswith(f"{NB}: 3 cells updated, 1 added, 2 removed, your 2 answers kept")
    assert "1 cell you added kept" in line and "1 answer to removed exercises kept" in line
    assert "work/.backups/2026-12-02T10-00-00/06-demo/demo.ipynb" in line
    # Idempotent: a second run changes nothing and backs up nothing.
    again = path.read_bytes()
    assert [f.action for f in update(work, release, T3).files] == ["unchanged"]
    assert path.read_bytes() == again
    assert not (work / ".backups" / "2026-12-03T10-00-00").exists()


def test_outputs_of_an_unchanged_cell_stay_and_a_changed_cell_drops_its_stale_outputs(folders):
    release, work = folders
    update(work, release, T1)
    path = work / NB
    nb = read(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="out\n")]
            cell.execution_count = 1
    nbformat.write(nb, path)
    write(release, release_v2())
    update(work, release, T2)
    cells = by_id(read(path))
    assert cells["widget"].outputs == [], "the course changed this cell: its output is stale"
    assert cells["ex-f"].outputs and cells["ex-f"].execution_count == 1  # untouched stub
    assert read(path).metadata["language_info"] == LANG


def test_an_untouched_stub_becomes_the_new_stub_and_a_started_answer_never_does(folders):
    release, work = folders
    update(work, release, T1)
    nb = read(work / NB)
    answer(nb, "ex-g", "def g():\n    return 1")
    nbformat.write(nb, work / NB)
    v2 = release_v1()
    for grade_id in ("ex-f", "ex-g"):
        cell = by_id(v2)[grade_id]
        cell.source = cell.source.replace("def ", "def  ")  # a changed stub
        _graded(cell, grade_id, solution=True)
    write(release, v2)
    result = update(work, release, T2)
    cells = by_id(read(work / NB))
    assert cells["ex-f"].source == by_id(v2)["ex-f"].source
    assert cells["ex-g"].source == "def g():\n    return 1"
    assert "the starter code of ex-g changed" in result.lines()[0]


def test_edits_to_course_cells_are_kept_and_a_clash_keeps_both_versions(folders):
    release, work = folders
    update(work, release, T1)
    nb = read(work / NB)
    by_id(nb)["between"].source = "My notes between the exercises."  # course won't change it
    by_id(nb)["widget"].source = "show_widget(size=99)"  # the course will change it too
    nbformat.write(nb, work / NB)
    write(release, release_v2())
    result = update(work, release, T2)
    merged = read(work / NB)
    cells = by_id(merged)
    assert cells["between"].source == "My notes between the exercises."
    assert cells["widget"].source == "show_widget(size=2)"
    order = [c.id for c in merged.cells]
    mine = next(c for c in merged.cells if c.source == "show_widget(size=99)")
    assert workspace.KEPT_TAG in mine.metadata["tags"]
    assert order.index(mine.id) == order.index("widget") + 2  # after the course's, and a note
    line = result.lines()[0]
    assert "1 cell you edited kept" in line and "both versions kept, yours marked" in line
    assert [f.action for f in update(work, release, T3).files] == ["unchanged"]


def test_a_cell_the_learner_deleted_stays_deleted_unless_the_course_changes_it(folders):
    release, work = folders
    update(work, release, T1)
    nb = read(work / NB)
    nb.cells = [c for c in nb.cells if c.id not in {"between", "intro"}]
    nbformat.write(nb, work / NB)
    write(release, release_v2())  # changes "intro", not "between"
    update(work, release, T2)
    cells = by_id(read(work / NB))
    assert "between" not in cells
    assert cells["intro"].source.endswith("The SECOND version of the prose.")


def test_a_deleted_notebook_comes_back_fresh_and_other_files_are_never_touched(folders):
    release, work = folders
    (release / "06-demo" / "data.csv").write_text("course,1\n")
    update(work, release, T1)
    (work / "06-demo" / "data.csv").write_text("learner changed it\n")
    (work / "my-plan.md").write_text("study plan")
    (work / NB).unlink()
    result = update(work, release, T2)
    assert (work / NB).exists()
    assert (work / "06-demo" / "data.csv").read_text() == "learner changed it\n"
    assert (work / "my-plan.md").read_text() == "study plan"
    assert result.lines() == [f"{NB}: new, copied from the course"]


def test_an_unreadable_notebook_is_backed_up_left_alone_and_the_others_still_update(folders):
    release, work = folders
    other = "07-other/other.ipynb"
    write(release, release_v1(), other)
    update(work, release, T1)
    (work / NB).write_text('{"cells": [ this is not json')
    broken = (work / NB).read_bytes()
    learner_works_on = read(work / other)
    answer(learner_works_on, "ex-f", "def f():\n    return 7")
    nbformat.write(learner_works_on, work / other)
    write(release, release_v2())
    write(release, release_v2(), other)
    result = update(work, release, T2)
    assert (work / NB).read_bytes() == broken
    assert (work / ".backups" / "2026-12-02T10-00-00" / NB).read_bytes() == broken
    lines = result.lines()
    assert any(line.startswith(f"{NB}: could not be read") for line in lines)
    assert by_id(read(work / other))["ex-f"].source == "def f():\n    return 7"
    # A second run does not pile up copies of the same broken file.
    update(work, release, T3)
    assert not (work / ".backups" / "2026-12-03T10-00-00").exists()


def test_without_its_memory_the_merge_is_noisier_but_loses_nothing(folders):
    release, work = folders
    update(work, release, T1)
    learner_works(work)
    (work / workspace.STATE_FILE).unlink()
    write(release, release_v2())
    update(work, release, T2)
    merged = read(work / NB)
    sources = [c.source for c in merged.cells]
    assert "def f():\n    return 42" in sources and "def g():\n    return 'mine'" in sources
    assert "# Demo\n\nThe first version of the prose." in sources  # kept as possibly the learner's
    assert "# Demo\n\nThe SECOND version of the prose." in sources


def test_a_course_notebook_a_learner_worked_in_is_never_remembered_as_course_text(folders):
    """Before work/ existed learners worked in course/: seeding copies their work, and the
    text of their cells must not count as course text (or a later update would drop it)."""
    release, work = folders
    nb = read(release / NB)
    answer(nb, "ex-f", "def f():\n    return 1")
    nb.cells.insert(1, _cell("md", "learner-note", "my note, written in course/"))
    nbformat.write(nb, release / NB)
    assert not workspace.release_is_pristine(nb)
    lines = update(work, release, T1).lines()
    assert lines[1] == (
        f"{NB}: copied from the course, with the work found in course/{NB} (outputs or "
        "answers written there): carry on in work/"
    )
    assert NB not in json.loads((work / workspace.STATE_FILE).read_text())["notebooks"]
    write(release, release_v2())
    update(work, release, T2)
    sources = [c.source for c in read(work / NB).cells]
    assert "my note, written in course/" in sources and "def f():\n    return 1" in sources


def test_a_notebook_open_in_jupyterlab_says_to_reload_it(folders):
    release, work = folders
    update(work, release, T1)
    learner_works(work)
    write(release, release_v2())
    result = update(work, release, T2, open_paths={NB})
    assert "open in JupyterLab: use File > Reload Notebook from Disk" in result.lines()[0]


def test_update_needs_the_release_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="make course"):
        workspace.update(tmp_path / "work", tmp_path / "nowhere", language_info=LANG)


def test_language_info_is_what_the_kernel_reports():
    info = workspace.kernel_language_info()
    assert info["name"] == "python" and info["pygments_lexer"] == "ipython3"
    assert info["version"] == ".".join(map(str, os.sys.version_info[:3]))


def test_the_real_course_merges_into_itself_with_answers_kept(tmp_path, capsys):
    """The released sections: seeding, an answer, an edited prose cell in a new release."""
    release = tmp_path / "course"
    shutil.copytree(ROOT / "course", release)
    work = tmp_path / "work"
    assert cli.main(["update", "--work", str(work), "--course", str(release)]) == 0
    rel = "06-tradeoffs/tradeoffs.ipynb"
    nb = read(work / rel)
    answer(nb, "choose-model", "def choose_model(*args):\n    return 'mine'")
    nbformat.write(nb, work / rel)
    upstream = read(release / rel)
    upstream.cells[0].source += "\n\nA sentence added in a new release."
    nbformat.write(upstream, release / rel)
    capsys.readouterr()
    assert cli.main(["update", "--work", str(work), "--course", str(release)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith(f"{rel}: 1 cell updated, your 1 answer kept")
    merged = read(work / rel)
    assert merged.cells[0].source.endswith("A sentence added in a new release.")
    assert by_id(merged)["choose-model"].source == "def choose_model(*args):\n    return 'mine'"


@pytest.mark.slow
def test_make_lab_keeps_a_learners_work_through_pull_touch_and_a_new_venv(tmp_path):
    """The real set-up path in a clone: `make lab START=no` seeds work/; the learner answers
    and saves a self-assessment; then (a) `git pull` of a changed section, (c) a touched
    solutions/ file, (b) `rm -rf .venv && make lab`: answers, the CSV and backups survive,
    and course/ is never regenerated."""
    upstream, learner = tmp_path / "upstream", tmp_path / "learner"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "clone", "-q", str(ROOT), str(upstream)], check=True)
    subprocess.run([*git, "clone", "-q", str(upstream), str(learner)], check=True)

    def make_lab():
        done = subprocess.run(
            ["make", "lab", "START=no"], cwd=learner, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    out = make_lab()
    assert "Created work/" in out
    rel = "06-tradeoffs/tradeoffs.ipynb"
    path = learner / "work" / rel
    nb = read(path)
    answer(nb, "choose-model", "def choose_model(*args):\n    return 'learner answer'")
    answer(nb, "pick-model-justify", "I would ship it because the p99 fits.")
    nbformat.write(nb, path)
    csv = learner / "work" / "08-evaluation-rubric" / "self_assessment.csv"
    csv.write_text("date,criterion,score\n2026-12-01,clarity,3\n")

    # (a) the course changes section 6 (prose, a widget cell, a check) and the learner pulls
    course_nb = upstream / "course" / rel
    changed = read(course_nb)
    cells = by_id(changed)
    cells["cell-001"].source += "\n\nNew prose from the course."
    cells["cell-004"].source += "\n# a widget cell changed by the course"
    cells["choose-model-tests"].source += "\n# a check changed by the course"
    _graded(cells["choose-model-tests"], "choose-model-tests", grade=True, points=4)
    changed.cells = [c for c in changed.cells if c.id not in {"pick-model-justify"}]
    nbformat.write(changed, course_nb)
    subprocess.run([*git, "commit", "-qam", "course update"], cwd=upstream, check=True)
    subprocess.run([*git, "pull", "-q"], cwd=learner, check=True)
    out = make_lab()
    assert f"{rel}: 3 cells updated" in out and "your 1 answer kept" in out

    def learners_work_is_there():
        merged = read(path)
        cells = by_id(merged)
        assert cells["cell-001"].source.endswith("New prose from the course.")
        assert cells["choose-model"].source.endswith("return 'learner answer'")
        assert any(
            c.source == "I would ship it because the p99 fits."
            and workspace.KEPT_TAG in c.metadata.get("tags", [])
            for c in merged.cells
        ), "the answer to a removed question is kept in a marked cell"
        assert csv.read_text() == "date,criterion,score\n2026-12-01,clarity,3\n"
        assert list((learner / "work" / ".backups").glob(f"*/{rel}"))

    learners_work_is_there()
    # (c) a touched solutions/ file regenerates nothing
    os.utime(learner / "solutions" / "07-practical-tips" / "practical-tips.ipynb")
    out = make_lab()
    assert "up to date" in out
    learners_work_is_there()
    # (b) a new virtualenv
    shutil.rmtree(learner / ".venv")
    make_lab()
    learners_work_is_there()
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=learner, capture_output=True, text=True
    ).stdout
    assert status.strip() == "", f"make lab changed tracked files:\n{status}"
