"""The roster stage (:mod:`mlsd.grading.roster`): every bad row is named with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.grading import cli
from mlsd.grading.roster import read_roster


def test_roster_errors_name_the_line(tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text(
        "id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\n"
        "b ob,Bob,Ray,bob@example.org\ncat,Cat,Kim,not-an-email\nann,Ann,Two,a2@example.org\n"
    )
    with pytest.raises(ValueError) as info:
        read_roster(bad)
    message = str(info.value)
    assert "line 3: id='b ob'" in message and "line 4: email='not-an-email'" in message
    assert "line 5: id='ann' repeats line 2" in message
    (tmp_path / "noheader.csv").write_text("ann,Ann,Lee,ann@example.org\n")
    with pytest.raises(ValueError, match="line 1: header"):
        read_roster(tmp_path / "noheader.csv")
    assert cli.main(["grade", "--root", str(Path(__file__).parents[2]), "roster", str(bad)]) == 2
    assert "line 3" in capsys.readouterr().err
