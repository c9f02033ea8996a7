"""What ``deploy/jupyterhub/jupyterhub_config.py`` applies to JupyterHub's config object.

Kept in the package so it is read and tested like any other code; the config file only
builds :class:`HubSettings` from the environment and calls :func:`apply`.

The parts, each as nbgrader's and JupyterHub's own documentation describe them:
- proxy: JupyterHub's reference ``configurable-http-proxy`` (npm), started by the hub, run
  by the Node.js of a pinned PyPI wheel (``make hub-install``);
- state that survives a restart: the hub's SQLite database, cookie secret and proxy token
  in the state folder; the gradebook lives in the grader's course root;
- authentication: PAM (system passwords) by default; fixed passwords only in test mode;
  who may log in: members of the course's three Unix groups;
- each person's server: ``jupyterhub-singleuser`` from the shared environment, run as that
  person's Unix user (LocalProcessSpawner), JupyterLab by default, with the Jupyter config
  of their role (student: Assignment List, no instructor tools; instructor: plus the course
  list; learner: no nbgrader at all);
- formgrader: a hub-managed service named after the course id, run as the grader account
  in the course root, reachable only by the ``formgrade-<course id>`` group, locked down as
  ``mlsd grade ui`` is (formgrader only, read-only contents, no kernels, no terminals): it is
  where student work is displayed, so a script that slipped through the cleaning can read
  and grade there but run nothing;
- the grading console: a second service for the same group, the grader's JupyterLab with a
  terminal for ``mlsd grade ...`` (sandboxed autograding); it never displays student HTML;
- ``jupyterhub-idle-culler``: stops servers idle longer than ``MLSD_HUB_CULL_IDLE`` seconds;
- kernels: Unix sockets in the user's private ``~/.jrun``, never TCP ports that every account
  on the machine could reach (``etc-jupyter/jupyter_server_config.json``).
"""

from __future__ import annotations

import grp
import pwd

from mlsd.hub.accounts import group_members
from mlsd.hub.settings import HubSettings, kernel_runtime_dir

ROLES = ("instructor", "student", "learner")


def role_of(settings: HubSettings, user: str) -> str | None:
    """A user's role from their Unix groups (instructor wins over student over learner)."""
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return None
    groups = {g.gr_name for g in grp.getgrall() if user in g.gr_mem}
    groups.add(grp.getgrgid(entry.pw_gid).gr_name)
    for role, group in (
        ("instructor", settings.instructor_group),
        ("student", settings.student_group),
        ("learner", settings.learner_group),
    ):
        if group in groups:
            return role
    return None


def user_environment(settings: HubSettings, user: str) -> dict[str, str]:
    """Environment of a user's server: their role's Jupyter config, the shared data sets,
    the exchange, and model answers switched off for graded students."""
    role = role_of(settings, user) or "learner"
    env = {
        "JUPYTER_CONFIG_PATH": str(settings.jupyter_roles / role),
        "MLSD_DATA_DIR": str(settings.data_dir),
        "MLSD_HUB_SRV": str(settings.srv),
        "MLSD_HUB_COURSE_ID": settings.course_id,
        "PATH": f"{settings.bin}:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_RUNTIME_DIR": kernel_runtime_dir(_home_of(settings, user)),
    }
    if role == "student" and settings.answers == "off":
        env["MLSD_ANSWERS"] = "off"
    return env


def _home_of(settings: HubSettings, user: str) -> str:
    try:
        return pwd.getpwnam(user).pw_dir
    except KeyError:  # not created yet (a config built before `mlsd hub setup`)
        return str(settings.homes / user)


def grader_environment(settings: HubSettings, role: str = "grader") -> dict[str, str]:
    """Environment of the grader's services: ``grader`` (formgrader) or ``console``."""
    home = _home_of(settings, settings.grader)
    return {
        "JUPYTER_CONFIG_PATH": str(settings.jupyter_roles / role),
        "MLSD_DATA_DIR": str(settings.data_dir),
        "MLSD_HUB_SRV": str(settings.srv),
        "MLSD_HUB_COURSE_ID": settings.course_id,
        "PATH": f"{settings.bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "JUPYTER_RUNTIME_DIR": kernel_runtime_dir(home),
        # formgrader's own pages open in the browser tab (JupyterHub >= 4.1 forbids the
        # iframe JupyterLab's Formgrader panel would use on the hub's origin)
        "JUPYTERHUB_DEFAULT_URL": "/formgrader" if role == "grader" else "/lab",
    }


def _env_callable(settings: HubSettings, key: str):
    def value(spawner) -> str:
        return user_environment(settings, spawner.user.name).get(key, "")

    return value


def apply(c, settings: HubSettings) -> None:
    """Configure JupyterHub (``c`` is the traitlets config of jupyterhub_config.py)."""
    _network(c, settings)
    _state(c, settings)
    _authentication(c, settings)
    _spawner(c, settings)
    _groups_and_roles(c, settings)
    _services(c, settings)


def _network(c, settings: HubSettings) -> None:
    c.JupyterHub.ip = settings.ip
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.command = settings.proxy_command
    c.ConfigurableHTTPProxy.auth_token = settings.proxy_token.read_text().strip()
    c.ConfigurableHTTPProxy.pid_file = str(settings.state / "proxy.pid")


def _state(c, settings: HubSettings) -> None:
    c.JupyterHub.db_url = f"sqlite:///{settings.db_file}"
    c.JupyterHub.cookie_secret_file = str(settings.cookie_secret)
    c.JupyterHub.pid_file = str(settings.state / "jupyterhub.pid")


def _authentication(c, settings: HubSettings) -> None:
    if settings.test_mode:
        c.JupyterHub.authenticator_class = "mlsd.hub.auth.FixedPasswordAuthenticator"
        c.FixedPasswordAuthenticator.passwords_file = str(settings.test_passwords)
    else:
        c.JupyterHub.authenticator_class = "pam"
        # PAM sessions (pam_systemd, pam_limits) are for login shells; opening one per server
        # fails without systemd-logind and adds nothing here.
        c.PAMAuthenticator.open_sessions = False
    c.LocalAuthenticator.allowed_groups = {
        settings.student_group,
        settings.instructor_group,
        settings.learner_group,
    }
    # The hub never creates accounts itself: `mlsd hub add-students` does, from the roster.
    c.LocalAuthenticator.create_system_users = False


def _spawner(c, settings: HubSettings) -> None:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.cmd = [str(settings.bin / "jupyterhub-singleuser")]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    keys = [
        "JUPYTER_CONFIG_PATH",
        "JUPYTER_RUNTIME_DIR",  # private: kernels' ipc sockets (mlsd.hub.settings.KERNEL_RUNTIME)
        "MLSD_DATA_DIR",
        "MLSD_HUB_SRV",
        "MLSD_HUB_COURSE_ID",
        "PATH",
    ]
    env = {key: _env_callable(settings, key) for key in keys}
    env["MLSD_ANSWERS"] = _env_callable(settings, "MLSD_ANSWERS")
    c.Spawner.environment = env
    # A 2-core server starting 20 servers at once needs more than the 60 s default.
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.JupyterHub.concurrent_spawn_limit = 100


def _groups_and_roles(c, settings: HubSettings) -> None:
    instructors = group_members(settings.instructor_group)
    students = group_members(settings.student_group)
    c.JupyterHub.load_groups = {
        settings.formgrade_group: {"users": [*instructors]},
        f"nbgrader-{settings.course_id}": {"users": [*students]},
    }
    service, console = settings.course_id, settings.console_service
    c.JupyterHub.load_roles = [
        {
            "name": "formgrader",
            "description": "the course's instructors use its formgrader and grading console",
            "groups": [settings.formgrade_group],
            "scopes": [
                f"access:services!service={service}",
                f"access:services!service={console}",
                "list:services",
                f"read:services!service={service}",
                f"read:services!service={console}",
                # see who is working and stop a stuck server
                "admin-ui",
                "list:users",
                "read:users:activity",
                "read:servers",
                "delete:servers",
            ],
        },
        {
            # nbgrader's course list (instructors' servers) asks the hub for services
            "name": "server",
            "scopes": ["inherit"],
        },
        {
            "name": "idle-culler",
            "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        },
    ]


def _services(c, settings: HubSettings) -> None:
    c.JupyterHub.services = [
        {
            "name": settings.course_id,
            "url": f"http://127.0.0.1:{settings.formgrader_port}",
            "command": [str(settings.bin / "jupyterhub-singleuser")],
            "user": settings.grader,
            "cwd": str(settings.course_root),
            "environment": grader_environment(settings),
            "oauth_no_confirm": True,
        },
        {
            "name": settings.console_service,
            "url": f"http://127.0.0.1:{settings.console_port}",
            "command": [str(settings.bin / "jupyterhub-singleuser")],
            "user": settings.grader,
            "cwd": str(settings.course_root),
            "environment": grader_environment(settings, "console"),
            "oauth_no_confirm": True,
        },
        {
            "name": "idle-culler",
            "command": [
                str(settings.python),
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={settings.cull_idle}",
                f"--cull-every={settings.cull_every}",
            ],
        },
    ]
