"""The grading sandbox: every submission's kernel runs inside Debian's ``bwrap`` (bubblewrap).

What the student's code sees (see autograder/README.md, "The sandbox"):

- a read-only view of the system (``/usr`` and friends), the Python installation, the
  ``mlsd`` package and the course ``data/``; nothing else of the machine: no gradebook, no
  ``solutions/``, no ``course/``, no other submissions, no home folder;
- one writable folder: the copy nbgrader grades (``autograded/<student>/<section>/``), plus a
  private, empty ``/tmp``;
- no network (its own network namespace), no other processes (its own PID namespace), a
  cleared environment (no gradebook URL or password);
- its own unprivileged user id (when grading as root), so limits on processes apply, and
  resource limits: address space, CPU seconds, processes, file size, open files; a lower CPU
  priority (niceness) than the grader.

The kernel talks to nbgrader over IPC sockets in a per-worker runtime folder: TCP on
127.0.0.1 cannot cross into a private network namespace.

Two halves live here: :class:`SandboxSpec` (in the grading worker: writes the kernelspec and
picks a free user id) and :func:`main` (the kernelspec's launcher: runs outside the sandbox,
sets the limits, drops privileges and ``exec``s ``bwrap``).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import resource
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psutil

# The limits a kernel gets by default, declared once for the CLI, the worker and this launcher
# (`mlsd grade autograde --sandbox-*` options override them).
from mlsd.grading.settings import (
    DEFAULT_CPU_SECONDS,
    DEFAULT_FILE_MB,
    DEFAULT_MEMORY_MB,
    DEFAULT_PROCESSES,
)

KERNEL_NAME = "mlsd-sandbox"
UID_BASE, UID_COUNT = 61000, 1000  # unused ids on Debian; one per concurrently running kernel
LOCK_DIR = Path(tempfile.gettempdir()) / "mlsd-sandbox-uids"

OPEN_FILES = 1024
# Student code runs at a lower CPU priority than the instructor's own work, so a runaway
# submission (a fork bomb, a busy loop) never makes the grading machine unresponsive.
NICENESS = 10


def bwrap_path() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise RuntimeError(
            "the grading sandbox needs bubblewrap: `apt-get install bubblewrap` "
            "(or grade trusted submissions only, with `--no-sandbox`)"
        )
    return path


HOME_PREFIX = "mlsd-sbx-"


def _sweep_stale_homes() -> None:
    """Remove the runtime folders of workers that were killed (they cannot clean up)."""
    for home in Path(tempfile.gettempdir()).glob(f"{HOME_PREFIX}*-*"):
        pid = home.name.removeprefix(HOME_PREFIX).split("-")[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)) and home.stat().st_uid == os.geteuid():
            shutil.rmtree(home, ignore_errors=True)


def _check_limit(name: str, value: int, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}={value!r} must be an integer between {low} and {high}")
    return value


@dataclass
class SandboxSpec:
    """A grading worker's sandbox: its kernelspec, runtime folder and user id.

    Use as a context manager; ``env()`` is what the worker adds to its environment so that
    nbclient finds the kernelspec and puts connection files and IPC sockets where the
    sandbox can reach them."""

    scratch_root: Path  # only folders below this one may become a kernel's writable folder
    memory_mb: int = DEFAULT_MEMORY_MB
    cpu_seconds: int = DEFAULT_CPU_SECONDS
    processes: int = DEFAULT_PROCESSES
    file_mb: int = DEFAULT_FILE_MB
    home: Path = field(init=False)
    uid: int | None = field(init=False, default=None)
    _lock: object = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        _check_limit("memory_mb", self.memory_mb, 256, 1 << 20)
        _check_limit("cpu_seconds", self.cpu_seconds, 1, 86400)
        _check_limit("processes", self.processes, 32, 65536)
        _check_limit("file_mb", self.file_mb, 1, 1 << 20)
        self.scratch_root = Path(self.scratch_root).resolve()

    def __enter__(self) -> SandboxSpec:
        bwrap_path()
        _sweep_stale_homes()
        # short path: IPC socket paths must stay under the 107-byte limit of AF_UNIX
        self.home = Path(tempfile.mkdtemp(prefix=f"{HOME_PREFIX}{os.getpid()}-"))
        if os.geteuid() == 0:
            self.uid = self._claim_uid()
        self.runtime.mkdir(mode=0o700)
        if self.uid is not None:
            os.chown(self.runtime, self.uid, self.uid)
        spec_dir = self.home / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps(self.kernelspec(), indent=1))
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.home, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()

    def _claim_uid(self) -> int:
        """The first id in the range no other worker on this machine holds (a file lock
        held for the worker's lifetime), so no two kernels share a process limit."""
        LOCK_DIR.mkdir(mode=0o755, exist_ok=True)
        for uid in range(UID_BASE, UID_BASE + UID_COUNT):
            handle = open(LOCK_DIR / f"{uid}.lock", "w")  # noqa: SIM115 - held until __exit__
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self._lock = handle
            return uid
        raise RuntimeError(f"all {UID_COUNT} sandbox user ids from {UID_BASE} are in use")

    def kernelspec(self) -> dict:
        # -I: the launcher runs as the grader in the submission's folder; isolated mode keeps
        # that folder off sys.path, so a submitted file cannot shadow a module it imports
        launcher = [sys.executable, "-I", "-m", "mlsd.grading.sandbox"]
        launcher += ["--scratch-root", str(self.scratch_root), "--runtime", str(self.runtime)]
        launcher += ["--memory-mb", str(self.memory_mb), "--cpu-seconds", str(self.cpu_seconds)]
        launcher += ["--processes", str(self.processes), "--file-mb", str(self.file_mb)]
        if self.uid is not None:
            launcher += ["--uid", str(self.uid)]
        # inside the sandbox too: a submitted mlsd/ folder must not replace the checks
        kernel = [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        kernel += ["--IPKernelApp.ignore_cwd=True"]
        return {
            "argv": [*launcher, "--", *kernel],
            "display_name": "Python 3 (mlsd grading sandbox)",
            "language": "python",
            # a signal to the launcher's process group would also hit bwrap itself; an
            # interrupt message reaches ipykernel, which interrupts its own code
            "interrupt_mode": "message",
            "metadata": {"debugger": False},
        }

    @property
    def runtime(self) -> Path:
        """The kernel's connection file and IPC sockets: the only folder both sides see."""
        return self.home / "runtime"

    @property
    def connection_file(self) -> Path:
        # one kernel at a time per worker, so one fixed name; nbclient's own default is a
        # random file in /tmp with sockets relative to the grader's folder
        return self.runtime / "kernel.json"

    def env(self) -> dict[str, str]:
        """Environment for the worker: nbclient finds the kernelspec through JUPYTER_PATH."""
        return {"JUPYTER_PATH": str(self.home), "JUPYTER_RUNTIME_DIR": str(self.runtime)}

    def config(self):
        """traitlets config for nbgrader's Execute step: this kernel, over IPC sockets."""
        from traitlets.config import Config

        config = Config()
        config.Execute.kernel_name = KERNEL_NAME
        config.KernelManager.transport = "ipc"
        config.KernelManager.connection_file = str(self.connection_file)
        return config


# ----------------------------------------------------------------------------- launcher


def _python_paths() -> list[Path]:
    """Read-only folders the kernel's Python needs: the installation, the venv and the
    ``mlsd`` package (an editable install lives outside site-packages)."""
    import mlsd

    package_parent = Path(mlsd.__file__).resolve().parent.parent
    paths = [Path(sys.base_prefix), Path(sys.prefix), package_parent]
    data = package_parent.parent / "data"  # the course data sets (src/../data)
    if data.is_dir():
        paths.append(data)
    return [p.resolve() for p in paths]


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
    "/etc/alternatives",
    "/etc/ssl/certs",
)


def _system_args() -> list[str]:
    args = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):  # merged /usr: /bin -> usr/bin
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ETC_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def _passwd_file(home: Path, uid: int) -> Path:
    """A one-line /etc/passwd so that getpass and friends find the sandbox user."""
    path = home / f"passwd-{uid}"
    path.write_text(f"root:x:0:0::/root:/bin/false\nstudent:x:{uid}:{uid}::/tmp:/bin/false\n")
    return path


def _dirs_for(paths: list[Path]) -> list[str]:
    """``--dir`` for every parent of the bound folders, world-traversable: bwrap would copy
    the host's modes, and ``/root`` is 0700 there."""
    args, made = [], set()
    for path in paths:
        for parent in reversed(path.parents):
            if str(parent) == "/" or parent in made:
                continue
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_args(
    scratch: Path, runtime: Path, uid: int | None, passwd: Path | None, command: list[str]
) -> list[str]:
    """The ``bwrap`` command line: what the kernel sees and nothing more.

    As root, ``bwrap`` mounts with privileges and keeps only the capabilities ``setpriv``
    needs to become ``uid`` for good (real, effective and saved ids, no groups, an empty
    capability bounding set); bwrap sets no_new_privs, so set-uid programs cannot climb
    back. Without root, ``bwrap`` runs in a user namespace as the grader's own user."""
    args = [bwrap_path()]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        args += ["--unshare-user"]
    else:
        args += ["--cap-drop", "ALL"]
        args += [x for cap in ("SETUID", "SETGID", "SETPCAP") for x in ("--cap-add", "CAP_" + cap)]
    args += _system_args()
    python = _python_paths()
    args += ["--perms", "1777", "--tmpfs", "/tmp"]  # private and empty, writable by the kernel
    args += _dirs_for([*python, runtime, scratch])
    for path in python:
        args += ["--ro-bind", str(path), str(path)]
    if passwd is not None:
        args += ["--ro-bind", str(passwd), "/etc/passwd"]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm"]
    args += ["--bind", str(runtime), str(runtime), "--bind", str(scratch), str(scratch)]
    args += ["--chdir", str(scratch), "--clearenv"]
    env = {
        "HOME": "/tmp",
        "USER": "student",
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        # one thread per numeric library: fewer processes against the limit, fair to others
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MLSD_SANDBOXED": "1",
        "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
    }
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--"]
    if uid is not None:
        args += [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}"]
        args += [f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
        args += ["--"]
    return [*args, *command]


def _set_limits(memory_mb: int, cpu_seconds: int, processes: int, file_mb: int) -> None:
    limits = {
        resource.RLIMIT_AS: memory_mb << 20,
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_NPROC: processes,
        resource.RLIMIT_FSIZE: file_mb << 20,
        resource.RLIMIT_NOFILE: OPEN_FILES,
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))


def _chown_tree(folder: Path, uid: int) -> None:
    os.chown(folder, uid, uid)
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, uid, follow_symlinks=False)


def _connection_file(command: list[str]) -> Path:
    if "-f" not in command or command.index("-f") + 1 >= len(command):
        raise ValueError(f"kernel command {command} has no '-f CONNECTION_FILE'")
    return Path(command[command.index("-f") + 1]).resolve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlsd.grading.sandbox")
    parser.add_argument("--scratch-root", type=Path, required=True)
    parser.add_argument("--runtime", type=Path, required=True)
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB)
    parser.add_argument("--cpu-seconds", type=int, default=DEFAULT_CPU_SECONDS)
    parser.add_argument("--processes", type=int, default=DEFAULT_PROCESSES)
    parser.add_argument("--file-mb", type=int, default=DEFAULT_FILE_MB)
    parser.add_argument("--uid", type=int, default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    scratch = Path.cwd().resolve()  # nbclient starts the kernel in the notebook's folder
    root = args.scratch_root.resolve()
    if scratch == root or root not in scratch.parents:
        raise SystemExit(f"sandbox: refusing to make {scratch} writable: not under {root}")
    connection = _connection_file(command)
    runtime = args.runtime.resolve()
    if connection.parent != runtime:
        raise SystemExit(f"sandbox: connection file {connection} is not in {runtime}")
    uid, passwd = None, None
    if args.uid is not None and os.geteuid() == 0:
        uid = _check_limit("uid", args.uid, UID_BASE, UID_BASE + UID_COUNT - 1)
        _chown_tree(scratch, uid)
        os.chown(connection, uid, uid)
        passwd = _passwd_file(runtime.parent, uid)
    processes = args.processes
    if uid is None:
        # the limit counts every process of the user: leave room for the grader's own
        mine = os.getuid()
        processes += sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"][0] == mine)
    full = bwrap_args(scratch, runtime, uid, passwd, command)
    # inherited by bwrap and the kernel; RLIMIT_NPROC binds once setpriv leaves root
    _set_limits(args.memory_mb, args.cpu_seconds, processes, args.file_mb)
    os.nice(max(0, NICENESS - os.nice(0)))  # at least NICENESS; only root could go lower
    os.execv(full[0], full)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main())
