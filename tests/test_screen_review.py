"""Defects found in review of `screen`: wrong evidence, crashes and silent acceptance."""

from __future__ import annotations

import pandas as pd

from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.screening import screen

# One CSL _id on several lists, as in the real 2022 CSL (71 ids, e.g. 18291 BANK BELVEB OJSC
# on SDN, SSI and CAPTA): each record has its own list and licence terms.
SDN = ListEntry(id="18291", source="sdn", source_name="SDN", name="Bank Belveb OJSC",
                programs=("RUSSIA-EO14024",), license_requirement="Blocked")
SSI = ListEntry(id="18291", source="ssi", source_name="SSI", name="Bank Belveb OJSC",
                programs=("UKRAINE-EO13662",), license_requirement="Directive 1")
SHARED_ID_LIST = ScreeningList(
    entries=(SDN, SSI),
    provenance=ListProvenance(source="test", format="test", sha256="0" * 64, entries=2),
)


def test_an_id_on_several_lists_reports_each_record_with_its_own_list() -> None:
    run = screen(pd.DataFrame({"name": ["Bank Belveb OJSC"]}), list=SHARED_ID_LIST)
    row = run.rows[0]
    assert sorted((a.source, a.license_requirement) for a in row.alerts) == [
        ("sdn", "Blocked"), ("ssi", "Directive 1")]
    # SDN (blocking) decides the row, not whichever record happened to be read last
    assert run.frame.loc[0, "matched_list"] == "sdn"
    assert run.frame.loc[0, "license_requirement"] == "Blocked"


def test_a_decision_on_one_record_of_a_shared_id_does_not_reopen_the_other() -> None:
    frame = pd.DataFrame({"name": ["Bank Belveb OJSC"]})
    first = screen(frame, list=SHARED_ID_LIST).rows[0]
    sdn_alert = next(a for a in first.alerts if a.source == "sdn")
    decisions = pd.DataFrame([{
        "row_key": first.row_key, "supplier_hash": first.supplier_hash,
        "entry_id": sdn_alert.entry_id, "entry_hash": sdn_alert.alert_hash,
        "decision": "false_positive", "analyst": "A", "date": "2026-01-01", "note": "",
    }])
    row = screen(frame, list=SHARED_ID_LIST, decisions=decisions).rows[0]
    assert [a.source for a, _ in row.suppressed] == ["sdn"]
    assert row.reopened == ()
    assert row.status == "hit" and row.top is not None and row.top.source == "ssi"
    both = pd.concat([decisions, decisions.assign(entry_hash=next(
        a.alert_hash for a in first.alerts if a.source == "ssi"))])
    row = screen(frame, list=SHARED_ID_LIST, decisions=both).rows[0]
    assert row.status == "clear" and len(row.suppressed) == 2 and row.reopened == ()
