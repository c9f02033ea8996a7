"""Presenter mode: the presenter copy of each section (no exercises, or a chosen subset), and
the page `mlsd present SECTION` serves with Voila, driven in headless Chromium like the
JupyterLab tests: it loads, shows no code and no exercise, widgets are large and respond."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

from mlsd import present
from tests.browser import harness
from tests.browser.registry import Page, sections, widget_params

ROOT = Path(__file__).resolve().parents[2]
PARAMS = widget_params()
IDS = [f"{s}-{w}" for s, w in PARAMS]
SCREENSHOT_DIR = os.environ.get("MLSD_SCREENSHOT_DIR")
pytestmark = pytest.mark.browser
MIN_LABEL_PX = 18.0  # readable from the back of a room


def course_nb(section):
    return nbformat.read(present.section_notebook(section, ROOT), as_version=4)


@pytest.mark.parametrize("section", list(sections()))
def test_presenter_copy_has_no_exercise_stub_or_check(section):
    source = course_nb(section)
    nb = present.presenter_notebook(source, section=section)
    text = "\n".join(c.source for c in nb.cells)
    assert "✏️ Exercise" not in text and "YOUR CODE HERE" not in text and "check_" not in text
    assert not any(c.metadata.get("nbgrader") for c in nb.cells)
    # The story and every widget stay, in order; the presenter's style cell comes first.
    assert nb.cells[0].metadata["tags"] == [present.PRESENTER_TAG]
    widgets = [c.source for c in source.cells if c.source.rstrip().endswith(".container")]
    assert [c.source for c in nb.cells if c.source.rstrip().endswith(".container")] == widgets
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    assert source == course_nb(section), "building the copy changed the course notebook"


@pytest.mark.parametrize("section", list(sections()))
def test_presenter_copy_keeps_a_chosen_exercise_prompt_only(section):
    exercises = present.exercise_ids(section)
    assert exercises, f"{section} has no exercises in its manifest"
    first = sorted(exercises)[0]
    nb = present.presenter_notebook(course_nb(section), [first], section=section)
    text = "\n".join(c.source for c in nb.cells)
    assert text.count("✏️ Exercise") == 1
    assert "YOUR CODE HERE" not in text and "check_" not in text


def test_unknown_exercise_is_rejected_with_the_allowed_ids():
    section = next(iter(sections()))
    with pytest.raises(ValueError, match=r"exercises: nope .*choose from"):
        present.presenter_notebook(course_nb(section), ["nope"], section=section)


def test_present_command_rejects_an_unknown_section():
    done = subprocess.run(
        [sys.executable, "-m", "mlsd.cli", "present", "99-nope", "--no-browser"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert "section: no notebook for '99-nope'" in done.stderr


@pytest.mark.parametrize("section", list(sections()))
def test_page_loads_without_code_exercises_or_errors(voila, section):
    loaded = voila(section)
    page = loaded.page
    assert loaded.watch.problems() == []
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.locator(".jp-InputArea-editor:visible, .cm-editor:visible").count() == 0
    body = page.inner_text("body")
    assert "import " not in body and ".container" not in body, "code is visible"
    assert "✏️ Exercise" not in body and "Traceback" not in body and "NotAttempted" not in body
    assert loaded.seconds < 90
    # the kernel talks over Unix sockets (ipykernel warns when it runs over TCP)
    log = harness.voila_log(loaded.server)
    assert "Kernel started" in log and "running over TCP" not in log


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_widget_is_visible_and_large(voila, section, name):
    widget = sections()[section].widget(name)
    page = voila(section).page
    assert harness.widget_problems(page, widget.css) == []
    sizes = page.evaluate(
        "(css) => [...document.querySelectorAll(css + ' .widget-label')]"
        ".map(l => parseFloat(getComputedStyle(l).fontSize))",
        f".{widget.css}",
    )
    assert sizes and min(sizes) >= MIN_LABEL_PX, f"{name}: label font sizes {sizes} px"


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_no_text_is_cut_at_1366x768(voila, section, name):
    widget = sections()[section].widget(name)
    problems = harness.cut_text(voila(section).page, widget.css)
    assert problems == [], f"{section}/{name} in Voila at 1366x768:\n" + "\n".join(problems)


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_widget_responds_to_the_keyboard(voila, section, name):
    widget = sections()[section].widget(name)
    loaded = voila(section)
    if name == sections()[section].main:
        harness.screenshot(
            loaded.page,
            widget.css,
            f"{section}-presenter",
            also_to=Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else None,
        )
    done = harness.run_steps(loaded.page, widget, Page(loaded.page, f".{widget.css}"))
    assert len(done) >= 2
    assert loaded.watch.problems() == []


# --- ready for a projector (issue 11, item 6) ----------------------------------------------------

LEARNER_ONLY_TEXT = ("Shift+Enter", "hint(", "answer(", "How to work", "check cell")
PROJECTOR = harness.SCREEN
MIN_TRACK_PX = 400


def test_learner_instructions_are_dropped_and_the_story_stays():
    text = (
        "**Time:** about 75 minutes. **How to work:** run the cells (Shift+Enter).\n\n"
        "Accuracy costs latency.\n\n"
        '**Question:** why p99? When you have written yours, run `answer("06-why-p99")`.\n\n'
        '- move the slider\n- stuck? call `hint("choose_model", 1)`\n\n'
        "```python\nhint('x', 1)  # code stays as written\n```\n\n## 2 · Run the cells"
    )
    assert present.without_learner_instructions(text) == (
        "Accuracy costs latency.\n\n- move the slider\n\n"
        "```python\nhint('x', 1)  # code stays as written\n```\n\n## 2 · Run the cells"
    )


@pytest.mark.parametrize("section", list(sections()))
def test_presenter_copy_has_no_learner_instructions(section):
    source = course_nb(section)
    nb = present.presenter_notebook(source, section=section)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    found = [t for t in LEARNER_ONLY_TEXT if t.lower() in prose.lower()]
    assert found == [], f"{section}: learner instructions in the presenter copy: {found}"
    assert nb.cells[1].source.lstrip().startswith("# "), "the title stays"
    assert nb.cells[-1].source == present.READY_SOURCE


@pytest.mark.parametrize("section", list(sections()))
def test_page_at_1366_has_wide_sliders_and_no_learner_instructions(voila, section):
    page = voila(section).page
    page.set_viewport_size(PROJECTOR)
    try:
        page.wait_for_timeout(300)  # let the widgets re-lay out
        tracks = page.evaluate(
            "() => [...document.querySelectorAll('.widget-hslider')].filter("
            "s => s.offsetParent).map(s => [s.querySelector('.widget-label').textContent,"
            " s.querySelector('.noUi-target').getBoundingClientRect().width])"
        )
    finally:
        page.set_viewport_size(harness.VIEWPORT)
    narrow = [(label, round(width)) for label, width in tracks if width < MIN_TRACK_PX]
    assert narrow == [], f"slider tracks under {MIN_TRACK_PX} px at 1366 px: {narrow}"
    body = page.inner_text("body").lower()
    assert [t for t in LEARNER_ONLY_TEXT if t.lower() in body] == []


CHART_WIDTHS = """(figures) => figures
  .flatMap(f => [...document.querySelectorAll(`.${f}.js-plotly-plot`)])
  .filter(p => p.offsetParent && p.querySelector('.main-svg'))
  .map(p => [(p.querySelector('.gtitle') || {}).textContent || '?',
             Math.round(p.getBoundingClientRect().width),
             Math.round(p.querySelector('.main-svg').getBoundingClientRect().width)])"""


@pytest.mark.parametrize("section", list(sections()))
def test_widget_charts_follow_the_window_width(voila, section):
    """A presenter moves the page to a projector or resizes the window: every widget's chart
    redraws at its box's width (plotly's widget alone keeps the width it first drew at, and
    draws at 700 px when its box was not laid out yet)."""
    page = voila(section).page
    figures = sections()[section].figures()
    assert len(page.evaluate(CHART_WIDTHS, figures)) >= len(figures), "a chart is not drawn"
    for size in (PROJECTOR, {"width": 1700, "height": 900}, harness.VIEWPORT):
        page.set_viewport_size(size)
        try:
            page.wait_for_function(
                f"(figs) => ({CHART_WIDTHS})(figs)"
                ".every(([, box, svg]) => Math.abs(box - svg) <= 2)",
                arg=figures,
                timeout=5_000,
            )
        except Exception:
            wrong = [c for c in page.evaluate(CHART_WIDTHS, figures) if abs(c[1] - c[2]) > 2]
            page.set_viewport_size(harness.VIEWPORT)
            raise AssertionError(
                f"at {size['width']} px, charts drawn at another width than their box "
                f"(title, box px, drawn px): {wrong}"
            ) from None


@pytest.mark.parametrize("section", list(sections()))
def test_page_loads_nothing_from_the_internet_and_icons_draw(voila, section):
    page = voila(section).page
    urls = page.evaluate(
        "() => [location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
    )
    outside = [u for u in urls if not u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:"))]
    assert outside == [], f"requests that leave the machine: {outside[:5]}"
    icons = page.evaluate(
        "() => [...document.querySelectorAll('i.fa')].map(i => {"
        "  const s = getComputedStyle(i, '::before');"
        "  return [i.className, s.content, s.fontFamily]; })"
    )
    blank = [i for i in icons if i[1] in ("none", "normal", '""') or "Font Awesome" not in i[2]]
    assert blank == [], f"icons without a glyph: {blank}"


def test_present_starts_quietly_serves_a_warm_page_and_stops_cleanly_on_ctrl_c(chrome, tmp_path):
    """`mlsd present` as a presenter sees it: three plain lines, a page whose outputs were
    computed before it was requested (preheated kernel), and Ctrl-C stops everything."""
    import signal
    import time as _time

    section = "06-tradeoffs"
    port = present.free_port()
    out_dir = tmp_path / "copy"
    env = present.isolated_env(tmp_path / "jupyter")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlsd.cli", "present", section, f"--port={port}", "--no-browser",
         "--out", str(out_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Ready:") or len(lines) > 20:
                break
        assert lines == [
            f"Building the presenter copy of {section}",
            "Warming up: Voila runs the notebook once now, so the page opens in seconds",
            f"Ready: http://127.0.0.1:{port}/  (Ctrl-C to stop)",
        ], "\n".join(lines)
        assert present.ready_count(out_dir) >= 1, "Ready before a kernel ran the notebook"
        # The page arrives with every output already computed: no cell runs on request.
        page = chrome.new_context(viewport=PROJECTOR).new_page()
        start = _time.perf_counter()
        response = page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        html = response.text()
        served = _time.perf_counter() - start
        assert html.count("application/vnd.jupyter.widget-view+json") >= len(
            sections()[section].widgets
        )
        assert served < 3.0, f"the page took {served:.1f} s to arrive: not precomputed?"
        page.wait_for_selector(f".{sections()[section].widgets[0].css}", state="visible")
        page.context.close()
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert rest.strip() == "Stopping the presenter.", rest
    for noise in ("Traceback", "KeyboardInterrupt", "403", "DeprecationWarning", "WARNING"):
        assert noise not in "\n".join(lines) + rest
    with pytest.raises(OSError):
        urllib.request.urlopen(
            f"http://127.0.0.1:{port}/voila/static/materialcolors.css", timeout=2
        )


def test_story_after_an_exercise_stays_unless_it_needs_the_learners_answer():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    stub = code("def my_metric(x):\n    ...")
    stub.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "m"}
    check = code("check(my_metric)")
    check.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": "m-t"}
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        md("## 1 · Metrics"),
        md("### ✏️ Exercise 1 · A metric"),
        stub,
        check,
        md("Now the reference metric on real data."),
        code("queries = load_queries()"),
        md("## 2 · Next topic"),
        md("### ✏️ Exercise 2 · Another"),
        stub,
        check,
        md("Your function in action:"),
        code("my_metric(queries)"),
    ]
    sources = [c.source for c in present.presenter_notebook(nb).cells]
    assert "queries = load_queries()" in sources, "the story after exercise 1 stays"
    assert "Now the reference metric on real data." in sources
    assert "my_metric(queries)" not in sources and "Your function in action:" not in sources
