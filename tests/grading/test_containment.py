"""What a kernel leaves behind is never trusted, and what it takes is capped (issue 14, items
1, 4 and 5), through the real pipeline, one worker, so the attackers are graded before the
honest student on the same worker.

Probes print ``CAP <name>: blocked (<how far it got>)`` or ``CAP <name>: OPEN`` from the
student's own cells; the answers are right, so an attacker the sandbox holds still earns
every autograded point and nobody else loses one.
"""

from __future__ import annotations

import json
import os
import re
import stat
import uuid
from pathlib import Path

import pytest

from mlsd.grading import sandbox
from mlsd.grading.autograde import autograde
from mlsd.grading.feedback import feedback
from mlsd.grading.release import release
from mlsd.grading.status import Status

from .pipeline_course import (
    SECTION,
    make_root,
    notebook_name,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)

pytestmark = pytest.mark.slow

PROBE = """
import os
def _cap(name, action):
    try:
        got = action()
        print(f"CAP {name}: OPEN ({got})")
    except BaseException as exc:
        print(f"CAP {name}: blocked ({type(exc).__name__}: {str(exc)[:80]})")
"""

LEAVER = (
    PROBE
    + """
_targets = {targets!r}
def _plant():
    for name, target in _targets.items():
        if os.path.lexists(name):
            os.remove(name)
        os.symlink(target, name)
    return sorted(os.listdir("."))
_cap("plant-symlinks", _plant)
def _replace_connection_file():
    import glob
    (conn,) = glob.glob(os.path.join(os.path.dirname(os.getcwd()), "kernel.json"))
    os.remove(conn)
    os.mkdir(conn)
    return conn
_cap("replace-connection-file", _replace_connection_file)
_cap("write-beside-workspace", lambda: open(os.path.join(os.path.dirname(os.getcwd()), "x"), "w"))
"""
)

FILLER = (
    PROBE
    + """
def _fill(folder, total_mb):
    # files of 32 MB: one file may not exceed 64 MB (RLIMIT_FSIZE); the folder's cap is tested
    written, paths = 0, []
    try:
        while written < total_mb:
            paths.append(os.path.join(folder, f"fill-{len(paths)}"))
            with open(paths[-1], "wb") as handle:
                for _ in range(32):
                    handle.write(b"x" * 2**20)
                    handle.flush()
                    written += 1
    except OSError as exc:
        raise OSError(f"stopped after {written} MB") from exc
    finally:
        for path in paths:
            if os.path.exists(path):
                os.remove(path)
    return f"{written} MB"
_cap("tmp-1500MB", lambda: _fill("/tmp", 1500))
_cap("shm-1500MB", lambda: _fill("/dev/shm", 1500))
_cap("work-1500MB", lambda: _fill(".", 1500))
def _files(count):
    os.mkdir("many")
    made = 0
    try:
        for index in range(count):
            open(os.path.join("many", str(index)), "w").close()
            made += 1
    except OSError as exc:
        raise OSError(f"stopped after {made} files") from exc
    return f"{made} files"
_cap("work-100000-files", lambda: _files(100_000))
def _new_user_namespace():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(0x10000000) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return "unshared"
_cap("user-namespace", _new_user_namespace)
def _hog():
    pid = os.fork()
    if pid == 0:
        blocks = []
        for _ in range(12):
            blocks.append(bytearray(256 * 2**20))  # zero-filled: resident, not just mapped
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise MemoryError(f"child killed by signal {os.WTERMSIG(status)}")
    return f"3 GB allocated (exit {os.WEXITSTATUS(status)})"
_cap("memory-3GB-in-a-child", _hog)
"""
)


def _caps(root: Path, student: str) -> dict[str, str]:
    graded = root / "autograder" / "autograded" / student / SECTION / notebook_name(root)
    text = "".join(
        "".join(out.get("text", ""))
        for cell in json.loads(graded.read_text())["cells"]
        for out in cell.get("outputs", [])
    )
    return dict(re.findall(r"CAP (\S+): ((?:OPEN|blocked)[^\n]*)", text))


@pytest.fixture(scope="module")
def contained(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("contained"))
    release(root, SECTION, log=lambda m: None)
    name = notebook_name(root)
    ag = root / "autograder"
    canary = Path.home() / f".mlsd-canary-{uuid.uuid4().hex}"
    canary.write_text("the instructor's private file\n")
    canary.chmod(0o600)
    targets = {
        name: str(ag / "submitted" / "zz-honest" / SECTION / name),
        "gradebook.db": str(ag / "gradebook.db"),
        "notes.txt": str(canary),
        "feedback": str(ag / "feedback"),
    }
    ref = reference_answers(root)
    leaver = LEAVER.replace("{targets!r}", repr(targets))
    answers = {
        "a-leaver": ref | {"rubric-band": leaver + ref["rubric-band"]},
        "b-filler": ref | {"rubric-band": FILLER + ref["rubric-band"]},
        "zz-honest": ref,
    }
    place_submissions(root, {s: submission(root, a) for s, a in answers.items()})
    honest_bytes = (ag / "submitted" / "zz-honest" / SECTION / name).read_bytes()
    try:
        results = autograde(root, SECTION, workers=1, timeout=60, log=print)
        feedback(root, SECTION, log=print, force=True)
        yield root, {r.student: r for r in results}, canary, honest_bytes
    finally:
        canary.unlink()


def test_everyone_is_graded_and_the_honest_student_alone_decides_their_grade(contained):
    root, results, _canary, _bytes = contained
    honest = question_scores(root, SECTION, "zz-honest")
    assert results["zz-honest"].status == Status.GRADED
    for student in ("a-leaver", "b-filler"):
        assert results[student].status == Status.GRADED, results[student]
        assert question_scores(root, SECTION, student) == honest


def test_nothing_follows_what_a_kernel_left_behind(contained):
    root, _results, canary, honest_bytes = contained
    caps = _caps(root, "a-leaver")
    assert caps["plant-symlinks"].startswith("OPEN")  # its own throwaway folder: allowed
    assert caps["replace-connection-file"].startswith("blocked"), caps
    assert caps["write-beside-workspace"].startswith("blocked"), caps
    name = notebook_name(root)
    ag = root / "autograder"
    assert (ag / "submitted" / "zz-honest" / SECTION / name).read_bytes() == honest_bytes
    assert stat.S_IMODE(canary.stat().st_mode) == 0o600
    assert canary.read_text() == "the instructor's private file\n"
    graded = ag / "autograded" / "a-leaver" / SECTION
    assert sorted(p.name for p in graded.iterdir()) == [name]
    feedback = ag / "feedback" / "a-leaver" / SECTION
    assert sorted(p.suffix for p in feedback.iterdir()) == [".html"]
    for folder in (graded, feedback):
        assert not any(p.is_symlink() for p in folder.rglob("*"))


def _megabytes(outcome: str) -> int:
    return int(re.search(r"after (\d+) MB", outcome).group(1))


def test_the_kernel_takes_no_more_than_its_caps(contained):
    root, _results, _canary, _bytes = contained
    caps = _caps(root, "b-filler")
    assert _megabytes(caps["tmp-1500MB"]) <= sandbox.DEFAULT_TMP_MB, caps
    assert _megabytes(caps["shm-1500MB"]) <= sandbox.DEFAULT_SHM_MB, caps
    assert _megabytes(caps["work-1500MB"]) <= sandbox.DEFAULT_WORK_MB, caps
    files = int(re.search(r"after (\d+) files", caps["work-100000-files"]).group(1))
    assert files < sandbox.DEFAULT_WORK_FILES, caps
    assert "[Errno 1] Operation not permitted" in caps["user-namespace"], caps
    assert caps["memory-3GB-in-a-child"] == "blocked (MemoryError: child killed by signal 9)", caps


def test_the_grader_leaves_no_kernel_folder_or_control_group(contained):
    from mlsd.grading import cgroups

    if os.geteuid() == 0 and cgroups.available() is None:
        for folder in set(cgroups.hierarchies().values()):
            mine = [p.name for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
            assert not [n for n in mine if n.startswith(f"k-{os.getpid()}-")]
