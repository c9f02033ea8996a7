"""Memory and process caps for a whole sandboxed kernel, with Linux control groups.

Per-process limits (``RLIMIT_AS``, ``RLIMIT_NPROC``) miss what matters to the grading host:
256 processes may each map 4 GB, and files written to a RAM-backed tmpfs belong to no
process at all (an audit grew host shared memory by 1.5 GiB from one kernel). A memory
control group charges the kernel's whole tree: its processes' memory, the pages of every
tmpfs it writes, and the kernel memory of the files and folders it creates. A pids control
group caps its processes and threads together.

One group per kernel, named after its workspace folder, under ``mlsd/`` below the grader's
own group, in each hierarchy: cgroup v1 (``memory`` and ``pids`` controllers, as on these
machines) or v2 where the grader's group delegates ``memory`` and ``pids``. Creating groups
needs root (or a delegated hierarchy); where that is not possible :func:`available` says why
and the sandbox falls back to per-process limits (``autograder/README.md`` says what remains).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "mlsd"


def _own_paths() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's group path, from /proc/self/cgroup."""
    out = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _id, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            out[name] = path
    return out


def hierarchies() -> dict[str, Path]:
    """Controller name -> the folder where this process's kernels get their groups."""
    own = _own_paths()
    v1 = {
        name: ROOT / name / own[name].lstrip("/") / PARENT
        for name in ("memory", "pids")
        if name in own and (ROOT / name / "cgroup.procs").exists()
    }
    if len(v1) == 2:
        return v1
    if "" in own and (ROOT / "cgroup.controllers").exists():  # pure v2
        base = ROOT / own[""].lstrip("/")
        delegated = (base / "cgroup.subtree_control").read_text().split()
        if {"memory", "pids"} <= set(delegated):
            return {"memory": base / PARENT, "pids": base / PARENT}
    return {}


def available() -> str | None:
    """None when per-kernel groups can be made here, else the reason they cannot."""
    found = hierarchies()
    if not found:
        return "no writable memory and pids control groups (cgroup v1, or v2 with delegation)"
    for folder in set(found.values()):
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            return f"cannot create control groups under {folder.parent}: {exc.strerror}"
    return None


def _write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def create(name: str, memory_bytes: int, processes: int) -> list[Path]:
    """Make the groups of one kernel with its caps; returns their folders."""
    folders = []
    for controller, parent in hierarchies().items():
        folder = parent / name
        folder.mkdir(parents=True, exist_ok=True)
        folders.append(folder)
        if controller == "memory":
            if (folder / "memory.max").exists():  # v2
                _write(folder / "memory.max", str(memory_bytes))
                with contextlib.suppress(OSError):
                    _write(folder / "memory.swap.max", "0")
            else:
                _write(folder / "memory.limit_in_bytes", str(memory_bytes))
                with contextlib.suppress(OSError):  # only with swap accounting
                    _write(folder / "memory.memsw.limit_in_bytes", str(memory_bytes))
        if controller == "pids":
            _write(folder / "pids.max", str(processes))
    return folders


def join(name: str, pid: int | None = None) -> None:
    """Move ``pid`` (default: this process) into the kernel's groups; children follow."""
    for parent in set(hierarchies().values()):
        _write(parent / name / "cgroup.procs", str(pid or os.getpid()))


def members(name: str) -> set[int]:
    pids: set[int] = set()
    for parent in set(hierarchies().values()):
        with contextlib.suppress(OSError):
            text = (parent / name / "cgroup.procs").read_text()
            pids |= {int(x) for x in text.split()}
    return pids


def remove(name: str, wait: float = 5.0) -> None:
    """Kill whatever still runs in the kernel's groups, then delete them."""
    deadline = time.monotonic() + wait
    while (pids := members(name)) and time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)
    for parent in set(hierarchies().values()):
        with contextlib.suppress(FileNotFoundError, OSError):
            (parent / name).rmdir()


def memory_peak(name: str) -> int | None:
    """Most memory the kernel's group used (bytes), if this kernel reports it."""
    parent = hierarchies().get("memory")
    for file in ("memory.max_usage_in_bytes", "memory.peak"):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            return int((parent / name / file).read_text())
    return None


def sweep(alive) -> None:
    """Remove groups of kernels whose worker process is gone (``alive(pid)`` is False)."""
    for parent in set(hierarchies().values()):
        if not parent.is_dir():
            continue
        for folder in parent.iterdir():
            owner = folder.name.split("-")[1] if folder.name.count("-") >= 2 else ""
            if owner.isdigit() and not alive(int(owner)):
                remove(folder.name, wait=1.0)
