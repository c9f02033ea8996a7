"""The collect stage (:mod:`mlsd.grading.collect`): LMS downloads into ``submitted/``."""

from __future__ import annotations

import os

import pytest

from mlsd.grading.collect import collect

from .pipeline_course import SECTION, notebook_name

pytestmark = pytest.mark.slow


def test_collect_keeps_newer_and_replaces_older(hostile_class, tmp_path):
    root, name = hostile_class["root"], notebook_name(hostile_class["root"])
    dest = root / "autograder" / "submitted" / "good-a" / SECTION / name
    original = dest.read_bytes()
    folder = tmp_path / "lms" / "good-a"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(original + b"\n")
    old = dest.stat().st_mtime - 3600
    os.utime(folder / name, (old, old))
    (kept,) = collect(root, SECTION, tmp_path / "lms", log=lambda m: None)
    assert kept.action == "kept newer" and dest.read_bytes() == original
    new = dest.stat().st_mtime + 3600
    os.utime(folder / name, (new, new))
    (replaced,) = collect(root, SECTION, tmp_path / "lms", log=lambda m: None)
    try:
        assert replaced.action == "replaced" and dest.read_bytes() == original + b"\n"
        (backup,) = (root / "autograder" / "replaced" / "good-a" / SECTION).iterdir()
        assert backup.read_bytes() == original
    finally:
        dest.write_bytes(original)
        os.utime(dest, (old + 3600, old + 3600))
    skipped = [c for c in hostile_class["collected"] if c.action == "skipped"]
    assert skipped == []
