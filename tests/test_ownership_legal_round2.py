"""Issue 16, ownership items, encoded from the legal texts (with their window boundaries).

* Lapsed BIS suspension: "Phase I ... 10 Nov 2025 through 9 Nov 2026 ... reimposed absent a
  future extension" (SPB, SKAD); nothing is known after 9 Nov 2026, so findings from
  10 Nov 2026 are covered (conservative) but not settled.
* OFAC 2008 guidance (14 Feb 2008 - 12 Aug 2014): 50 % or more by *a* blocked person, no
  aggregation (GTSL, TRDPS, LEX2008); the 13 Aug 2014 guidance aggregates (STR, FAQ 399).
* EU: "more than 50 %" before the Best Practices of 3 July 2024 (EUBP, SORA, SKEU);
  aggregation in Commission FAQ 8 of 8 April 2022 (EUFAQc); open before that.
* § 744.8(a)(1) names the SDN programs that seed the BIS rule; IRAN is not among them.
* OFAC FAQ 373: the Directives' prohibitions extend to entities owned 50 % or more by one
  or more persons subject to the Directives (SSI); across Directives the sources are silent.
* BIS TGL No. 7 (from 29 Sep 2025, with the rule): A:5/A:6 parties and certain joint
  ventures; Entity List and MEU restrictions only (TROUT, SKAD, THINES).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings

from exportscreen import ListedParty, OwnershipGraph, apply_affiliates_rule, get_rule
from exportscreen.cli import main
from exportscreen.knowledge import bibliography
from exportscreen.ownership import AffiliateFinding, AffiliatesResult, list_rules
from exportscreen.ownership.engine import information_as_of
from exportscreen.testing.ownership import ownership_graphs

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures" / "ownership"


def graph(edges: list[tuple[str, str, str]], countries: dict[str, str] | None = None
          ) -> OwnershipGraph:
    frame = pd.DataFrame(edges, columns=["owner_id", "owned_id", "percent"])
    ent = None
    if countries:
        ent = pd.DataFrame([{"id": k, "country": v} for k, v in countries.items()])
    return OwnershipGraph.from_frame(frame, entities=ent)


def by_id(result: AffiliatesResult) -> dict[str, AffiliateFinding]:
    return {f.id: f for f in result.findings}


# ----------------------------------------------------------- lapsed suspension (2, 3)
BIS_G = [("EL1", "A", "50"), ("A", "B", "50"), ("EL1", "U", "")]
BIS_C = {"EL1": "CN", "A": "CN", "B": "VN", "U": "MY"}


@pytest.mark.parametrize(("day", "status", "certain"), [
    ("2025-09-29", "covered", True),      # effective date (FR-IFR)
    ("2025-11-09", "covered", True),      # last day in force
    ("2025-11-10", "suspended", True),    # suspension starts
    ("2026-11-09", "suspended", True),    # suspension's last day
    ("2026-11-10", "covered", False),     # lapsed: nothing known after it
    ("2026-11-29", "covered", False),
])
def test_bis_window_boundaries_and_lapse(day: str, status: str, certain: bool) -> None:
    result = apply_affiliates_rule(graph(BIS_G, BIS_C), {"EL1": "entity_list"},
                                   "us-bis-affiliates", day)
    found = by_id(result)
    assert found["A"].status == status and found["B"].status == status
    for f in result.findings:
        assert f.certain is certain
        if not certain:  # conservative (never cleared) and the reason names the lapse
            assert f.status in ("covered", "undetermined")
            assert "suspension of us-bis-affiliates ended 2026-11-09" in f.reason
    assert found["U"].status in ("undetermined", "suspended")
    assert result.to_dict()["settled"] is certain


def test_lapse_caveat_reaches_json_csv_table(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    base = ["affiliates", "--ownership", str(FIX / "ownership.csv"), "--listed",
            str(FIX / "listed.csv"), "--entities", str(FIX / "entities.csv"),
            "--as-of", "2026-11-10"]
    assert main([*base, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["settled"] is False and "ended 2026-11-09" in doc["caveat"]
    ownership = [f for f in doc["findings"] if f["basis"] == "ownership"]
    assert ownership and all(not f["certain"] and "ended 2026-11-09" in f["reason"]
                             for f in ownership)
    # a branch is part of its listed head whatever the Affiliates Rule (BISFAQ-BR)
    assert all(f["certain"] for f in doc["findings"] if f["basis"] == "branch_of_listed")
    out = tmp_path / "aff.csv"
    assert main([*base, "--out", str(out)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    for row in rows:
        if row["basis"] == "ownership":
            assert row["certain"] == "false" and "ended 2026-11-09" in row["reason"]
    assert main([*base, "--format", "table"]) == 0
    table = capsys.readouterr().out
    head = table.splitlines()[0]
    assert "(in force)" not in head and "NOT SETTLED" in head
    assert "information as of 2025-11-03" in head and "ended 2026-11-09" in table
    # dates the user gives on the command line are taken as known
    assert main([*base, "--format", "json", "--suspended", "2025-11-10..2026-11-09"]) == 0
    assert json.loads(capsys.readouterr().out)["settled"] is True


def test_information_as_of_is_the_newest_cited_source() -> None:
    bib = bibliography()
    for rule in list_rules():
        dates = [bib[i].date for i in rule.cited_sources() if i in bib and bib[i].date]
        assert information_as_of(rule) == max(d for d in dates if d is not None)
        if rule.information_current_to is not None:
            assert rule.information_current_to == information_as_of(rule), rule.id
    assert get_rule("us-bis-affiliates").information_current_to == dt.date(2025, 11, 3)
    for rule in list_rules():
        assert not bib.unknown(sorted(rule.cited_sources())), rule.id


@settings(max_examples=40, deadline=None)
@given(ownership_graphs(rule="us-bis-affiliates"))
def test_lapse_changes_no_status_only_certainty(case: tuple[OwnershipGraph, dict[str, str]]
                                               ) -> None:
    g, listed = case
    lapsed = apply_affiliates_rule(g, listed, "us-bis-affiliates", "2026-11-10")
    revived = get_rule("us-bis-affiliates").model_copy(update={"suspensions": ()})
    plain = apply_affiliates_rule(g, listed, revived, "2026-11-10")
    assert [(f.id, f.status) for f in lapsed.findings] == \
        [(f.id, f.status) for f in plain.findings]
    assert all(f.certain is (f.basis == "branch_of_listed") for f in lapsed.findings)
    assert all(f.certain for f in plain.findings)


def test_screen_rows_carry_the_caveat(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    out = tmp_path / "rows.csv"
    args = ["screen", str(ROOT / "fixtures" / "suppliers.csv"), "--ownership",
            str(ROOT / "fixtures" / "ownership.csv"), "--entities",
            str(ROOT / "fixtures" / "entities.csv"), "--out", str(out)]
    assert main([*args, "--as-of", "2026-11-10"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    aff = [r for r in rows if r["screen_status"] == "affiliate"]
    assert aff and all("Not settled" in r["reason"] and "ended 2026-11-09" in r["reason"]
                       for r in aff)
    capsys.readouterr()
    assert main([*args[:-2], "--as-of", "2026-11-10", "--format", "summary"]) == 0
    summary = capsys.readouterr().out
    assert "(treated as in force, NOT SETTLED)" in summary and "ended 2026-11-09" in summary
    assert main([*args, "--as-of", "2025-10-15"]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert not any("Not settled" in r["reason"] for r in rows)


# ------------------------------------------------------- earlier regimes (item 4)
def test_ofac_2008_guidance_no_aggregation() -> None:
    g = graph([("X", "A", "50"), ("A", "B", "50"), ("X", "C", "25"), ("Y", "C", "25"),
               ("X", "D", "49.99")])
    listed = {"X": "sdn", "Y": "sdn"}
    before = apply_affiliates_rule(g, listed, "us-ofac", "2013-06-01")
    assert before.rule_in_force and "2008" in before.rule.period
    assert before.ids("covered") == {"A", "B"}  # one blocked person, directly or indirectly
    assert "C" not in before.ids("covered")    # 25 + 25 by two blocked persons: not combined
    for day in ("2008-02-14", "2014-08-12"):
        assert apply_affiliates_rule(g, listed, "us-ofac", day).ids("covered") == {"A", "B"}
    after = apply_affiliates_rule(g, listed, "us-ofac", "2014-08-13")
    assert after.ids("covered") == {"A", "B", "C"} and not after.rule.period
    none = apply_affiliates_rule(g, listed, "us-ofac", "2008-02-13")
    assert not none.rule_in_force and none.findings == []
    assert any("2008-02-14 to 2014-08-12" in n for n in none.notices)


def test_eu_before_july_2024_more_than_50_aggregated() -> None:
    g = graph([("D1", "E", "25"), ("D2", "E", "25"), ("L1", "F", "30"), ("L2", "F", "25"),
               ("L1", "H", "50")])
    listed = {k: "eu" for k in ("D1", "D2", "L1", "L2")}
    for day in ("2024-07-01", "2024-07-02", "2022-04-08"):
        r = apply_affiliates_rule(g, listed, "eu", day)
        assert r.rule_in_force and r.rule.comparator == ">"
        assert r.ids("covered") == {"F"}  # 30 + 25 (FAQ 8); 25 + 25 = 50 and H at 50: no
        assert all(f.certain for f in r.findings)
    assert apply_affiliates_rule(g, listed, "eu", "2024-07-03").ids("covered") == {"E", "F", "H"}
    assert apply_affiliates_rule(g, listed, "eu-pre2024", "2024-07-01").ids("covered") == {"F"}


def test_eu_before_faq8_aggregation_not_settled() -> None:
    g = graph([("L1", "F", "30"), ("L2", "F", "25"), ("L1", "S", "51"), ("S", "T", "60")])
    listed = {"L1": "eu", "L2": "eu"}
    for rule in ("eu", "eu-pre2024"):
        r = apply_affiliates_rule(g, listed, rule, "2022-04-07")
        found = by_id(r)
        assert r.ids("covered") == {"F", "S", "T"}
        assert not found["F"].certain and "Commission FAQ 8" in found["F"].reason
        assert found["S"].certain and found["T"].certain


def test_not_in_force_names_the_preset_that_applies() -> None:
    g = graph([("L1", "F", "60")])
    r = apply_affiliates_rule(g, {"L1": "eu"}, "eu-pre2024", "2025-01-01")
    assert r.findings == [] and any("on that date eu applies" in n for n in r.notices)


# ------------------------------------------------------------ seeding notice (7)
def test_seeding_notice_names_the_program_outside_744_8() -> None:
    g = graph([("I1", "A", "60"), ("R1", "B", "60")], {"I1": "IR", "A": "AE", "R1": "RU",
                                                       "B": "AE"})
    listed = [ListedParty(id="I1", list="sdn", programs=("IRAN",)),
              ListedParty(id="R1", list="sdn", programs=("RUSSIA-EO14024",))]
    r = apply_affiliates_rule(g, listed, "us-bis-affiliates", "2025-10-15")
    assert r.ids("covered") == {"B"}
    notice = next(n for n in r.notices if "IRAN" in n)
    assert "program(s) IRAN do not seed us-bis-affiliates" in notice
    assert "RUSSIA-EO14024" in notice  # the programs that do seed it
    assert not any("parties on sdn do not seed" in n for n in r.notices)


# ------------------------------------------------------------------ OFAC SSI (8)
SSI_G = [("S1", "A", "50"), ("A", "A2", "50"), ("S2", "B", "30"), ("S3", "B", "25"),
         ("S1", "C", "30"), ("S4", "C", "30"), ("S5", "D", "60"), ("X", "E", "50")]
SSI_L = [ListedParty(id="S1", list="ssi", programs=("Directive 1",)),
         ListedParty(id="S2", list="ssi", programs=("DIRECTIVE 2",)),
         ListedParty(id="S3", list="ssi", programs=("DIRECTIVE 2",)),
         ListedParty(id="S4", list="ssi", programs=("DIRECTIVE 4",)),
         ListedParty(id="S5", list="Sectoral Sanctions Identifications List"),
         ListedParty(id="X", list="sdn")]


def test_ssi_directives_extend_to_owned_entities() -> None:
    r = apply_affiliates_rule(graph(SSI_G), SSI_L, "us-ofac", "2015-01-01")
    f = by_id(r)
    for ent, directive in (("A", "DIRECTIVE 1"), ("A2", "DIRECTIVE 1"), ("B", "DIRECTIVE 2")):
        assert f[ent].status == "covered" and f[ent].certain
        assert directive in f[ent].license_requirement
        assert "not blocked" in f[ent].license_requirement
        assert f[ent].basis == "ssi-directives"
    # across Directives, or with no Directive given: not settled, never cleared
    for ent in ("C", "D"):
        assert f[ent].status == "undetermined" and not f[ent].certain
    assert f["E"].status == "covered" and f["E"].basis == "ownership"
    # before the 2014 guidance (FAQ 373 refers to it) the SSI group is not applied
    early = apply_affiliates_rule(graph(SSI_G), SSI_L, "us-ofac", "2014-08-12")
    assert set(by_id(early)) == {"E"}
    assert any("ssi-directives only from 2014-08-13" in n for n in early.notices)
    # an SDN-blocked entity stays blocked (the stricter finding wins)
    both = apply_affiliates_rule(graph([("X", "Z", "50"), ("S1", "Z", "50")]), SSI_L,
                                 "us-ofac", "2015-01-01")
    assert by_id(both)["Z"].basis == "ownership"


# ------------------------------------------------------------------ BIS TGL (9)
@pytest.mark.parametrize(("day", "mentioned"), [
    ("2025-09-28", False), ("2025-09-29", True), ("2025-11-09", True), ("2025-11-10", False),
    ("2026-11-10", False)])
def test_tgl7_in_licence_outlook(day: str, mentioned: bool) -> None:
    g = graph([("EL1", "A", "60"), ("S1", "B", "60")], {"EL1": "CN", "A": "CN", "S1": "RU",
                                                       "B": "AE"})
    listed = [ListedParty(id="EL1", list="entity_list"),
              ListedParty(id="S1", list="sdn", programs=("RUSSIA-EO14024",))]
    r = apply_affiliates_rule(g, listed, "us-bis-affiliates", day)
    f = by_id(r)
    if not mentioned:
        assert all(x.licence_outlook == "" for x in r.findings)
        return
    a, b = f["A"].licence_outlook, f["B"].licence_outlook
    assert "Temporary General License No. 7" in a and "may authorise" in a
    assert "A:5 or A:6" in a and "joint venture" in a
    assert "does not apply" in b  # coverage from a § 744.8 SDN: TGL 7 does not reach it
    row = r.csv_rows()[0]
    assert row.get("licence_outlook")


# -------------------------------------------------- per-rule reasons still hold (6)
def test_uk_and_eu_reasons_cite_their_own_law() -> None:
    g = graph([("D", "C", "51"), ("D", "U", "")])
    for rule, listed in (("uk", {"D": "uk"}), ("eu", {"D": "eu"})):
        r = apply_affiliates_rule(g, listed, rule, "2025-10-15")
        assert r.findings
        assert all("BIS" not in f.reason and "Red Flag" not in f.reason for f in r.findings)


# ------------------------------------------------------ the quick start report (12)
def test_quick_start_report_draws_every_contributing_stake(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    out = tmp_path / "report.html"
    code = main(["screen", str(ROOT / "fixtures" / "suppliers.csv"), "--ownership",
                 str(ROOT / "fixtures" / "ownership.csv"), "--entities",
                 str(ROOT / "fixtures" / "entities.csv"), "--as-of", "2026-11-29",
                 "--out", str(out)])
    capsys.readouterr()
    assert code == 0
    page = out.read_text(encoding="utf-8")
    start = page.index('<title id="t-V20002">')
    svg = page[page.rindex("<svg", 0, start):page.index("</svg>", start)]
    desc = svg[svg.index("<desc"):svg.index("</desc>")]
    # Brightmoor: 30 % from Hikvision (listed) + 25 % from Qinglan (covered through 60 %)
    assert "[E-HIK] (listed) holds 30 % of [V20002]" in desc
    assert "[E-F01] (covered) holds 25 % of [V20002]" in desc
    assert "[E-HIK] (listed) holds 60 % of [E-F01]" in desc
    labels = [t.split(">")[-1] for t in svg.split("</text>")]
    assert {"30 %", "25 %", "60 %"} <= set(labels)
    assert "<script" not in svg and 'role="img"' in svg
    # the lapse caveat reaches the report: the provenance line and each affiliate
    assert "(treated as in force, NOT SETTLED)" in page and "(in force)" not in page
    assert "Not settled" in page[page.index("Row", page.index("Ownership paths")):]
    # undetermined: the banded and the unknown stakes are drawn
    band = page[page.index('<title id="t-V20004">'):]
    assert "40–60 % (band)" in band[:band.index("</svg>")]
    unknown = page[page.index('<title id="t-V20005">'):]
    assert "unknown stake" in unknown[:unknown.index("</svg>")]


# ------------------------------------------------------------ properties of the parts
@settings(max_examples=40, deadline=None)
@given(ownership_graphs(rule="us-ofac", ranges=False, controls=False, branches=False))
def test_ofac_2008_covers_a_subset_of_2014(case: tuple[OwnershipGraph, dict[str, str]]) -> None:
    """Aggregation (2014) only adds coverage to the 2008 one-blocked-person test."""
    g, listed = case
    early = apply_affiliates_rule(g, listed, "us-ofac", "2013-06-01").ids("covered")
    late = apply_affiliates_rule(g, listed, "us-ofac", "2014-08-13").ids("covered")
    assert early <= late
    if len(listed) == 1:  # one blocked person: nothing to aggregate across
        assert early == late


@settings(max_examples=40, deadline=None)
@given(ownership_graphs(rule="eu"))
def test_eu_before_faq8_same_statuses_as_eu_pre2024(case: tuple[OwnershipGraph, dict[str, str]]
                                                   ) -> None:
    """Before 8 April 2022 the statuses are those of the later more-than-50 % test (the
    conservative reading); only their certainty differs, and a finding one owner's stake
    decides alone is settled."""
    g, listed = case
    early = apply_affiliates_rule(g, listed, "eu", "2022-04-07")
    later = apply_affiliates_rule(g, listed, "eu-pre2024", "2023-01-01")
    assert [(f.id, f.status) for f in early.findings] == \
        [(f.id, f.status) for f in later.findings]
    for f in early.findings:
        if any(c.owner_status == "listed" and c.percent_min is not None and c.percent_min > 50
               for c in f.contributions):
            assert f.certain
