"""The debrief of a mock interview: JSON and a readable HTML page in the learner's folder, a
row in the debrief log the section 11 planner reads, and the history across mocks.

Order matters (and the widget enforces it): the learner scores themselves on section 8's rubric
first; only then does the checker's suggestion per dimension, and the gap between the two,
appear; only then the reference design.

The row logged for the study planner (section 8's self-assessment CSV format, which
``mlsd.studyplan`` reads) takes, per dimension, the *lower* of the self-score and the checker's
suggestion: the checker cannot credit quality it cannot see, and a self-score cannot credit a
part the checker shows missing or contradicted. The conservative score is the one to plan
practice from. The problem is named as the planner names it (``Problem 3 · ...``), so its
spaced-repetition reviews and the mock line up.

Everything written here quotes the learner's own text: the HTML page escapes all of it.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from mlsd import designs, interview, interviewer, learner_files, rubric

FORMAT = "mlsd-mock-debrief"
LOG_NAME = rubric.DEFAULT_CSV  # self_assessment.csv, next to the notebook


def build(session: interview.MockSession, self_scores) -> dict:
    """The debrief of a finished mock, as plain data."""
    mine = rubric.validate_scores(self_scores)
    parsed = session.parsed()
    pacing = session.pacing_view()
    findings = interviewer.review(parsed.design, pacing)
    suggested = interviewer.suggested_scores(parsed.design, pacing)
    logged = {k: min(mine[k], suggested[k]) for k in rubric.KEYS}
    total = rubric.weighted_total(logged)
    return {
        "id": session.data["id"],
        "problem": session.problem,
        "problem_label": interview.problem_label(session.problem),
        "length_min": session.data["length_min"],
        "minutes_used": round(session.elapsed_s / 60, 1),
        "phase_minutes": {k: round(v, 1) for k, v in pacing["phase_minutes"].items()},
        "created": session.data["created"],
        "scored": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "self_scores": mine,
        "suggested_scores": suggested,
        "gaps": interviewer.score_gaps(mine, suggested),
        "logged_scores": logged,
        "self_total": rubric.weighted_total(mine),
        "suggested_total": rubric.weighted_total(suggested),
        "total": total,
        "band": rubric.hire_band(total),
        "findings": [f.to_dict() for f in findings],
        "follow_ups": [
            {"key": f.key, "question": f.question, "answered": f.answered}
            for f in interviewer.follow_ups(parsed.design)
        ],
        "parse_errors": [list(e) for e in parsed.errors],
        "design": parsed.design.to_dict(),
    }


def weakest(debrief: dict, n: int = 2) -> list[str]:
    """The dimensions whose gap to 80 costs the most weighted points (what to practise)."""
    return [k for k, _gain in rubric.practice_gains(debrief["logged_scores"])[:n]]


def html_page(debrief: dict) -> str:
    """A standalone, readable page; every piece of learner text is escaped."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(rubric.DIMENSION_BY_KEY[k].name)}</td>"
        f"<td>{debrief['self_scores'][k]:.0f}</td><td>{debrief['suggested_scores'][k]:.0f}</td>"
        f"<td>{debrief['gaps'][k]:+.0f}</td><td>{debrief['logged_scores'][k]:.0f}</td></tr>"
        for k in rubric.KEYS
    )
    findings = "".join(
        f"<li><b>{e(f['costs'])}</b>: {e(f['says'])} <i>Fix:</i> {e(f['fix'])}</li>"
        for f in debrief["findings"]
    )
    follow = "".join(
        f"<li>{e(f['question'])} {'(answered)' if f['answered'] else '(<b>not answered</b>)'}</li>"
        for f in debrief["follow_ups"]
    )
    design = designs.to_html(designs.Design.from_dict(debrief["design"]), "Your design")
    practise = ", ".join(e(rubric.DIMENSION_BY_KEY[k].name) for k in weakest(debrief)) or "none"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Mock interview debrief · {e(debrief["problem_label"])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}
td,th{{border:1px solid #999;padding:4px 8px}}table{{border-collapse:collapse}}</style>
</head><body>
<h1>Mock interview debrief</h1>
<p><b>{e(debrief["problem_label"])}</b> · {debrief["length_min"]} minutes
({debrief["minutes_used"]:g} used) · {e(debrief["created"])}</p>
<p>Logged total <b>{debrief["total"]:.1f}</b> ({e(debrief["band"])}); you scored yourself
{debrief["self_total"]:.1f}, the checker suggests {debrief["suggested_total"]:.1f}.
Practise next: <b>{practise}</b>.</p>
<h2>Scores</h2>
<table><tr><th>dimension</th><th>you</th><th>checker</th><th>gap</th><th>logged</th></tr>
{rows}</table>
<h2>The interviewer's notes</h2><ul>{findings or "<li>No findings.</li>"}</ul>
<h2>Follow-up questions</h2><ul>{follow or "<li>None for this problem.</li>"}</ul>
<h2>Your design</h2>{design}
</body></html>
"""


class DebriefStore:
    """Debriefs next to the mocks (``mock-interviews/<id>-debrief.json`` and ``.html``) and
    the log row for the planner (``self_assessment.csv`` in the learner's folder by default)."""

    def __init__(self, folder=".", log_path=None):
        self.folder = Path(folder).expanduser() / interview.FOLDER
        self.log_path = Path(log_path) if log_path else Path(folder).expanduser() / LOG_NAME

    def save(self, debrief: dict) -> tuple[Path, Path]:
        base = self.folder / f"{debrief['id']}-debrief"
        json_path = learner_files.write_json_atomic(base.with_suffix(".json"), debrief, FORMAT)
        html_path = learner_files.write_text_atomic(base.with_suffix(".html"), html_page(debrief))
        return json_path, html_path

    def log(self, debrief: dict) -> Path:
        """Append the debrief's row to the planner's log (never rewrites earlier rows)."""
        when = dt.datetime.fromisoformat(debrief["scored"])
        row = rubric.assessment_row(debrief["problem_label"], debrief["logged_scores"], when)
        return rubric.append_assessment(self.log_path, row)

    def history(self) -> list[dict]:
        """Every saved debrief, oldest first (unreadable files are skipped)."""
        out = []
        for path in sorted(self.folder.glob("*-debrief.json")) if self.folder.is_dir() else []:
            try:
                data = learner_files.read_json(path, FORMAT)
            except ValueError:
                continue
            out.append(data)
        return sorted(out, key=lambda d: d["scored"])
