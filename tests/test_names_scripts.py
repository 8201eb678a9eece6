"""Names in other scripts (names/scripts) and the number rule (names/numbering.py).

Real names from ../shared/data (watchman's cross-script pairs, the nomenklatura name
benchmark, the UN consolidated list's bilingual entries) and names written from the
companies' own bilingual names."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportscreen.lists.models import ListEntry
from exportscreen.names import NameMatcher, analyze_name, compare_names
from exportscreen.names.normalize import analyze_readings
from exportscreen.names.scripts import alternate_texts, script_of
from exportscreen.names.scripts.greek import read_greek
from exportscreen.names.scripts.korean import hangul_conflicts, korean_key, read_hangul
from exportscreen.names.scripts.thai import read_thai

POSSIBLE = 70.0


def _watchman_pairs(shared_data: object) -> list[tuple[str, str]]:
    path = shared_data / "name_matching" / "watchman_cross_script_pairs.csv"  # type: ignore[operator]
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(row[0], row[1]) for row in csv.reader(rows)]


def test_watchman_cross_script_pairs_reach_possible(shared_data: object) -> None:
    pairs = _watchman_pairs(shared_data)
    assert len(pairs) == 22
    missed = [(a, b) for a, b in pairs if compare_names(a, b) < POSSIBLE]
    assert len(missed) <= 2, missed


# -- Korean ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hangul", "reading"),
    [
        ("박지성", "park ji seong"),  # surname as lists write it, given syllables RR
        ("이민호", "lee min ho"),
        ("김정은", "kim jeong eun"),
        ("삼성전자 주식회사", "samseong electronic co ltd"),
        ("현대중공업", "hyeondae heavy industry"),
    ],
)
def test_hangul_reading(hangul: str, reading: str) -> None:
    assert analyze_name(hangul).normalized == reading
    assert analyze_name(hangul).script == "korean"
    assert "read from Hangul" in analyze_name(hangul).reading


def test_revised_romanization_letters() -> None:
    # RR letters at the start and at the end of a syllable (대 dae, 국 guk)
    assert read_hangul("대한민국").strip() == "daehanminguk"
    assert read_hangul("서울특별시").strip() == "seoulteukbyeolsi"  # 서 is a surname: 5 syllables


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("Kim Jong Un", "김정은"),  # UN list spelling (MR-based)
        ("Park Ji-sung", "박지성"),
        ("Park Jisung", "박지성"),
        ("Pak Ji Song", "박지성"),
        ("Yi Min-ho", "이민호"),
        ("Samsung Electronics Co., Ltd.", "삼성전자 주식회사"),
    ],
)
def test_hangul_meets_list_spellings(latin: str, hangul: str) -> None:
    assert compare_names(latin, hangul) >= POSSIBLE


def test_korean_key_folds_romanisations() -> None:
    assert korean_key("jeong") == korean_key("jung") == korean_key("jong")
    assert korean_key("rhee") == korean_key("yi") == korean_key("lee")
    assert korean_key("seong") == korean_key("sung")


def test_hangul_names_differing_in_a_syllable_are_different() -> None:
    # nomenklatura name_bench, labelled different people
    assert hangul_conflicts("김종은", "김정은") == 1
    assert compare_names("김종은", "김정은", kind="person") < POSSIBLE
    assert compare_names("이재형", "이재명", kind="person") < POSSIBLE
    assert compare_names("김정은", "김정은") == 100.0


def test_hanja_read_the_korean_way_by_country() -> None:
    # 金正恩: Mandarin "jin zheng en"; Korean 김정은 (金 has the name reading 김)
    assert [s for _, s in alternate_texts("金正恩", ["KP"])] == ["korean"]
    assert [s for _, s in alternate_texts("金正恩", ["CN"])] == []
    assert {s for _, s in alternate_texts("金正恩")} == {"korean", "japanese"}
    readings = [a.normalized for a in analyze_readings("金正恩", ["KP"])]
    assert readings == ["kim jeong eun"]
    assert [a.normalized for a in analyze_readings("金正恩", ["CN"])] == ["jin zheng en"]
    assert compare_names("金正恩", "Kim Jong Un") >= POSSIBLE


def test_matcher_reads_han_list_names_the_korean_way() -> None:
    matcher = NameMatcher([ListEntry(id="1", source="un", name="金正恩", countries=("KP",),
                                     entity_type="individual")])
    found = matcher.match("Kim Jong Un")
    assert found and found[0].entry_id == "1"
    assert "the list name read from Han characters, the korean way" in found[0].explanation
    hangul = matcher.match("김정은")
    assert hangul and hangul[0].entry_id == "1"


# -- Japanese ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("トヨタ自動車株式会社", "toyota motor kk"),
        ("三菱重工業株式会社", "mitsubishi heavy industry kk"),
        ("伊藤忠商事", "ito chu trading"),
    ],
)
def test_japanese_reading_with_company_words(text: str, reading: str) -> None:
    # with kana the text is Japanese; kanji only, the Japanese reading is an alternative
    readings = {a.normalized.replace("itochu", "ito chu") for a in analyze_readings(text)}
    assert reading in readings


def test_japanese_person_names_in_kanji_only() -> None:
    # Kanji only: the Japanese reading is an alternative to Mandarin
    assert {a.normalized for a in analyze_readings("山田太郎")} >= {"yamada taro"}
    assert [a.normalized for a in analyze_readings("山田太郎", ["JP"])] == ["yamada taro"]
    assert compare_names("山田太郎", "Yamada Taro") >= POSSIBLE
    assert compare_names("田中花子", "Tanaka Hanako") >= POSSIBLE
    assert compare_names("Toyota Motor Corporation", "トヨタ自動車株式会社") >= POSSIBLE


# -- Han trade glosses -------------------------------------------------------


@pytest.mark.parametrize(
    ("han", "english"),
    [
        # UN consolidated list KPe.073 and KPe.059 (Han alias of the English name)
        ("沈忠國際海運有限公司", "SHEN ZHONG INTERNATIONAL SHIPPING"),
        ("華信船務(香港)有限公司", "HUAXIN SHIPPING HONGKONG LTD"),
        ("上海远洋航运有限公司", "Shanghai Ocean Shipping Co., Ltd."),
        ("宁波稀土新材料有限公司", "Ningbo Rare Earth New Materials Co., Ltd."),
        ("精密機械股份有限公司", "Precision Machinery Co., Ltd."),
    ],
)
def test_han_trade_glosses(han: str, english: str) -> None:
    assert compare_names(han, english) >= POSSIBLE


def test_trade_glossary_lines_name_a_source() -> None:
    from importlib import resources

    text = resources.files("exportscreen.names").joinpath("data/han_trade_glossary.txt")
    lines = text.read_text("utf-8").splitlines()
    entries = 0
    for position, line in enumerate(lines):
        if line and not line.startswith("#"):
            entries += 1
            above = position - 1
            while lines[above] and not lines[above].startswith("#"):
                above -= 1  # entries sharing one source line
            assert lines[above].startswith("# "), line
    assert entries >= 30


# -- Thai, Greek, Arabic -----------------------------------------------------


@pytest.mark.parametrize(
    ("thai", "rtgs"),
    [("สมชาย", "somchai"), ("สบาย", "sabai"), ("ไทย", "thai"), ("สมศักดิ์", "somsak"),
     ("บุญมี", "bunmi")],
)
def test_thai_rtgs(thai: str, rtgs: str) -> None:
    assert read_thai(thai) == rtgs


@pytest.mark.parametrize(
    ("greek", "elot"),
    [("Αλέξανδρος", "alexandros"), ("Κυριάκος Μητσοτάκης", "kyriakos mitsotakis"),
     ("Ευάγγελος", "evangelos"), ("Μπακογιάννη", "bakogianni"), ("Παύλος", "pavlos")],
)
def test_greek_elot_743(greek: str, elot: str) -> None:
    assert read_greek(greek) == elot


def test_greek_given_names_meet_english_forms() -> None:
    assert compare_names("Αλέξανδρος", "Alexander") >= POSSIBLE
    assert compare_names("Γεώργιος Παπανδρέου", "George Papandreou", kind="person") >= 85


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("عبد الله", "Abdullah"), ("عبدالله", "Abdullah"), ("عبد العزيز", "Abdulaziz"),
     ("عبد العزيز", "Abdelaziz")],
)
def test_arabic_abd_joined(arabic: str, latin: str) -> None:
    assert compare_names(arabic, latin) >= POSSIBLE


def test_script_of() -> None:
    assert script_of("Huawei") == ""
    assert script_of("华为") == "han"
    assert script_of("トヨタ") == "japanese"
    assert script_of("삼성") == "korean"


# -- numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Alpha Investment No. 3 Ltd", "Alpha Investment No. 8 Ltd"),
        ("Sino Iron I", "Sino Iron II"),
        ("第八星風丸", "第十八星風丸"),
        ("Blackstone Fund VII L.P.", "Blackstone Fund VIII L.P."),
        # Entity List's numbered CETC institutes
        ("China Electronics Technology Group Corporation 14th Research Institute",
         "China Electronics Technology Group Corporation 38th Research Institute"),
    ],
)
def test_different_numbers_are_no_match(a: str, b: str) -> None:
    assert compare_names(a, b) < POSSIBLE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Alpha Fund No. 3", "Alpha Fund #3"),
        ("Alpha Fund No. 3", "Alpha Fund III"),
        ("Alpha Fund Nr 3", "Alpha Fund 3"),
        ("第三基金", "Fund III"),
        ("中国电子科技集团公司第十四研究所",
         "China Electronics Technology Group Corporation 14th Research Institute"),
    ],
)
def test_same_number_written_differently_matches(a: str, b: str) -> None:
    assert compare_names(a, b) >= 85


_WORDS = st.sampled_from(["Orion", "Delta", "Harbor", "Summit", "Pacific", "Granite"])


@settings(max_examples=60, deadline=None)
@given(_WORDS, _WORDS, st.integers(1, 39), st.integers(1, 39))
def test_number_rule_property(first: str, second: str, m: int, n: int) -> None:
    name = f"{first} {second} Fund"
    score = compare_names(f"{name} {m}", f"{name} No. {n}")
    if m == n:
        assert score >= 85
    else:
        assert score < POSSIBLE


def test_japanese_without_the_optional_pykakasi(monkeypatch: pytest.MonkeyPatch) -> None:
    """pykakasi is GPL, so it is an optional extra: without it kana still read as Hepburn
    (anyascii) and company words still gloss; kanji are left to the Han reading."""
    from exportscreen.names.scripts import japanese

    monkeypatch.setattr(japanese, "_kakasi", lambda: None)
    assert not japanese.has_kakasi()
    glossary = {"株式会社": "kk"}
    assert japanese.read_japanese("やまだ株式会社", glossary, 4).split() == ["yamada", "kk"]
