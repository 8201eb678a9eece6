"""The shared table reader: text cells, no silent coercion, places named in errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportscreen.errors import InputError
from exportscreen.io.read import has_undecodable, read_json_file, read_table


def test_dataframe_cells_become_text_without_coercion() -> None:
    frame = pd.DataFrame({
        "id": ["007", "A", None],
        "percent": [50.0, np.nan, 12.5],
        "when": [dt.date(2025, 9, 29), pd.NaT, dt.datetime(2025, 11, 10)],
        "count": pd.array([1, None, 3], dtype="Int64"),
    })
    table = read_table(frame, required=["id"])
    assert table.frame.to_dict("list") == {
        "id": ["007", "A", ""],
        "percent": ["50", "", "12.5"],
        "when": ["2025-09-29", "", "2025-11-10"],
        "count": ["1", "", "3"],
    }
    assert not table.from_file


def test_file_keeps_leading_zeros_and_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,name\n007,M\xfcller GmbH\n")
    table = read_table(path, required=["id", "name"])
    assert table.frame.loc[0, "id"] == "007"
    assert has_undecodable(table.frame.loc[0, "name"])


def test_missing_column_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("owner_id,percent\nA,50\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path, required=["owner_id", "owned_id"])
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 1, "owned_id")


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rule.json"
    path.write_text('{"id": "x",\n oops}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_json_file(path, "rule file")
    assert info.value.row == 2 and "rule file is not valid JSON" in str(info.value)


@given(st.lists(st.one_of(st.text(max_size=8), st.none(), st.floats(allow_nan=True),
                          st.integers(-10**6, 10**6)), min_size=1, max_size=20))
def test_every_cell_is_text_and_row_count_is_kept(cells: list[object]) -> None:
    table = read_table(pd.DataFrame({"c": pd.Series(cells, dtype=object)}))
    assert len(table.frame) == len(cells)
    assert all(isinstance(v, str) for v in table.frame["c"])
    assert [v for v, c in zip(table.frame["c"], cells, strict=True) if isinstance(c, str)] == [
        c for c in cells if isinstance(c, str)
    ]


# --------------------------------------------------------------- strict reading of files

def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_blank_lines_keep_the_row_numbers_of_the_rows_after_them(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\n1,2\n\n3,4\n\r\n5,6\n")
    table = read_table(path)
    assert table.frame.to_dict("list") == {"a": ["1", "3", "5"], "b": ["2", "4", "6"]}
    assert [table.row_number(i) for i in range(3)] == [2, 4, 6]
    assert table.row_numbers().tolist() == [2, 4, 6]
    assert table.blank_rows == (3, 5)
    assert str(table.error("bad", 1, "b")).startswith(f"{path}, row 4, column 'b'")


def test_keep_blank_keeps_blank_lines_as_rows_of_empty_cells(tmp_path: Path) -> None:
    # a line of spaces or the DOS end-of-file mark is blank too; blank lines after the
    # last row are not rows even when blank lines are kept
    table = read_table(_csv(tmp_path, "a,b\n1,2\n  \n3,4\n\n\x1a"), keep_blank=True)
    assert table.frame.to_dict("list") == {"a": ["1", "", "3"], "b": ["2", "", "4"]}
    assert table.row_numbers().tolist() == [2, 3, 4] and table.blank_rows == (5, 6)
    table = read_table(_csv(tmp_path, "a,b\n1,2\n  \n3,4\n\n\x1a"))
    assert table.row_numbers().tolist() == [2, 4] and table.blank_rows == (3, 5, 6)


def test_cr_only_line_ends_and_long_quoted_cells(tmp_path: Path) -> None:
    # old Mac Excel writes CR alone; pandas had moved the first row's cells one left
    table = read_table(_csv(tmp_path, "id,name,country\r,Huawei Technologies,CN\r2,Acme,US\r"))
    assert table.frame.to_numpy().tolist() == [["", "Huawei Technologies", "CN"],
                                               ["2", "Acme", "US"]]
    long = "x" * 200_000  # over the csv module's default field limit
    table = read_table(_csv(tmp_path, f'a,b\n1,"{long}"\n'))
    assert table.frame.loc[0, "b"] == long


@pytest.mark.parametrize(("text", "row", "column", "words"), [
    ("a,b,c\n1,2,3,4\n5,6,7\n", 2, None, "the row has 4 cells, the header 3"),
    ("a,b,c\n1,2,3\n5,6,7,8\n", 3, None, "the row has 4 cells, the header 3"),
    ("a,b,c\n1,2,3\n5,6\n", 3, "c", "the row has 2 cells, the header 3"),
    ("a,b,c\n1,2,3\nx\n", 3, "b", "the row has 1 cell, the header 3"),
    ('a,b,c\n"x\ny",2,3\n1,2\n', 3, "c", "the row has 2 cells"),  # a cell over two lines
])
def test_a_row_of_another_width_is_an_error_not_a_shift_or_padding(
    tmp_path: Path, text: str, row: int, column: str | None, words: str
) -> None:
    with pytest.raises(InputError) as info:
        read_table(_csv(tmp_path, text))
    assert info.value.row == row and info.value.column == column
    assert words in str(info.value)


@pytest.mark.parametrize(("text", "row"), [
    ('a,b\n1,"2\n3,4\n5,6\n', 2),       # the quote opens in the last column
    ('a,b\n\n1,2\n3,"4\n5,6\n7,8', 4),  # after a blank line; no newline at the end
    ('a,b\n"1,2\n', 2),                   # the open cell leaves the row short
])
def test_an_unclosed_quote_names_the_row_it_opens_in(
    tmp_path: Path, text: str, row: int
) -> None:
    with pytest.raises(InputError) as info:
        read_table(_csv(tmp_path, text))
    assert info.value.row == row
    assert "never closed" in str(info.value)


def test_a_repeated_or_undecodable_header_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="more than once") as info:
        read_table(_csv(tmp_path, "name,country,name\nA,DE,B\n"))
    assert (info.value.row, info.value.column) == (1, "name")
    path = tmp_path / "h.csv"
    path.write_bytes(b"n\xe4me,country\nA,DE\n")
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        read_table(path)
    assert info.value.row == 1


def test_empty_header_cells(tmp_path: Path) -> None:
    # trailing delimiters with nothing under them are left out; a filled one is kept
    table = read_table(_csv(tmp_path, "a,,b,\n1,x,2,\n3,,4,\n"))
    assert list(table.frame.columns) == ["a", "Unnamed: 1", "b"]
    assert table.frame["Unnamed: 1"].tolist() == ["x", ""]
    with pytest.raises(InputError, match="the first row is empty"):
        read_table(_csv(tmp_path, "\na,b\n1,2\n"))


@pytest.mark.parametrize("content", [
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,   # old binary .xls
    b"PK\x03\x04" + b"\x00" * 100,                          # a zip (.ods)
    "id,name\n1,A\n".encode("utf-16"),                      # UTF-16 export
])
def test_binary_files_are_refused_as_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="not a CSV text file"):
        read_table(path)


def test_excel_cells_header_row_and_blank_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "id", "when", "share"
    sheet.append([None, 7, dt.datetime(2024, 1, 2), 0.1])
    sheet.append([None, None, None, None])
    sheet.append([None, "007", dt.datetime(2024, 1, 2, 5, 30), 50.0])
    sheet.append([None, "NA", "None", "N/A"])  # Namibia, and texts pandas calls missing
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_table(path, required=["id"])
    # the empty column A is left out; dates at midnight are dates, 50.0 is 50
    assert table.frame.to_dict("list") == {
        "id": ["7", "007", "NA"], "when": ["2024-01-02", "2024-01-02T05:30:00", "None"],
        "share": ["0.1", "50", "N/A"],
    }
    assert table.row_numbers().tolist() == [4, 6, 7]
    assert table.blank_rows == (5,) and table.header_row == 3
    with pytest.raises(InputError) as info:
        read_table(path, required=["name"])
    assert (info.value.row, info.value.column) == (3, "name")


def test_a_damaged_workbook_and_a_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not an Excel workbook"):
        read_table(path)
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["id"])
    book.save(path)
    with pytest.raises(InputError, match="Other"):
        read_table(path, sheet="Other")


@pytest.mark.parametrize("text", ["20240101", "2024-W10-1", "2024-1-2", "٢٠٢٤-٠١-٠٢", "2024-02-30"])
def test_iso_date_takes_only_yyyy_mm_dd(text: str) -> None:
    from exportscreen.io.read import iso_date

    with pytest.raises(ValueError):
        iso_date(text)
    assert iso_date(" 2024-02-29 ") == dt.date(2024, 2, 29)


@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=5),
                         min_size=3, max_size=3), max_size=8),
       st.lists(st.booleans(), max_size=8))
def test_csv_round_trip_with_blank_lines(rows: list[list[str]], blanks: list[bool]) -> None:
    """Whatever the cells hold (quotes, commas, newlines), a CSV written by the csv module
    reads back cell for cell, and each row keeps its number around blank lines."""
    import csv
    import io
    import tempfile

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # quotes a cell with \r or \n; rows end in \r\n
    writer.writerow(["a", "b", "c"])
    expected_rows: list[int] = []
    kept: list[list[str]] = []
    line = 1
    for i, row in enumerate(rows):
        if i < len(blanks) and blanks[i]:
            buffer.write("\n")
            line += 1
        writer.writerow(row)
        line += 1
        expected_rows.append(line)
        kept.append(row)
    text = buffer.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text(text, encoding="utf-8", newline="")
        table = read_table(path)
    assert table.frame.to_numpy().tolist() == kept or (not kept and table.frame.empty)
    if any("\n" in c or "\r" in c for row in kept for c in row):
        return  # a cell over several lines: rows are records, not lines
    assert table.row_numbers().tolist() == expected_rows


_CELL = st.text(st.sampled_from('ab1 ,"'), max_size=3)


@given(st.lists(st.one_of(st.just(None), st.lists(_CELL, min_size=1, max_size=4)),
                max_size=8),
       st.booleans(), st.booleans())
def test_read_table_agrees_with_the_csv_module(
    records: list[list[str] | None], crlf: bool, quote_all: bool
) -> None:
    """Any record shapes (short, long, blank; quoted delimiters or not): read_table either
    returns exactly the csv module's cells with the right row numbers, or names the
    first row whose width differs from the header's (both the counting fast path and the
    exact path are exercised: quotes send a file to the exact one)."""
    import csv
    import io
    import tempfile

    buffer = io.StringIO(newline="")
    ending = "\r\n" if crlf else "\n"
    writer = csv.writer(buffer, lineterminator=ending,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(["h1", "h2", "h3"])
    for record in records:
        if record is None:
            buffer.write(ending)
        else:
            writer.writerow(record)
    text = buffer.getvalue()
    expected = list(csv.reader(io.StringIO(text, newline="")))[1:]
    # a line with one cell of nothing but spaces (or "") is blank, like an empty line
    expected = [[] if len(r) == 1 and not r[0].strip() else r for r in expected]
    bad = next((i for i, r in enumerate(expected) if r and len(r) != 3), None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text(text, encoding="utf-8", newline="")
        if bad is not None:
            with pytest.raises(InputError) as info:
                read_table(path)
            assert info.value.row == bad + 2
            return
        table = read_table(path)
    kept = [(i + 2, r) for i, r in enumerate(expected) if r]
    assert table.frame.to_numpy().tolist() == [r for _, r in kept] or (
        not kept and table.frame.empty)
    assert table.row_numbers().tolist() == [n for n, _ in kept]
    assert table.blank_rows == tuple(i + 2 for i, r in enumerate(expected) if not r)
