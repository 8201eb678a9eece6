"""Issue 16, rare-earth items, each encoded from the legal texts (docs/rare-earth.md,
"Second review"): No. 46 of 2024 and No. 72 of 2025 (item 1), lapsed suspensions and
unverified readings are not settled (item 2), No. 57 product forms (item 5), the humanitarian
report (item 10), rounded assays (item 11)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.knowledge import bibliography
from exportscreen.rareearth import Verdict, load_rule_pack
from exportscreen.testing.bom import bom_frame as frame
from exportscreen.testing.bom import bom_line as line
from exportscreen.testing.bom import bom_product as product

DY_MAGNET = "Nd:28;Dy:3;Fe;B"


def one(*rows: dict[str, str], date: str | None = None, pack: object = None,
        tolerance: str | None = None, **shipment: str) -> Verdict:
    (v,) = xs.check_bom(frame(product(*rows, **shipment)), date=date, pack=pack,
                        composition_tolerance=tolerance)
    return v


def day(text: str, delta: int = 0) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=delta)).isoformat()


# ---- item 1: No. 46 of 2024, No. 72 of 2025, control-list parties -------------------------

def test_pack_models_no46_and_what_no72_suspended() -> None:
    pack = load_rule_pack()
    no46 = pack.announcements["MOFCOM-2024-46"]
    assert no46.issued == dt.date(2024, 12, 3)
    assert "military" in no46.articles["Art. 1"]
    assert "gallium" in no46.articles["Art. 2"]
    (no72,) = [w for w in pack.suspensions if w.id == "no72"]
    assert no72.applies_to == ["MOFCOM-2024-46"] and no72.articles == ["Art. 2"]
    assert (no72.start, no72.end) == (dt.date(2025, 11, 9), dt.date(2026, 11, 27))
    # Art. 2 is suspended inside the window, Art. 1 never
    assert pack.suspension_at("MOFCOM-2024-46", dt.date(2026, 3, 1), "Art. 2") is no72
    assert pack.suspension_at("MOFCOM-2024-46", dt.date(2026, 3, 1), "Art. 1") is None
    assert pack.suspension_at("MOFCOM-2024-46", dt.date(2026, 3, 1)) is None
    for edge, inside in ((day("2025-11-09", -1), False), ("2025-11-09", True),
                         ("2026-11-27", True), (day("2026-11-27", 1), False)):
        covered = pack.suspension_at("MOFCOM-2024-46", dt.date.fromisoformat(edge), "Art. 2")
        assert (covered is not None) is inside, edge


@pytest.mark.parametrize(("date", "outlook"), [
    (day("2024-12-03", -1), "end_use_review"),   # before No. 46: No. 18's own basis
    ("2024-12-03", "prohibited"),                # No. 46 effective on publication
    # No. 18 itself starts 2025-04-04; inside and after the No. 72 window Art. 1 still applies
    ("2025-11-09", "prohibited"), ("2026-11-27", "prohibited"),
    (day("2026-11-27", 1), "prohibited"),
])
def test_dy_from_china_to_a_us_military_use_is_prohibited_by_no46_art1(
        date: str, outlook: str) -> None:
    rows = [line("D", "metal", "5000", "Dy", origin="CN")]
    # No. 18 started 2025-04-04; before it there is no licence requirement to look at
    pack = {"extends": "default", "export_from_china": {"controls": [
        dict(c, effective="2024-01-01") for c in load_rule_pack().model_dump(
            mode="json")["export_from_china"]["controls"]]}}
    v = one(*rows, export_from="CN", destination="US", date=date, end_use="military", pack=pack)
    assert v.status == "license_required"
    assert v.licensing_outlook == outlook
    reason = v.licensing_outlook_reason or ""
    if outlook == "prohibited":
        assert "No. 46" in reason and "Art. 1" in reason and "No. 61" not in reason.split(".")[0]
    else:
        assert "No. 61" not in reason


def test_no46_reaches_foreign_exporters_of_chinese_origin_items_to_the_us() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="US",
            date="2025-10-20", end_use="military")
    assert v.status == "license_required" and v.licensing_outlook == "prohibited"


def test_exports_from_china_cite_their_own_basis_not_no61() -> None:
    for end_use in ("military", "wmd"):
        v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
                destination="DE", date="2026-03-01", end_use=end_use)
        assert v.licensing_outlook == "end_use_review"
        assert "No. 61" not in (v.licensing_outlook_reason or "")
        assert "[U]" in (v.licensing_outlook_reason or "")
    # the same item re-exported by a foreign person: No. 61 Arts. 2-3
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date="2025-10-20", end_use="military")
    assert v.licensing_outlook == "presumptive_denial"
    assert "No. 61 Arts. 2-3" in (v.licensing_outlook_reason or "")
    # No. 61 Art. 4 (case by case) and Art. 5 (humanitarian) are not No. 18 policies
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="TW", date="2026-03-01", end_use="advanced_semiconductor")
    assert v.licensing_outlook == "standard_review"


@pytest.mark.parametrize(("listed", "from_china", "foreign"), [
    ("control_list", "prohibited", "presumptive_denial"),
    ("yes", "prohibited", "presumptive_denial"),       # which list not said: conservative
    ("watch_list", "end_use_review", "presumptive_denial"),
    ("no", "standard_review", "standard_review"),
])
def test_control_list_parties_are_barred_from_china_exports(
        listed: str, from_china: str, foreign: str) -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="DE", date="2026-03-01", end_use="civil", end_user_listed=listed)
    assert v.licensing_outlook == from_china
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date="2025-10-20", end_use="civil", end_user_listed=listed)
    assert v.licensing_outlook == foreign


def test_end_user_listed_values_are_checked() -> None:
    with pytest.raises(InputError) as info:
        one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="DE", end_user_listed="entity_list")
    assert info.value.column == "end_user_listed" and "control_list" in str(info.value)


# ---- item 2: a lapsed suspension or an unverified reading is not settled ----------------------

def test_pack_information_date_is_its_newest_source() -> None:
    pack = load_rule_pack()
    bib = bibliography()
    dates = [bib[i].date for i in pack.sources if i in bib and bib[i].date is not None]
    assert pack.information_until == max(dates) == dt.date(2026, 10, 4)


@pytest.mark.parametrize(("date", "status", "certain"), [
    (day("2026-11-10", -1), "suspended", True), ("2026-11-10", "suspended", True),
    (day("2026-11-10", 1), "needs_review", False), ("2026-11-29", "needs_review", False),
])
def test_no57_after_the_no70_window_is_never_settled(date: str, status: str,
                                                     certain: bool) -> None:
    v = one(line("M", "magnet", "100", "Nd:28;Ho:2;Fe;B", origin="CN"), export_from="CN",
            destination="DE", date=date)
    assert (v.status, v.certain) == (status, certain)
    if not certain:
        assert any("lapsed" in c and "2026-11-10" in c for c in v.caveats)
        assert all(t.in_force and not t.certain for t in v.triggers)


def test_no18_is_settled_after_the_no70_window_it_was_never_part_of() -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="DE", date="2026-11-29")
    assert v.status == "license_required" and v.certain and v.caveats == []


@settings(max_examples=40, deadline=None)
@given(offset=st.integers(min_value=1, max_value=800), part_i=st.decimals(
    min_value=Decimal("0"), max_value=Decimal("50"), places=2))
def test_after_the_lapse_a_foreign_export_is_never_cleared_when_a_limb_could_apply(
        offset: int, part_i: Decimal) -> None:
    date = day("2026-11-10", offset)
    v = one(line("G", "magnet", "100", DY_MAGNET, origin="JP", made_in="JP"),
            line("D", "metal", str(part_i), "Dy", parent="G", origin="CN"),
            export_from="JP", destination="US", date=date)
    if part_i >= Decimal("0.1"):
        assert v.status == "needs_review" and not v.certain and v.caveats
    else:
        assert v.status == "not_required"


def test_cli_shows_the_caveat_in_every_format(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bom = tmp_path / "bom.csv"
    frame(product(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP",
                  destination="KR")).to_csv(bom, index=False)
    assert main(["rare-earth", str(bom), "--date", "2026-11-29"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (p,) = doc["products"]
    assert p["status"] == "needs_review" and p["certain"] is False
    assert any("lapsed" in c for c in p["caveats"])
    assert doc["pack"]["information_as_of"] == "2026-10-04"
    assert main(["rare-earth", str(bom), "--date", "2026-11-29", "--format", "csv"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["status"] == "needs_review" and row["certain"] == "no"
    assert "lapsed" in row["caveats"]
    assert main(["rare-earth", str(bom), "--date", "2026-11-29", "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert "certain" in table.splitlines()[0] and "not settled: the suspension lapsed" in table
    assert " no " in table.splitlines()[2]


# ---- item 5: No. 57 product forms --------------------------------------------------------

@pytest.mark.parametrize(("category", "element", "code"), [
    ("crystal", "Ho", "1C909.a"), ("magnetocaloric", "Ho", "1C909.a"),
    ("magnetostrictive", "Ho", "1C909.a"),
    ("crystal", "Er", "1C910.a"), ("optical_fibre", "Er", "1C910.a"),
    ("hydrogen_storage", "Er", "1C910.a"), ("ceramic", "Er", "1C910.a"),
    ("crystal", "Tm", "1C911.a"),
    ("crystal", "Eu", "1C912.a"), ("hydrogen_storage", "Eu", "1C912.a"),
    ("crystal", "Yb", "1C913.a"), ("optical_fibre", "Yb", "1C913.a"),
    ("thermal_barrier_coating", "Yb", "1C913.a"),
])
def test_no57_product_forms_are_listed_items(category: str, element: str, code: str) -> None:
    rows = [line("X", category, "100", f"{element}:1;Si", origin="CN")]
    for date, status in ((day("2025-11-08", -1), "not_required"), ("2025-11-08", "suspended"),
                         ("2026-11-10", "suspended"), (day("2026-11-10", 1), "needs_review")):
        v = one(*rows, export_from="CN", destination="DE", date=date)
        assert v.status == status, date
        if status != "not_required":
            (t,) = v.triggers
            assert t.control_code == code and t.certain == (status == "suspended")
    # a pack that records the controls as applying again: a settled licence requirement
    revived = {"extends": "default", "suspensions": [
        {"id": "no70", "after_end": "revived", "citation": "test", "reliability": "S"}]}
    v = one(*rows, export_from="CN", destination="DE", date="2026-11-29", pack=revived)
    assert v.status == "license_required" and v.certain


def test_existing_categories_keep_their_place() -> None:
    assert xs.rareearth.CATEGORIES[:17] == (
        "metal", "alloy", "oxide", "compound", "target", "magnet", "magnet_part",
        "rotor_stator", "motor", "sensor", "phosphor", "catalyst", "consumer_good",
        "component", "assembly", "finished_product", "other")


@pytest.mark.parametrize(("category", "element", "date"), [
    ("component", "Er", "2026-11-29"),        # an Er-doped fibre entered as a component
    ("assembly", "Dy", "2026-03-01"),         # no FAQ ruling for assemblies
    ("crystal", "Dy", "2026-03-01"),          # No. 18 names no crystal form for Dy
    ("thermal_barrier_coating", "Y", "2026-03-01"),  # YSZ: Y oxide "and its mixtures"?
    ("ceramic", "Gd", "2026-03-01"),
])
def test_an_item_the_pack_cannot_place_is_never_cleared(category: str, element: str,
                                                         date: str) -> None:
    v = one(line("X", category, "100", f"{element}:2", origin="CN"), export_from="CN",
            destination="DE", date=date)
    assert v.status == "needs_review" and not v.certain
    assert any("cannot place" in c for c in v.caveats)


def test_an_unplaced_item_inside_the_no70_window_is_suspended_not_cleared() -> None:
    v = one(line("X", "component", "100", "Er:2", origin="CN"), export_from="CN",
            destination="DE", date="2026-03-01")
    assert v.status == "suspended"


def test_a_faq_ruling_on_the_items_own_category_still_applies() -> None:
    # FAQ (IV): motors are not No. 18 items, even when the motor line lists Dy itself
    v = one(line("X", "motor", "100", "Dy:0.5", origin="CN"), export_from="CN",
            destination="DE", date="2026-03-01")
    assert v.status == "not_required" and any("generally not controlled" in n
                                              for n in v.notices)


# ---- item 10: the humanitarian report -----------------------------------------------------

def test_humanitarian_shipment_owes_a_report_in_every_format(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date="2025-10-20", end_use="humanitarian")
    assert v.status == "not_required" and v.certain
    assert v.reporting_obligation == "report_to_mofcom_within_10_working_days"
    assert "10 working days" in (v.reporting_obligation_reason or "")
    # the same shipment from China: No. 18 has no humanitarian exemption, no report field
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="CN", destination="KR",
            date="2025-10-20", end_use="humanitarian")
    assert v.status == "license_required" and v.reporting_obligation is None
    # suspended on the date: nothing owed
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date="2026-03-01", end_use="humanitarian")
    assert v.status == "suspended" and v.reporting_obligation is None
    # after the lapse: the report may be owed, the verdict is not cleared
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date="2026-11-29", end_use="humanitarian")
    assert v.status == "needs_review" and not v.certain
    assert v.reporting_obligation == "report_to_mofcom_within_10_working_days"

    bom = tmp_path / "bom.csv"
    frame(product(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP",
                  destination="KR", end_use="humanitarian")).to_csv(bom, index=False)
    for fmt in ("json", "csv", "table"):
        assert main(["rare-earth", str(bom), "--date", "2025-10-20", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "report_to_mofcom_within_10_working_days" in out, fmt


# ---- item 11: rounded assays ----------------------------------------------------------------

SHANGHAI = "Pr:4.49;Nd:13.5;Fe:65.7;B:0.95;Ce:15.36;Dy:0.36"  # 100.36 %, S10


def test_shanghai_customs_composition_is_accepted_with_a_notice() -> None:
    report = xs.check_bom_report(frame(product(
        line("P1179", "magnet", "27665.33", SHANGHAI, origin="CN", product="HUANQIU"),
        export_from="CN", destination="CH", ship_date="2025-07-04")))
    (v,) = report.verdicts
    assert v.status == "license_required" and {t.control_code for t in v.triggers} == {
        "1C905.a.4"}
    (notice,) = [n for n in report.notices if "100.36" in n]
    assert "line P1179" in notice and "(row " in notice and "product HUANQIU" in notice


@pytest.mark.parametrize(("extra", "tolerance", "accepted"), [
    ("0.99", None, True), ("1", None, True), ("1.01", None, False),
    ("0.36", "0", False), ("0.36", "0.36", True), ("2.5", "3", True), ("3.01", "3", False),
])
def test_composition_tolerance_boundary(extra: str, tolerance: str | None,
                                        accepted: bool) -> None:
    elements = f"Nd:30;Dy:1;Fe:{Decimal(69) + Decimal(extra)}"
    rows = [line("M", "magnet", "100", elements, origin="CN")]
    if accepted:
        v = one(*rows, export_from="CN", destination="DE", date="2026-03-01",
                tolerance=tolerance)
        assert v.status == "license_required"
    else:
        with pytest.raises(InputError) as info:
            one(*rows, export_from="CN", destination="DE", date="2026-03-01",
                tolerance=tolerance)
        assert info.value.column == "elements" and info.value.row is not None


@pytest.mark.parametrize("bad", ["-1", "abc", "nan", "101"])
def test_composition_tolerance_must_be_a_number_of_points(bad: str) -> None:
    with pytest.raises(InputError):
        one(line("M", "magnet", "100", "Dy:1", origin="CN"), export_from="CN",
            destination="DE", tolerance=bad)


def test_cli_composition_tolerance_option(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bom = tmp_path / "bom.csv"
    frame(product(line("P1179", "magnet", "100", SHANGHAI, origin="CN"), export_from="CN",
                  destination="CH")).to_csv(bom, index=False)
    assert main(["rare-earth", str(bom), "--date", "2025-07-04"]) == 0
    err = capsys.readouterr().err
    assert "100.36" in err and "line P1179 (row 2)" in err
    assert main(["rare-earth", str(bom), "--composition-tolerance", "0.3"]) == 2
    err = capsys.readouterr().err
    assert "100.36" in err and "elements" in err
    assert main(["rare-earth", str(bom), "--composition-tolerance", "x"]) == 2
