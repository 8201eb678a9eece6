"""List loaders against the real government files and fixtures cut from them."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.errors import InputError
from exportscreen.lists.clean import clean_name, country_code, repair_mojibake
from exportscreen.lists.csl import parse_csl_csv, source_code
from exportscreen.lists.loader import detect_format
from exportscreen.lists.snapshot import decode_entries, encode_entries, snapshot_csv_bytes

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


# ---------------------------------------------------------------- the embedded snapshot


@pytest.fixture(scope="module")
def snapshot() -> xs.ScreeningList:
    from exportscreen.lists.snapshot import load_snapshot

    return load_snapshot()


def test_snapshot_counts_match_the_published_csl(snapshot: xs.ScreeningList) -> None:
    counts = {s: sum(1 for e in snapshot if e.source == s) for s in snapshot.sources}
    assert len(snapshot) == 14160
    assert counts == {
        "sdn": 10026, "entity_list": 2001, "itar_debarred": 727, "dpl": 462, "ssi": 290,
        "uvl": 201, "isn": 163, "plc": 78, "meu": 71, "cmic": 68, "capta": 53, "ns_mbs": 17,
        "fse": 3,
    }
    assert sum(1 for e in snapshot if e.aliases) >= 6790
    prov = snapshot.provenance
    assert prov.entries == 14160 and prov.rejected == 0 and prov.format == "csl-csv"
    assert prov.sha256 == hashlib.sha256(snapshot_csv_bytes()).hexdigest()
    assert str(prov.snapshot_date) == "2022-05-16"


def test_preparsed_snapshot_equals_parsing_the_shipped_csv(snapshot: xs.ScreeningList) -> None:
    entries, rejected, notices = parse_csl_csv(snapshot_csv_bytes(), "snapshot", strict=True)
    assert rejected == []
    assert tuple(entries) == snapshot.entries
    assert list(snapshot.provenance.notices) == notices


def test_snapshot_is_the_shared_data_file(shared_data: Path) -> None:
    raw = (shared_data / "us_csl" / "consolidated_screening_list_2022-05.csv").read_bytes()
    assert raw == snapshot_csv_bytes()


def test_compact_form_round_trips_and_is_deterministic(snapshot: xs.ScreeningList) -> None:
    sample = list(snapshot.entries[:500])
    blob = encode_entries(sample)
    assert blob == encode_entries(sample)
    assert list(decode_entries(blob)) == sample
    assert gzip.decompress(blob).startswith(b'{"version":2')


def test_snapshot_entries_are_valid_models(snapshot: xs.ScreeningList) -> None:
    # the fast path skips validation, so check a validated copy equals what was built
    for entry in snapshot.entries[::97]:
        assert xs.ListEntry.model_validate(entry.model_dump()) == entry


def test_countries_are_iso2_from_addresses_and_nationalities(snapshot: xs.ScreeningList) -> None:
    entry = snapshot.get("26860")
    assert entry is not None and entry.countries == ("IQ",)
    assert all(len(c) == 2 and c.isupper() for e in snapshot for c in e.countries)
    with_country = sum(1 for e in snapshot if e.countries)
    assert with_country > 11000


def test_repeated_id_on_one_list_is_kept_and_reported(snapshot: xs.ScreeningList) -> None:
    kunlun = [e for e in snapshot if e.id == "15268"]
    assert len(kunlun) == 2 and {e.source for e in kunlun} == {"capta"}
    assert any("15268" in n for n in snapshot.provenance.notices)


def test_get_prefers_the_most_restrictive_list(snapshot: xs.ScreeningList) -> None:
    assert [e.source for e in snapshot.get_all("18725")] == ["sdn", "ssi", "capta"]
    entry = snapshot.get("18725")
    assert entry is not None and entry.source == "sdn"
    assert snapshot.get("18725", source="ssi").source == "ssi"  # type: ignore[union-attr]
    assert snapshot.get("no-such-id") is None


# ---------------------------------------------------------------- CSL quirks


@pytest.fixture(scope="module")
def sample() -> xs.ScreeningList:
    return xs.load_list(LISTS / "csl_sample.csv")


def _by_published(lst: xs.ScreeningList, text: str) -> list[xs.ListEntry]:
    return [e for e in lst if text in (e.published_name or e.name)]


def test_location_after_legal_form_is_taken_out(sample: xs.ScreeningList) -> None:
    (entry,) = _by_published(sample, "Huawei Technologies Co. Ltd., Tsim Sha Tsui")
    assert entry.name == "Huawei Technologies Co. Ltd."
    assert entry.relations == ("location: Tsim Sha Tsui",)
    assert entry.published_name == "Huawei Technologies Co. Ltd., Tsim Sha Tsui"
    assert any("place name" in n for n in entry.notes)


def test_trailing_short_name_becomes_an_alias(sample: xs.ScreeningList) -> None:
    entries = [e for e in sample if e.published_name == "Huawei Technologies Co., Ltd. (Huawei)"]
    assert entries
    for entry in entries:
        assert entry.name == "Huawei Technologies Co., Ltd."
        assert entry.aliases[0] == "Huawei"


def test_affiliated_entity_is_the_entry_not_the_parent(sample: xs.ScreeningList) -> None:
    (entry,) = _by_published(sample, "Affiliated Entity:  Beijing Huawei Longshine")
    assert entry.name == "Beijing Huawei Longshine Information Technology Co., Ltd."
    assert entry.relations == ("affiliated entity of: Huawei Technologies Co., Ltd. (Huawei)",)


def test_successor_clause_is_relation_text(sample: xs.ScreeningList) -> None:
    entries = _by_published(sample, "and any successor, sub-unit, or subsidiary thereof")
    assert len(entries) == 2
    for entry in entries:
        assert "successor" not in entry.name
        assert entry.relations[-1] == "and any successor, sub-unit, or subsidiary thereof"


def test_cp1252_mojibake_is_repaired(sample: xs.ScreeningList) -> None:
    entries = [e for e in sample if e.published_name and "\x92" in e.published_name]
    assert entries
    for entry in entries:
        assert "Xi’an" in entry.name and "\x92" not in entry.name


def test_question_mark_quotes_are_repaired_in_names_and_aliases(sample: xs.ScreeningList) -> None:
    repaired = [e for e in sample if any("“" in a for a in e.all_names)]
    assert repaired
    for entry in repaired:
        assert any("'?'" in n for n in entry.notes)


def test_ofac_rows_keep_their_names_as_published(sample: xs.ScreeningList) -> None:
    for entry in sample:
        if entry.source in {"sdn", "ssi", "capta", "plc", "cmic", "ns_mbs", "fse"}:
            assert not entry.relations
            assert all("repaired" in n for n in entry.notes)  # only mojibake, never cut
            if entry.published_name is None:
                assert entry.name == " ".join(entry.name.split())


def test_licence_terms_and_dates(sample: xs.ScreeningList) -> None:
    meu = [e for e in sample if e.source == "meu"]
    assert meu and all(e.license_requirement for e in meu)
    el = [e for e in sample if e.source == "entity_list" and e.license_policy]
    assert any("denial" in (e.license_policy or "").lower() for e in el)
    assert all(e.start_date is None or e.start_date.year > 1990 for e in sample)


def test_csl_json_gives_the_same_entries_as_the_csv(sample: xs.ScreeningList) -> None:
    as_json = xs.load_list(LISTS / "csl_sample.json")
    assert as_json.provenance.format == "csl-json"
    assert as_json.entries == sample.entries
    assert as_json.list_id == sample.list_id


def test_csl_json_plain_list_shape(tmp_path: Path) -> None:
    document = json.loads((LISTS / "csl_sample.json").read_text("utf-8"))
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(document["results"][:5]), "utf-8")
    lst = xs.load_list(path)
    assert len(lst) == 5 and lst.provenance.format == "csl-json"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Entity List (EL) - Bureau of Industry and Security", "entity_list"),
     ("Military End User (MEU) List - Bureau of Industry and Security", "meu"),
     ("ITAR Debarred (DTC) - State Department", "itar_debarred"),
     ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "ns_mbs"),
     ("Capta List (CAP) - Treasury Department", "capta"), ("EL", "entity_list"),
     ("sdn", "sdn"), ("My Own Watch List - Compliance", "my_own_watch_list")],
)
def test_source_codes(text: str, code: str) -> None:
    assert source_code(text) == code


def test_clean_name_leaves_ordinary_names_alone() -> None:
    for name in ["China State Shipbuilding Corporation, Limited (CSSC) 12th Research Institute",
                 "Tactical Missile Corporation, Joint Stock Company Avangard",
                 "Foo Trading (LLC)", "48th Central Scientific Research Institute, Kirov"]:
        cleaned = clean_name(name)
        assert cleaned.name == name and not cleaned.aliases and not cleaned.relations


def test_mojibake_repair_is_conservative() -> None:
    assert repair_mojibake("Huawei Technologies Co”peratief U.A.")[1] == []  # ambiguous
    assert repair_mojibake("Scientific ??Lianozovo Plant??")[0].count("?") == 4
    assert repair_mojibake("China?s Institute")[0] == "China’s Institute"


def test_country_names_as_lists_write_them() -> None:
    assert country_code("Korea, North") == "KP"
    assert country_code("Burma") == "MM"
    assert country_code("Region: Crimea") == "UA"
    assert country_code("undetermined") is None
    assert country_code("ZZ") is None


# ---------------------------------------------------------------- OFAC


def test_ofac_sdn_legacy_csv_real_file(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / "ofac_sdn_2021-07")
    assert len(lst) == 8976 and lst.provenance.rejected == 0
    types = {t: sum(1 for e in lst if e.entity_type == t) for t in
             ("individual", "vessel", "aircraft", "entity")}
    assert types == {"individual": 4620, "vessel": 406, "aircraft": 277, "entity": 3673}
    assert sum(len(e.aliases) for e in lst) <= 11910
    assert sum(len(e.addresses) for e in lst) <= 13837
    assert max(int(e.id) for e in lst) == 32391
    bnc = lst.get("306")
    assert bnc is not None and bnc.name == "BANCO NACIONAL DE CUBA"
    assert "NATIONAL BANK OF CUBA" in bnc.aliases
    # comments overflow is appended to the remarks as published
    assert lst.get("28263").remarks.endswith("Linked To: LAZARUS GROUP.")  # type: ignore[union-attr]
    assert all("-0-" not in a for e in lst for a in e.addresses)


def test_ofac_programs_brackets_are_split(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / "ofac_sdn_2021-07" / "sdn.csv")
    multi = [e for e in lst if len(e.programs) > 1]
    assert multi and all("]" not in p and "[" not in p for e in multi for p in e.programs)


def test_ofac_nonsdn_legacy_csv_real_files(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / "ofac_nonsdn_2025")
    assert len(lst) == 442
    assert sum(1 for e in lst if e.source == "plc") == 78
    assert sum(1 for e in lst if e.source == "cmic") == 68


def test_ofac_enhanced_xml_zip_real_file(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / "ofac_nonsdn_2025" / "CONS_ENHANCED.ZIP")
    assert len(lst) == 443 and lst.provenance.format == "ofac-xml"
    assert str(lst.provenance.snapshot_date) == "2025-01-10"
    assert {e.source for e in lst} >= {"ssi", "plc", "cmic", "ns_mbs"}
    owned = [e for e in lst if any(r.startswith("Owned or Controlled By") for r in e.relations)]
    assert owned
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in a) for e in lst for a in e.aliases)


def test_xml_fixture_plain_and_zipped_agree() -> None:
    plain = xs.load_list(LISTS / "cons_enhanced_sample.xml")
    zipped = xs.load_list(LISTS / "cons_enhanced_sample.zip")
    assert plain.entries == zipped.entries and len(plain) == 8


def test_legacy_fixture_quirks() -> None:
    raw = (LISTS / "ofac_sdn" / "sdn.csv").read_bytes()
    assert raw.endswith(b"\x1a") and b"\r\n" in raw and b"-0- " in raw
    lst = xs.load_list(LISTS / "ofac_sdn")
    assert len(lst) == 22
    assert all(e.entity_type in {"individual", "entity", "vessel", "aircraft"} for e in lst)
    assert any(e.identifiers and e.entity_type == "vessel" for e in lst)


def test_match_style_lookups_work_on_every_format(sample: xs.ScreeningList) -> None:
    def find(lst: xs.ScreeningList, needle: str) -> set[str]:
        needle = needle.casefold()
        return {e.id for e in lst if any(needle in n.casefold() for n in e.all_names)}

    assert find(sample, "huawei")
    assert find(xs.load_list(LISTS / "ofac_sdn"), "banco nacional de cuba") == {"306"}
    assert find(xs.load_list(LISTS / "cons_enhanced_sample.zip"), "rosselkhozbank") == {"17014"}


# ---------------------------------------------------------------- bad input


def test_strict_mode_names_file_row_and_column() -> None:
    with pytest.raises(InputError) as info:
        xs.load_list(LISTS / "bad" / "csl_bad_rows.csv")
    err = info.value
    assert err.file and err.file.endswith("csl_bad_rows.csv")
    assert (err.row, err.column) == (3, "name")


def test_lenient_mode_reports_every_rejected_row() -> None:
    lst = xs.load_list(LISTS / "bad" / "csl_bad_rows.csv", strict=False)
    assert [(r.line, r.column) for r in lst.rejected] == [(3, "name"), (4, "start_date"),
                                                          (5, None)]
    assert len(lst) == 2
    assert lst.provenance.records == 5 == len(lst) + len(lst.rejected)
    assert "21/04/2022" in lst.rejected[1].reason


def test_ofac_bad_rows_strict_and_lenient() -> None:
    with pytest.raises(InputError) as info:
        xs.load_list(LISTS / "bad" / "ofac_bad")
    assert (info.value.row, info.value.column) == (4, "ent_num")
    lst = xs.load_list(LISTS / "bad" / "ofac_bad", strict=False)
    entries = [r for r in lst.rejected if r.record_type == "entry"]
    aliases = [r for r in lst.rejected if r.record_type == "alias"]
    assert len(lst) + len(entries) == 7 == lst.provenance.records
    assert len(aliases) == 1 and "77777" in aliases[0].reason
    assert any("add.csv is not in" in n for n in lst.provenance.notices)


@pytest.mark.parametrize(
    ("name", "message"),
    [("not_a_list.csv", "missing required column"),
     ("corrupt_binary.csv", "not a readable gzip file"),
     ("unclosed_quote.csv", "malformed CSV"),
     ("truncated.xml", "malformed XML"),
     ("billion_laughs.xml", "refused unsafe XML"),
     ("other_root.xml", "not OFAC enhanced XML")],
)
def test_files_that_are_not_lists_fail_clearly(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        xs.load_list(LISTS / "bad" / name)
    assert info.value.file is not None and name in info.value.file


def test_gzipped_csl_loads_like_the_plain_file(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.csv.gz"
    path.write_bytes(gzip.compress((LISTS / "csl_sample.csv").read_bytes()))
    assert detect_format(path) == "csl-csv"
    lst = xs.load_list(path)
    assert lst.entries == xs.load_list(LISTS / "csl_sample.csv").entries
    assert lst.provenance.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_path_and_folder_without_lists(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        xs.load_list(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        xs.load_list(tmp_path)


def test_undecodable_bytes_are_reported_not_dropped(tmp_path: Path) -> None:
    text = (LISTS / "csl_sample.csv").read_bytes().split(b"\n")
    text[2] = text[2].replace(b"Huawei", b"Hua\xffwei", 1) if b"Huawei" in text[2] else \
        text[2][:60] + b"\xff" + text[2][60:]
    path = tmp_path / "bad_bytes.csv"
    path.write_bytes(b"\n".join(text))
    lst = xs.load_list(path, strict=False)
    assert len(lst.rejected) == 1 and "UTF-8" in lst.rejected[0].reason
    assert lst.rejected[0].line == 3


@pytest.mark.parametrize(
    ("relative", "expected"),
    [("csl_sample.csv", "csl-csv"), ("csl_sample.json", "csl-json"), ("ofac_sdn", "ofac-csv"),
     ("ofac_sdn/sdn.csv", "ofac-csv"), ("cons_enhanced_sample.zip", "ofac-xml"),
     ("cons_enhanced_sample.xml", "ofac-xml")],
)
def test_detect_format(relative: str, expected: str) -> None:
    assert detect_format(LISTS / relative) == expected


def _words(text: str) -> set[str]:
    import re

    return {w for w in re.findall(r"[^\W_]+", text.casefold())}


BOILERPLATE = {"a", "k", "f", "n", "aka", "fka", "and", "affiliated", "entity", "of"}


def test_cleaning_never_loses_words_of_a_published_name(snapshot: xs.ScreeningList) -> None:
    cleaned = [e for e in snapshot if e.published_name]
    assert len(cleaned) > 150
    for entry in cleaned:
        kept = _words(" ".join([entry.name, *entry.aliases, *entry.relations]))
        lost = _words(entry.published_name or "") - kept - BOILERPLATE
        assert not lost, (entry.published_name, lost)


@settings(max_examples=60)
@given(
    base=st.sampled_from(["Huawei Technologies Co., Ltd.", "Beijing Institute of Aerospace",
                          "Gazprom Promgaz, AO", "Asia-Invest LLC", "OOO ?Neftegaz?"]),
    acronym=st.from_regex(r"[A-Z]{2,6}", fullmatch=True),
    place=st.sampled_from(["Tsim Sha Tsui", "Guangdong", "Liebefeld"]),
    shape=st.integers(0, 4),
)
def test_clean_name_keeps_every_word(base: str, acronym: str, place: str, shape: int) -> None:
    published = [
        f"{base} ({acronym})",
        f"{base}, {place}",
        f"{base} and any successor, sub-unit, or subsidiary thereof",
        f"{base} (f.k.a. {place} Trading {acronym})",
        f"{acronym} Holding (a subordinate institute of {base})",
    ][shape]
    fixed, _ = repair_mojibake(published)
    cleaned = clean_name(fixed)
    kept = _words(" ".join([cleaned.name, *cleaned.aliases, *cleaned.relations]))
    assert not (_words(fixed) - kept - BOILERPLATE)
    assert cleaned.name.strip() and cleaned.name == cleaned.name.strip()


# ---------------------------------------------------------------- own lists


def test_own_list_loads_with_defaults_and_reports_unused_columns() -> None:
    lst = xs.load_list(LISTS / "own_list.csv")
    assert lst.provenance.format == "own-csv" and len(lst) == 4
    assert lst.provenance.notices == ("columns not used by exportscreen: internal_owner",)
    acme = lst.get("C-001")
    assert acme is not None and acme.source == "own" and acme.aliases == ("Acme Shadow", "ASTF")
    assert acme.countries == ("AE",) and str(acme.start_date) == "2024-03-01"
    petrov = lst.get("C-004")
    assert petrov is not None and petrov.countries == ("RU",)  # "Russia" -> RU
    assert "Иван Петров" in petrov.aliases
    assert lst.get("C-003").source == "entity_list"  # type: ignore[union-attr]


def test_own_list_bad_country_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("id,name,country\n1,Foo Ltd,Narnia\n2,Bar Ltd,CN\n", "utf-8")
    with pytest.raises(InputError) as info:
        xs.load_list(path)
    assert (info.value.row, info.value.column) == (2, "country")
    lenient = xs.load_list(path, strict=False)
    assert len(lenient) == 1 and lenient.rejected[0].column == "country"


def test_own_list_needs_an_id(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("name,country\nFoo Ltd,CN\n", "utf-8")
    with pytest.raises(InputError) as info:
        xs.load_list(path)
    assert (info.value.row, info.value.column) == (1, "id")
