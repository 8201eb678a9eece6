"""Black-box contract of `exportscreen screen`, `match` and `lists` (DESIGN.md "CLI contract").

Driven as an outside user drives it: through ``exportscreen.cli.main`` with captured
stdout/stderr (and one real subprocess), reading only the files and streams the contract
names. Exit codes: 0 ran, 2 bad input (message names file/row/column), never 1 on input.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportscreen.cli import main

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "fixtures"
LISTS = FIX / "lists"

RESULT_COLUMNS = ["screen_status", "score", "matched_name", "matched_list",
                  "matched_entry_id", "license_requirement", "reason"]
STATUSES = {"hit", "affiliate", "possible", "clear", "error"}
MATCH_KEYS = {"entry_id", "name", "matched_alias", "score", "source", "explanation"}
INFO_KEYS = {"source", "entries", "snapshot_date", "sha256", "path"}

# Supplier rows: an affiliate by id (Hikvision 60 % -> Qinglan Optics Holding 100 % -> V20001),
# a direct Entity List hit, a clear name, an empty name and a leading-zero id kept as text.
SUPPLIERS = (
    "Vendor No,Vendor Name,Land,Spend\n"
    "V20001,\"Qinglan Optics Trading (Shenzhen) Co., Ltd.\",CN,100\n"
    "V1,Hangzhou Hikvision Digital Technology Co. Ltd.,CN,=1+2\n"
    "V2,Blue Meadow Bakery,US,\n"
    "V3,,DE,5\n"
    "007,Sichuan University,China,0.50\n"
)
INPUT_COLUMNS = ["Vendor No", "Vendor Name", "Land", "Spend"]
# A small own list (the `list` column gives each entry's source) keeps the runs fast; the
# embedded default list is exercised by the summary test, `match` and `lists info`.
OWN_LIST = (
    "id,name,list,country,license_requirement\n"
    "EL-1,\"Hangzhou Hikvision Digital Technology Co., Ltd.\",entity_list,CN,"
    "For all items subject to the EAR.\n"
    "EL-2,Sichuan University,entity_list,CN,For all items subject to the EAR.\n"
)


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def suppliers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contract") / "vendors.csv"
    path.write_text(SUPPLIERS, encoding="utf-8")
    return path


def screen_args(suppliers: Path) -> list[str]:
    own = suppliers.parent / "own_list.csv"
    own.write_text(OWN_LIST, encoding="utf-8")
    return ["screen", str(suppliers), "--list", str(own), "--ownership",
            str(FIX / "ownership.csv"), "--entities", str(FIX / "entities.csv"),
            "--rule", "us-bis-affiliates", "--as-of", "2026-12-01",
            "--name-column", "Vendor Name", "--country-column", "Land", "--quiet"]


@pytest.fixture(scope="module")
def reports(suppliers: Path) -> Iterator[dict[str, Path]]:
    """One screening with --ownership/--entities/--rule/--as-of, written as csv, json, html."""
    out = {}
    base = screen_args(suppliers)
    for suffix in ("csv", "json", "html"):
        target = suppliers.parent / f"results.{suffix}"
        assert main([*base, "--out", str(target)]) == 0
        out[suffix] = target
    yield out


# --------------------------------------------------------------------------- screen


def test_screen_csv_keeps_every_row_in_order_with_all_columns(reports: dict[str, Path]) -> None:
    rows = csv_rows(reports["csv"])
    assert [r["Vendor No"] for r in rows] == ["V20001", "V1", "V2", "V3", "007"]
    header = list(rows[0])
    assert header[:4] == INPUT_COLUMNS
    assert set(RESULT_COLUMNS) <= set(header)
    assert {r["screen_status"] for r in rows} <= STATUSES
    assert rows[3]["Spend"] == "5" and rows[4]["Spend"] == "0.50"  # cells are kept as text
    assert rows[1]["Spend"] == "'=1+2"  # a formula cell is defused, not dropped


def test_screen_statuses_and_evidence(reports: dict[str, Path]) -> None:
    rows = {r["Vendor No"]: r for r in csv_rows(reports["csv"])}
    affiliate = rows["V20001"]
    assert affiliate["screen_status"] == "affiliate"
    assert affiliate["matched_list"] == "entity_list" and affiliate["license_requirement"]
    assert "Hikvision" in affiliate["matched_name"] and affiliate["matched_entry_id"]
    hit = rows["V1"]
    assert hit["screen_status"] == "hit" and float(hit["score"]) >= 85
    assert hit["matched_list"] == "entity_list" and hit["reason"]
    assert rows["V2"]["screen_status"] == "clear" and rows["V2"]["reason"]
    assert rows["V3"]["screen_status"] == "error" and "empty" in rows["V3"]["reason"]
    assert rows["007"]["screen_status"] == "hit"  # "China" read as CN; id "007" kept as text


def test_screen_json_report(reports: dict[str, Path]) -> None:
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    rows = data["rows"]
    assert [r["input"]["Vendor No"] for r in rows] == ["V20001", "V1", "V2", "V3", "007"]
    for row in rows:
        assert list(row["input"]) == INPUT_COLUMNS
        assert set(RESULT_COLUMNS) <= set(row)
        assert row["screen_status"] in STATUSES
    prov = data["provenance"]
    assert prov["rule"] == "us-bis-affiliates" and prov["as_of"] == "2026-12-01"
    assert len(prov["list"]["sha256"]) == 64 and prov["list"]["entries"] == 2
    assert prov["library"]["version"]
    assert data["summary"]["rows"] == 5


def test_screen_html_report(reports: dict[str, Path]) -> None:
    text = reports["html"].read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for status in ("affiliate", "hit"):
        assert f'class="st {status}"' in text
    for status, count in (("hit", 2), ("affiliate", 1), ("clear", 1), ("error", 1)):
        assert f'<div class="card {status}"><b>{count}</b>{status}</div>' in text
    assert "Qinglan Optics" in text and "<svg" in text  # the affiliate's ownership path
    assert "Row 5" in text  # the empty-name row is listed as not screened


def test_screen_reports_are_byte_identical_across_runs(
    reports: dict[str, Path], suppliers: Path
) -> None:
    base = screen_args(suppliers)
    for suffix, first in reports.items():
        again = suppliers.parent / f"again.{suffix}"
        assert main([*base, "--out", str(again)]) == 0
        assert again.read_bytes() == first.read_bytes(), suffix


def test_screen_stdout_summary_and_notices_on_stderr(
    suppliers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["screen", str(suppliers), "--list", "default",
                          "--name-column", "Vendor Name"], capsys)
    assert code == 0
    assert "Screened 5 rows" in out and "14160 entries" in out and "error: 1" in out
    assert "list:" in err and "list:" not in out


def test_screen_rule_and_as_of_change_the_outcome(
    suppliers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2026-01-15 falls in the suspension of the BIS Affiliates Rule: possible, not affiliate
    target = tmp_path / "suspended.json"
    argv = screen_args(suppliers)
    argv[argv.index("2026-12-01")] = "2026-01-15"
    code, _, _ = cli([*argv, "--out", str(target)], capsys)
    assert code == 0
    rows = {r["input"]["Vendor No"]: r for r in json.loads(target.read_text())["rows"]}
    assert rows["V20001"]["screen_status"] == "possible"
    assert "suspended" in rows["V20001"]["reason"]


@pytest.mark.parametrize("list_source", [
    "csl_sample.csv", "csl_sample.json", "ofac_sdn", "cons_enhanced_sample.zip",
    "cons_enhanced_sample.xml",
])
def test_screen_with_each_list_format(
    list_source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {"csl_sample.csv": ("AECC Aviation Power Co. Ltd.", "meu"),
             "csl_sample.json": ("AECC Aviation Power Co. Ltd.", "meu"),
             "ofac_sdn": ("Banco Nacional de Cuba", "sdn"),
             "cons_enhanced_sample.zip": ("China Telecom Corporation Limited", "cmic"),
             "cons_enhanced_sample.xml": ("China Telecom Corporation Limited", "cmic")}
    name, source = names[list_source]
    suppliers = tmp_path / "s.csv"
    suppliers.write_text(f'name\n"{name}"\nBlue Meadow Bakery\n', encoding="utf-8")
    target = tmp_path / "r.csv"
    code, _, _ = cli(["screen", str(suppliers), "--list", str(LISTS / list_source), "-q",
                      "--out", str(target)], capsys)
    assert code == 0
    rows = csv_rows(target)
    assert [r["screen_status"] for r in rows] == ["hit", "clear"]
    assert rows[0]["matched_list"] == source and rows[0]["matched_entry_id"]


def test_screen_with_the_real_ofac_files(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suppliers = tmp_path / "s.csv"
    suppliers.write_text("name\nBanco Nacional de Cuba\n", encoding="utf-8")
    for source, entry_id in ((shared_data / "ofac_sdn_2021-07", "306"),
                             (shared_data / "ofac_nonsdn_2025" / "CONS_ENHANCED.ZIP", None)):
        target = tmp_path / "r.json"
        code, _, _ = cli(["screen", str(suppliers), "--list", str(source), "-q",
                          "--out", str(target)], capsys)
        assert code == 0
        row = json.loads(target.read_text())["rows"][0]
        if entry_id:
            assert (row["screen_status"], row["matched_entry_id"]) == ("hit", entry_id)
        else:
            assert row["screen_status"] in {"clear", "possible"}  # not on the non-SDN list


# --------------------------------------------------------------------------- match


def test_match_json_shape_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["match", "AECC Aviation Power", "--list",
                          str(LISTS / "csl_sample.csv"), "--country", "CN", "--format", "json"],
                         capsys)
    assert code == 0 and "list:" in err
    data = json.loads(out)
    assert data["query"] == "AECC Aviation Power"
    assert {"source", "sha256", "entries", "snapshot_date"} <= set(data["list"])
    matches = data["matches"]
    assert matches and all(set(m) >= MATCH_KEYS for m in matches)
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert matches[0]["entry_id"] == "26744194bd9b5cbec49db6ee29a4b53c697c7420"
    assert matches[0]["source"] == "meu"


def test_match_default_list_as_a_real_subprocess(tmp_path: Path) -> None:
    env_cache = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-m", "exportscreen", "match", "Huawei Technologies", "--country",
         "CN"], capture_output=True, text=True, check=False,
        env={"EXPORTSCREEN_CACHE": str(env_cache), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # notices went to stderr, so stdout parses
    assert done.stderr.strip()
    assert data["list"]["entries"] == 14160
    assert data["matches"][0]["source"] == "entity_list"
    assert "Huawei" in data["matches"][0]["name"]


def test_match_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["match", "Banco Nacional de Cuba", "--list", str(LISTS / "ofac_sdn"),
                        "--format", "table"], capsys)
    assert code == 0
    header = out.splitlines()[0].split()
    assert header[:3] == ["score", "status", "entry_id"]
    assert "306" in out and "BANCO NACIONAL DE CUBA" in out


def test_match_country_corroborates(capsys: pytest.CaptureFixture[str]) -> None:
    lst = str(LISTS / "cons_enhanced_sample.xml")
    _, plain, _ = cli(["match", "China Telecom Corp", "--list", lst], capsys)
    _, with_cn, _ = cli(["match", "China Telecom Corp", "--list", lst, "--country", "CN"],
                        capsys)
    first = json.loads(plain)["matches"][0]
    second = json.loads(with_cn)["matches"][0]
    assert first["entry_id"] == second["entry_id"] == "30882"
    assert second["score"] >= first["score"]


# --------------------------------------------------------------------------- lists


def test_lists_info_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["lists", "info", "--format", "json"], capsys)
    assert code == 0
    info = json.loads(out)
    assert set(info) >= INFO_KEYS
    assert info["entries"] == 14160 and len(info["sha256"]) == 64
    assert info["snapshot_date"] == "2022-05-16"


# --------------------------------------------------------------------------- bad input


def _bad_files(root: Path) -> dict[str, Path]:
    files = {
        "empty.csv": b"",
        "semicolon.csv": b"name;country\nAcme;US\n",
        "duplicate_header.csv": b"name,name\nAcme,Other\n",
        "no_name_column.csv": b"foo,bar\n1,2\n",
        "fake.xlsx": b"not a spreadsheet",
    }
    out = {}
    for name, data in files.items():
        (root / name).write_bytes(data)
        out[name] = root / name
    (root / "folder").mkdir()
    out["folder"] = root / "folder"
    out["missing.csv"] = root / "missing.csv"
    return out


@pytest.mark.parametrize("case", ["empty.csv", "semicolon.csv", "no_name_column.csv",
                                  "folder", "missing.csv"])
def test_screen_bad_supplier_files_exit_2_naming_the_file(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _bad_files(tmp_path)[case]
    code, _, err = cli(["screen", str(path), "--list", str(LISTS / "own_list.csv"), "-q"],
                       capsys)
    assert code == 2, err
    assert str(path) in err and "internal error" not in err


def test_screen_keeps_undecodable_and_bom_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"\xef\xbb\xbfname,country\nM\xfcller GmbH,DE\nNordlicht Maschinenbau GmbH,"
                     b"DE\n")
    target = tmp_path / "r.csv"
    code, _, _ = cli(["screen", str(path), "--list", str(LISTS / "own_list.csv"), "-q",
                      "--out", str(target)], capsys)
    assert code == 0
    rows = csv_rows(target)
    assert list(rows[0])[:2] == ["name", "country"]  # the BOM is not part of the header
    assert [r["screen_status"] for r in rows] == ["error", "hit"]
    assert "UTF-8" in rows[0]["reason"]


@pytest.mark.parametrize(("text", "row", "words"), [
    ("name,country\nAcme GmbH,DE,x\nBeta AG,DE\n", 2, "the row has 3 cells, the header 2"),
    ("name,country\nAcme GmbH,DE\nBeta AG\n", 3, "the row has 1 cell, the header 2"),
    ("name,country,name\nAcme GmbH,DE,x\n", 1, "appears more than once"),
])
def test_screen_misshapen_rows_exit_2_naming_the_row(
    text: str, row: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli(["screen", str(path), "--list", str(LISTS / "own_list.csv"), "-q"],
                       capsys)
    assert code == 2, err
    assert f"{path}, row {row}" in err and words in err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_screen_format_puts_the_results_on_stdout(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,country\nNordlicht Maschinenbau GmbH,DE\nBlue Meadow Bakery,US\n",
                    encoding="utf-8")
    target = tmp_path / f"r.{fmt}"
    args = ["screen", str(path), "--list", str(LISTS / "own_list.csv")]
    code, out, err = cli([*args, "--format", fmt], capsys)
    assert code == 0, err
    assert cli([*args, "--out", str(target), "-q"], capsys)[0] == 0
    written = target.read_bytes().decode("utf-8-sig")
    if fmt == "json":
        assert json.loads(out) == json.loads(written)  # same report, piped
    else:
        assert out == written
        assert [r["screen_status"] for r in csv.DictReader(io.StringIO(out))] == ["hit", "clear"]


def test_screen_keeps_a_blank_line_as_an_error_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("name,country\nNordlicht Maschinenbau GmbH,DE\n\nBlue Meadow Bakery,US\n",
                    encoding="utf-8")
    target = tmp_path / "r.json"
    code, _, err = cli(["screen", str(path), "--list", str(LISTS / "own_list.csv"), "-q",
                        "--out", str(target)], capsys)
    assert code == 0, err
    run = json.loads(target.read_text(encoding="utf-8"))
    rows = run["rows"]
    assert [(r["row"], r["screen_status"]) for r in rows] == [
        (2, "hit"), (3, "error"), (4, "clear")]
    assert "blank" in rows[1]["reason"]


@pytest.mark.parametrize("flags", [
    ["--as-of", "2025-13-01"],
    ["--as-of", "yesterday"],
    ["--rule", "no-such-rule"],
    ["--name-column", "nope"],
    ["--country-column", "nope"],
    ["--entities", str(FIX / "entities.csv")],  # --entities without --ownership
    ["--ownership", "missing.csv"],
    ["--list", "missing.csv"],
    ["--decisions", "missing.csv"],
    ["--since", "missing.json"],
    ["--out", "results.txt"],
])
def test_screen_bad_flags_exit_2(
    flags: list[str], suppliers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = str(LISTS / "own_list.csv")  # a later --list in *flags* wins
    code, _, err = cli(["screen", str(suppliers), "--list", own, "--name-column", "Vendor Name",
                        "-q", *flags] if "--name-column" not in flags else
                       ["screen", str(suppliers), "--list", own, "-q", *flags], capsys)
    assert code == 2, err
    assert "exportscreen: error:" in err and "internal error" not in err


@pytest.mark.parametrize("content, where", [
    ("row_key,supplier_hash,entry_id,entry_hash,decision\nid:V1,abc,E1,def,false_positive\n",
     "row 2"),
    ("row_key,entry_id\nid:V1,E1\n", "supplier_hash"),
    ("[1, 2", "row 1"),
])
def test_screen_malformed_decisions_exit_2(
    content: str, where: str, suppliers: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / ("decisions.json" if content.startswith("[") else "decisions.csv")
    path.write_text(content, encoding="utf-8")
    code, _, err = cli(["screen", str(suppliers), "--list", str(LISTS / "own_list.csv"),
                        "--name-column", "Vendor Name", "-q", "--decisions", str(path)], capsys)
    assert code == 2, err
    assert str(path) in err and (where in err or "JSON" in err)


@pytest.mark.parametrize("argv", [
    ["match", ""],
    ["match", "???"],
    ["match", "Acme", "--country", "CHN"],
    ["match", "Acme", "--country", "ZZ"],
    ["match", "Acme", "--limit", "0"],
    ["match", "Acme", "--min-score", "200"],
    ["match", "Acme", "--min-score", "nan"],
    ["match", "Acme", "--entity-type", "banana"],
    ["match", "Acme", "--workers", "0"],
    ["match", "Acme", "--list", "missing.csv"],
])
def test_match_bad_input_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli([*argv, "--list", str(LISTS / "own_list.csv")]
                         if "--list" not in argv else argv, capsys)
    assert code == 2, err
    assert out == "" and "exportscreen: error:" in err


@pytest.mark.parametrize("content, message", [
    (b"name\nM\xfcller GmbH\n", "row 2, column 'name'"),
    (b"name\n???\n", "row 2, column 'name'"),
    (b"", "empty"),
    (b"foo\nAcme\n", "column 'name'"),
])
def test_match_batch_bad_input_exit_2(
    content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes(content)
    code, _, err = cli(["match", "--input", str(path), "--list", str(LISTS / "own_list.csv")],
                       capsys)
    assert code == 2, err
    assert str(path) in err and message in err


@pytest.mark.parametrize("name", ["empty.csv", "folder", "missing.csv", "semicolon.csv"])
def test_bad_list_files_exit_2(name: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad_files(tmp_path)[name]
    code, _, err = cli(["match", "Acme", "--list", str(path)], capsys)
    assert code == 2, err
    assert str(path) in err


def test_bad_zip_list_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no xml here")
    code, _, err = cli(["match", "Acme", "--list", str(path)], capsys)
    assert code == 2 and "xml" in err.lower()


def test_match_csv_without_matches_still_has_a_header(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(["match", "Blue Meadow Bakery", "--list", str(LISTS / "own_list.csv"),
                        "--format", "csv"], capsys)
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert {"entry_id", "name", "score", "source"} <= set(header)
