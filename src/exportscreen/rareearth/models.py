"""Result models of the rare-earth checker: triggers, Part II value tests, verdicts, report."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["BomCheckReport", "PartIIItem", "Status", "Trigger", "Verdict"]

Status = Literal["license_required", "not_required", "needs_review", "suspended"]
STATUSES: tuple[str, ...] = ("license_required", "needs_review", "suspended", "not_required")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Trigger(_Frozen):
    """Why a control reaches a product: which line, under which control, in force or not.

    ``certain`` is False when the outcome depends on something unknown (an empty
    origin, value or composition) or on an unverified reading the pack marks [U];
    such a trigger leads to ``needs_review`` instead of ``license_required``.
    """

    announcement: str
    control_code: str
    limb: str | None = None
    line_id: str
    in_force: bool
    certain: bool = True
    suspended_by: str | None = None
    reason: str
    citation: str
    reliability: str


class PartIIItem(_Frozen):
    """The No. 61 Art. 1(1) value test on one Annex 1 Part II item (magnet or target).

    ``chinese_content_max`` is None when unbounded (a candidate line of unknown value).
    ``headroom`` is ``threshold x value - Chinese content`` (upper bound of the content
    when it is an interval): the extra Chinese-origin Part I value that would meet
    the test; zero or negative when the test is already met.
    """

    line_id: str
    value: Decimal | None
    chinese_content_min: Decimal
    chinese_content_max: Decimal | None
    counted_lines: list[str]
    ratio: Decimal | None
    ratio_min: Decimal | None
    ratio_max: Decimal | None
    headroom: Decimal | None
    met: Literal["yes", "no", "possible"]
    unverified_reading: str | None = None


class Verdict(_Frozen):
    """The checker's answer for one product.

    ``certain`` is False when the verdict is not settled: it rests on an unknown fact, on
    a reading the research marks unverified, or on a suspension that has lapsed with
    nothing known after it; ``caveats`` names each reason. An unsettled verdict is never
    ``not_required``. ``reporting_obligation`` is set when no licence is needed but MOFCOM
    must be told (a humanitarian shipment under No. 61 Art. 5: within 10 working days).
    """

    product_id: str
    status: Status
    date: _dt.date
    regime: str
    triggers: list[Trigger]
    ratio: Decimal | None = None
    ratio_min: Decimal | None = None
    ratio_max: Decimal | None = None
    headroom: Decimal | None = None
    part_ii_items: list[PartIIItem] = []
    licensing_outlook: str | None = None
    licensing_outlook_reason: str | None = None
    reporting_obligation: str | None = None
    reporting_obligation_reason: str | None = None
    certain: bool = True
    caveats: list[str] = []
    notices: list[str] = []


class BomCheckReport(_Frozen):
    """All verdicts of one run, with the date, the rule pack used and run-wide notices."""

    date: _dt.date
    pack_id: str
    pack_version: str
    pack_source: str | None
    pack_information_until: _dt.date | None = None
    notices: list[str]
    verdicts: list[Verdict]

    def to_dict(self) -> dict[str, Any]:
        """The ``rare-earth --format json`` document (DESIGN.md); decimals as strings."""
        return {
            "date": self.date.isoformat(),
            "pack": {"id": self.pack_id, "version": self.pack_version, "source": self.pack_source,
                     "information_as_of": (None if self.pack_information_until is None
                                           else self.pack_information_until.isoformat())},
            "notices": list(self.notices),
            "products": [v.model_dump(mode="json") for v in self.verdicts],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per product (for CSV and table output)."""
        rows = []
        for v in self.verdicts:
            rows.append({
                "product_id": v.product_id,
                "status": v.status,
                "date": v.date.isoformat(),
                "regime": v.regime,
                "control_codes": ";".join(sorted({t.control_code for t in v.triggers})),
                "trigger_lines": ";".join(sorted({t.line_id for t in v.triggers})),
                "in_force": ";".join(sorted({"yes" if t.in_force else "no" for t in v.triggers})),
                "ratio": "" if v.ratio is None else str(v.ratio),
                "ratio_min": "" if v.ratio_min is None else str(v.ratio_min),
                "ratio_max": "" if v.ratio_max is None else str(v.ratio_max),
                "headroom": "" if v.headroom is None else str(v.headroom),
                "licensing_outlook": v.licensing_outlook or "",
                "reporting_obligation": v.reporting_obligation or "",
                "certain": "yes" if v.certain else "no",
                "caveats": " | ".join(v.caveats),
                "reasons": " | ".join(t.reason for t in v.triggers),
                "notices": " | ".join(v.notices),
            })
        return rows
