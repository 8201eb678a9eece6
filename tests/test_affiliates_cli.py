"""End-to-end tests of ``exportscreen affiliates`` (exit codes, formats, messages)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from exportscreen.cli import main

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "ownership"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["affiliates", *args])
    out, err = capsys.readouterr()
    return code, out, err


def base(*extra: str) -> list[str]:
    return ["--ownership", str(FIX / "ownership.csv"), "--listed", str(FIX / "listed.csv"),
            "--entities", str(FIX / "entities.csv"), *extra]


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *base("--as-of", "2025-10-15"))
    assert code == 0
    doc = json.loads(out)
    assert doc["rule"] == "us-bis-affiliates" and doc["as_of"] == "2025-10-15"
    assert doc["rule_in_force"] is True and isinstance(doc["notices"], list)
    ids = [f["id"] for f in doc["findings"]]
    assert ids == sorted(ids)
    by_id = {f["id"]: f for f in doc["findings"]}
    f = by_id["HX-ELECTRONICS-MY"]
    for key in ("id", "status", "aggregate_min", "aggregate_max", "contributions", "roots",
                "path", "license_requirement", "license_policy"):
        assert key in f
    assert f["status"] == "covered" and f["aggregate_min"] == 50.0
    assert f["roots"] == ["EL-HUAXIN", "MEU-NORTHSTAR"]
    assert {c["owner_id"] for c in f["contributions"]} == {"HX-HOLDINGS-HK", "MEU-NORTHSTAR"}
    assert by_id["HX-SERVICES-SG"]["status"] == "undetermined"
    assert by_id["PARTNER-VN"]["status"] == "red_flag"
    assert by_id["HX-OFFICE-MY"]["status"] == "covered"
    assert "HX-USA-INC" not in by_id  # US entity: outside the BIS rule's scope
    assert by_id["HX-LATAM-MX"]["path"] == ["EL-HUAXIN", "HX-HOLDINGS-HK", "HX-USA-INC",
                                            "HX-LATAM-MX"]
    assert "notice:" in err


def test_deterministic_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, *base("--as-of", "2025-10-15"))[1]
    second = run(capsys, *base("--as-of", "2025-10-15"))[1]
    assert first == second


def test_csv_and_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "out.csv"
    code, out, _ = run(capsys, *base("--as-of", "2025-10-15", "--format", "csv",
                                     "--out", str(out_path)))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(out_path.read_text(encoding="utf-8"))))
    assert {"id", "status", "aggregate_min", "aggregate_max", "roots", "path"} <= set(rows[0])
    row = next(r for r in rows if r["id"] == "HX-TRADING-AE")
    assert row["status"] == "covered" and row["roots"] == "EL-HUAXIN;MEU-NORTHSTAR"
    assert row["aggregate_min"] == "50" and row["aggregate_max"] == "75"
    code, out, _ = run(capsys, *base("--as-of", "2025-10-15", "--format", "table"))
    assert code == 0 and "HX-SERVICES-SG" in out and "undetermined" in out


def test_suspension_and_override(capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(run(capsys, *base("--as-of", "2026-01-15"))[1])
    assert doc["suspended"] is True
    statuses = {f["id"]: f["status"] for f in doc["findings"]}
    assert statuses["HX-HOLDINGS-HK"] == "suspended" and statuses["HX-OFFICE-MY"] == "covered"
    doc = json.loads(run(capsys, *base("--as-of", "2026-01-15", "--suspended", "none"))[1])
    assert doc["suspended"] is False
    doc = json.loads(run(capsys, *base("--as-of", "2026-11-28"))[1])
    assert any("no information after" in n for n in doc["notices"])
    doc = json.loads(run(capsys, *base("--as-of", "2026-11-28", "--suspended",
                                       "2025-11-10..2027-11-09"))[1])
    assert doc["suspended"] is True


def test_other_rules(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    listed = tmp_path / "listed.csv"
    listed.write_text("id,list\nEL-HUAXIN,uk\n", encoding="utf-8")
    code, out, _ = run(capsys, "--ownership", str(FIX / "ownership.csv"), "--listed",
                       str(listed), "--rule", "uk", "--as-of", "2025-10-15")
    doc = json.loads(out)
    statuses = {f["id"]: f["status"] for f in doc["findings"]}
    assert code == 0 and doc["rule"] == "uk"
    assert statuses["HX-HOLDINGS-HK"] == "covered" and statuses["PARTNER-VN"] == "covered"
    assert "HX-ELECTRONICS-MY" not in statuses  # 30 %: the UK does not aggregate


@pytest.mark.parametrize(("args", "words"), [
    (["--rule", "no-such-rule"], "unknown rule"),
    (["--as-of", "2025-02-30"], "--as-of"),
    (["--suspended", "2025-01-01"], "FROM..TO"),
])
def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                            words: str) -> None:
    code, out, err = run(capsys, *base(*args))
    assert code == 2 and out == "" and words in err


def test_bad_file_exit_2_names_file_row_column(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text("owner_id,owned_id,percent\nA,B,50\nC,B,60\n", encoding="utf-8")
    listed = tmp_path / "listed.csv"
    listed.write_text("id,list\nA,sdn\n", encoding="utf-8")
    code, _, err = run(capsys, "--ownership", str(own), "--listed", str(listed))
    assert code == 2
    assert str(own) in err and "row 3" in err and "'percent'" in err and "'B'" in err
    code, _, err = run(capsys, "--ownership", str(tmp_path / "missing.csv"), "--listed",
                       str(listed))
    assert code == 2 and "file not found" in err
    listed.write_text("id\nA\n", encoding="utf-8")
    code, _, err = run(capsys, "--ownership", str(FIX / "ownership.csv"), "--listed",
                       str(listed))
    assert code == 2 and "'list'" in err and "row 1" in err


def test_rule_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from exportscreen import get_rule

    custom = get_rule("us-ofac").model_copy(update={"id": "my-rule", "threshold": Decimal(25),
                                                    "seeds": {"entity_list": None}})
    path = tmp_path / "rule.json"
    path.write_text(custom.model_dump_json(), encoding="utf-8")
    doc = json.loads(run(capsys, *base("--rule", str(path), "--as-of", "2025-10-15"))[1])
    assert doc["rule"] == "my-rule"
    assert {f["id"] for f in doc["findings"] if f["status"] == "covered"} >= {"PARTNER-VN"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "threshold": 150}', encoding="utf-8")
    code, _, err = run(capsys, *base("--rule", str(bad)))
    assert code == 2 and "threshold" in err
