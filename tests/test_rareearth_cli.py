"""End-to-end tests of ``exportscreen rare-earth`` (the DESIGN.md output contract)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from exportscreen.cli import main


@pytest.fixture()
def example(fixtures_dir: Path) -> Path:
    return fixtures_dir / "bom" / "example.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["rare-earth", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(example), "--date", "2026-03-01")
    assert code == 0
    doc = json.loads(out)
    assert doc["date"] == "2026-03-01" and isinstance(doc["notices"], list)
    products = {p["product_id"]: p for p in doc["products"]}
    assert list(products) == sorted(products)
    p = products["P1179"]
    assert p["status"] == "license_required"
    (t,) = p["triggers"]
    assert {"announcement", "control_code", "line_id", "in_force", "reason", "citation"} <= set(t)
    assert t["announcement"] == "MOFCOM-GAC-2025-18" and t["control_code"] == "1C905.a.4"
    motor = products["MOTOR-JP"]
    assert motor["status"] == "suspended"
    assert motor["ratio"] == "0.001" and motor["headroom"] == "0"  # decimals as strings
    assert "licensing_outlook" in motor
    assert "products:" in err  # the summary goes to stderr


def test_default_date_is_each_ship_date_and_lapsed_suspension_notice(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(example))
    assert code == 0
    doc = json.loads(out)
    by_id = {p["product_id"]: p for p in doc["products"]}
    assert by_id["P1179"]["date"] == "2025-07-04"
    assert by_id["MAG-JP"]["date"] == "2026-12-01"
    assert "treated as in force" in err


def test_same_input_same_bytes(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, str(example), "--date", "2026-03-01")[1]
    second = run(capsys, str(example), "--date", "2026-03-01")[1]
    assert first == second


def test_csv_and_table(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(example), "--date", "2026-03-01", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"product_id", "status", "control_codes", "ratio", "headroom"} <= set(rows[0])
    assert {r["product_id"]: r["status"] for r in rows}["SMCO-A"] == "license_required"
    code, out, _ = run(capsys, str(example), "--date", "2026-03-01", "--format", "table")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["product_id", "status"]
    assert "1C902.a.4" in out


def test_out_file(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "verdicts.json"
    code, out, _ = run(capsys, str(example), "--out", str(target))
    assert code == 0 and out == "" and json.loads(target.read_text())["products"]


def test_pack_option(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps({"extends": "default", "version": "ext-2027",
                                "suspensions": [{"id": "no70", "end": "2027-01-10"}]}))
    code, out, err = run(capsys, str(example), "--date", "2026-12-01", "--pack", str(pack))
    assert code == 0
    doc = json.loads(out)
    assert doc["pack"]["version"] == "ext-2027"
    assert {p["product_id"]: p["status"] for p in doc["products"]}["MOTOR-JP"] == "suspended"
    assert "treated as in force" not in err


@pytest.mark.parametrize("argv", [["--date", "2026-02-30"], ["--pack", "/nonexistent.json"]])
def test_bad_options_exit_2(example: Path, capsys: pytest.CaptureFixture[str],
                            argv: list[str]) -> None:
    code, _, err = run(capsys, str(example), *argv)
    assert code == 2 and "error" in err


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.csv"))
    assert code == 2 and "file not found" in err
