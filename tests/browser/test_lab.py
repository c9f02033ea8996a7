"""Every registered widget in JupyterLab, in headless Chromium: it renders, every control is
labelled, no text is cut or overprinted at a 1366x768 screen, and keyboard moves change the
visible output the way the core function says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import harness
from tests.browser.registry import Page, sections, widget_params

PARAMS = widget_params()
IDS = [f"{s}-{w}" for s, w in PARAMS]
SCREENSHOT_DIR = os.environ.get("MLSD_SCREENSHOT_DIR")
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("section", list(sections()))
def test_notebook_runs_with_no_page_or_console_errors(lab, section):
    loaded = lab(section)
    assert loaded.watch.problems() == []
    assert loaded.page.get_by_text("Error displaying widget").count() == 0
    # Run All reached the end: the last code cell has an execution count.
    assert loaded.seconds < 90, f"opening and running {section} took {loaded.seconds:.0f} s"


@pytest.mark.parametrize("section", list(sections()))
def test_run_all_reached_the_last_cell_and_every_check_says_not_attempted(lab, section):
    # The page was opened by Run All on the release as learners get it (test_run_all.py
    # proves the harness adds no tag): every code cell ran, past every failing check.
    page = lab(section).page
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
    assert prompts and all(any(ch.isdigit() for ch in p) for p in prompts), prompts[-3:]
    headings = page.locator(".mlsd-check .mlsd-check-heading").all_text_contents()
    assert headings and all(h.startswith("Not attempted yet") for h in headings), headings


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_widget_renders(lab, section, name):
    widget = sections()[section].widget(name)
    page = lab(section).page
    assert harness.widget_problems(page, widget.css) == []
    for fig in widget.figures:
        assert page.locator(f".{fig} .main-svg").count() > 0, f"{fig} not drawn"


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_every_control_has_a_visible_label_and_every_chart_titles(lab, section, name):
    widget = sections()[section].widget(name)
    view = Page(lab(section).page, f".{widget.css}")
    labels = view.js(harness.CONTROL_LABELS)
    assert labels, f"{name}: no controls found"
    unlabelled = [cls for cls, text in labels if not text]
    assert unlabelled == [], f"{name}: controls without a label: {unlabelled}"
    charts = view.js(harness.CHART_TEXTS)
    if not charts and not widget.figures:  # a quiz or a text check: no chart registered
        return
    assert charts, f"{name}: no chart drawn"
    for chart in charts:
        assert chart["title"].strip(), f"{name}: a chart has no title"


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_screenshot(lab, section, name):
    spec = sections()[section]
    path = harness.screenshot(
        lab(section).page,
        spec.widget(name).css,
        f"{section}-{name}",
        also_to=Path(SCREENSHOT_DIR) if SCREENSHOT_DIR and name == spec.main else None,
    )
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_no_text_is_cut_at_1366x768(lab, section, name):
    widget = sections()[section].widget(name)
    problems = harness.cut_text(lab(section).page, widget.css)
    assert problems == [], f"{section}/{name} in JupyterLab at 1366x768:\n" + "\n".join(problems)


@pytest.mark.parametrize(("section", "name"), PARAMS, ids=IDS)
def test_keyboard_moves_change_the_output_as_the_core_says(lab, section, name):
    widget = sections()[section].widget(name)
    loaded = lab(section)
    done = harness.run_steps(loaded.page, widget, Page(loaded.page, f".{widget.css}"))
    assert len(done) >= 2
    assert loaded.watch.problems() == []
