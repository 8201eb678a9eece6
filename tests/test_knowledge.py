"""The shipped knowledge: bibliography, evidence scale, citations, overlays, reason texts."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from exportscreen import OwnershipGraph, apply_affiliates_rule
from exportscreen.errors import InputError
from exportscreen.knowledge import (
    EVIDENCE_SCALE,
    Bibliography,
    Citation,
    FindingReasons,
    MergePolicy,
    OverlayError,
    bibliography,
    data_path,
    evidence_of,
    merge,
    pack_letter,
    weakest,
)
from exportscreen.ownership import get_rule, list_rules, load_rule_file
from exportscreen.rareearth import default_pack_path, load_rule_pack

KNOWLEDGE = Path(__file__).resolve().parents[1] / "src" / "exportscreen" / "knowledge"
IN_FORCE = "2025-10-15"


# ------------------------------------------------------------------ bibliography
def test_bibliography_validates_and_is_complete() -> None:
    bib = bibliography()
    raw = json.loads(data_path("bibliography.json").read_text(encoding="utf-8"))
    assert Bibliography.model_validate(raw) == bib
    assert len(bib.sources) == len({s.id for s in bib.sources}) >= 80
    for s in bib.sources:
        assert s.title and s.publisher and s.evidence in EVIDENCE_SCALE, s.id
        # the research notes, or (sources found later) the docs page that records them
        assert (s.research in {"ownership-rules.md", "rare-earth-rules.md"}
                or (s.research.startswith("docs/")
                    and (KNOWLEDGE.parents[2] / s.research).is_file())), s.id
    # spot checks against the research notes
    assert str(bib["FR-IFR"].date) == "2025-09-30" and bib["FR-IFR"].evidence == "official"
    assert bib["UKS1"].url == "https://legislation.gov.uk/uksi/2019/855/schedules/made"
    assert bib["S33"].evidence == "unverified" and bib["S33"].url is None
    assert bib["SUPP8"].date is None  # the research gives no publication date


def test_bibliography_rejects_duplicates_and_bad_urls() -> None:
    src = {"id": "X", "title": "t", "publisher": "p", "evidence": "secondary"}
    with pytest.raises(ValueError, match="duplicate source id"):
        Bibliography.model_validate({"sources": [src, src]})
    with pytest.raises(ValueError):
        Bibliography.model_validate({"sources": [{**src, "url": "not a url"}]})
    with pytest.raises(ValueError):
        Bibliography.model_validate({"sources": [{**src, "evidence": "rumour"}]})


# ------------------------------------------------------------------ evidence scale
def test_evidence_scale_maps_old_tags() -> None:
    assert EVIDENCE_SCALE == ("official", "official_copy", "secondary", "unverified")
    assert [evidence_of(t) for t in ("O", "O-copy", "T", "S", "U")] == [
        "official", "official_copy", "official_copy", "secondary", "unverified"]
    assert evidence_of("[O-copy]") == "official_copy" and evidence_of("unverified") == "unverified"
    assert [pack_letter(e) for e in EVIDENCE_SCALE] == ["T", "T", "S", "U"]
    for letter in ("T", "S", "U"):  # the pack's letters round-trip
        assert pack_letter(evidence_of(letter)) == letter
    assert weakest("official", "unverified", "secondary") == "unverified"
    with pytest.raises(ValueError, match="unknown evidence class"):
        evidence_of("X")
    assert Citation.model_validate({"sources": ["OFAC401"], "evidence": "O"}).evidence == "official"


# ------------------------------------------------------------------ citations resolve
def test_every_preset_citation_resolves() -> None:
    bib = bibliography()
    for rule in list_rules():
        assert rule.citations, rule.id
        for parameter, citations in rule.citations.items():
            for c in citations:
                assert c.sources and c.evidence, (rule.id, parameter)
                assert bib.unknown(c.sources) == [], (rule.id, parameter)
        for window in rule.suspensions:
            assert bib.unknown(window.citations) == [], rule.id
        assert bib.unknown(rule.reasons.cited_ids()) == [], rule.id


def test_every_pack_citation_resolves() -> None:
    bib = bibliography()
    pack = load_rule_pack()
    cited = list(pack.cited())
    assert len(cited) > 50
    for where, ids in cited:
        assert bib.unknown(ids) == [], where
    # the ids a citation's text names are the ones it lists (a few cite only a section of
    # the research note, which names no source for them: their list is empty)
    for control in pack.export_from_china.controls:
        for form in control.forms.values():
            named = [i for i in re.findall(r"\bS\d+\b", form.citation)]
            assert list(form.sources) == list(dict.fromkeys(named)), form.citation
            assert form.sources or form.citation.startswith("research §")
    # the pack's sources map is resolved from the bibliography
    assert pack.sources["S11"].startswith(bib["S11"].title)
    assert "S31" in pack.sources and "S33" in pack.sources  # named in notes
    assert "sources" not in json.loads(default_pack_path().read_text(encoding="utf-8"))


def test_trigger_citation_is_resolved_through_the_bibliography() -> None:
    pack = load_rule_pack()
    form = pack.export_from_china.controls[0].forms["metal"]
    text = pack.cite(form)
    assert text.startswith(form.citation) and bibliography()["S1"].url in text  # type: ignore[operator]


def test_unknown_source_id_in_a_user_pack_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"extends": "default", "foreign_export": {
        "aggregation_sources": ["NOPE"]}}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rule_pack(path)
    assert info.value.file == str(path)
    assert info.value.column == "foreign_export.aggregation_sources"
    # an id the user defines in the pack's own sources resolves
    path.write_text(json.dumps({"extends": "default", "sources": {"MEMO": "counsel's memo"},
                                "foreign_export": {"aggregation_sources": ["MEMO"]}}),
                    encoding="utf-8")
    assert load_rule_pack(path).sources["MEMO"] == "counsel's memo"


# ------------------------------------------------------------------ overlays
def test_merge_by_id_one_level_and_replace() -> None:
    base = {"a": 1, "d": {"x": 1, "y": 2}, "w": [{"id": "p", "v": 1}, {"id": "q", "v": 2}]}
    policy = MergePolicy(by_id={"w": "id"}, one_level=frozenset({"d"}))
    out = merge(base, {"extends": "default", "a": 2, "d": {"y": 3},
                       "w": [{"id": "q", "v": 9}, {"id": "r", "v": 0}]}, policy)
    assert out == {"a": 2, "d": {"x": 1, "y": 3},
                   "w": [{"id": "p", "v": 1}, {"id": "q", "v": 9}, {"id": "r", "v": 0}]}
    assert base["d"] == {"x": 1, "y": 2}  # the shipped document is not changed
    with pytest.raises(OverlayError) as info:
        merge(base, {"w": [{"v": 1}]}, policy)
    assert info.value.field == "w.0"


def test_pack_overlay_errors_name_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"extends": "default", "suspensions": [{"end": "2027-01-10"}]}),
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rule_pack(path)
    assert (info.value.file, info.value.column) == (str(path), "suspensions.0")
    path.write_text(json.dumps({"extends": "other"}), encoding="utf-8")
    with pytest.raises(InputError, match='must be "default"') as info:
        load_rule_pack(path)
    assert (info.value.file, info.value.column) == (str(path), "extends")


def test_rule_file_extends_a_preset(tmp_path: Path) -> None:
    path = tmp_path / "rule.json"
    path.write_text(json.dumps({
        "extends": "us-ofac", "id": "ofac-strict", "minority_red_flag": "10",
        "citations": {"minority_red_flag": ["our policy"]},
        "reasons": {"unknown_stake": "Establish the percentages (our policy P-7)."}}),
        encoding="utf-8")
    rule = load_rule_file(path)
    ofac = get_rule("us-ofac")
    assert (rule.id, str(rule.minority_red_flag), rule.threshold) == (
        "ofac-strict", "10", ofac.threshold)
    assert rule.citations["minority_red_flag"] == (Citation(text="our policy"),)
    assert rule.citations["threshold"] == ofac.citations["threshold"]  # merged one level
    assert rule.reasons.unknown_stake.text == "Establish the percentages (our policy P-7)."
    assert rule.reasons.branch_of_listed == ofac.reasons.branch_of_listed


@pytest.mark.parametrize(("doc", "column"), [
    ({"extends": "uk", "threshold": "150"}, "threshold"),
    ({"extends": "uk", "reasons": {"branch_of_listed": "{entity} of {owner}"}}, "reasons"),
    ({"extends": "nope"}, "extends"),
])
def test_rule_overlay_errors_name_file_and_field(tmp_path: Path, doc: dict[str, object],
                                                 column: str) -> None:
    path = tmp_path / "rule.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rule_file(path)
    assert info.value.file == str(path)
    assert info.value.column is not None and info.value.column.startswith(column)


# ------------------------------------------------------------------ reason texts
def _graph() -> OwnershipGraph:
    rows = [{"owner_id": "L", "owned_id": "BR", "percent": "", "relation": "branch"},
            {"owner_id": "L", "owned_id": "F", "percent": "", "relation": ""}]
    ents = pd.DataFrame([{"id": i, "country": "CN"} for i in ("L", "BR", "F")])
    return OwnershipGraph.from_frame(pd.DataFrame(rows), entities=ents)


@pytest.mark.parametrize(("rule", "list_name"), [
    ("uk", "uk"), ("eu", "eu"), ("eu-pre2024", "eu"), ("us-ofac", "sdn")])
def test_non_bis_findings_do_not_cite_bis(rule: str, list_name: str) -> None:
    day = "2023-01-01" if rule == "eu-pre2024" else IN_FORCE
    result = apply_affiliates_rule(_graph(), {"L": list_name}, rule, day)
    branch, unknown = result.finding("BR"), result.finding("F")
    assert branch is not None and unknown is not None and unknown.status == "undetermined"
    for f in (branch, unknown):
        assert "BIS" not in f.reason and "FAQ #45" not in f.reason
        assert "Red Flag 29" not in f.reason
        assert "research records no" in f.reason  # says so rather than citing something
    preset = get_rule(rule)
    assert "BIS" not in preset.reasons.branch_of_listed.text + preset.reasons.unknown_stake.text
    assert preset.reasons.cited_ids() == []  # no source: nothing cited


def test_bis_findings_keep_their_citations() -> None:
    result = apply_affiliates_rule(_graph(), {"L": "entity_list"}, "us-bis-affiliates", IN_FORCE)
    assert "BIS FAQ #45" in result.finding("BR").reason  # type: ignore[union-attr]
    assert "BIS Red Flag 29" in result.finding("F").reason  # type: ignore[union-attr]


def test_default_reasons_cite_nothing() -> None:
    reasons = FindingReasons()
    assert reasons.cited_ids() == []
    assert reasons.branch("B", "H").startswith("B is a branch") and "H" in reasons.branch("B", "H")
    with pytest.raises(ValueError, match="unknown field"):
        FindingReasons.model_validate({"unknown_stake": "see {entity}"})


# ------------------------------------------------------------------ layering
def test_knowledge_imports_only_the_base() -> None:
    for path in KNOWLEDGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                assert node.module in ("errors", "_jsonfile"), (path.name, node.module)
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("exportscreen"), (path.name, node.module)
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("exportscreen") for a in node.names)
