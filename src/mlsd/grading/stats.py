"""Per-question statistics of a section: a self-contained HTML page (table and chart)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from mlsd.grading import untrusted
from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, check_section, print_log


@dataclass
class QuestionStats:
    question: str
    max_score: float
    n: int
    passed: float  # share of submissions with full marks
    mean: float
    distribution: dict[float, int]
    failures: list[tuple[str, int]]


STATS_READ_CAP = 256 << 20  # bytes of one autograded notebook read for its failure messages


def failure_message(ename: str, evalue: str) -> str:
    """ "Ename: first line" of an error, without repeating a name the message starts with
    (the checks' ``Incorrect`` says "Incorrect (exercise): ...")."""
    lines = (evalue or "").strip().splitlines()
    first = lines[0] if lines else ""
    return (first if first.startswith(ename or "\0") else f"{ename}: {first}")[:200]


def graded_notebooks(root: Path, section: str) -> dict[str, list[str]]:
    """student -> the notebook names the gradebook holds for their submission of ``section``:
    the only autograded files statistics read (a kernel can write other ``*.ipynb``)."""
    from nbgrader.api import MissingEntry

    with open_gradebook(root) as gb:
        try:
            submissions = gb.find_assignment(section).submissions
        except MissingEntry:
            return {}
        return {sub.student.id: [f"{nb.name}.ipynb" for nb in sub.notebooks] for sub in submissions}


def failure_messages(root: Path, section: str) -> dict[str, Counter]:
    """grade id -> Counter of "Ename: first line" from the autograded notebooks' test cells.

    Reads only the notebooks the gradebook knows, as regular files (no link, FIFO...), at most
    :data:`STATS_READ_CAP` bytes each; anything else is skipped."""
    out: dict[str, Counter] = {}
    autograded = root / "autograder" / "autograded"
    for student, names in graded_notebooks(root, section).items():
        for name in names:
            try:
                raw = untrusted.read_regular(autograded / student / section / name, STATS_READ_CAP)
                nb = nbformat.reads(raw.decode("utf-8"), 4)
            except Exception:
                continue
            for cell in nb.cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if not grade_id:
                    continue
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        message = failure_message(output.get("ename"), output.get("evalue"))
                        out.setdefault(grade_id, Counter())[message] += 1
    return out


def question_stats(root: Path, section: str) -> list[QuestionStats]:
    check_section(root, section)
    scores: dict[str, list[float]] = {}
    max_scores: dict[str, float] = {}
    with open_gradebook(root) as gb:
        for sub in gb.find_assignment(section).submissions:
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score:
                        scores.setdefault(grade.name, []).append(float(grade.score))
                        max_scores[grade.name] = float(grade.max_score)
    messages = failure_messages(root, section)
    order = [
        cell.metadata["nbgrader"]["grade_id"]
        for path in sorted((root / "solutions" / section).glob("*.ipynb"))
        for cell in nbformat.read(path, 4).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in scores
    ]
    out = []
    for q in order:
        values = scores[q]
        out.append(
            QuestionStats(
                question=q,
                max_score=max_scores[q],
                n=len(values),
                passed=sum(v >= max_scores[q] for v in values) / len(values),
                mean=sum(values) / len(values),
                distribution=dict(sorted(Counter(values).items())),
                failures=messages.get(q, Counter()).most_common(3),
            )
        )
    return out


def stats(root: Path, section: str, out: Path, log: Log = print_log) -> list[QuestionStats]:
    """A self-contained HTML report: a table and a plotly chart per question."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative
    from plotly.subplots import make_subplots

    rows = question_stats(root, section)
    if not rows:
        raise ValueError(f"section={section!r} has no graded submissions yet; autograde first")
    safe = qualitative.Safe
    names = [r.question for r in rows]
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("Share of the class with full marks", "Score spread")
    )
    fig.add_trace(
        go.Bar(x=names, y=[100 * r.passed for r in rows], marker_color=safe[0], name="passed"),
        row=1,
        col=1,
    )
    for i, r in enumerate(rows):
        values = [v for v, n in r.distribution.items() for _ in range(n)]
        fig.add_trace(
            go.Box(
                y=[100 * v / r.max_score for v in values],
                name=r.question,
                marker_color=safe[(i + 1) % len(safe)],
                boxpoints="all",
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    fig.update_yaxes(title_text="students with full marks (%)", range=[0, 100], row=1, col=1)
    fig.update_yaxes(title_text="score (% of the question's points)", range=[-5, 105], row=1, col=2)
    fig.update_xaxes(title_text="question (grade id)")
    fig.update_layout(title=f"{section}: per-question results", height=520, showlegend=False)
    chart = fig.to_html(full_html=False, include_plotlyjs=True)
    body = []
    for r in rows:
        dist = ", ".join(f"{v:g} pts: {n}" for v, n in r.distribution.items())
        fails = "<br>".join(f"{html.escape(m)} (&times;{n})" for m, n in r.failures) or "&ndash;"
        body.append(
            f"<tr><td>{html.escape(r.question)}</td><td>{r.max_score:g}</td><td>{r.n}</td>"
            f"<td>{100 * r.passed:.0f}%</td><td>{r.mean:.2f}</td><td>{dist}</td>"
            f"<td>{fails}</td></tr>"
        )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(section)} statistics</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
        "</style></head><body>"
        f"<h1>{html.escape(section)}: per-question statistics</h1>"
        "<table class='mlsd-stats'><tr><th>question</th><th>points</th><th>submissions</th>"
        "<th>full marks</th><th>mean score</th><th>score distribution</th>"
        "<th>most common failures</th></tr>" + "".join(body) + "</table>" + chart + "</body></html>"
    )
    Path(out).write_text(page, encoding="utf-8")
    log(f"wrote {out} ({len(rows)} question(s))")
    return rows
