"""Fixtures for the real-browser tests: Chromium, JupyterLab and Voila (presenter mode).

One browser and one server of each kind per pytest worker (session scope), each server on a
free loopback port with its own Jupyter folders, stopped on teardown. A section opened in
JupyterLab (``lab``) or in presenter mode (``voila``) stays open for every later test that
asks for it, from any module: ``tests/xdist_groups.py`` sends all tests of each fixture to one
worker, where those of ``test_clipping.py`` come first and see the page as it opened.
A missing Chromium fails the suite with the command that installs it; nothing here is ever
skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.browser import harness
from tests.browser.registry import sections


@dataclass
class Loaded:
    """A section notebook open in a page, with everything it has run."""

    page: object
    watch: harness.PageWatch
    seconds: float
    server: harness.Server
    notes: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def chrome():
    missing = harness.chromium_missing_message()
    if missing:
        pytest.fail(missing, pytrace=False)
    with harness.browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def lab_server():
    server = harness.start_lab(list(sections()))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab(chrome, lab_server):
    """``lab(section)``: the section open in JupyterLab after Run All (opened once)."""
    opened: dict[str, Loaded] = {}

    def get(section: str) -> Loaded:
        if section not in opened:
            watch = harness.PageWatch()
            page = harness.new_page(chrome, watch)
            seconds = harness.open_lab_and_run_all(page, lab_server, section)
            opened[section] = Loaded(page, watch, seconds, lab_server)
        return opened[section]

    yield get
    for loaded in opened.values():
        loaded.page.context.close()


@pytest.fixture(scope="session")
def voila(chrome):
    """``voila(section)``: the section served by ``mlsd present`` and open in a page."""
    opened: dict[str, Loaded] = {}

    def get(section: str) -> Loaded:
        if section not in opened:
            server = harness.start_presenter(section)
            watch = harness.PageWatch()
            page = harness.new_page(chrome, watch)
            last = sections()[section].widgets[-1].css
            try:
                seconds = harness.open_voila(page, server, section, f".{last}")
            except Exception:
                server.stop()
                raise
            opened[section] = Loaded(page, watch, seconds, server)
        return opened[section]

    yield get
    for loaded in opened.values():
        loaded.page.context.close()
        loaded.server.stop()
