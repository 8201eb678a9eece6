"""Report writers: spreadsheet-safe CSV, deterministic JSON, escaped single-file HTML."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exportscreen.lists.models import ListEntry, ListProvenance, ScreeningList
from exportscreen.report import write_report
from exportscreen.report.csv import DANGEROUS_PREFIXES, defuse_cell, frame_to_csv
from exportscreen.report.html import render_html
from exportscreen.report.json import run_to_dict
from exportscreen.report.summary import format_summary
from exportscreen.screening import screen

LIST = ScreeningList(
    entries=(ListEntry(id="E1", source="entity_list", name="Rostov Precision Instruments JSC"),),
    provenance=ListProvenance(source="t", format="t", sha256="0" * 64, entries=1),
)


@given(st.text(max_size=30))
def test_defused_cells_never_start_with_a_formula_prefix(text: str) -> None:
    out = defuse_cell(text)
    assert not out.startswith(DANGEROUS_PREFIXES)
    assert out in (text, "'" + text)


def test_defuse_examples() -> None:
    assert defuse_cell("=1+1") == "'=1+1"
    assert defuse_cell("-5") == "'-5"
    assert defuse_cell("@SUM(A1)") == "'@SUM(A1)"
    assert defuse_cell("\tx") == "'\tx"
    assert defuse_cell("\rx") == "'\rx"
    assert defuse_cell("ACME") == "ACME"
    assert defuse_cell(None) == "" and defuse_cell(float("nan")) == ""
    assert defuse_cell(92.5) == "92.5"


def test_csv_output_defuses_input_and_result_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://evil\")", "Rostov Precision Instruments"],
                          "note": ["+1 555", "@home"]})
    run = screen(frame, list=LIST)
    path = tmp_path / "out.csv"
    write_report(run, path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["name", "note"] and "screen_status" in rows[0]
    assert len(rows) == 3
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(DANGEROUS_PREFIXES)
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\")" and rows[2][1] == "'@home"
    assert rows[2][rows[0].index("screen_status")] == "hit"


@settings(max_examples=20)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                min_size=1, max_size=6))
def test_csv_round_trip_keeps_every_row(values: list[str]) -> None:
    frame = pd.DataFrame({"a": values})
    text = frame_to_csv(frame)
    import io

    back = list(csv.reader(io.StringIO(text, newline="")))
    assert len(back) == len(values) + 1
    for original, (cell,) in zip(values, back[1:], strict=True):
        assert cell in (original, "'" + original)


def test_json_is_deterministic_and_complete(tmp_path: Path) -> None:
    frame = pd.DataFrame({"name": ["Rostov Precision Instruments", "x"], "country": ["RU", ""]})
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_report(screen(frame, list=LIST), a)
    write_report(screen(frame, list=LIST), b)
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text())
    assert data["report"] == "exportscreen-screen"
    assert set(data["provenance"]) >= {"library", "input", "list", "thresholds", "rule", "as_of"}
    assert data["provenance"]["list"]["sha256"] == "0" * 64
    assert data["rows"][0]["screen_status"] == "hit"
    assert data["rows"][0]["input"] == {"name": "Rostov Precision Instruments", "country": "RU"}
    assert data["rows"][0]["alerts"][0]["entry_id"] == "E1"
    assert data["list_entries"] == {"E1": LIST.entries[0].content_hash}
    assert run_to_dict(screen(frame, list=LIST))["summary"]["hit"] == 1


def test_html_escapes_and_is_self_contained() -> None:
    tricky = ScreeningList(
        entries=(ListEntry(id="E<1>", source="entity_list",
                           name="<script>alert(1)</script> Rostov & Sons"),),
        provenance=ListProvenance(source="t", format="t", sha256="0" * 64, entries=1),
    )
    frame = pd.DataFrame({"name": ["Rostov & Sons"]})
    page = render_html(screen(frame, list=tricky))
    assert "Rostov &amp; Sons" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert page.count("<script>") == 1  # only the inline sort script
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert 'class="alerts"' in page


def test_summary_lists_counts_and_alerts() -> None:
    frame = pd.DataFrame({"name": ["Rostov Precision Instruments", "", "Nice Co"]})
    text = format_summary(screen(frame, list=LIST))
    assert "hit: 1" in text and "error: 1" in text and "clear: 1" in text
    assert "Rostov Precision Instruments" in text and "row 1:" in text  # 0-based in a frame
