"""mlsd.data: every data set loads with its columns; missing or changed files fail clearly."""

from __future__ import annotations

import shutil

import pytest

from mlsd import data


@pytest.mark.parametrize("name", data.names())
def test_every_dataset_loads_with_its_columns(name):
    table = data.load(name)
    assert tuple(table.columns) == data.DATASETS[name].columns
    assert len(table) > 0
    data.check_columns(name, table)


def test_load_returns_a_copy_so_callers_cannot_corrupt_the_cache():
    first = data.load("obd_items")
    first.iloc[0, 0] = -1
    assert data.load("obd_items").iloc[0, 0] == 0


def test_data_dir_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (data.data_dir() / "DATA.md").is_file()
    assert len(data.load("support_qa")) == 2026


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="name must be one of .*'obd_clicks'.*got 'nope'"):
        data.load("nope")


def _copy_data(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(data.data_dir(), target)
    monkeypatch.setenv(data.DATA_ENV, str(target))
    return target


def test_missing_file_names_the_file_and_how_to_restore_it(tmp_path, monkeypatch):
    folder = _copy_data(tmp_path, monkeypatch)
    (folder / "support_qa.csv").unlink()
    with pytest.raises(data.DataError) as err:
        data.load("support_qa")
    text = str(err.value)
    assert "support_qa.csv" in text and "missing" in text
    assert "make_support_qa.py" in text and "git checkout -- data/support_qa.csv" in text


def test_changed_file_fails_its_checksum(tmp_path, monkeypatch):
    folder = _copy_data(tmp_path, monkeypatch)
    path = folder / "auction_requests.csv"
    path.write_text(path.read_text().replace("0.8", "0.9", 1))
    with pytest.raises(data.DataError) as err:
        data.load("auction_requests")
    text = str(err.value)
    assert "auction_requests.csv" in text and "was changed" in text and "sha256" in text
    assert data.DATASETS["auction_requests"].sha256[:12] in text
    assert "make_auction_requests.py" in text


def test_wrong_columns_are_reported(tmp_path, monkeypatch):
    folder = _copy_data(tmp_path, monkeypatch)
    path = folder / "obd_items.csv"
    path.write_text("item_id,colour\n0,red\n")
    spec = data.Dataset(
        "tiny", "obd_items.csv", data.sha256_of(path), ("item_id", "size"), "test", "restore {file}"
    )
    monkeypatch.setitem(data.DATASETS, "tiny", spec)
    with pytest.raises(data.DataError, match=r"unexpected columns \(missing \['size'\], extra"):
        data.load("tiny")


def test_check_columns_rejects_a_reordered_table():
    table = data.load("obd_items")
    with pytest.raises(data.DataError, match="should have columns"):
        data.check_columns("obd_items", table[table.columns[::-1]])


def test_data_md_records_every_checksum():
    text = (data.data_dir() / "DATA.md").read_text()
    for spec in data.DATASETS.values():
        assert spec.sha256 in text, spec.name
