"""Every official example and rule-derived boundary case of the research note
(shared/research/ownership-rules.md, "Test cases": TC-01..TC-10, RC-1..RC-9)."""

from __future__ import annotations

import pandas as pd
import pytest

from exportscreen import ListedParty, OwnershipGraph, apply_affiliates_rule

IN_FORCE = "2025-10-15"  # BIS rule in force; every other preset too (EU: eu-pre2024 aside)


def graph(edges: list[tuple[str, ...]], countries: dict[str, str] | None = None) -> OwnershipGraph:
    rows = []
    for e in edges:
        owner, owned, pct = e[0], e[1], e[2] if len(e) > 2 else ""
        rows.append({"owner_id": owner, "owned_id": owned, "percent": pct,
                     "relation": e[3] if len(e) > 3 else "",
                     "valid_from": e[4] if len(e) > 4 else "",
                     "valid_to": e[5] if len(e) > 5 else ""})
    ent = None
    if countries:
        ent = pd.DataFrame([{"id": k, "country": v} for k, v in countries.items()])
    return OwnershipGraph.from_frame(pd.DataFrame(rows), entities=ent)


def statuses(g: OwnershipGraph, listed: dict[str, str], rule: str,
             as_of: str = IN_FORCE) -> dict[str, str]:
    return {f.id: f.status for f in apply_affiliates_rule(g, listed, rule, as_of).findings}


def covered(g: OwnershipGraph, listed: dict[str, str], rule: str,
            as_of: str = IN_FORCE) -> set[str]:
    return {k for k, v in statuses(g, listed, rule, as_of).items() if v == "covered"}


def test_tc01_ofac_faq401_example1() -> None:
    g = graph([("X", "A", "50"), ("A", "B", "50")])
    assert covered(g, {"X": "sdn"}, "us-ofac") == {"A", "B"}


def test_tc02_ofac_faq401_example2_aggregate_is_50() -> None:
    g = graph([("X", "A", "50"), ("X", "B", "50"), ("A", "C", "25"), ("B", "C", "25")])
    result = apply_affiliates_rule(g, {"X": "sdn"}, "us-ofac", IN_FORCE)
    assert result.ids("covered") == {"A", "B", "C"}
    c = result.finding("C")
    assert c is not None and c.aggregate_min == 50.0 and c.aggregate_max == 50.0
    assert [x.owner_id for x in c.contributions] == ["A", "B"]
    assert c.roots == ("X",) and c.path[0] == "X" and c.path[-1] == "C" and len(c.path) == 3


def test_tc03_ofac_faq401_example3_direct_plus_indirect() -> None:
    g = graph([("X", "A", "50"), ("X", "B", "10"), ("A", "B", "40")])
    assert covered(g, {"X": "sdn"}, "us-ofac") == {"A", "B"}


def test_tc04_ofac_faq399_aggregation_across_programs() -> None:
    g = graph([("X", "A", "25"), ("Y", "A", "25")])
    listed = [ListedParty(id="X", list="sdn", programs=("SDGT",)),
              ListedParty(id="Y", list="sdn", programs=("RUSSIA-EO14024",))]
    assert apply_affiliates_rule(g, listed, "us-ofac", IN_FORCE).ids("covered") == {"A"}


def test_tc05_non_blocked_intermediaries_pass_nothing() -> None:
    g = graph([("X", "A", "25"), ("X", "B", "25"), ("A", "C", "50"), ("B", "C", "50")])
    st = statuses(g, {"X": "sdn"}, "us-ofac")
    assert "C" not in st
    assert {k for k, v in st.items() if v in ("covered", "undetermined")} == set()


def test_tc06_chain_after_aggregation() -> None:
    g = graph([("A", "B", "25"), ("X", "B", "25"), ("B", "C", "50")])
    assert covered(g, {"A": "sdn", "X": "sdn"}, "us-ofac") == {"B", "C"}


def test_tc07_two_blocked_persons_via_two_intermediaries() -> None:
    g = graph([("A", "X1", "50"), ("B", "Y1", "50"), ("X1", "Z", "25"), ("Y1", "Z", "25")])
    assert covered(g, {"A": "sdn", "B": "sdn"}, "us-ofac") == {"X1", "Y1", "Z"}


@pytest.mark.parametrize(("rule", "listed_list", "as_of"), [
    ("eu", "eu", IN_FORCE), ("eu-pre2024", "eu", "2023-06-01"), ("us-ofac", "sdn", IN_FORCE)])
def test_tc08_eu_faq8_aggregated_55(rule: str, listed_list: str, as_of: str) -> None:
    g = graph([("L1", "E", "30"), ("L2", "E", "25")])
    assert covered(g, {"L1": listed_list, "L2": listed_list}, rule, as_of) == {"E"}


def test_tc09_eu_exactly_50_new_vs_old_threshold() -> None:
    g = graph([("D1", "E", "25"), ("D2", "E", "25")])
    listed = {"D1": "eu", "D2": "eu"}
    assert covered(g, listed, "eu") == {"E"}
    assert covered(g, listed, "eu-pre2024", "2023-06-01") == set()


def test_tc10_bis_faq45_branch_shares_listing() -> None:
    g = graph([("CN_EL", "MY_OFFICE", "", "branch")], {"CN_EL": "CN", "MY_OFFICE": "MY"})
    result = apply_affiliates_rule(g, {"CN_EL": "entity_list"}, "us-bis-affiliates", IN_FORCE)
    f = result.finding("MY_OFFICE")
    assert f is not None and f.status == "covered" and f.basis == "branch_of_listed"
    assert f.roots == ("CN_EL",) and f.path == ("CN_EL", "MY_OFFICE")
    # the branch is part of the listed entity: the affiliates suspension does not touch it
    suspended = apply_affiliates_rule(g, {"CN_EL": "entity_list"}, "us-bis-affiliates",
                                      "2026-01-15")
    assert suspended.finding("MY_OFFICE").status == "covered"  # type: ignore[union-attr]


def test_branch_of_covered_affiliate_shares_its_status() -> None:
    g = graph([("EL", "A", "60"), ("A", "A_BR", "", "branch")],
              {"EL": "CN", "A": "HK", "A_BR": "US"})
    assert statuses(g, {"EL": "entity_list"}, "us-bis-affiliates") == {
        "A": "covered", "A_BR": "covered"}
    assert statuses(g, {"EL": "entity_list"}, "us-bis-affiliates", "2026-01-15") == {
        "A": "suspended", "A_BR": "suspended"}


@pytest.mark.parametrize("rule", ["us-ofac", "us-bis-affiliates"])
def test_rc1_control_only_is_a_red_flag(rule: str) -> None:
    g = graph([("X", "A", "40"), ("X", "A", "", "control")], {"X": "CN", "A": "CN"})
    lst = "sdn" if rule == "us-ofac" else "entity_list"
    f = apply_affiliates_rule(g, {"X": lst}, rule, IN_FORCE).finding("A")
    assert f is not None and f.status == "red_flag" and "control" in f.reason


@pytest.mark.parametrize("rule", ["eu", "uk"])
def test_control_covers_under_eu_and_uk(rule: str) -> None:
    g = graph([("X", "A", "40"), ("X", "A", "", "control")])
    assert covered(g, {"X": rule}, rule) == {"A"}


def test_rc2_bis_cascade_and_suspension() -> None:
    g = graph([("EL1", "A", "50"), ("A", "B", "50")], {"EL1": "CN", "A": "CN", "B": "VN"})
    listed = {"EL1": "entity_list"}
    assert covered(g, listed, "us-bis-affiliates") == {"A", "B"}
    result = apply_affiliates_rule(g, listed, "us-bis-affiliates", "2026-01-15")
    assert result.rule_in_force and result.suspended
    assert {f.id: f.status for f in result.findings} == {"A": "suspended", "B": "suspended"}
    assert all(f.status_if_in_force == "covered" for f in result.findings)
    assert any("suspended" in n for n in result.notices)


def test_bis_suspension_lapsed_today_applies_rule_with_notice() -> None:
    g = graph([("EL1", "A", "50")], {"EL1": "CN", "A": "CN"})
    result = apply_affiliates_rule(g, {"EL1": "entity_list"}, "us-bis-affiliates", "2026-11-28")
    assert result.ids("covered") == {"A"} and not result.suspended
    # the pack knows nothing after the suspension's end: covered, but not settled
    assert any("no information after it (newest source 2025-11-03)" in n
               for n in result.notices)
    assert result.caveat and not result.finding("A").certain  # type: ignore[union-attr]
    # the user can override the dates: a suspension extended by a custom rule
    from exportscreen import get_rule
    from exportscreen.ownership import SuspensionWindow

    extended = get_rule("us-bis-affiliates").model_copy(update={"suspensions": (
        SuspensionWindow(start=None, end=None, note="assumed extension"),)})
    assert apply_affiliates_rule(g, {"EL1": "entity_list"}, extended,
                                 "2026-11-28").ids("suspended") == {"A"}


def test_bis_before_effective_date_covers_nothing() -> None:
    g = graph([("EL1", "A", "100")], {"EL1": "CN", "A": "CN"})
    result = apply_affiliates_rule(g, {"EL1": "entity_list"}, "us-bis-affiliates", "2025-09-28")
    assert not result.rule_in_force and result.findings == []


def test_rc3_bis_cross_list_aggregation_most_restrictive_terms() -> None:
    g = graph([("EL1", "C", "30"), ("MEU1", "C", "20")], {"EL1": "CN", "MEU1": "RU", "C": "AE"})
    listed = [
        ListedParty(id="EL1", list="entity_list", license_requirement="For all items subject "
                    "to the EAR.", license_policy="Case-by-case review."),
        ListedParty(id="MEU1", list="meu", license_requirement="Items in Supp. No. 2 to "
                    "part 744", license_policy="Presumption of denial."),
    ]
    f = apply_affiliates_rule(g, listed, "us-bis-affiliates", IN_FORCE).finding("C")
    assert f is not None and f.status == "covered" and f.roots == ("EL1", "MEU1")
    assert f.license_requirement == "For all items subject to the EAR."
    assert f.license_policy == "Presumption of denial."


def test_rc4_bis_us_entity_out_of_scope_but_passes_ownership() -> None:
    g = graph([("EL1", "US_SUB", "100"), ("US_SUB", "MX_SUB", "60")],
              {"EL1": "CN", "US_SUB": "US", "MX_SUB": "MX"})
    result = apply_affiliates_rule(g, {"EL1": "entity_list"}, "us-bis-affiliates", IN_FORCE)
    assert result.ids("covered") == {"MX_SUB"}
    assert result.finding("US_SUB") is None
    assert any("outside the rule's scope" in n for n in result.notices)
    blocked = __import__("exportscreen").get_rule("us-bis-affiliates").model_copy(
        update={"out_of_scope_intermediaries": "block"})
    assert apply_affiliates_rule(g, {"EL1": "entity_list"}, blocked, IN_FORCE).findings == []


def test_bis_unknown_country_is_in_scope_and_flagged_or_out_when_configured() -> None:
    g = graph([("EL1", "A", "100")])
    result = apply_affiliates_rule(g, {"EL1": "entity_list"}, "us-bis-affiliates", IN_FORCE)
    assert result.ids("covered") == {"A"}
    assert "country is not known" in result.finding("A").reason  # type: ignore[union-attr]
    assert any("no country" in n for n in result.notices)
    out = __import__("exportscreen").get_rule("us-bis-affiliates").model_copy(
        update={"unknown_country": "out_of_scope"})
    assert apply_affiliates_rule(g, {"EL1": "entity_list"}, out, IN_FORCE).findings == []


def test_rc5_bis_unknown_percentage_is_undetermined() -> None:
    g = graph([("EL1", "F", "")], {"EL1": "CN", "F": "CN"})
    f = apply_affiliates_rule(g, {"EL1": "entity_list"}, "us-bis-affiliates",
                              IN_FORCE).finding("F")
    assert f is not None and f.status == "undetermined"
    assert (f.aggregate_min, f.aggregate_max) == (0.0, 100.0)
    assert "Red Flag 29" in f.reason


def test_unknown_stake_limited_by_what_other_stakes_leave_free() -> None:
    # X's unknown stake can be at most 40 % because Y holds 60 %: A cannot reach 50 %
    g = graph([("X", "A", ""), ("Y", "A", "60")])
    assert statuses(g, {"X": "sdn"}, "us-ofac") == {}


def test_rc6_uk_does_not_aggregate_different_designated_persons() -> None:
    g = graph([("D1", "C", "30"), ("D2", "C", "25")])
    assert covered(g, {"D1": "uk", "D2": "uk"}, "uk") == set()
    assert covered(g, {"D1": "eu", "D2": "eu"}, "eu") == {"C"}


def test_rc7_uk_joint_arrangement_aggregates() -> None:
    frame = pd.DataFrame({"owner_id": ["D1", "D2"], "owned_id": ["C", "C"],
                          "percent": ["30", "25"], "joint_group": ["JA-1", "JA-1"]})
    g = OwnershipGraph.from_frame(frame)
    result = apply_affiliates_rule(g, {"D1": "uk", "D2": "uk"}, "uk", IN_FORCE)
    assert result.ids("covered") == {"C"}
    assert result.finding("C").aggregate_min == 55.0  # type: ignore[union-attr]


def test_uk_majority_chain_and_strict_threshold() -> None:
    g = graph([("D", "A", "50.01"), ("A", "B", "50.01"), ("D", "C", "50")])
    assert covered(g, {"D": "uk"}, "uk") == {"A", "B"}


def test_rc8_threshold_50_exactly() -> None:
    g = graph([("D", "C", "50")])
    assert covered(g, {"D": "uk"}, "uk") == set()
    assert covered(g, {"D": "sdn"}, "us-ofac") == {"C"}
    assert covered(g, {"D": "eu"}, "eu") == {"C"}


def test_rc9_ofac_divestment_by_date() -> None:
    g = graph([("X", "A", "60", "", "2020-01-01", "2024-12-31"),
               ("X", "A", "40", "", "2025-01-01", "")])
    assert covered(g, {"X": "sdn"}, "us-ofac", "2024-06-30") == {"A"}
    assert covered(g, {"X": "sdn"}, "us-ofac", "2025-06-30") == set()


def test_exact_decimals_24_99_plus_25_01_is_50() -> None:
    g = graph([("X", "A", "24.99"), ("Y", "A", "25.01"), ("X", "B", "24.99"),
               ("Y", "B", "25.00999999")])
    result = apply_affiliates_rule(g, {"X": "sdn", "Y": "sdn"}, "us-ofac", IN_FORCE)
    assert result.ids("covered") == {"A"}
    assert result.finding("B").status == "red_flag"  # type: ignore[union-attr]


def test_cycles_terminate() -> None:
    g = graph([("X", "A", "50"), ("A", "B", "60"), ("B", "A", "40"), ("B", "C", "10"),
               ("C", "B", "30")])
    assert covered(g, {"X": "sdn"}, "us-ofac") == {"A", "B"}


def test_non_seeding_lists_are_ordinary_entities() -> None:
    g = graph([("X", "A", "60")])
    result = apply_affiliates_rule(g, {"X": "eu"}, "us-ofac", IN_FORCE)
    assert result.findings == []
    assert any("do not seed us-ofac" in n for n in result.notices)


def test_bis_sdn_seeds_only_744_8_programs() -> None:
    g = graph([("S1", "A", "60"), ("S2", "B", "60"), ("S3", "C", "60")],
              {"S1": "RU", "S2": "IR", "S3": "RU", "A": "RU", "B": "IR", "C": "RU"})
    listed = [ListedParty(id="S1", list="sdn", programs=("RUSSIA-EO14024",)),
              ListedParty(id="S2", list="sdn", programs=("IRAN",)),
              ListedParty(id="S3", list="sdn")]
    result = apply_affiliates_rule(g, listed, "us-bis-affiliates", IN_FORCE)
    assert result.ids("covered") == {"A", "C"}
    assert any("no programs given" in n for n in result.notices)


def test_direct_only_custom_rule() -> None:
    from exportscreen import get_rule

    direct = get_rule("eu").model_copy(update={"id": "eu-direct", "indirect": "direct_only"})
    g = graph([("X", "A", "50"), ("A", "B", "50"), ("X", "C", "", "branch"),
               ("C", "D", "60")])
    result = apply_affiliates_rule(g, {"X": "eu"}, direct, IN_FORCE)
    # A is held directly; B only through A (not counted); the branch C is part of X,
    # so what C holds X holds directly: D is covered
    assert result.ids("covered") == {"A", "C", "D"}


def test_direct_only_custom_rule_per_party() -> None:
    from exportscreen import get_rule

    direct = get_rule("uk").model_copy(update={"id": "uk-direct", "indirect": "direct_only"})
    g = graph([("X", "A", "60"), ("A", "B", "60"), ("X", "C", "", "branch"),
               ("C", "D", "60")])
    result = apply_affiliates_rule(g, {"X": "uk"}, direct, IN_FORCE)
    assert result.ids("covered") == {"A", "C", "D"}
