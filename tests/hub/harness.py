"""A course server of its own for a test or a benchmark: real JupyterHub, real accounts, loopback.

:class:`TestHub` sets up a hub exactly as ``make hub`` does (``mlsd.hub.cli.setup``, the shared
environment in ``/opt/mlsd-hub``, ``deploy/jupyterhub/jupyterhub_config.py``), with these
differences only in values:

- every account and group is named ``mlsdt-...`` and every folder lives under
  ``/tmp/mlsdt-hub-*``, so a test never meets a real class;
- the hub listens on free loopback ports and uses the fixed-password test mode.

It is self-cleaning: :meth:`TestHub.close` stops the hub's process group, then every process
still owned by a test account (each by its pid), deletes the test accounts and folders. The
same clean-up runs before a hub starts, so a run that crashed (or was killed) is cleaned up by
the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from mlsd.hub import accounts, cli
from mlsd.hub.settings import HubSettings

ROOT = Path(__file__).resolve().parents[2]
PREFIX = Path(os.environ.get("MLSD_HUB_PREFIX", "/opt/mlsd-hub"))
NAMES = "mlsdt-"
TMP_PREFIX = "mlsdt-hub-"
# One test hub at a time on a machine (pytest-xdist workers, a bench): its accounts and groups
# share the mlsdt- names. Held while a hub exists; the kernel releases it if the holder dies,
# so whatever the clean-up finds once it holds the lock was left by a dead run.
LOCK_FILE = Path(tempfile.gettempdir()) / "mlsdt-hub.lock"
LOCK_TIMEOUT_S = 1800.0
START_TIMEOUT_S = 90.0
INSTALL_HINT = (
    "the hub tests need root and the shared environment in {prefix}: run `sudo make "
    "hub-install` (make test and .ci/run do)"
)


def setup_problem() -> str | None:
    """Why a test hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub tests create system users: run them as root. " + INSTALL_HINT.format(
            prefix=PREFIX
        )
    if not (PREFIX / ".installed").is_file():
        return INSTALL_HINT.format(prefix=PREFIX)
    return None


def free_port_block(size: int = 5) -> int:
    """A port p with p .. p+size-1 all free on loopback (the hub uses five)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + size > 65530:
            continue
        ok = True
        for port in range(base, base + size):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no block of free loopback ports found")


def test_uids() -> set[int]:
    return {p.pw_uid for p in pwd.getpwall() if p.pw_name.startswith(NAMES)}


def kill_test_processes(timeout: float = 10.0) -> int:
    """Stop every process owned by a test account: SIGTERM, then SIGKILL, each by its pid."""
    uids = test_uids()
    procs = []
    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error):
            if proc.info["uids"] and proc.info["uids"].real in uids:
                procs.append(proc)
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=timeout)
    return len(procs)


def clean_leftovers() -> None:
    """What a crashed run left: hubs started by a test, test users' processes, test accounts
    and folders. Hubs are found by their pid files in test folders (never by name)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*"):
        for pid_file in (folder / "state").glob("*.pid"):
            with contextlib.suppress(ValueError, OSError, psutil.Error):
                pid = int(pid_file.read_text().strip())
                proc = psutil.Process(pid)
                if "jupyterhub" in " ".join(proc.cmdline()) or "http-proxy" in " ".join(
                    proc.cmdline()
                ):
                    proc.kill()
    kill_test_processes()
    accounts.remove_accounts(NAMES)
    for folder in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _acquire_lock():
    handle = open(LOCK_FILE, "a")  # noqa: SIM115 - held for the hub's lifetime
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise RuntimeError(
                    f"another test hub held {LOCK_FILE} for {LOCK_TIMEOUT_S:.0f} s"
                ) from None
            time.sleep(1)


@dataclass
class TestHub:
    """A running test hub: its settings, accounts and fixed passwords."""

    instructors: list[str] = field(default_factory=lambda: ["mlsdt-inst"])
    students: list[str] = field(default_factory=lambda: ["mlsdt-ada", "mlsdt-bob"])
    learners: list[str] = field(default_factory=list)
    cull_idle: int = 3600
    cull_every: int = 300
    settings: HubSettings = field(init=False)
    passwords: dict[str, str] = field(init=False, default_factory=dict)
    process: subprocess.Popen | None = field(init=False, default=None)
    folder: Path | None = field(init=False, default=None)
    log_path: Path = field(init=False)

    def __post_init__(self):
        problem = setup_problem()
        if problem:
            raise RuntimeError(problem)
        self._lock = _acquire_lock()
        try:
            self._set_up()
        except BaseException:
            self.close()
            raise

    def _set_up(self) -> None:
        clean_leftovers()
        self.folder = Path(tempfile.mkdtemp(prefix=TMP_PREFIX))
        os.chmod(self.folder, 0o755)
        self.passwords = {
            name: secrets.token_urlsafe(12)
            for name in [*self.instructors, *self.students, *self.learners]
        }
        pw_file = self.folder / "test-passwords.json"
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(self.passwords, fh)
        self.settings = HubSettings(
            prefix=PREFIX,
            state=self.folder / "state",
            srv=self.folder / "srv",
            homes=self.folder / "home",
            ip="127.0.0.1",
            port=free_port_block(),
            names=NAMES,
            cull_idle=self.cull_idle,
            cull_every=self.cull_every,
            test_passwords=pw_file,
        )
        self.log_path = self.folder / "jupyterhub.log"
        cli.setup(self.settings, ROOT)
        if self.students:
            roster = self.folder / "roster.csv"
            roster.write_text(
                "id,first_name,last_name,email\n"
                + "".join(f"{s},Test,{s[6:].title()},{s}@example.org\n" for s in self.students)
            )
            cli.add_students(self.settings, roster)
        for name in self.instructors:
            accounts.add_instructor(self.settings, name)
        for name in self.learners:
            accounts.add_learner(self.settings, name)

    # --- the hub process -----------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.settings.public_url

    def env(self) -> dict[str, str]:
        return {
            "PATH": f"{self.settings.bin}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            **self.settings.to_env(),
        }

    def start(self) -> None:
        config = self.settings.jupyter_roles / "jupyterhub_config.py"
        log = open(self.log_path, "ab")  # noqa: SIM115 - the hub's own log, kept for failures
        self.process = subprocess.Popen(
            [str(self.settings.bin / "jupyterhub"), "-f", str(config)],
            cwd=self.settings.state,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"the hub exited ({code}):\n{self.log_tail()}")
            if (
                self._healthy()
                and self._service_up(self.settings.formgrader_port)
                and (self._service_up(self.settings.console_port))
            ):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the hub did not answer in {START_TIMEOUT_S:.0f} s:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/hub/health", timeout=2) as answer:
                return answer.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _service_up(self, port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the hub (which stops the servers it started, then the proxy)."""
        if self.process is None:
            return
        # The proxy and the culler run in sessions of their own: note them now, so that a hub
        # killed before it stopped them does not leave them running.
        children = []
        with contextlib.suppress(psutil.Error):
            children = psutil.Process(self.process.pid).children(recursive=True)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.terminate()
        _, alive = psutil.wait_procs(children, timeout=10)
        for child in alive:
            with contextlib.suppress(psutil.Error):
                child.kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        try:
            self.stop()
        finally:
            kill_test_processes()
            accounts.remove_accounts(NAMES)
            if getattr(self, "folder", None):
                shutil.rmtree(self.folder, ignore_errors=True)
            lock, self._lock = getattr(self, "_lock", None), None
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)
                lock.close()

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no hub log)"

    # --- acting as an account --------------------------------------------------------------

    def home(self, user: str) -> Path:
        return Path(pwd.getpwnam(user).pw_dir)

    def run_as(self, user: str, *cmd: str, cwd: Path | None = None, timeout: float = 600):
        """Run a command as ``user`` with the environment their server would have."""
        from mlsd.hub.config import user_environment

        env = {**user_environment(self.settings, user), "HOME": str(self.home(user))}
        env["LANG"] = "C.UTF-8"
        return subprocess.run(
            ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]
            + list(cmd),
            cwd=cwd or self.home(user),
            text=True,
            capture_output=True,
            timeout=timeout,
        )

    def run_as_grader(self, *cmd: str):
        return cli.run_as_grader(self.settings, *cmd)
