"""Presenter mode: the presenter copy of each section (no exercises, or a chosen subset), and
the page `mlsd present SECTION` serves with Voila, driven in headless Chromium like the
JupyterLab tests: it loads, shows no code and no exercise, widgets are large and respond."""

from __future__ import annotations

import os
import subprocess
import sys
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
