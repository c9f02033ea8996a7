"""Section 11 core: resources filter, study plan and exports, self-check and progress."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import resources, selfcheck, studyplan
from mlsd.checks.core import manifest

START = dt.date(2026, 12, 1)

# --- resources ----------------------------------------------------------------------------


def test_resources_table_has_every_kind_of_the_guide():
    table = resources.load()
    assert len(table) == 13
    assert table.groupby("kind").size().to_dict() == {
        "book": 3,
        "online": 3,
        "write-up": 4,
        "practice": 3,
    }


def test_topic_matches_whole_names_only():
    search = resources.filter_resources(topic="search")
    assert "ML@CMU" not in set(search["title"])  # its topic is research
    assert set(search["title"]) == {
        "Machine Learning System Design Interview",
        "Amazon product recommendations",
    }
    both = resources.filter_resources(topic="recommendations", kind="write-up")
    assert list(both["title"]) == [
        "YouTube recommendations",
        "Amazon product recommendations",
        "Netflix recommendations",
    ]
    assert len(resources.filter_resources()) == 13


def test_bad_filters_name_the_allowed_values():
    with pytest.raises(ValueError, match="kind must be one of 'book'"):
        resources.filter_resources(kind="video")
    with pytest.raises(ValueError, match="topic must be one of"):
        resources.filter_resources(topic="quantum")


# --- study plan ---------------------------------------------------------------------------


def test_mock_days_rules():
    assert studyplan.mock_days(14, 7) == (6, 13)
    assert studyplan.mock_days(1, 7) == ()
    assert studyplan.mock_days(5, 0) == (4,)
    with pytest.raises(ValueError, match=r"days must be a whole number in \[1, 365\]"):
        studyplan.mock_days(0, 7)


@settings(max_examples=40, deadline=None)
@given(
    days=st.integers(1, 60), hours=st.sampled_from([0.5, 1.0, 2.5, 6.0]), every=st.integers(0, 9)
)
def test_plan_fills_each_day_exactly_and_covers_every_item(days, hours, every):
    plan = studyplan.study_plan(days, hours, START, every)
    s = plan.sessions
    per_day = s.groupby("day")["hours"].sum()
    assert len(per_day) == days
    assert per_day.to_numpy() == pytest.approx(hours)
    assert set(s.loc[s["kind"] == "mock", "day"]) == set(plan.mock_days)
    assert (s["end"] > s["start"]).all() and (s["date"] < plan.interview).all()
    covered = s.loc[s["kind"].isin(["section", "problem"]), "hours"].sum()
    assert covered == pytest.approx(plan.work_hours * plan.scale)
    # every section and problem appears in order
    labels = [lbl for lbl, _k, _h in studyplan.work_items()]
    firsts = [s.index[s["item"].str.startswith(lbl)].min() for lbl in labels]
    assert firsts == sorted(firsts)


def test_short_time_shrinks_items_and_says_so():
    plan = studyplan.study_plan(3, 2, START)
    assert plan.scale == pytest.approx(5 / 20)
    assert "shortened to 25%" in plan.summary()
    assert studyplan.study_plan(30, 2, START).scale == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0, "hours_per_day": 2}, r"days must be a whole number in \[1, 365\]"),
        ({"days": 5, "hours_per_day": 0.1}, r"hours_per_day must be in \[0.5, 16\] h"),
        ({"days": 5, "hours_per_day": 2, "start": "tomorrow"}, "start must be a date"),
        ({"days": 5, "hours_per_day": 2, "mock_every": -1}, "mock_every must be"),
    ],
)
def test_plan_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        studyplan.study_plan(**kwargs)


def test_csv_export_round_trips(tmp_path):
    plan = studyplan.study_plan(7, 2, START)
    path = studyplan.to_csv(plan, tmp_path / "plan.csv")
    back = pd.read_csv(path)
    assert list(back.columns) == list(studyplan.COLUMNS)
    assert len(back) == len(plan.sessions) and back["hours"].sum() == pytest.approx(14, abs=0.05)


def test_ical_export_is_valid_rfc5545(tmp_path):
    plan = studyplan.study_plan(5, 1.5, START, mock_every=2)
    path = studyplan.to_ical(plan, tmp_path / "plan.ics")
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == len(plan.sessions) + 1
    assert "DTSTART:20261201T090000" in unfolded
    assert "DTSTART;VALUE=DATE:20261206" in unfolded  # the interview day
    assert "SUMMARY:Mock interview (45-60 min\\, timed\\, recorded)" in unfolded
    uids = [ln for ln in unfolded.split("\r\n") if ln.startswith("UID:")]
    assert len(uids) == len(set(uids))


def test_fold_splits_long_lines_on_character_boundaries():
    line = "SUMMARY:" + "·" * 80
    folded = studyplan._fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


@pytest.mark.parametrize("bad", ["", 5, None])
def test_exports_need_a_path(tmp_path, bad):
    plan = studyplan.study_plan(2, 1, START)
    with pytest.raises(ValueError, match="path must be a file path"):
        studyplan.to_csv(plan, bad)


def test_exports_need_an_existing_folder(tmp_path):
    plan = studyplan.study_plan(2, 1, START)
    with pytest.raises(ValueError, match="existing folder"):
        studyplan.to_ical(plan, tmp_path / "missing" / "plan.ics")


# --- self-check and progress ----------------------------------------------------------------


def test_checklist_has_every_phase():
    table = selfcheck.checklist()
    assert set(table["phase"]) == set(selfcheck.PHASES)
    assert len(selfcheck.checklist("during")) == 5
    with pytest.raises(ValueError, match="phase must be one of"):
        selfcheck.checklist("later")


PASS = {"output_type": "stream", "name": "stdout", "text": "✓ x: all 3 visible checks passed."}


def _error(name):
    return {"output_type": "error", "ename": name, "evalue": "", "traceback": []}


@pytest.mark.parametrize(
    ("outputs", "status"),
    [
        ([], "not run"),
        ([PASS], "passed"),
        ([{**PASS, "text": ["✓ x: all 3 visible ", "checks passed."]}], "passed"),
        ([_error("NotAttempted")], "not attempted"),
        ([_error("Incorrect")], "incorrect"),
        ([PASS, _error("Incorrect")], "incorrect"),
        ([{"output_type": "stream", "text": "hi"}], "not run"),
    ],
)
def test_status_of_outputs(outputs, status):
    assert selfcheck.status_of_outputs(outputs) == status


def _learner_course(tmp_path):
    """A course folder with section 10 saved: one pass, one NotAttempted, one Incorrect."""
    exercises = [e for e in manifest().values() if e.section == "10-practice-problems"]
    nb = nbformat.v4.new_notebook()
    outputs = [[PASS], [_error("NotAttempted")], [_error("Incorrect")]]
    outputs += [[]] * (len(exercises) - len(outputs))  # the rest never run
    for ex, outs in zip(exercises, outputs, strict=True):
        cell = nbformat.v4.new_code_cell("check(...)")
        cell.metadata["nbgrader"] = {"grade_id": ex.test_cell, "grade": True, "solution": False}
        cell.outputs = [nbformat.from_dict(o) for o in outs]
        nb.cells.append(cell)
    folder = tmp_path / "course" / "10-practice-problems"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "practice-problems.ipynb")
    return tmp_path / "course", exercises


def test_progress_reads_saved_notebooks(tmp_path):
    root, exercises = _learner_course(tmp_path)
    table = selfcheck.progress(root)
    assert len(table) == len(manifest())
    mine = table.set_index("exercise").loc[[e.id for e in exercises], "status"].tolist()
    assert mine == ["passed", "not attempted", "incorrect"] + ["not run"] * (len(mine) - 3)
    others = table[table["section"] != "10-practice-problems"]
    assert set(others["status"]) == {"not run"}  # no notebooks saved there
    counts = selfcheck.summary(table).set_index("section").loc["10-practice-problems"]
    assert counts["passed"] == 1 and counts["points passed"] == exercises[0].points
    share = selfcheck.readiness(table, ticked=9)
    assert share == pytest.approx(0.5 * 1 / len(table) + 0.5 * 9 / len(selfcheck.CHECKLIST))


def test_progress_sees_a_resaved_notebook(tmp_path):
    root, exercises = _learner_course(tmp_path)
    assert selfcheck.progress(root)["status"].eq("passed").sum() == 1
    path = root / "10-practice-problems" / "practice-problems.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["outputs"] = [PASS]
    nb["cells"].append({"cell_type": "markdown", "id": "again", "metadata": {}, "source": "saved"})
    path.write_text(json.dumps(nb))
    assert selfcheck.progress(root)["status"].eq("passed").sum() == 2


def test_progress_bad_folder_and_damaged_notebook(tmp_path):
    with pytest.raises(ValueError, match="course_dir must be an existing folder"):
        selfcheck.progress(tmp_path / "nope")
    with pytest.raises(ValueError, match="course_dir must be a folder path"):
        selfcheck.progress(None)
    folder = tmp_path / "10-practice-problems"
    folder.mkdir()
    (folder / "broken.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="could not read notebook"):
        selfcheck.progress(tmp_path)


def test_readiness_bad_ticks():
    table = pd.DataFrame({"status": ["passed"]})
    with pytest.raises(ValueError, match="ticked must be in"):
        selfcheck.readiness(table, 99)
