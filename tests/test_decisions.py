"""Analyst decisions: suppress while both hashes hold, re-open on change, strict file parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from exportscreen.decisions import load_decisions, row_key, supplier_hash
from exportscreen.errors import InputError
from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.report.csv import write_decisions_template
from exportscreen.screening import screen

ENTRY = ListEntry(id="E1", source="entity_list", name="Rostov Precision Instruments JSC",
                  license_requirement="All items subject to the EAR.")
OTHER = ListEntry(id="E2", source="entity_list", name="Rostov Precision Instruments Trading")


def lst(*entries: ListEntry) -> ScreeningList:
    return ScreeningList(entries=entries, provenance=ListProvenance(
        source="t", format="t", sha256="0" * 64, entries=len(entries)))


FRAME = pd.DataFrame({"id": ["V1", "V2"], "name": ["Rostov Precision Instruments JSC",
                                                  "Clean Co"]})


def decision_row(run, position: int = 0, decision: str = "false_positive", **extra: str):  # type: ignore[no-untyped-def]
    row = run.rows[position]
    return {"row_key": row.row_key, "supplier_hash": row.supplier_hash,
            "entry_id": row.top.entry_id, "entry_hash": row.top.alert_hash,
            "decision": decision, "analyst": "J. Ortiz", "date": "2026-03-02",
            "note": "different company", **extra}


def test_row_key_and_hash() -> None:
    assert row_key("ACME  corp", "us") == "name:acme corp|us"
    assert row_key("x", "", " V-1 ") == "id:V-1"
    assert supplier_hash({"a": "1", "b": "2"}) == supplier_hash({"b": "2", "a": "1"})
    assert supplier_hash({"name": "x"}) != supplier_hash({"name": "y"})


def test_false_positive_suppresses_until_a_side_changes(tmp_path: Path) -> None:
    first = screen(FRAME, list=lst(ENTRY))
    assert first.rows[0].status == "hit"
    path = tmp_path / "decisions.csv"
    pd.DataFrame([decision_row(first)]).to_csv(path, index=False)

    second = screen(FRAME, list=lst(ENTRY), decisions=path)
    row = second.rows[0]
    assert row.status == "clear" and row.decision == "false_positive"
    assert "J. Ortiz" in row.decision_note and "closed" in row.reason
    assert second.summary["open_alerts"] == 0 and second.summary["false_positive"] == 1
    assert second.frame.loc[0, "decision"] == "false_positive"

    # the list entry changes -> the alert re-opens, and the run says why
    changed = ENTRY.model_copy(update={"license_policy": "Policy of denial."})
    third = screen(FRAME, list=lst(changed), decisions=path)
    assert third.rows[0].status == "hit" and third.rows[0].decision == ""
    assert "list entry changed" in third.rows[0].decision_note
    assert third.decisions is not None and len(third.decisions["reopened"]) == 1
    assert any("re-opened" in n for n in third.notices)

    # the supplier row changes -> re-opens too
    edited = FRAME.copy()
    edited.loc[0, "name"] = "Rostov Precision Instruments J.S.C."
    fourth = screen(edited, list=lst(ENTRY), decisions=path)
    assert fourth.rows[0].status == "hit"
    assert "supplier row changed" in fourth.rows[0].decision_note


def test_false_positive_on_best_match_exposes_the_next_alert() -> None:
    run = screen(FRAME, list=lst(ENTRY, OTHER))
    assert len(run.rows[0].alerts) == 2
    book = load_decisions(pd.DataFrame([decision_row(run)]))
    again = screen(FRAME, list=lst(ENTRY, OTHER), decisions=book)
    assert again.rows[0].status in ("hit", "possible")
    assert again.rows[0].top is not None and again.rows[0].top.entry_id == "E2"


def test_confirmed_keeps_status_and_closes_review(tmp_path: Path) -> None:
    run = screen(FRAME, list=lst(ENTRY))
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"decisions": [decision_row(run, decision="confirmed")]}))
    again = screen(FRAME, list=lst(ENTRY), decisions=path)
    assert again.rows[0].status == "hit" and again.rows[0].decision == "confirmed"
    assert again.summary["open_alerts"] == 0 and again.summary["confirmed"] == 1
    assert again.decisions is not None and again.decisions["sha256"]


def test_latest_decision_wins_and_unused_are_reported() -> None:
    run = screen(FRAME, list=lst(ENTRY))
    older = decision_row(run, decision="confirmed", date="2026-01-01")
    newer = decision_row(run, date="2026-02-01")
    stray = {**newer, "row_key": "id:GONE"}
    again = screen(FRAME, list=lst(ENTRY), decisions=pd.DataFrame([newer, older, stray]))
    assert again.rows[0].decision == "false_positive"
    assert again.decisions is not None
    assert [u["row_key"] for u in again.decisions["unused"]] == ["id:GONE"]


def test_template_round_trip(tmp_path: Path) -> None:
    run = screen(FRAME, list=lst(ENTRY))
    template = tmp_path / "template.csv"
    write_decisions_template(run, template)
    filled = pd.read_csv(template, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(filled) == 1 and filled.loc[0, "decision"] == ""
    book = load_decisions(template)
    assert len(book) == 0 and book.undecided_rows == (2,)
    filled.loc[0, ["decision", "analyst", "date"]] = ["false_positive", "A", "2026-01-05"]
    filled.to_csv(template, index=False)
    assert screen(FRAME, list=lst(ENTRY), decisions=template).rows[0].status == "clear"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("decision", "maybe", "unknown decision"), ("entry_hash", "abc", "sha256"),
     ("date", "02/03/2026", "YYYY-MM-DD"), ("row_key", " ", "empty")],
)
def test_bad_decision_files_name_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    run = screen(FRAME, list=lst(ENTRY))
    good = decision_row(run)
    path = tmp_path / "d.csv"
    pd.DataFrame([good, {**good, column: value}]).to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        load_decisions(path)
    assert info.value.file == str(path) and info.value.row == 3
    assert info.value.column == column and message in str(info.value)


def test_missing_column_and_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("row_key,entry_id\nid:1,E1\n")
    with pytest.raises(InputError) as info:
        load_decisions(path)
    assert info.value.column == "supplier_hash"
    bad = tmp_path / "d.json"
    bad.write_text("[1, 2")
    with pytest.raises(InputError):
        load_decisions(bad)
    bad.write_text('[{"decision": "nope", "row_key": "x", "entry_id": "E1"}]')
    with pytest.raises(InputError) as info:
        load_decisions(bad)
    assert info.value.row == 1 and info.value.column == "decision"


def test_cli_template_then_decisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from exportscreen.cli import main

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    template = tmp_path / "decisions.csv"
    assert main(["screen", str(fixtures / "suppliers.csv"), "--decisions-template", str(template),
                 "--out", str(tmp_path / "week1.json")]) == 0
    filled = pd.read_csv(template, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert (filled["decision"] == "").all() and len(filled) >= 9
    first = filled.index[filled["status"] == "hit"][0]
    filled.loc[first, ["decision", "analyst", "date"]] = ["false_positive", "QA", "2026-11-01"]
    filled.to_csv(template, index=False)
    capsys.readouterr()
    assert main(["screen", str(fixtures / "suppliers.csv"), "--decisions", str(template),
                 "--since", str(tmp_path / "week1.json")]) == 0
    out = capsys.readouterr()
    assert "1 closed as false positive" in out.out
    assert "Changes since the previous run (1)" in out.out
    assert "lines of the decisions file have no decision" in out.err or "line(s)" in out.err
