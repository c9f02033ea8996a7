"""The release stage (:mod:`mlsd.grading.release`) on the hostile class's course."""

from __future__ import annotations

import pytest

from mlsd.grading.release import release

from .pipeline_course import SECTION

pytestmark = pytest.mark.slow


def test_release_refuses_to_drop_a_notebook_with_submissions(hostile_class):
    root = hostile_class["root"]
    (source,) = (root / "solutions" / SECTION).glob("*.ipynb")
    moved = source.with_name("renamed.ipynb")
    source.rename(moved)
    try:
        with pytest.raises(ValueError, match="would drop notebook"):
            release(root, SECTION, log=lambda m: None)
    finally:
        moved.rename(source)
    assert (root / "course" / SECTION / source.name).is_file()
