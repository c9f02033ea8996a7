"""Pre-imported sandboxed kernels: one "zygote" per grading worker (grading as root).

Most of a submission's grading time is a kernel starting and importing what every notebook
imports (IPython, numpy, pandas, plotly, ipywidgets, scikit-learn, the course package): about
a second of CPU per submission, every time (``bench/bench_grading.py``). The zygote imports
all of it once, runs no notebook code ever, and forks a fresh kernel per submission; the
imported modules are shared copy-on-write.

Each fork builds its own sandbox before it becomes a kernel, as the bubblewrap launcher of
:mod:`mlsd.grading.sandbox` does for a kernel started from scratch, with the same limits:

- new PID, mount, network, IPC, UTS and cgroup namespaces (it sees no other process, no
  network, no other kernel's shared memory), and the kernel's own memory and pids control
  groups (:mod:`mlsd.grading.cgroups`);
- a new root file system: a tmpfs holding read-only bind mounts of the system, the Python
  installation, the course package and its data, a fresh ``/proc``, a minimal ``/dev``,
  size-capped tmpfs ``/tmp``, ``/dev/shm`` and working folder (bytes and files), the kernel's
  connection file (read-only) and socket folder; ``pivot_root`` into it, the old root gone;
- then, for good: the sandbox user id (no groups), every capability dropped (bounding and
  ambient sets too), ``no_new_privs``, the seccomp filter of :mod:`mlsd.grading.seccomp`,
  resource limits and niceness, a cleared environment, no inherited file descriptors;
- only then does it start ipykernel, in the same process, with the connection file the
  grading worker wrote.

The zygote itself runs as root outside any sandbox and never runs student code: it reads
requests from its worker only. Forks cannot reach it (other namespaces, closed descriptors)
and cannot change it (separate memory). Without root the worker uses the bubblewrap
launcher instead (``SandboxSpec(zygote=False)``, or ``MLSD_NO_ZYGOTE=1``).

The worker's side is :class:`Zygote` and :class:`ZygoteProvisioner`, the jupyter_client
kernel provisioner (entry point ``mlsd-zygote``) that asks the zygote for a kernel instead of
starting a process.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

PROVISIONER = "mlsd-zygote"
DISABLE_ENV = "MLSD_NO_ZYGOTE"
# What notebooks import; a module that fails to import here is simply imported later.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.core.interactiveshell",
    "numpy",
    "pandas",
    "scipy.stats",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.neural_network",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "sklearn.metrics",
    "sklearn.model_selection",
    "plotly.graph_objects",
    "plotly.express",
    "ipywidgets",
    "anywidget",
    "mlsd.checks",
    "mlsd.grading.agent",
)

# Linux constants (sched.h, mount.h, prctl.h, capability.h, seccomp.h)
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
PR_SET_PDEATHSIG, PR_SET_KEEPCAPS, PR_CAPBSET_DROP = 1, 8, 24
PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


# ----------------------------------------------------------------------------- worker side


class Zygote:
    """The worker's handle on its zygote process: ``spawn()`` a kernel, ``close()``."""

    def __init__(self, kernels: Path, uid: int, limits: dict[str, int]) -> None:
        from mlsd.grading import sandbox

        ours, theirs = socket.socketpair()
        command = [sys.executable, "-I", "-m", "mlsd.grading.zygote"]
        command += ["--fd", str(theirs.fileno()), "--kernels", str(kernels), "--uid", str(uid)]
        command += ["--limits", json.dumps(limits)]
        # The kernel's environment from the start: a fork clears os.environ, but its
        # /proc/self/environ still shows the block its process was started with.
        self.proc = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=sandbox.kernel_env()
        )
        theirs.close()
        self.sock = ours
        self.reader = ours.makefile("r")
        self.lock = threading.Lock()
        ready = self._receive(timeout=300)  # imports take a few seconds
        if ready.get("ready") is not True:
            raise RuntimeError(f"the grading zygote did not start: {ready}")

    def _receive(self, timeout: float) -> dict:
        self.sock.settimeout(timeout)
        line = self.reader.readline()
        if not line:
            raise RuntimeError(f"the grading zygote exited (code {self.proc.poll()})")
        return json.loads(line)

    def spawn(self, connection_file: str, cwd: str) -> int:
        """Fork a sandboxed kernel for this connection file; its process id."""
        with self.lock:
            request = {"connection_file": str(connection_file), "cwd": str(cwd)}
            self.sock.sendall((json.dumps(request) + "\n").encode())
            reply = self._receive(timeout=60)
        if "pid" not in reply:
            raise RuntimeError(f"the grading zygote could not start a kernel: {reply}")
        return int(reply["pid"])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_current: Zygote | None = None  # the zygote of this worker process, set by SandboxSpec


def set_current(zygote: Zygote | None) -> None:
    global _current
    _current = zygote


class ZygoteChild:
    """What jupyter_client expects of a kernel process (``Popen``'s methods), for a kernel
    that is the zygote's child, not ours: it is watched, not waited for."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        import psutil

        self.pid = pid
        self.returncode: int | None = None
        try:
            self._process = psutil.Process(pid)  # pins the process's start time: no pid reuse
        except psutil.NoSuchProcess:
            self._process, self.returncode = None, 0

    def poll(self) -> int | None:
        import psutil

        if self.returncode is None:
            try:
                gone = self._process.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import psutil

        if self._process is not None and self.returncode is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                self._process.wait(timeout)
            self.returncode = 0
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        import psutil

        if self._process is not None and self.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                self._process.send_signal(signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ZygoteProvisioner(LocalProvisioner):
    """Starts a kernel by asking this worker's zygote to fork one (entry point
    ``mlsd-zygote`` of ``jupyter_client.kernel_provisioners``)."""

    async def launch_kernel(self, cmd, **kwargs):
        if _current is None:
            raise RuntimeError("no grading zygote in this process (see mlsd.grading.zygote)")
        connection_file = self.parent.connection_file
        cwd = kwargs.get("cwd") or os.getcwd()
        self.process = ZygoteChild(_current.spawn(connection_file, cwd))
        self.pid, self.pgid = self.process.pid, None  # signals go to the process itself
        self.cwd = cwd
        return self.connection_info


def available() -> str | None:
    """None when kernels can come from a zygote here, else why not."""
    if os.environ.get(DISABLE_ENV):
        return f"{DISABLE_ENV} is set"
    if os.geteuid() != 0:
        return "it needs root (new namespaces and mounts)"
    if platform.machine() not in SYS_PIVOT_ROOT:
        return f"no pivot_root number for {platform.machine()}"
    from mlsd.grading import cgroups

    return cgroups.available()


# ----------------------------------------------------------------------------- zygote side


_libc = None


def _call(name: str, *args) -> int:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    result = getattr(_libc, name)(*args)
    if result == -1:
        error = ctypes.get_errno()
        raise OSError(error, f"{name}{args[:2]}: {os.strerror(error)}")
    return result


def _mount(source, target, fstype, flags: int, data: str | None = None) -> None:
    encode = lambda x: None if x is None else str(x).encode()  # noqa: E731
    _call("mount", encode(source), encode(target), encode(fstype), flags, encode(data))


def _bind(
    source: Path, target: Path, *, writable: bool = False, device: bool = False, tree: bool = True
) -> None:
    """Bind ``source`` on ``target``, read-only unless ``writable``; ``tree``: with the
    mounts below it (as bwrap's binds are)."""
    _mount(source, target, None, MS_BIND | (MS_REC if tree else 0))
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | (0 if device else MS_NODEV)
    _mount(None, target, None, flags | (0 if writable else MS_RDONLY))


def _place(root: Path, path: Path, *, folder: bool) -> Path:
    """Create ``path`` (a folder or an empty file) inside the new root; return it."""
    inside = root / str(path).lstrip("/")
    if folder:
        inside.mkdir(parents=True, exist_ok=True)
    else:
        inside.parent.mkdir(parents=True, exist_ok=True)
        inside.touch(exist_ok=True)
    return inside


def _build_root(root: Path, paths, uid: int, limits: dict[str, int]) -> None:
    """The kernel's file system under ``root`` (what ``bwrap_args`` gives a bwrap kernel)."""
    from mlsd.grading import sandbox

    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755")
    for name in sandbox.SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():  # merged /usr: /bin -> usr/bin
            (root / name.lstrip("/")).symlink_to(os.readlink(path))
        elif path.is_dir():
            _bind(path, _place(root, path, folder=True))
    for name in sandbox.ETC_FILES:
        path = Path(name)
        if path.exists():
            _bind(path, _place(root, path, folder=path.is_dir()))
    # /tmp before the Python binds, as bwrap_args orders them: a checkout or virtual
    # environment under /tmp is bound on top of the kernel's private /tmp, not hidden by it
    tmp = _place(root, Path("/tmp"), folder=True)
    _mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['tmp_mb']}m,mode=1777")
    for path in sandbox._python_paths():
        _bind(path, _place(root, path, folder=True))
    _bind(sandbox._passwd_file(paths.folder, uid), _place(root, Path("/etc/passwd"), folder=False))
    proc = _place(root, Path("/proc"), folder=True)
    _mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    dev = _place(root, Path("/dev"), folder=True)
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID, "size=64k,mode=0755")
    for name in DEVICES:
        target = _place(root, Path("/dev") / name, folder=False)
        _bind(Path("/dev") / name, target, writable=True, device=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):  # fmt: skip
        (dev / name).symlink_to(target)
    shm = _place(root, Path("/dev/shm"), folder=True)
    _mount("tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['shm_mb']}m,mode=1777")
    # the workspace (its connection file) without the mounts below it: the new root is one
    _bind(paths.folder, _place(root, paths.folder, folder=True), tree=False)
    _bind(paths.ipc, root / str(paths.ipc).lstrip("/"), writable=True, tree=False)
    work = root / str(paths.work).lstrip("/")
    options = f"size={limits['work_mb']}m,nr_inodes={limits['work_files']},mode=0711"
    _mount("tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV, f"{options},uid={uid},gid={uid}")


def _enter_root(root: Path) -> None:
    os.chdir(root)
    (root / ".old").mkdir()
    number = SYS_PIVOT_ROOT[platform.machine()]
    _call("syscall", number, b".", b".old")
    os.chdir("/")
    _call("umount2", b"/.old", MNT_DETACH)
    os.rmdir("/.old")
    _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _drop_privileges(uid: int) -> None:
    """For good: the sandbox user, no groups, no capabilities, no way back."""
    _call("prctl", PR_SET_KEEPCAPS, 0, 0, 0, 0)
    for capability in range(64):
        with contextlib.suppress(OSError):  # past the last capability the kernel knows
            _call("prctl", PR_CAPBSET_DROP, capability, 0, 0, 0)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # leaving uid 0 clears the permitted and effective sets
    _call("prctl", PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _load_seccomp() -> None:
    from mlsd.grading import seccomp

    program = seccomp.program()
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _call("prctl", PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0)


def _become_kernel(paths, uid: int, limits: dict[str, int], log_fd: int) -> None:
    """In the fork that is pid 1 of its own PID namespace: sandbox, then ipykernel."""
    from mlsd.grading import sandbox

    _call("prctl", PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _call("unshare", CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = paths.folder / "root"
    root.mkdir(mode=0o755)
    _build_root(root, paths, uid, limits)
    _enter_root(root)
    _call("sethostname", b"sandbox", 7)
    sandbox._set_limits(
        limits["address_space_mb"], limits["cpu_seconds"], limits["processes"], limits["file_mb"]
    )
    os.nice(max(0, sandbox.NICENESS - os.nice(0)))
    os.chdir(paths.work)
    _drop_privileges(uid)
    _load_seccomp()
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.closerange(3, 65536)
    os.environ.clear()
    os.environ.update(sandbox.kernel_env())
    sys.dont_write_bytecode = True
    _fresh_randomness()
    sys.argv = ["ipykernel_launcher", "-f", str(paths.connection), "--IPKernelApp.ignore_cwd=True"]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance()


def _fresh_randomness() -> None:
    """A forked kernel would otherwise start from the zygote's random state, the same for
    every student (a fresh interpreter seeds from the OS)."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


def _fork_kernel(paths, uid: int, limits: dict[str, int]) -> int:
    """Fork the kernel's outer process; returns its pid (in the zygote)."""
    from mlsd.grading import cgroups

    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the zygote's reaper would race ours
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()
        _call("prctl", PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        cgroups.join(paths.folder.name)
        _call("unshare", CLONE_NEWPID)
        inner = os.fork()  # the first child after unshare is pid 1 of the new namespace
        if inner == 0:
            try:
                _become_kernel(paths, uid, limits, log_fd=2)
                code = 0
            except BaseException as exc:  # report, never return into the zygote's loop
                print(f"sandbox kernel: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            os._exit(code)
        os.closerange(3, 65536)
        _, status = os.waitpid(inner, 0)
        code = os.waitstatus_to_exitcode(status)
    except BaseException as exc:
        print(f"sandbox kernel: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    os._exit(code if code >= 0 else 128 - code)


def _reap(*_args) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _preload() -> list[str]:
    import importlib
    import pkgutil

    import mlsd

    failed = []
    names = list(PRELOAD)
    for info in pkgutil.walk_packages(mlsd.__path__, "mlsd."):
        if not info.name.startswith(("mlsd.grading", "mlsd.cli", "mlsd.present")):
            names.append(info.name)
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    return failed


def serve(fd: int, kernels: Path, uid: int, limits: dict[str, int]) -> None:
    from mlsd.grading import cgroups, sandbox

    channel = socket.socket(fileno=fd)
    reader = channel.makefile("r")
    os.environ.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    failed = _preload()
    threads = threading.active_count()
    if threads != 1:  # forking a process with threads can leave a lock held forever
        channel.sendall(json.dumps({"ready": False, "threads": threads}).encode() + b"\n")
        return
    signal.signal(signal.SIGCHLD, _reap)
    channel.sendall(json.dumps({"ready": True, "not_preloaded": failed}).encode() + b"\n")
    for line in reader:
        try:
            request = json.loads(line)
            paths = sandbox._kernel_paths(
                kernels, Path(request["connection_file"]).resolve(), Path(request["cwd"]).resolve()
            )
            os.chown(paths.connection, 0, uid)  # readable through the group, never writable
            os.chmod(paths.connection, 0o640)
            cgroups.create(paths.folder.name, limits["memory_mb"] << 20, limits["processes"])
            reply = {"pid": _fork_kernel(paths, uid, limits)}
        except (OSError, ValueError, KeyError, SystemExit) as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        channel.sendall(json.dumps(reply).encode() + b"\n")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m mlsd.grading.zygote")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--kernels", type=Path, required=True)
    parser.add_argument("--uid", type=int, required=True)
    parser.add_argument("--limits", type=json.loads, required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    serve(args.fd, args.kernels.resolve(), args.uid, args.limits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
