"""A whole mock interview in a real browser, at an accelerated clock (issue 13's bar).

JupyterLab: pick a problem, start, type, watch the phases and a nudge appear as the clock
runs 60x, check the answer is on disk, restart the kernel and Run All again (the answer comes
back, paused), resume, finish; the reference design cannot be opened before the self-score
is submitted, and opens after. Voila (``mlsd present``): the same mock runs live, a nudge
appears, and the classroom button shows the interviewer's notes.
"""

from __future__ import annotations

import json
import time

import pytest

from mlsd import interview, practice
from tests.browser import harness

pytestmark = pytest.mark.browser
SECTION = "12-mock-interview"
SPEED = {interview.ENV_SPEED: "20"}  # a 45-minute mock in 135 s: room for a kernel restart
QUESTION = "How many listeners? 50 M daily"


def _text(page, css: str) -> str:
    return page.locator(css).first.text_content() or ""


def _wait_text(page, css: str, text: str, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        "([css, text]) => { const e = document.querySelector(css);"
        " return !!e && e.textContent.includes(text); }",
        arg=[css, text],
        timeout=timeout_ms,
    )


def _saved_mock(server: harness.Server) -> dict:
    (path,) = (server.home / "notebooks" / SECTION / interview.FOLDER).glob("2*-p03.json")
    return json.loads(path.read_text())


def test_a_whole_mock_in_jupyterlab_at_an_accelerated_clock(chrome):
    server = harness.start_lab([SECTION], extra_env=SPEED)
    watch = harness.PageWatch()
    page = harness.new_page(chrome, watch)
    try:
        harness.open_lab_and_run_all(page, server, SECTION)
        page.locator(".mlsd-mock-problem button:nth-child(4)").click()  # problem 3
        page.locator(".mlsd-mock-length button:nth-child(1)").click()  # 45 min
        page.locator("button.mlsd-mock-start").click()
        _wait_text(page, ".mlsd-mock-clock", "Clarify")
        page.locator(".mlsd-mock-field-questions textarea").fill(QUESTION)
        # 3.75 mock minutes of clarify pass in about 11 s at 20x: the overrun nudge appears.
        _wait_text(page, ".mlsd-mock-nudge", "past its 3.75 minutes")
        assert "(over)" in _text(page, ".mlsd-mock-timeline")
        page.locator("button.mlsd-mock-next").click()
        _wait_text(page, ".mlsd-mock-clock", "Requirements and estimates")
        assert _saved_mock(server)["answers"]["questions"] == QUESTION
        assert _saved_mock(server)["phase"] == "requirements"

        # Restart the kernel and Run All: the mock comes back, paused, with the answer.
        # Not awaited: the command resolves only once its dialog is answered.
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        _wait_text(page, ".mlsd-mock-message", "restored", timeout_ms=180_000)
        assert page.locator(".mlsd-mock-field-questions textarea").input_value() == QUESTION
        _wait_text(page, ".mlsd-mock-clock", "Requirements and estimates")
        if "paused" in _text(page, ".mlsd-mock-message"):  # time left: resume, then stop
            page.locator("button.mlsd-mock-resume").click()
            _wait_text(page, ".mlsd-mock-clock", "(running)")
            page.locator("button.mlsd-mock-finish").click()
        _wait_text(page, ".mlsd-mock-scoring", "Score yourself")
        reveal = page.locator("button.mlsd-mock-reveal")
        assert reveal.is_disabled(), "the reference must not open before the self-score"
        assert _text(page, ".mlsd-mock-compare") == "" and _text(page, ".mlsd-mock-findings") == ""
        page.locator("button.mlsd-mock-submit").click()
        _wait_text(page, ".mlsd-mock-findings", "The interviewer's notes")
        assert not reveal.is_disabled()
        reveal.click()
        _wait_text(page, ".mlsd-mock-compare", f"Reference design · problem 3: "
                   f"{practice.problem(3).title}")  # fmt: skip
        assert "Your design · problem 3" in _text(page, ".mlsd-mock-compare")
        debriefs = list((server.home / "notebooks" / SECTION / interview.FOLDER).glob("*.html"))
        assert len(debriefs) == 1
        assert (server.home / "notebooks" / SECTION / "self_assessment.csv").exists()
        assert watch.problems() == []
    finally:
        page.context.close()
        server.stop()


def test_the_mock_runs_live_in_presenter_mode(chrome):
    server = harness.start_presenter(SECTION, extra_env=SPEED)
    watch = harness.PageWatch()
    page = harness.new_page(chrome, watch)
    try:
        harness.open_voila(page, server, SECTION, ".mlsd-recall")
        page.locator(".mlsd-mock-problem button:nth-child(2)").click()  # problem 1
        page.locator("button.mlsd-mock-start").click()
        started = time.monotonic()
        _wait_text(page, ".mlsd-mock-clock", "Clarify")
        _wait_text(page, ".mlsd-mock-nudge", "minutes into the clarify without clarifying")
        assert time.monotonic() - started < 30
        page.locator("button.mlsd-mock-next").click()
        _wait_text(page, ".mlsd-mock-clock", "Requirements and estimates")
        page.locator("button.mlsd-mock-ask").click()  # classroom mode: notes shown live
        _wait_text(page, ".mlsd-mock-live-notes", "at least three clarifying questions")
        page.locator("button.mlsd-mock-finish").click()
        _wait_text(page, ".mlsd-mock-scoring", "Score yourself")
        assert watch.problems() == []
    finally:
        page.context.close()
        server.stop()
