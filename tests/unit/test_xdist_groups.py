"""The suite's groups for ``--dist loadgroup`` are what xdist can read."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import xdist_groups


def _item(nodeid: str, fixtures=(), params=None):
    callspec = SimpleNamespace(params=params) if params is not None else None
    return SimpleNamespace(nodeid=nodeid, fixturenames=list(fixtures), callspec=callspec)


def test_a_module_is_a_group_and_autograde_splits_by_section():
    plain = _item("tests/unit/test_x.py::test_a[1]", params={"n": 1})
    assert xdist_groups.group_of(plain) == "tests/unit/test_x.py"
    section = _item(
        "tests/grading/test_autograde.py::test_reference[06-tradeoffs]",
        fixtures=["graded"],
        params={"graded": "06-tradeoffs"},
    )
    assert xdist_groups.group_of(section) == "tests/grading/test_autograde.py:06-tradeoffs"


def test_every_test_of_the_shared_pages_is_in_one_group():
    a = _item("tests/browser/test_clipping.py::test_lab[05-x]", fixtures=["lab", "section"])
    b = _item("tests/browser/test_lab.py::test_renders[06-y]", fixtures=["lab"])
    c = _item("tests/browser/test_presenter.py::test_keys[06-y]", fixtures=["chrome", "voila"])
    assert xdist_groups.group_of(a) == xdist_groups.group_of(b) == "browser-lab-pages"
    assert xdist_groups.group_of(c) == "browser-voila-pages"


@pytest.mark.parametrize("name", ["tests/x.py[06]", "a@b"])
def test_a_name_xdist_would_misread_is_refused(name):
    with pytest.raises(ValueError, match="xdist group name"):
        xdist_groups.check_name(name)
