"""Black-box contract of ``exportscreen affiliates`` and ``exportscreen rare-earth``.

Driven through the command line as a user would, against DESIGN.md ("CLI contract",
"Ownership CSV", "affiliates --format json", "BOM CSV", "rare-earth --format json"), plus a
few official examples from the research notes and the bad inputs a user actually sends:
every one must end in exit 2 with a message naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from exportscreen.cli import main

REPO = Path(__file__).resolve().parents[1]
OWN = REPO / "fixtures" / "ownership"
BOM = REPO / "fixtures" / "bom" / "example.csv"

FINDING_KEYS = {"id", "status", "aggregate_min", "aggregate_max", "contributions", "roots",
                "path", "license_requirement", "license_policy"}
NOT_CLEAR = {"covered", "undetermined", "suspended", "red_flag"}


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def affiliates(capsys: pytest.CaptureFixture[str], own: str, listed: str, *extra: str
               ) -> dict[str, Any]:
    code, out, err = cli(capsys, "affiliates", "--ownership", own, "--listed", listed,
                         "--format", "json", *extra)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


# ------------------------------------------------------------------ affiliates


def test_affiliates_json_shape_on_the_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    doc = affiliates(capsys, str(OWN / "ownership.csv"), str(OWN / "listed.csv"),
                     "--entities", str(OWN / "entities.csv"), "--as-of", "2025-10-15")
    assert {"rule", "as_of", "rule_in_force", "notices", "findings"} <= set(doc)
    assert doc["rule"] == "us-bis-affiliates" and doc["as_of"] == "2025-10-15"
    assert doc["rule_in_force"] is True and isinstance(doc["notices"], list)
    ids = [f["id"] for f in doc["findings"]]
    assert ids == sorted(ids)
    listed = {"EL-HUAXIN", "MEU-NORTHSTAR"}
    for f in doc["findings"]:
        assert set(f) >= FINDING_KEYS
        assert f["id"] not in listed and f["status"] in NOT_CLEAR
        assert isinstance(f["aggregate_min"], float) and isinstance(f["aggregate_max"], float)
        assert set(f["roots"]) <= listed and f["path"][0] in listed and f["path"][-1] == f["id"]
        for c in f["contributions"]:
            assert {"owner_id", "percent_min", "percent_max"} <= set(c)
    by_id = {f["id"]: f for f in doc["findings"]}
    # every non-listed entity that is not clear is reported, and only those
    assert set(by_id) == {"HX-ELECTRONICS-MY", "HX-HOLDINGS-HK", "HX-LATAM-MX", "HX-OFFICE-MY",
                          "HX-SERVICES-SG", "HX-TRADING-AE", "PARTNER-VN"}
    hk = by_id["HX-HOLDINGS-HK"]
    assert (hk["status"], hk["aggregate_min"], hk["aggregate_max"]) == ("covered", 60.0, 60.0)
    assert hk["contributions"][0] == {**hk["contributions"][0], "owner_id": "EL-HUAXIN",
                                      "percent_min": 60.0, "percent_max": 60.0}
    assert hk["path"] == ["EL-HUAXIN", "HX-HOLDINGS-HK"]
    assert hk["license_policy"] == "Presumption of denial."
    assert hk["license_requirement"].startswith("For all items subject to the EAR")
    # an empty percent is unknown (0..100): a listed owner with an unknown stake
    assert by_id["HX-SERVICES-SG"]["status"] == "undetermined"
    assert by_id["HX-SERVICES-SG"]["aggregate_max"] == 100.0
    # a register band 50-75 held by a covered entity covers on the lower bound
    assert by_id["HX-TRADING-AE"]["status"] == "covered"
    assert (by_id["HX-TRADING-AE"]["aggregate_min"], by_id["HX-TRADING-AE"]["aggregate_max"]) \
        == (50.0, 75.0)
    # a branch shares its head's status; control without 50 % ownership is a red flag
    assert by_id["HX-OFFICE-MY"]["status"] == "covered"
    assert by_id["PARTNER-VN"]["status"] == "red_flag"
    # the US entity is outside the BIS foreign-entity scope, so not a finding
    assert "HX-USA-INC" not in by_id


def test_affiliates_csv_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["affiliates", "--ownership", str(OWN / "ownership.csv"), "--listed",
            str(OWN / "listed.csv"), "--entities", str(OWN / "entities.csv"),
            "--as-of", "2025-10-15"]
    code, out, _ = cli(capsys, *base, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"id", "status", "aggregate_min", "aggregate_max", "roots", "path"} <= set(rows[0])
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert len(rows) == 7
    hk = next(r for r in rows if r["id"] == "HX-HOLDINGS-HK")
    assert hk["status"] == "covered" and "EL-HUAXIN" in hk["roots"]
    code, out, _ = cli(capsys, *base, "--format", "table")
    assert code == 0
    assert "HX-HOLDINGS-HK" in out and "covered" in out and "red_flag" in out


@pytest.mark.parametrize(("rule", "source", "as_of", "stake", "expected"), [
    ("us-bis-affiliates", "entity_list", "2025-10-15", "50", "covered"),
    ("us-bis-affiliates", "entity_list", "2026-01-15", "50", "suspended"),
    ("us-ofac", "sdn", "2025-10-15", "50", "covered"),
    ("us-ofac", "sdn", "2025-10-15", "49.99", None),
    ("eu", "eu", "2025-10-15", "50", "covered"),
    ("eu-pre2024", "eu", "2023-06-01", "50", None),    # "more than 50 %"
    ("eu-pre2024", "eu", "2023-06-01", "50.01", "covered"),
    ("uk", "uk", "2025-10-15", "50", None),            # "more than 50 %"
    ("uk", "uk", "2025-10-15", "51", "covered"),
])
def test_every_rule_id(capsys: pytest.CaptureFixture[str], tmp_path: Path, rule: str,
                       source: str, as_of: str, stake: str, expected: str | None) -> None:
    own = write(tmp_path, "own.csv", f"owner_id,owned_id,percent\nX,B,{stake}\n")
    ent = write(tmp_path, "ent.csv", "id,name,country\nX,Xeno,RU\nB,Beta,AE\n")
    listed = write(tmp_path, "listed.csv", f"id,list\nX,{source}\n")
    doc = affiliates(capsys, own, listed, "--entities", ent, "--rule", rule, "--as-of", as_of)
    assert doc["rule"] == rule and doc["as_of"] == as_of
    statuses = {f["id"]: f["status"] for f in doc["findings"]}
    if expected is None:   # below the threshold: not covered (a minority may be flagged)
        assert statuses.get("B") in (None, "red_flag")
    else:
        assert statuses == {"B": expected}


def test_ownership_csv_variants(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    own = write(tmp_path, "own.csv",
                "owner_id,owned_id,percent_min,percent_max,relation,joint_group,valid_from,"
                "valid_to,source\n"
                "X,A,25,50,ownership,,,,register band\n"          # range
                "X,B,,,,,,,press\n"                               # unknown
                "X,C,60,60,,,2020-01-01,2024-12-31,old deal\n"    # lapsed before as-of
                "X,D,,,control,,,,board seats\n"                  # control only
                "X,E,,,branch,,,,branch office\n"                 # branch
                "X,F,30,30,,J1,,,pact\nY,F,30,30,,J1,,,pact\n")   # joint group
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    doc = affiliates(capsys, own, listed, "--rule", "us-ofac", "--as-of", "2025-10-15")
    statuses = {f["id"]: f["status"] for f in doc["findings"]}
    assert statuses["A"] == "undetermined" and statuses["B"] == "undetermined"
    assert "C" not in statuses
    assert statuses["D"] == "red_flag" and statuses["E"] == "covered"
    assert "F" not in statuses or statuses["F"] != "covered"   # 30 % is below 50 % for OFAC
    # the stake valid on the as-of date counts
    doc = affiliates(capsys, own, listed, "--rule", "us-ofac", "--as-of", "2023-06-01")
    assert {f["id"]: f["status"] for f in doc["findings"]}["C"] == "covered"


def test_entities_and_listed_optional_columns(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    own = write(tmp_path, "own.csv", "owner_id,owned_id,percent\nX,B,50\nX,U,50\n")
    ent = write(tmp_path, "ent.csv", "id,name,country,aliases\nB,Beta Ltd,AE,Beta;Beta Co\n"
                "U,Union Inc,US,\n")
    listed = write(tmp_path, "listed.csv", "id,list,name,programs,license_requirement,"
                   "license_policy\nX,entity_list,Xeno,,For all items subject to the EAR,"
                   "Presumption of denial\n")
    doc = affiliates(capsys, own, listed, "--entities", ent, "--as-of", "2025-10-15")
    (b,) = doc["findings"]   # U is a US entity: outside the foreign-only BIS rule
    assert b["id"] == "B" and b["status"] == "covered"
    assert b["license_requirement"] == "For all items subject to the EAR"
    assert b["license_policy"] == "Presumption of denial"
    # programs limit which SDN parties seed the BIS rule (§ 744.8): the column is read
    listed2 = write(tmp_path, "listed2.csv", "id,list,programs\nX,sdn,SDGT;IRAN\n")
    assert affiliates(capsys, own, listed2, "--entities", ent, "--as-of", "2025-10-15")


# ------------------------------------------------------------------ rare-earth

def rare_earth(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = cli(capsys, "rare-earth", *argv)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def test_rare_earth_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    doc = rare_earth(capsys, str(BOM), "--date", "2026-03-01")
    assert doc["date"] == "2026-03-01" and isinstance(doc["notices"], list)
    statuses = {"license_required", "not_required", "needs_review", "suspended"}
    for p in doc["products"]:
        assert {"product_id", "status", "triggers", "ratio", "headroom",
                "licensing_outlook"} <= set(p)
        assert p["status"] in statuses
        assert p["ratio"] is None or isinstance(p["ratio"], str)
        for t in p["triggers"]:
            assert {"announcement", "control_code", "line_id", "in_force", "reason"} <= set(t)
            assert isinstance(t["in_force"], bool) and t["reason"]
    by_id = {p["product_id"]: p for p in doc["products"]}
    assert by_id["MOTOR-JP"]["ratio"] == "0.001"          # 0.10 / 100.00, exact decimal


def test_rare_earth_csv_table_and_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "rare-earth", str(BOM), "--date", "2026-03-01", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"product_id", "status", "ratio", "headroom", "licensing_outlook"} <= set(rows[0])
    assert len(rows) == 8
    code, out, _ = cli(capsys, "rare-earth", str(BOM), "--date", "2026-03-01", "--format",
                       "table")
    assert code == 0 and "NDFEB-A" in out and "license_required" in out
    # without --date each product is taken at its ship_date: TC-D4, limb (3) in force
    doc = rare_earth(capsys, str(BOM))
    assert {p["product_id"]: p["status"] for p in doc["products"]}["DYOX-TRADE"] == \
        "license_required"


@pytest.mark.parametrize(("date", "product", "expected"), [
    ("2025-07-04", "P1179", "license_required"),      # TC-P1: 0.36 % Dy NdFeB, No. 18
    ("2025-04-09", "SMCO-A", "license_required"),     # TC-P3 item 1: SmCo 22.6 % Sm
    ("2025-04-09", "NDFEB-A", "license_required"),    # TC-P3 item 2: NdFeB 1.9 % Dy
    ("2026-03-01", "ROTOR-1", "not_required"),        # TC-F1: rotor assembly
    ("2026-03-01", "PHONE-CASE", "not_required"),     # TC-F5: magnetic phone case
    ("2026-03-01", "MOTOR-JP", "suspended"),          # TC-D1: 0.1 % met, No. 70
    ("2026-03-01", "MAG-JP", "not_required"),         # TC-D2: 0.09 % not met
    ("2025-10-20", "DYOX-TRADE", "license_required"),  # TC-D4: limb (3) in force
    ("2025-11-20", "DYOX-TRADE", "suspended"),        # TC-D5: limb (3) suspended
])
def test_research_examples(capsys: pytest.CaptureFixture[str], date: str, product: str,
                           expected: str) -> None:
    doc = rare_earth(capsys, str(BOM), "--date", date)
    assert {p["product_id"]: p["status"] for p in doc["products"]}[product] == expected


CATEGORIES = ["metal", "alloy", "oxide", "compound", "target", "magnet", "magnet_part",
              "rotor_stator", "motor", "sensor", "phosphor", "catalyst", "consumer_good",
              "component", "assembly", "finished_product", "other"]
END_USES = ("civil", "military", "wmd", "advanced_semiconductor", "military_ai", "humanitarian")
HEAD = ("product_id,line_id,parent_id,category,value,description,elements,origin,made_in,"
        "cn_technology,export_from,destination,ship_date,end_use,end_user_listed\n")


def test_every_bom_column_category_and_end_use(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    lines = [HEAD]
    for k, category in enumerate(CATEGORIES):
        end_use = END_USES[k % len(END_USES)]
        lines.append(f"P{k},T,,assembly,1000,top,,CN,CN,no,JP,US,2026-03-01,{end_use},"
                     f"{'yes' if k % 2 else 'no'}\n")
        lines.append(f"P{k},L,T,{category},10,part,Dy:1;Nd:20;Fe,CN,CN,unknown,,,,,\n")
    path = write(tmp_path, "bom.csv", "".join(lines))
    doc = rare_earth(capsys, path)
    assert sorted(p["product_id"] for p in doc["products"]) == sorted(
        f"P{k}" for k in range(len(CATEGORIES)))
    for p in doc["products"]:
        assert p["date"] == "2026-03-01"   # ship_date of the top line


def test_military_end_use_gets_presumptive_denial(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    # TC-D9: licence required under No. 61 (limb 3, 2025-10-20) for an overseas military user
    path = write(tmp_path, "bom.csv", HEAD + "D,D1,,oxide,5000,Dy oxide,Dy,CN,CN,no,JP,KR,"
                 "2025-10-20,military,no\n")
    (p,) = rare_earth(capsys, path)["products"]
    assert p["status"] == "license_required"
    assert p["licensing_outlook"] == "presumptive_denial"


# ------------------------------------------------------------------ bad input

OWN_HEAD = "owner_id,owned_id,percent\n"


@pytest.mark.parametrize(("name", "text", "row", "column"), [
    ("semicolons", "owner_id;owned_id;percent\nX;B;50\n", 1, "owner_id"),
    ("nan", OWN_HEAD + "X,B,nan\n", 2, "percent"),
    ("over", OWN_HEAD + "X,B,101\n", 2, "percent"),
    ("comma", OWN_HEAD + 'X,B,"50,5"\n', 2, "percent"),
    ("underscore", OWN_HEAD + "X,B,5_0\n", 2, "percent"),   # Decimal would read 50
    ("plus", OWN_HEAD + "X,B,+50\n", 2, "percent"),
    ("self", OWN_HEAD + "X,B,10\nB,B,10\n", 3, "owned_id"),
    ("relation", "owner_id,owned_id,percent,relation\nX,B,50,subsidiary\n", 2, "relation"),
    ("backwards", "owner_id,owned_id,percent,valid_from,valid_to\n"
     "X,B,50,2025-05-01,2024-01-01\n", 2, "valid_from"),
    ("latin1_id", (OWN_HEAD + "X,B\xe9,50\n").encode("latin-1"), 2, "owned_id"),
    ("latin1_source", "owner_id,owned_id,percent,source\nX,B,50,Soci\xe9t\xe9\n"
     .encode("latin-1"), 2, "source"),
    ("nul_id", OWN_HEAD + "X,B\x00,50\n", 2, "owned_id"),
    ("branch_cycle", "owner_id,owned_id,percent,relation\nA,B,,branch\nB,A,,branch\n"
     "X,A,60,\n", 3, "owned_id"),
    ("branch_cycle3", "owner_id,owned_id,percent,relation\nA,B,,branch\nB,C,,branch\n"
     "C,A,,branch\n", 4, "owned_id"),
    # a blank line does not shift the row numbers after it; a short row is not padded
    ("after_blank", OWN_HEAD + "X,B,50\n\nX,C,abc\n", 4, "percent"),
    ("short_row", OWN_HEAD + "X,B,50\nX,C\n", 3, "percent"),
    ("repeated_column", "owner_id,owned_id,percent,owned_id\nX,B,50,C\n", 1, "owned_id"),
    ("two_heads", "owner_id,owned_id,percent,relation\nA,BR,,branch\nX,Y,10,\nB,BR,,branch\n",
     4, "owner_id"),
])
def test_bad_ownership_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                            text: str | bytes, row: int, column: str) -> None:
    own = write(tmp_path, f"{name}.csv", text)
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    code, _out, err = cli(capsys, "affiliates", "--ownership", own, "--listed", listed)
    assert code == 2, err
    assert own in err and f"row {row}" in err and f"column '{column}'" in err


def test_branch_cycle_on_different_dates_is_fine(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    own = write(tmp_path, "own.csv", "owner_id,owned_id,relation,valid_from,valid_to\n"
                "A,B,branch,,2019-12-31\nB,A,branch,2020-01-01,\nX,B,control,,\n")
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    doc = affiliates(capsys, own, listed, "--rule", "us-ofac", "--as-of", "2025-01-01")
    assert {f["id"]: f["status"] for f in doc["findings"]} == {"B": "red_flag"}


@pytest.mark.parametrize(("which", "text", "column"), [
    ("entities", "id,name\nB,Caf\xe9\n".encode("latin-1"), "name"),
    ("entities", "id,aliases\nB,Caf\xe9\n".encode("latin-1"), "aliases"),
    ("entities", "id,name\nB\x01,Beta\n", "id"),
    ("listed", "id,list,license_policy\nX,sdn,Refus\xe9\n".encode("latin-1"), "license_policy"),
    ("listed", "id,list,name\nX,sdn,Caf\xe9\n".encode("latin-1"), "name"),
    ("listed", "id,list\nX\x00,sdn\n", "id"),
])
def test_bad_bytes_in_entities_or_listed(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         which: str, text: str | bytes, column: str) -> None:
    files = {"ownership": write(tmp_path, "own.csv", OWN_HEAD + "X,B,50\n"),
             "listed": write(tmp_path, "listed.csv", "id,list\nX,sdn\n"),
             "entities": write(tmp_path, "ent.csv", "id\nB\n")}
    files[which] = write(tmp_path, f"bad_{which}.csv", text)
    code, out, err = cli(capsys, "affiliates", "--ownership", files["ownership"],
                         "--listed", files["listed"], "--entities", files["entities"])
    assert code == 2, err
    assert out == ""
    assert files[which] in err and "row 2" in err and f"column '{column}'" in err


@pytest.mark.parametrize("kind", ["empty", "folder", "missing"])
def test_unusable_files(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    path = {"empty": write(tmp_path, "empty.csv", ""), "folder": str(tmp_path),
            "missing": str(tmp_path / "nope.csv")}[kind]
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    own = write(tmp_path, "own.csv", OWN_HEAD + "X,B,50\n")
    for argv in (["affiliates", "--ownership", path, "--listed", listed],
                 ["affiliates", "--ownership", own, "--listed", path],
                 ["affiliates", "--ownership", own, "--listed", listed, "--entities", path],
                 ["rare-earth", path]):
        code, _, err = cli(capsys, *argv)
        assert code == 2 and path in err, err


BOM_HEAD = "product_id,line_id,parent_id,category,value,elements,origin,cn_technology\n"


@pytest.mark.parametrize(("name", "text", "row", "column"), [
    ("thousands", BOM_HEAD + 'P,L1,,magnet,"1,000.50",Nd:30,CN,yes\n', 2, "value"),
    ("huge", BOM_HEAD + "P,L1,,magnet,1e999999999,Nd:30,CN,yes\n", 2, "value"),
    ("tiny", BOM_HEAD + "P,L0,,motor,100,,JP,no\nP,L1,L0,magnet,1e-999999999,Nd:30,JP,no\n",
     3, "value"),
    ("element", BOM_HEAD + "P,L1,,magnet,100,Xx:5,CN,yes\n", 2, "elements"),
    ("cn_tech", BOM_HEAD + "P,L1,,magnet,100,Nd:30,CN,maybe\n", 2, "cn_technology"),
    ("two_tops", BOM_HEAD + "P,L1,,assembly,100,,CN,no\nP,L2,,magnet,10,Nd:30,CN,no\n", 3,
     "parent_id"),
    ("cycle", BOM_HEAD + "P,L0,,assembly,100,,CN,no\nP,L1,L2,assembly,50,,CN,no\n"
     "P,L2,L1,magnet,10,Nd:30,CN,no\n", 3, "parent_id"),
    ("category", BOM_HEAD + "P,L1,,widget,100,,CN,no\n", 2, "category"),
    ("latin1", (BOM_HEAD.replace("cn_technology", "description")
                + "P,L1,,magnet,100,Nd:30,CN,Aimant \xe0 base\n").encode("latin-1"), 2,
     "description"),
])
def test_bad_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                 text: str | bytes, row: int, column: str) -> None:
    path = write(tmp_path, f"{name}.csv", text)
    code, _out, err = cli(capsys, "rare-earth", path, "--date", "2026-03-01")
    assert code == 2, err
    assert path in err and f"row {row}" in err and f"column '{column}'" in err


@pytest.mark.parametrize("date", ["20260301", "2026-W10-1", "", "2026-02-30", "tomorrow"])
def test_rare_earth_date_must_be_yyyy_mm_dd(capsys: pytest.CaptureFixture[str],
                                            date: str) -> None:
    code, out, err = cli(capsys, "rare-earth", str(BOM), "--date", date)
    assert code == 2 and out == ""
    assert "--date" in err and "YYYY-MM-DD" in err


def test_rare_earth_unwritable_out_is_bad_input(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    for target in (tmp_path / "missing-folder" / "out.json", tmp_path):
        code, _, err = cli(capsys, "rare-earth", str(BOM), "--date", "2026-03-01",
                           "--out", str(target))
        assert code == 2 and str(target) in err, err


def test_part_ii_notice_does_not_depend_on_row_order(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    head = "product_id,line_id,parent_id,category,value,elements,origin,made_in,export_from,"\
           "destination,ship_date\nP,L0,,consumer_good,100,,JP,JP,JP,US,2026-03-01\n"
    l3, l4 = "P,L3,L0,target,10,Dy,JP,JP,,,\n", "P,L4,L0,target,10,Tb,JP,JP,,,\n"
    outputs = [cli(capsys, "rare-earth", write(tmp_path, f"{k}.csv", head + body))[1]
               for k, body in (("a", l3 + l4), ("b", l4 + l3))]
    assert "line L3 (target), line L4 (target)" in outputs[0]
    assert outputs[0] == outputs[1]


def test_affiliates_empty_as_of_is_refused(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    own = write(tmp_path, "own.csv", OWN_HEAD + "X,B,50\n")
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    code, out, err = cli(capsys, "affiliates", "--ownership", own, "--listed", listed,
                         "--as-of", "")
    assert code == 2 and out == "" and "--as-of" in err


def test_affiliates_output_does_not_depend_on_row_order(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    # an unknown stake and a stated 0-100 range have the same bounds; they used to be
    # listed in the order of the rows
    head = "owner_id,owned_id,percent_min,percent_max\n"
    unknown, band, exact = "X,B,,\n", "X,B,0,100\n", "X,B,25,25\n"
    listed = write(tmp_path, "listed.csv", "id,list\nX,sdn\n")
    outputs = [cli(capsys, "affiliates", "--ownership",
                   write(tmp_path, f"{k}.csv", head + body), "--listed", listed,
                   "--rule", "us-ofac", "--as-of", "2025-10-15")[1]
               for k, body in (("a", unknown + band + exact), ("b", band + exact + unknown))]
    assert '"percent_min": null' in outputs[0]
    assert outputs[0].replace(str(tmp_path / "a.csv"), "") == \
        outputs[1].replace(str(tmp_path / "b.csv"), "")


@pytest.mark.parametrize(("cell", "column"), [
    ("product_id", "product_id"), ("line_id", "line_id"), ("value", "value"),
    ("elements", "elements"),
])
def test_bom_nul_in_a_cell_names_the_row(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         cell: str, column: str) -> None:
    # numpy drops a trailing NUL when it compares text: the value was taken as 5 and the
    # other errors lost their row
    good = {"product_id": "P", "line_id": "L0", "value": "5", "elements": "Nd"}
    good[cell] += "\x00"
    path = write(tmp_path, "bom.csv", "product_id,line_id,parent_id,category,value,elements\n"
                 f"{good['product_id']},{good['line_id']},,magnet,{good['value']},"
                 f"{good['elements']}\n")
    code, out, err = cli(capsys, "rare-earth", path, "--date", "2026-03-01")
    assert code == 2 and out == ""
    assert "row 2" in err and f"column '{column}'" in err


def test_open_ended_suspension_notice_says_so(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    own = write(tmp_path, "own.csv", OWN_HEAD + "X,B,50\n")
    listed = write(tmp_path, "listed.csv", "id,list\nX,entity_list\n")
    doc = affiliates(capsys, own, listed, "--as-of", "2025-10-15", "--suspended", "..")
    assert [f["status"] for f in doc["findings"]] == ["suspended"]
    notice = next(n for n in doc["notices"] if "is suspended on" in n)
    assert "None" not in notice and "open start to open end" in notice


@pytest.mark.parametrize("ship_date", ["20260301", "2026-W10-1"])
def test_bom_ship_date_must_be_yyyy_mm_dd(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          ship_date: str) -> None:
    path = write(tmp_path, "bom.csv", "product_id,line_id,parent_id,category,value,elements,"
                 f"origin,export_from,destination,ship_date\nP,L1,,magnet,100,Nd:30;Dy:1,CN,CN,"
                 f"US,{ship_date}\n")
    code, out, err = cli(capsys, "rare-earth", path)
    assert code == 2 and out == ""
    assert "row 2" in err and "column 'ship_date'" in err
