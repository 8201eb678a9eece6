"""Lists of every jurisdiction: UN, EU, UK, OFAC classic XML, the 2025 CSL layout, the Dec 2025
OFAC non-SDN set and OpenSanctions/FtM data, read from the real files in ../shared/data
(SOURCES.md section 7) and from the repo's own FtM fixtures; several lists screened together.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.errors import InputError
from exportscreen.knowledge._files import read_shipped_json
from exportscreen.lists import combine_lists, detect_format
from exportscreen.lists.parsed import stream_records
from exportscreen.lists.uk import parse_ofsi_csv
from exportscreen.lists.un import parse_un_xml
from exportscreen.ownership.rules import get_rule, normalise_list_source

REPO = Path(__file__).resolve().parents[1]
LISTS = REPO / "fixtures" / "lists"
FTM_JSON = LISTS / "opensanctions_sample.ftm.json"
FTM_CSV = LISTS / "opensanctions_targets.simple.csv"

UN_FULL = "un_sc/consolidated_2026-02-27.xml"
SAMPLES = "format_samples"


@pytest.fixture(scope="module")
def un_list(shared_data: Path) -> xs.ScreeningList:
    return xs.load_list(shared_data / UN_FULL)


# ------------------------------------------------------------------ UN


def test_un_full_list_counts_and_date(un_list: xs.ScreeningList, shared_data: Path) -> None:
    prov = un_list.provenance
    assert prov.format == "un-xml"
    assert prov.snapshot_date == dt.date(2026, 2, 27)
    kinds = collections.Counter(e.entity_type for e in un_list)
    assert kinds == {"individual": 730, "entity": 273}
    # every record in the file is an entry or a rejected record
    raw = (shared_data / UN_FULL).read_text(encoding="utf-8")
    records = len(re.findall(r"<INDIVIDUAL>", raw)) + len(re.findall(r"<ENTITY>", raw))
    assert prov.records == records == 1003 and prov.rejected == 0
    assert len({e.id for e in un_list}) == 1003  # reference numbers are unique


def test_un_entry_fields(un_list: xs.ScreeningList) -> None:
    badege = un_list.get("CDi.001")
    assert badege is not None and badege.name == "ERIC BADEGE"
    assert badege.source == "un" and badege.programs == ("DRC",)
    assert badege.start_date == dt.date(2012, 12, 31)
    assert set(badege.countries) == {"CD", "RW"}  # nationality and address
    assert "UN DATAID 6907993" in badege.identifiers
    adf = un_list.get("CDe.001")
    assert adf is not None and adf.entity_type == "entity" and adf.name == "ADF"
    assert {"Allied Democratic Forces", "ADF/NALU", "NALU"} <= set(adf.aliases)
    assert any("North Kivu" in a for a in adf.addresses)
    # documents, with the issuing country
    owner = [e for e in un_list if any("OB 0243318" in i for i in e.identifiers)]
    assert [e.id for e in owner] == ["CDi.021"]
    assert "Passport OB 0243318 (Democratic Republic of the Congo)" in owner[0].identifiers


def test_un_alias_quality_and_original_script(un_list: xs.ScreeningList) -> None:
    kakolele = un_list.get("CDi.002")
    assert kakolele is not None and "FRANK KAKORERE" in kakolele.aliases
    low = [e for e in un_list if any("UN QUALITY 'Low'" in n for n in e.notes)]
    assert len(low) > 100  # the list marks 615 aliases Low
    for entry in low[:20]:  # a low-quality alias is still screened, and said to be low
        for note in entry.notes:
            assert note.split(": ", 1)[1] in entry.aliases
    saddam = [e for e in un_list if "صدام حسين التكريتي" in e.aliases]
    assert len(saddam) == 1 and saddam[0].source == "un"


def test_un_bad_record_strict_and_lenient(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_text(
        '<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z">'
        "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>GOOD</FIRST_NAME>"
        "<SECOND_NAME>PERSON</SECOND_NAME><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>"
        "<LISTED_ON>2020-01-01</LISTED_ON></INDIVIDUAL>"
        "<INDIVIDUAL><DATAID>2</DATAID><REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER>"
        "</INDIVIDUAL>"
        "<INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>BAD DATE</FIRST_NAME>"
        "<REFERENCE_NUMBER>XXi.003</REFERENCE_NUMBER><LISTED_ON>31/12/2020</LISTED_ON>"
        "</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        xs.load_list(path)
    assert str(path) in str(info.value) and "individual 2" in str(info.value)
    assert info.value.row == 2 and info.value.column == "FIRST_NAME"
    lst = xs.load_list(path, strict=False)
    assert [e.id for e in lst] == ["XXi.001"]
    assert [(r.file, r.line, r.column) for r in lst.rejected] == [
        (str(path), 2, "FIRST_NAME"), (str(path), 3, "LISTED_ON")]
    assert lst.provenance.records == 3 and lst.provenance.snapshot_date == dt.date(2026, 1, 2)


def test_streaming_drops_each_record_after_use(tmp_path: Path) -> None:
    """Memory stays bounded: the tree never holds more than the record being read."""
    path = tmp_path / "big.xml"
    body = "".join(f"<INDIVIDUAL><DATAID>{i}</DATAID><FIRST_NAME>N{i}</FIRST_NAME></INDIVIDUAL>"
                   for i in range(2000))
    path.write_text(f"<CONSOLIDATED_LIST><INDIVIDUALS>{body}</INDIVIDUALS>"
                    "</CONSOLIDATED_LIST>", encoding="utf-8")
    parents: list[object] = []
    seen = 0
    for number, elem in stream_records(path, roots=frozenset({"CONSOLIDATED_LIST"}),
                                       records=frozenset({"INDIVIDUAL"}), format_name="UN"):
        seen = number
        assert elem.find("DATAID").text == str(number - 1)
        parents.append(elem)
    assert seen == 2000
    # every record was cleared after use: nothing of the file is left in the elements
    assert all(len(e) == 0 for e in parents)  # type: ignore[arg-type]


def test_unsafe_and_foreign_xml_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                    '<!ENTITY b "&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>',
                    encoding="utf-8")
    with pytest.raises(InputError, match="refused unsafe XML"):
        xs.load_list(bomb)
    with pytest.raises(InputError, match="not an EU Financial Sanctions Files XML"):
        xs.load_list(LISTS / "cons_enhanced_sample.xml", format="eu-xml")


# ------------------------------------------------------------------ EU, UK, OFAC classic


def test_eu_fsf_sample(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / SAMPLES / "sample_eu.xml")
    assert lst.provenance.format == "eu-xml"
    assert lst.provenance.snapshot_date == dt.date(2020, 4, 15)
    assert len(lst) == 7 and {e.source for e in lst} == {"eu"}
    entry = lst.get("5295")
    assert entry is not None and entry.name == "Abid Hammadou"
    assert {"Abdelhamid Abou Zeid", "Youcef Adel", "Abou Abdellah"} <= set(entry.aliases)
    assert entry.countries == ("DZ",) and entry.programs == ("TAQA",)
    assert entry.entity_type == "individual" and entry.start_date == dt.date(2008, 7, 3)
    assert "EU reference EU.2026.82" in entry.identifiers
    documents = [i for e in lst for i in e.identifiers if i.startswith("National passport")]
    assert "National passport L191609 (TN)" in documents


def test_uk_ofsi_sample_groups_rows_by_group_id(shared_data: Path) -> None:
    path = shared_data / SAMPLES / "sample_hmt.csv"
    lst = xs.load_list(path)
    assert lst.provenance.format == "uk-csv"
    assert lst.provenance.snapshot_date == dt.date(2020, 4, 27)  # the "Last Updated" line
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))[2:]
    group_ids = list(dict.fromkeys(r[-1] for r in rows))
    assert [e.id for e in lst] == group_ids and len(rows) == 23 and len(lst) == 6
    so = lst.get("11039")
    assert so is not None and so.name == "Sang-kuk SO"  # the Prime Alias row
    assert so.aliases == ("Sang Kuk SO",)
    hojati = lst.get("9053")
    assert hojati is not None and "محسن حجتی" in hojati.aliases
    assert "UN reference IRi.018" in hojati.identifiers
    assert hojati.programs == ("Iran (nuclear proliferation)",)
    assert lst.get("9215") is not None and lst.get("9215").countries == ("PK",)  # type: ignore[union-attr]


def test_uk_bad_row_names_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    header = ("Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Group Type,Alias Type,Alias Quality,"
              "Regime,Listed On,Group ID")
    path.write_text("Last Updated,01/02/2026\n" + header + "\n"
                    "ACME,,,,,,Entity,Prime Alias,,Russia,01/01/2023,100\n"
                    ",,,,,,Entity,AKA,,Russia,01/01/2023,100\n"
                    "BETA,,,,,,Entity,Prime Alias,,Russia,2023-01-01,101\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        xs.load_list(path)
    assert info.value.row == 4 and info.value.column == "Name 6"
    lst = xs.load_list(path, strict=False)
    assert [e.id for e in lst] == ["100"]
    assert [(r.line, r.column) for r in lst.rejected] == [(4, "Name 6"), (5, "Listed On")]


def test_ofac_classic_xml_sample(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / SAMPLES / "sample_ofac_consolidated.xml")
    assert lst.provenance.format == "ofac-sdn-xml"
    assert lst.provenance.snapshot_date == dt.date(2020, 4, 22)
    assert len(lst) == 8 and {e.source for e in lst} == {"sdn"}
    assert any("does not say which list" in n for n in lst.provenance.notices)
    saeed = lst.get("10689")
    assert saeed is not None and saeed.name == "SAEED, Muhammad"
    assert saeed.entity_type == "individual" and saeed.programs == ("SDGT",)
    assert "SAEED, Hafiz Muhammad" in saeed.aliases and "HAFIZ SAHIB" in saeed.aliases
    assert "weak alias (OFAC category 'weak'): HAFIZ SAHIB" in saeed.notes
    assert saeed.countries == ("PK",)
    assert "Passport BE5978421 (Pakistan)" in saeed.identifiers
    entity = [e for e in lst if e.name == "TROLL PROPERTIES, INC."]
    assert len(entity) == 1 and entity[0].entity_type == "entity"


def test_ofac_classic_consolidated_file_name(shared_data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "consolidated.xml"
    copy.write_bytes((shared_data / SAMPLES / "sample_ofac_consolidated.xml").read_bytes())
    lst = xs.load_list(copy)
    assert {e.source for e in lst} == {"ofac_cons"}


def test_csl_2025_layout(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / SAMPLES / "us_csl_2025_format_consolidated.csv")
    assert lst.provenance.format == "csl-csv" and len(lst) == 13
    assert collections.Counter(e.source for e in lst) == {
        "ssi": 3, "plc": 2, "isn": 1, "uvl": 1, "meu": 1, "sdn": 1, "itar_debarred": 1,
        "dpl": 1, "fse": 1, "entity_list": 1}
    sinobright = [e for e in lst if e.name.startswith("Sinobright")]
    assert sinobright[0].name == "Sinobright Import and Export Company"  # no trailing ';'


def test_ofac_nonsdn_dec_2025_set(shared_data: Path) -> None:
    lst = xs.load_list(shared_data / "ofac_nonsdn_2025-12")
    assert lst.provenance.format == "ofac-csv" and len(lst) == 442 and not lst.rejected
    programs = collections.Counter(p for e in lst for p in e.programs)
    assert programs["CMIC-EO13959"] == 68 and programs["NS-PLC"] >= 76


@pytest.mark.parametrize(("relative", "expected"), [
    (UN_FULL, "un-xml"),
    (f"{SAMPLES}/sample_unsc.xml", "un-xml"),
    (f"{SAMPLES}/sample_eu.xml", "eu-xml"),
    (f"{SAMPLES}/sample_hmt.csv", "uk-csv"),
    (f"{SAMPLES}/sample_ofac_consolidated.xml", "ofac-sdn-xml"),
    (f"{SAMPLES}/us_csl_2025_format_consolidated.csv", "csl-csv"),
    ("ofac_nonsdn_2025-12", "ofac-csv"),
    ("ofac_nonsdn_2025/CONS_ENHANCED.ZIP", "ofac-xml"),
])
def test_formats_are_recognised_by_content(shared_data: Path, tmp_path: Path, relative: str,
                                           expected: str) -> None:
    source = shared_data / relative
    assert detect_format(source) == expected
    if source.is_file():  # not by the file name: a neutral name gives the same format
        renamed = tmp_path / "list.dat"
        renamed.write_bytes(source.read_bytes())
        assert detect_format(renamed) == expected


# ------------------------------------------------------------------ OpenSanctions / FtM


def test_ftm_json_lines_one_entry_per_dataset() -> None:
    lst = xs.load_list(FTM_JSON)
    assert lst.provenance.format == "ftm-json"
    east = lst.get_all("NK-fict-eastprec")
    assert sorted(e.source for e in east) == ["eu", "un"]  # eu_fsf, un_sc_sanctions
    assert east[0].name == "东方精密仪器有限公司"
    assert "Eastern Precision Instruments Co., Ltd." in east[0].aliases
    assert "weak alias (FtM weakAlias): EPI" in east[0].notes
    north = lst.get("NK-fict-northstar")
    assert north is not None and north.source == "cn_fictional_mofcom_list"
    assert "北极星航空电子研究所" in north.aliases  # previousName
    person = lst.get("NK-fict-ivanov")
    assert person is not None and person.entity_type == "individual" and person.source == "uk"
    # non-party entities are counted, not dropped silently
    assert sorted(lst.provenance.notices) == [
        "1 Address entity not screened: the schema is not a party (Person, Company, "
        "Organization, ...)",
        "1 Sanction entity not screened: the schema is not a party (Person, Company, "
        "Organization, ...)"]


def test_ftm_targets_simple_csv() -> None:
    lst = xs.load_list(FTM_CSV)
    assert lst.provenance.format == "ftm-csv"
    assert sorted((e.id, e.source) for e in lst) == [
        ("NK-fict-eastprec", "eu"), ("NK-fict-eastprec", "un"), ("NK-fict-ivanov", "uk"),
        ("NK-fict-vessel", "sdn")]
    vessel = lst.get("NK-fict-vessel")
    assert vessel is not None and vessel.entity_type == "vessel" and vessel.countries == ("PA",)


@pytest.mark.parametrize("path", [FTM_JSON, FTM_CSV])
@pytest.mark.parametrize("query", ["Eastern Precision Instruments",
                                   "Dongfang Jingmi Yiqi Youxian Gongsi",
                                   "Dongfang Jingmi Yiqi Co., Ltd.", "东方精密仪器"])
def test_han_names_match_english_and_pinyin(path: Path, query: str) -> None:
    matcher = xs.NameMatcher(xs.load_list(path))
    matches = matcher.match(query, limit=5)
    hits = {(m.source, m.entry_id) for m in matches if m.status == "hit"}
    assert hits == {("eu", "NK-fict-eastprec"), ("un", "NK-fict-eastprec")}


def test_ftm_bad_line_strict_and_lenient(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    good = {"id": "a", "schema": "Company", "properties": {"name": ["Alpha Ltd"]},
            "datasets": ["eu_fsf"]}
    path.write_text(json.dumps(good) + "\n{not json\n"
                    + json.dumps({"id": "", "schema": "Company", "properties": {}}) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        xs.load_list(path)
    assert info.value.row == 2 and str(path) in str(info.value)
    lst = xs.load_list(path, strict=False)
    assert [e.id for e in lst] == ["a"]
    assert [(r.line, r.column) for r in lst.rejected] == [(2, None), (3, "id")]


# ------------------------------------------------------------------ several lists at once


def test_several_lists_form_one_index(shared_data: Path) -> None:
    files = [shared_data / UN_FULL, shared_data / SAMPLES / "sample_eu.xml",
             shared_data / SAMPLES / "sample_hmt.csv"]
    both = xs.load_list(files)
    prov = both.provenance
    assert prov.format == "combined" and [p.format for p in prov.lists] == [
        "un-xml", "eu-xml", "uk-csv"]
    assert prov.entries == len(both) == 1003 + 7 + 6
    assert prov.snapshot_date == dt.date(2020, 4, 15)  # the oldest list's date
    matches = xs.NameMatcher(both).match("Mohsen Hojati", limit=5)
    assert {(m.source, m.entry_id) for m in matches if m.status == "hit"} == {
        ("uk", "9053"), ("un", "IRi.018")}


def test_same_file_twice_is_counted_once(shared_data: Path) -> None:
    one = xs.load_list(shared_data / SAMPLES / "sample_eu.xml")
    twice = combine_lists([one, one])
    assert len(twice) == 7
    assert any("counted once" in n for n in twice.provenance.notices)


@pytest.mark.parametrize(("relative", "name", "entry_id"), [
    (UN_FULL, "Allied Democratic Forces", "CDe.001"),
    (f"{SAMPLES}/sample_eu.xml", "Abdelhamid Abou Zeid", "5295"),
    (f"{SAMPLES}/sample_hmt.csv", "Mohsen Hojati", "9053"),
    (f"{SAMPLES}/sample_ofac_consolidated.xml", "Hafiz Muhammad Saeed", "10689"),
    (f"{SAMPLES}/us_csl_2025_format_consolidated.csv", "Atlas Sanatgaran",
     "1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"),
])
def test_cli_match_finds_entries_in_each_real_file(
    shared_data: Path, capsys: pytest.CaptureFixture[str], relative: str, name: str,
    entry_id: str,
) -> None:
    path = shared_data / relative
    assert main(["match", name, "--list", str(path), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["matches"][0]["entry_id"] == entry_id
    assert f"as {detect_format(path)}" in err  # says which format it read


def test_cli_screen_names_both_lists(shared_data: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("name,country\nMohsen Hojati,IR\nBlue Meadow Bakery,US\n",
                         encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(["screen", str(suppliers), "--list", str(shared_data / UN_FULL),
                 "--list", str(shared_data / SAMPLES / "sample_hmt.csv"), "--out", str(out)])
    assert code == 0
    err = capsys.readouterr().err
    assert "as un-xml" in err and "as uk-csv" in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["screen_status"] for r in rows] == ["hit", "clear"]
    named = {(rows[0]["matched_list"], rows[0]["matched_entry_id"])}
    other = ({("un", "IRi.018")} if ("uk", "9053") in named else {("uk", "9053")})
    assert named | other == {("uk", "9053"), ("un", "IRi.018")}
    source, entry = other.pop()
    assert f"also {source} entry {entry}" in rows[0]["reason"]


# ------------------------------------------------------------------ seeding data


def test_list_source_seeding_table_agrees_with_the_presets() -> None:
    data = read_shipped_json("ownership", "list_sources.json")
    for code, info in data["list_sources"].items():
        for rule_id in ("us-ofac", "us-bis-affiliates", "eu", "eu-pre2024", "uk"):
            seeded = code in get_rule(rule_id).seeds
            assert seeded == (rule_id in info["seeds"]), (code, rule_id)
        assert info["evidence"] in {"official", "official_copy", "secondary", "unverified"}
        for source in info["sources"]:
            assert source["url"].startswith("http") and source["title"] and source["text"]
    # every OpenSanctions dataset maps to a known code, and list names normalise to them
    for code in data["opensanctions_datasets"].values():
        assert code in data["list_sources"]
    assert normalise_list_source("UN Security Council Consolidated List") == "un"
    assert normalise_list_source("eu_fsf") == "eu"


# ------------------------------------------------------------------ properties

_NAME = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ -'", min_size=1, max_size=20).filter(
    lambda s: s.strip() != "" and s == " ".join(s.split()))


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 6), _NAME, st.sampled_from(["Prime Alias", "AKA"])),
                min_size=1, max_size=25))
def test_ofsi_rows_group_into_one_entry_per_group_id(rows: list[tuple[int, str, str]]) -> None:
    """Whatever the rows, entries = distinct Group IDs in first-seen order, and every row's
    name is the entry's name or one of its aliases."""
    import tempfile

    text = "Name 6,Group Type,Alias Type,Group ID\n" + "".join(
        f"{name},Entity,{alias_type},{gid}\n" for gid, name, alias_type in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ConList.csv"
        path.write_text(text, encoding="utf-8")
        parsed = parse_ofsi_csv(path)
    ids = list(dict.fromkeys(str(gid) for gid, _, _ in rows))
    assert [e.id for e in parsed.entries] == ids
    by_id = {e.id: e for e in parsed.entries}
    for gid, name, _ in rows:
        entry = by_id[str(gid)]
        assert name == entry.name or name in entry.aliases
    for entry in parsed.entries:
        primes = [n for g, n, t in rows if str(g) == entry.id and t == "Prime Alias"]
        assert entry.name == (primes[0] if primes else
                              next(n for g, n, _ in rows if str(g) == entry.id))


@settings(max_examples=30)
@given(st.lists(st.tuples(_NAME, st.lists(_NAME, max_size=3)), min_size=1, max_size=15))
def test_un_xml_round_trip(records: list[tuple[str, list[str]]]) -> None:
    """Names and aliases written in the UN layout come back as written, one entry each."""
    import tempfile
    from xml.sax.saxutils import escape

    body = "".join(
        f"<ENTITY><DATAID>{i}</DATAID><FIRST_NAME>{escape(name)}</FIRST_NAME>"
        f"<REFERENCE_NUMBER>XXe.{i:03d}</REFERENCE_NUMBER>"
        + "".join(f"<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>{escape(a)}"
                  "</ALIAS_NAME></ENTITY_ALIAS>" for a in aliases)
        + "</ENTITY>" for i, (name, aliases) in enumerate(records))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "un.xml"
        path.write_text(f"<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES>{body}</ENTITIES>"
                        "</CONSOLIDATED_LIST>", encoding="utf-8")
        parsed = parse_un_xml(path)
    assert [e.id for e in parsed.entries] == [f"XXe.{i:03d}" for i in range(len(records))]
    for entry, (name, aliases) in zip(parsed.entries, records, strict=True):
        assert entry.name == name
        assert entry.aliases == tuple(dict.fromkeys(a for a in aliases if a != name))


def test_eu_and_ofac_classic_bad_records(tmp_path: Path) -> None:
    eu = tmp_path / "eu.xml"
    eu.write_text(
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-05">'
        '<sanctionEntity logicalId="1" designationDate="2020-01-01">'
        '<subjectType code="enterprise"/><nameAlias wholeName="Good Co" strong="true"/>'
        '</sanctionEntity><sanctionEntity logicalId="2"><subjectType code="person"/>'
        '</sanctionEntity><sanctionEntity><nameAlias wholeName="No Id"/></sanctionEntity>'
        "</export>", encoding="utf-8")
    lst = xs.load_list(eu, strict=False)
    assert [(e.id, e.entity_type) for e in lst] == [("1", "entity")]
    assert [(r.line, r.column) for r in lst.rejected] == [(2, "nameAlias"), (3, "logicalId")]
    assert lst.provenance.snapshot_date == dt.date(2026, 1, 5)
    sdn = tmp_path / "sdn.xml"
    sdn.write_text(
        '<sdnList xmlns="http://tempuri.org/sdnList.xsd"><publshInformation>'
        "<Publish_Date>01/31/2026</Publish_Date></publshInformation>"
        "<sdnEntry><uid>1</uid><lastName>GOOD CO</lastName><sdnType>Entity</sdnType></sdnEntry>"
        "<sdnEntry><uid>x</uid><lastName>BAD UID</lastName></sdnEntry></sdnList>",
        encoding="utf-8")
    with pytest.raises(InputError) as info:
        xs.load_list(sdn)
    assert info.value.row == 2 and info.value.column == "uid" and str(sdn) in str(info.value)
    lenient = xs.load_list(sdn, strict=False)
    assert [e.name for e in lenient] == ["GOOD CO"] and len(lenient.rejected) == 1
    assert lenient.provenance.snapshot_date == dt.date(2026, 1, 31)


def test_api_screens_against_a_list_of_lists(shared_data: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame({"name": ["Abdelhamid Abou Zeid", "Blue Meadow Bakery"]})
    out = xs.screen_suppliers(frame, list=[shared_data / UN_FULL,
                                           shared_data / SAMPLES / "sample_eu.xml"])
    assert list(out["screen_status"]) == ["hit", "clear"]
    assert {out.loc[0, "matched_list"], out.loc[0, "matched_entry_id"]} & {"eu", "un"}
    assert "also" in str(out.loc[0, "reason"])


def test_cli_match_input_with_several_lists(shared_data: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.csv"
    names.write_text("name\nEastern Precision Instruments\nAllied Democratic Forces\n",
                     encoding="utf-8")
    code = main(["match", "--input", str(names), "--list", str(FTM_JSON),
                 "--list", str(shared_data / UN_FULL), "--format", "csv"])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["matched_entry_id"] for r in rows] == ["NK-fict-eastprec", "CDe.001"]
