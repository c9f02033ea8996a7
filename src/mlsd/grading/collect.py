"""Collecting submissions: an LMS download (folder or zip) or nbgrader's exchange, copied
byte for byte into ``autograder/submitted/<student>/<section>/``."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from mlsd import course
from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, check_section, expected_notebooks, print_log
from mlsd.grading.roster import STUDENT_ID


@dataclass
class Collected:
    student: str
    path: str  # under submitted/<student>/<section>/
    action: str  # "new", "replaced", "unchanged", "kept newer", "skipped"
    detail: str = ""


def _entries(source: Path):
    """(relative posix name, mtime as epoch seconds, bytes reader) for each file."""
    if source.is_file() and zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        for info in archive.infolist():
            if info.is_dir():
                continue
            stamp = datetime(*info.date_time).timestamp()
            yield info.filename, stamp, (lambda i=info: archive.read(i))
    elif source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                rel = path.relative_to(source).as_posix()
                yield rel, path.stat().st_mtime, path.read_bytes
    else:
        raise ValueError(f"--from={str(source)!r} is neither a folder nor a zip file")


def _target(name: str, section: str, expected: list[str]) -> tuple[str, str] | str:
    """(student, file name) for an LMS entry, or the reason it is skipped."""
    parts = PurePosixPath(name).parts
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "hidden or system file"
    if len(parts) >= 2:
        student, rest = parts[0], list(parts[1:])
        if rest[0] == section and len(rest) > 1:
            rest = rest[1:]
    elif parts[0].endswith(".ipynb") and "_" in parts[0]:
        student, rest = parts[0].split("_", 1)[0], [parts[0].split("_", 1)[1]]
    else:
        return "not <student>/<file> nor <student>_<anything>.ipynb"
    if not STUDENT_ID.match(student):
        return f"student id {student!r} is not a valid id"
    filename = "/".join(rest)
    if filename.endswith(".ipynb") and filename not in expected:
        stem_matches = [e for e in expected if PurePosixPath(e).stem in filename]
        if len(expected) == 1:
            filename = expected[0]
        elif len(stem_matches) == 1:
            filename = stem_matches[0]
        else:
            return f"cannot tell which of {expected} this notebook is"
    return student, filename


def collect(root: Path, section: str, source: Path | None, log: Log = print_log) -> list[Collected]:
    """Copy LMS submissions into ``autograder/submitted/<student>/<section>/`` byte for byte.

    ``source`` is a folder or zip (``<student>/<notebook>.ipynb``,
    ``<student>/<section>/<notebook>.ipynb`` or ``<student>_<anything>.ipynb``); ``None``
    runs ``nbgrader collect`` from the configured exchange instead. An existing submission
    that is newer than the incoming one is kept and reported; an older one is replaced and
    its bytes moved to ``autograder/replaced/``."""
    check_section(root, section)
    if source is None:
        proc = course.nbgrader(root, "collect", section, "--update")
        log(proc.stdout + proc.stderr)
        return []
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"--from={str(source)!r} does not exist")
    expected = expected_notebooks(root, section)
    ag = root / "autograder"
    best: dict[tuple[str, str], tuple[float, Callable[[], bytes], str]] = {}
    results: list[Collected] = []
    for name, stamp, read in _entries(source):
        target = _target(name, section, expected)
        if isinstance(target, str):
            results.append(Collected("", name, "skipped", target))
            continue
        if target in best and best[target][0] >= stamp:
            results.append(Collected(target[0], name, "skipped", "a newer copy is in the batch"))
            continue
        if target in best:
            results.append(Collected(target[0], best[target][2], "skipped", "newer copy in batch"))
        best[target] = (stamp, read, name)
    with open_gradebook(root) as gb:
        roster = {s.id for s in gb.students}
    newest: dict[str, float] = {}
    for (student, filename), (stamp, read, name) in sorted(best.items()):
        dest = ag / "submitted" / student / section / filename
        data = read()
        detail = "" if student in roster else "student not on the roster"
        if dest.exists():
            if dest.read_bytes() == data:
                results.append(Collected(student, filename, "unchanged", detail))
                continue
            if dest.stat().st_mtime > stamp:
                results.append(
                    Collected(
                        student, filename, "kept newer", f"existing copy is newer than {name}"
                    )
                )
                continue
            keep = ag / "replaced" / student / section / f"{filename}.{int(dest.stat().st_mtime)}"
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(dest, keep)
            action = "replaced"
            detail = f"older copy moved to {keep.relative_to(root)}" + (
                f"; {detail}" if detail else ""
            )
        else:
            action = "new"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        os.utime(dest, (stamp, stamp))
        newest[student] = max(newest.get(student, 0.0), stamp)
        results.append(Collected(student, filename, action, detail))
    for student, stamp in newest.items():
        when = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        (ag / "submitted" / student / section / "timestamp.txt").write_text(when)
    for item in results:
        if item.action != "unchanged":
            who = f"{item.student}: " if item.student else ""
            log(f"{item.action:10} {who}{item.path} {item.detail}".rstrip())
    counts = Counter(r.action for r in results)
    log("collected: " + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    return results
