"""The collect stage (:mod:`mlsd.grading.collect`): LMS downloads into ``submitted/``."""

from __future__ import annotations

import os
import shutil
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from mlsd.grading import cli
from mlsd.grading.collect import collect
from mlsd.grading.release import release
from mlsd.grading.roster import import_roster
from mlsd.grading.settings import SubmissionLimits

from .hostile_class import write_roster
from .pipeline_course import ROOT, SECTION, make_root, notebook_name

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


# ----------------------------------------------------------------------------- attacks

ROSTER = ("ann", "bob", "bob_x", "grace_h", "cat")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A released course whose roster has look-alike ids (bob, bob_x) and the sample's
    grace_h; no submissions yet."""
    root = make_root(tmp_path_factory.mktemp("collect-course"))
    release(root, SECTION, log=lambda m: None)
    import_roster(root, write_roster(root / "roster.csv", ROSTER), log=lambda m: None)
    return root


@pytest.fixture
def course_root(released, tmp_path):
    """A private copy of the released course, for one test."""
    root = tmp_path / "course"
    shutil.copytree(released, root)
    return root


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _submitted(root: Path) -> Path:
    return root / "autograder" / "submitted"


def test_one_bad_entry_never_aborts_the_batch(course_root, tmp_path):
    name = notebook_name(course_root)
    long_name = "ann/" + "n" * 300 + ".csv"
    archive = _zip(
        tmp_path / "download.zip",
        {
            f"ann/{name}": b"ann's notebook",
            long_name: b"a,b\n",  # longer than a file name may be (255 bytes)
            "bob/data": b"a file ...",
            "bob/data/x.csv": b"... and a folder of the same name",
            f"bob/{name}": b"bob's notebook",
            f"cat/{name}": b"cat's notebook",
            "cat/broken.csv": os.urandom(5000),  # incompressible: its bytes can be hit
        },
    )
    _corrupt_member(archive, "cat/broken.csv")
    results = collect(course_root, SECTION, archive, log=lambda m: None)
    new = {r.student for r in results if r.path == name and r.action == "new"}
    assert new == {"ann", "bob", "cat"}
    for student in ("ann", "bob", "cat"):
        assert (
            (_submitted(course_root) / student / SECTION / name).read_bytes().endswith(b"notebook")
        )
    skipped = {r.path: r.detail for r in results if r.action == "skipped"}
    assert "name too long" in skipped[long_name].lower()
    assert any(p.startswith("bob/data") for p in skipped), skipped  # one of the clash
    assert "cat/broken.csv" in skipped and skipped["cat/broken.csv"]
    assert not (_submitted(course_root) / "cat" / SECTION / "broken.csv").exists()


def _corrupt_member(archive: Path, member: str) -> None:
    """Flip bytes inside one member's compressed data: reading it fails its CRC check."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
    data = bytearray(archive.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 100, start + 120):
        data[i] ^= 0xFF
    archive.write_bytes(bytes(data))


def test_flat_names_go_to_the_longest_roster_id(course_root, tmp_path):
    name = notebook_name(course_root)
    archive = _zip(
        tmp_path / "download.zip",
        {
            "grace_h_attempt_2.ipynb": b"grace's",
            f"bob/{name}": b"bob's own",
            "bob_x_attempt.ipynb": b"bob or bob_x?",  # both are roster ids: ambiguous
            "cat_final.ipynb": b"cat's",
            "zed_final.ipynb": b"not on the roster",
        },
    )
    results = collect(course_root, SECTION, archive, log=lambda m: None)
    submitted = _submitted(course_root)
    assert (submitted / "grace_h" / SECTION / name).read_bytes() == b"grace's"
    assert not (submitted / "grace").exists()
    assert (submitted / "cat" / SECTION / name).read_bytes() == b"cat's"
    assert (submitted / "bob" / SECTION / name).read_bytes() == b"bob's own"
    assert not (submitted / "bob_x").exists()
    skipped = {r.path: r.detail for r in results if r.action == "skipped"}
    assert "ambiguous: could be bob or bob_x" in skipped["bob_x_attempt.ipynb"]
    assert "no roster id" in skipped["zed_final.ipynb"]


def test_the_sample_class_grace_h_is_filed_as_grace_h(tmp_path):
    root = make_root(tmp_path / "sample", "09-common-mistakes")
    release(root, "09-common-mistakes", log=lambda m: None)
    import_roster(root, ROOT / "autograder" / "roster.example.csv", log=lambda m: None)
    (name,) = [p.name for p in (root / "course" / "09-common-mistakes").glob("*.ipynb")]
    archive = _zip(tmp_path / "flat.zip", {f"grace_h_{name}": b"grace", f"alan.t_{name}": b"x"})
    collect(root, "09-common-mistakes", archive, log=lambda m: None)
    submitted = _submitted(root)
    assert (submitted / "grace_h" / "09-common-mistakes" / name).read_bytes() == b"grace"
    assert (submitted / "alan.t" / "09-common-mistakes" / name).read_bytes() == b"x"


LMS_PATTERN = r"(?P<student_id>[a-z_]+)--(?P<timestamp>[0-9-]+T[0-9:]+)--(?P<file_id>.+)"


def test_an_lms_name_pattern_files_and_dates_each_entry(course_root, tmp_path, capsys):
    name = notebook_name(course_root)
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            f"bob_x--2024-03-01T10:00:00--{name}": b"bob_x's",
            f"bob--2024-03-02T09:30:00--my_{name}": b"bob's",
            "bob--2024-13-45T99:99:99--notes.txt": b"?",  # fits the pattern, no such date
            f"ann/{name}": b"not the LMS's naming",
        },
    )
    argv = ["grade", "--root", str(course_root), "collect", SECTION, "--from", str(archive)]
    assert cli.main([*argv, "--name-pattern", LMS_PATTERN]) == 0
    submitted = _submitted(course_root)
    bob_x = submitted / "bob_x" / SECTION / name
    assert bob_x.read_bytes() == b"bob_x's"
    assert bob_x.stat().st_mtime == datetime(2024, 3, 1, 10).timestamp()
    assert (submitted / "bob" / SECTION / name).read_bytes() == b"bob's"
    out = capsys.readouterr().out
    assert "not a date and time" in out and "does not match the name pattern" in out
    assert not (submitted / "ann").exists()

    # the same from the course's configuration, and a bad pattern is an error naming it
    config = course_root / "autograder" / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.MlsdCollect.name_pattern = {LMS_PATTERN!r}\n")
    shutil.rmtree(submitted)
    assert collect(course_root, SECTION, archive, log=lambda m: None)
    assert bob_x.read_bytes() == b"bob_x's"
    assert cli.main([*argv, "--name-pattern", "(?P<student>x)"]) == 2
    assert "--name-pattern='(?P<student>x)' has no (?P<student_id>...)" in capsys.readouterr().err


def test_a_folder_download_never_follows_links(course_root, tmp_path):
    name = notebook_name(course_root)
    canary = tmp_path / "host-secret.txt"
    canary.write_text("instructor's file")
    lms = tmp_path / "lms"
    (lms / "ann").mkdir(parents=True)
    (lms / "ann" / name).write_bytes(b"ann's")
    (lms / "ann" / "notes.txt").symlink_to(canary)
    (lms / "bob").symlink_to(tmp_path, target_is_directory=True)  # a linked student folder
    os.mkfifo(lms / "ann" / "pipe.csv")  # reading it would block forever
    results = collect(course_root, SECTION, lms, log=lambda m: None)
    skipped = {r.path: r.detail for r in results if r.action == "skipped"}
    assert "symbolic link: not followed" in skipped["ann/notes.txt"]
    assert "symbolic link: not followed" in skipped["bob"]
    assert "FIFO" in skipped["ann/pipe.csv"]
    submitted = _submitted(course_root)
    assert (submitted / "ann" / SECTION / name).read_bytes() == b"ann's"
    assert sorted(p.name for p in (submitted / "ann" / SECTION).iterdir()) == [
        name,
        "timestamp.txt",
    ]
    assert not (submitted / "bob").exists()


def test_entry_sizes_are_capped_while_reading(course_root, tmp_path):
    name = notebook_name(course_root)
    bomb = b"\0" * (20 << 20)  # 20 MB of zeros: about 20 KB compressed
    archive = _zip(tmp_path / "bomb.zip", {f"ann/{name}": bomb, f"bob/{name}": b"bob's"})
    assert archive.stat().st_size < 100_000
    tracemalloc.start()
    try:
        results = collect(
            course_root,
            SECTION,
            archive,
            log=lambda m: None,
            limits=SubmissionLimits(max_file_mb=1),
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    skipped = {r.path: r.detail for r in results if r.action == "skipped"}
    assert skipped == {f"ann/{name}": "over the 1 MB limit per file"}
    assert peak < 8 << 20, f"read {peak / 2**20:.1f} MB for a 1 MB cap"
    assert (_submitted(course_root) / "bob" / SECTION / name).read_bytes() == b"bob's"


def test_collect_writes_through_no_link_left_in_submitted(course_root, tmp_path):
    """A folder made by `nbgrader collect` from a student-writable exchange may hold links."""
    name = notebook_name(course_root)
    canary = tmp_path / "host-file.txt"
    canary.write_text("untouched")
    folder = _submitted(course_root) / "ann" / SECTION
    folder.mkdir(parents=True)
    (folder / "data.csv").symlink_to(canary)
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)
    archive = _zip(
        tmp_path / "d.zip",
        {"ann/data.csv": b"new data", "ann/sub/x.csv": b"planted", f"ann/{name}": b"nb"},
    )
    results = collect(course_root, SECTION, archive, log=lambda m: None)
    assert canary.read_text() == "untouched" and not (tmp_path / "x.csv").exists()
    skipped = {r.path: r.detail for r in results if r.action == "skipped"}
    assert "symbolic link in the way at" in skipped["ann/sub/x.csv"]
    assert "symbolic link is in the way" in skipped["ann/data.csv"]
    assert (folder / name).read_bytes() == b"nb"
