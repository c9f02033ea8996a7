"""The folders of a course server, created with the owners and modes that keep a class apart.

- ``state/`` (hub database, cookie secret, proxy token, initial passwords): root, 0700;
- ``srv/course/`` (autograder/ with the gradebook, solutions/, course/, data/): the grader
  account, 0700 (the formgrader service and ``mlsd grade`` run as that account);
- ``srv/exchange/``: root, 1777 (anyone may create an entry, nobody may remove another's);
- ``srv/exchange/<course id>/``: the grader, 0755, made here so no student claims it first;
- ``homes/<user>/``: that user, 0700.

nbgrader itself then makes ``outbound/`` (0755: released assignments, readable by all),
``inbound/`` (2733: students can write a submission but not list others') and ``feedback/``
(0711: a student can read only the file named by a hash of their own submission).
nbgrader checks that the exchange root is world-writable (its default ``check_directory``),
hence 1777 rather than something tighter; the sticky bit is what stops one student from
deleting or renaming another's entries.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
from pathlib import Path

from mlsd.hub.settings import HubSettings

# What of a checkout the grader's course root holds; generated folders stay behind.
COURSE_PARTS = ("autograder", "solutions", "course", "data")
LEFT_BEHIND = (
    "gradebook.db",
    "gradebook.db.*",
    "submitted",
    "autograded",
    "feedback",
    "reports",
    "downloads",
    ".ipynb_checkpoints",
    "__pycache__",
    "*.pyc",
    ".backups",
)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


def ensure_dir(path: Path, mode: int, uid: int = 0, gid: int = 0) -> Path:
    """``path`` exists with exactly this owner and mode (parents made root 0755)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return path


def check_shared_environment(settings: HubSettings) -> None:
    """Every user's server runs the shared environment's Python: it must be executable by
    all, which a Python under a private home (e.g. pyenv in /root, mode 0700) is not."""
    python = settings.python.resolve() if settings.python.exists() else None
    if python is None:
        raise FileNotFoundError(
            f"no shared environment at {settings.prefix}: run `make hub-install` (as root) first"
        )
    for folder in [python, *python.parents]:
        mode = folder.stat().st_mode
        needed = stat.S_IXOTH if folder != python else stat.S_IXOTH | stat.S_IROTH
        if mode & needed != needed:
            raise RuntimeError(
                f"{folder} (mode {stat.filemode(mode)}) is not readable and searchable by "
                f"other users, so students' servers could not run {python}; build the shared "
                f"environment with a Python outside private folders (HUB_PYTHON=/usr/bin/python3)"
            )


def readable_by_others(folder: Path) -> Path | None:
    """``folder`` if every account can reach and list it (no parent shuts others out)."""
    folder = Path(folder).resolve()
    for part in [*reversed(folder.parents), folder]:
        mode = part.stat().st_mode
        needed = stat.S_IXOTH | (stat.S_IROTH if part == folder else 0)
        if mode & needed != needed:
            return None
    return folder


def make_state(settings: HubSettings) -> None:
    ensure_dir(settings.state, 0o700)
    if not settings.proxy_token.exists():
        fd = os.open(settings.proxy_token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))


def copy_course(settings: HubSettings, checkout: Path) -> bool:
    """Copy the checkout's course parts into the grader's course root, once.

    An existing course root is never touched (it holds the gradebook and submissions);
    returns True when it was created now."""
    grader = pwd.getpwnam(settings.grader)
    ensure_dir(settings.srv, 0o755)
    if settings.course_root.exists():
        return False
    staging = settings.srv / f".course-{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    try:
        for part in COURSE_PARTS:
            source = Path(checkout) / part
            if not source.is_dir():
                raise FileNotFoundError(f"{source} is missing: is {checkout} a workbook checkout?")
            shutil.copytree(source, staging / part, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
        _chown_tree(staging, grader.pw_uid, grader.pw_gid)
        os.chmod(staging, 0o700)
        staging.rename(settings.course_root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True


def make_exchange(settings: HubSettings) -> None:
    grader = pwd.getpwnam(settings.grader)
    ensure_dir(settings.exchange, 0o1777)
    course = settings.exchange / settings.course_id
    if not course.exists():
        ensure_dir(course, 0o755, grader.pw_uid, grader.pw_gid)
    elif course.stat().st_uid != grader.pw_uid:
        raise RuntimeError(
            f"{course} belongs to uid {course.stat().st_uid}, not to {settings.grader}: "
            "someone else created it; move it aside and run setup again"
        )
