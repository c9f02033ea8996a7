"""``mlsd hub ...``: set up and start the course server (run as root; see README).

mlsd hub install-files            # shared files into the environment (make hub-install)
mlsd hub setup                    # grader account, course root, exchange, state folder
mlsd hub add-students roster.csv  # system accounts + gradebook roster (initial passwords)
mlsd hub add-instructor NAME      # an instructor (formgrader access; restart the hub)
mlsd hub add-learner NAME         # a self-paced learner (nbgitpuller, no exchange)
mlsd hub start                    # setup, then JupyterHub in the foreground (make hub)
mlsd hub link --repo URL          # the nbgitpuller link for self-paced learners
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from mlsd.hub import accounts, layout
from mlsd.hub.settings import HubSettings

DEPLOY = Path("deploy") / "jupyterhub"


def _checkout(args) -> Path:
    from mlsd import course

    return course.repo_root(args.checkout)


def install_files(settings: HubSettings, checkout: Path) -> list[Path]:
    """Copy what every account reads into the shared environment: the Jupyter config of
    each role, the global nbgrader and server config, the hub's config file, the data sets."""
    deploy = checkout / DEPLOY
    placed = []

    def copy_tree(source: Path, dest: Path) -> None:
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
        for dirpath, _dirnames, filenames in os.walk(dest):
            os.chmod(dirpath, 0o755)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o644)
        placed.append(dest)

    copy_tree(deploy / "jupyter", settings.jupyter_roles)
    etc = settings.prefix / "etc" / "jupyter"
    (etc / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    # jupyter_server reads only the extensions from a config.d file: everything else the
    # servers need (kernel transport, kernel culling) is in jupyter_server_config.json.
    for rel in (
        "nbgrader_config.py",
        "jupyter_server_config.json",
        "jupyter_server_config.d/mlsd-hub.json",
    ):
        shutil.copyfile(deploy / "etc-jupyter" / rel, etc / rel)
        os.chmod(etc / rel, 0o644)
        placed.append(etc / rel)
    shutil.copyfile(
        deploy / "jupyterhub_config.py", settings.jupyter_roles / "jupyterhub_config.py"
    )
    copy_tree(checkout / "data", settings.data_dir)
    return placed


def setup(settings: HubSettings, checkout: Path) -> list[str]:
    """Everything a hub needs before it starts; safe to run again (adds only what is missing)."""
    accounts.require_root()
    layout.check_shared_environment(settings)
    said = []
    for group in (settings.student_group, settings.instructor_group, settings.learner_group):
        if accounts.ensure_group(group):
            said.append(f"created group {group}")
    accounts.ensure_grader(settings)
    if not settings.homes.exists():
        layout.ensure_dir(settings.homes, 0o755)
    layout.make_state(settings)
    if layout.copy_course(settings, checkout):
        said.append(f"course root {settings.course_root} copied from {checkout} (grader only)")
    layout.make_exchange(settings)
    leak = layout.readable_by_others(Path(checkout) / "solutions")
    if leak:
        said.append(
            f"warning: {leak} can be read by every account, so students could read the hidden "
            f"tests in {Path(checkout) / 'solutions'}: keep the checkout private (chmod 700)"
        )
    return said


def run_as_grader(settings: HubSettings, *cmd: str, cwd: Path | None = None):
    """Run a command as the grader account with the hub's environment (e.g. mlsd grade)."""
    from mlsd.hub.config import grader_environment

    env = {**grader_environment(settings, "console"), "LANG": "C.UTF-8"}
    env.pop("JUPYTERHUB_DEFAULT_URL")
    return subprocess.run(
        [
            "runuser",
            "-u",
            settings.grader,
            "--",
            "env",
            "-i",
            *[f"{k}={v}" for k, v in env.items()],
            *cmd,
        ],
        cwd=cwd or settings.autograder,
        text=True,
        capture_output=True,
    )


def add_students(settings: HubSettings, roster: Path) -> list[accounts.Created]:
    """Accounts for a roster, then the same roster into the gradebook (as the grader)."""
    ids = accounts.roster_ids(roster)
    grader_copy = settings.autograder / "roster.csv"
    shutil.copyfile(roster, grader_copy)
    grader = accounts.pwd.getpwnam(settings.grader)
    os.chown(grader_copy, grader.pw_uid, grader.pw_gid)
    os.chmod(grader_copy, 0o600)
    # The gradebook import checks every column; no account is made for a roster it refuses.
    result = run_as_grader(
        settings, str(settings.bin / "mlsd"), "grade", "roster", str(grader_copy)
    )
    if result.returncode != 0:
        raise RuntimeError(f"mlsd grade roster refused {roster}:\n{result.stdout}{result.stderr}")
    created = accounts.add_students(settings, ids)
    accounts.record_passwords(settings.initial_passwords, created)
    return created


def nbgitpuller_link(settings: HubSettings, repo: str, branch: str, folder: str) -> str:
    """The link a self-paced learner opens: nbgitpuller clones or pulls ``repo`` into
    ``folder``, then our /mlsd/update page merges course/ into work/ and opens JupyterLab."""
    after = "mlsd/update?" + urllib.parse.urlencode({"folder": folder})
    query = urllib.parse.urlencode(
        {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": after}
    )
    return f"{settings.public_url}/hub/user-redirect/git-pull?{query}"


# --- commands -----------------------------------------------------------------------------


def _print_created(created: list[accounts.Created], settings: HubSettings) -> None:
    for account in created:
        print(f"created {account.name}")
    if any(a.password for a in created):
        print(f"initial passwords: {settings.initial_passwords} (root only; hand them out)")


def _cmd_install_files(args) -> int:
    settings = HubSettings.from_env()
    for path in install_files(settings, _checkout(args)):
        print(f"installed {path}")
    return 0


def _cmd_setup(args) -> int:
    settings = HubSettings.from_env()
    for line in setup(settings, _checkout(args)):
        print(line)
    print(f"course server set up; start it with `make hub` ({settings.public_url})")
    return 0


def _cmd_add_students(args) -> int:
    settings = HubSettings.from_env()
    setup(settings, _checkout(args))
    created = add_students(settings, args.roster)
    _print_created(created, settings)
    print(f"{len(created)} new account(s); students already on the server were left as they are")
    return 0


def _cmd_add_person(args) -> int:
    settings = HubSettings.from_env()
    setup(settings, _checkout(args))
    add = accounts.add_instructor if args.role == "instructor" else accounts.add_learner
    made = add(settings, args.name)
    _print_created([made] if made else [], settings)
    accounts.record_passwords(settings.initial_passwords, [made] if made else [])
    if args.role == "instructor":
        print("restart the hub (stop `make hub`, start it again) to give them formgrader")
    return 0


def _cmd_start(args) -> int:
    settings = HubSettings.from_env()
    for line in setup(settings, _checkout(args)):
        print(line)
    config = settings.jupyter_roles / "jupyterhub_config.py"
    if not config.is_file():
        raise FileNotFoundError(f"{config} is missing: run `make hub-install` first")
    if not accounts.group_members(settings.instructor_group):
        print(
            "no instructor yet: add one with "
            f"`sudo {settings.bin / 'mlsd'} hub add-instructor NAME`, then restart the hub"
        )
    print(f"JupyterHub on {settings.public_url} (Ctrl-C stops it and every user's server)")
    env = {**os.environ, **settings.to_env()}
    cmd = [str(settings.bin / "jupyterhub"), "-f", str(config)]
    os.chdir(settings.state)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached


def roster_uids(ids: list[str], first: int) -> dict:
    """The ``mlsd-uids`` block of the Kubernetes config: the grader's uid, then one per id."""
    if not 1000 <= first <= 2**31 - len(ids) - 2:
        raise ValueError(f"first must be a uid in [1000, 2147483647]; got {first}.")
    return {"grader": first - 1, "users": {name: first + i for i, name in enumerate(ids)}}


def _cmd_uids(args) -> int:
    import json

    print(json.dumps(roster_uids(accounts.roster_ids(args.roster), args.first), indent=2))
    return 0


def _cmd_link(args) -> int:
    settings = HubSettings.from_env()
    print(nbgitpuller_link(settings, args.repo, args.branch, args.folder))
    return 0


def register(subparsers) -> argparse.ArgumentParser:
    hub = subparsers.add_parser(
        "hub", help="course server: JupyterHub + nbgrader exchange (as root; see README)"
    )
    hub.add_argument(
        "--checkout", type=Path, default=None, help="workbook checkout (default: this one)"
    )
    sub = hub.add_subparsers(dest="hub_command", required=True)
    sub.add_parser(
        "install-files", help="copy configs and data into the shared environment"
    ).set_defaults(func=_cmd_install_files)
    sub.add_parser("setup", help="grader account, course root, exchange, state").set_defaults(
        func=_cmd_setup
    )
    p = sub.add_parser("add-students", help="accounts for a roster CSV (id,first_name,...)")
    p.add_argument("roster", type=Path)
    p.set_defaults(func=_cmd_add_students)
    for role in ("instructor", "learner"):
        p = sub.add_parser(
            f"add-{role}", help=f"an account for a{'n' if role[0] == 'i' else ''} {role}"
        )
        p.add_argument("name")
        p.set_defaults(func=_cmd_add_person, role=role)
    sub.add_parser("start", help="set up, then run JupyterHub in the foreground").set_defaults(
        func=_cmd_start
    )
    p = sub.add_parser("link", help="print the nbgitpuller link for self-paced learners")
    p.add_argument("--repo", required=True, help="git URL of the workbook")
    p.add_argument("--branch", default="main")
    p.add_argument("--folder", default="mlsd-workbook", help="folder in the learner's home")
    p.set_defaults(func=_cmd_link)
    p = sub.add_parser("uids", help="per-student uids for the Kubernetes config (JSON)")
    p.add_argument("roster", type=Path)
    p.add_argument("--first", type=int, default=20001, help="first student's uid")
    p.set_defaults(func=_cmd_uids)
    return hub


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlsd")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
