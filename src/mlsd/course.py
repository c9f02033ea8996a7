"""The course pipeline: where things live, regenerating ``course/``, keeping notebooks clean."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

# JupyterLab's Run All and nbclient continue past a cell with this tag when it raises: a
# learner's Run All then reaches the last cell although the checks of unanswered exercises
# fail (each still raises, so nbgrader, which reads the outputs, still scores it 0).
RUN_ALL_TAG = "raises-exception"


def repo_root(start: Path | None = None) -> Path:
    """The checkout this command runs in: the first parent holding ``autograder/``."""
    for folder in [
        Path(start or Path.cwd()).resolve(),
        *Path(start or Path.cwd()).resolve().parents,
    ]:
        if (folder / "autograder" / "nbgrader_config.py").is_file():
            return folder
    here = Path(__file__).resolve().parents[2]  # src/mlsd/course.py in an editable install
    if (here / "autograder" / "nbgrader_config.py").is_file():
        return here
    raise FileNotFoundError(
        "could not find the workbook checkout (a folder with autograder/nbgrader_config.py); "
        "run this command inside the repository."
    )


def sections(root: Path) -> list[str]:
    """Assignment names: one folder per guide section under ``solutions/``."""
    return sorted(p.name for p in (root / "solutions").iterdir() if any(p.glob("*.ipynb")))


def tool_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses: it calls ``alembic`` by name, so the
    interpreter's own bin folder must be on PATH even when the venv is not activated."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def nbgrader(
    root: Path, *args: str, extra_env: dict | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course root ``autograder/``; raise with its log on error
    (and RuntimeError when it runs past ``timeout`` seconds)."""
    env = tool_env() | (extra_env or {})
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=root / "autograder",
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"nbgrader {' '.join(args)} ran past {timeout:.0f} s; stopped") from None
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    if args and args[0] == "generate_assignment":
        tag_test_cells_in(_release_dir(root, args) / args[1])
    return proc


def _release_dir(root: Path, args: tuple[str, ...]) -> Path:
    """Where ``generate_assignment`` wrote: the command line's release folder, else course/."""
    flag = "--CourseDirectory.release_directory="
    given = [a.removeprefix(flag) for a in args if a.startswith(flag)]
    return Path(given[-1]) if given else root / "course"


def generate(
    root: Path,
    release_dir: Path | None = None,
    db_url: str | None = None,
    only: list[str] | None = None,
) -> list[str]:
    """Regenerate the student release from ``solutions/`` (into ``course/`` by default)."""
    done = []
    for name in only or sections(root):
        args = ["generate_assignment", name, "--force"]
        if release_dir is not None:
            args.append(f"--CourseDirectory.release_directory={release_dir}")
        if db_url is not None:
            args.append(f"--CourseDirectory.db_url={db_url}")
        nbgrader(root, *args)
        print(f"generated course/{name}/ from solutions/{name}/", flush=True)
        done.append(name)
    return done


def is_autograded_test(cell) -> bool:
    """An nbgrader test cell: code, graded, not a solution (it holds the checks)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def tag_test_cells(nb) -> int:
    """Tag every autograded test cell ``raises-exception``; return how many gained the tag."""
    added = 0
    for cell in nb.cells:
        if is_autograded_test(cell):
            tags = cell.metadata.setdefault("tags", [])
            if RUN_ALL_TAG not in tags:
                tags.append(RUN_ALL_TAG)
                added += 1
    return added


def tag_test_cells_in(folder: Path) -> None:
    """Tag the test cells of every released notebook in ``folder`` (done at every build, so
    an author cannot forget it; nbgrader's checksums ignore tags)."""
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if tag_test_cells(nb):
            nbformat.write(nb, path)


def diff_release(root: Path, only: list[str] | None = None) -> list[str]:
    """Files that differ between ``course/`` and a fresh generation from ``solutions/``
    (every section, or those in ``only``)."""
    known = sections(root)
    unknown = sorted(set(only or []) - set(known))
    if unknown:
        raise FileNotFoundError(f"no section {unknown} under solutions/; sections: {known}")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "release"
        db = f"sqlite:///{tmp}/gradebook.db"
        generate(root, release_dir=fresh, db_url=db, only=only)
        if not only:
            return _differences(filecmp.dircmp(root / "course", fresh), "")
        return [
            diff
            for name in only
            for diff in _differences(
                filecmp.dircmp(root / "course" / name, fresh / name), f"{name}/"
            )
        ]


def _differences(cmp: filecmp.dircmp, prefix: str) -> list[str]:
    out = [f"{prefix}{n} (only in course/)" for n in cmp.left_only]
    out += [f"{prefix}{n} (missing from course/)" for n in cmp.right_only]
    out += [f"{prefix}{n} (differs)" for n in cmp.diff_files]
    for name, sub in cmp.subdirs.items():
        out += _differences(sub, f"{prefix}{name}/")
    return out


def dirty_cells(path: Path) -> list[str]:
    """Why a notebook is not clean: outputs, execution counts or saved widget state."""
    nb = json.loads(path.read_text("utf-8"))
    problems = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("outputs"):
            problems.append(f"cell {index} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count")
    if "widgets" in nb.get("metadata", {}):
        problems.append("notebook metadata stores widget state")
    return problems


def clean(path: Path) -> bool:
    """Strip outputs, execution counts and widget state in place; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
    return after != before


def replace_course(root: Path, only: list[str] | None = None) -> None:
    """Regenerate ``course/`` (or only some sections of it) from scratch, so files removed
    from ``solutions/`` do not linger in the release."""
    known = sections(root)
    unknown = sorted(set(only or []) - set(known))
    if unknown:
        raise FileNotFoundError(f"no section {unknown} under solutions/; sections: {known}")
    targets = [root / "course" / name for name in only] if only else [root / "course"]
    for target in targets:
        if target.exists():
            shutil.rmtree(target)
    generate(root, only=only)
