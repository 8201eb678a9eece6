"""The rare-earth content checker: one verdict per product of a BOM.

Rules (all parameters come from the rule pack, with citations):

* **Export from China** (``export_from`` = CN, destination not CN): a product is
  caught by No. 18 / No. 57 when its top line *is* a listed item (metal, alloy,
  target, oxide, compound, SmCo or Tb/Dy-NdFeB magnet material, Eu/Tm phosphor,
  ...). A listed item integrated in a product is shielded when a line on its path
  to the top has a MOFCOM FAQ ruling "generally not controlled" (rotor/stator,
  motor, sensor, consumer good, ...); otherwise the product needs review.
* **Export by a foreign person between non-Chinese countries** (No. 61): limb (3)
  Chinese-origin Annex 1 item; limb (2) Annex 1 item made abroad with Chinese
  rare-earth technology; limb (1) foreign-made Part II item (magnet, target) whose
  Chinese-origin Part I content is at least 0.1 % of its value, computed with exact
  decimals on the Part II item. Exports to China are outside No. 61.
* Unknown origin, value, composition or technology make intervals: a trigger that
  holds only on the unfavourable side is ``certain=False`` and gives ``needs_review``.
* A control whose suspension window covers the date gives ``suspended``; after a
  suspension whose end the pack knows nothing beyond, the control is treated as in
  force and a notice says so.

>>> import pandas as pd
>>> frame = pd.DataFrame({"product_id": ["P1"], "line_id": ["L1"], "category": ["magnet"],
...     "value": ["100"], "elements": ["Nd:30;Dy:0.36"], "origin": ["CN"], "export_from": ["CN"],
...     "destination": ["CH"], "ship_date": ["2025-07-04"]})
>>> [(v.status, v.triggers[0].control_code) for v in check_bom(frame)]
[('license_required', '1C905.a.4')]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..io.read import blank_rows_notice, iso_date
from .bom import REE_MASK, Bom, element_bit, load_bom
from .models import BomCheckReport, PartIIItem, Status, Trigger, Verdict
from .pack import (
    CATEGORIES,
    PRODUCT_FORMS,
    RARE_EARTHS,
    ElementControl,
    Form,
    RulePack,
    load_rule_pack,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_WITHIN_10_WORKING_DAYS", "check_bom", "check_bom_report"]

#: ``Verdict.reporting_obligation`` of a humanitarian shipment under No. 61 Art. 5.
REPORT_WITHIN_10_WORKING_DAYS = "report_to_mofcom_within_10_working_days"

_CAT = {name: i for i, name in enumerate(CATEGORIES)}
_FORM_OF_CATEGORY = {
    "metal": "metal", "alloy": "alloy", "target": "target", "magnet": "magnet",
    "magnet_part": "magnet", "oxide": "oxide", "compound": "compound", "phosphor": "phosphor",
    **{form: form for form in PRODUCT_FORMS},
}
# categories whose own composition decides whether they are a listed item
_MATERIAL = ("metal", "alloy", "oxide", "compound", "target", "magnet", "magnet_part",
             "phosphor", "catalyst", *PRODUCT_FORMS)
# materials that contain a controlled element in a form the control may not name: the
# oxide/compound "and mixtures" entries may still reach them, so they are never cleared
# (an own-category FAQ ruling aside)
_UNPLACED_MATERIAL = frozenset(("phosphor", "catalyst", *PRODUCT_FORMS))
_NDFEB_MARKERS = element_bit("Nd") | element_bit("Pr") | element_bit("B")
_RANK = {"not_required": 0, "suspended": 1, "needs_review": 2, "license_required": 3}
_RELIABILITY_ORDER = {"T": 0, "S": 1, "U": 2}
_WIDE = 200  # decimal precision for exact products and comparisons


def _weakest(*tags: str) -> str:
    return max(tags, key=lambda t: _RELIABILITY_ORDER.get(t, 3))


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


@dataclass(frozen=True)
class _Match:
    control: ElementControl
    form: Form
    certain: bool
    reason: str
    caveat: str | None = None  # why a trigger from this match is not settled


@dataclass(frozen=True)
class _InForce:
    """Whether an announcement applies on a day: ``lapsed`` when only because a suspension
    ended and the pack knows nothing later (then the verdict is not settled)."""

    ok: bool
    window: str | None
    note: str
    lapsed: str | None = None


@dataclass
class _Candidate:
    trigger: Trigger
    regime: str


class _Checker:
    def __init__(self, bom: Bom, pack: RulePack) -> None:
        self.bom = bom
        self.pack = pack
        self.cfc = pack.export_from_china
        self.fe = pack.foreign_export
        self.rulings: dict[str, list[tuple[str, set[str], str]]] = {}
        for r in self.cfc.faq_rulings:
            self.rulings.setdefault(r.category, []).append(
                (r.outcome, set(r.announcements), r.citation))
        self.part_ii_mask = sum(element_bit(s) for s in self.fe.part_ii.elements)
        self.part_ii_cats = {_CAT[c] for c in self.fe.part_ii.categories}
        self.assembly_cats = {_CAT[c] for c in self.fe.part_ii_assemblies.categories}
        self.children: dict[int, list[int]] = {}
        self.lapsed_seen: set[str] = set()
        self.caveats: list[str] = []  # why the current product's verdict is not settled
        self.candidate = np.ones(bom.n_lines, dtype=bool)
        self._match_memo: dict[tuple[Any, ...], list[_Match]] = {}
        self._part_i_memo: dict[tuple[int, int, bool, int], tuple[bool, str] | None] = {}

    # ---- descriptions ---------------------------------------------------------------
    def name(self, i: int) -> str:
        bom = self.bom
        desc = bom.description[i]
        cat = CATEGORIES[bom.category[i]]
        return f"line {bom.line_id[i]} ({cat}{': ' + desc if desc else ''})"

    def has(self, i: int, symbol: str) -> bool:
        return bool(int(self.bom.subtree_mask[i]) & element_bit(symbol))

    def has_own(self, i: int, symbol: str) -> bool:
        return bool(int(self.bom.own_mask[i]) & element_bit(symbol))

    def known(self, i: int) -> bool:
        return bool(self.bom.subtree_known[i])

    def other_elements(self, i: int) -> set[str]:
        """Non-rare-earth elements named for the line (its own cell and its subtree)."""
        comp = self.bom.composition(i)
        names = {s for s, w in comp.weights.items() if w is None or w > 0} if comp else set()
        mask = int(self.bom.subtree_mask[i])
        names |= {s for s in ("B", "Co", "Fe", "Ni", "Al", "Mg", "Cu") if mask & element_bit(s)}
        return names - set(RARE_EARTHS)

    # ---- exports from China: No. 18 / No. 57 item matching --------------------------------
    def _key(self, i: int) -> tuple[int, int, bool, int]:
        bom = self.bom
        return (int(bom.category[i]), int(bom.subtree_mask[i]), bool(bom.subtree_known[i]),
                int(bom.composition_index[i]))

    def matches(self, i: int, day: _dt.date) -> list[_Match]:
        """Listed forms line *i* is (memoised: the answer depends on the line's kind only)."""
        key = (*self._key(i), day)
        found = self._match_memo.get(key)
        if found is None:
            found = self._matches(i, day)
            self._match_memo[key] = found
        return found

    def _matches(self, i: int, day: _dt.date) -> list[_Match]:
        cat = CATEGORIES[self.bom.category[i]]
        out: list[_Match] = []
        known = self.known(i)
        for control in self.cfc.controls:
            if day < control.effective:
                continue
            element = control.element
            if cat not in _MATERIAL and cat != "other":
                # a part, component, assembly or product that lists the element itself: no
                # form of the control is a category like this, so the pack cannot place it
                if self.has_own(i, element):
                    out.append(self._unplaced(control, element, cat))
                continue
            if cat == "other":
                if known and self.has(i, element):
                    first = next(iter(control.forms.values()))
                    whole = Form(control_code=control.control_code, citation=first.citation,
                                 reliability=first.reliability, sources=first.sources)
                    out.append(_Match(control, whole, False,
                                      f"contains {element}; category 'other' does not say whether "
                                      f"it is one of the forms {control.control_code} lists"))
                continue
            form_name = _FORM_OF_CATEGORY.get(cat)
            form = control.forms.get(form_name) if form_name else None  # type: ignore[call-overload]
            if form is None:
                if cat in _UNPLACED_MATERIAL and known and self.has(i, element):
                    out.append(self._unplaced(control, element, cat))
                continue
            if not known:
                out.append(_Match(control, form, False,
                                  f"composition not given: it may be a listed {element} "
                                  f"{form_name} ({form.control_code})"))
                continue
            if not self.has(i, element):
                continue
            match = self._form_match(i, control, form, str(form_name))
            if match is not None:
                out.append(match)
        return out

    @staticmethod
    def _unplaced(control: ElementControl, element: str, cat: str) -> _Match:
        first = next(iter(control.forms.values()))
        whole = Form(control_code=control.control_code, citation=first.citation,
                     reliability=first.reliability, sources=first.sources)
        return _Match(control, whole, False,
                      f"contains {element}; {control.control_code} names no '{cat}' form for "
                      f"{element}, and its entries for {element} compounds or oxides 'and their "
                      "mixtures' may still reach it: the rule pack cannot place it, so it is "
                      "not cleared",
                      caveat=f"the rule pack cannot place a '{cat}' line containing {element} "
                             f"({control.control_code}): review the item")

    def _form_match(self, i: int, control: ElementControl, form: Form,
                    form_name: str) -> _Match | None:
        element = control.element
        if form_name == "alloy" and form.partners is not None:
            others = self.other_elements(i)
            if others and not others & set(form.partners):
                outcome = self.cfc.unnamed_alloy_outcome
                if outcome == "not_required":
                    return None
                return _Match(control, form, outcome == "license_required",
                              f"{element} alloy with {', '.join(sorted(others))}: not one of the "
                              f"alloys named ({element}-{', '.join(form.partners)})")
            return _Match(control, form, True, f"{element} alloy ({form.control_code})")
        if form_name == "magnet":
            ndfeb = bool(int(self.bom.subtree_mask[i]) & _NDFEB_MARKERS)
            if form.family == "SmCo" and ndfeb:
                return None  # Sm in an NdFeB magnet is not the SmCo entry
            trace = self.cfc.trace_rule
            if form.trace_rule and trace is not None:
                comp = self.bom.composition(i)
                present = [s for s in trace.elements if self.has(i, s)]
                weights = [comp.weight(s) if comp else None for s in present]
                if present and all(w is not None for w in weights):
                    total = sum((w for w in weights if w is not None), Decimal(0))
                    if total <= trace.max_total_wt_pct:
                        if trace.outcome == "not_required":
                            return None
                        return _Match(control, form, trace.outcome == "license_required",
                                      f"{'+'.join(present)} content {total} wt % is at or below "
                                      f"{trace.max_total_wt_pct} wt %: the text has no threshold; "
                                      f"a trace level may not make it a controlled magnet "
                                      f"[{trace.reliability}: {trace.citation}]",
                                      caveat=(f"rests on an unverified reading [U]: a trace "
                                              f"{'+'.join(present)} content at or below "
                                              f"{trace.max_total_wt_pct} wt %"
                                              if trace.reliability == "U" else None))
            family = {"SmCo": "SmCo", "NdFeB": f"{element}-containing NdFeB",
                      "any": f"{element}-containing"}.get(form.family or "any", "")
            return _Match(control, form, True,
                          f"{family} permanent magnet material ({form.control_code})")
        label = {"metal": "metal", "target": "target", "oxide": "oxide (or mixture)",
                 "compound": "compound (or mixture)", "phosphor": "luminescent material",
                 **{f: f.replace("_", "-") + " material"
                    for f in PRODUCT_FORMS}}
        return _Match(control, form, True, f"{element} {label.get(form_name, form_name)}")

    def in_force(self, announcement: str, day: _dt.date) -> _InForce:
        window = self.pack.suspension_at(announcement, day)
        if window is not None:
            return _InForce(False, window.id, f"; suspended {window.start}..{window.end} by "
                                              f"{window.announcement}")
        lapsed = self.pack.lapsed_suspensions(announcement, day)
        if lapsed:
            self.lapsed_seen.update(w.id for w in lapsed)
            ends = ", ".join(f"{w.announcement} ended {w.end}" for w in lapsed)
            caveat = (f"not settled: the suspension lapsed ({ends}) and rule pack "
                      f"{self.pack.pack_id} {self.pack.version} knows nothing later (information "
                      f"until {self.pack.information_until}); treated as in force "
                      "(conservative)")
            return _InForce(True, None, f"; {caveat}", caveat)
        return _InForce(True, None, "")

    def ancestors(self, i: int, stop: int = -1) -> Iterable[int]:
        node = int(self.bom.parent[i])
        while node >= 0 and node != stop:
            yield node
            node = int(self.bom.parent[node])

    def export_from_china(self, lines: list[int], top: int, day: _dt.date,
                          notices: list[str]) -> list[Trigger]:
        candidate = self.candidate
        matched = {i: found for i in lines if candidate[i] and (found := self.matches(i, day))}
        triggers: list[Trigger] = []
        for i in sorted(matched, key=lambda k: (self.bom.depth[k], k)):
            if any(a in matched for a in self.ancestors(i)):
                continue  # an enclosing line is the listed item that is exported
            for m in matched[i]:
                ann = m.control.announcement
                state = self.in_force(ann, day)
                reliability = _weakest(m.form.reliability, m.control.code_reliability)
                certain = m.certain and state.lapsed is None
                reason = f"{self.name(i)}: {m.reason}"
                own = self._own_ruling(i, ann)
                if own is not None:
                    notices.append(f"{self.name(i)} contains {m.control.element} "
                                   f"({m.control.control_code}, {ann}) but its category is "
                                   f"generally not controlled [{own}]")
                    continue
                if i != top:
                    shield = self._ruling(i, ann)
                    if shield is not None:
                        notices.append(f"{self.name(i)} would be {m.form.control_code} "
                                       f"({ann}) but is integrated in {shield[0]}: generally not "
                                       f"controlled [{shield[1]}]")
                        continue
                    outcome = self.cfc.unruled_container_outcome
                    if outcome == "not_required":
                        continue
                    certain = certain and outcome == "license_required"
                    reason += (f"; integrated in {self.name(top)}: "
                               f"{self.cfc.unruled_container_reason}")
                if m.control.code_reliability == "U":
                    reason += f" (control code inferred [U]: {m.control.note})"
                triggers.append(Trigger(
                    announcement=ann, control_code=m.form.control_code, limb=None,
                    line_id=str(self.bom.line_id[i]), in_force=state.ok, certain=certain,
                    suspended_by=state.window, reason=reason + state.note,
                    citation=self.pack.cite(m.form), reliability=reliability))
                if state.lapsed:
                    self.caveats.append(state.lapsed)
                if m.caveat:
                    self.caveats.append(m.caveat)
        if any(t.in_force for t in triggers) and self.cfc.general_licence_note:
            notices.append(self.cfc.general_licence_note)
        return triggers

    def _own_ruling(self, i: int, announcement: str) -> str | None:
        """The FAQ ruling that the line's own category is generally not controlled."""
        for outcome, anns, citation in self.rulings.get(CATEGORIES[self.bom.category[i]], []):
            if outcome == "not_controlled" and announcement in anns:
                return citation
        return None

    def _ruling(self, i: int, announcement: str) -> tuple[str, str] | None:
        for a in self.ancestors(i):
            for outcome, anns, citation in self.rulings.get(CATEGORIES[self.bom.category[a]], []):
                if outcome == "not_controlled" and announcement in anns:
                    return self.name(a), citation
        return None

    # ---- exports by foreign persons: No. 61 -------------------------------------------
    def part_i(self, i: int) -> tuple[bool, str] | None:
        key = self._key(i)
        if key not in self._part_i_memo:
            self._part_i_memo[key] = self._part_i(i)
        return self._part_i_memo[key]

    def _part_i(self, i: int) -> tuple[bool, str] | None:
        cat = CATEGORIES[self.bom.category[i]]
        if cat not in ("metal", "alloy", "oxide", "other"):
            return None
        if not self.known(i):
            return (False, f"{cat} of unknown composition") if cat != "other" else None
        best: tuple[bool, str] | None = None
        others = self.other_elements(i)
        for item in self.fe.part_i:
            ree = [s for s in item.elements if s in RARE_EARTHS]
            partners = [s for s in item.elements if s not in RARE_EARTHS]
            if not all(self.has(i, s) for s in ree):
                continue
            if cat == "other":
                best = best or (False, f"may be {item.name} (category 'other')")
                continue
            if item.category != cat:
                continue
            if partners and others and not set(partners) <= others:
                continue
            if best is None or not best[0] or len(item.elements) > len(best[1].split("-")):
                best = (True, item.name)
        return best

    def part_ii(self, i: int) -> bool | None:
        """True: a Part II item; False: possibly (composition unknown); None: not one."""
        if int(self.bom.category[i]) not in self.part_ii_cats:
            return None
        if not self.known(i):
            return False
        return True if int(self.bom.subtree_mask[i]) & self.part_ii_mask else None

    def _is_cn(self, code: str) -> bool | None:
        return True if code == "CN" else (None if code == "" else False)

    def value_test(self, p: int) -> PartIIItem:
        bom, fe = self.bom, self.fe
        limb = fe.limbs["1"]
        threshold = limb.threshold if limb.threshold is not None else Decimal("0.001")
        counted_min: list[tuple[int, Decimal | None]] = []
        counted_max: list[tuple[int, Decimal | None]] = []
        stack: list[tuple[int, bool, bool]] = [(c, False, False) for c in self.children.get(p, [])]
        while stack:
            node, in_min, in_max = stack.pop()
            pi = self.part_i(node)
            cn = self._is_cn(str(bom.origin[node]))
            take_min = not in_min and pi is not None and pi[0] and cn is True
            take_max = not in_max and pi is not None and cn is not False
            if take_min:
                counted_min.append((node, bom.value(node)))
            if take_max:
                counted_max.append((node, bom.value(node)))
            stack.extend((c, in_min or take_min, in_max or take_max)
                         for c in self.children.get(node, []))

        def total(items: list[tuple[int, Decimal | None]], unknown_is_zero: bool,
                  how: str = fe.aggregation) -> Decimal | None:
            values: list[Decimal] = []
            for _, v in items:
                if v is None:
                    if not unknown_is_zero:
                        return None
                    v = Decimal(0)
                values.append(v)
            if not values:
                return Decimal(0)
            return sum(values, Decimal(0)) if how == "sum" else max(values)

        with localcontext() as ctx:
            ctx.prec = _WIDE
            num_min = total(counted_min, True) or Decimal(0)
            num_max = total(counted_max, False)
            den = bom.value(p)

            def met(num: Decimal) -> bool:
                assert den is not None
                if den == 0:
                    return num > 0
                limit = threshold * den
                return num >= limit if limb.comparator == ">=" else num > limit

            def outcome(low: Decimal, high: Decimal | None) -> tuple[bool, bool]:
                if high is None:
                    maybe = True
                elif den is None:
                    maybe = high > 0
                else:
                    maybe = met(high)
                return den is not None and met(low), maybe

            definitely, possibly = outcome(num_min, num_max)
            unverified = None
            if fe.aggregation_reliability == "U":
                # the other reading of "the value of the Part I items": where it disagrees the
                # test is only possibly met, so a verdict never rests on the unverified one
                other = "max" if fe.aggregation == "sum" else "sum"
                alt = outcome(total(counted_min, True, other) or Decimal(0),
                              total(counted_max, False, other))
                if alt != (definitely, possibly):
                    unverified = (f"rests on an unverified reading of the 0.1 % test [U]: the "
                                  f"{'sum' if fe.aggregation == 'sum' else 'largest'} of several "
                                  f"Part I items is taken ({fe.aggregation_citation}); "
                                  f"{'summed' if other == 'sum' else 'one by one'} the result "
                                  "differs")
                    definitely, possibly = definitely and alt[0], possibly or alt[1]
            headroom = None
            if den is not None and num_max is not None:
                headroom = _plain(threshold * den - num_max)
        ratio_min = ratio_max = None
        if den is not None and den > 0:
            with localcontext() as ctx:
                ctx.prec = 28
                ratio_min = _plain(num_min / den)
                ratio_max = None if num_max is None else _plain(num_max / den)
        exact = num_max is not None and num_min == num_max
        return PartIIItem(
            line_id=str(bom.line_id[p]), value=den, chinese_content_min=_plain(num_min),
            chinese_content_max=None if num_max is None else _plain(num_max),
            counted_lines=sorted({str(bom.line_id[i]) for i, _ in counted_max}),
            ratio=ratio_min if exact else None, ratio_min=ratio_min, ratio_max=ratio_max,
            headroom=headroom,
            met="yes" if definitely else ("possible" if possibly else "no"),
            unverified_reading=unverified,
        )

    def _limb_trigger(self, limb_id: str, i: int, certain: bool, reason: str,
                      day: _dt.date) -> Trigger | None:
        limb = self.fe.limbs[limb_id]  # type: ignore[index]
        if day < limb.effective:
            return None
        state = self.in_force(self.fe.announcement, day)
        if state.lapsed:
            self.caveats.append(state.lapsed)
        return Trigger(announcement=self.fe.announcement, control_code=limb.control_code,
                       limb=limb_id, line_id=str(self.bom.line_id[i]), in_force=state.ok,
                       certain=certain and state.lapsed is None, suspended_by=state.window,
                       reason=reason + state.note, citation=self.pack.cite(limb),
                       reliability=limb.reliability)

    def _limbs_on(self, item: int, annex: tuple[bool, str], is_part_ii: bool | None,
                  day: _dt.date, tests: list[PartIIItem], origin_line: int) -> list[Trigger]:
        bom, out = self.bom, []
        certain_item, what = annex
        cn_origin = self._is_cn(str(bom.origin[origin_line]))
        if cn_origin is not False:
            t = self._limb_trigger(
                "3", origin_line, certain_item and cn_origin is True,
                f"{self.name(origin_line)}: {what} of Chinese origin"
                + ("" if cn_origin else " (origin not given)"), day)
            if t:
                out.append(t)
        abroad = self._is_cn(str(bom.made_in[item]))
        if abroad is not True:
            tech = int(bom.cn_technology[item])
            if tech != 0:
                certain = certain_item and abroad is False and tech == 1
                extra, limb2_caveat = "", None
                fe = self.fe
                if fe.limb2_requires_chinese_rare_earths or fe.limb2_reliability == "U":
                    cn_re = self._contains_chinese_ree(item)
                    if cn_re is not True:
                        if fe.limb2_reliability == "U":
                            # the two readings disagree here: never cleared, never settled
                            caveat = ("rests on an unverified reading of No. 61 Art. 1(2) [U]: "
                                      "whether limb (2) also requires Chinese-origin rare "
                                      f"earths ({fe.limb2_citation})")
                            limb2_caveat = caveat
                            certain = False
                            extra = (" (contains no Chinese-origin rare earths known to the BOM: "
                                     + caveat + ")")
                        elif cn_re is False:
                            tech = 0
                        else:
                            certain = False
                    if fe.limb2_requires_chinese_rare_earths and not extra:
                        extra = " and Chinese-origin rare earths"
                if tech != 0:
                    t = self._limb_trigger(
                        "2", item, certain,
                        f"{self.name(item)}: {what} made abroad with Chinese rare-earth "
                        f"technology{extra}" + ("" if tech == 1 else " (cn_technology unknown)"),
                        day)
                    if t:
                        out.append(t)
                        if limb2_caveat:
                            self.caveats.append(limb2_caveat)
            if is_part_ii is not None:
                test = self.value_test(item)
                tests.append(test)
                if test.met != "no":
                    ratio = (f"ratio {test.ratio}" if test.ratio is not None else
                             f"ratio between {test.ratio_min} and {test.ratio_max or 'unbounded'}")
                    certain = test.met == "yes" and is_part_ii and abroad is False
                    if test.unverified_reading:
                        ratio += f" ({test.unverified_reading})"
                    t = self._limb_trigger(
                        "1", item, certain,
                        f"{self.name(item)}: Chinese-origin Part I content "
                        f"{test.chinese_content_min}"
                        + ("" if test.ratio is not None else
                           f"..{test.chinese_content_max or 'unbounded'}")
                        + f" of value {test.value if test.value is not None else 'unknown'}: "
                        f"{ratio} against the threshold {self.fe.limbs['1'].threshold} "
                        f"(lines {', '.join(test.counted_lines) or 'none'})", day)
                    if t:
                        out.append(t)
                        if test.unverified_reading:
                            self.caveats.append(test.unverified_reading)
        return out

    def _contains_chinese_ree(self, i: int) -> bool | None:
        result: bool | None = False
        stack = [i]
        while stack:
            node = stack.pop()
            if int(self.bom.own_mask[node]) & REE_MASK:
                cn = self._is_cn(str(self.bom.origin[node]))
                if cn:
                    return True
                if cn is None:
                    result = None
            stack.extend(self.children.get(node, []))
        return result

    def foreign_export(self, lines: list[int], top: int, day: _dt.date,
                       notices: list[str], tests: list[PartIIItem]) -> list[Trigger]:
        pi, pii = self.part_i(top), self.part_ii(top)
        if pi is not None or pii is not None:
            annex = pi if pi is not None and (pii is None or pi[0]) else (
                bool(pii), "Part II item" + ("" if pii else " (composition not given)"))
            return self._limbs_on(top, annex, pii, day, tests, top)
        # by line_id, not by the order of the rows: same BOM, same notices and triggers
        inner = sorted((i for i in lines if i != top and self.part_ii(i) is not None),
                       key=lambda i: str(self.bom.line_id[i]))
        if not inner:
            return []
        names = ", ".join(self.name(i) for i in inner)
        assemblies = self.fe.part_ii_assemblies
        if int(self.bom.category[top]) not in self.assembly_cats:
            notices.append(f"contains Annex 1 Part II item(s) {names}; the product itself is not "
                           "an Annex 1 item, so No. 61 is not applied at product level")
            return []
        triggers: list[Trigger] = []
        for p in inner:
            if any(a in inner for a in self.ancestors(p, top)):
                continue
            found = self._limbs_on(p, (bool(self.part_ii(p)), "Part II item"), self.part_ii(p),
                                   day, tests, top if p == top else p)
            triggers.extend(found)
        if not triggers:
            return []
        reading = (f"only if Annex 1 Part II covers parts, components and assemblies containing "
                   f"the magnets [{assemblies.reliability}: {assemblies.citation}]")
        if assemblies.outcome == "exclude":
            notices.append(f"not applied: {reading}")
            return []
        if assemblies.reliability == "U":
            self.caveats.append(f"rests on an unverified reading [U]: No. 61 applies to "
                                f"{self.name(top)} {reading}")
        adjusted = []
        for t in triggers:
            certain = t.certain and assemblies.outcome == "include"
            adjusted.append(t.model_copy(update={
                "certain": certain,
                "reason": f"{t.reason}; integrated in {self.name(top)}: {reading}",
                "reliability": _weakest(t.reliability, assemblies.reliability)}))
        return adjusted

    # ---- verdicts ---------------------------------------------------------------------
    def outlook(self, status: str, product: int, triggers: list[Trigger],
                day: _dt.date) -> tuple[str | None, str | None]:
        if status == "not_required":
            return None, None
        ship = self.bom.shipment
        end_use, listed = ship["end_use"][product], ship["end_user_listed"][product]
        which_list = ship["end_user_list"][product]
        dest = ship["destination"][product]
        anns = {t.announcement for t in triggers}
        regimes = {self.pack.announcements[a].scope for a in anns}
        prefix = "if the suspended control applies again: " if status == "suspended" else ""
        for rule in self.pack.licensing_outlook:
            if rule.end_uses is not None and end_use not in rule.end_uses:
                continue
            if rule.end_user_listed is not None and listed is not rule.end_user_listed:
                continue
            if rule.end_user_lists is not None and which_list not in rule.end_user_lists:
                continue
            if rule.regimes is not None and not regimes & set(rule.regimes):
                continue
            if rule.basis is not None and self.pack.suspension_at(rule.basis, day, rule.article):
                continue  # the provision the rule rests on is suspended on the day
            if rule.destinations is not None and dest not in rule.destinations:
                continue
            if rule.announcements is not None and not anns <= set(rule.announcements):
                continue
            if rule.effective is not None and day < rule.effective:
                continue
            return rule.outlook, f"{prefix}{rule.citation} [{rule.reliability}]"
        basis = ("No. 61 Arts. 2-5" if "foreign_export" in regimes else
                 "Export Control Law, Dual-Use Regulations; No. 46 of 2024 for US military uses")
        return "depends_on_end_use", (prefix + "end_use / end_user_listed not given on the top "
                                      f"line; the licensing policy depends on them ({basis})")

    def status_of(self, triggers: list[Trigger]) -> Status:
        if any(t.in_force and t.certain for t in triggers):
            return "license_required"
        if any(t.in_force for t in triggers):
            return "needs_review"
        if triggers:
            return "suspended"
        return "not_required"


def _regimes(export_from: str, destination: str) -> list[str]:
    from_cn = [True] if export_from == "CN" else ([True, False] if export_from == "" else [False])
    to_cn = [True] if destination == "CN" else ([True, False] if destination == "" else [False])
    out = []
    for fc in from_cn:
        for tc in to_cn:
            if fc and tc:
                regime = "not_an_export"
            elif fc:
                regime = "export_from_china"
            elif tc:
                regime = "export_to_china"
            elif export_from and export_from == destination:
                regime = "not_an_export"
            else:
                regime = "foreign_export"
            if regime not in out:
                out.append(regime)
    return out


_REGIME_TEXT = {
    "export_from_china": "if exported from China",
    "foreign_export": "if exported by a foreign person to a country other than China",
    "export_to_china": "if exported to China",
    "not_an_export": "if it is not an export",
}


def check_bom_report(
    source: str | Path | pd.DataFrame | Bom,
    date: _dt.date | str | None = None,
    pack: str | Path | dict[str, Any] | RulePack | None = None,
    composition_tolerance: Decimal | str | float | None = None,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> BomCheckReport:
    """Check every product of a BOM; the full result with date, pack and notices.

    *date* (a date or ``YYYY-MM-DD``) is the shipment date for every product; without
    it each product's ``ship_date`` is used, else today (UTC). *pack* is a rule pack
    path, dict or :class:`RulePack` (default: the built-in pack).
    *composition_tolerance* (percentage points, default 1) is how far a line's element
    weights may add up beyond 100 % (rounded assays) before the BOM is refused; see
    :func:`~exportscreen.rareearth.bom.load_bom`. *encoding* (default UTF-8, e.g.
    ``"cp1252"``) and *sheet* (of an .xlsx BOM, by name or number from 1) say how a BOM
    file is read.
    """
    rule_pack = load_rule_pack(pack)
    bom = load_bom(source, composition_tolerance=composition_tolerance, encoding=encoding,
                   sheet=sheet)
    if isinstance(date, str):
        try:
            # YYYY-MM-DD only, as on the command line (fromisoformat also takes 20260301)
            date = iso_date(date)
        except ValueError:
            from ..errors import InputError

            raise InputError(f"not a date in the form YYYY-MM-DD: {date!r}",
                             column="date") from None
    today = _dt.datetime.now(_dt.UTC).date()
    run_date = date or today
    checker = _Checker(bom, rule_pack)

    n = bom.n_lines
    product_of_top = np.empty(max(n, 1), dtype=np.int64)
    product_of_top[bom.tops] = np.arange(bom.n_products)
    line_product = product_of_top[bom.root] if n else np.zeros(0, np.int64)
    material = np.isin(bom.category, [_CAT[c] for c in _MATERIAL])
    has_ree = (bom.subtree_mask & REE_MASK) != 0
    # parts, components and products that list a rare earth themselves are looked at too:
    # the pack cannot place them, so they are never cleared without a ruling
    candidate = (material & (has_ree | ~bom.subtree_known)) | (
        (bom.category == _CAT["other"]) & has_ree) | (
        ~material & ((bom.own_mask & REE_MASK) != 0))
    checker.candidate = candidate
    interesting = np.zeros(bom.n_products, dtype=bool)
    interesting[line_product[candidate]] = True
    order = np.argsort(line_product, kind="stable")
    starts = np.searchsorted(line_product[order], np.arange(bom.n_products + 1))

    ship = bom.shipment
    verdicts: list[Verdict] = []
    dates_used: set[_dt.date] = set()
    for p in range(bom.n_products):
        day = date or ship["ship_date"][p] or today
        dates_used.add(day)
        regimes = _regimes(ship["export_from"][p], ship["destination"][p])
        regime_label = regimes[0] if len(regimes) == 1 else "unknown"
        pid = bom.product_ids[p]
        if not interesting[p]:
            verdicts.append(Verdict(
                product_id=pid, status="not_required", date=day, regime=regime_label,
                triggers=[],
                notices=[] if len(regimes) == 1 else
                ["export_from/destination not given; no rare-earth item found either way"]))
            continue
        lines = sorted(int(i) for i in order[starts[p]:starts[p + 1]])
        top = int(bom.tops[p])
        checker.children = {}
        for i in lines:
            parent = int(bom.parent[i])
            if parent >= 0:
                checker.children.setdefault(parent, []).append(i)
        notices: list[str] = []
        tests: list[PartIIItem] = []
        checker.caveats = []
        reporting: str | None = None
        per_regime: list[tuple[str, Status, list[Trigger]]] = []
        for regime in regimes:
            if regime == "export_from_china":
                found = checker.export_from_china(lines, top, day, notices)
            elif regime == "foreign_export":
                found = checker.foreign_export(lines, top, day, notices, tests)
                if found and ship["end_use"][p] == "humanitarian":
                    status = checker.status_of(found)
                    humanitarian = rule_pack.foreign_export.humanitarian
                    if status in ("license_required", "needs_review") and (
                            humanitarian.outcome == "not_required"):
                        reporting = REPORT_WITHIN_10_WORKING_DAYS
                        notices.append("humanitarian end use: no licence under No. 61 Art. 5; "
                                       "report to MOFCOM within 10 working days after export "
                                       f"[{humanitarian.citation}]")
                        # settled only when the control is certainly in force; otherwise the
                        # report may still be owed, so the verdict is not cleared
                        settled = all(t.certain for t in found if t.in_force)
                        per_regime.append((regime, "not_required" if settled else "needs_review",
                                           found))
                        continue
            else:
                found = []
                if regime == "export_to_china" and len(regimes) == 1:
                    notices.append("exports to China are outside No. 61 (research §1)")
            per_regime.append((regime, checker.status_of(found), found))
        if len(per_regime) == 1:
            status, triggers = per_regime[0][1], per_regime[0][2]
        else:
            statuses = {s for _, s, _ in per_regime}
            if len(statuses) == 1:
                status = next(iter(statuses))
            elif statuses & {"license_required", "needs_review"}:
                status = "needs_review"
            else:
                status = "suspended"
            triggers = [
                t.model_copy(update={"certain": False,
                                     "reason": f"{_REGIME_TEXT[r]} (not given): {t.reason}"})
                for r, _, ts in per_regime for t in ts]
            if status != "not_required":
                notices.append("export_from/destination not given and the outcome depends on "
                               "them")
        triggers.sort(key=lambda t: (t.line_id, t.announcement, t.limb or "", t.control_code,
                                     t.reason))
        outlook, outlook_reason = checker.outlook(status, p, triggers, day)
        if any(t.limb for t in triggers) and ship["end_use"][p] == "humanitarian" and (
                status == "not_required"):
            outlook = "humanitarian_report_within_10_working_days"
            outlook_reason = rule_pack.foreign_export.humanitarian.citation
        reporting_reason = None
        if reporting is not None:
            reporting_reason = (f"{rule_pack.foreign_export.humanitarian.citation} "
                                f"[{rule_pack.foreign_export.humanitarian.reliability}]")
        caveats = sorted(set(checker.caveats)) if status != "not_required" or reporting else []
        certain = status != "needs_review" and all(t.certain for t in triggers) and not caveats
        deciding = _deciding_test(tests)
        verdicts.append(Verdict(
            product_id=pid, status=status, date=day, regime=regime_label, triggers=triggers,
            ratio=deciding.ratio if deciding else None,
            ratio_min=deciding.ratio_min if deciding else None,
            ratio_max=deciding.ratio_max if deciding else None,
            headroom=deciding.headroom if deciding else None,
            part_ii_items=sorted(tests, key=lambda t: t.line_id),
            licensing_outlook=outlook, licensing_outlook_reason=outlook_reason,
            reporting_obligation=reporting, reporting_obligation_reason=reporting_reason,
            certain=certain, caveats=caveats,
            notices=sorted(set(notices)),
        ))
    return BomCheckReport(
        date=run_date, pack_id=rule_pack.pack_id, pack_version=rule_pack.version,
        pack_source=rule_pack.source_path, pack_information_until=rule_pack.information_until,
        notices=[n for n in [blank_rows_notice(bom.table)] if n] + list(bom.notices)
        + _run_notices(rule_pack, checker, dates_used),
        verdicts=verdicts)


def _deciding_test(tests: list[PartIIItem]) -> PartIIItem | None:
    """The Part II item closest to (or furthest past) the threshold: the smallest headroom."""
    if not tests:
        return None
    rank = {"yes": 0, "possible": 1, "no": 2}
    return min(tests, key=lambda t: (
        rank[t.met], t.headroom is not None, t.headroom if t.headroom is not None else 0,
        t.line_id))


def _run_notices(pack: RulePack, checker: _Checker, dates: set[_dt.date]) -> list[str]:
    notices = []
    for window in pack.suspensions:
        # a window over single articles (No. 72: Art. 2 of No. 46, no rare-earth item) is
        # named only when a verdict rested on it
        relevant = not window.articles and any(
            pack.announcements[a].scope in ("export_from_china", "foreign_export")
            for a in window.applies_to)
        if window.id in checker.lapsed_seen or (
                relevant and any(window.lapsed_unknown(d) for d in dates)):
            notices.append(
                f"the {window.announcement} suspension ({window.start}..{window.end}) of "
                f"{', '.join(window.applies_to)} has ended for dates after {window.end} and "
                f"rule pack {pack.pack_id} {pack.version} knows nothing later: those controls are "
                f"treated as in force (conservative) and verdicts resting on them are not "
                f"settled (certain: false). {window.note}. To record an extension or "
                f"a lifting, pass a pack file (--pack) with an updated suspension window.")
    late = sorted(d for d in dates if d > pack.information_until)
    if late:
        notices.append(f"date {late[-1]} is after the rule pack's information "
                       f"({pack.information_until}); later measures are not known to it")
    unverified = []
    fe, cfc = pack.foreign_export, pack.export_from_china
    if fe.part_ii_assemblies.reliability == "U":
        unverified.append(f"Part II parts/components/assemblies -> {fe.part_ii_assemblies.outcome}")
    if fe.aggregation_reliability == "U":
        unverified.append(f"0.1 % test aggregation -> {fe.aggregation}")
    if fe.limb2_reliability == "U":
        unverified.append("limb (2) requires Chinese-origin rare earths -> "
                          f"{str(fe.limb2_requires_chinese_rare_earths).lower()}")
    if cfc.trace_rule is not None and cfc.trace_rule.reliability == "U":
        unverified.append(f"No. 18 trace Dy/Tb <= {cfc.trace_rule.max_total_wt_pct} wt % -> "
                          f"{cfc.trace_rule.outcome}")
    if unverified:
        notices.append("unverified readings [U] in effect (configurable in the rule pack): "
                       + "; ".join(unverified))
    return notices


def check_bom(
    source: str | Path | pd.DataFrame | Bom,
    date: _dt.date | str | None = None,
    pack: str | Path | dict[str, Any] | RulePack | None = None,
    composition_tolerance: Decimal | str | float | None = None,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> list[Verdict]:
    """Check a BOM against China's rare-earth export controls: one :class:`Verdict` per
    product, sorted by ``product_id``. See :func:`check_bom_report` for the arguments
    and the module docstring for the rules.
    """
    return check_bom_report(source, date=date, pack=pack,
                            composition_tolerance=composition_tolerance, encoding=encoding,
                            sheet=sheet).verdicts
