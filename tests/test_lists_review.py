"""Defects found in review of the list loaders and the cache: bad input must exit 2 or fall back."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from exportscreen.cli import main


def test_own_list_without_id_names_the_id_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "own.csv"
    own.write_text("id,name\n,Acme Shadow Trading\n", encoding="utf-8")
    assert main(["match", "Acme", "--list", str(own)]) == 2
    assert f"{own}, row 2, column 'id':" in capsys.readouterr().err


@pytest.mark.parametrize("payload", [b"[1, 2]", b'[{"id": 1}]', b'"x"'])
def test_a_cache_of_another_shape_falls_back_to_the_snapshot(
    payload: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EXPORTSCREEN_CACHE", str(tmp_path))
    folder = tmp_path / "lists" / "csl" / "v1"
    folder.mkdir(parents=True)
    blob = gzip.compress(payload)
    (folder / "entries.json.gz").write_bytes(blob)
    (folder.parent / "current.json").write_text(json.dumps({
        "version": "v1", "entries_sha256": hashlib.sha256(blob).hexdigest(), "entries": 2,
        "source": "x", "snapshot_date": "2025-01-01", "sha256": "a" * 64,
        "retrieved_at": "2025-01-01T00:00:00+00:00",
    }), encoding="utf-8")
    assert main(["lists", "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 14160 and info["cached"] is False
    assert any("could not be used" in n for n in info["notices"])


@pytest.mark.parametrize("flags", [
    ["--url", "notaurl"],
    ["--url", "ftp://example.org/list.csv"],
    ["--url", "http://127.0.0.1:9/x", "--timeout", "0"],
    ["--url", "http://127.0.0.1:9/x", "--timeout", "nan"],
])
def test_lists_update_bad_flags_exit_2_and_keep_the_list(
    flags: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EXPORTSCREEN_CACHE", str(tmp_path))
    assert main(["lists", "update", "--no-progress", *flags]) == 2
    assert "internal error" not in capsys.readouterr().err
    assert not (tmp_path / "lists" / "csl" / "current.json").exists()


def test_an_empty_zip_says_it_holds_no_xml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    path = tmp_path / "SDN_ENHANCED.ZIP"
    with zipfile.ZipFile(path, "w"):
        pass
    assert main(["match", "Acme", "--list", str(path)]) == 2
    assert "must hold exactly one .xml file, found 0" in capsys.readouterr().err
