"""Reading folders a student could have written, without trusting anything in them.

A submission folder may hold what ``nbgrader collect`` copied from a student-writable
exchange, and an autograded folder what the student's kernel left behind: symbolic links to
host files, FIFOs that block a reader forever, devices, sockets, hard links to files
elsewhere. Everything here looks with ``lstat`` (never through a link), opens with
``O_NOFOLLOW | O_NONBLOCK`` and checks the opened file is a regular one (``fstat``), and reads
at most a cap of bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


class NotRegular(OSError):
    """The entry is not a regular file (a link, FIFO, device, socket or folder)."""


class TooLarge(ValueError):
    """The file holds more bytes than the cap allows."""


def kind(mode: int) -> str:
    """A reader's name for the type of an ``lstat`` mode."""
    for test, name in (
        (stat.S_ISREG, "regular file"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return name
    return "special file"


def read_regular(path: Path, cap: int) -> bytes:
    """The bytes of the regular file ``path``, read without following a link or blocking.

    Raises :class:`NotRegular` for anything else and :class:`TooLarge` past ``cap`` bytes
    (checked while reading too: the size can grow after the check)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: the last component is a symbolic link
            raise NotRegular(exc.errno, "a symbolic link, not followed", str(path)) from None
        raise
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(0, f"a {kind(info.st_mode)}, not a regular file", str(path))
        if info.st_size > cap:
            raise TooLarge(f"{path.name}: {info.st_size} bytes, over the {cap} byte limit")
        return read_capped(handle, cap, path.name)


def read_capped(handle, cap: int, name: str) -> bytes:
    """Read ``handle`` in chunks; :class:`TooLarge` as soon as it passes ``cap`` bytes."""
    parts, total = [], 0
    while True:
        chunk = handle.read(min(CHUNK, cap + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > cap:
            raise TooLarge(f"{name}: over the {cap} byte limit")


@dataclass(frozen=True)
class Entry:
    path: Path
    relative: str  # posix path below the folder walked
    mode: int  # lstat's st_mode
    links: int  # lstat's st_nlink


def walk(folder: Path) -> Iterator[Entry]:
    """Every entry below ``folder`` (depth first, sorted), from ``lstat``; descends only into
    real folders, never through a link. Unreadable folders are skipped."""
    try:
        children = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for child in children:
        try:
            info = child.stat(follow_symlinks=False)
        except OSError:
            continue
        path = Path(child.path)
        entry = Entry(path, path.relative_to(folder).as_posix(), info.st_mode, info.st_nlink)
        yield entry
        if stat.S_ISDIR(info.st_mode):
            for below in walk(path):
                yield Entry(
                    below.path, f"{entry.relative}/{below.relative}", below.mode, below.links
                )


def regular_files(folder: Path) -> list[Entry]:
    return [e for e in walk(folder) if stat.S_ISREG(e.mode)]


def quarantine(folder: Path, aside: Path) -> list[str]:
    """Make ``folder`` hold only regular files and folders, each file with one link.

    Anything else (symbolic link, FIFO, device, socket) is renamed, itself and never its
    target, into the same relative place under ``aside``; a hard-linked file is replaced by a
    fresh copy of its bytes (same modification time), so nothing done to it later reaches
    the other name. Returns one note per entry handled, e.g. ``"data.csv (symbolic link)
    moved to quarantine"``; never changes a regular file's bytes."""
    notes = []
    for entry in list(walk(folder)):
        if stat.S_ISDIR(entry.mode):
            continue
        if stat.S_ISREG(entry.mode):
            if entry.links > 1:
                notes.append(_unlink_hard_link(entry))
            continue
        notes.append(_move_aside(entry, aside))
    return notes


def _move_aside(entry: Entry, aside: Path) -> str:
    what = f"{entry.relative} ({kind(entry.mode)})"
    target = aside / entry.relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        n = 1
        while os.path.lexists(target):
            target = target.with_name(f"{target.name}.{n}")
            n += 1
        os.rename(entry.path, target)  # moves the link, FIFO or device node itself
    except OSError as exc:
        raise NotRegular(exc.errno, f"{what} could not be moved aside: {exc.strerror}") from exc
    return f"{what} moved to quarantine"


def _unlink_hard_link(entry: Entry) -> str:
    """Replace the hard link ``entry`` with a copy that shares no inode with anything."""
    info = os.lstat(entry.path)
    fresh = entry.path.with_name(f".{entry.path.name}.mlsd-copy")
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    src = os.open(entry.path, flags)
    try:
        dst = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            while chunk := os.read(src, CHUNK):
                os.write(dst, chunk)
        finally:
            os.close(dst)
    finally:
        os.close(src)
    os.utime(fresh, ns=(info.st_atime_ns, info.st_mtime_ns), follow_symlinks=False)
    os.replace(fresh, entry.path)
    return f"{entry.relative} (hard link) replaced by a copy"
