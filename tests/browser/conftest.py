"""Fixtures for the real-browser tests: Chromium, JupyterLab and Voila (presenter mode).

One browser per test module (the sync Playwright API allows one at a time in a process, and
other modules start their own). Tests that open sections run grouped by section (see
:func:`pytest_collection_modifyitems`), and a section opened in JupyterLab (``lab``) or in
presenter mode (``voila``) stays open while the following tests ask for it; opening the next
section closes it (:class:`Pages`), so one page and one kernel of each kind run at a time
and a busy machine still draws every chart. Each server runs on a free loopback port with
its own Jupyter folders.
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


@pytest.fixture(scope="module")
def chrome():
    missing = harness.chromium_missing_message()
    if missing:
        pytest.fail(missing, pytrace=False)
    with harness.browser() as browser:
        yield browser


class Pages:
    """Sections opened on demand, kept open for the tests that follow, closed together.

    ``close()`` runs when the last test of a run of tests using these pages ends
    (:func:`pytest_runtest_teardown`): open pages keep Chromium drawing, and a server keeps
    its kernels, so nothing stays open while the worker goes on with other tests."""

    def __init__(self, open_section, start_server=None) -> None:
        self._open_section = open_section
        self._start_server = start_server
        self.server = None
        self.opened: dict[str, Loaded] = {}

    def __call__(self, section: str) -> Loaded:
        if section not in self.opened:
            self.close_sections()
            if self._start_server is not None and self.server is None:
                self.server = self._start_server()
            self.opened[section] = self._open_section(section, self.server)
        return self.opened[section]

    def close_sections(self) -> None:
        for loaded in self.opened.values():
            loaded.page.context.close()
            if loaded.server is self.server:
                harness.shut_down_kernels(self.server)
            else:
                loaded.server.stop()
        self.opened.clear()

    def close(self) -> None:
        self.close_sections()
        if self.server is not None:
            self.server.stop()
            self.server = None


PAGES: dict[str, Pages] = {}


@pytest.fixture(scope="module")
def lab(chrome):
    """``lab(section)``: the section open in JupyterLab after Run All (opened once)."""

    def open_section(section: str, server) -> Loaded:
        watch = harness.PageWatch()
        page = harness.new_page(chrome, watch)
        seconds = harness.open_lab_and_run_all(page, server, section)
        figures = sections()[section].figures()
        harness.wait_for_figures(page, figures, watch, log=lambda: harness.server_log(server))
        return Loaded(page, watch, seconds, server)

    PAGES["lab"] = Pages(open_section, lambda: harness.start_lab(list(sections())))
    yield PAGES["lab"]
    PAGES.pop("lab").close()


@pytest.fixture(scope="module")
def voila(chrome):
    """``voila(section)``: the section served by ``mlsd present`` and open in a page."""

    def open_section(section: str, _server) -> Loaded:
        server = harness.start_presenter(section)
        watch = harness.PageWatch()
        page = harness.new_page(chrome, watch)
        last = sections()[section].widgets[-1].css
        try:
            seconds = harness.open_voila(page, server, section, f".{last}")
            figures = sections()[section].figures()
            harness.wait_for_figures(page, figures, watch, log=lambda: harness.voila_log(server))
        except Exception:
            server.stop()
            raise
        return Loaded(page, watch, seconds, server)

    PAGES["voila"] = Pages(open_section)
    yield PAGES["voila"]
    PAGES.pop("voila").close()


def pytest_collection_modifyitems(items):
    """In each module, run the tests that open sections grouped by page kind, then section.

    Parametrised tests come out one function at a time (every section for the first test,
    then every section for the next); grouped, each section is opened once per kind and
    closed before the next opens. Tests in a group keep their order."""
    order = list(sections())
    files = [item.nodeid.split("::")[0] for item in items]
    first = {f: i for i, f in reversed(list(enumerate(files)))}

    def key(index):
        item = items[index]
        callspec = getattr(item, "callspec", None)
        section = callspec.params.get("section") if callspec else None
        names = getattr(item, "fixturenames", ())
        kind = next((k for k in ("lab", "voila") if k in names), None)
        grouped = (1, kind, order.index(section)) if kind and section in order else (0, "", 0)
        return (first[files[index]], *grouped, index)

    items[:] = [items[i] for i in sorted(range(len(items)), key=key)]


FAILED = pytest.StashKey[bool]()  # set on a test item whose setup, call or teardown failed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


def pytest_runtest_teardown(item, nextitem):
    """Close a kind of pages after the last of a run of tests that use them, and the open
    section after a test on it failed: the next test starts from a freshly opened page, so
    one broken page fails one test, not every test after it."""
    for name, pages in list(PAGES.items()):
        uses = name in getattr(item, "fixturenames", ())
        next_uses = nextitem is not None and name in getattr(nextitem, "fixturenames", ())
        if uses and not next_uses:
            pages.close()
        elif uses and item.stash.get(FAILED, False):
            pages.close_sections()
