"""The course server's settings, configuration and deployment files, without starting a hub.

Each test checks one promise of README "Run a course server" and fails if it is broken:
test mode only on loopback, PAM by default, the roles' Jupyter configs, formgrader reachable
only by the instructors' group, the culler's scopes, the state that survives a restart, the
nbgitpuller link, the Kubernetes and Binder files.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from mlsd.hub import accounts, cli, config
from mlsd.hub.settings import HubSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def applied(settings: HubSettings, tmp_path: Path) -> Config:
    token = tmp_path / "proxy_auth_token"
    token.write_text("x" * 64)
    settings = HubSettings(**{**settings.__dict__, "state": tmp_path})
    c = Config()
    config.apply(c, settings)
    return c


# --- settings -------------------------------------------------------------------------------


def test_defaults_are_a_real_course_server_on_loopback():
    s = HubSettings.from_env({})
    assert (s.ip, s.port, s.test_mode) == ("127.0.0.1", 8000, False)
    assert s.answers == "off"
    assert s.course_root == Path("/srv/mlsd-hub/course")
    assert HubSettings.from_env(s.to_env()) == s


def test_test_mode_is_refused_off_loopback():
    with pytest.raises(ValueError, match="loopback"):
        HubSettings.from_env({"MLSD_HUB_IP": "0.0.0.0", "MLSD_HUB_TEST_PASSWORDS": "/x"})
    assert HubSettings.from_env({"MLSD_HUB_TEST_PASSWORDS": "/x"}).test_mode


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MLSD_HUB_PORT": "80"}, "MLSD_HUB_PORT"),
        ({"MLSD_HUB_PORT": "eight"}, "MLSD_HUB_PORT"),
        ({"MLSD_HUB_CULL_IDLE": "1"}, "MLSD_HUB_CULL_IDLE"),
        ({"MLSD_HUB_NAMES": "Bad_"}, "MLSD_HUB_NAMES"),
        ({"MLSD_HUB_COURSE_ID": "a b"}, "MLSD_HUB_COURSE_ID"),
        ({"MLSD_HUB_ANSWERS": "maybe"}, "MLSD_HUB_ANSWERS"),
        ({"MLSD_HUB_IP": "localhost"}, "MLSD_HUB_IP"),
        ({"MLSD_HUB_SRV": "srv"}, "srv"),
    ],
)
def test_bad_settings_name_the_variable(env, named):
    with pytest.raises(ValueError, match=named):
        HubSettings.from_env(env)


def test_roster_ids_are_account_names(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("id,first_name,last_name,email\nada-l,A,L,a@x.org\nalan.t,A,T,t@x.org\n")
    assert accounts.roster_ids(good) == ["ada-l", "alan.t"]
    assert accounts.roster_ids(ROOT / "autograder" / "roster.example.csv") == [
        "ada-l",
        "alan.t",
        "grace_h",
    ]
    for bad_id in ("Ada", "1ada", "ada l", "../x", "a" * 33):
        bad = tmp_path / "bad.csv"
        bad.write_text(f"id,first_name,last_name,email\n{bad_id},A,L,a@x.org\n")
        with pytest.raises(ValueError, match="line 2 id"):
            accounts.roster_ids(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("id,first_name,last_name,email\nada,A,L,a@x.org\nada,B,L,b@x.org\n")
    with pytest.raises(ValueError, match="repeats"):
        accounts.roster_ids(twice)


def test_only_a_test_prefix_can_be_mass_removed():
    for prefix in ("mlsd-", "", "m", "mlsdt"):
        with pytest.raises(ValueError, match="test prefix"):
            accounts.remove_accounts(prefix)


# --- what jupyterhub_config.py applies --------------------------------------------------------


def test_pam_by_default_fixed_passwords_only_in_test_mode(tmp_path):
    real = applied(HubSettings(), tmp_path)
    assert real.JupyterHub.authenticator_class == "pam"
    assert real.LocalAuthenticator.allowed_groups == {
        "mlsd-students",
        "mlsd-instructors",
        "mlsd-learners",
    }
    assert real.LocalAuthenticator.create_system_users is False
    test = applied(HubSettings(test_passwords=tmp_path / "pw.json"), tmp_path)
    assert test.JupyterHub.authenticator_class == "mlsd.hub.auth.FixedPasswordAuthenticator"


def test_state_that_survives_a_restart_lives_in_the_state_folder(tmp_path):
    c = applied(HubSettings(), tmp_path)
    assert c.JupyterHub.db_url == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    assert c.JupyterHub.cookie_secret_file == str(tmp_path / "jupyterhub_cookie_secret")
    assert c.ConfigurableHTTPProxy.auth_token == "x" * 64
    assert c.ConfigurableHTTPProxy.command == [
        "/opt/mlsd-hub/proxy/node",
        "/opt/mlsd-hub/proxy/node_modules/configurable-http-proxy/bin/configurable-http-proxy",
    ]


def test_formgrader_is_a_service_for_the_instructors_group_only(tmp_path):
    c = applied(HubSettings(), tmp_path)
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "ml-system-design"]
    assert service["user"] == "mlsd-grader"
    assert service["cwd"] == "/srv/mlsd-hub/course"
    assert service["environment"]["JUPYTER_CONFIG_PATH"].endswith("/grader")
    (console,) = [s for s in c.JupyterHub.services if s["name"] == "ml-system-design-console"]
    assert console["user"] == "mlsd-grader"
    assert console["environment"]["JUPYTER_CONFIG_PATH"].endswith("/console")
    locked = json.loads(
        (DEPLOY / "jupyterhub" / "jupyter" / "grader" / "jupyter_server_config.json").read_text()
    )["ServerApp"]
    assert locked["contents_manager_class"] == "mlsd.grading.ui.ReadOnlyContents"
    assert locked["kernel_manager_class"] == "mlsd.grading.ui.NoKernels"
    assert locked["terminals_enabled"] is False
    on = {k for k, v in locked["jpserver_extensions"].items() if v}
    assert on == {"nbgrader.server_extensions.formgrader"}
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["formgrader"]["groups"] == ["formgrade-ml-system-design"]
    assert "access:services!service=ml-system-design-console" in roles["formgrader"]["scopes"]
    assert "access:services!service=ml-system-design" in roles["formgrader"]["scopes"]
    # nobody else is granted access to services (the default user role has none)
    others = [r for n, r in roles.items() if n != "formgrader"]
    assert not any(s.startswith("access:services") for r in others for s in r["scopes"])


def test_the_idle_culler_runs_with_only_the_scopes_it_needs(tmp_path):
    c = applied(HubSettings(cull_idle=900, cull_every=60), tmp_path)
    (culler,) = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"]
    assert culler["command"][1:] == [
        "-m",
        "jupyterhub_idle_culler",
        "--timeout=900",
        "--cull-every=60",
    ]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["idle-culler"]["services"] == ["idle-culler"]
    assert set(roles["idle-culler"]["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }


def test_each_role_gets_its_jupyter_config_and_students_no_model_answers(monkeypatch):
    s = HubSettings()
    monkeypatch.setattr(config, "role_of", lambda settings, user: user.split("-")[0])
    student = config.user_environment(s, "student-ada")
    assert student["JUPYTER_CONFIG_PATH"] == "/opt/mlsd-hub/etc/mlsd-hub/student"
    assert student["MLSD_ANSWERS"] == "off"
    assert student["MLSD_DATA_DIR"] == "/opt/mlsd-hub/share/mlsd/data"
    instructor = config.user_environment(s, "instructor-x")
    assert instructor["JUPYTER_CONFIG_PATH"].endswith("/instructor")
    assert "MLSD_ANSWERS" not in instructor
    learner = config.user_environment(s, "learner-y")
    assert learner["JUPYTER_CONFIG_PATH"].endswith("/learner") and "MLSD_ANSWERS" not in learner
    on = HubSettings(answers="on")
    assert "MLSD_ANSWERS" not in config.user_environment(on, "student-ada")


def test_kernels_use_unix_sockets_in_the_private_home_never_tcp(monkeypatch, tmp_path):
    """A TCP kernel's IOPub port on 127.0.0.1 gives any account the code and outputs.

    The settings are read back as jupyter_server loads them: it takes only the extensions
    from a config.d file, so a setting placed there would be silently ignored."""
    shutil.copytree(DEPLOY / "jupyterhub" / "etc-jupyter", tmp_path / "etc")
    shown = subprocess.run(
        [sys.executable, "-m", "jupyter_server", "--show-config-json"],
        env={
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "JUPYTER_CONFIG_PATH": str(tmp_path / "etc"),
            "JUPYTER_CONFIG_DIR": str(tmp_path / "user"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = json.loads(shown.stdout)
    assert loaded["KernelManager"]["transport"] == "ipc", shown.stdout
    # the same loading applies the kernel culling README promises (idle 20 minutes)
    assert loaded["MappingKernelManager"]["cull_idle_timeout"] == 1200
    assert "mlsd.hub.pull" in loaded["ServerApp"]["jpserver_extensions"]
    s = HubSettings()
    monkeypatch.setattr(config, "role_of", lambda settings, user: "student")
    env = config.user_environment(s, "nobody-here")
    assert env["JUPYTER_RUNTIME_DIR"] == "/home/nobody-here/.jrun"
    assert config.grader_environment(s)["JUPYTER_RUNTIME_DIR"].endswith("/.jrun")
    c = applied(s, tmp_path)
    assert "JUPYTER_RUNTIME_DIR" in c.Spawner.environment


def test_a_home_too_long_for_kernel_sockets_is_refused_before_the_account_exists(monkeypatch):
    from mlsd.hub.settings import MAX_HOME_CHARS, kernel_runtime_dir

    longest = "/" + "h" * (MAX_HOME_CHARS - 1)
    socket = f"{kernel_runtime_dir(longest)}/kernel-{'0' * 36}-ipc-5"
    assert len(socket) == 107  # the most a Unix socket path holds
    with pytest.raises(ValueError, match=f"at most {MAX_HOME_CHARS}"):
        kernel_runtime_dir(longest + "h")
    ran = []
    monkeypatch.setattr(accounts, "user_exists", lambda name: False)
    monkeypatch.setattr(accounts, "ensure_group", lambda name: False)
    monkeypatch.setattr(accounts, "_run", lambda *cmd, **kw: ran.append(cmd))
    with pytest.raises(ValueError, match="MLSD_HUB_HOMES"):
        accounts.ensure_user("ada", Path("/" + "h" * MAX_HOME_CHARS), [])
    assert ran == []  # nothing was created
    monkeypatch.setattr(accounts.os, "chmod", lambda path, mode: None)
    accounts.ensure_user("ada", Path("/home"), [], password=False)
    assert ran[0][0] == "useradd"  # control: a usual home goes through


def test_role_configs_hide_instructor_tools_from_students():
    roles = DEPLOY / "jupyterhub" / "jupyter"

    def server(role):
        data = json.loads((roles / role / "jupyter_server_config.json").read_text())
        return data["ServerApp"]["jpserver_extensions"]

    def disabled(role):
        data = json.loads((roles / role / "labconfig" / "page_config.json").read_text())
        return set(data["disabledExtensions"])

    ext = "nbgrader.server_extensions."
    assert server("student")[ext + "assignment_list"] is True
    assert server("student")[ext + "formgrader"] is False
    assert server("student")[ext + "course_list"] is False
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= disabled(
        "student"
    )
    assert server("instructor")[ext + "course_list"] is True
    assert server("grader")[ext + "formgrader"] is True
    assert server("console")[ext + "formgrader"] is False
    assert disabled("learner") == {"@jupyter/nbgrader"}


def test_the_hub_config_file_only_applies_the_package_config():
    source = (DEPLOY / "jupyterhub" / "jupyterhub_config.py").read_text()
    calls = [
        n.func.id
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    ]
    assert calls == ["get_config", "apply"]


# --- test-mode passwords -------------------------------------------------------------------


def test_fixed_passwords_file_must_be_private_to_root(tmp_path):
    # jupyterhub is not installed in the test venv: load the checker with a stand-in base
    path = tmp_path / "pw.json"
    path.write_text(json.dumps({"u": "p"}))
    os.chmod(path, 0o644)
    code = (
        "import sys; sys.modules['jupyterhub']=type(sys)('jupyterhub');"
        "m=type(sys)('jupyterhub.auth'); m.LocalAuthenticator=object;"
        "sys.modules['jupyterhub.auth']=m;"
        "from mlsd.hub.auth import read_passwords; print(read_passwords(sys.argv[1]))"
    )
    loose = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert loose.returncode != 0 and "mode 0600" in loose.stderr
    os.chmod(path, 0o600)
    tight = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    if os.geteuid() == 0:
        assert tight.returncode == 0 and "'u': 'p'" in tight.stdout
    else:
        assert "belong to root" in tight.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- nbgitpuller and the update page --------------------------------------------------------


def test_nbgitpuller_link_pulls_then_opens_the_update_page():
    link = cli.nbgitpuller_link(HubSettings(), "https://git.example.org/mlsd.git", "main", "mlsd")
    assert link.startswith("http://127.0.0.1:8000/hub/user-redirect/git-pull?")
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(link).query)
    assert query["repo"] == ["https://git.example.org/mlsd.git"]
    assert query["targetpath"] == ["mlsd"]
    assert query["urlpath"] == ["mlsd/update?folder=mlsd"]


def test_update_page_stays_inside_the_home(tmp_path):
    from mlsd.hub.pull import resolve_checkout

    (tmp_path / "wb" / "course").mkdir(parents=True)
    assert resolve_checkout(tmp_path, "wb") == tmp_path / "wb"
    for folder in ("", "/etc", "../x", "wb/../../x"):
        with pytest.raises(ValueError, match="folder"):
            resolve_checkout(tmp_path, folder)
    with pytest.raises(FileNotFoundError):
        resolve_checkout(tmp_path, "missing")


# --- Kubernetes and Binder -------------------------------------------------------------------


def test_kubernetes_values_parse_and_extra_config_compiles():
    values = yaml.safe_load((DEPLOY / "kubernetes" / "config.yaml").read_text())
    assert set(values) == {"hub", "singleuser", "cull"}
    assert values["cull"]["enabled"] is True
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, name, "exec")
    uids = values["hub"]["extraFiles"]["mlsd-uids"]["data"]
    expected = cli.roster_uids(
        accounts.roster_ids(ROOT / "autograder" / "roster.example.csv"), 20001
    )
    assert uids == expected
    limits = values["singleuser"]["memory"]
    assert limits["limit"] and limits["guarantee"]


def test_image_and_binder_install_the_same_pinned_requirements():
    dockerfile = (DEPLOY / "kubernetes" / "Dockerfile").read_text()
    assert "--no-deps -r /tmp/mlsd/requirements.txt" in dockerfile
    assert "COPY deploy/jupyterhub/requirements.txt" in dockerfile
    base = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert base == ["FROM quay.io/jupyter/minimal-notebook:python-3.11"]
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    assert "-r ../deploy/jupyterhub/requirements.txt" in binder
    for line in (DEPLOY / "jupyterhub" / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert "==" in line.split("#")[0], line
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
    assert os.access(ROOT / "binder" / "start", os.X_OK)


def test_the_lock_pins_every_dependency_of_the_workbook():
    """A dependency added to pyproject.toml without `make hub-lock` would be missing on the
    course server, in the image and on Binder (installed with --no-deps)."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def name(requirement: str) -> str:
        return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    pinned = {
        name(line)
        for line in (DEPLOY / "jupyterhub" / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    missing = sorted({name(r) for r in project["dependencies"]} - pinned)
    assert not missing, f"run `make hub-lock`: {missing} are not in the lock"
    assert {"jupyterhub", "jupyterhub-idle-culler", "nbgitpuller"} <= pinned


def test_setup_warns_when_the_checkout_solutions_are_readable_by_everyone():
    import shutil
    import tempfile

    from mlsd.hub.layout import readable_by_others

    base = Path(tempfile.mkdtemp(prefix="mlsdt-checkout-"))  # under /tmp: everyone reaches it
    try:
        folder = base / "checkout" / "solutions"
        folder.mkdir(parents=True)
        for path in (base, base / "checkout", folder):
            os.chmod(path, 0o755)
        assert readable_by_others(folder) == folder.resolve()
        os.chmod(base / "checkout", 0o700)  # a private checkout: solutions/ unreachable
        assert readable_by_others(folder) is None
    finally:
        shutil.rmtree(base)
