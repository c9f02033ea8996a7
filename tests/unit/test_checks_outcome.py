"""mlsd.checks.outcome: how a check's outcome reads (HTML block, plain text, one short error
line) and what it records for programs (the mime bundle the self-check reads)."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from mlsd import selfcheck
from mlsd.checks import outcome
from mlsd.checks.outcome import (
    INCORRECT,
    LOOKS,
    MIME,
    NOT_ATTEMPTED,
    PASSED,
    Incorrect,
    NotAttempted,
    Outcome,
    contrast_ratio,
    show_passed,
)

EX = "choose_model"
WCAG_AA = 4.5


# --- colours -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_ratio_matches_wcag_reference_values(fg, bg, ratio):
    assert contrast_ratio(fg, bg) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(bg, fg) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("status", sorted(LOOKS))
def test_every_text_colour_pair_passes_wcag_aa_with_room(status):
    look = LOOKS[status]
    # AAA (7:1) on purpose: the block keeps its own colours in any JupyterLab theme.
    assert contrast_ratio(look.foreground, look.background) >= 7.0
    assert contrast_ratio(look.foreground, look.code_background) >= 7.0


def test_the_old_ansi_colours_would_fail_this_bar():
    # JupyterLab's stderr pink (#ffdddd) under the ANSI yellow and red it used to show.
    assert contrast_ratio("#c4a000", "#ffdddd") < WCAG_AA
    assert contrast_ratio("#e75c58", "#ffdddd") < WCAG_AA


@pytest.mark.parametrize("colour", ["red", "#fff", "#12345", "#12345g", "#1234567", 3, None])
def test_bad_colour_is_a_value_error(colour):
    with pytest.raises(ValueError, match="colour must be a '#rrggbb' string"):
        contrast_ratio(colour, "#ffffff")


# --- the three representations ---------------------------------------------------------


def test_failure_bundle_has_heading_reason_cause_and_hint_call():
    bundle = Incorrect(EX, "f(1) returned 2; expected 3", "you added").outcome.bundle()
    assert set(bundle) == {"text/plain", "text/html", MIME}
    assert bundle[MIME] == {"exercise": EX, "outcome": INCORRECT, "checks": None}
    page = bundle["text/html"]
    assert ">Incorrect <" in page
    assert "f(1) returned 2; expected 3" in page
    assert "Likely cause:</b> you added" in page
    assert "hint(&quot;choose_model&quot;, 1)" in page
    assert bundle["text/plain"].splitlines() == [
        f"Incorrect ({EX}): f(1) returned 2; expected 3",
        "Likely cause: you added",
        f'Stuck? Run hint("{EX}", 1) for a first nudge.',
    ]


def test_not_attempted_has_its_own_heading_and_no_cause_line():
    out = NotAttempted(EX, "still a stub").outcome
    assert out.marker()["outcome"] == NOT_ATTEMPTED
    assert ">Not attempted yet <" in out.html()
    assert "Likely cause" not in out.html()
    assert out.short_line() == f"Not attempted yet ({EX}): the reason is in the box above."


def test_passed_says_visible_checks_and_never_all_tests():
    out = Outcome(EX, PASSED, "all 4 visible checks passed. Hidden tests may probe more.", checks=4)
    assert out.marker() == {"exercise": EX, "outcome": PASSED, "checks": 4}
    assert "Visible checks passed" in out.html()
    assert "all tests passed" not in (out.html() + out.text()).lower()
    assert "hint(" not in out.html()


def test_every_text_element_of_the_block_carries_its_own_colour_pair():
    page = Incorrect(EX, "reason", "cause").outcome.html()
    for tag in re.findall(r"<(?!/)(\w+)([^>]*)>", page):
        name, attrs = tag
        assert "color:" in attrs and "background-color:" in attrs, name


def test_what_the_learner_returned_is_escaped_not_rendered():
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    page = Incorrect(EX, f"f() returned {hostile!r}", hostile).outcome.html()
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_show_passed_prints_the_plain_text_outside_ipython(capsys):
    show_passed(EX, 3)
    assert capsys.readouterr().out == (
        f"✓ {EX}: all 3 visible checks passed. Hidden tests run at grading time may probe "
        "more cases.\n"
    )


def test_in_ipython_a_failure_shows_the_block_and_leaves_one_plain_line(monkeypatch):
    shown = []
    monkeypatch.setattr(outcome, "_shell", lambda: object())
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append((obj, raw)))
    err = Incorrect(EX, "the reason", "the cause")
    line = [f"Incorrect ({EX}): the reason is in the box above."]
    assert err._render_traceback_() == line
    # IPython asks again to store the error in its history: the block is shown once.
    assert err._render_traceback_() == line
    assert shown == [(err.outcome.bundle(), True)]


def test_a_broken_display_falls_back_to_the_whole_text(monkeypatch):
    monkeypatch.setattr(outcome, "_shell", lambda: object())
    import IPython.display

    def broken(*_a, **_k):
        raise RuntimeError("no frontend")

    monkeypatch.setattr(IPython.display, "display", broken)
    err = NotAttempted(EX, "still a stub")
    assert err._render_traceback_() == err.text().splitlines()


# --- the self-check reads the record ----------------------------------------------------


def _display(record_outcome: str) -> dict:
    return {
        "output_type": "display_data",
        "data": {
            "text/plain": "anything at all",
            MIME: {"exercise": EX, "outcome": record_outcome},
        },
        "metadata": {},
    }


@pytest.mark.parametrize(
    ("outputs", "status"),
    [
        ([_display(PASSED)], "passed"),
        ([_display(PASSED), _display(PASSED)], "passed"),
        ([_display(INCORRECT)], "incorrect"),
        (
            [_display(INCORRECT), {"output_type": "error", "ename": "Incorrect", "evalue": ""}],
            "incorrect",
        ),
        (
            [
                _display(NOT_ATTEMPTED),
                {"output_type": "error", "ename": "NotAttempted", "evalue": ""},
            ],
            "not attempted",
        ),
        ([_display("not run")], "not run"),  # not an outcome a check records
        (
            [{"output_type": "stream", "name": "stdout", "text": "all 3 visible checks passed"}],
            "passed",
        ),
        ([], "not run"),
    ],
)
def test_selfcheck_reads_the_recorded_outcome_and_old_printed_passes(outputs, status):
    assert selfcheck.status_of_outputs(outputs) == status


def test_selfcheck_no_longer_needs_the_wording():
    record = _display(PASSED)
    record["data"]["text/plain"] = "✓ (reworded in a later version)"
    assert selfcheck.status_of_outputs([record]) == "passed"


# --- in a real kernel -------------------------------------------------------------------


@pytest.mark.slow
def test_in_a_kernel_outcomes_are_one_block_each_and_failures_one_plain_error_line():
    from mlsd.grading.execute import run_notebook

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from mlsd.checks import Case, run_cases\n"
            f"run_cases({EX!r}, lambda x: x + 1, [Case((1,), 2, 'one more.')])"
        ),
        nbformat.v4.new_code_cell(
            "def stub(x):\n    raise NotImplementedError\n"
            f"run_cases({EX!r}, stub, [Case((1,), 2, 'one more.')])"
        ),
        nbformat.v4.new_code_cell(
            f"run_cases({EX!r}, lambda x: '<b>x</b>', [Case((1,), 2, 'so.')])"
        ),
    ]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.ipynb"
        nbformat.write(nb, path)
        run = run_notebook(path, timeout=60)
    passed, stub, wrong = (cell.outputs for cell in run.notebook.cells)
    assert [o.output_type for o in passed] == ["display_data"]
    assert passed[0].data[MIME] == {"exercise": EX, "outcome": PASSED, "checks": 1}
    for outputs, status, ename in [
        (stub, NOT_ATTEMPTED, "NotAttempted"),
        (wrong, INCORRECT, "Incorrect"),
    ]:
        assert [o.output_type for o in outputs] == ["display_data", "error"]
        assert outputs[0].data[MIME]["outcome"] == status
        assert outputs[1].ename == ename
        (line,) = outputs[1].traceback  # one line, no stack, no ANSI colours
        assert "\x1b[" not in line and line.endswith("the reason is in the box above.")
    assert "&#x27;&lt;b&gt;x&lt;/b&gt;&#x27;" in wrong[0].data["text/html"]
    # The self-check reads all three from the saved outputs.
    statuses = [
        selfcheck.status_of_outputs(json.loads(json.dumps(o))) for o in (passed, stub, wrong)
    ]
    assert statuses == ["passed", "not attempted", "incorrect"]
