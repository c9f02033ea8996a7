"""A kernel's own folders, fresh for every kernel and removed after it.

::

    <root>/k-<worker pid>-XXXX/  grader-owned, mode 0750, group = the sandbox user's
        kernel.json           the connection file (the launcher makes it readable to the kernel)
        ipc/                  the kernel's IPC sockets: the only part of k-XXXX it may write
        judge-N.sock          the judge's socket for one test cell
        work/                 the kernel's working folder (in the sandbox a size-capped tmpfs)

Nothing the kernel leaves in these folders is ever read or copied: they are removed with
``shutil.rmtree`` (which does not follow symbolic links) when the notebook is done.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "k-"


@dataclass
class KernelWorkspace:
    folder: Path
    uid: int | None = None  # the sandbox user (grading as root), else None
    _count: itertools.count = field(default_factory=itertools.count, repr=False)

    @classmethod
    def create(cls, root: str | os.PathLike | None, uid: int | None) -> KernelWorkspace:
        base = Path(root) if root else Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        # the worker's pid in the name: a killed worker's control groups can be found
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
        workspace = cls(folder, uid if os.geteuid() == 0 else None)
        workspace._lay_out()
        return workspace

    def _lay_out(self) -> None:
        self.ipc.mkdir(mode=0o700)
        self.work.mkdir(mode=0o700)
        if self.uid is not None:
            os.chown(self.folder, 0, self.uid)
            os.chmod(self.folder, 0o750)
            os.chown(self.ipc, self.uid, self.uid)
            os.chown(self.work, self.uid, self.uid)

    @property
    def connection_file(self) -> Path:
        return self.folder / "kernel.json"

    @property
    def ipc(self) -> Path:
        return self.folder / "ipc"

    @property
    def ipc_prefix(self) -> Path:
        return self.ipc / "kernel"

    @property
    def work(self) -> Path:
        return self.folder / "work"

    def listen(self):
        """A fresh listening socket for one test cell's calls."""
        from mlsd.grading.judge import Listener

        return Listener(self.folder / f"judge-{next(self._count)}.sock", group=self.uid)

    def __enter__(self) -> KernelWorkspace:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def remove(self) -> None:
        """Stop whatever the kernel left running, then delete the folders."""
        if self.uid is not None:
            from mlsd.grading import cgroups

            if cgroups.available() is None:
                cgroups.remove(self.folder.name)
        shutil.rmtree(self.folder, ignore_errors=True)
