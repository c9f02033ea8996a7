"""Collecting submissions: an LMS download (folder or zip) or nbgrader's exchange, copied
byte for byte into ``autograder/submitted/<student>/<section>/``.

Nothing in a download is trusted. One bad entry (a name too long for the file system, a file
where the zip also has a folder of that name, a member that cannot be read, a file over the
size limit) is skipped with its reason and the rest is collected. A folder download is read
without following links (links are skipped, with the reason) and regular files only; every
entry is read in chunks up to :attr:`SubmissionLimits.max_file_mb`. Files are written
through fresh temporary files renamed into place, never through a link already there.

Where a file belongs: ``<student>/<file>``, ``<student>/<section>/<file>``, a flat
``<student>_<anything>.ipynb`` (the longest roster id followed by ``_``; a name that fits
two roster ids is skipped as ambiguous), or an instructor's LMS pattern (``--name-pattern`` or
``c.MlsdCollect.name_pattern`` in ``autograder/nbgrader_config.py``): a regular expression
matched against the whole path in the download, with the named groups ``student_id``
(required), ``file_id`` (which notebook; default the file's name) and ``timestamp`` (the
submission time; default the file's modification time).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from mlsd import course
from mlsd.grading import untrusted
from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, check_section, expected_notebooks, print_log
from mlsd.grading.roster import STUDENT_ID
from mlsd.grading.settings import SubmissionLimits

# Errors one entry can raise while it is read or written; any of them skips that entry only.
ENTRY_ERRORS = (
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    EOFError,
    zipfile.BadZipFile,
)


@dataclass
class Collected:
    student: str
    path: str  # under submitted/<student>/<section>/
    action: str  # "new", "replaced", "unchanged", "kept newer", "skipped"
    detail: str = ""


@dataclass(frozen=True)
class _Entry:
    name: str  # relative posix path in the download
    stamp: float | None  # modification time (epoch s); None: unknown
    read: Callable[[], bytes] | None  # None: skipped, for ``reason``
    reason: str = ""


# ----------------------------------------------------------------------------- reading


def _entries(source: Path, cap: int) -> Iterator[_Entry]:
    if source.is_file() and zipfile.is_zipfile(source):
        yield from _zip_entries(source, cap)
    elif source.is_dir():
        yield from _folder_entries(source.resolve(), cap)
    else:
        raise ValueError(f"--from={str(source)!r} is neither a folder nor a zip file")


def _zip_entries(source: Path, cap: int) -> Iterator[_Entry]:
    archive = zipfile.ZipFile(source)
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            stamp = datetime(*info.date_time).timestamp()
        except ValueError:
            stamp = None

        def read(info=info) -> bytes:
            with archive.open(info) as member:  # decompressed in chunks, stopped at the cap
                return untrusted.read_capped(member, cap, info.filename)

        yield _Entry(info.filename, stamp, read)


def _folder_entries(source: Path, cap: int) -> Iterator[_Entry]:
    for entry in untrusted.walk(source):
        if stat.S_ISDIR(entry.mode):
            continue
        if not stat.S_ISREG(entry.mode):
            reason = f"{untrusted.kind(entry.mode)}: not followed, only regular files are read"
            yield _Entry(entry.relative, None, None, reason)
            continue
        try:
            stamp = os.lstat(entry.path).st_mtime
        except OSError as exc:
            yield _Entry(entry.relative, None, None, f"unreadable: {exc.strerror}")
            continue
        yield _Entry(entry.relative, stamp, lambda p=entry.path: untrusted.read_regular(p, cap))


# ----------------------------------------------------------------------------- placing


@dataclass(frozen=True)
class NamePattern:
    """An instructor's description of LMS file names (see the module docstring)."""

    regex: re.Pattern

    @classmethod
    def parse(cls, pattern: str) -> NamePattern:
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            message = f"--name-pattern={pattern!r} is not a regular expression: {exc}"
            raise ValueError(message) from None
        if "student_id" not in regex.groupindex:
            raise ValueError(
                f"--name-pattern={pattern!r} has no (?P<student_id>...) group; "
                "optional groups: file_id, timestamp"
            )
        return cls(regex)

    def match(self, name: str) -> tuple[str, str, float | None] | str:
        """(student, file name, timestamp or None) of an entry, or why it does not fit."""
        found = self.regex.fullmatch(name)
        if not found:
            return f"does not match the name pattern {self.regex.pattern!r}"
        groups = found.groupdict()
        filename = groups.get("file_id") or PurePosixPath(name).name
        stamp = None
        if groups.get("timestamp"):
            stamp = _parse_time(groups["timestamp"])
            if stamp is None:
                return f"timestamp {groups['timestamp']!r} is not a date and time"
        return groups["student_id"] or "", filename, stamp


def _parse_time(text: str) -> float | None:
    from dateutil import parser

    try:
        return parser.parse(text).timestamp()
    except (ValueError, OverflowError):
        return None


def configured_name_pattern(root: Path) -> str | None:
    """``c.MlsdCollect.name_pattern`` from ``autograder/nbgrader_config.py``, if set."""
    from traitlets.config.loader import PyFileConfigLoader

    path = root / "autograder"
    if not (path / "nbgrader_config.py").is_file():
        return None
    config = PyFileConfigLoader("nbgrader_config.py", path=str(path)).load_config()
    if "MlsdCollect" in config and config.MlsdCollect.get("name_pattern"):
        return str(config.MlsdCollect.name_pattern)
    return None


def _flat_owner(name: str, roster: set[str]) -> str:
    """The roster id that ``<id>_<anything>`` starts with, or why none can be chosen."""
    owners = [s for s in roster if name.startswith(s + "_")]
    if len(owners) == 1:
        return owners[0]
    if owners:  # e.g. bob and bob_x for bob_x_attempt.ipynb: either could have sent it
        listed = " or ".join(sorted(owners, key=len))
        return f"ambiguous: could be {listed}; use <student>/<file> or --name-pattern"
    return (
        "no roster id followed by '_' starts the name (import the roster first, "
        "or describe the LMS names with --name-pattern)"
    )


def _notebook_for(filename: str, expected: list[str]) -> str | None:
    """The released notebook name a submitted notebook stands for, if it can be told."""
    if filename in expected:
        return filename
    stem_matches = [e for e in expected if PurePosixPath(e).stem in filename]
    if len(expected) == 1:
        return expected[0]
    if len(stem_matches) == 1:
        return stem_matches[0]
    return None


def _target(
    name: str,
    section: str,
    expected: list[str],
    roster: set[str],
    pattern: NamePattern | None = None,
) -> tuple[str, str, float | None] | str:
    """(student, file name, timestamp or None) for an LMS entry, or the reason it is skipped."""
    parts = PurePosixPath(name).parts
    if not parts or any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "hidden or system file"
    stamp = None
    if pattern is not None:
        matched = pattern.match(name)
        if isinstance(matched, str):
            return matched
        student, filename, stamp = matched
        rest = list(PurePosixPath(filename).parts) or [""]
    elif len(parts) >= 2:
        student, rest = parts[0], list(parts[1:])
        if rest[0] == section and len(rest) > 1:
            rest = rest[1:]
    elif parts[0].endswith(".ipynb") and "_" in parts[0]:
        student = _flat_owner(parts[0], roster)
        if student not in roster:
            return student
        rest = [parts[0][len(student) + 1 :]]
    else:
        return "not <student>/<file> nor <student>_<anything>.ipynb"
    if not STUDENT_ID.match(student):
        return f"student id {student!r} is not a valid id"
    if any(p in ("", ".", "..") or p.startswith(".") for p in rest):
        return "hidden or relative path"
    filename = "/".join(rest)
    if filename.endswith(".ipynb") and filename not in expected:
        notebook = _notebook_for(filename, expected)
        if notebook is None:
            return f"cannot tell which of {expected} this notebook is"
        filename = notebook
    return student, filename, stamp


# ----------------------------------------------------------------------------- writing


def _safe_parent(base: Path, relative: str) -> Path:
    """``base / relative``'s folder, created where missing; refuses a link or file in the way
    (a folder made by an earlier ``nbgrader collect`` may hold links a student left)."""
    base.mkdir(parents=True, exist_ok=True)
    folder = base
    for part in PurePosixPath(relative).parts[:-1]:
        folder = folder / part
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            folder.mkdir()
            continue
        if not stat.S_ISDIR(mode):
            raise NotADirectoryError(
                20, f"{untrusted.kind(mode)} in the way at {folder.relative_to(base)}"
            )
    return folder


def _write_new(path: Path, data: bytes, stamp: float | None) -> None:
    """Write ``data`` to a fresh file and rename it to ``path``: a link at ``path`` is
    replaced, never written through."""
    fresh = path.with_name(f".mlsd-collect-{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(fresh, flags, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if stamp is not None:
            os.utime(fresh, (stamp, stamp))
        os.replace(fresh, path)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise


def _place(
    ag: Path, section: str, target: tuple[str, str], data: bytes, stamp: float, origin: str
) -> tuple[str, str]:
    """Write one file of a submission (``target``: student, file name) that came from the
    download's ``origin``; (action, detail)."""
    student, filename = target
    moved = ""
    base = ag / "submitted" / student / section
    _safe_parent(ag / "submitted", f"{student}/{section}/x")
    dest = _safe_parent(base, filename) / PurePosixPath(filename).name
    try:
        info = os.lstat(dest)
    except FileNotFoundError:
        info = None
    action = "new"
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(21, f"a {untrusted.kind(info.st_mode)} is in the way")
        if untrusted.read_regular(dest, max(len(data), info.st_size)) == data:
            return "unchanged", ""
        if info.st_mtime > stamp:
            return "kept newer", f"existing copy is newer than {origin}"
        keep = ag / "replaced" / student / section / f"{filename}.{int(info.st_mtime)}"
        _safe_parent(ag / "replaced", keep.relative_to(ag / "replaced").as_posix())
        os.rename(dest, keep)
        action = "replaced"
        moved = f"older copy moved to {keep.relative_to(ag.parent)}"
    _write_new(dest, data, stamp)
    return action, moved


def collect(
    root: Path,
    section: str,
    source: Path | None,
    log: Log = print_log,
    name_pattern: str | None = None,
    limits: SubmissionLimits | None = None,
) -> list[Collected]:
    """Copy LMS submissions into ``autograder/submitted/<student>/<section>/`` byte for byte.

    ``source`` is a folder or zip (layouts in the module docstring); ``None`` runs
    ``nbgrader collect`` from the configured exchange instead. ``name_pattern``: the LMS's
    file names as a regular expression (default: ``c.MlsdCollect.name_pattern`` of the
    course's ``nbgrader_config.py``, else the built-in layouts). An existing submission that
    is newer than the incoming one is kept and reported; an older one is replaced and its
    bytes moved to ``autograder/replaced/``. Entries that cannot be placed, read or written
    are skipped with the reason; the rest is collected."""
    check_section(root, section)
    limits = limits or SubmissionLimits()
    if source is None:
        proc = course.nbgrader(root, "collect", section, "--update")
        log(proc.stdout + proc.stderr)
        return []
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"--from={str(source)!r} does not exist")
    if name_pattern is None:
        name_pattern = configured_name_pattern(root)
    pattern = NamePattern.parse(name_pattern) if name_pattern else None
    expected = expected_notebooks(root, section)
    ag = root / "autograder"
    with open_gradebook(root) as gb:
        roster = {s.id for s in gb.students}
    best: dict[tuple[str, str], tuple[float, _Entry]] = {}
    results: list[Collected] = []
    for entry in _entries(source, limits.max_file_bytes):
        if entry.read is None:
            results.append(Collected("", entry.name, "skipped", entry.reason))
            continue
        target = _target(entry.name, section, expected, roster, pattern)
        if isinstance(target, str):
            results.append(Collected("", entry.name, "skipped", target))
            continue
        student, filename, stamp = target
        stamp = stamp if stamp is not None else entry.stamp
        stamp = stamp if stamp is not None else 0.0
        key = (student, filename)
        if key in best and best[key][0] >= stamp:
            results.append(
                Collected(student, entry.name, "skipped", "a newer copy is in the batch")
            )
            continue
        if key in best:
            results.append(Collected(student, best[key][1].name, "skipped", "newer copy in batch"))
        best[key] = (stamp, entry)
    newest: dict[str, float] = {}
    for (student, filename), (stamp, entry) in sorted(best.items()):
        note = "" if student in roster else "student not on the roster"
        try:
            data = entry.read()
            action, detail = _place(ag, section, (student, filename), data, stamp, entry.name)
        except untrusted.TooLarge:
            cap = limits.max_file_mb
            results.append(
                Collected(student, entry.name, "skipped", f"over the {cap} MB limit per file")
            )
            continue
        except ENTRY_ERRORS as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            results.append(Collected(student, entry.name, "skipped", f"{reason}"[:200]))
            continue
        if action in ("new", "replaced"):
            newest[student] = max(newest.get(student, 0.0), stamp)
        if action != "kept newer":
            detail = "; ".join(x for x in (detail, note) if x)
        results.append(Collected(student, filename, action, detail))
    for student, stamp in newest.items():
        when = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        try:
            _write_new(ag / "submitted" / student / section / "timestamp.txt", when.encode(), None)
        except OSError as exc:
            log(f"warning: {student}: timestamp.txt not written: {exc.strerror}")
    for item in results:
        if item.action != "unchanged":
            who = f"{item.student}: " if item.student else ""
            log(f"{item.action:10} {who}{item.path} {item.detail}".rstrip())
    counts = Counter(r.action for r in results)
    log("collected: " + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    return results
