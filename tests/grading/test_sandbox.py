"""The grading sandbox against a hostile class: every escape a submission tries fails while
grading completes, and the same escapes succeed without the sandbox (so the probes can fail).

Each probe in a hostile answer prints ``ESCAPE <name>: OPEN`` when it got through and
``ESCAPE <name>: blocked (<error>)`` when it did not; the answer then computes the right
result, so a hostile student still earns full marks when the sandbox holds."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest

from mlsd.grading import sandbox, zygote
from mlsd.grading.autograde import autograde
from mlsd.grading.gradebook import db_url
from mlsd.grading.release import release
from mlsd.grading.settings import SandboxSettings
from mlsd.grading.status import Status

from .pipeline_course import (
    ROOT,
    SECTION,
    make_root,
    notebook_name,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)

pytestmark = pytest.mark.slow

FILE_PROBES = ("read-gradebook", "write-gradebook", "read-other-submission")
FILE_PROBES += ("read-other-graded", "read-source-notebook", "read-repo-solutions")
FILE_PROBES += ("read-home", "write-course-root")
PROBES = (*FILE_PROBES, "tcp-to-host", "gradebook-url-in-env", "raise-priority")


def _probe_code(paths: dict[str, str], port: int) -> str:
    """Python source that tries each escape and reports it; it never raises."""
    return f"""
import os, socket
_paths = {paths!r}
def _probe(name, action):
    try:
        action()
        print("ESCAPE " + name + ": OPEN")
    except Exception as exc:
        print("ESCAPE " + name + ": blocked (" + type(exc).__name__ + ")")
def _read(path):
    return lambda: open(path, "rb").read(1)
def _write(path):
    return lambda: open(path, "r+b").close()  # opened for writing, nothing changed
def _create(path):
    def go():
        with open(path, "w") as handle:
            handle.write("planted")
    return go
def _env():
    # os.environ, and the strings on the stack the process started with: a forked kernel
    # clears os.environ but keeps its parent's start-up block in its own memory
    import ctypes
    stack = [l for l in open("/proc/self/maps") if l.rstrip().endswith("[stack]")][0]
    low, high = (int(x, 16) for x in stack.split()[0].split("-"))
    memory = ctypes.string_at(low, high - low)
    if "MLSD_GRADEBOOK_URL" not in os.environ and b"MLSD_GRADEBOOK_URL" not in memory:
        raise KeyError("MLSD_GRADEBOOK_URL")
_probe("read-gradebook", _read(_paths["gradebook"]))
_probe("write-gradebook", _write(_paths["gradebook"]))
_probe("read-other-submission", _read(_paths["other_submission"]))
_probe("read-other-graded", _read(_paths["other_graded"]))
_probe("read-source-notebook", _read(_paths["source"]))
_probe("read-repo-solutions", _read(_paths["repo_solutions"]))
_probe("read-home", _read(_paths["home_canary"]))
_probe("write-course-root", _create(_paths["planted"]))
_probe("tcp-to-host", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3).close())
_probe("gradebook-url-in-env", _env)
_probe("raise-priority", lambda: os.nice(-1))
print("NICENESS " + str(os.nice(0)))
"""


FORK_BOMB = """
import os, time
_children = 0
try:
    for _ in range(100_000):  # unbounded for practical purposes
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        _children += 1
    print("ESCAPE fork-bomb: OPEN")
except OSError as exc:
    print(f"ESCAPE fork-bomb: blocked ({type(exc).__name__} after {_children} children"
          f" of uid {os.getuid()})")
"""

BIG_ALLOCATION = """
try:
    _block = bytearray(50 * 2**30)  # 50 GB
    print("ESCAPE allocate-50GB: OPEN")
    del _block
except MemoryError as exc:
    print(f"ESCAPE allocate-50GB: blocked ({type(exc).__name__})")
"""


class _Listener:
    """A TCP server on the host's loopback that records whether anyone connected."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


def _escapes(root: Path, student: str) -> dict[str, str]:
    """probe name -> "OPEN" or "blocked (...)" from the student's autograded notebook."""
    graded = root / "autograder" / "autograded" / student / SECTION / notebook_name(root)
    text = "".join(
        "".join(out.get("text", ""))
        for cell in json.loads(graded.read_text())["cells"]
        for out in cell.get("outputs", [])
    )
    return dict(re.findall(r"ESCAPE (\S+): (OPEN|blocked[^\n]*)", text))


def _niceness(root: Path, student: str) -> int:
    """The CPU niceness the student's kernel printed."""
    graded = root / "autograder" / "autograded" / student / SECTION / notebook_name(root)
    return int(re.search(r"NICENESS (-?\d+)", graded.read_text()).group(1))


def _class(root: Path, port: int, canary: Path, with_resource_attacks: bool) -> None:
    name = notebook_name(root)
    ag = root / "autograder"
    paths = {
        "gradebook": str(ag / "gradebook.db"),
        "other_submission": str(ag / "submitted" / "good" / SECTION / name),
        "other_graded": str(ag / "autograded" / "good" / SECTION / name),
        "source": str(next((root / "solutions" / SECTION).glob("*.ipynb"))),
        "repo_solutions": str(next((ROOT / "solutions" / SECTION).glob("*.ipynb"))),
        "home_canary": str(canary),
        "planted": str(root / "planted.txt"),
    }
    ref = reference_answers(root)
    answers = {
        "good": ref,
        "hostile": ref | {"rubric-band": _probe_code(paths, port) + ref["rubric-band"]},
    }
    if with_resource_attacks:
        answers["forkbomb"] = ref | {"rubric-band": FORK_BOMB + ref["rubric-band"]}
        answers["memory"] = ref | {"rubric-band": BIG_ALLOCATION + ref["rubric-band"]}
    place_submissions(root, {s: submission(root, chosen) for s, chosen in answers.items()})


def _grade(tmp: Path, settings: SandboxSettings, with_resource_attacks: bool, env=None):
    root = make_root(tmp)
    release(root, SECTION, log=lambda m: None)
    canary = Path.home() / f".mlsd-canary-{uuid.uuid4().hex}"
    canary.write_text("the instructor's private file\n")
    listener = _Listener()
    try:
        _class(root, listener.port, canary, with_resource_attacks)
        with pytest.MonkeyPatch.context() as patch:
            # the default gradebook, named in the environment as a PostgreSQL URL would be
            patch.setenv("MLSD_GRADEBOOK_URL", db_url(root))
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            # "good" is graded before "hostile", so its autograded copy exists for the probes
            results = autograde(
                root,
                SECTION,
                workers=1,
                timeout=20,
                student_limit=120,
                log=print,
                settings=settings,
            )
    finally:
        listener.close()
        canary.unlink()
    return root, {r.student: r for r in results}, listener.connections


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory):
    root, results, connections = _grade(
        tmp_path_factory.mktemp("sandboxed"), SandboxSettings(), with_resource_attacks=True
    )
    return root, results, connections, time.time()


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    """The same class through the bubblewrap launcher, the route of grading without root
    (as root, kernels come from the zygote unless it is turned off)."""
    env = {zygote.DISABLE_ENV: "1"}
    root, results, connections = _grade(
        tmp_path_factory.mktemp("launched"), SandboxSettings(), False, env=env
    )
    return root, results, connections, time.time()


def test_grading_as_root_uses_the_zygote():
    assert os.geteuid() != 0 or zygote.available() is None, zygote.available()


@pytest.mark.parametrize("route", ["sandboxed", "launched"])
def test_every_escape_fails_in_the_sandbox(route, request):
    root, results, connections, _ = request.getfixturevalue(route)
    escapes = _escapes(root, "hostile")
    assert set(escapes) == set(PROBES), escapes
    opened = [name for name, outcome in escapes.items() if outcome == "OPEN"]
    assert opened == [], escapes
    assert connections == 0
    assert not (root / "planted.txt").exists()


@pytest.mark.parametrize("route", ["sandboxed", "launched"])
def test_student_code_runs_at_a_lower_priority(route, request):
    root, _, _, _ = request.getfixturevalue(route)
    assert _niceness(root, "hostile") == sandbox.NICENESS


def test_grading_completes_for_the_hostile_students(sandboxed):
    root, results, _, _ = sandboxed
    full = results["good"].score
    assert results["good"].status == Status.GRADED and full == 7.0
    for student in ("hostile", "memory"):
        assert results[student].status == Status.GRADED, (student, results[student])
        assert results[student].score == full, student
        assert question_scores(root, SECTION, student) == question_scores(root, SECTION, "good")
    # the bomb's children hold its own process quota: its later cells cannot start threads
    # (reported), which costs nobody else anything. Its test cells run in the judge, so its
    # right answers still count.
    bomb = results["forkbomb"]
    assert bomb.status == Status.ERRORED_CELL and "can't start new thread" in bomb.detail
    assert bomb.score == full


def test_fork_bomb_and_huge_allocation_are_capped(sandboxed):
    root, _, _, finished = sandboxed
    bomb = _escapes(root, "forkbomb")["fork-bomb"]
    children = int(re.search(r"after (\d+) children", bomb).group(1))
    assert bomb.startswith("blocked (BlockingIOError") and children < sandbox.DEFAULT_PROCESSES
    assert _escapes(root, "memory")["allocate-50GB"] == "blocked (MemoryError)"
    # the bomb's sleeping children died with the kernel's PID namespace. Only processes of
    # the bomb's uid started before grading ended count: once its worker released that uid,
    # a kernel graded by another test running alongside may hold it.
    uid = int(re.search(r"of uid (\d+)", bomb).group(1))
    assert sandbox.UID_BASE <= uid < sandbox.UID_BASE + sandbox.UID_COUNT
    survivors = [
        p.pid
        for p in psutil.process_iter(["uids", "create_time"])
        if p.info["uids"][0] == uid and p.info["create_time"] <= finished
    ]
    assert survivors == []


def test_the_probes_do_escape_without_the_sandbox(tmp_path):
    """Proof the probes can fail: unsandboxed, the same hostile code gets through."""
    root, results, connections = _grade(
        tmp_path, SandboxSettings(enabled=False), with_resource_attacks=False
    )
    escapes = _escapes(root, "hostile")
    assert set(escapes) == set(PROBES)
    opened = {name for name, outcome in escapes.items() if outcome == "OPEN"}
    assert opened == set(PROBES), escapes
    assert connections >= 1
    assert (root / "planted.txt").read_text() == "planted"
    assert _niceness(root, "hostile") < sandbox.NICENESS
    assert results["hostile"].score == results["good"].score


def _launch(kernels: Path, connection: Path) -> None:
    sandbox.main(["--kernels", str(kernels), "--", "true", "-f", str(connection)])


def test_launcher_starts_kernels_only_in_a_workspace_of_its_worker(tmp_path, monkeypatch):
    from mlsd.grading.workspace import KernelWorkspace

    kernels = tmp_path / "k"
    with KernelWorkspace.create(kernels, None) as workspace:
        monkeypatch.chdir(tmp_path)  # not the workspace's working folder
        with pytest.raises(SystemExit, match="refusing to start in"):
            _launch(kernels, workspace.connection_file)
        monkeypatch.chdir(workspace.work)
        with pytest.raises(SystemExit, match="is not in a workspace of"):
            _launch(tmp_path / "elsewhere", workspace.connection_file)
        elsewhere = tmp_path / "k-evil"
        elsewhere.mkdir()
        with pytest.raises(SystemExit, match="is not in a workspace of"):
            _launch(kernels, elsewhere / "kernel.json")


def test_a_worker_leaves_nothing_behind_and_sweeps_what_killed_ones_left():
    import tempfile

    stale = Path(tempfile.gettempdir()) / f"{sandbox.HOME_PREFIX}{2**22 + 7}-stale"
    stale.mkdir(exist_ok=True)
    with sandbox.SandboxSpec() as spec:
        assert not stale.exists()
        spec_file = spec.home / "kernelspecs" / "kernels" / "mlsd-sandbox" / "kernel.json"
        kernel = json.loads(spec_file.read_text())
        assert kernel["interrupt_mode"] == "message" and "-I" in kernel["argv"]
        home = spec.home
    assert not home.exists()
