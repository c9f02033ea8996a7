"""Screening a submission before it is graded: a digest of its files (to skip unchanged
ones) and the statuses decided without running it (no notebook, not a valid notebook)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from mlsd.grading.status import Status


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _notebook_validator(minor: int):
    from nbformat.validator import get_validator

    try:  # fastjsonschema is about 10x faster than jsonschema on a notebook
        return get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:
        return get_validator(version=4, version_minor=minor)


def screen(folder: Path, expected: list[str]) -> tuple[Status, str] | None:
    """(status, detail) when a submission cannot be graded at all, else None."""
    missing = [n for n in expected if not (folder / n).is_file()]
    if missing and len(missing) == len(expected):
        return Status.MISSING, f"no {', '.join(missing)} in the submission"
    for name in expected:
        path = folder / name
        if not path.is_file():
            continue
        try:
            nb = json.loads(path.read_bytes().decode("utf-8"))
            if not isinstance(nb, dict) or nb.get("nbformat") != 4:
                raise ValueError("not an nbformat 4 notebook")
            try:
                _notebook_validator(int(nb.get("nbformat_minor", 0))).validate(nb)
            except Exception:  # strict schema failed: let nbformat repair what it can
                nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
        except Exception as exc:  # any parse or schema error: not gradable
            first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            return Status.MALFORMED, f"{name}: {type(exc).__name__}: {first}"
    return None
