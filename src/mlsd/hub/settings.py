"""Every path, name and limit of a course server, read from ``MLSD_HUB_*`` variables.

The hub's config file (``deploy/jupyterhub/jupyterhub_config.py``), ``mlsd hub ...`` and the
tests build a :class:`HubSettings` from the same environment, so a test hub differs from a
real one only in the values (its own folders, ports and a ``mlsdt-`` prefix on every name),
never in the code path. Defaults are those of a real course server:

| variable | default | what |
| --- | --- | --- |
| ``MLSD_HUB_PREFIX`` | ``/opt/mlsd-hub`` | the shared environment (hub, proxy, workbook) |
| ``MLSD_HUB_STATE`` | ``/var/lib/mlsd-hub`` | hub database, cookie secret, proxy token |
| ``MLSD_HUB_SRV`` | ``/srv/mlsd-hub`` | ``course/`` (the grader's course root), ``exchange/`` |
| ``MLSD_HUB_HOMES`` | ``/home`` | where new users' home folders go |
| ``MLSD_HUB_IP`` / ``MLSD_HUB_PORT`` | ``127.0.0.1`` / ``8000`` | the public address |
| ``MLSD_HUB_NAMES`` | ``mlsd-`` | prefix of the groups and of the grader account |
| ``MLSD_HUB_COURSE_ID`` | ``ml-system-design`` | nbgrader course id = formgrader service name |
| ``MLSD_HUB_CULL_IDLE`` | ``3600`` | seconds idle before the culler stops a server |
| ``MLSD_HUB_ANSWERS`` | ``off`` | model answers for roster students (``on``/``off``) |
| ``MLSD_HUB_TEST_PASSWORDS`` | unset | test mode: a root-only JSON file of fixed passwords |

The four ports after ``MLSD_HUB_PORT`` are the proxy's API, the hub, the formgrader service
and the grading console; a test picks a base with five free ports.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

from mlsd.kernels import UNIX_SOCKET_PATH_MAX, longest_kernel_socket

# Unix account names the hub can use as they are: JupyterHub lower-cases user names, and
# nbgrader's student id is the account name, so it must be the roster id unchanged.
ACCOUNT_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}$")
COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
NAME_PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,15}$")


def require_account_name(argument: str, value: str) -> str:
    """``value`` if it is a usable account name, else ValueError naming the argument."""
    if not isinstance(value, str) or not ACCOUNT_NAME.match(value):
        raise ValueError(
            f"{argument} must be a Unix account name: 1-32 characters, lower-case letters, "
            f"digits, '_', '.' or '-', starting with a letter or '_'; got {value!r}."
        )
    return value


# Each server's kernels talk to it over Unix sockets (ZeroMQ's ipc transport) in a folder of
# the user's private home, never over TCP: a kernel's TCP ports on 127.0.0.1 are open to every
# account on the machine, and its IOPub port hands anyone who subscribes the code and outputs
# in plain text (see mlsd.kernels). A socket's path may hold at most 107 characters and a
# kernel's is <home>/.jrun/kernel-<36-character id>-ipc-<n>, so a home may hold at most 51.
KERNEL_RUNTIME = ".jrun"

MAX_HOME_CHARS = UNIX_SOCKET_PATH_MAX - len(longest_kernel_socket(f"/{KERNEL_RUNTIME}"))


def kernel_runtime_dir(home: str | Path) -> str:
    """The runtime folder (connection files, kernel sockets) of an account with this home."""
    home = str(home)
    if len(home) > MAX_HOME_CHARS:
        raise ValueError(
            f"home folder {home!r} has {len(home)} characters; kernels' sockets live in it, so "
            f"it must have at most {MAX_HOME_CHARS} (shorten MLSD_HUB_HOMES or the account name)."
        )
    return f"{home}/{KERNEL_RUNTIME}"


def _port(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a port number in [1024, 65530]; got {raw!r}.") from None
    if not 1024 <= value <= 65530:
        raise ValueError(f"{name} must be a port number in [1024, 65530]; got {value}.")
    return value


def _seconds(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be whole seconds in [{low}, {high}]; got {raw!r}.") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be whole seconds in [{low}, {high}]; got {value}.")
    return value


@dataclass(frozen=True)
class HubSettings:
    prefix: Path = Path("/opt/mlsd-hub")
    state: Path = Path("/var/lib/mlsd-hub")
    srv: Path = Path("/srv/mlsd-hub")
    homes: Path = Path("/home")
    ip: str = "127.0.0.1"
    port: int = 8000
    names: str = "mlsd-"
    course_id: str = "ml-system-design"
    cull_idle: int = 3600
    cull_every: int = 300
    answers: str = "off"
    test_passwords: Path | None = None

    def __post_init__(self):
        try:
            address = ipaddress.ip_address(self.ip)
        except ValueError:
            raise ValueError(f"MLSD_HUB_IP must be an IP address; got {self.ip!r}.") from None
        if self.test_passwords is not None and not address.is_loopback:
            raise ValueError(
                "MLSD_HUB_TEST_PASSWORDS (test mode, fixed passwords) is allowed only on a "
                f"loopback address (127.0.0.0/8 or ::1); MLSD_HUB_IP is {self.ip!r}."
            )
        if not NAME_PREFIX.match(self.names):
            raise ValueError(
                "MLSD_HUB_NAMES must be 1-16 lower-case letters, digits or '-', starting "
                f"with a letter (e.g. 'mlsd-'); got {self.names!r}."
            )
        if not COURSE_ID.match(self.course_id):
            raise ValueError(
                "MLSD_HUB_COURSE_ID must be 1-63 lower-case letters, digits or '-'; "
                f"got {self.course_id!r}."
            )
        if self.answers not in ("on", "off"):
            raise ValueError(f"MLSD_HUB_ANSWERS must be 'on' or 'off'; got {self.answers!r}.")
        for name in ("prefix", "state", "srv", "homes"):
            if not Path(getattr(self, name)).is_absolute():
                raise ValueError(
                    f"the {name} folder must be an absolute path; got {getattr(self, name)}."
                )

    # --- from the environment ------------------------------------------------------------

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> HubSettings:
        env = os.environ if env is None else env
        get = env.get
        passwords = get("MLSD_HUB_TEST_PASSWORDS")
        return cls(
            prefix=Path(get("MLSD_HUB_PREFIX", str(cls.prefix))),
            state=Path(get("MLSD_HUB_STATE", str(cls.state))),
            srv=Path(get("MLSD_HUB_SRV", str(cls.srv))),
            homes=Path(get("MLSD_HUB_HOMES", str(cls.homes))),
            ip=get("MLSD_HUB_IP", cls.ip),
            port=_port("MLSD_HUB_PORT", get("MLSD_HUB_PORT", str(cls.port))),
            names=get("MLSD_HUB_NAMES", cls.names),
            course_id=get("MLSD_HUB_COURSE_ID", cls.course_id),
            cull_idle=_seconds(
                "MLSD_HUB_CULL_IDLE", get("MLSD_HUB_CULL_IDLE", "3600"), 10, 7 * 86400
            ),
            cull_every=_seconds("MLSD_HUB_CULL_EVERY", get("MLSD_HUB_CULL_EVERY", "300"), 5, 86400),
            answers=get("MLSD_HUB_ANSWERS", cls.answers),
            test_passwords=Path(passwords) if passwords else None,
        )

    def to_env(self) -> dict[str, str]:
        """The variables that rebuild these settings (for the hub process a CLI starts)."""
        out = {
            "MLSD_HUB_PREFIX": str(self.prefix),
            "MLSD_HUB_STATE": str(self.state),
            "MLSD_HUB_SRV": str(self.srv),
            "MLSD_HUB_HOMES": str(self.homes),
            "MLSD_HUB_IP": self.ip,
            "MLSD_HUB_PORT": str(self.port),
            "MLSD_HUB_NAMES": self.names,
            "MLSD_HUB_COURSE_ID": self.course_id,
            "MLSD_HUB_CULL_IDLE": str(self.cull_idle),
            "MLSD_HUB_CULL_EVERY": str(self.cull_every),
            "MLSD_HUB_ANSWERS": self.answers,
        }
        if self.test_passwords is not None:
            out["MLSD_HUB_TEST_PASSWORDS"] = str(self.test_passwords)
        return out

    # --- names ---------------------------------------------------------------------------

    @property
    def student_group(self) -> str:
        return f"{self.names}students"

    @property
    def instructor_group(self) -> str:
        return f"{self.names}instructors"

    @property
    def learner_group(self) -> str:
        """Self-paced learners: the course by nbgitpuller, no exchange, model answers on."""
        return f"{self.names}learners"

    @property
    def grader(self) -> str:
        """The account that owns the course root and runs the formgrader service."""
        return f"{self.names}grader"

    @property
    def formgrade_group(self) -> str:
        """The hub group nbgrader's course list looks for (``formgrade-<course id>``)."""
        return f"formgrade-{self.course_id}"

    # --- paths ---------------------------------------------------------------------------

    @property
    def python(self) -> Path:
        return self.prefix / "bin" / "python"

    @property
    def bin(self) -> Path:
        return self.prefix / "bin"

    @property
    def proxy_command(self) -> list[str]:
        """configurable-http-proxy run by the Node.js that ``make hub-install`` links there."""
        proxy = self.prefix / "proxy"
        script = (
            proxy / "node_modules" / "configurable-http-proxy" / "bin" / "configurable-http-proxy"
        )
        return [str(proxy / "node"), str(script)]

    @property
    def jupyter_roles(self) -> Path:
        """Per-role Jupyter config folders (student, instructor, grader, learner)."""
        return self.prefix / "etc" / "mlsd-hub"

    @property
    def data_dir(self) -> Path:
        """The workbook's data sets, readable by everyone (no checkout on a hub)."""
        return self.prefix / "share" / "mlsd" / "data"

    @property
    def course_root(self) -> Path:
        """The grader's copy of the checkout: autograder/, solutions/, course/ (mode 0700)."""
        return self.srv / "course"

    @property
    def autograder(self) -> Path:
        return self.course_root / "autograder"

    @property
    def exchange(self) -> Path:
        return self.srv / "exchange"

    @property
    def db_file(self) -> Path:
        return self.state / "jupyterhub.sqlite"

    @property
    def cookie_secret(self) -> Path:
        return self.state / "jupyterhub_cookie_secret"

    @property
    def proxy_token(self) -> Path:
        return self.state / "proxy_auth_token"

    @property
    def initial_passwords(self) -> Path:
        """Initial passwords of the accounts ``mlsd hub add-students`` created (root only)."""
        return self.state / "initial-passwords.csv"

    # --- addresses -----------------------------------------------------------------------

    @property
    def public_url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{self.port}"

    @property
    def proxy_api_port(self) -> int:
        return self.port + 1

    @property
    def hub_port(self) -> int:
        return self.port + 2

    @property
    def formgrader_port(self) -> int:
        return self.port + 3

    @property
    def console_port(self) -> int:
        return self.port + 4

    @property
    def console_service(self) -> str:
        """The grader's JupyterLab with a terminal (``mlsd grade ...``), beside formgrader."""
        return f"{self.course_id}-console"

    @property
    def test_mode(self) -> bool:
        return self.test_passwords is not None
