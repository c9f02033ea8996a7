"""Stopping a grading process together with everything it started."""

from __future__ import annotations

import contextlib
import subprocess


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and all its descendants (kernels, sandboxes), then reap it."""
    import psutil

    try:
        parent = psutil.Process(proc.pid)
        family = [*parent.children(recursive=True), parent]
    except psutil.NoSuchProcess:
        family = []
    for p in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(family, timeout=5)
    proc.wait()
