"""The byte-level column reader (exportscreen.io.cells) agrees with read_table cell for
cell, and an ownership graph read either way is the same graph."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from exportscreen import OwnershipGraph
from exportscreen.errors import InputError
from exportscreen.io.cells import ByteTable, factorize_columns
from exportscreen.io.read import Table, read_columns, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# any character a quote-free CSV cell can hold: no delimiter, quote, line break or NUL
_CHAR = st.characters(blacklist_characters=',"\r\n\x00', blacklist_categories=("Cs",))
_CELL = st.one_of(
    st.text(_CHAR, max_size=6),
    st.text(st.sampled_from("AB 1."), max_size=20),  # few values: repeats, shared prefixes
    st.text(_CHAR, min_size=60, max_size=90),  # several 64-bit words
    st.text(st.sampled_from("ab"), min_size=250, max_size=270),  # over 256 bytes or not
)


@st.composite
def _files(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    width = draw(st.integers(1, 4))
    names = [f"c{k}" for k in range(width)]
    rows = draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=25))
    if draw(st.booleans()):  # mostly empty columns take another path
        rows = [[cell if draw(st.integers(0, 4)) == 0 else "" for cell in row] for row in rows]
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(names)]
    # blank lines keep the row numbers; in a one-column file a line of only white space
    # is blank too (in a wider one it has too few cells: read_table names it)
    blanks = st.sampled_from(["", " ", "\t ", "\x0c", "\x1a", "\u3000", " \xa0 "]
                             if width == 1 else [""])
    for row in rows:
        lines.extend(draw(st.lists(blanks, max_size=1)))
        lines.append(",".join(row))
    text = eol.join(lines) + (eol if draw(st.booleans()) else "")
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8"), names


def _write(tmp: str, data: bytes) -> Path:
    path = Path(tmp) / "t.csv"
    path.write_bytes(data)
    return path


@settings(max_examples=300, deadline=None)
@given(_files())
def test_byte_table_reads_the_cells_read_table_reads(case: tuple[bytes, list[str]]) -> None:
    data, names = case
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(tmp, data)
        try:
            expected = read_table(path)
        except InputError as exc:
            with pytest.raises(InputError) as got:
                read_columns(path)
            assert str(got.value) == str(exc)
            return
        fast = read_columns(path)
    assert isinstance(fast, ByteTable)
    assert fast.columns == expected.columns
    assert fast.n_rows == expected.n_rows
    assert fast.row_numbers().tolist() == expected.row_numbers().tolist()
    assert fast.blank_rows == expected.blank_rows
    for name in names:
        cells = expected.frame[name].tolist()
        assert fast.texts(name).tolist() == cells
        codes, values = expected.factorize(name)
        assert values[codes].tolist() == cells
        assert len(set(values.tolist())) == len(values)
        # values in order of first appearance ("" last in a mostly empty column)
        assert [v for v in values.tolist() if v] == [v for v in dict.fromkeys(cells) if v]
        fast_codes, fast_values = fast.factorize(name)
        assert fast_codes.tolist() == codes.tolist()
        assert fast_values.tolist() == values.tolist()
    both = [(fast, name) for name in names]
    codes_list, values = factorize_columns(both)
    slow_codes, slow_values = factorize_columns([(expected, name) for name in names])
    assert values.tolist() == slow_values.tolist() == sorted(set(values.tolist()))
    for name, codes, slow in zip(names, codes_list, slow_codes, strict=True):
        assert values[codes].tolist() == expected.frame[name].tolist()
        assert codes.tolist() == slow.tolist()


@pytest.mark.parametrize("data", [
    b'a,b\n"x,y",1\n',             # a quoted cell
    b"a,b\r1,2\r",                 # CR-only line ends
    b"a,b\n1,\xff\n",              # bytes that are not UTF-8
    b"a,b\n1,2\x00\n",             # a NUL byte
    b"a,,b\n1,2,3\n",              # an empty header cell
])
def test_other_files_are_read_by_read_table(tmp_path: Path, data: bytes) -> None:
    path = _write(str(tmp_path), data)
    assert isinstance(read_columns(path), Table)


@pytest.mark.parametrize("data", [
    b"a\n1",                        # shorter than one 64-bit word, no final line end
    b"a\n12345678",
    b"a\n123456789012345",
    b"id\n" + "中国航天科工集团".encode() * 5,  # multi-word cell at the very end
    b"a,b\n1,\n2,\n3,\n4," + b"L" * 65,  # a mostly empty column with one long cell
    b"a,b\n1,\n2,\n3,\n4," + b"L" * 257,  # ... longer than 32 words: Python strings
    b"a\n" + b"\n".join(b"x" * n for n in (1, 9, 17, 8, 16, 9, 300, 1, 24, 25)),
])
def test_cells_at_the_end_of_the_file(tmp_path: Path, data: bytes) -> None:
    path = _write(str(tmp_path), data)
    fast, slow = read_columns(path), read_table(path)
    assert isinstance(fast, ByteTable)
    for name in slow.columns:
        assert fast.texts(name).tolist() == slow.frame[name].tolist()
        assert [x.tolist() for x in fast.factorize(name)] == [
            x.tolist() for x in slow.factorize(name)]


def test_a_line_of_white_space_in_a_one_column_file_is_blank(tmp_path: Path) -> None:
    for data in (b"id\nA\n   \nB\n", b"id\nA\n \xe3\x80\x80\nB\n", b'id\nA\n \x1a\n"B"\n'):
        path = _write(str(tmp_path), data)
        table = read_columns(path)
        assert table.blank_rows == (3,)
        assert table.row_numbers().tolist() == [2, 4]
        assert table.texts("id").tolist() == ["A", "B"]
    graph = OwnershipGraph.from_csv(FIXTURES / "ownership" / "ownership.csv", entities=path)
    assert any("1 blank row skipped (row 3)" in n for n in graph.notices)


def test_a_row_of_another_width_names_the_row(tmp_path: Path) -> None:
    # the totals agree (one row short, one long): still refused, naming the short row
    path = _write(str(tmp_path), b"a,b,c\n1,2\n1,2,3,4\n")
    with pytest.raises(InputError) as got:
        read_columns(path)
    assert got.value.row == 2


def test_missing_column(tmp_path: Path) -> None:
    path = _write(str(tmp_path), b"a,b\n1,2\n")
    with pytest.raises(InputError) as got:
        read_columns(path, required=["owner_id"])
    assert got.value.column == "owner_id" and got.value.row == 1


def _same_graph(a: OwnershipGraph, b: OwnershipGraph) -> None:
    for name in ("ids", "owner", "owned", "lo", "hi", "lo_open", "hi_open", "unknown",
                 "relation", "joint_group", "valid_from", "valid_to", "source", "row",
                 "names", "countries", "aliases"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert (a.joint_groups, a.sources, a.notices, a.label) == (
        b.joint_groups, b.sources, b.notices, b.label)


def _slow(own: Path, ent: Path | None, percent_scale: str = "percent") -> OwnershipGraph:
    table = read_table(own, required=["owner_id", "owned_id"])
    return OwnershipGraph._from_table(table, None if ent is None
                                      else read_table(ent, required=["id"]),
                                      percent_scale=percent_scale)  # type: ignore[arg-type]


def test_the_fixture_graph_is_the_same_read_either_way() -> None:
    own, ent = FIXTURES / "ownership" / "ownership.csv", FIXTURES / "ownership" / "entities.csv"
    assert isinstance(read_columns(own), ByteTable)
    _same_graph(OwnershipGraph.from_csv(own, entities=ent), _slow(own, ent))


_ID = st.sampled_from(["A", "B", " A", "B ", "C-1", "entité", "中国", "LONG" * 5, "X" * 70, "",
                      "bell\x07"])


# percents: plain decimals, fractions, and what is refused (an exponent, digits of other
# scripts, a sign, "_", nan, hex, above 1 when read as fractions) by the same message
_PERCENT = st.sampled_from(["", "10", "25.5", "0.0000000001", "0.6", " 0.25 ", "1", "50 %",
                            "1e2", "1E-1", "５０", "٥٠", "+50", "5_0", "nan", "inf", "0x32",
                            "-1", "7.", ".5"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ID, _ID, _PERCENT,
                          st.sampled_from(["", "ownership", "control"]),
                          st.sampled_from(["", "2020-01-01"]), st.sampled_from(["", "j1", "s"])),
                max_size=12).map(lambda rows: [r for r in rows if r[0].strip() != r[1].strip()]),
       st.lists(st.tuples(_ID, st.sampled_from(["", "Name", "Ünï"]),
                          st.sampled_from(["", "cn", "US"])), max_size=6,
                unique_by=lambda row: row[0].strip()),
       st.sampled_from(["percent", "fraction"]))
def test_graphs_agree_and_errors_agree(
    stakes: list[tuple[str, str, str, str, str, str]], entities: list[tuple[str, str, str]],
    percent_scale: str,
) -> None:
    own_frame = pd.DataFrame(stakes, columns=["owner_id", "owned_id", "percent", "relation",
                                              "valid_from", "joint_group"])
    own_frame["percent"] = np.where(own_frame["relation"] == "control", "",
                                    own_frame["percent"])
    ent_frame = pd.DataFrame(entities, columns=["id", "name", "country"])
    with tempfile.TemporaryDirectory() as tmp:
        own, ent = Path(tmp) / "own.csv", Path(tmp) / "ent.csv"
        own_frame.to_csv(own, index=False)
        ent_frame.to_csv(ent, index=False)
        try:
            expected = _slow(own, ent, percent_scale)
        except InputError as exc:
            event(f"refused: {exc.column}")
            with pytest.raises(InputError) as got:
                OwnershipGraph.from_csv(own, entities=ent,
                                        percent_scale=percent_scale)  # type: ignore[arg-type]
            assert str(got.value) == str(exc)
            return
        assert isinstance(read_columns(own), ByteTable)
        _same_graph(OwnershipGraph.from_csv(own, entities=ent,
                                            percent_scale=percent_scale),  # type: ignore[arg-type]
                    expected)
