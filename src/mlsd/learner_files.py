"""Files a notebook saves in the learner's own folder: written atomically, never clobbered.

A learner's work is sacred, so every save here

- writes a temporary file in the same folder, then renames it over the target
  (``os.replace`` is atomic on POSIX and Windows): a kernel killed mid-save leaves the old
  file or the new one, never half of each;
- refuses to replace a file that is not ours: a target that exists but does not carry our
  ``format`` marker (a learner's own file with the same name, or one damaged by hand) is
  left alone and the save raises ``ValueError`` naming it.

The data is flushed to the operating system before the rename but not fsync'ed: a kernel
restart (what a notebook meets) cannot lose it, and the widgets save on every keystroke,
where an fsync costs milliseconds a time on a busy disk. A power cut may lose the last
seconds of typing.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FORMAT_KEY = "format"


def read_json(path, fmt: str) -> dict | None:
    """The data at ``path`` if it is a JSON object marked ``format: fmt``; None when the file
    does not exist. A file that exists but is not ours raises ``ValueError``."""
    target = Path(path)
    if not target.exists():
        return None
    try:
        data = json.loads(target.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(
            f"{target} is not a readable {fmt} file ({exc}); it was left as it is."
        ) from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != fmt:
        raise ValueError(f"{target} is not a {fmt} file; it was left as it is.")
    return data


def write_json_atomic(path, data: dict, fmt: str) -> Path:
    """Save ``data`` (marked ``format: fmt``) to ``path`` atomically; never replaces a file
    that is not a ``fmt`` file."""
    target = Path(path)
    if target.exists():
        read_json(target, fmt)  # raises when the existing file is not ours
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({**data, FORMAT_KEY: fmt}, indent=1, ensure_ascii=False, sort_keys=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path, text: str) -> Path:
    """Write a generated text file (an HTML debrief) atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
