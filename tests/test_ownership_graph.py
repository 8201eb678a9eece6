"""OwnershipGraph: input validation (file/row/column), exact percents, loaders, networkx."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from exportscreen import InputError, OwnershipGraph, apply_affiliates_rule
from exportscreen.ownership import get_rule, list_rules, load_listed_csv, parse_percent, policy_rank


def write(tmp_path: Path, text: str, name: str = "own.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "row", "column", "words"), [
    ("A,B,101\n", 2, "percent", "outside 0-100"),
    ("A,B,-1\n", 2, "percent", "outside 0-100"),
    ("A,B,abc\n", 2, "percent", "not a number"),
    ("A,B,50\nB,C,1e999999\n", 3, "percent", "not a plain decimal"),
    (",B,50\n", 2, "owner_id", "empty id"),
    ("A,A,50\n", 2, "owned_id", "itself"),
])
def test_bad_percent_and_ids_name_file_row_column(tmp_path: Path, body: str, row: int,
                                                   column: str, words: str) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent\n" + body)
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)
    assert words in err.value.message


def test_min_greater_than_max(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent_min,percent_max\nA,B,10,20\nA,C,60,50\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert (err.value.row, err.value.column) == (3, "percent_min")


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "owner,owned_id,percent\nA,B,50\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert err.value.column == "owner_id" and err.value.row == 1


@pytest.mark.parametrize(("value", "column"), [("2025-13-01", "valid_from"),
                                               ("15/10/2025", "valid_from"),
                                               ("20251015", "valid_from")])
def test_bad_dates(tmp_path: Path, value: str, column: str) -> None:
    path = write(tmp_path, f"owner_id,owned_id,percent,valid_from\nA,B,50,{value}\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert (err.value.row, err.value.column) == (2, column)


def test_valid_from_after_valid_to(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent,valid_from,valid_to\n"
                           "A,B,50,2025-01-02,2025-01-01\n")
    with pytest.raises(InputError, match="after valid_to"):
        OwnershipGraph.from_csv(path)


def test_bad_relation_and_percent_on_control(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent,relation\nA,B,50,owns\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert err.value.column == "relation"
    path = write(tmp_path, "owner_id,owned_id,percent,relation\nA,B,50,control\n")
    with pytest.raises(InputError, match="carries no percent"):
        OwnershipGraph.from_csv(path)


def test_percent_and_range_together_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent,percent_min\nA,B,50,40\n")
    with pytest.raises(InputError, match="either percent"):
        OwnershipGraph.from_csv(path)


def test_inbound_over_100_names_entity_and_date(tmp_path: Path) -> None:
    path = write(tmp_path, "owner_id,owned_id,percent,valid_from,valid_to\n"
                           "A,T,60,2020-01-01,2022-12-31\n"
                           "B,T,40,,\n"
                           "C,T,30,2023-01-01,\n"
                           "D,U,70,,\n")
    # A (60) + B (40) = 100 until 2022; C replaces A from 2023: 70 -> fine
    OwnershipGraph.from_csv(path)
    path = write(tmp_path, "owner_id,owned_id,percent,valid_from,valid_to\n"
                           "A,T,60,2020-01-01,2023-01-01\n"
                           "B,T,40,,\n"
                           "C,T,30,2023-01-01,\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert "'T'" in err.value.message and "2023-01-01" in err.value.message
    assert "130" in err.value.message and err.value.row == 4


def test_bad_entities_csv(tmp_path: Path) -> None:
    own = write(tmp_path, "owner_id,owned_id,percent\nA,B,50\n")
    ent = write(tmp_path, "id,country\nA,CN\nB,China\n", "ent.csv")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(own, entities=ent)
    assert (err.value.file, err.value.row, err.value.column) == (str(ent), 3, "country")
    ent = write(tmp_path, "id,country\nA,CN\nA,HK\n", "ent.csv")
    with pytest.raises(InputError, match="more than once"):
        OwnershipGraph.from_csv(own, entities=ent)


@pytest.mark.parametrize(("body", "row", "column", "words"), [
    # each file's first bad row is named, whatever check finds it
    (b"id,name,country\nA,x,ZZZ\nA,y,CN\n", 2, "country", "ISO 3166"),
    (b"id,name,country\nA,\xe9,CN\nA,y,CN\n", 2, "name", "not UTF-8"),
    (b"id,name,country\nA,x,CN\nA,y,DE\nB,z,ZZZ\n", 3, "id", "more than once"),
    (b"id,name,country\nA,x,CN\nB,y,\xc3\x9f\n", 3, "country", "ISO 3166"),  # not SS
    (b"id,aliases,country\nA,,CN\nB,\xe9,ZZ9\n", 3, "aliases", "not UTF-8"),
])
def test_entities_csv_names_its_first_bad_row(tmp_path: Path, body: bytes, row: int,
                                              column: str, words: str) -> None:
    own = write(tmp_path, "owner_id,owned_id,percent\nA,B,50\n")
    ent = tmp_path / "ent.csv"
    ent.write_bytes(body)
    with pytest.raises(InputError, match=words) as err:
        OwnershipGraph.from_csv(own, entities=ent)
    assert (err.value.file, err.value.row, err.value.column) == (str(ent), row, column)


@pytest.mark.parametrize(("body", "row", "column", "words"), [
    (b"id,list,name\nA,EL,\xe9\nB,\xe9,y\n", 2, "name", "not UTF-8"),
    (b"id,list,name\n,EL,x\nA,EL,\xe9\n", 2, "id", "empty id"),
    (b"id,list,name\nA,EL,x\nB\x07,EL,x\nC,EL,\xe9\n", 3, "id", "control character"),
    (b"id,list,name,programs\nA,EL,x,\xe9\n", 2, "programs", "not UTF-8"),
])
def test_listed_csv_names_its_first_bad_row(tmp_path: Path, body: bytes, row: int,
                                            column: str, words: str) -> None:
    path = tmp_path / "listed.csv"
    path.write_bytes(body)
    with pytest.raises(InputError, match=words) as err:
        load_listed_csv(path)
    assert (err.value.row, err.value.column) == (row, column)


def test_bad_listed_csv_and_rule(tmp_path: Path) -> None:
    path = write(tmp_path, "id,list\nA,\n", "listed.csv")
    with pytest.raises(InputError) as err:
        load_listed_csv(path)
    assert (err.value.row, err.value.column) == (2, "list")
    with pytest.raises(InputError, match="unknown rule"):
        get_rule("no-such-rule")
    with pytest.raises(InputError, match="as-of"):
        apply_affiliates_rule(OwnershipGraph.from_frame(pd.DataFrame(
            {"owner_id": ["A"], "owned_id": ["B"]})), {"A": "sdn"}, "us-ofac", "2025/01/01")


def test_parse_percent_exact_and_bracketed() -> None:
    assert parse_percent("24.99")[0] + parse_percent("25.01")[0] == parse_percent("50")[0]
    lo, hi, rounded = parse_percent("33.3333333333333")
    assert rounded and hi - lo == 1
    assert parse_percent("50 %")[:2] == parse_percent("50.000")[:2]


def test_over_precise_percent_gives_notice_and_stays_sound() -> None:
    g = OwnershipGraph.from_frame(pd.DataFrame({"owner_id": ["X"], "owned_id": ["A"],
                                                "percent": ["49.9999999999"]}))
    assert any("9 decimal places" in n for n in g.notices)
    result = apply_affiliates_rule(g, {"X": "sdn"}, "us-ofac", "2025-01-01")
    assert result.finding("A").status == "undetermined"  # type: ignore[union-attr]


def test_presets_have_citations_and_flags() -> None:
    ids = [r.id for r in list_rules()]
    assert ids == ["us-bis-affiliates", "us-ofac", "eu", "eu-pre2024", "uk"]
    for rule in list_rules():
        assert rule.citations.get("threshold"), rule.id
        assert rule.threshold == Decimal(50)
    bis = get_rule("us-bis-affiliates")
    assert str(bis.in_force_from) == "2025-09-29" and bis.scope == "foreign"
    assert [(str(w.start), str(w.end)) for w in bis.suspensions] == [("2025-11-10", "2026-11-09")]
    assert get_rule("uk").aggregation == "per_listed_party" and get_rule("uk").comparator == ">"
    assert policy_rank("Presumption of denial") > policy_rank("Case-by-case review") > 0


def test_networkx_round_trip_and_entities() -> None:
    g = OwnershipGraph.from_frame(
        pd.DataFrame({"owner_id": ["X", "A", "X"], "owned_id": ["A", "B", "B"],
                      "percent_min": ["50", "25", ""], "percent_max": ["50", "50", ""],
                      "valid_from": ["", "2024-01-01", ""]}),
        entities=pd.DataFrame({"id": ["A"], "name": ["Alpha Ltd"], "country": ["hk"],
                               "aliases": ["Alpha; ALPHA HK"]}))
    assert g.entities["A"].country == "HK" and g.entities["A"].aliases == ("Alpha", "ALPHA HK")
    assert len(g.entities) == 3 and sorted(g.entities) == ["A", "B", "X"]
    nxg = g.to_networkx()
    assert isinstance(nxg, nx.DiGraph)
    assert nxg.edges["A", "B"]["percent_max"] == Decimal(50)
    assert nxg.edges["X", "B"]["percent_min"] is None
    back = OwnershipGraph.from_networkx(nxg)
    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(["owner_id", "owned_id"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(back.stake_rows()), ordered(g.stake_rows()))
    assert back.entities["A"].name == "Alpha Ltd"
    sub = g.to_networkx(["X", "A"])
    assert list(sub.edges) == [("X", "A")]


def test_gleif_real_files(shared_data: Path) -> None:
    for name in ("large", "small"):
        path = (shared_data / "gleif"
                / f"20260123-0800-gleif-goldencopy-rr-golden-copy-subset-{name}.csv")
        g = OwnershipGraph.from_gleif_csv(path)
        assert len(g) > 1000 and g.n_stakes > 1000
        assert any("IS_ULTIMATELY_CONSOLIDATED_BY" in n for n in g.notices)
        rows = g.stake_rows()
        assert set(rows["relation"]) == {"ownership", "control", "branch"}
        parent = pd.Series(g.owner).value_counts().index[0]
        pid = str(g.ids[parent])
        ofac = apply_affiliates_rule(g, {pid: "sdn"}, "us-ofac", "2026-01-23")
        eu = apply_affiliates_rule(g, {pid: "eu"}, "eu", "2026-01-23")
        assert ofac.ids("covered") <= eu.ids("covered")  # consolidation = control for the EU
        assert ofac.findings and all(f.roots == (pid,) for f in ofac.findings)


def test_bods_statements(tmp_path: Path) -> None:
    statements = [
        {"statementID": "e-listed", "statementType": "entityStatement", "name": "Listed Co",
         "incorporatedInJurisdiction": {"code": "RU", "name": "Russia"}},
        {"statementID": "e-sub", "statementType": "entityStatement", "name": "Sub Ltd",
         "incorporatedInJurisdiction": {"code": "GB", "name": "UK"}},
        {"statementID": "p-1", "statementType": "personStatement",
         "names": [{"fullName": "Ivan Example"}]},
        {"statementID": "r-1", "statementType": "ownershipOrControlStatement",
         "subject": {"describedByEntityStatement": "e-sub"},
         "interestedParty": {"describedByEntityStatement": "e-listed"},
         "interests": [{"type": "shareholding", "interestLevel": "direct",
                        "share": {"minimum": 50, "maximum": 75, "exclusiveMinimum": True,
                                  "exclusiveMaximum": True}, "startDate": "2020-01-01"},
                       {"type": "shareholding", "interestLevel": "indirect",
                        "share": {"exact": 10}}]},
        {"statementID": "r-2", "statementType": "ownershipOrControlStatement",
         "subject": {"describedByEntityStatement": "e-sub"},
         "interestedParty": {"describedByPersonStatement": "p-1"},
         "interests": [{"type": "appointment-of-board"}]},
    ]
    path = write(tmp_path, json.dumps(statements), "bods.json")
    g = OwnershipGraph.from_bods(path)
    assert g.entities["e-sub"].name == "Sub Ltd" and g.entities["p-1"].name == "Ivan Example"
    assert any("indirect interest" in n for n in g.notices)
    # "more than 50 %" passes the UK's strict "> 50 %" test exactly
    assert apply_affiliates_rule(g, {"e-listed": "uk"}, "uk", "2025-01-01").ids(
        "covered") == {"e-sub"}
    f = apply_affiliates_rule(g, {"e-listed": "uk"}, "uk", "2025-01-01").finding("e-sub")
    assert f is not None and "more than 50 %" in f.reason
    # BODS 0.4 records and JSON Lines
    records = [
        {"recordId": "L", "recordType": "entity", "recordDetails": {
            "name": "Listed", "jurisdiction": {"code": "CN"}}},
        {"recordId": "S", "recordType": "entity", "recordDetails": {"name": "Sub"}},
        {"recordId": "R", "recordType": "relationship", "recordDetails": {
            "subject": "S", "interestedParty": "L",
            "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                           "share": {"exact": 60}}]}},
    ]
    path = write(tmp_path, "\n".join(json.dumps(r) for r in records), "bods.jsonl")
    g = OwnershipGraph.from_bods(path)
    assert apply_affiliates_rule(g, {"L": "sdn"}, "us-ofac", "2025-01-01").ids(
        "covered") == {"S"}
    bad = write(tmp_path, "[{", "bad.json")
    with pytest.raises(InputError, match="not JSON"):
        OwnershipGraph.from_bods(bad)


def test_docstring_examples_run() -> None:
    import doctest

    from exportscreen.ownership import engine, graph, rules

    for module in (engine, graph, rules):
        failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, module.__name__


def test_undecodable_id_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_bytes(b"owner_id,owned_id,percent\nA,B,50\nX\xff,B,10\n")
    with pytest.raises(InputError) as err:
        OwnershipGraph.from_csv(path)
    assert (err.value.row, err.value.column) == (3, "owner_id")
    assert "UTF-8" in err.value.message


def test_list_entries_from_the_lists_area_seed_the_rule() -> None:
    from exportscreen.lists import ListEntry

    g = OwnershipGraph.from_frame(pd.DataFrame({"owner_id": ["L1"], "owned_id": ["A"],
                                                "percent": ["75"]}))
    entry = ListEntry(id="L1", source="entity_list", name="Listed One",
                      license_policy="Presumption of denial")
    result = apply_affiliates_rule(g, [entry], "us-bis-affiliates", "2025-10-15")
    f = result.finding("A")
    assert f is not None and f.status == "covered"
    assert f.license_policy == "Presumption of denial"


def test_listed_party_absent_from_graph_is_reported_not_dropped() -> None:
    from pathlib import Path

    import exportscreen as xs

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "ownership" / "ownership.csv"
    graph = xs.OwnershipGraph.from_csv(fixture)
    result = xs.apply_affiliates_rule(
        graph, {"EL-HUAXIN": "sdn", "NOT-IN-GRAPH": "sdn"}, rule="us-ofac", as_of="2025-10-15"
    )
    assert any("NOT-IN-GRAPH" in n and "does not appear" in n for n in result.notices)
    assert result.ids("covered")  # the party that is in the graph still seeds the rule
