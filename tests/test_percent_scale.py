"""Ownership stakes written as fractions (``percent_scale``), the notice that a file
looks like fractions, and the plain-decimal rule for percents (issue 13)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import networkx as nx  # type: ignore[import-untyped]
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportscreen import OwnershipGraph, apply_affiliates_rule
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.io.cells import ByteTable
from exportscreen.io.read import read_columns, read_table
from exportscreen.ownership import get_rule, parse_percent
from exportscreen.testing.ownership import in_force_day, ownership_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIX = FIXTURES / "ownership"
HEAD = "owner_id,owned_id,percent\n"
LOOKS_LIKE = "every percent given is 1 or less"


def fraction_text(text: str) -> str:
    """A percent cell written as a fraction of 1, exactly (``"60"`` -> ``"0.6"``)."""
    return format(Decimal(text).scaleb(-2), "f") if text.strip() else text


def as_fractions(source: Path, target: Path) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        for name in ("percent", "percent_min", "percent_max"):
            if name in row:
                row[name] = fraction_text(row[name])
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


def write(tmp_path: Path, text: str, name: str = "own.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def slow(path: Path, percent_scale: str = "percent") -> OwnershipGraph:
    """The graph of *path* through the csv-module/pandas reader (not the byte path)."""
    table = read_table(path, required=["owner_id", "owned_id"])
    return OwnershipGraph._from_table(table, None,
                                      percent_scale=percent_scale)  # type: ignore[arg-type]


def error_of(path: Path, percent_scale: str = "percent") -> InputError:
    """The error from both readers, which must agree."""
    assert isinstance(read_columns(path), ByteTable)
    with pytest.raises(InputError) as fast:
        OwnershipGraph.from_csv(path, percent_scale=percent_scale)  # type: ignore[arg-type]
    with pytest.raises(InputError) as other:
        slow(path, percent_scale)
    assert str(fast.value) == str(other.value)
    return fast.value


# ------------------------------------------------------------------ plain decimals
@pytest.mark.parametrize(("cell", "words"), [
    ("1e2", "not a plain decimal"),
    ("1E-3", "not a plain decimal"),
    ("５０", "not a plain decimal"),          # full-width digits
    ("٥٠", "not a plain decimal"),            # Arabic-Indic digits
    ("५०", "not a plain decimal"),            # Devanagari digits
    ("+50", "not a plain decimal"),
    ("5_0", "not a plain decimal"),
    ("nan", "not a plain decimal"),
    ("NaN", "not a plain decimal"),
    ("inf", "not a plain decimal"),
    ("-Infinity", "not a plain decimal"),
    ("0x32", "not a number"),
    ("50,5", "not a number"),                 # (a quoted cell: the csv-module reader)
    ("1.2.3", "not a number"),
    ("5 0", "not a number"),
    ("-5", "outside 0-100"),
    ("100.0000000001", "outside 0-100"),
])
def test_a_percent_that_is_not_a_plain_decimal_is_refused(
    tmp_path: Path, cell: str, words: str
) -> None:
    quoted = f'"{cell}"' if "," in cell else cell
    path = write(tmp_path, HEAD + "A,B,10\nB,C," + quoted + "\n")
    if "," in cell:
        with pytest.raises(InputError) as got:
            OwnershipGraph.from_csv(path)
        err = got.value
    else:
        err = error_of(path)
    assert (err.file, err.row, err.column) == (str(path), 3, "percent")
    assert words in err.message and cell in err.message
    with pytest.raises(ValueError, match=words):
        parse_percent(cell)


@pytest.mark.parametrize(("cell", "percent"), [
    ("50", "50"), (" 50 ", "50"), ("50%", "50"), ("50 %", "50"), ("12.5", "12.5"),
    (".5", "0.5"), ("5.", "5"), ("007", "7"), ("0", "0"), ("100", "100"), ("\u300050", "50"),
])
def test_plain_decimals_are_read(tmp_path: Path, cell: str, percent: str) -> None:
    lo, hi, rounded = parse_percent(cell)
    assert lo == hi == int(Decimal(percent) * 10**9) and not rounded
    graph = OwnershipGraph.from_csv(write(tmp_path, HEAD + f"A,B,{cell}\n"))
    assert graph.lo.tolist() == [lo]


def test_columns_of_a_range_are_checked_too(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent_min,percent_max\nA,B,10,20\n"
                 "A,C,1e1,20\n")
    err = error_of(path)
    assert (err.row, err.column) == (3, "percent_min")
    path = write(tmp_path, "owner_id,owned_id,percent_min,percent_max\nA,B,10,２０\n")
    err = error_of(path)
    assert (err.row, err.column) == (2, "percent_max")


def test_numbers_in_a_dataframe_are_read_as_the_decimals_they_are() -> None:
    # a float cell is a number, not text: 1e-05 is 0.00001 (not refused as "1e-05")
    frame = pd.DataFrame({"owner_id": ["A", "A"], "owned_id": ["B", "C"],
                          "percent": [1e-05, 60.0]})
    graph = OwnershipGraph.from_frame(frame)
    assert graph.lo.tolist() == [10_000, 60 * 10**9]
    with pytest.raises(InputError, match="not a plain decimal") as got:
        OwnershipGraph.from_frame(frame.assign(percent=["1e-05", "60"]))
    assert (got.value.row, got.value.column) == (0, "percent")


# ------------------------------------------------------------------ fractions
def test_a_file_of_fractions_gets_a_notice(tmp_path: Path) -> None:
    fractions = as_fractions(FIX / "ownership.csv", tmp_path / "fractions.csv")
    graph = OwnershipGraph.from_csv(fractions)
    notice = [n for n in graph.notices if LOOKS_LIKE in n]
    assert len(notice) == 1
    assert str(fractions) in notice[0] and "--percent-scale fraction" in notice[0]
    assert "largest is 1)" in notice[0]
    assert notice == [n for n in slow(fractions).notices if LOOKS_LIKE in n]
    # the notice reaches the result (and so the CLI's stderr and screen's notices)
    result = apply_affiliates_rule(graph, {"EL-HUAXIN": "entity_list"}, "us-bis-affiliates",
                                   "2025-10-15")
    assert notice[0] in result.notices


@pytest.mark.parametrize("body", [
    "A,B,50\nA,C,0.5\n",   # one percent above 1
    "A,B,0\nA,C,0\n",      # nothing above 0
    "A,B,\n",              # no percent at all
    "A,B,1.5\n",
])
def test_no_notice_when_the_percents_do_not_look_like_fractions(
    tmp_path: Path, body: str
) -> None:
    graph = OwnershipGraph.from_csv(write(tmp_path, HEAD + body))
    assert not any(LOOKS_LIKE in n for n in graph.notices)


def test_the_notice_counts_range_bounds_and_not_gleif_or_bods(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent_min,percent_max\nA,B,0.25,0.5\n"
                 "A,C,,1\n")
    assert any(LOOKS_LIKE in n and "largest is 1)" in n
               for n in OwnershipGraph.from_csv(path).notices)
    assert not any(LOOKS_LIKE in n for n in OwnershipGraph.from_csv(
        path, percent_scale="fraction").notices)


def test_fractions_read_as_fractions_give_the_percent_file(tmp_path: Path) -> None:
    fractions = as_fractions(FIX / "ownership.csv", tmp_path / "fractions.csv")
    percent = OwnershipGraph.from_csv(FIX / "ownership.csv", entities=FIX / "entities.csv")
    graph = OwnershipGraph.from_csv(fractions, entities=FIX / "entities.csv",
                                    percent_scale="fraction")
    for name in ("ids", "owner", "owned", "lo", "hi", "unknown", "relation"):
        assert getattr(graph, name).tolist() == getattr(percent, name).tolist(), name
    assert not any(LOOKS_LIKE in n for n in graph.notices)
    frame = pd.read_csv(fractions, dtype=str, keep_default_na=False)
    assert OwnershipGraph.from_frame(frame, percent_scale="fraction").lo.tolist() == \
        percent.lo.tolist()


@pytest.mark.parametrize(("cell", "units"), [
    ("0.6", 60 * 10**9),
    ("1", 100 * 10**9),
    ("0", 0),
    ("0.1234567891", 12_345_678_910),      # 12.34567891 %: exact, no float round-off
    ("0.00000000001", 1),                  # 1e-9 %
    (".25", 25 * 10**9),
])
def test_fractions_are_multiplied_by_100_exactly(cell: str, units: int) -> None:
    assert parse_percent(cell, scale="fraction") == (units, units, False)


def test_a_fraction_past_nine_decimals_of_a_percent_is_bracketed() -> None:
    lo, hi, rounded = parse_percent("0.33333333333333", scale="fraction")
    assert (lo, hi, rounded) == (33_333_333_333, 33_333_333_334, True)
    graph = OwnershipGraph.from_frame(pd.DataFrame(
        {"owner_id": ["A"], "owned_id": ["B"], "percent": ["0.33333333333333"]}),
        percent_scale="fraction")
    assert any("more than 9 decimal places" in n for n in graph.notices)


@pytest.mark.parametrize(("body", "row", "column", "words"), [
    ("A,B,0.5,,\nA,C,60,,\n", 3, "percent", "fraction 60 is outside 0-1"),
    ("A,B,0.5,,\nA,C,,0.2,1.01\n", 3, "percent_max", "fraction 1.01 is outside 0-1"),
    ("A,B,50%,,\n", 2, "percent", "% sign"),
    ("A,B,-0.1,,\n", 2, "percent", "outside 0-1"),
    ("A,B,1e-1,,\n", 2, "percent", "not a plain decimal"),
])
def test_a_value_above_1_under_fraction_names_file_row_column(
    tmp_path: Path, body: str, row: int, column: str, words: str
) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent,percent_min,percent_max\n" + body)
    err = error_of(path, "fraction")
    assert (err.file, err.row, err.column) == (str(path), row, column)
    assert words in err.message


def test_a_bad_percent_scale_is_refused() -> None:
    frame = pd.DataFrame({"owner_id": ["A"], "owned_id": ["B"], "percent": ["50"]})
    with pytest.raises(InputError, match="'percent' or 'fraction'") as got:
        OwnershipGraph.from_frame(frame, percent_scale="fractions")  # type: ignore[arg-type]
    assert got.value.column == "percent_scale"
    with pytest.raises(InputError, match="'percent' or 'fraction'"):
        OwnershipGraph.from_csv(FIX / "ownership.csv", percent_scale="%")  # type: ignore[arg-type]


# ------------------------------------------------------------------ networkx
def test_networkx_percent_attribute_and_scale() -> None:
    g = nx.DiGraph()
    g.add_edge("X", "A", weight=0.6)
    g.add_edge("A", "B", weight=0.5, percent=99)  # only the named attribute is read
    g.add_edge("X", "C")                          # no attribute: unknown, not 0
    g.add_edge("X", "D", weight=None)             # None: unknown too
    g.add_edge("X", "E", weight=1e-07)            # a float in exponent form: a number
    g.add_edge("X", "F", weight=Decimal("1E+0"))
    graph = OwnershipGraph.from_networkx(g, percent_attr="weight", percent_scale="fraction")
    stakes = {(str(graph.ids[o]), str(graph.ids[d])): (lo, hi, u) for o, d, lo, hi, u in zip(
        graph.owner.tolist(), graph.owned.tolist(), graph.lo.tolist(), graph.hi.tolist(),
        graph.unknown.tolist(), strict=True)}
    assert stakes[("X", "A")] == (60 * 10**9, 60 * 10**9, False)
    assert stakes[("A", "B")] == (50 * 10**9, 50 * 10**9, False)
    assert stakes[("X", "C")] == (0, 100 * 10**9, True)
    assert stakes[("X", "D")] == (0, 100 * 10**9, True)
    assert stakes[("X", "E")] == (10_000, 10_000, False)
    assert stakes[("X", "F")] == (100 * 10**9, 100 * 10**9, False)
    result = apply_affiliates_rule(graph, {"X": "sdn"}, "us-ofac", "2025-10-15")
    assert result.ids("covered") == {"A", "B", "F"}
    # the default attribute is still "percent"; a weight alone is then no stake size
    default = OwnershipGraph.from_networkx(g)
    assert default.unknown.tolist().count(True) == 5
    # weights written as percents, with the notice when they look like fractions
    looks = OwnershipGraph.from_networkx(g, percent_attr="weight")
    assert any(LOOKS_LIKE in n for n in looks.notices)


def test_networkx_bad_values_are_refused() -> None:
    for value in ("1e2", "５０", float("nan"), float("inf"), True):
        g = nx.DiGraph()
        g.add_edge("X", "A", weight=value)
        with pytest.raises(InputError) as got:
            OwnershipGraph.from_networkx(g, percent_attr="weight")
        assert got.value.column == "percent" and got.value.file == "<networkx graph>"
    g = nx.DiGraph()
    g.add_edge("X", "A", weight=60)
    with pytest.raises(InputError, match="fraction 60 is outside 0-1"):
        OwnershipGraph.from_networkx(g, percent_attr="weight", percent_scale="fraction")


def test_networkx_round_trip_keeps_tiny_percents() -> None:
    graph = OwnershipGraph.from_frame(pd.DataFrame(
        {"owner_id": ["A", "A"], "owned_id": ["B", "C"], "percent": ["0.000000001", "100"]}))
    back = OwnershipGraph.from_networkx(graph.to_networkx())
    assert back.lo.tolist() == graph.lo.tolist() == [1, 100 * 10**9]
    assert graph.stake_rows()["percent_min"].tolist() == ["0.000000001", "100"]


# ------------------------------------------------------------------ command line
def affiliates(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["affiliates", "--listed", str(FIX / "listed.csv"), "--entities",
                 str(FIX / "entities.csv"), "--as-of", "2025-10-15", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_fraction_file_gives_the_findings_of_the_percent_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fractions = as_fractions(FIX / "ownership.csv", tmp_path / "fractions.csv")
    code, expected, _ = affiliates(capsys, "--ownership", str(FIX / "ownership.csv"))
    assert code == 0
    code, out, err = affiliates(capsys, "--ownership", str(fractions),
                                "--percent-scale", "fraction")
    assert code == 0 and LOOKS_LIKE not in err
    assert json.loads(out)["findings"] == json.loads(expected)["findings"]
    for fmt in ("csv", "table"):
        assert affiliates(capsys, "--ownership", str(fractions), "--percent-scale", "fraction",
                          "--format", fmt)[1] == affiliates(
            capsys, "--ownership", str(FIX / "ownership.csv"), "--format", fmt)[1]
    # read as percents, the same file covers nothing and says why on stderr
    code, out, err = affiliates(capsys, "--ownership", str(fractions))
    assert code == 0
    assert f"exportscreen: notice: {fractions}: {LOOKS_LIKE}" in err
    assert "--percent-scale fraction" in err
    assert not any(f["status"] == "covered" and f["basis"] == "ownership"
                   for f in json.loads(out)["findings"])


@pytest.mark.parametrize(("cell", "scale", "words"), [
    ("1e2", "percent", "not a plain decimal number: '1e2'"),
    ("５０", "percent", "not a plain decimal number: '５０'"),
    ("+50", "percent", "not a plain decimal number: '+50'"),
    ("60", "fraction", "fraction 60 is outside 0-1"),
])
def test_cli_bad_number_exits_2_with_file_row_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str, scale: str, words: str
) -> None:
    path = write(tmp_path, HEAD + "EL-HUAXIN,A,0.5\nA,B," + cell + "\n")
    code, out, err = affiliates(capsys, "--ownership", str(path), "--percent-scale", scale)
    assert code == 2 and out == ""
    assert f"{path}, row 3, column 'percent': {words}" in err


def test_cli_percent_scale_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as got:
        affiliates(capsys, "--ownership", str(FIX / "ownership.csv"), "--percent-scale", "x")
    assert got.value.code == 2


def test_screen_reads_fractions_with_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fractions = as_fractions(FIXTURES / "ownership.csv", tmp_path / "fractions.csv")
    # the suppliers the ownership graph ties to listed parties (a short run)
    lines = (FIXTURES / "suppliers.csv").read_text(encoding="latin-1").splitlines()
    suppliers = write(tmp_path, "\n".join([lines[0], *(line for line in lines
                                                       if line.startswith("V2000"))]) + "\n",
                      "suppliers.csv")
    common = ["screen", str(suppliers), "--entities",
              str(FIXTURES / "entities.csv"), "--as-of", "2026-12-01", "--format", "csv",
              "--progress", "never"]
    assert main([*common, "--ownership", str(FIXTURES / "ownership.csv")]) == 0
    expected = capsys.readouterr().out
    assert main([*common, "--ownership", str(fractions), "--percent-scale", "fraction"]) == 0
    out, err = capsys.readouterr()
    assert out == expected and LOOKS_LIKE not in err
    assert main([*common, "--ownership", str(fractions)]) == 0
    out, err = capsys.readouterr()
    assert out != expected and f"notice: {fractions}: {LOOKS_LIKE}" in err
    assert ",affiliate," in expected and ",affiliate," not in out
    bad = write(tmp_path, fractions.read_text(encoding="utf-8").replace(",0.60,", ",1.2,", 1),
                "bad.csv")
    assert main([*common, "--ownership", str(bad), "--percent-scale", "fraction"]) == 2
    assert f"{bad}, row 2, column 'percent': fraction 1.2 is outside 0-1" in \
        capsys.readouterr().err
    assert main(["screen", str(suppliers), "--percent-scale", "fraction"]) == 2
    assert "--percent-scale needs --ownership" in capsys.readouterr().err


# ------------------------------------------------------------------ property
_RULES = ["us-ofac", "us-bis-affiliates", "eu", "eu-pre2024", "uk"]


@st.composite
def _graph_files(draw: st.DrawFn) -> tuple[str, str, dict[str, str], str]:
    """``(percent CSV, the same as fractions, listed, rule)``; exact stakes may carry up to
    12 decimal places (past nine a percent is bracketed: the same way in both files)."""
    rule = draw(st.sampled_from(_RULES))
    rows, names = draw(ownership_rows(joint_groups=rule == "uk"))
    out = io.StringIO()
    frac = io.StringIO()
    head = "owner_id,owned_id,percent_min,percent_max,relation,joint_group\n"
    out.write(head)
    frac.write(head)
    for r in rows:
        lo, hi = r.lo, r.hi
        if lo is not None and lo == hi and lo > 0 and draw(st.booleans()):
            # a little less (inbound totals stay within 100), with more decimals
            less = draw(st.decimals(min_value=0, max_value=min(lo, Decimal(1)), places=12,
                                    allow_nan=False, allow_infinity=False))
            lo = hi = lo - less
        cells = ["" if v is None else format(v, "f") for v in (lo, hi)]
        out.write(",".join([r.owner, r.owned, *cells, r.relation, r.joint_group]) + "\n")
        frac.write(",".join([r.owner, r.owned, *map(fraction_text, cells), r.relation,
                             r.joint_group]) + "\n")
    listed = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    seed = {"us-ofac": "sdn", "us-bis-affiliates": "entity_list", "uk": "uk"}.get(rule, "eu")
    return out.getvalue(), frac.getvalue(), dict.fromkeys(listed, seed), rule


@settings(max_examples=150, deadline=None)
@given(_graph_files())
def test_fractions_read_as_fractions_give_the_same_findings(
    case: tuple[str, str, dict[str, str], str],
) -> None:
    percent_text, fraction_text_, listed, rule = case
    with tempfile.TemporaryDirectory() as tmp:
        percent_path = write(Path(tmp), percent_text, "percent.csv")
        fraction_path = write(Path(tmp), fraction_text_, "fraction.csv")
        percent = OwnershipGraph.from_csv(percent_path)
        graph = OwnershipGraph.from_csv(fraction_path, percent_scale="fraction")
        frame = pd.read_csv(fraction_path, dtype=str, keep_default_na=False)
        from_frame = OwnershipGraph.from_frame(frame, percent_scale="fraction")
    for name in ("lo", "hi", "unknown"):
        assert getattr(graph, name).tolist() == getattr(percent, name).tolist()
        assert getattr(from_frame, name).tolist() == getattr(percent, name).tolist()
    day = in_force_day(get_rule(rule))
    expected = [f.to_dict() for f in apply_affiliates_rule(percent, listed, rule,
                                                           day).findings]
    for g in (graph, from_frame):
        assert [f.to_dict() for f in apply_affiliates_rule(g, listed, rule,
                                                           day).findings] == expected
