"""Section 11 widgets (resources, study planner, self-check), driven from Python."""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest

from mlsd.checks.core import manifest
from mlsd.timing import median_ms as _median_ms
from mlsd.widgets.resources import (
    ANY,
    SESSION_LABEL_CHARS,
    _short_session,
    resource_table,
    self_check,
    study_planner,
)

BUDGET_MS = 20.0
START = dt.date(2026, 12, 1)


AMAZON = "Amazon.com Recommendations: Item-to-Item Collaborative Filtering"


def test_resource_table_filters_by_topic_and_kind():
    w = resource_table()
    assert "15 of 15" in w.count.value and list(w.fig.data[0].x) == [3, 3, 6, 3]
    w.topic.value = "search"
    assert list(w.rows["title"]) == ["Machine Learning System Design Interview", AMAZON]
    w.kind.value = "write-up"
    assert list(w.rows["title"]) == [AMAZON]
    assert "1 of 15" in w.count.value and AMAZON in w.table.value
    assert list(w.fig.data[0].x) == [0, 0, 1, 0]  # books, online, write-ups, platforms
    w.topic.value, w.kind.value = ANY, "practice"
    assert len(w.rows) == 3
    kinds = ["book", "online", "write-up", "practice", ANY] * 4
    assert _median_ms(lambda k: setattr(w.kind, "value", k), kinds) < BUDGET_MS


def test_resource_table_links_checked_sources_and_says_where_and_when():
    w = resource_table(kind="write-up")
    assert (
        "<a href='https://doi.org/10.1109/MIC.2003.1167344' target='_blank' rel='noopener'>"
        f"{AMAZON}</a>" in w.table.value
    )
    assert "<td>IEEE Internet Computing, 2003</td>" in w.table.value
    w.kind.value = "practice"
    assert "<a href" not in w.table.value  # no checked link, no link


def test_kind_buttons_are_as_wide_as_their_labels():
    # A fixed button width cut "Online courses and channels" short (issue 11, item 3).
    assert resource_table().kind.style.button_width == "auto"


def test_planner_reads_the_debrief_log(tmp_path):
    from mlsd import rubric

    path = tmp_path / "self_assessment.csv"
    w = study_planner(days=30, hours_per_day=2.0, start=START, log_path=str(path))
    assert "No debrief log at" in w.debrief.value and w.log == []
    scores = {**dict.fromkeys(rubric.KEYS, 70.0), "tradeoffs": 30.0}
    when = dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)
    rubric.append_assessment(path, rubric.assessment_row("fraud", scores, when))
    w.log_path.value = str(tmp_path / "other.csv")
    w.log_path.value = str(path)
    assert len(w.log) == 1
    assert "practise trade-offs next (+7.5 points to 80)" in w.debrief.value
    assert "due for review by the first day: fraud" in w.debrief.value
    assert "Review: redo fraud (due 29 Nov)" in set(w.plan.sessions["item"])
    path.write_text("not,a,log\n1,2,3\n")
    w.log_path.value = str(tmp_path / "other.csv")
    w.log_path.value = str(path)
    assert "is not a self-assessment log" in w.message.value


def test_planner_draws_the_timeline_and_updates():
    w = study_planner(days=14, hours_per_day=2.0, start=START)
    sessions = w.plan.sessions
    drawn = sum(len(trace.y) for trace in w.fig.data)
    assert drawn == len(sessions)
    mock = next(t for t in w.fig.data if t.name == "mock")
    assert len(mock.y) == 2 and mock.base[0] == "2026-12-07 00:00"  # a day's time fills it
    assert list(mock.customdata[0]) == ["2026-12-07 09:00", 1.0]  # the real clock time
    assert mock.x[0] == 12 * 3_600_000  # 1 h of a 2 h day = half the day
    assert "14 study days" in w.summary.value
    w.days.value = 3
    assert "shortened" in w.summary.value
    assert _median_ms(lambda d: setattr(w.days, "value", d), range(5, 45)) < BUDGET_MS


def test_planner_names_every_session_on_its_own_row():
    w = study_planner(days=21, hours_per_day=2.0, start=START)
    names = list(dict.fromkeys(w.plan.sessions["item"]))
    axis = w.fig.layout.yaxis
    assert list(axis.tickvals) == names
    assert all(len(text) <= SESSION_LABEL_CHARS for text in axis.ticktext)
    assert w.fig.layout.height >= len(names) * 16  # a row of at least 16 px per session
    w.days.value = 3
    assert list(w.fig.layout.yaxis.tickvals) == list(dict.fromkeys(w.plan.sessions["item"]))


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Section 6 · Trade-offs", "Section 6 · Trade-offs"),
        (
            "Problem 7 · Object detection for an autonomous vehicle (part 1)",
            "Problem 7 · Object detec… (part 1)",
        ),
        ("Mock interview (45-60 min, timed, recorded)", "Mock interview (45-60 min, timed…"),
    ],
)
def test_short_session_names_keep_the_number_and_the_part(name, short):
    assert _short_session(name) == short


def test_planner_bad_input_shows_a_message_and_no_stale_plan():
    w = study_planner(start=START)
    w.hours_per_day.value = 30
    assert "hours_per_day must be in [0.5, 16] h; got 30" in w.message.value
    assert w.plan is None and "fix the input" in w.summary.value
    assert w.export("csv") is None and "no plan to save" in w.message.value
    w.hours_per_day.value = 2
    assert w.message.value == "" and w.plan is not None


def test_planner_exports_to_the_path_typed(tmp_path):
    w = study_planner(days=7, start=START)
    w.path.value = str(tmp_path / "plan.ics")
    w.save_ics.click()
    assert (tmp_path / "plan.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert "Saved" in w.message.value
    w.path.value = str(tmp_path / "plan.csv")
    assert w.export("csv") == tmp_path / "plan.csv"
    w.path.value = ""
    w.save_csv.click()
    assert "path must be a file path" in w.message.value
    w.path.value = str(tmp_path / "missing" / "plan.csv")
    assert w.export("csv") is None and "existing folder" in w.message.value


def _course(tmp_path, passed_ids):
    for section in {e.section for e in manifest().values()}:
        nb = nbformat.v4.new_notebook()
        for ex in manifest().values():
            if ex.section != section:
                continue
            cell = nbformat.v4.new_code_cell("check()")
            cell.metadata["nbgrader"] = {"grade_id": ex.test_cell, "grade": True}
            if ex.id in passed_ids:
                cell.outputs = [
                    nbformat.v4.new_output("stream", text="✓ all visible checks passed.")
                ]
            nb.cells.append(cell)
        (tmp_path / section).mkdir()
        nbformat.write(nb, tmp_path / section / "nb.ipynb")
    return tmp_path


def test_self_check_reads_progress_and_scores_ticks(tmp_path):
    ids = ["practice_estimates", "resources_fix_first"]
    w = self_check(str(_course(tmp_path, ids)))
    assert set(w.progress.loc[w.progress["status"] == "passed", "exercise"]) == set(ids)
    passed = next(t for t in w.fig.data if t.name == "passed")
    assert sum(passed.x) == 2
    assert f"passed: 2 of {len(manifest())}" in w.readiness.value
    assert "as last saved on disk" in w.saved_note.value
    assert "<th style='text-align:left'>notebook last saved</th>" in w.table.value
    assert "just now" in w.table.value
    w.boxes[0].value = True
    assert "checklist 1 of" in w.readiness.value
    assert _median_ms(lambda _i: w.update(), range(15)) < BUDGET_MS
    flips = [not b.value for b in w.boxes]
    assert _median_ms(lambda i: setattr(w.boxes[i], "value", flips[i]), range(len(flips))) < 20


def test_self_check_bad_folder_is_a_message(tmp_path):
    w = self_check()
    assert "Type your course folder" in w.readiness.value
    w.course_dir.value = str(tmp_path / "nowhere")
    w.refresh.click()
    assert "course_dir must be an existing folder" in w.message.value
    assert w.progress is None


@pytest.mark.parametrize("factory", [resource_table, study_planner, self_check])
def test_every_widget_has_a_container_with_a_css_class(factory):
    w = factory()
    assert w.container._dom_classes and w.message.widget in _walk(w.container)


def _walk(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from _walk(child)


def test_kind_is_keyboard_usable_buttons_not_a_drop_down():
    # In JupyterLab the arrow keys on a focused drop-down move between cells instead.
    import ipywidgets as W

    w = resource_table()
    assert isinstance(w.kind, W.ToggleButtons)
    assert [v for _label, v in w.kind.options] == [ANY, "book", "online", "write-up", "practice"]
