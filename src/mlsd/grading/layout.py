"""Where a section's files are in the nbgrader course root, shared by the grading stages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mlsd import course

Log = Callable[[str], None]


def print_log(message: str) -> None:
    print(message, flush=True)


def check_section(root: Path, section: str) -> None:
    known = course.sections(root)
    if section not in known:
        raise ValueError(f"section={section!r} is not a section under solutions/; one of {known}")


def expected_notebooks(root: Path, section: str) -> list[str]:
    """The released notebook names of ``section`` (what a submission must contain)."""
    names = sorted(p.name for p in (root / "course" / section).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"course/{section}/ has no notebooks; run `mlsd grade release`")
    return names
