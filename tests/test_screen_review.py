"""Defects found in review of `screen`: wrong evidence, crashes and silent acceptance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from exportscreen.cli import main
from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.screening import screen

# One CSL _id on several lists, as in the real 2022 CSL (71 ids, e.g. 18291 BANK BELVEB OJSC
# on SDN, SSI and CAPTA): each record has its own list and licence terms.
SDN = ListEntry(id="18291", source="sdn", source_name="SDN", name="Bank Belveb OJSC",
                programs=("RUSSIA-EO14024",), license_requirement="Blocked")
SSI = ListEntry(id="18291", source="ssi", source_name="SSI", name="Bank Belveb OJSC",
                programs=("UKRAINE-EO13662",), license_requirement="Directive 1")
SHARED_ID_LIST = ScreeningList(
    entries=(SDN, SSI),
    provenance=ListProvenance(source="test", format="test", sha256="0" * 64, entries=2),
)


def test_an_id_on_several_lists_reports_each_record_with_its_own_list() -> None:
    run = screen(pd.DataFrame({"name": ["Bank Belveb OJSC"]}), list=SHARED_ID_LIST)
    row = run.rows[0]
    assert sorted((a.source, a.license_requirement) for a in row.alerts) == [
        ("sdn", "Blocked"), ("ssi", "Directive 1")]
    # SDN (blocking) decides the row, not whichever record happened to be read last
    assert run.frame.loc[0, "matched_list"] == "sdn"
    assert run.frame.loc[0, "license_requirement"] == "Blocked"


def test_a_decision_on_one_record_of_a_shared_id_does_not_reopen_the_other() -> None:
    frame = pd.DataFrame({"name": ["Bank Belveb OJSC"]})
    first = screen(frame, list=SHARED_ID_LIST).rows[0]
    sdn_alert = next(a for a in first.alerts if a.source == "sdn")
    decisions = pd.DataFrame([{
        "row_key": first.row_key, "supplier_hash": first.supplier_hash,
        "entry_id": sdn_alert.entry_id, "entry_hash": sdn_alert.alert_hash,
        "decision": "false_positive", "analyst": "A", "date": "2026-01-01", "note": "",
    }])
    row = screen(frame, list=SHARED_ID_LIST, decisions=decisions).rows[0]
    assert [a.source for a, _ in row.suppressed] == ["sdn"]
    assert row.reopened == ()
    assert row.status == "hit" and row.top is not None and row.top.source == "ssi"
    both = pd.concat([decisions, decisions.assign(entry_hash=next(
        a.alert_hash for a in first.alerts if a.source == "ssi"))])
    row = screen(frame, list=SHARED_ID_LIST, decisions=both).rows[0]
    assert row.status == "clear" and len(row.suppressed) == 2 and row.reopened == ()


TINY = ScreeningList(
    entries=(SDN,),
    provenance=ListProvenance(source="test", format="test", sha256="1" * 64, entries=1),
)


def test_a_name_with_nothing_to_compare_is_an_error_not_clear() -> None:
    frame = pd.DataFrame({"name": ["???", "-", "Ltd", "Co., Ltd.", "Acme Trading Co., Ltd."]})
    out = screen(frame, list=TINY).frame
    assert out["screen_status"].tolist() == ["error", "error", "error", "error", "clear"]
    assert "no letters or digits" in out.loc[0, "reason"]
    assert "only a legal form" in out.loc[2, "reason"]


def _suppliers(tmp_path: Path) -> Path:
    path = tmp_path / "suppliers.csv"
    path.write_text("name,country\nAcme Trading,US\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("flags", [
    ["--hit-threshold", "200"],
    ["--hit-threshold", "nan"],
    ["--hit-threshold", "60", "--possible-threshold", "80"],
    ["--rule", "no-such-rule"],  # checked even without --ownership
    ["--out", "missing-folder/results.csv"],
    ["--decisions-template", "missing-folder/decisions.csv"],
])
def test_bad_flags_exit_2_before_any_work(
    tmp_path: Path, flags: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "own.csv"
    own.write_text("id,name\nL1,Bank Belveb OJSC\n", encoding="utf-8")
    assert main(["screen", str(_suppliers(tmp_path)), "--list", str(own), "-q", *flags]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "exportscreen: error:" in err


def test_out_must_not_be_a_folder_or_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suppliers = _suppliers(tmp_path)
    own = tmp_path / "own.csv"
    own.write_text("id,name\nL1,Bank Belveb OJSC\n", encoding="utf-8")
    folder = tmp_path / "out.csv"
    folder.mkdir()
    base = ["screen", str(suppliers), "--list", str(own), "-q"]
    assert main([*base, "--out", str(folder)]) == 2
    assert "folder" in capsys.readouterr().err
    assert main([*base, "--out", str(suppliers)]) == 2
    assert "overwrite an input" in capsys.readouterr().err
    same = str(tmp_path / "r.csv")
    assert main([*base, "--out", same, "--decisions-template", same]) == 2
    assert "same file" in capsys.readouterr().err
    assert suppliers.read_text(encoding="utf-8") == "name,country\nAcme Trading,US\n"


@pytest.mark.parametrize("report", [
    '{"rows": [{"row_key": 1, "screen_status": "clear"}]}',
    '{"rows": [{"row_key": "id:1", "screen_status": null}]}',
    '{"rows": [{"row_key": "id:1", "screen_status": "clear", "alerts": 5}]}',
    '{"rows": [], "list_entries": [1]}',
    '{"rows": [], "provenance": "x"}',
    '{"rows": [], "provenance": {"library": 5}}',
    '{"rows": [], "ownership": [1]}',
    '{"rows": [{"row_key": "id:1", "screen_status": "hit", "matched_entry_id": {"a": 1}}]}',
])
def test_malformed_previous_report_is_an_input_error(tmp_path: Path, report: str) -> None:
    from exportscreen.errors import InputError

    previous = tmp_path / "previous.json"
    previous.write_text(report, encoding="utf-8")
    with pytest.raises(InputError) as info:
        screen(pd.DataFrame({"name": ["Acme"], "id": ["1"]}), list=TINY, previous=previous)
    assert info.value.file == str(previous) and info.value.column


def test_a_semicolon_separated_file_gets_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("name;country\nAcme;US\n", encoding="utf-8")
    assert main(["screen", str(path), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{path}, row 1:" in err and "comma-separated" in err


def test_decisions_folder_and_json_syntax_errors_say_where(tmp_path: Path) -> None:
    from exportscreen.decisions import load_decisions
    from exportscreen.errors import InputError

    with pytest.raises(InputError, match="found a folder"):
        load_decisions(tmp_path)
    bad = tmp_path / "decisions.json"
    bad.write_text('[\n  {"decision": "false_positive"},\n  oops\n]', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_decisions(bad)
    assert info.value.file == str(bad) and info.value.row == 3


@pytest.mark.parametrize("content, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00name\n", "not a CSV text file"),  # old .xls
    (b"\xff\xfen\x00a\x00m\x00e\x00\n\x00A\x00\n\x00", "not a CSV text file"),  # UTF-16
    (b"Stra\xdfe,name\nx,Acme Trading\n", "row 1, column 'Stra\ufffde'"),  # Latin-1 header
    (b"name,name\nAcme Trading,Other\n", "row 1, column 'name': the column appears more"),
])
@pytest.mark.parametrize("command", ["screen", "match"])
def test_binary_files_and_undecodable_headers_exit_2(
    content: bytes, message: str, command: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "vendors.xls"
    path.write_bytes(content)
    own = tmp_path / "own.csv"
    own.write_text("id,name\nL1,Bank Belveb OJSC\n", encoding="utf-8")
    argv = (["screen", str(path), "-q"] if command == "screen"
            else ["match", "--input", str(path)])
    assert main([*argv, "--list", str(own)]) == 2
    err = capsys.readouterr().err
    assert f"{path}" in err and message in err and "internal error" not in err


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x05\x06" + b"\x00" * 18])
@pytest.mark.parametrize("command", ["screen", "match"])
def test_a_damaged_xlsx_exits_2(
    content: bytes, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vendors.xlsx"
    path.write_bytes(content)
    argv = (["screen", str(path), "-q"] if command == "screen"
            else ["match", "--input", str(path)])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{path}: not an Excel workbook" in err


def test_damaged_decisions_and_ownership_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"not a workbook")
    own = tmp_path / "own.csv"
    own.write_text("id,name\nL1,Bank Belveb OJSC\n", encoding="utf-8")
    base = ["screen", str(_suppliers(tmp_path)), "--list", str(own), "-q"]
    for flags in (["--decisions", str(damaged)], ["--ownership", str(damaged)]):
        assert main([*base, *flags]) == 2
        assert f"{damaged}: not an Excel workbook" in capsys.readouterr().err
