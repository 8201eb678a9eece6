"""End-to-end supplier screening: fixtures, column detection, affiliates, --since, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings

import exportscreen as xs
from conftest import require
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.screening import STATUSES, detect_columns, screen
from exportscreen.testing.suppliers import supplier_frames

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "fixtures"


def small_list(entries: list[ListEntry], sha: str = "0" * 64) -> ScreeningList:
    return ScreeningList(
        entries=tuple(entries),
        provenance=ListProvenance(source="test list", format="test", sha256=sha,
                                  entries=len(entries)),
    )


ACME = ListEntry(id="E1", source="entity_list", source_name="Entity List",
                 name="Rostov Precision Instruments JSC", countries=("RU",),
                 license_requirement="All items subject to the EAR.",
                 license_policy="Policy of denial.")
BOLT = ListEntry(id="S1", source="sdn", source_name="SDN", name="Bolt Maritime Holdings Ltd",
                 programs=("RUSSIA-EO14024",))
TEST_LIST = small_list([ACME, BOLT])


@pytest.fixture(scope="module")
def fixture_run() -> xs.ScreeningRun:
    return screen(FIX / "suppliers.csv", ownership=FIX / "ownership.csv",
                  entities=FIX / "entities.csv", as_of="2026-12-01")


def by_id(run: xs.ScreeningRun, supplier_id: str) -> xs.RowResult:
    matches = [r for r in run.rows if r.supplier_id == supplier_id]
    assert len(matches) == 1, supplier_id
    return matches[0]


def test_fixture_every_row_once_in_order(fixture_run: xs.ScreeningRun) -> None:
    source = pd.read_csv(FIX / "suppliers.csv", dtype=str, keep_default_na=False,
                         encoding_errors="replace")
    out = fixture_run.frame
    assert len(out) == len(source) == 290
    assert out["supplier_id"].tolist() == source["supplier_id"].tolist()
    assert list(out.columns[: len(source.columns)]) == list(source.columns)
    for column in ("screen_status", "score", "matched_name", "matched_list", "matched_entry_id",
                   "license_requirement", "reason"):
        assert column in out.columns
    assert set(out["screen_status"]) <= set(STATUSES)


def test_fixture_true_hits(fixture_run: xs.ScreeningRun) -> None:
    hits = {r.name: r for r in fixture_run.rows if r.status == "hit"}
    assert "HANGZHOU HIKVISION DIGITAL TECH CO LTD" in hits
    assert "Semiconductor Mfg Intl Corp (SMIC)" in hits
    hik = hits["HANGZHOU HIKVISION DIGITAL TECH CO LTD"]
    assert hik.top is not None and hik.top.source == "entity_list"
    assert "Hikvision" in hik.top.entry_name
    assert hik.top.license_requirement
    # the SEC-listed companies in the fixture are not hits
    assert all(r.country == "CN" for r in hits.values())


def test_fixture_affiliates(fixture_run: xs.ScreeningRun) -> None:
    qinglan = by_id(fixture_run, "V20001")
    assert qinglan.status == "affiliate"
    link = qinglan.top.affiliate  # type: ignore[union-attr]
    assert link is not None and link.link == "id"
    assert [s.entity_id for s in link.path] == ["E-HIK", "E-F01", "V20001"]
    assert link.path[0].percent_min == 60.0 and link.path[1].percent_min == 100.0
    assert "Hikvision" in qinglan.top.entry_name  # type: ignore[union-attr]
    assert qinglan.top.license_requirement  # type: ignore[union-attr]
    # aggregation: 30 % listed + 25 % from a covered affiliate
    brightmoor = by_id(fixture_run, "V20002")
    assert brightmoor.status == "affiliate"
    assert brightmoor.top.affiliate.aggregate_min == 55.0  # type: ignore[union-attr]
    # linked by name (its supplier id is not in the graph), three levels below Huawei
    ardent = by_id(fixture_run, "V20003")
    assert ardent.status == "affiliate"
    assert ardent.top.affiliate.link == "name"  # type: ignore[union-attr]
    assert ardent.top.affiliate.path[0].entity_id == "E-HUA"  # type: ignore[union-attr]
    assert "<-" in fixture_run.frame.loc[ardent.position, "affiliate_path"]


def test_fixture_undetermined_and_red_flags_are_possible(fixture_run: xs.ScreeningRun) -> None:
    for supplier_id, finding in (("V20004", "undetermined"), ("V20005", "undetermined"),
                                 ("V20006", "red_flag"), ("V20009", "red_flag")):
        row = by_id(fixture_run, supplier_id)
        assert row.status == "possible", supplier_id
        assert row.top is not None and row.top.affiliate is not None
        assert row.top.affiliate.finding_status == finding
        assert finding.replace("_", " ") in row.reason.replace("_", " ") or finding in row.reason
    assert by_id(fixture_run, "V20007").status == "clear"  # 10 % minority
    assert by_id(fixture_run, "V20008").status == "clear"  # a US entity: BIS covers foreign only


def test_fixture_errors_are_kept(fixture_run: xs.ScreeningRun) -> None:
    errors = [r for r in fixture_run.rows if r.status == "error"]
    assert len(errors) == 2
    assert any("empty" in r.reason for r in errors)
    bad = next(r for r in errors if "UTF-8" in r.reason)
    assert "supplier_name" in bad.reason and bad.row == 291
    assert "\ufffd" in fixture_run.frame.loc[bad.position, "supplier_name"]


def test_provenance(fixture_run: xs.ScreeningRun) -> None:
    prov = fixture_run.provenance
    assert prov["library"]["version"] == xs.__version__
    assert len(prov["list"]["sha256"]) == 64
    assert prov["thresholds"]["hit"] >= prov["thresholds"]["possible"]
    assert prov["rule"] == "us-bis-affiliates" and prov["as_of"] == "2026-12-01"
    assert prov["input"]["detected"] == {"name": "supplier_name", "country": "country",
                                         "id": "supplier_id"}
    assert fixture_run.ownership is not None
    roots = {r["entity_id"] for r in fixture_run.ownership["listed_roots"]}
    assert {"E-HIK", "E-HUA", "E-SMIC", "E-PHY", "E-SNS"} <= roots
    assert fixture_run.frame.attrs["exportscreen"] == prov.to_dict()


def test_detect_columns() -> None:
    assert detect_columns(["Vendor Number", "NAME1", "LAND1"]) == {
        "name": "NAME1", "country": "LAND1", "id": "Vendor Number"}
    assert detect_columns(["Company", "Country Code"])["country"] == "Country Code"
    with pytest.raises(InputError) as info:
        detect_columns(["foo", "bar"], label="s.csv")
    assert info.value.file == "s.csv" and info.value.row == 1
    with pytest.raises(InputError) as info:
        detect_columns(["name"], country_column="Land", label="s.csv")
    assert info.value.column == "Land"


def test_dataframe_and_given_columns() -> None:
    frame = pd.DataFrame({"Lieferant": ["Rostov Precision Instruments", "Harmless GmbH"],
                          "Land": ["RU", "DE"]})
    out = xs.screen_suppliers(frame, list=TEST_LIST, name_column="Lieferant",
                              country_column="Land")
    assert out["screen_status"].tolist() == ["hit", "clear"]
    assert out.loc[0, "matched_entry_id"] == "E1"
    assert out.loc[0, "license_requirement"] == "All items subject to the EAR."
    assert pd.isna(out.loc[1, "score"])


def test_unknown_country_is_reported_not_dropped() -> None:
    frame = pd.DataFrame({"name": ["Rostov Precision Instruments JSC"], "country": ["Narnia"]})
    run = screen(frame, list=TEST_LIST)
    assert run.rows[0].status == "hit"
    assert "neither an ISO 3166 alpha-2 code nor a known country name" in run.rows[0].reason
    assert any("ISO 3166" in n for n in run.notices)


def test_country_names_and_lower_case_codes_are_read_as_iso_codes() -> None:
    frame = pd.DataFrame({"name": ["Rostov Precision Instruments JSC"] * 3,
                          "country": ["Russia", "ru", "RU"]})
    run = screen(frame, list=TEST_LIST)
    assert [r.status for r in run.rows] == ["hit"] * 3
    assert len({r.top.score for r in run.rows if r.top}) == 1  # same corroboration for all
    assert not any("ISO 3166" in (r.reason or "") for r in run.rows)


def test_result_column_clash_is_an_input_error() -> None:
    frame = pd.DataFrame({"name": ["x"], "score": ["1"]})
    with pytest.raises(InputError) as info:
        screen(frame, list=TEST_LIST)
    assert info.value.column == "score"


def test_xlsx_input(tmp_path: Path) -> None:
    path = tmp_path / "vendors.xlsx"
    pd.DataFrame({"Vendor Name": ["Bolt Maritime Holdings", "", "Fine Foods"],
                  "Country": ["CY", "US", "US"]}).to_excel(path, index=False)
    run = screen(path, list=TEST_LIST)
    assert [r.status for r in run.rows] == ["hit", "error", "clear"]
    assert [r.row for r in run.rows] == [2, 3, 4]


@settings(max_examples=25)
@given(supplier_frames(max_rows=15, names=[ACME.name, BOLT.name, "Rostov Precision Instr."]))
def test_property_every_row_once(frame: pd.DataFrame) -> None:
    out = xs.screen_suppliers(frame, list=TEST_LIST)
    assert len(out) == len(frame)
    assert out["supplier_id"].tolist() == frame["supplier_id"].tolist()
    assert set(out["screen_status"]) <= set(STATUSES)
    empty = frame["supplier_name"].str.strip() == ""
    assert ((out["screen_status"] == "error") == empty).all()
    alerts = out["screen_status"].isin(["hit", "possible"])
    assert (out.loc[alerts, "matched_entry_id"] != "").all()
    # deterministic
    again = xs.screen_suppliers(frame, list=TEST_LIST)
    pd.testing.assert_frame_equal(out, again)


def test_since_reports_added_removed_changed(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["A", "B", "C"],
                          "name": ["Rostov Precision Instruments", "Bolt Maritime Holdings",
                                   "Kappa Widgets Ltd"]})
    first = screen(frame, list=TEST_LIST)
    previous = json.loads(json.dumps(first.to_dict()))
    kappa = ListEntry(id="N1", source="entity_list", name="Kappa Widgets Limited")
    changed_acme = ACME.model_copy(update={"license_policy": "Case-by-case review."})
    second = screen(frame, list=small_list([changed_acme, kappa], "1" * 64), previous=previous)
    changes = {c.row_key: c for c in second.changes or ()}
    assert "id:B" in changes and any("S1 was removed" in r for r in changes["id:B"].reasons)
    assert changes["id:B"].after == "clear"
    assert any("N1 was added" in r for r in changes["id:C"].reasons)
    assert "id:A" not in changes  # still a hit on the same entry: outcome unchanged
    assert second.frame.loc[2, "change"].startswith("clear -> hit")
    # a row that disappears is reported too
    third = screen(frame.iloc[:2], list=TEST_LIST, previous=previous)
    assert any(c.after == "removed" and c.row_key == "id:C" for c in third.changes or ())


def test_since_rejects_non_report(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"foo": 1}')
    with pytest.raises(InputError):
        screen(pd.DataFrame({"name": ["x"]}), list=TEST_LIST, previous=path)


def test_cli_summary_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["screen", str(FIX / "suppliers.csv"), "--ownership", str(FIX / "ownership.csv"),
            "--entities", str(FIX / "entities.csv"), "--as-of", "2026-12-01"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "hit: 9" in out and "affiliate: 3" in out and "Alerts (" in out
    assert "Qinglan Optics Trading" in out
    for name in ("r.csv", "r.json", "r.html"):
        assert main([*args, "--out", str(tmp_path / name), "--progress", "never"]) == 0
        assert (tmp_path / name).stat().st_size > 1000
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "q.csv"), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["rows"] == 290
    assert main([*args, "--since", str(tmp_path / "r.json")]) == 0
    assert "Changes since the previous run (0)" in capsys.readouterr().out


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    assert main(["screen", str(bad)]) == 2
    assert "--name-column" in capsys.readouterr().err
    assert main(["screen", str(FIX / "suppliers.csv"), "--out", str(tmp_path / "x.txt")]) == 2
    with pytest.raises(SystemExit) as info:
        main(["screen", "--help"])
    assert info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    require("chromium", shutil.which("chromium") is not None, "EXPORTSCREEN_REQUIRE_CHROMIUM")
    report = tmp_path / "report.html"
    assert main(["screen", str(FIX / "suppliers.csv"), "--ownership", str(FIX / "ownership.csv"),
                 "--entities", str(FIX / "entities.csv"), "--out", str(report)]) == 0
    profile = tmp_path / "profile"
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<svg" in dom.stdout and "Ownership paths" in dom.stdout
    assert dom.stdout.count('<span class="st affiliate">') >= 3


def test_suspended_rule_gives_possible_not_affiliate() -> None:
    run = screen(FIX / "suppliers.csv", ownership=FIX / "ownership.csv",
                 entities=FIX / "entities.csv", as_of="2026-01-15")
    qinglan = by_id(run, "V20001")
    assert qinglan.status == "possible"
    assert qinglan.top is not None and qinglan.top.affiliate is not None
    assert qinglan.top.affiliate.finding_status == "suspended"
    assert "suspended" in qinglan.reason
    assert run.summary["affiliate"] == 0
    assert run.ownership is not None and run.ownership["rule_in_force"] is not None
