"""The grading sandbox: every submission's kernel runs inside Debian's ``bwrap`` (bubblewrap).

What the student's code sees (see autograder/README.md, "The sandbox"):

- a read-only view of the system (``/usr`` and friends), the Python installation, the
  ``mlsd`` package and the course ``data/``; nothing else of the machine: no gradebook, no
  ``solutions/``, no ``course/``, no other submissions, no home folder;
- one writable working folder of its own, fresh and empty for every kernel (never the folder
  nbgrader writes the graded notebook into: :mod:`mlsd.grading.workspace`), a private ``/tmp``
  and ``/dev/shm``; all three are size-capped tmpfs, the working folder's file count too;
- no network (its own network namespace), no other processes (its own PID namespace), a
  cleared environment (no gradebook URL or password), no new namespaces of any kind and none
  of the kernel's admin interfaces (a seccomp filter: :mod:`mlsd.grading.seccomp`);
- its own unprivileged user id (when grading as root), so limits on processes apply, and
  resource limits: the whole kernel's memory (tmpfs pages included) and processes in a
  control group of its own (:mod:`mlsd.grading.cgroups`), per-process address space, CPU
  seconds, file size, open files; a lower CPU priority (niceness) than the grader.

The kernel talks to nbgrader over IPC sockets in a folder of its own inside its workspace:
TCP on 127.0.0.1 cannot cross into a private network namespace. The connection file beside
it is readable by the kernel and not writable.

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

from mlsd.grading import cgroups, seccomp
from mlsd.grading.settings import SandboxSettings
from mlsd.grading.workspace import PREFIX
from mlsd.validation import require_int

KERNEL_NAME = "mlsd-sandbox"
UID_BASE, UID_COUNT = 61000, 1000  # unused ids on Debian; one per concurrently running kernel
LOCK_DIR = Path(tempfile.gettempdir()) / "mlsd-sandbox-uids"

# The limits a kernel gets by default, declared once for the CLI, the worker and this launcher
# (`mlsd grade autograde --sandbox-*` options override them).
LIMITS = SandboxSettings.kernel_limits()  # name -> (default, (low, high))
DEFAULT_MEMORY_MB = LIMITS["memory_mb"][0]
DEFAULT_PROCESSES = LIMITS["processes"][0]
DEFAULT_TMP_MB = LIMITS["tmp_mb"][0]
DEFAULT_SHM_MB = LIMITS["shm_mb"][0]
DEFAULT_WORK_MB = LIMITS["work_mb"][0]
DEFAULT_WORK_FILES = LIMITS["work_files"][0]
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
    """Remove the folders and control groups of workers that were killed (they cannot
    clean up after themselves)."""
    for home in Path(tempfile.gettempdir()).glob(f"{HOME_PREFIX}*-*"):
        pid = home.name.removeprefix(HOME_PREFIX).split("-")[0]
        if pid.isdigit() and not psutil.pid_exists(int(pid)) and home.stat().st_uid == os.geteuid():
            shutil.rmtree(home, ignore_errors=True)
    if os.geteuid() == 0 and cgroups.available() is None:
        cgroups.sweep(psutil.pid_exists)


@dataclass
class SandboxSpec:
    """A grading worker's sandbox: its kernelspec, its folder for kernel workspaces and
    its user id.

    Use as a context manager; ``env()`` is what the worker adds to its environment so that
    nbclient finds the kernelspec, and ``config()`` what it adds to nbgrader's so that each
    kernel gets a fresh workspace (:mod:`mlsd.grading.workspace`) the sandbox can reach."""

    limits: dict[str, int] = field(default_factory=dict)  # overrides of LIMITS' defaults
    zygote: bool = True  # as root, fork pre-imported kernels (mlsd.grading.zygote)
    home: Path = field(init=False)
    uid: int | None = field(init=False, default=None)
    _lock: object = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.limits) - set(LIMITS))
        if unknown:
            raise ValueError(f"limits {unknown} are not sandbox limits; known: {sorted(LIMITS)}")
        self.limits = {name: self.limits.get(name, d) for name, (d, _range) in LIMITS.items()}
        for name, (_default, (low, high)) in LIMITS.items():
            require_int(name, self.limits[name], low, high)

    def __enter__(self) -> SandboxSpec:
        bwrap_path()
        _sweep_stale_homes()
        # short path: IPC socket paths must stay under the 107-byte limit of AF_UNIX
        self.home = Path(tempfile.mkdtemp(prefix=f"{HOME_PREFIX}{os.getpid()}-"))
        self.home.chmod(0o755)
        if os.geteuid() == 0:
            self.uid = self._claim_uid()
        self.kernels.mkdir(mode=0o755)
        self._zygote = None
        from mlsd.grading import zygote as zygote_mod  # the launcher never needs it

        if self.zygote and self.uid is not None and zygote_mod.available() is None:
            self._zygote = zygote_mod.Zygote(self.kernels, self.uid, self.limits)
            zygote_mod.set_current(self._zygote)
        spec_dir = self.home / "kernelspecs" / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps(self.kernelspec(), indent=1))
        return self

    def __exit__(self, *exc) -> None:
        if getattr(self, "_zygote", None) is not None:
            from mlsd.grading import zygote as zygote_mod

            zygote_mod.set_current(None)
            self._zygote.close()
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

    @property
    def kernels(self) -> Path:
        """Where every kernel of this worker gets its fresh workspace folder."""
        return self.home / "k"

    def limit_args(self) -> list[str]:
        return [f"--{name.replace('_', '-')}={value}" for name, value in self.limits.items()]

    def kernelspec(self) -> dict:
        # -I: the launcher runs as the grader in the kernel's folder; isolated mode keeps
        # that folder off sys.path, so a file there cannot shadow a module it imports
        launcher = [sys.executable, "-I", "-m", "mlsd.grading.sandbox"]
        launcher += ["--kernels", str(self.kernels), *self.limit_args()]
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
            "metadata": {"debugger": False, **self._provisioner()},
        }

    def _provisioner(self) -> dict:
        """Kernels forked by this worker's zygote, when it has one; else the launcher."""
        if getattr(self, "_zygote", None) is None:
            return {}
        return {"kernel_provisioner": {"provisioner_name": "mlsd-zygote"}}

    def env(self) -> dict[str, str]:
        """Environment for the worker: nbclient finds the kernelspec through JUPYTER_PATH."""
        return {"JUPYTER_PATH": str(self.home / "kernelspecs")}

    def config(self):
        """traitlets config for nbgrader's Execute step: this kernel, over IPC sockets, in a
        fresh workspace per kernel."""
        from traitlets.config import Config

        config = Config()
        config.Execute.kernel_name = KERNEL_NAME
        config.JudgedExecute.kernel_name = KERNEL_NAME
        config.JudgedExecute.workspace_root = str(self.kernels)
        config.JudgedExecute.sandbox_uid = self.uid
        config.KernelManager.transport = "ipc"
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


@dataclass(frozen=True)
class KernelPaths:
    """The folders of one kernel's workspace, as the launcher checked them."""

    folder: Path  # <kernels>/k-.../, read-only inside
    connection: Path  # <folder>/kernel.json
    ipc: Path  # <folder>/ipc, the kernel's sockets
    work: Path  # <folder>/work, the working folder


def _kernel_paths(kernels: Path, connection: Path, cwd: Path) -> KernelPaths:
    """The workspace of the kernel about to start, or SystemExit when anything is off."""
    folder = connection.parent
    if folder.parent != kernels or not folder.name.startswith(PREFIX):
        raise SystemExit(
            f"sandbox: connection file {connection} is not in a workspace of {kernels}"
        )
    paths = KernelPaths(folder, connection, folder / "ipc", folder / "work")
    if cwd != paths.work:
        raise SystemExit(f"sandbox: refusing to start in {cwd}: the working folder is {paths.work}")
    for path in (folder, paths.ipc, paths.work):
        if path.is_symlink() or not path.is_dir():
            raise SystemExit(f"sandbox: {path} is not a folder")
    return paths


def bwrap_args(
    paths: KernelPaths,
    uid: int | None,
    passwd: Path | None,
    command: list[str],
    limits: dict[str, int] | None = None,
    seccomp_fd: int | None = None,
) -> list[str]:
    """The ``bwrap`` command line: what the kernel sees and nothing more.

    As root, ``bwrap`` mounts with privileges and keeps only the capabilities ``setpriv``
    needs to become ``uid`` for good (real, effective and saved ids, no groups, an empty
    capability bounding set); bwrap sets no_new_privs, so set-uid programs cannot climb
    back. Without root, ``bwrap`` runs in a user namespace as the grader's own user. As root
    the working folder is already a size- and file-capped tmpfs (:func:`_mount_work`); without
    root it becomes a size-capped one here."""
    limits = {**_default_limits(), **(limits or {})}
    args = [bwrap_path()]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        args += ["--unshare-user", "--disable-userns"]
    else:
        args += ["--cap-drop", "ALL"]
        args += [x for cap in ("SETUID", "SETGID", "SETPCAP") for x in ("--cap-add", "CAP_" + cap)]
    args += _system_args()
    python = _python_paths()
    args += ["--perms", "1777", "--size", str(limits["tmp_mb"] << 20), "--tmpfs", "/tmp"]
    args += _dirs_for([*python, paths.folder])
    for path in python:
        args += ["--ro-bind", str(path), str(path)]
    if passwd is not None:
        args += ["--ro-bind", str(passwd), "/etc/passwd"]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", str(limits["shm_mb"] << 20), "--tmpfs", "/dev/shm"]
    args += ["--ro-bind", str(paths.folder), str(paths.folder)]
    args += ["--bind", str(paths.ipc), str(paths.ipc)]
    if uid is None:
        args += ["--perms", "0700", "--size", str(limits["work_mb"] << 20)]
        args += ["--tmpfs", str(paths.work)]
    else:
        args += ["--bind", str(paths.work), str(paths.work)]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    args += ["--chdir", str(paths.work), "--clearenv"]
    for key, value in kernel_env().items():
        args += ["--setenv", key, value]
    args += ["--"]
    if uid is not None:
        args += [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}"]
        args += [f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
        args += ["--"]
    return [*args, *command]


def kernel_env() -> dict[str, str]:
    """The whole environment of a sandboxed kernel: nothing of the grader's (no gradebook
    URL or password)."""
    return {
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
        # No browser draws a grading kernel's charts: each figure's model names a script it
        # would load instead of carrying plotly's 5 MB bundle in its first message (which the
        # grader had to receive and decode, several times per submission).
        "MLSD_FIGURE_BUNDLE_URL": "/no-browser-draws-grading-kernels.js",
    }


def _default_limits() -> dict[str, int]:
    return {name: default for name, (default, _range) in LIMITS.items()}


def _set_limits(address_space_mb: int, cpu_seconds: int, processes: int, file_mb: int) -> None:
    limits = {
        resource.RLIMIT_AS: address_space_mb << 20,
        resource.RLIMIT_CPU: cpu_seconds,
        resource.RLIMIT_NPROC: processes,
        resource.RLIMIT_FSIZE: file_mb << 20,
        resource.RLIMIT_NOFILE: OPEN_FILES,
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))


CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x4000, 0x40000


def _libc_call(name: str, *args) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(*args) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{name}: {os.strerror(error)}")


def _mount_work(work: Path, uid: int, size_mb: int, files: int) -> None:
    """As root: a private mount namespace for the launcher (bwrap inherits it), in which the
    working folder is a tmpfs capped in bytes and in files, owned by the sandbox user. It
    vanishes with the sandbox; the host sees an empty folder."""
    _libc_call("unshare", CLONE_NEWNS)
    _libc_call("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)
    # 0711: bwrap enters it before it becomes the sandbox user, as a root with no capabilities
    options = f"size={size_mb}m,nr_inodes={files},mode=0711,uid={uid},gid={uid}".encode()
    _libc_call("mount", b"tmpfs", str(work).encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options)


def _connection_file(command: list[str]) -> Path:
    if "-f" not in command or command.index("-f") + 1 >= len(command):
        raise ValueError(f"kernel command {command} has no '-f CONNECTION_FILE'")
    return Path(command[command.index("-f") + 1]).resolve()


def _contain(paths: KernelPaths, uid: int, limits: dict[str, int]) -> str | None:
    """As root: the kernel's control groups and its capped working folder. Returns why the
    whole-kernel memory cap could not be set, if it could not."""
    os.chown(paths.connection, 0, uid)  # readable through the group, never writable
    os.chmod(paths.connection, 0o640)
    problem = cgroups.available()
    if problem is None:
        cgroups.create(paths.folder.name, limits["memory_mb"] << 20, limits["processes"])
        cgroups.join(paths.folder.name)
    _mount_work(paths.work, uid, limits["work_mb"], limits["work_files"])
    return problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlsd.grading.sandbox")
    parser.add_argument("--kernels", type=Path, required=True)
    for name in LIMITS:
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=_default_limits()[name]
        )
    parser.add_argument("--uid", type=int, default=None)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    limits = {
        name: require_int(name, getattr(args, name), *rng) for name, (_d, rng) in LIMITS.items()
    }
    paths = _kernel_paths(args.kernels.resolve(), _connection_file(command), Path.cwd().resolve())
    uid, passwd = None, None
    if args.uid is not None and os.geteuid() == 0:
        uid = require_int("uid", args.uid, UID_BASE, UID_BASE + UID_COUNT - 1)
        problem = _contain(paths, uid, limits)
        if problem:
            print(f"sandbox: whole-kernel memory cap off: {problem}", file=sys.stderr)
        passwd = _passwd_file(paths.folder, uid)
    processes = limits["processes"]
    if uid is None:
        # the limit counts every process of the user: leave room for the grader's own
        mine = os.getuid()
        processes += sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"][0] == mine)
    full = bwrap_args(paths, uid, passwd, command, limits, seccomp.filter_fd())
    # inherited by bwrap and the kernel; RLIMIT_NPROC binds once setpriv leaves root
    _set_limits(limits["address_space_mb"], limits["cpu_seconds"], processes, limits["file_mb"])
    os.nice(max(0, NICENESS - os.nice(0)))  # at least NICENESS; only root could go lower
    os.execv(full[0], full)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main())
