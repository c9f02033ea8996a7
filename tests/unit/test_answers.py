"""mlsd.answers and mlsd.checks.answer: model answers on demand, switchable by instructors."""

from __future__ import annotations

import json

import pytest

from mlsd import answers
from mlsd.answers import Answer, lookup, parse_file, switched_off
from mlsd.checks import answer, outcome

EXAMPLE = "08-monitoring-sign"


@pytest.fixture(autouse=True)
def answers_on(monkeypatch, tmp_path):
    # Run from a folder with no switch file above it and no switch in the environment.
    monkeypatch.delenv(answers.SWITCH_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


def test_the_bank_holds_valid_ids_with_question_and_answer():
    bank = answers.bank()
    assert EXAMPLE in bank
    for key, found in bank.items():
        assert answers.ID_PATTERN.fullmatch(key)
        assert found.id == key and found.question and found.answer.strip()
        assert found.source.startswith(f"answers/{key[:2]}-")


def test_lookup_returns_the_answer_and_answer_prints_it_outside_jupyter(capsys):
    found = lookup(EXAMPLE)
    assert isinstance(found, Answer) and "85 → 88" in found.answer
    assert answer(EXAMPLE) is None
    out = capsys.readouterr().out
    assert out.startswith(f"Model answer ({EXAMPLE})\nQ: Give candidate A")
    assert "85 → 88" in out


def test_in_jupyter_answer_displays_markdown(monkeypatch):
    shown = []
    monkeypatch.setattr(outcome, "_shell", lambda: object())
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append(obj))
    answer(EXAMPLE)
    (bundle,) = shown
    assert bundle["text/markdown"].startswith(f"**Model answer · {EXAMPLE}**")
    assert "85 → 88" in bundle["text/plain"]


@pytest.mark.parametrize(
    ("asked", "suggested"), [("08-monitoring-signs", EXAMPLE), ("08-monitor-sign", EXAMPLE)]
)
def test_unknown_id_is_a_value_error_naming_close_matches(asked, suggested):
    with pytest.raises(ValueError) as err:
        lookup(asked)
    assert f"question_id {asked!r} names no question" in str(err.value)
    assert f"Did you mean {suggested!r}" in str(err.value)


@pytest.mark.parametrize("asked", [None, 8, ["08-x"]])
def test_non_string_id_is_a_value_error(asked):
    with pytest.raises(ValueError, match="question_id must be a string"):
        lookup(asked)


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false", " off "])
def test_environment_switch_turns_answers_off_politely(monkeypatch, capsys, value):
    monkeypatch.setenv(answers.SWITCH_ENV, value)
    assert switched_off()
    assert lookup(EXAMPLE) is None
    answer(EXAMPLE)
    out = capsys.readouterr().out
    assert out.startswith("Model answers are switched off") and "85 → 88" not in out


@pytest.mark.parametrize("value", ["", "on", "1", "yes"])
def test_other_environment_values_leave_answers_on(monkeypatch, value):
    monkeypatch.setenv(answers.SWITCH_ENV, value)
    assert not switched_off()


def test_marker_file_in_the_notebook_folder_or_above_turns_answers_off(tmp_path, monkeypatch):
    notebook_folder = tmp_path / "release" / "08-evaluation-rubric"
    notebook_folder.mkdir(parents=True)
    monkeypatch.chdir(notebook_folder)
    assert not switched_off()
    (tmp_path / "release" / answers.SWITCH_FILE).touch()
    assert switched_off() and lookup(EXAMPLE) is None


def _solutions(tmp_path, source):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "### ✏️ Write-up · Justify it\n"},
            {
                "cell_type": "markdown",
                "metadata": {"nbgrader": {"grade": True, "solution": True, "grade_id": "why-x"}},
                "source": source,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder = tmp_path / "checkout" / "solutions" / "08-evaluation-rubric"
    folder.mkdir(parents=True)
    (folder / "evaluation-rubric.ipynb").write_text(json.dumps(nb))
    return tmp_path / "checkout"


def test_graded_written_answers_come_from_solutions_in_the_checkout(tmp_path):
    checkout = _solutions(tmp_path, "### BEGIN SOLUTION\nThe model answer.\n### END SOLUTION\n")
    work = checkout / "work" / "08-evaluation-rubric"
    work.mkdir(parents=True)
    found = lookup("why-x", start=work)
    assert (found.answer, found.question) == ("The model answer.", "✏️ Write-up · Justify it")
    assert found.source == "solutions/08-evaluation-rubric/evaluation-rubric.ipynb"


def test_a_checkout_without_solutions_says_where_graded_answers_live(monkeypatch):
    monkeypatch.setattr(answers, "solutions_folder", lambda start=None: None)
    with pytest.raises(ValueError, match="read from solutions/, which this checkout"):
        lookup("rubric-justify")


def test_the_real_solutions_answer_their_graded_written_exercises():
    assert "The model answer" not in lookup("rubric-justify").answer
    assert lookup("rubric-justify").answer.startswith("- **Problem understanding")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["8-x"]\nquestion = "q"\nanswer = "a"\n', "must look like 'NN-short-kebab-name'"),
        ('["08-Bad_Id"]\nquestion = "q"\nanswer = "a"\n', "must look like"),
        ('["08-x"]\nquestion = "q"\n', "must have question and answer"),
        ('["08-x"]\nquestion = "q"\nanswer = "a"\nhint = "h"\n', "must have question and answer"),
        ('["08-x"]\nquestion = "q"\nanswer = "  "\n', "answer must be non-empty text"),
        ('["08-x"]\nquestion = 3\nanswer = "a"\n', "question must be non-empty text"),
        ('["09-x"]\nquestion = "q"\nanswer = "a"\n', "must start with its section 08"),
        ('["08-x"\nquestion = "q"\n', "is not valid TOML"),
    ],
)
def test_answer_files_are_validated(text, message):
    with pytest.raises(ValueError, match=message):
        parse_file("08-evaluation-rubric.toml", text)
