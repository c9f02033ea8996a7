"""How ``pytest -n 2 --dist loadgroup`` shares the suite between its two workers.

A plugin (``-p tests.xdist_groups`` in pyproject's ``addopts``), so that it sees every test,
those nbval collects in ``solutions/`` too. Each test joins one group, and a group runs on
one worker, in collection order:

- a test module, by default: its module-scoped fixtures (a grading run, a server) are
  built once, as under ``--dist loadfile``;
- ``tests/grading/test_autograde.py``, one group per section: each section's grading run is
  minutes of work, and the sections can run on both workers at once;
- every test that uses the ``lab`` fixture, from any module, in one group; likewise ``voila``:
  a section is opened once per worker (the fixtures are session-scoped), not once per module.
"""

from __future__ import annotations

import pytest

SPLIT_BY_PARAM = {"tests/grading/test_autograde.py": "graded"}
SHARED_PAGES = ("lab", "voila")


def group_of(item: pytest.Item) -> str:
    fixtures = set(getattr(item, "fixturenames", ()))
    for pages in SHARED_PAGES:
        if pages in fixtures:
            return f"browser-{pages}-pages"
    module = item.nodeid.split("::")[0]
    param = SPLIT_BY_PARAM.get(module)
    callspec = getattr(item, "callspec", None)
    if param and callspec is not None and param in callspec.params:
        return f"{module}:{callspec.params[param]}"
    return module


def check_name(name: str) -> str:
    """xdist reads the group after the last "@", and only when no "]" follows it: a name
    with "]" would make every test its own group (each worker would build every fixture)."""
    if "]" in name or "@" in name:
        raise ValueError(f"xdist group name {name!r} must contain neither ']' nor '@'")
    return name


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.xdist_group(check_name(group_of(item))))
