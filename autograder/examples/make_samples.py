"""Build the sample class of the walkthrough in autograder/README.md.

Writes ``09-common-mistakes-submissions.zip`` next to this file: the section's submissions
as an LMS downloads them (``<student>/common-mistakes.ipynb``), for the three students of
``autograder/roster.example.csv``:

- ``ada-l`` hands in the reference answers (full marks on the autograded part);
- ``alan.t`` makes two plausible mistakes, taken from
  ``tests/grading/wrong_answers/s09_common_mistakes.py``;
- ``grace_h`` answers two exercises and leaves the other two and the written answer as
  released.

Each submission is the released notebook (``course/09-common-mistakes/``) with answers put
into its solution cells; the reference answers come from ``solutions/09-common-mistakes/``.
The bytes are reproducible: fixed zip timestamps and file modes, entries stored
uncompressed (deflate output can differ between zlib builds), so re-running the script
after a change of the section shows up as a changed zip and nothing else does.
``tests/grading/test_walkthrough.py`` checks the committed zip equals a fresh build.

Run it with the workbook's venv from anywhere: ``.venv/bin/python
autograder/examples/make_samples.py``.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import nbformat

from mlsd.grading.notebooks import graded_cells, read, set_source, strip_markers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SECTION = "09-common-mistakes"
OUTPUT = HERE / f"{SECTION}-submissions.zip"
WRONG_ANSWERS = ROOT / "tests" / "grading" / "wrong_answers" / "s09_common_mistakes.py"

# (grade id, the wrong answer's description in WRONG_ANSWERS)
ALAN_MISTAKES = [
    ("mistake-quiz", "any model named counts as jumping to a solution, questions or not"),
    ("choose-phase", "off at the boundary: > instead of >= (1,000 users stays in phase 1)"),
]
GRACE_ANSWERED = ["mistake-quiz", "choose-phase"]  # the rest stays as released
# alan.t's written answer (graded by hand): numbers, but no units for two and no sources
ALAN_WRITTEN = """\
1. Storage: we keep every trip, about 10 TB.
2. Latency: the ETA must come back in under 100.
3. Accuracy: ETAs should be right 95 of the time."""
# when each student handed in (the zip entries' modification times, local time)
SUBMITTED_AT = {
    "ada-l": (2025, 3, 14, 16, 2, 10),
    "alan.t": (2025, 3, 14, 23, 58, 40),
    "grace_h": (2025, 3, 15, 9, 30, 0),
}


def _wrong_answers() -> dict[str, list[tuple[str, str]]]:
    spec = importlib.util.spec_from_file_location("_s09_wrong_answers", WRONG_ANSWERS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WRONG_ANSWERS


def _wrong(grade_id: str, description: str) -> str:
    for text, source in _wrong_answers()[grade_id]:
        if text == description:
            return source.strip()
    raise KeyError(f"{WRONG_ANSWERS.name} has no wrong answer {description!r} for {grade_id}")


def reference_answers(root: Path = ROOT) -> dict[str, str]:
    """grade id -> the reference answer of every solution cell, written answer included."""
    (path,) = (root / "solutions" / SECTION).glob("*.ipynb")
    return {
        cell.grade_id: strip_markers(cell.source).strip()
        for cell in graded_cells(read(path))
        if cell.kind in ("solution", "manual")
    }


def answers(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """student -> {grade id: answer} put into the released notebook."""
    ref = reference_answers(root)
    written = [k for k, v in ref.items() if k.startswith("numbers-rewrite")]
    alan = dict(ref) | {g: _wrong(g, d) for g, d in ALAN_MISTAKES}
    alan |= {g: ALAN_WRITTEN for g in written}
    return {
        "ada-l": ref,
        "alan.t": alan,
        "grace_h": {g: ref[g] for g in GRACE_ANSWERED},
    }


def submissions(root: Path = ROOT) -> dict[str, bytes]:
    """Zip entry name -> notebook bytes, one notebook per student."""
    (release,) = (root / "course" / SECTION).glob("*.ipynb")
    out = {}
    for student, filled in answers(root).items():
        nb = read(release)
        for grade_id, source in filled.items():
            set_source(nb, grade_id, source)
        out[f"{student}/{release.name}"] = nbformat.writes(nb).encode("utf-8")
    return out


def build(root: Path = ROOT) -> bytes:
    """The zip's bytes: the same for the same section, whoever runs it, whenever."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in sorted(submissions(root).items()):
            info = zipfile.ZipInfo(name, date_time=SUBMITTED_AT[name.split("/")[0]])
            info.create_system = 3  # Unix, so the mode below is read as one
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def main() -> int:
    data = build()
    if OUTPUT.is_file() and OUTPUT.read_bytes() == data:
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
    else:
        OUTPUT.write_bytes(data)
        print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
