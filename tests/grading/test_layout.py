"""Where a section's files are (:mod:`mlsd.grading.layout`)."""

from __future__ import annotations

import pytest

from mlsd.grading.layout import check_section, expected_notebooks

from .pipeline_course import SECTION, make_root


def test_unknown_sections_and_unreleased_notebooks_are_named(tmp_path):
    root = make_root(tmp_path)
    check_section(root, SECTION)
    with pytest.raises(ValueError, match=r"section='99-nope' is not a section under solutions/"):
        check_section(root, "99-nope")
    with pytest.raises(FileNotFoundError, match="run `mlsd grade release`"):
        expected_notebooks(root, SECTION)
    (root / "course" / SECTION).mkdir()
    (root / "course" / SECTION / "b.ipynb").write_text("{}")
    (root / "course" / SECTION / "a.ipynb").write_text("{}")
    assert expected_notebooks(root, SECTION) == ["a.ipynb", "b.ipynb"]
