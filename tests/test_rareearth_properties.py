"""Hypothesis properties of the rare-earth checker (strategies from exportscreen.testing.bom)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.rareearth import Verdict
from exportscreen.testing.bom import bom_frames

DATES = st.sampled_from([None, "2025-10-20", "2026-03-01", "2026-11-28"])


def summary(verdicts: list[Verdict]) -> list[tuple[Any, ...]]:
    return [(v.product_id, v.status, v.licensing_outlook,
             sorted((t.line_id, t.control_code, t.limb, t.in_force, t.certain)
                    for t in v.triggers)) for v in verdicts]


@settings(max_examples=60)
@given(bom_frames(max_products=4), st.decimals(min_value="0.001", max_value=1000, places=3),
       DATES)
def test_scaling_every_value_never_changes_a_verdict(frame: pd.DataFrame, factor: Decimal,
                                                     date: str | None) -> None:
    scaled = frame.copy()
    scaled["value"] = [format(Decimal(v) * factor, "f") if v else "" for v in frame["value"]]
    before, after = xs.check_bom(frame, date=date), xs.check_bom(scaled, date=date)
    assert summary(before) == summary(after)
    for b, a in zip(before, after, strict=True):
        assert b.ratio == a.ratio and b.ratio_min == a.ratio_min


@settings(max_examples=60)
@given(bom_frames(max_products=4), st.data(), DATES)
def test_adding_chinese_part_i_content_never_lifts_license_required(
        frame: pd.DataFrame, data: st.DataObject, date: str | None) -> None:
    before = {v.product_id: v.status for v in xs.check_bom(frame, date=date)}
    rows = frame.to_dict("records")
    extra = []
    for pid in sorted(before):
        lines = [r["line_id"] for r in rows if r["product_id"] == pid]
        parent = data.draw(st.sampled_from(lines))
        item = data.draw(st.sampled_from([("metal", "Dy"), ("oxide", "Tb"), ("alloy", "Sm;Co"),
                                          ("metal", "Sm"), ("alloy", "Tb;Dy;Fe")]))
        value = data.draw(st.decimals(min_value=0, max_value=1000, places=2))
        extra.append({**dict.fromkeys(frame.columns, ""), "product_id": pid,
                      "line_id": "ADDED", "parent_id": parent, "category": item[0],
                      "elements": item[1], "value": str(value), "origin": "CN",
                      "cn_technology": "no"})
    grown = pd.DataFrame(rows + extra, columns=frame.columns)
    after = {v.product_id: v.status for v in xs.check_bom(grown, date=date)}
    for pid, status in before.items():
        if status == "license_required":
            assert after[pid] == "license_required"


@settings(max_examples=60)
@given(bom_frames(max_products=4), st.randoms(use_true_random=False), DATES)
def test_line_order_never_matters(frame: pd.DataFrame, rnd: Any, date: str | None) -> None:
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    assert xs.check_bom(frame, date=date) == xs.check_bom(shuffled, date=date)


@settings(max_examples=40)
@given(bom_frames(max_products=4, unknowns=False), DATES)
def test_without_unknowns_review_comes_only_from_readings_not_facts(
        frame: pd.DataFrame, date: str | None) -> None:
    for v in xs.check_bom(frame, date=date):
        assert v.regime != "unknown"
        for item in v.part_ii_items:
            assert item.chinese_content_max is not None
            if item.value is not None and item.value > 0:
                assert item.ratio is not None


@settings(max_examples=40)
@given(bom_frames(max_products=3), DATES)
def test_status_agrees_with_triggers(frame: pd.DataFrame, date: str | None) -> None:
    for v in xs.check_bom(frame, date=date):
        if v.status == "license_required":
            assert any(t.in_force and t.certain for t in v.triggers)
        elif v.status == "suspended":
            assert v.triggers and not any(t.in_force for t in v.triggers)
        elif v.status == "needs_review":
            assert any(t.in_force for t in v.triggers)
        if v.status == "not_required":
            assert v.licensing_outlook in (None, "humanitarian_report_within_10_working_days")
