"""Reading student-writable folders (:mod:`mlsd.grading.untrusted`): links are never followed,
FIFOs never opened for reading, reads stop at the cap, and quarantine moves links
themselves."""

from __future__ import annotations

import os
import stat

import pytest

from mlsd.grading import untrusted
from mlsd.grading.screen import digest


@pytest.fixture
def folder(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("host file")
    root = tmp_path / "sub"
    (root / "deep").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    (root / "deep" / "b.txt").write_text("b")
    (root / "link.txt").symlink_to(outside)
    (root / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(root / "pipe")
    return root


def test_walk_sees_links_and_fifos_but_never_descends_through_a_link(folder):
    kinds = {e.relative: untrusted.kind(e.mode) for e in untrusted.walk(folder)}
    assert kinds == {
        "a.txt": "regular file",
        "deep": "folder",
        "deep/b.txt": "regular file",
        "dirlink": "symbolic link",
        "link.txt": "symbolic link",
        "pipe": "FIFO",
    }


def test_read_regular_refuses_links_and_fifos_and_stops_at_the_cap(folder):
    assert untrusted.read_regular(folder / "a.txt", 10) == b"a"
    with pytest.raises(untrusted.NotRegular, match="symbolic link"):
        untrusted.read_regular(folder / "link.txt", 10)
    with pytest.raises(untrusted.NotRegular, match="FIFO"):  # returns at once: no reader blocks
        untrusted.read_regular(folder / "pipe", 10)
    (folder / "big.bin").write_bytes(b"x" * 100)
    with pytest.raises(untrusted.TooLarge):
        untrusted.read_regular(folder / "big.bin", 99)


def test_digest_reads_regular_files_only(folder):
    before = digest(folder)  # would block on the FIFO or read the host file if it followed
    (folder.parent / "outside.txt").write_text("changed host file")
    assert digest(folder) == before
    (folder / "a.txt").write_text("A")
    assert digest(folder) != before


def test_quarantine_moves_links_themselves_and_unshares_hard_links(folder, tmp_path):
    shared = tmp_path / "shared.csv"
    shared.write_text("1,2\n")
    os.link(shared, folder / "deep" / "shared.csv")
    aside = tmp_path / "aside"
    notes = untrusted.quarantine(folder, aside)
    assert sorted(notes) == [
        "deep/shared.csv (hard link) replaced by a copy",
        "dirlink (symbolic link) moved to quarantine",
        "link.txt (symbolic link) moved to quarantine",
        "pipe (FIFO) moved to quarantine",
    ]
    assert os.readlink(aside / "link.txt") == str(tmp_path / "outside.txt")
    assert stat.S_ISFIFO(os.lstat(aside / "pipe").st_mode)
    assert (tmp_path / "outside.txt").read_text() == "host file"
    assert os.stat(shared).st_nlink == 1
    assert (folder / "deep" / "shared.csv").read_text() == "1,2\n"
    kinds = {untrusted.kind(e.mode) for e in untrusted.walk(folder)}
    assert kinds == {"regular file", "folder"}
    assert untrusted.quarantine(folder, aside) == []  # nothing left to move
