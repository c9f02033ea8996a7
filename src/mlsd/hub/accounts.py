"""System users and groups of a course server, made from the nbgrader roster.

Each student and instructor is a Unix account: JupyterHub's local spawner runs each person's
server as their own user, so what keeps one student out of another's folder (and out of the
grader's gradebook) is the operating system's permissions, not a setting a student could
change. Accounts are made with the standard ``useradd``/``groupadd``/``chpasswd`` tools.

Nothing here ever changes an existing account's password or home folder: adding a roster
twice only adds what is missing.
"""

from __future__ import annotations

import csv
import grp
import io
import os
import pwd
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mlsd.hub.settings import HubSettings, kernel_runtime_dir, require_account_name


@dataclass(frozen=True)
class Created:
    """An account this run created, with the initial password it was given (or None)."""

    name: str
    password: str | None


def roster_ids(path: Path) -> list[str]:
    """The ``id`` column of an nbgrader roster CSV, each checked as an account name.

    The other columns are checked by ``mlsd grade roster`` when the gradebook imports the
    same file; here only what the accounts need."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster file {path} does not exist")
    reader = csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))
    if "id" not in [h.strip() for h in reader.fieldnames or []]:
        raise ValueError(
            f"roster {path} must have an 'id' column; its header is {reader.fieldnames}."
        )
    ids, problems = [], []
    for row in reader:
        value = {k.strip(): (v or "").strip() for k, v in row.items() if k}.get("id", "")
        try:
            ids.append(require_account_name(f"roster {path.name} line {reader.line_num} id", value))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("\n".join(problems))
    if len(set(ids)) != len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"roster {path} repeats the id(s) {repeated}; each id must be unique.")
    return ids


def require_root() -> None:
    if os.geteuid() != 0:
        raise RuntimeError(
            "a course server's accounts are system users: run this as root "
            "(e.g. `sudo make hub` or `sudo /opt/mlsd-hub/bin/mlsd hub ...`)"
        )


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def group_members(name: str) -> list[str]:
    """Members of a Unix group (secondary members and users whose primary group it is)."""
    try:
        entry = grp.getgrnam(name)
    except KeyError:
        return []
    members = set(entry.gr_mem)
    members.update(p.pw_name for p in pwd.getpwall() if p.pw_gid == entry.gr_gid)
    return sorted(members)


def _run(*cmd: str, stdin: str | None = None) -> None:
    result = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed: {result.stderr.strip()}")


def ensure_group(name: str) -> bool:
    """Create the group if it is missing; True if it was created."""
    require_account_name("group name", name)
    if group_exists(name):
        return False
    _run("groupadd", name)
    return True


def ensure_user(
    name: str, homes: Path, groups: list[str], *, password: bool = True, shell: str = "/bin/bash"
) -> Created | None:
    """Create the account (home folder mode 0700) or add it to ``groups``.

    Returns what was created (with a random initial password when ``password``), or None
    when the account existed: its password and home are then left exactly as they were."""
    require_account_name("user name", name)
    for group in groups:
        ensure_group(group)
    if user_exists(name):
        for group in groups:
            if name not in grp.getgrnam(group).gr_mem:
                _run("usermod", "--append", "--groups", group, name)
        return None
    home = Path(homes) / name
    kernel_runtime_dir(home)  # refuses, before anything is created, a home too long for sockets
    _run(
        "useradd",
        "--create-home",
        "--home-dir",
        str(home),
        "--shell",
        shell,
        "--user-group",
        *(["--groups", ",".join(groups)] if groups else []),
        name,
    )
    # useradd's default home mode depends on login.defs (0755 on many systems): every home
    # is private, whatever the distribution says.
    os.chmod(home, 0o700)
    secret = None
    if password:
        secret = secrets.token_urlsafe(12)
        _run("chpasswd", stdin=f"{name}:{secret}\n")
    else:
        _run("usermod", "--lock", name)
    return Created(name, secret)


def set_password(name: str, password: str) -> None:
    """Set an account's password (the test suite's fixed passwords, or an instructor's reset)."""
    if "\n" in password or ":" in name:
        raise ValueError("password must be one line; user name must not contain ':'")
    _run("chpasswd", stdin=f"{name}:{password}\n")


def record_passwords(path: Path, created: list[Created]) -> None:
    """Append new accounts' initial passwords to a root-only CSV (mode 0600)."""
    fresh = [c for c in created if c.password]
    if not fresh:
        return
    path = Path(path)
    new_file = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if new_file:
            writer.writerow(["user", "initial_password"])
        for account in fresh:
            writer.writerow([account.name, account.password])
    os.chmod(path, 0o600)


def add_students(settings: HubSettings, ids: list[str]) -> list[Created]:
    """Accounts for the roster's students, in the students group."""
    require_root()
    made = [ensure_user(i, settings.homes, [settings.student_group]) for i in ids]
    return [m for m in made if m]


def add_instructor(settings: HubSettings, name: str) -> Created | None:
    """An instructor's account, in the instructors group (formgrader access)."""
    require_root()
    return ensure_user(name, settings.homes, [settings.instructor_group])


def add_learner(settings: HubSettings, name: str) -> Created | None:
    """A self-paced learner's account (the course through an nbgitpuller link)."""
    require_root()
    return ensure_user(name, settings.homes, [settings.learner_group])


def ensure_grader(settings: HubSettings) -> None:
    """The grader account: owns the course root and runs formgrader; nobody logs in as it."""
    require_root()
    ensure_user(settings.grader, settings.homes, [], password=False, shell="/usr/sbin/nologin")


def remove_accounts(prefix: str) -> list[str]:
    """Delete every user and group whose name starts with ``prefix`` (test clean-up only).

    Refuses a prefix that is not a test prefix, so a real class can never be deleted here."""
    if not prefix.startswith("mlsdt") or not prefix.endswith("-"):
        raise ValueError(f"prefix must be a test prefix such as 'mlsdt-'; got {prefix!r}.")
    removed = []
    for entry in pwd.getpwall():
        if entry.pw_name.startswith(prefix):
            subprocess.run(["userdel", "--remove", entry.pw_name], capture_output=True)
            removed.append(entry.pw_name)
    for entry in grp.getgrall():
        if entry.gr_name.startswith(prefix):
            subprocess.run(["groupdel", entry.gr_name], capture_output=True)
            removed.append(entry.gr_name)
    return removed
