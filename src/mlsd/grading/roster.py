"""Importing the class roster (a CSV) into the gradebook's student table."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, print_log

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
ROSTER_COLUMNS = ("id", "first_name", "last_name", "email")


def read_roster(path: Path) -> list[dict[str, str]]:
    """Rows of a roster CSV (columns id, first_name, last_name, email; extra columns ignored).

    Every bad row is reported with its line number in one ValueError."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster file {path} does not exist")
    text = path.read_text("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        raise ValueError(
            f"{path}: line 1: header {header} lacks column(s) {missing}; "
            f"required: {list(ROSTER_COLUMNS)}"
        )
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"line {line}: more fields than the header's {len(header)}")
            continue
        values = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
        if not STUDENT_ID.match(values["id"]):
            problems.append(
                f"line {line}: id={values['id']!r} must be 1-64 letters, digits, '.', '_' or '-'"
                " and start with a letter or digit"
            )
        elif values["id"] in seen:
            problems.append(f"line {line}: id={values['id']!r} repeats line {seen[values['id']]}")
        else:
            seen[values["id"]] = line
        if not values["last_name"] and not values["first_name"]:
            problems.append(f"line {line}: first_name and last_name are both empty")
        if not EMAIL.match(values["email"]):
            problems.append(f"line {line}: email={values['email']!r} is not an e-mail address")
        rows.append(values)
    if problems:
        raise ValueError(f"{path}: bad roster rows:\n  " + "\n  ".join(problems))
    if not rows:
        raise ValueError(f"{path}: the roster has a header but no students")
    return rows


def import_roster(root: Path, path: Path, log: Log = print_log) -> dict[str, int]:
    """Add or update the roster's students in the gradebook (nbgrader's student table)."""
    rows = read_roster(path)
    counts = Counter()
    with open_gradebook(root) as gb:
        known = {s.id for s in gb.students}
        for row in rows:
            gb.update_or_create_student(
                row["id"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                email=row["email"],
            )
            counts["updated" if row["id"] in known else "added"] += 1
    log(f"roster {path}: {counts['added']} added, {counts['updated']} updated")
    return dict(counts)
