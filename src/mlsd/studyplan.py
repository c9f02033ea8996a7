"""Section 11: a study plan from "days until the interview" and "hours per day".

The plan walks the workbook's sections (5 to 11) and the 11 practice problems in order,
splitting an item over days when it does not fit, and reserves mock-interview days (every
``mock_every``-th day and the last day before the interview). When the time is short every
item is shortened in proportion and the plan says by how much; spare time becomes review.

Given the debrief log (section 8's self-assessment CSV, which mock interviews append to as
well), review time goes where it pays: problems come back on a spaced-repetition schedule
(``next_review``: a failed attempt tomorrow, each pass in a row doubles the gap), and the
rest practises the rubric dimension whose gap to the bar costs the most points
(``mlsd.rubric.practice_gains``). Exports write CSV or iCalendar (RFC 5545) to a path the
caller gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mlsd import rubric
from mlsd.practice import problems
from mlsd.validation import require_int, require_number

DAY_START_HOUR = 9.0  # sessions start at 09:00 local time
MOCK_HOURS = 1.0  # one 45-60 minute mock interview plus a few minutes of notes
PROBLEM_HOURS = 1.0  # a timed 45-minute attempt plus comparing with the worksheet
MAX_DAYS = 365
HOURS_RANGE = (0.5, 16.0)
SECTIONS = (  # (folder, label, hours)
    ("05-common-ml-systems", "Section 5 · Common ML systems", 2.0),
    ("06-tradeoffs", "Section 6 · Trade-offs", 1.5),
    ("07-practical-tips", "Section 7 · Practical tips", 1.5),
    ("08-evaluation-rubric", "Section 8 · Evaluation rubric", 1.0),
    ("09-common-mistakes", "Section 9 · Common mistakes", 1.0),
    ("10-practice-problems", "Section 10 · Practice problems notebook", 1.5),
)
FINAL_SECTION = ("11-resources", "Section 11 · Resources and self-check", 0.5)
KINDS = ("section", "problem", "mock", "review")
COLUMNS = ("day", "date", "start", "end", "hours", "item", "kind")
# Spaced repetition of practice problems (a Leitner-style rule): an attempt whose rubric
# total reaches the hire band passes; a failed attempt comes back the next day, and each pass
# in a row doubles the gap, up to about two weeks.
PASS_TOTAL = 65.0
MAX_INTERVAL_DAYS = 16
MIN_REVIEW_HOURS = 0.5
REVIEW_LABEL = "Review: redo your weakest problem"


@dataclass(frozen=True)
class Plan:
    sessions: pd.DataFrame  # one row per session, columns COLUMNS
    interview: dt.date
    work_hours: float  # hours the items need
    capacity_hours: float  # hours available outside mock interviews
    scale: float  # 1.0, or < 1 when every item was shortened to fit
    mock_days: tuple[int, ...]

    def summary(self) -> str:
        fit = (
            "everything fits"
            if self.scale >= 1
            else f"not enough time: every item is shortened to {self.scale:.0%} of its time"
        )
        return (
            f"{len(self.sessions['day'].unique())} study days until the interview on "
            f"{self.interview:%a %d %b %Y}; {len(self.mock_days)} mock interview(s); "
            f"{self.work_hours:g} h of material in {self.capacity_hours:g} h available: {fit}."
        )


def work_items() -> list[tuple[str, str, float]]:
    """(label, kind, hours) in study order: sections, the 11 problems, then section 11."""
    items = [(label, "section", hours) for _folder, label, hours in SECTIONS]
    items += [(f"Problem {p.number} · {p.title}", "problem", PROBLEM_HOURS) for p in problems()]
    items.append((FINAL_SECTION[1], "section", FINAL_SECTION[2]))
    return items


def mock_days(days: int, mock_every: int) -> tuple[int, ...]:
    """Day indices (0 = today) of mock interviews: each ``mock_every``-th day and the last."""
    days = require_int("days", days, 1, MAX_DAYS)
    every = require_int("mock_every", mock_every, 0, MAX_DAYS)
    chosen = set(range(every - 1, days, every)) if every else set()
    if days >= 2:
        chosen.add(days - 1)
    return tuple(sorted(chosen))


def review_interval(totals) -> int:
    """Days from a problem's last attempt to its next review: 1 when the last attempt
    failed, else 2 ** (passes in a row at the end), at most MAX_INTERVAL_DAYS."""
    streak = 0
    for i, total in enumerate(reversed(list(totals))):
        total = require_number(f"totals[-{i + 1}]", total, 0, 100, unit="points")
        if total < PASS_TOTAL:
            break
        streak += 1
    return 1 if streak == 0 else min(2**streak, MAX_INTERVAL_DAYS)


def next_review(attempts, today: int) -> int:
    """Day number of one problem's next review. ``attempts`` are (day, total) pairs in time
    order; a problem never attempted is due ``today``. A day before today means overdue."""
    today = require_int("today", today)
    attempts = list(attempts)
    if not attempts:
        return today
    days = [require_int("attempt day", d) for d, _t in attempts]
    if days != sorted(days):
        raise ValueError(f"attempts must be in time order; got days {days}.")
    return days[-1] + review_interval([t for _d, t in attempts])


def _day_of(timestamp: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(str(timestamp)).date()
    except ValueError:
        raise ValueError(
            f"timestamp must be an ISO date-time (as section 8's log writes it); got {timestamp!r}."
        ) from None


def due_reviews(log_rows, today: dt.date | None = None) -> list[tuple[str, dt.date]]:
    """(problem, due date) for every problem in a debrief log (rows of
    ``rubric.load_assessments``), soonest first; overdue problems keep their past date."""
    today = dt.date.today() if today is None else _as_date(today)
    attempts: dict[str, list[tuple[int, float]]] = {}
    for row in log_rows:
        day = (_day_of(row["timestamp"]) - today).days
        attempts.setdefault(str(row["problem"]), []).append((day, float(row["total"])))
    due = []
    for problem, seen in attempts.items():
        seen.sort(key=lambda dt_: dt_[0])
        due.append((problem, today + dt.timedelta(days=next_review(seen, 0))))
    return sorted(due, key=lambda pd_: (pd_[1], pd_[0]))


def review_queue(log_rows, first: dt.date) -> tuple[list[tuple[str, dt.date]], str]:
    """What review time should go to, from a debrief log: the problems in spaced-repetition
    order (``due_reviews``) and a label for the dimension whose gap to 80 costs the most
    points (``REVIEW_LABEL`` without a log)."""
    rows = list(log_rows)
    if not rows:
        return [], REVIEW_LABEL
    recent = rubric.recent_scores(rows)
    gains = rubric.practice_gains(recent) if recent else []
    focus = (
        f"Review: practise {rubric.DIMENSION_BY_KEY[gains[0][0]].name.lower()} "
        f"(+{gains[0][1]:.1f} points to 80)"
        if gains
        else REVIEW_LABEL
    )
    return due_reviews(rows, first), focus


def _as_date(start) -> dt.date:
    if isinstance(start, dt.datetime):
        return start.date()
    if isinstance(start, dt.date):
        return start
    raise ValueError(f"start must be a date (datetime.date); got {start!r}.")


def study_plan(days, hours_per_day, start=None, mock_every=7, log=()) -> Plan:
    """Sessions from ``start`` (default today) for ``days`` days before the interview.

    ``log``: rows of the debrief log (``rubric.load_assessments``); when given, spare time
    reviews the problems due on a spaced-repetition schedule and the costliest dimension."""
    days = require_int("days", days, 1, MAX_DAYS)
    hours = require_number("hours_per_day", hours_per_day, *HOURS_RANGE, unit="h")
    first = dt.date.today() if start is None else _as_date(start)
    due, focus = review_queue(log, first)
    mocks = mock_days(days, mock_every)
    items = work_items()
    work = sum(h for _l, _k, h in items)
    free = [hours - (min(MOCK_HOURS, hours) if d in mocks else 0.0) for d in range(days)]
    capacity = sum(free)
    scale = min(1.0, capacity / work) if work else 1.0
    rows: list[tuple] = []
    used = [0.0] * days
    for d in mocks:  # the mock comes first on its day
        used[d] = min(MOCK_HOURS, hours)
        rows.append((d, used[d], "Mock interview (45-60 min, timed, recorded)", "mock", 0.0))
    day = 0
    for label, kind, need in items:
        left, part = need * scale, 1
        while left > 1e-9 and day < days:
            room = hours - used[day]
            if room <= 1e-9:
                day += 1
                continue
            take = min(room, left)
            name = label if (part == 1 and take >= left - 1e-9) else f"{label} (part {part})"
            rows.append((day, take, name, kind, used[day]))
            used[day] += take
            left -= take
            part += 1
    k = 0
    for d in range(days):  # spare time: the problems due for review, else the costliest gap
        spare = hours - used[d]
        if spare > 1e-9:
            labels = []
            # Problems due by this day, soonest first, at least half an hour each; the rest
            # wait for the next day with spare time.
            while (
                k < len(due)
                and due[k][1] <= first + dt.timedelta(days=d)
                and (len(labels) < max(1, int(spare / MIN_REVIEW_HOURS)))
            ):
                labels.append(f"Review: redo {due[k][0]} (due {due[k][1]:%d %b})")
                k += 1
            for label in labels or [focus]:
                share = spare / len(labels or [focus])
                rows.append((d, share, label, "review", used[d]))
                used[d] += share
    return Plan(_sessions(rows, first), first + dt.timedelta(days=days), work, capacity, scale,
                mocks)  # fmt: skip


def _sessions(rows, first: dt.date) -> pd.DataFrame:
    # numpy rather than per-column pandas arithmetic: the planner's callback stays fast.
    rows = sorted(rows, key=lambda r: (r[0], r[4]))
    day = np.array([r[0] for r in rows], dtype=np.int64)
    hours = np.array([r[1] for r in rows], dtype=float)
    offset = np.array([r[4] for r in rows], dtype=float)
    ms_per_hour = 3_600_000
    start = (
        np.datetime64(first, "ms")
        + (day * 24 * ms_per_hour).astype("timedelta64[ms]")
        + np.round((DAY_START_HOUR + offset) * ms_per_hour).astype("timedelta64[ms]")
    )
    end = start + np.round(hours * ms_per_hour).astype("timedelta64[ms]")
    dates = [first + dt.timedelta(days=int(d)) for d in day]
    return pd.DataFrame(
        {
            "day": day,
            "date": dates,
            "start": start,
            "end": end,
            "hours": hours,
            "item": [r[2] for r in rows],
            "kind": [r[3] for r in rows],
        },
        columns=list(COLUMNS),
    )


def _target(path) -> Path:
    if not isinstance(path, str | Path) or str(path).strip() == "":
        raise ValueError(f"path must be a file path (str or pathlib.Path); got {path!r}.")
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise ValueError(f"path must be in an existing folder; {target.parent} does not exist.")
    return target


def to_csv(plan: Plan, path) -> Path:
    """Write the sessions as CSV to ``path``; return the path."""
    target = _target(path)
    out = plan.sessions.copy()
    out["start"] = out["start"].dt.strftime("%Y-%m-%d %H:%M")
    out["end"] = out["end"].dt.strftime("%Y-%m-%d %H:%M")
    out["hours"] = out["hours"].round(3)
    out.to_csv(target, index=False)
    return target


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_text(plan: Plan, stamp: dt.datetime | None = None) -> str:
    """The plan as an iCalendar (RFC 5545) calendar, one VEVENT per session, local times."""
    stamp = stamp or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mlsd workbook//study plan//EN",
        "CALSCALE:GREGORIAN",
    ]
    for i, row in enumerate(plan.sessions.itertuples(index=False)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:mlsd-study-{plan.interview:%Y%m%d}-{i}@mlsd.local",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART:{row.start:%Y%m%dT%H%M%S}",
            f"DTEND:{row.end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_escape(row.item)}",
            f"CATEGORIES:{row.kind}",
            "END:VEVENT",
        ]
    lines += [
        "BEGIN:VEVENT",
        f"UID:mlsd-interview-{plan.interview:%Y%m%d}@mlsd.local",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{plan.interview:%Y%m%d}",
        "SUMMARY:The interview - good luck!",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _fold(line: str, limit: int = 75) -> str:
    """RFC 5545 line folding: at most 75 octets a line, continuation lines start with a space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def to_ical(plan: Plan, path) -> Path:
    """Write the plan as an .ics file to ``path``; return the path."""
    target = _target(path)
    target.write_bytes(ical_text(plan).encode("utf-8"))
    return target
