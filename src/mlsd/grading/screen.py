"""Screening a submission before it is graded.

Nothing in ``submitted/<student>/<section>/`` is trusted (it may come from ``nbgrader collect``
of a student-writable exchange): :func:`quarantine_folder` first moves aside every entry that
is not a regular file or a folder, then :func:`digest` (to skip unchanged submissions) and
:func:`screen` (statuses decided without running anything: no notebook, too large, not a
valid notebook) read regular files only, never through a link, at most a cap of bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import nbformat

from mlsd.grading import untrusted
from mlsd.grading.settings import SubmissionLimits
from mlsd.grading.status import Status

QUARANTINE = "quarantine"  # autograder/quarantine/<student>/<section>/: what screening moved


def quarantine_folder(ag: Path, student: str, section: str, folder: Path) -> list[str]:
    """Move aside what is not a regular file or folder in a submission (see
    :func:`mlsd.grading.untrusted.quarantine`); one note per entry handled."""
    return untrusted.quarantine(folder, ag / QUARANTINE / student / section)


def digest(folder: Path) -> str:
    """SHA-256 of the names and bytes of the regular files below ``folder`` (no links)."""
    h = hashlib.sha256()
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    for entry in untrusted.regular_files(folder):
        h.update(entry.relative.encode() + b"\0")
        try:
            fd = os.open(entry.path, flags)
        except OSError as exc:  # replaced since it was listed: count that as a change
            h.update(f"unreadable: {exc.errno}".encode())
            continue
        with os.fdopen(fd, "rb", buffering=0) as handle:
            while chunk := handle.read(untrusted.CHUNK):
                h.update(chunk)
    return h.hexdigest()


def _notebook_validator(minor: int):
    from nbformat.validator import get_validator

    try:  # fastjsonschema is about 10x faster than jsonschema on a notebook
        return get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:
        return get_validator(version=4, version_minor=minor)


def screen(
    folder: Path, expected: list[str], limits: SubmissionLimits | None = None
) -> tuple[Status, str] | None:
    """(status, detail) when a submission cannot be graded at all, else None."""
    limits = limits or SubmissionLimits()
    present = {e.relative for e in untrusted.regular_files(folder)}
    missing = [n for n in expected if n not in present]
    if missing and len(missing) == len(expected):
        return Status.MISSING, f"no {', '.join(missing)} in the submission"
    for name in expected:
        if name not in present:
            continue
        try:
            data = untrusted.read_regular(folder / name, limits.max_notebook_bytes)
        except untrusted.TooLarge:
            size = (folder / name).lstat().st_size / 2**20
            return Status.TOO_LARGE, (
                f"{name}: {size:.0f} MB, over the {limits.max_notebook_mb} MB limit"
            )
        except OSError as exc:
            return Status.MALFORMED, f"{name}: unreadable ({exc.strerror or exc})"
        try:
            nb = json.loads(data.decode("utf-8"))
            del data
            if not isinstance(nb, dict) or nb.get("nbformat") != 4:
                raise ValueError("not an nbformat 4 notebook")
            cells = nb.get("cells")
            if isinstance(cells, list) and len(cells) > limits.max_cells:
                return Status.TOO_LARGE, (
                    f"{name}: {len(cells)} cells, over the {limits.max_cells} cell limit"
                )
            try:
                _notebook_validator(int(nb.get("nbformat_minor", 0))).validate(nb)
            except Exception:  # strict schema failed: let nbformat repair what it can
                nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
        except Exception as exc:  # any parse or schema error: not gradable
            first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            return Status.MALFORMED, f"{name}: {type(exc).__name__}: {first}"
    return None
