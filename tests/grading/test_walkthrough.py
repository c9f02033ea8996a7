"""The instructor walkthrough of autograder/README.md, verbatim, on a fresh clone.

The README marks the commands to run with a ``<!-- walkthrough ... -->`` line right before a
```` ```bash ```` block. The slow test copies the repository as a clone would have it (every
file git tracks or would track: ``git ls-files --cached --others --exclude-standard``, read
from the working tree, so files not committed yet count and ignored ones such as the
gradebook, ``submitted/`` or ``.venv/`` do not), runs each marked block with bash in the
copy's ``autograder/`` folder (this venv's ``bin`` first on PATH, as ``source
../.venv/bin/activate`` would put it; no ``MLSD_GRADEBOOK_URL``), then checks what the
sample class of ``autograder/examples/`` should get.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from mlsd.grading.feedback import hidden_lines, leaks
from mlsd.grading.notebooks import graded_cells, read

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "autograder" / "README.md"
SAMPLES = ROOT / "autograder" / "examples"
ROSTER = ROOT / "autograder" / "roster.example.csv"
SECTION = "09-common-mistakes"
MARKER = re.compile(r"^<!-- walkthrough\b.*-->\s*$")
# roster, release, collect, autograde, score, feedback, export, stats: one block per step
EXPECTED_BLOCKS = 8
# the written answers the walkthrough grades by hand (grace_h left hers as released: 0)
MANUAL = {"ada-l": 3.0, "alan.t": 1.5}
BLOCK_TIMEOUT = 300  # s per block; the whole walkthrough takes about 20 s


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def walkthrough_blocks(text: str) -> list[str]:
    """The bodies of the ```bash blocks that follow a walkthrough marker, in order."""
    lines = text.splitlines()
    blocks = []
    for number, line in enumerate(lines, start=1):
        if not MARKER.match(line):
            continue
        fence = number  # index of the line after the marker
        while fence < len(lines) and not lines[fence].strip():
            fence += 1
        assert fence < len(lines) and lines[fence].strip() == "```bash", (
            f"README.md line {number}: a walkthrough marker must be followed by a ```bash block"
        )
        end = fence + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        assert end < len(lines), f"README.md line {fence + 1}: the ```bash block is not closed"
        body = "\n".join(lines[fence + 1 : end]).strip()
        assert body, f"README.md line {fence + 1}: empty walkthrough block"
        blocks.append(body + "\n")
    return blocks


def _roster_ids() -> list[str]:
    with ROSTER.open(newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


def test_readme_marks_one_block_per_step():
    blocks = walkthrough_blocks(README.read_text("utf-8"))
    assert len(blocks) == EXPECTED_BLOCKS, blocks
    commands = [b.split()[2] for b in blocks]
    assert commands == [
        "roster",
        "release",
        "collect",
        "autograde",
        "score",
        "feedback",
        "export",
        "stats",
    ], blocks
    # the walkthrough grades the sample class, not a path of the instructor's machine
    assert all("~" not in b and "/home/" not in b for b in blocks), blocks


def test_walkthrough_blocks_parse_markers_strictly():
    text = "<!-- walkthrough -->\n\n```bash\nmlsd grade roster a.csv\n```\n```bash\nnot me\n```\n"
    assert walkthrough_blocks(text) == ["mlsd grade roster a.csv\n"]
    with pytest.raises(AssertionError, match="must be followed by a ```bash block"):
        walkthrough_blocks("<!-- walkthrough -->\n```\nmlsd grade roster a.csv\n```\n")
    with pytest.raises(AssertionError, match="not closed"):
        walkthrough_blocks("<!-- walkthrough -->\n```bash\nmlsd grade roster a.csv\n")


def test_sample_zip_is_current():
    """The committed zip is what make_samples.py builds from the section now."""
    samples = _make_samples()
    committed = samples.OUTPUT.read_bytes()
    assert committed == samples.build(ROOT), (
        f"{samples.OUTPUT.relative_to(ROOT)} is stale: run "
        ".venv/bin/python autograder/examples/make_samples.py"
    )
    assert samples.build(ROOT) == committed  # deterministic
    with zipfile.ZipFile(samples.OUTPUT) as archive:
        students = sorted(name.split("/")[0] for name in archive.namelist())
    assert students == sorted(_roster_ids()) == sorted(samples.SUBMITTED_AT)


def _clone(target: Path) -> None:
    """The files a fresh clone has (once the working tree is committed)."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"test_walkthrough needs a git checkout and git: {exc}", pytrace=False)
    for name in listing.decode("utf-8").split("\0"):
        source = ROOT / name
        if not name or not (source.is_file() or source.is_symlink()):
            continue  # deleted in the working tree
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest, follow_symlinks=False)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_readme_walkthrough_runs_verbatim_on_the_sample_class(tmp_path):
    start = time.perf_counter()
    clone = tmp_path / "clone"
    _clone(clone)
    ag = clone / "autograder"
    assert not (ag / "gradebook.db").exists()
    env = {k: v for k, v in os.environ.items() if k not in ("MLSD_GRADEBOOK_URL", "VIRTUAL_ENV")}
    env.pop("MLSD_DASK_SCHEDULER", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])

    blocks = walkthrough_blocks((ag / "README.md").read_text("utf-8"))
    assert len(blocks) == EXPECTED_BLOCKS
    for block in blocks:
        if block.startswith("mlsd grade score"):  # before it, feedback would send 0 points
            early = subprocess.run(
                ["mlsd", "grade", "feedback", SECTION],
                cwd=ag,
                env=env,
                capture_output=True,
                text=True,
                timeout=BLOCK_TIMEOUT,
            )
            assert early.returncode == 2, early.stdout + early.stderr
            assert "ada-l (numbers-rewrite-09)" in early.stderr
            assert "alan.t (numbers-rewrite-09)" in early.stderr
        proc = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block],
            cwd=ag,
            env=env,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT,
        )
        assert proc.returncode == 0, f"{block}exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    print(f"walkthrough: {time.perf_counter() - start:.1f} s")

    # what each sample student should get
    samples = _make_samples()
    source = read(next((clone / "solutions" / SECTION).glob("*.ipynb")))
    auto_points = {c.grade_id: c.points for c in graded_cells(source) if c.kind == "tests"}
    max_auto = sum(auto_points.values())
    wrong = {f"{g}-tests" for g, _ in samples.ALAN_MISTAKES}
    answered = {f"{g}-tests" for g in samples.GRACE_ANSWERED}
    assert wrong <= set(auto_points) and answered <= set(auto_points)
    expected = {
        "ada-l": auto_points,
        "alan.t": {q: 0.0 if q in wrong else p for q, p in auto_points.items()},
        "grace_h": {q: p if q in answered else 0.0 for q, p in auto_points.items()},
    }
    assert sorted(expected) == sorted(_roster_ids())

    report = {r["student"]: r for r in _csv(ag / "reports" / f"{SECTION}-autograde.csv")}
    assert sorted(report) == sorted(expected)
    assert {s: r["status"] for s, r in report.items()} == dict.fromkeys(expected, "graded")
    scores = {s: float(r["score"]) for s, r in report.items()}
    assert scores["ada-l"] == max_auto
    assert scores["alan.t"] < max_auto
    assert scores == {s: sum(q.values()) for s, q in expected.items()}

    questions = _csv(ag / "reports" / "questions.csv")
    per_question = {
        s: {r["question"]: float(r["score"]) for r in questions if r["student"] == s}
        for s in expected
    }
    for student, want in expected.items():
        assert {q: per_question[student][q] for q in want} == want, student

    written = {
        r["student"]: float(r["manual_score"] or 0)
        for r in questions
        if r["question"].startswith("numbers-rewrite")
    }
    assert written == {s: MANUAL.get(s, 0.0) for s in expected}
    grades = [r for r in _csv(ag / "reports" / "grades.csv") if r["section"] == SECTION]
    assert sorted(r["student"] for r in grades) == sorted(expected)
    final = {s: score + MANUAL.get(s, 0.0) for s, score in scores.items()}
    assert {r["student"]: float(r["score"]) for r in grades} == final
    assert {r["student"]: r["status"] for r in grades} == dict.fromkeys(expected, "graded")

    # the README's sample table shows these results
    text = (ag / "README.md").read_text("utf-8")
    for student, row in report.items():
        score = f"{scores[student]:g}/{float(row['max_score']):g}"
        line = rf"^{re.escape(student)} +{row['status']} +{score}\s*$"
        assert re.search(line, text, re.M), f"README's sample table lacks {line}"

    secret = hidden_lines(clone, SECTION)
    assert secret
    for student in expected:
        (page,) = (ag / "feedback" / student / SECTION).glob("*.html")
        assert leaks(page.read_text("utf-8"), secret) == [], student
        # the graded copy does hold the hidden tests: the leak check can see them
        (graded,) = (ag / "autograded" / student / SECTION).glob("*.ipynb")
        assert leaks(graded.read_text("utf-8"), secret), student

    stats = ag / "reports" / f"{SECTION}-stats.html"
    page = stats.read_text("utf-8")
    assert "mlsd-stats" in page
    assert all(q in page for q in auto_points)
