"""The list of autograded exercises: ``mlsd/exercises/<section>.toml``, one table per id.

A core module (no Jupyter import), so the self-check, the presenter and the checks all read
the same list; ``mlsd.checks`` re-exports it for test cells.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# The mime type of the machine-readable record every check outcome leaves in its cell's
# output, {"exercise": id, "outcome": "passed" | "incorrect" | "not attempted", "checks": n},
# so the self-check reads outcomes without matching printed wording.
CHECK_OUTCOME_MIME = "application/vnd.mlsd.check+json"


@dataclass(frozen=True)
class Exercise:
    """One autograded exercise as listed in ``mlsd/exercises/<section>.toml``."""

    id: str
    section: str
    title: str
    points: int
    solution_cell: str
    test_cell: str
    hints: tuple[str, ...]


@cache
def manifest() -> dict[str, Exercise]:
    """Every autograded exercise of the workbook, keyed by id (one TOML file per section)."""
    out: dict[str, Exercise] = {}
    folder = resources.files("mlsd").joinpath("exercises")
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".toml"):
            continue
        for key, entry in tomllib.loads(file.read_text("utf-8")).items():
            if key in out:
                raise ValueError(f"exercise id {key!r} is defined twice ({file.name})")
            out[key] = Exercise(id=key, hints=tuple(entry.pop("hints")), **entry)
    return out


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id; ValueError listing the known ids otherwise."""
    try:
        return manifest()[exercise_id]
    except (KeyError, TypeError):
        known = ", ".join(sorted(manifest()))
        raise ValueError(f"exercise_id must be one of {known}; got {exercise_id!r}.") from None
