"""``--encoding`` and ``--sheet`` (io.read's ``encoding=``/``sheet=``) on every reader, and
the shared CLI options (``--list``, ``--rule``, ``--as-of``, ``--encoding``, ``--sheet``)
giving one message for one mistake in every command."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.io.cells import ByteTable
from exportscreen.io.read import Table, read_columns, read_options, read_table
from exportscreen.ownership.engine import load_listed_csv

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures"
OWN = FIX / "ownership"

# real Windows-1252 bytes: é is 0xE9, € is 0x80 (not Latin-1), ß is 0xDF
CP1252_SUPPLIERS = (
    b"supplier_id,name,country\r\n"
    b"S1,Soci\xe9t\xe9 G\xe9n\xe9rale,FR\r\n"
    b"S2,Euro \x80 Handels GmbH,DE\r\n"
    b"S3,Stra\xdfenbau M\xfcller AG,DE\r\n"
    b"S4,Huawei Technologies Co. Ltd.,CN\r\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ --encoding


def test_a_cp1252_file_is_read_with_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_SUPPLIERS)
    table = read_table(path, encoding="cp1252")
    assert table.frame["name"].tolist() == [
        "Société Générale", "Euro € Handels GmbH", "Straßenbau Müller AG",
        "Huawei Technologies Co. Ltd."]
    assert table.encoding == "cp1252"
    # never guessed: read as UTF-8 (the default), the same bytes are undecodable cells
    default = read_table(path)
    assert xs.InputError is InputError
    assert default.frame["name"].tolist()[0] == "Soci\udce9t\udce9 G\udce9n\udce9rale"


def test_screen_api_screens_every_cp1252_row(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_SUPPLIERS)
    run_ = xs.screen(path, encoding="cp1252")
    frame = run_.frame
    assert frame["name"].tolist()[:2] == ["Société Générale", "Euro € Handels GmbH"]
    assert "error" not in set(frame["screen_status"])
    assert frame["screen_status"].tolist()[3] == "hit"
    # the same file without the encoding: the rows with those bytes cannot be screened
    unscreened = xs.screen(path).frame["screen_status"].tolist()
    assert unscreened[:3] == ["error", "error", "error"]


def test_screen_cli_with_encoding_cp1252(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_SUPPLIERS)
    code, out, err = run(capsys, "screen", str(path), "--encoding", "cp1252", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["name"] for r in rows][:2] == ["Société Générale", "Euro € Handels GmbH"]
    assert len(rows) == 4 and all(r["screen_status"] != "error" for r in rows)


def test_bytes_not_valid_in_the_named_encoding_are_named_by_row_and_column(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 0x81 is one of the five bytes Windows-1252 leaves undefined
    path = tmp_path / "names.csv"
    path.write_bytes(b"name\nSoci\xe9t\xe9 G\xe9n\xe9rale\nBad \x81 name\n")
    code, _, err = run(capsys, "match", "--input", str(path), "--encoding", "cp1252",
                       "--list", str(FIX / "lists" / "own_list.csv"))
    assert code == 2
    assert f"{path}, row 3, column 'name': the name has bytes that are not valid cp1252" in err
    # as UTF-8 the first such row is row 2
    code, _, err = run(capsys, "match", "--input", str(path),
                       "--list", str(FIX / "lists" / "own_list.csv"))
    assert code == 2 and "row 2, column 'name'" in err and "not valid UTF-8" in err


def test_a_header_not_valid_utf8_suggests_the_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"soci\xe9t\xe9\nx\n")
    with pytest.raises(InputError, match="--encoding") as info:
        read_table(path)
    assert info.value.row == 1
    assert read_table(path, encoding="cp1252").columns == ["société"]


def test_latin1_and_utf16_by_name(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("name\nSociété\n".encode("latin-1"))
    assert read_table(path, encoding="latin-1").frame["name"].tolist() == ["Société"]
    path.write_bytes("name\nSociété\n€\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_table(path)  # refused as binary unless named
    assert read_table(path, encoding="utf-16").frame["name"].tolist() == ["Société", "€"]


def test_a_utf8_bom_says_utf8_whatever_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffname\nSociété\n".encode())
    table = read_table(path, encoding="cp1252")
    assert table.columns == ["name"] and table.frame["name"].tolist() == ["Société"]


@pytest.mark.parametrize("name", ["nope", "base64", "", "rot13"])
def test_an_unknown_encoding_is_an_input_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"name\nx\n")
    with pytest.raises(InputError, match="unknown encoding"):
        read_table(path, encoding=name)


def test_encoding_reaches_ownership_listed_and_bom_readers(tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_bytes(b"owner_id,owned_id,percent\nSOCI\xc9T\xc9,FILIALE-\x80,60\n")
    ent = tmp_path / "ent.csv"
    ent.write_bytes(b"id,name,country\nSOCI\xc9T\xc9,Soci\xe9t\xe9 G\xe9n\xe9rale,FR\n"
                    b"FILIALE-\x80,Filiale \x80,DE\n")
    graph = xs.OwnershipGraph.from_csv(own, entities=ent, encoding="cp1252")
    utf8_own = tmp_path / "own8.csv"
    utf8_own.write_bytes(own.read_bytes().decode("cp1252").encode())
    assert isinstance(read_columns(utf8_own), ByteTable)  # the byte path: UTF-8 only
    assert isinstance(read_columns(own, encoding="cp1252"), Table)
    same = xs.OwnershipGraph.from_csv(utf8_own)
    assert graph.stake_rows().equals(same.stake_rows())
    assert graph.stake_rows()[["owner_id", "owned_id"]].values.tolist() == [
        ["SOCIÉTÉ", "FILIALE-€"]]
    assert graph.entities["SOCIÉTÉ"].name == "Société Générale"
    listed_path = tmp_path / "listed.csv"
    listed_path.write_bytes(b"id,list,name\nSOCI\xc9T\xc9,sdn,Soci\xe9t\xe9 G\xe9n\xe9rale\n")
    listed = load_listed_csv(listed_path, encoding="cp1252")
    assert [p.name for p in listed] == ["Société Générale"]
    result = xs.apply_affiliates_rule(graph, {p.id: p.list for p in listed}, rule="us-ofac",
                                      as_of="2025-10-15")
    assert [f.id for f in result.findings] == ["FILIALE-€"]
    bom = tmp_path / "bom.csv"
    text = (FIX / "bom" / "example.csv").read_text(encoding="utf-8")
    bom.write_bytes(text.replace("NdFeB magnet", "NdFeB Magnet für €").encode("cp1252"))
    verdicts = xs.check_bom(bom, encoding="cp1252")
    assert [v.status for v in verdicts] == [v.status for v in xs.check_bom(FIX / "bom" /
                                                                           "example.csv")]


def test_screen_encoding_reaches_the_decisions_file(tmp_path: Path) -> None:
    from exportscreen.report.csv import write_decisions_template

    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_SUPPLIERS)
    template = tmp_path / "template.csv"
    write_decisions_template(xs.screen(path, encoding="cp1252"), template)
    rows = list(csv.DictReader(io.StringIO(template.read_text(encoding="utf-8-sig"))))
    assert rows
    for row in rows:
        row.update(decision="confirmed", analyst="Zoë", note="vérifié, 5 €")
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    decisions = tmp_path / "decisions.csv"
    decisions.write_bytes(body.getvalue().encode("cp1252"))  # saved by a Windows spreadsheet
    frame = xs.screen(path, encoding="cp1252", decisions=decisions).frame
    assert "confirmed by Zoë: vérifié, 5 €" in frame["decision_note"].tolist()
    with pytest.raises(InputError, match="not valid UTF-8"):
        xs.screen(path, decisions=decisions)  # read as UTF-8: é is not UTF-8


# the cp1252 csv-module reading and the UTF-8 reading (byte path where the file is
# simple) give the same cells, rows and blank rows for any text both can hold
_CP1252_CHARS = sorted({b.to_bytes(1, "big").decode("cp1252") for b in range(0x20, 0x100)
                        if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)} - {"\x7f"})
_CELLS = st.text(st.sampled_from(_CP1252_CHARS), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(
    lambda w: st.lists(st.lists(_CELLS, min_size=w, max_size=w), max_size=12)),
    st.sampled_from(["\n", "\r\n"]))
def test_cp1252_reading_agrees_with_utf8_reading(rows: list[list[str]], eol: str) -> None:
    width = len(rows[0]) if rows else 1
    body = io.StringIO()
    writer = csv.writer(body, lineterminator=eol)
    writer.writerow([f"c{k}" for k in range(width)])
    writer.writerows(rows)
    text = body.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        utf8, cp = Path(tmp) / "u.csv", Path(tmp) / "c.csv"
        utf8.write_bytes(text.encode("utf-8"))
        cp.write_bytes(text.encode("cp1252"))
        try:
            expected = read_columns(utf8)
        except InputError as exc:
            with pytest.raises(InputError) as got:
                read_columns(cp, encoding="cp1252")
            assert (got.value.row, got.value.column, got.value.message) == (
                exc.row, exc.column, exc.message)
            return
        table = read_columns(cp, encoding="cp1252")
        assert isinstance(table, Table)
        assert table.columns == expected.columns
        assert table.row_numbers().tolist() == expected.row_numbers().tolist()
        assert table.blank_rows == expected.blank_rows
        for name in expected.columns:
            assert table.texts(name).tolist() == expected.texts(name).tolist()


# ------------------------------------------------------------------ --sheet


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


SUPPLIER_ROWS: list[list[object]] = [["name", "country"], ["Huawei Technologies Co. Ltd.", "CN"],
                                     ["Acme Widgets", "US"]]


def test_a_multi_sheet_workbook_asks_which_sheet(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    book = _workbook(tmp_path / "vendors.xlsx", {
        "Notes": [["Exported from the ERP"]], "Suppliers": SUPPLIER_ROWS})
    code, _, err = run(capsys, "screen", str(book), "-q")
    assert code == 2
    assert "the workbook has 2 sheets (1 'Notes', 2 'Suppliers')" in err
    assert "--sheet" in err and "name" not in err.split("sheets")[0]
    for sheet in ("Suppliers", "2"):
        code, out, err = run(capsys, "screen", str(book), "--sheet", sheet, "--format", "csv")
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        assert [r["screen_status"] for r in rows] == ["hit", "clear"]
    code, _, err = run(capsys, "screen", str(book), "--sheet", "Vendors", "-q")
    assert code == 2
    assert "no sheet named 'Vendors': the workbook's sheets are 1 'Notes', 2 'Suppliers'" in err
    code, _, err = run(capsys, "screen", str(book), "--sheet", "3", "-q")
    assert code == 2 and "no sheet number 3: the workbook has 2 sheets" in err


def test_empty_sheets_beside_the_table_need_no_sheet(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "t.xlsx", {"Sheet1": SUPPLIER_ROWS, "Sheet2": [],
                                           "Sheet3": [[None, None]]})
    assert read_table(book).frame["name"].tolist() == ["Huawei Technologies Co. Ltd.",
                                                       "Acme Widgets"]


def test_sheet_reaches_every_reader(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def sheet_of(path: Path) -> list[list[object]]:
        return [list(r) for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))]

    names = {"own": OWN / "ownership.csv", "listed": OWN / "listed.csv",
             "ent": OWN / "entities.csv", "bom": FIX / "bom" / "example.csv"}
    books = {key: _workbook(tmp_path / f"{key}.xlsx", {"README": [["see the data sheet"]],
                                                       "data": sheet_of(path)})
             for key, path in names.items()}
    as_csv = run(capsys, "affiliates", "--ownership", str(names["own"]), "--listed",
                 str(names["listed"]), "--entities", str(names["ent"]), "--as-of", "2025-10-15")
    as_xlsx = run(capsys, "affiliates", "--ownership", str(books["own"]), "--listed",
                  str(books["listed"]), "--entities", str(books["ent"]), "--as-of",
                  "2025-10-15", "--sheet", "data")
    assert as_xlsx[0] == 0, as_xlsx[2]
    assert json.loads(as_xlsx[1])["findings"] == json.loads(as_csv[1])["findings"]
    code, out, err = run(capsys, "rare-earth", str(books["bom"]), "--sheet", "2")
    assert code == 0, err
    reference = json.loads(run(capsys, "rare-earth", str(names["bom"]))[1])
    assert [p["status"] for p in json.loads(out)["products"]] == [
        p["status"] for p in reference["products"]]
    assert [v.status for v in xs.check_bom(books["bom"], sheet="data")] == [
        p["status"] for p in reference["products"]]
    code, _, err = run(capsys, "rare-earth", str(books["bom"]))
    assert code == 2 and "1 'README', 2 'data'" in err
    names_book = _workbook(tmp_path / "names.xlsx", {"x": [["other"]], "names": SUPPLIER_ROWS})
    code, out, err = run(capsys, "match", "--input", str(names_book), "--sheet", "names",
                         "--format", "csv")
    assert code == 0, err
    assert out.count("\n") == 3


def test_read_options_give_the_default_of_a_block(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"name\nSoci\xe9t\xe9\n")
    with read_options(encoding="cp1252"):
        assert read_table(path).frame["name"].tolist() == ["Société"]
        assert read_table(path, encoding="latin-1").encoding == "iso8859-1"
    assert read_table(path).encoding == "utf-8"


# ------------------------------------------------------------------ shared CLI options


def _commands(tmp_path: Path, *, takes: str) -> dict[str, list[str]]:
    """Each command that takes the option *takes*, with valid other arguments."""
    names = tmp_path / "names.csv"
    names.write_text("name\nAcme Widgets\n", encoding="utf-8")
    own_list = str(FIX / "lists" / "own_list.csv")
    every = {
        "screen": ["screen", str(FIX / "suppliers.csv"), "-q"],
        "affiliates": ["affiliates", "--ownership", str(OWN / "ownership.csv"), "--listed",
                       str(OWN / "listed.csv")],
        "match": ["match", "--input", str(names), "--list", own_list],
        "rare-earth": ["rare-earth", str(FIX / "bom" / "example.csv")],
    }
    takers = {"encoding": ["screen", "affiliates", "match", "rare-earth"],
              "sheet": ["screen", "affiliates", "match", "rare-earth"],
              "rule": ["screen", "affiliates"], "as-of": ["screen", "affiliates"],
              "list": ["screen", "match"]}
    return {name: every[name] for name in takers[takes]}


MISTAKES = [
    ("encoding", ["--encoding", "klingon"], "column '--encoding': unknown encoding 'klingon'"),
    ("encoding", ["--encoding", ""], "column '--encoding': unknown encoding ''"),
    ("sheet", ["--sheet", " "], "column '--sheet': the sheet name is empty"),
    ("rule", ["--rule", "mine.json"], "mine.json: rule file not found"),
    ("rule", ["--rule", "nope"], "column '--rule': unknown rule 'nope'"),
    ("as-of", ["--as-of", "2025-02-30"],
     "column '--as-of': not a date in the form YYYY-MM-DD: '2025-02-30'"),
    ("list", ["--list", "missing.csv"], "missing.csv: list file not found"),
]


@pytest.mark.parametrize(("option", "mistake", "expected"), MISTAKES)
def test_one_mistake_one_message_in_every_command(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, mistake: list[str],
        expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # mine.json and missing.csv are not there
    messages = {}
    for command, argv in _commands(tmp_path, takes=option).items():
        code, _, err = run(capsys, *argv, *mistake)
        assert code == 2, (command, err)
        messages[command] = [line for line in err.splitlines()
                             if line.startswith("exportscreen: error:")]
    assert len(messages) >= 2
    first = next(iter(messages.values()))
    assert all(lines == first for lines in messages.values()), messages
    assert len(first) == 1 and expected in first[0]


def test_list_is_repeatable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    own_list = str(FIX / "lists" / "own_list.csv")
    code, out, err = run(capsys, "match", "Nordlicht Maschinenbau GmbH", "--list", "default",
                         "--list", own_list)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["matches"][0]["entry_id"] == "C-002"
    assert " + " in doc["list"]["source"]
    code, out, _ = run(capsys, "match", "Nordlicht Maschinenbau GmbH")
    assert all(m["entry_id"] != "C-002" for m in json.loads(out)["matches"])
    suppliers = tmp_path / "s.csv"
    suppliers.write_text("name,country\nNordlicht Maschinenbau GmbH,DE\n"
                         "Huawei Technologies Co. Ltd.,CN\n", encoding="utf-8")
    code, out, err = run(capsys, "screen", str(suppliers), "--list", "default", "--list",
                         own_list, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["screen_status"] for r in rows] == ["hit", "hit"]
    assert rows[0]["matched_entry_id"] == "C-002"
    # the same list twice: its entries are counted once (no doubled alerts), with a notice
    code, out, err = run(capsys, "screen", str(suppliers), "--list", own_list, "--list",
                         own_list, "--format", "csv")
    assert code == 0 and "counted once" in err
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0]["matched_entry_id"] == "C-002" and "also" not in rows[0]["reason"]
