"""Published customs cases, MOFCOM FAQ rulings and the derived No. 61 cases of
../shared/research/rare-earth-rules.md §7, plus the 0.1 % boundary and date windows."""

from __future__ import annotations

from decimal import Decimal

import pytest

import exportscreen as xs
from exportscreen.rareearth import Verdict
from exportscreen.testing.bom import bom_frame as frame
from exportscreen.testing.bom import bom_line as line
from exportscreen.testing.bom import bom_product as product


def one(*rows: dict[str, str], date: str | None = None, pack: object = None,
        **shipment: str) -> Verdict:
    verdicts = xs.check_bom(frame(product(*rows, **shipment)), date=date, pack=pack)
    assert len(verdicts) == 1
    return verdicts[0]


#: A user's pack recording that the No. 70 suspension ended and the controls apply again
#: (the built-in pack knows nothing after 2026-11-10): tests of the No. 61 arithmetic use it
#: so that their verdicts are settled.
REVIVED = {"extends": "default", "suspensions": [
    {"id": "no70", "after_end": "revived", "citation": "test: controls known to apply again",
     "reliability": "S"}]}


def codes(v: Verdict) -> set[str]:
    return {t.control_code for t in v.triggers}


# ---- §7.1 published enforcement cases (No. 18) ------------------------------------------

def test_tc_p1_ningbo_huanqiu_p1179_dy_036_needs_a_licence() -> None:
    v = one(line("P1179", "magnet", "27665.33", "Pr:4.49;Nd:13.5;Dy:0.36;Fe;B", origin="CN"),
            export_from="CN", destination="CH", ship_date="2025-07-04")
    assert v.status == "license_required"
    assert codes(v) == {"1C905.a.4"}
    (t,) = v.triggers
    assert t.in_force and t.certain and t.announcement == "MOFCOM-GAC-2025-18"
    assert t.line_id == "P1179" and "S11" in t.citation
    assert v.regime == "export_from_china"


@pytest.mark.parametrize("dy", ["0.18", "0.24"])
def test_tc_p2_meishan_dy_models_are_1c905_a_4(dy: str) -> None:
    v = one(line("M", "magnet", "3348.25", f"Nd:14;Pr:4.7;Dy:{dy};Fe;B", origin="CN"),
            export_from="CN", destination="US", ship_date="2025-04-30")
    assert v.status == "license_required" and codes(v) == {"1C905.a.4"}


def test_tc_p2_declared_spec_with_trace_tb_is_flagged_for_review_not_decided() -> None:
    spec = ("Nd:14.003328;Pr:4.713977;Gd:0.326348;Sc:0.000083;Sm:0.009409;Tb:0.009584;"
            "Y:0.008062;Fe;B")
    v = one(line("D", "magnet", "46000", spec, origin="CN"),
            export_from="CN", destination="US", ship_date="2025-04-30")
    # no threshold in the text; the trace reading [U] is configurable and defaults to review
    assert v.status == "needs_review"
    assert codes(v) == {"1C904.a.4"}
    assert not v.triggers[0].certain and "0.009584" in v.triggers[0].reason


def test_trace_rule_is_configurable_in_the_pack() -> None:
    rows = [line("D", "magnet", "46000", "Nd:14;Tb:0.009584;Fe;B", origin="CN")]
    strict = {"extends": "default",
              "export_from_china": {"trace_rule": {
                  "elements": ["Dy", "Tb"], "max_total_wt_pct": "0.1",
                  "outcome": "license_required", "citation": "our policy", "reliability": "U"}}}
    v = one(*rows, export_from="CN", destination="US", ship_date="2025-04-30", pack=strict)
    assert v.status == "license_required"
    lenient = {"extends": "default", "export_from_china": {"trace_rule": None}}
    v = one(*rows, export_from="CN", destination="US", ship_date="2025-04-30", pack=lenient)
    assert v.status == "license_required"  # no trace rule: any Tb content is the listed form


def test_tc_p3_company_a_smco_and_dy_ndfeb() -> None:
    smco = one(line("A1", "magnet", "1000", "Sm:22.6;Co:50", origin="CN"),
               export_from="CN", destination="US", ship_date="2025-04-09")
    assert smco.status == "license_required" and codes(smco) == {"1C902.a.4"}
    ndfeb = one(line("A2", "magnet", "1000", "Nd:29;Dy:1.9;Fe:66;B:1", origin="CN"),
                export_from="CN", destination="US", ship_date="2025-04-09")
    assert ndfeb.status == "license_required" and codes(ndfeb) == {"1C905.a.4"}


def test_tc_p4_company_b_dy_ndfeb_whatever_the_declared_hs_code() -> None:
    v = one(line("B1", "magnet", "5000", "Nd:30;Dy:0.5;Fe;B", origin="CN",
                 description="declared HS 8505119000"),
            export_from="CN", destination="KR", ship_date="2025-04-10")
    assert v.status == "license_required" and codes(v) == {"1C905.a.4"}


def test_sm_in_an_ndfeb_magnet_is_not_the_smco_entry() -> None:
    v = one(line("M", "magnet", "10", "Nd:30;Sm:0.5;Fe;B", origin="CN"),
            export_from="CN", destination="US", ship_date="2025-06-01")
    assert v.status == "not_required"


# ---- §7.2 MOFCOM FAQ rulings ------------------------------------------------------------

DY_MAGNET = "Nd:30;Dy:2;Fe:67;B:1"


@pytest.mark.parametrize("category", ["rotor_stator", "sensor", "consumer_good", "motor",
                                      "finished_product", "component"])
def test_tc_f1_f2_f5_f7_f8_deeply_processed_products_are_generally_not_controlled(
        category: str) -> None:
    v = one(line("T", category, "500", origin="CN"),
            line("M", "magnet", "20", DY_MAGNET, parent="T", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "not_required" and v.triggers == []
    assert any("generally not controlled" in n and "1C905.a.4" in n for n in v.notices)


def test_tc_f3_calcined_catalyst_is_not_controlled() -> None:
    v = one(line("C", "catalyst", "80", "Ce;La;Y", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "not_required"


def test_tc_f4_phosphor_not_under_no18_but_eu_phosphor_is_listed_in_no57() -> None:
    tb = one(line("F", "phosphor", "80", "Tb;Y", origin="CN"),
             export_from="CN", destination="DE", ship_date="2026-03-01")
    assert tb.status == "not_required"
    eu = one(line("F", "phosphor", "80", "Eu:3;Y", origin="CN"),
             export_from="CN", destination="DE", ship_date="2026-03-01")
    assert eu.status == "suspended" and codes(eu) == {"1C912.a"}
    assert eu.triggers[0].suspended_by == "no70"


def test_tc_f6_primary_processed_magnet_part_is_controlled() -> None:
    v = one(line("R", "magnet_part", "40", DY_MAGNET, origin="CN", description="magnetic ring"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "license_required" and codes(v) == {"1C905.a.4"}


def test_listed_item_in_a_container_without_a_ruling_needs_review() -> None:
    v = one(line("A", "assembly", "500", origin="CN"),
            line("M", "magnet", "20", DY_MAGNET, parent="A", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "needs_review"
    assert v.triggers[0].line_id == "M" and not v.triggers[0].certain


def test_enclosing_listed_item_is_the_one_exported() -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"),
            line("D", "metal", "2", "Dy", parent="M", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert {t.line_id for t in v.triggers} == {"M"}


# ---- §7.4 derived No. 61 cases ------------------------------------------------------------

def jp_magnet(dy_value: str, dy_origin: str = "CN", **extra: str) -> list[dict[str, str]]:
    return [line("G", "magnet", "100.00", "Nd:28;Dy:3;Fe:66;B:1", origin="JP", made_in="JP",
                 **extra),
            line("D", "metal", dy_value, "Dy", parent="G", origin=dy_origin, cn_technology="")]


def test_tc_d1_ratio_at_0_1_percent_meets_limb1_but_suspended() -> None:
    v = one(*jp_magnet("0.10"), export_from="JP", destination="US", ship_date="2026-03-01")
    assert v.status == "suspended"
    (t,) = v.triggers
    assert t.limb == "1" and t.certain and not t.in_force and t.suspended_by == "no70"
    assert v.ratio == Decimal("0.001") and v.headroom == Decimal("0")
    assert v.part_ii_items[0].met == "yes" and v.part_ii_items[0].counted_lines == ["D"]


def test_tc_d2_ratio_below_0_1_percent_is_not_met() -> None:
    v = one(*jp_magnet("0.09"), export_from="JP", destination="US", ship_date="2026-03-01")
    assert v.status == "not_required" and v.triggers == []
    assert v.ratio == Decimal("0.0009") and v.headroom == Decimal("0.01")


def test_tc_d3_non_chinese_dy_does_not_count() -> None:
    v = one(*jp_magnet("0.10", dy_origin="AU"), export_from="JP", destination="US",
            ship_date="2026-03-01")
    assert v.status == "not_required" and v.ratio == Decimal(0)


def test_tc_d4_chinese_dy_oxide_resold_abroad_in_the_limb3_window() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"),
            export_from="JP", destination="KR", ship_date="2025-10-20")
    assert v.status == "license_required"
    assert [(t.limb, t.in_force) for t in v.triggers] == [("3", True)]


def test_tc_d5_same_resale_inside_the_suspension() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"),
            export_from="JP", destination="KR", ship_date="2025-11-20")
    assert v.status == "suspended"


def test_tc_d6_car_is_not_a_part_ii_item_the_magnet_is() -> None:
    car = [line("CAR", "finished_product", "30000", origin="MX", made_in="MX"),
           line("MOT", "motor", "900", parent="CAR", origin="MX", made_in="MX"),
           line("G", "magnet", "100.00", "Nd:28;Dy:3;Fe;B", parent="MOT", origin="JP",
                made_in="JP"),
           line("D", "metal", "0.10", "Dy", parent="G", origin="CN")]
    v = one(*car, export_from="MX", destination="US", ship_date="2026-03-01")
    assert v.status == "not_required" and v.triggers == []
    assert any("not an Annex 1 item" in n for n in v.notices)
    motor = [dict(r, parent_id="") if r["line_id"] == "MOT" else r for r in car[1:]]
    v = one(*motor, export_from="MX", destination="US", ship_date="2026-03-01")
    assert v.status == "suspended"
    assert v.triggers[0].line_id == "G" and not v.triggers[0].certain  # the [U] reading
    v = one(*motor, export_from="MX", destination="US", ship_date="2026-11-28")
    assert v.status == "needs_review"


@pytest.mark.parametrize(("outcome", "status"), [("include", "license_required"),
                                                 ("exclude", "not_required"),
                                                 ("needs_review", "needs_review")])
def test_parts_components_assemblies_reading_is_configurable(outcome: str, status: str) -> None:
    pack = {"extends": "default", "foreign_export": {"part_ii_assemblies": {
        "categories": ["motor"], "outcome": outcome, "citation": "test", "reliability": "U"}}}
    v = one(line("MOT", "motor", "900", origin="MX", made_in="MX"),
            line("G", "magnet", "100.00", "Nd:28;Dy:3;Fe;B", parent="MOT", origin="JP",
                 made_in="JP"),
            line("D", "metal", "0.10", "Dy", parent="G", origin="CN"),
            export_from="MX", destination="US", ship_date="2026-11-28",
            pack={**pack, "suspensions": REVIVED["suspensions"]})
    assert v.status == status


def test_tc_d7_tb_magnet_from_china_under_no18_is_not_suspended() -> None:
    v = one(line("M", "magnet", "100", "Nd:30;Tb:0.8;Fe;B", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "license_required" and codes(v) == {"1C904.a.4"}


def test_tc_d8_ho_magnet_from_china_under_suspended_no57() -> None:
    v = one(line("M", "magnet", "100", "Nd:28;Ho:2;Fe;B", origin="CN"),
            export_from="CN", destination="DE", ship_date="2026-03-01")
    assert v.status == "suspended" and codes(v) == {"1C909.a"}


def test_tc_d9_military_end_user_presumptive_denial() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            ship_date="2025-10-20", end_use="military")
    assert v.licensing_outlook == "presumptive_denial"
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            ship_date="2025-10-20", end_user_listed="yes")
    assert v.licensing_outlook == "presumptive_denial"


def test_tc_d10_advanced_semiconductor_case_by_case() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="TW",
            ship_date="2025-10-20", end_use="advanced_semiconductor")
    assert v.status == "license_required" and v.licensing_outlook == "case_by_case"


def test_humanitarian_use_needs_no_licence_under_no61_but_a_report() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            ship_date="2025-10-20", end_use="humanitarian")
    assert v.status == "not_required"
    assert v.licensing_outlook == "humanitarian_report_within_10_working_days"
    assert v.triggers and any("10 working days" in n for n in v.notices)


def test_humanitarian_exemption_does_not_apply_to_no18() -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="KR", ship_date="2026-03-01", end_use="humanitarian")
    assert v.status == "license_required"
    assert v.licensing_outlook != "humanitarian_report_within_10_working_days"


def test_japan_military_use_is_prohibited_after_2026_no1() -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="JP", ship_date="2026-03-01", end_use="military")
    assert v.licensing_outlook == "prohibited"
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="JP", ship_date="2025-12-01", end_use="military")
    # an export from China: No. 18's own basis, not No. 61 Arts. 2-3 (foreign exporters)
    assert v.licensing_outlook == "end_use_review"
    assert "No. 61" not in (v.licensing_outlook_reason or "")


def test_exports_to_china_are_outside_no61() -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="CN",
            ship_date="2025-10-20")
    assert v.status == "not_required" and v.regime == "export_to_china"


def test_limb2_chinese_technology() -> None:
    rows = [line("G", "magnet", "100", "Nd:28;Dy:3;Fe;B", origin="DE", made_in="DE",
                 cn_technology="yes"),
            line("R", "oxide", "5", "Dy", parent="G", origin="CN")]
    day = dict(export_from="DE", destination="US", ship_date="2026-11-28", pack=REVIVED)
    v = one(*rows, **day)
    assert v.status == "license_required" and "2" in {t.limb for t in v.triggers}
    assert v.certain and v.caveats == []
    # no Chinese-origin rare earths: only the Chinese text's reading of limb (2) catches it;
    # CSET's adds "that use rare earths originally produced in China" (research §8.3)
    rows[1]["origin"] = "AU"
    v = one(*rows, **day)
    assert v.status == "needs_review" and not v.certain
    assert any("limb (2)" in c and "unverified" in c for c in v.caveats)
    rows[0]["cn_technology"] = "unknown"
    v = one(*rows, **day)
    assert v.status == "needs_review"
    rows[0]["cn_technology"] = "no"
    v = one(*rows, **day)
    assert v.status == "not_required"


# ---- the 0.1 % boundary with exact decimals ------------------------------------------------

@pytest.mark.parametrize(("part_i", "part_ii", "met"), [
    ("0.10", "100.00", True), ("0.099999", "100", False), ("0.007", "7", True),
    ("0.0069999999999999999999", "7", False), ("1", "1000", True), ("0.999", "1000", False),
    ("0.01", "0", True), ("0.000000000000000000000000001", "0.000000000000000000000001", True),
])
def test_exact_boundary_at_one_thousandth(part_i: str, part_ii: str, met: bool) -> None:
    rows = [line("G", "magnet", part_ii, "Nd:28;Dy:3;Fe;B", origin="JP", made_in="JP"),
            line("D", "metal", part_i, "Dy", parent="G", origin="CN")]
    v = one(*rows, export_from="JP", destination="US", ship_date="2026-11-28", pack=REVIVED)
    assert v.status == ("license_required" if met else "not_required")


def test_several_part_i_items_are_summed_and_nested_ones_not_counted_twice() -> None:
    rows = [line("G", "magnet", "1000", "Nd:28;Dy:3;Tb:1;Fe;B", origin="JP", made_in="JP"),
            line("A", "alloy", "0.6", "Dy;Fe", parent="G", origin="CN"),
            line("AD", "metal", "0.5", "Dy", parent="A", origin="CN"),
            line("T", "oxide", "0.4", "Tb", parent="G", origin="CN")]
    v = one(*rows, export_from="JP", destination="US", ship_date="2026-11-28", pack=REVIVED)
    assert v.ratio == Decimal("0.001")
    assert v.part_ii_items[0].counted_lines == ["A", "T"]
    # 0.6 + 0.4 meets 0.1 % of 1000 only summed: the summing reading is unverified [U]
    # (research §8.2), so the verdict is conservative but not settled
    assert v.status == "needs_review" and not v.certain
    assert any("unverified reading of the 0.1 % test" in c for c in v.caveats)
    verified = {**REVIVED, "foreign_export": {"aggregation_reliability": "T"}}
    v = one(*rows, export_from="JP", destination="US", ship_date="2026-11-28", pack=verified)
    assert v.status == "license_required" and v.certain


def test_unknown_origin_or_value_gives_review_only_when_it_could_decide() -> None:
    base = dict(export_from="JP", destination="US", ship_date="2026-11-28")
    v = one(*jp_magnet("0.10", dy_origin=""), **base)
    assert v.status == "needs_review" and v.ratio is None
    assert v.ratio_min == 0 and v.ratio_max == Decimal("0.001")
    v = one(*jp_magnet("0.05", dy_origin=""), **base)
    assert v.status == "not_required"  # even if Chinese it stays below 0.1 %
    v = one(*jp_magnet(""), **base)
    assert v.status == "needs_review" and v.part_ii_items[0].chinese_content_max is None
    rows = jp_magnet("0.01")
    rows[0]["value"] = ""
    v = one(*rows, **base)
    assert v.status == "needs_review"


def test_unknown_export_from_could_decide() -> None:
    v = one(line("M", "magnet", "100", "Nd:30;Tb:0.8;Fe;B", origin="CN"),
            export_from="", destination="US", ship_date="2026-03-01")
    assert v.status == "needs_review" and v.regime == "unknown"
    assert all(not t.certain for t in v.triggers)


# ---- dates at each window edge ---------------------------------------------------------------

@pytest.mark.parametrize(("day", "status"), [
    ("2025-04-03", "not_required"), ("2025-04-04", "license_required"),
    ("2026-11-28", "license_required")])
def test_no18_effective_edge(day: str, status: str) -> None:
    v = one(line("M", "magnet", "100", DY_MAGNET, origin="CN"), export_from="CN",
            destination="DE", date=day)
    assert v.status == status


@pytest.mark.parametrize(("day", "status"), [
    ("2025-10-08", "not_required"), ("2025-10-09", "license_required"),
    ("2025-11-06", "license_required"), ("2025-11-07", "suspended"),
    ("2026-11-10", "suspended"), ("2026-11-11", "needs_review")])
def test_no61_limb3_window_edges(day: str, status: str) -> None:
    v = one(line("O", "oxide", "5000", "Dy", origin="CN"), export_from="JP", destination="KR",
            date=day)
    assert v.status == status
    # after the window the pack knows nothing: conservative, not settled, and it says why
    assert v.certain is (day != "2026-11-11")


@pytest.mark.parametrize(("day", "status"), [
    ("2025-11-30", "not_required"), ("2025-12-01", "suspended"),
    ("2026-11-10", "suspended"), ("2026-11-11", "needs_review")])
def test_no61_limb1_window_edges(day: str, status: str) -> None:
    v = one(*jp_magnet("0.10"), export_from="JP", destination="US", date=day)
    assert v.status == status


@pytest.mark.parametrize(("day", "status"), [
    ("2025-11-07", "not_required"), ("2025-11-08", "suspended"), ("2026-11-10", "suspended"),
    ("2026-11-11", "needs_review")])
def test_no57_window_edges(day: str, status: str) -> None:
    v = one(line("M", "magnet", "100", "Nd:28;Ho:2;Fe;B", origin="CN"), export_from="CN",
            destination="DE", date=day)
    assert v.status == status


def test_lapsed_suspension_is_conservative_and_says_so() -> None:
    report = xs.check_bom_report(frame(product(line("O", "oxide", "5000", "Dy", origin="CN"),
                                               export_from="JP", destination="KR")),
                                 date="2026-11-28")
    (v,) = report.verdicts
    assert v.status == "needs_review" and v.triggers[0].in_force
    assert not v.triggers[0].certain and not v.certain
    assert "lapsed" in v.triggers[0].reason
    assert any("not settled" in c and "2026-11-10" in c for c in v.caveats)
    assert any("treated as in force" in n and "2026-11-10" in n for n in report.notices)


def test_user_pack_extends_the_suspension() -> None:
    pack = {"extends": "default", "version": "local-1",
            "suspensions": [{"id": "no70", "end": "2027-01-10", "citation": "memo",
                             "reliability": "U"}]}
    report = xs.check_bom_report(frame(product(line("O", "oxide", "5000", "Dy", origin="CN"),
                                               export_from="JP", destination="KR")),
                                 date="2026-11-28", pack=pack)
    assert report.verdicts[0].status == "suspended"
    assert report.pack_version == "local-1"
    assert not any("treated as in force" in n for n in report.notices)
    later = xs.check_bom(frame(product(line("O", "oxide", "5000", "Dy", origin="CN"),
                                       export_from="JP", destination="KR")),
                         date="2027-01-11", pack=pack)
    assert later[0].status == "needs_review" and not later[0].certain
    assert any("2027-01-10" in c for c in later[0].caveats)


def test_explicit_date_overrides_ship_date() -> None:
    rows = [line("O", "oxide", "5000", "Dy", origin="CN")]
    v = one(*rows, export_from="JP", destination="KR", ship_date="2025-10-20",
            date="2025-11-20")
    assert v.status == "suspended" and str(v.date) == "2025-11-20"


def test_example_fixture(fixtures_dir: object) -> None:
    from pathlib import Path

    assert isinstance(fixtures_dir, Path)
    verdicts = {v.product_id: v for v in xs.check_bom(fixtures_dir / "bom" / "example.csv")}
    assert {k: v.status for k, v in verdicts.items()} == {
        "DYOX-TRADE": "license_required", "MAG-JP": "not_required", "MOTOR-JP": "suspended",
        "NDFEB-A": "license_required", "P1179": "license_required",
        "PHONE-CASE": "not_required", "ROTOR-1": "not_required", "SMCO-A": "license_required"}
