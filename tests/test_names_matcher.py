"""NameMatcher, its batch paths and the ``exportscreen match`` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import exportscreen as xs
from exportscreen.cli import main
from exportscreen.lists.models import ListEntry
from exportscreen.names import (
    HIT_THRESHOLD,
    POSSIBLE_THRESHOLD,
    NameMatch,
    NameMatcher,
    analyze_name,
    identifies_someone,
)
from exportscreen.testing.names import VARIANT_KINDS, make_variant, name_variants

ENTRIES = [
    ListEntry(
        id="E1",
        source="entity_list",
        name="Huawei Technologies Co., Ltd.",
        aliases=("Huawei",),
        countries=("CN",),
    ),
    ListEntry(
        id="E2",
        source="entity_list",
        name="Guangzhou Haige Communications Group Incorporated Company",
        countries=("CN",),
    ),
    ListEntry(
        id="S1",
        source="sdn",
        name="PUTIN, Vladimir Vladimirovich",
        entity_type="Individual",
        countries=("RU",),
    ),
    ListEntry(id="S2", source="sdn", name="GAZPROMBANK JOINT STOCK COMPANY", countries=("RU",)),
    ListEntry(
        id="S3",
        source="sdn",
        name="Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)",
        countries=("KP",),
    ),
    ListEntry(id="S4", source="sdn", name="TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY"),
    ListEntry(id="S5", source="sdn", name="Bank of China (Hong Kong) Limited"),
]


@pytest.fixture(scope="module")
def matcher() -> NameMatcher:
    return NameMatcher(ENTRIES)


@pytest.fixture(scope="module")
def csl_matcher() -> NameMatcher:
    return NameMatcher(xs.load_list("default"))


def test_public_api() -> None:
    assert xs.NameMatcher is NameMatcher
    assert xs.HIT_THRESHOLD == HIT_THRESHOLD == 85.0
    assert xs.POSSIBLE_THRESHOLD == POSSIBLE_THRESHOLD == 70.0
    assert xs.normalize_name("Acme Co., Ltd.") == "acme co ltd"
    assert xs.compare_names("Acme Co., Ltd.", "ACME COMPANY LIMITED") == 100.0


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("HUAWEI TECHNOLOGIES COMPANY LIMITED", "E1"),
        ("Huawei Technolgies", "E1"),
        ("GUANGZHOU HAIGE COMM GRP", "E2"),
        ("Vladimir Putin", "S1"),
        ("Gazprom Bank", "S2"),
        ("FETCO Inc", "S3"),
        ("TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN", "S4"),
        ("JSC Tactical Missiles Corp.", "S4"),
    ],
)
def test_finds_variants(matcher: NameMatcher, query: str, entry_id: str) -> None:
    results = matcher.match(query)
    assert results, query
    assert results[0].entry_id == entry_id
    assert results[0].status in ("hit", "possible")


def test_unrelated_names_are_clear(matcher: NameMatcher) -> None:
    assert matcher.match("Apple Inc.") == []
    assert matcher.match("Oleg Ivanov") == []
    assert matcher.match("Bank of Chile") == []  # generic words only
    assert matcher.match("") == []


def test_match_fields_and_explanation(matcher: NameMatcher) -> None:
    (best, *_) = matcher.match("Huawei Technologies", country="CN")
    assert isinstance(best, NameMatch)
    assert best.entry_id == "E1" and best.source == "entity_list"
    assert best.status == "hit" and best.score >= 95.0
    assert "huawei" in best.explanation and "country CN agrees" in best.explanation
    assert best.matched_alias in ("Huawei Technologies Co., Ltd.", "Huawei")


def test_country_and_entity_type_adjust_scores(matcher: NameMatcher) -> None:
    base = matcher.match("Vladimir Putin", min_score=0)[0].score
    same = matcher.match("Vladimir Putin", country="RU", min_score=0)[0]
    other = matcher.match("Vladimir Putin", country="FR", min_score=0)[0]
    organisation = matcher.match("Vladimir Putin", entity_type="organization", min_score=0)[0]
    assert same.score >= base > other.score
    assert organisation.score < base
    assert "not the list's RU" in other.explanation


def test_limit_min_score_order_and_determinism(matcher: NameMatcher) -> None:
    results = matcher.match("Bank of China Hong Kong Huawei", limit=10, min_score=0)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    assert matcher.match("Bank of China Hong Kong Huawei", limit=10, min_score=0) == results
    assert len(matcher.match("Huawei", limit=1, min_score=0)) == 1


def test_thresholds_are_validated() -> None:
    with pytest.raises(ValueError):
        NameMatcher(ENTRIES, hit_threshold=60, possible_threshold=80)
    strict = NameMatcher(ENTRIES, hit_threshold=100, possible_threshold=99)
    assert strict.match("Huawei Technolgies") == []


def test_match_many_and_frame(matcher: NameMatcher) -> None:
    names = ["Huawei", "Apple Inc.", "Gazprom Bank"]
    batch = matcher.match_many(names)
    assert [r[0].entry_id if r else None for r in batch] == ["E1", None, "S2"]
    assert matcher.match_many(names, workers=2) == batch
    frame = pd.DataFrame({"name": names, "country": ["CN", "US", "RU"], "ref": [1, 2, 3]})
    out = matcher.match_frame(frame, country_column="country")
    assert list(out["ref"]) == [1, 2, 3]
    assert list(out["match_status"]) == ["hit", "clear", "hit"]
    assert list(out["matched_entry_id"]) == ["E1", "", "S2"]
    with pytest.raises(xs.InputError) as error:
        matcher.match_frame(pd.DataFrame({"name": ["Huawei", " "]}))
    assert error.value.column == "name" and error.value.row == 1
    with pytest.raises(xs.InputError):
        matcher.match_frame(frame, name_column="company")


def test_csl_snapshot_examples(csl_matcher: NameMatcher) -> None:
    assert csl_matcher.alias_count > 30_000
    top = csl_matcher.match("Almaz Antey Telecom", limit=3)
    assert top and "almaz" in top[0].name.casefold()
    assert csl_matcher.match("Rosneft Oil Co")[0].status == "hit"
    assert csl_matcher.match("Microsoft Corporation") == []


@pytest.mark.parametrize(("query", "listed"), [
    ("华为技术有限公司", "huawei technologies"),
    ("中国电子科技集团公司", "china electronics technology group"),
    ("北京航空航天大学", "beijing university of aeronautics and astronautics"),
    ("上海微电子装备有限公司", "shanghai micro electronics equipment"),
    ("Zhongguo Dianzi Keji Jituan Gongsi", "china electronics technology group"),
])
def test_names_in_han_characters_or_pinyin_find_the_english_entry(
    csl_matcher: NameMatcher, query: str, listed: str
) -> None:
    top = csl_matcher.match(query, limit=3)
    assert top and top[0].status == "hit", [m.name for m in top]
    assert listed in top[0].matched_alias.casefold() or listed in top[0].name.casefold()


@pytest.mark.parametrize("query", ["A", "12", "A. B.", "Co., Ltd.", "12 Ltd", "7 & 8"])
def test_a_name_that_identifies_no_one_matches_nothing(
    csl_matcher: NameMatcher, query: str
) -> None:
    # the CSL has "AHMED, A." and "12th Institute": an initial or a number alone is no name
    assert csl_matcher.match(query, min_score=0) == []
    assert not identifies_someone(analyze_name(query))
    assert identifies_someone(analyze_name("Group A"))


@pytest.mark.parametrize("listed", ["7-28", "MS-13", "B R C S.A.", "ELEVEN EIGHTY EIGHT LIMITED",
                                    "W & M Limited Partnership"])
def test_a_list_name_of_initials_or_numbers_still_finds_itself(
    csl_matcher: NameMatcher, listed: str
) -> None:
    # such names are compared only with list names written the same, and those are hits
    top = csl_matcher.match(listed, limit=3)
    assert top and top[0].status == "hit" and top[0].score == 100.0
    assert not identifies_someone(analyze_name(listed))


_CSL_SAMPLE = [
    "Huawei Technologies Co., Ltd.",
    "Beijing Institute of Technology",
    "CHINA ELECTRONICS TECHNOLOGY GROUP CORPORATION",
    "Tactical Missiles Corporation JSC",
    "Guangzhou Haige Communication Group Co., Ltd.,",
]


@pytest.mark.parametrize("listed", _CSL_SAMPLE)
def test_variants_of_listed_names_are_found(csl_matcher: NameMatcher, listed: str) -> None:
    # the same party can be on several lists (one entry each): any of them is right
    ids = {e.id for e in csl_matcher.entries if e.name.casefold() == listed.casefold()}
    assert ids, listed

    @settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        name_variants(
            listed, kinds=("legal", "abbreviate", "punctuation", "typo", "city"), max_changes=1
        )
    )
    def check(variant: str) -> None:
        results = csl_matcher.match(variant, limit=30)
        assert ids & {r.entry_id for r in results}, variant

    check()


def test_make_variant_is_reproducible() -> None:
    import random

    first = make_variant("Huawei Technologies Co., Ltd.", random.Random(7), VARIANT_KINDS, 2)
    second = make_variant("Huawei Technologies Co., Ltd.", random.Random(7), VARIANT_KINDS, 2)
    assert first == second and first[0] != ""
    with pytest.raises(ValueError):
        make_variant("x", random.Random(1), ["nonsense"])


# ---------------------------------------------------------------------------
# CLI


def test_cli_match_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "Huawei Technologies", "--country", "CN", "--limit", "2"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["query"] == "Huawei Technologies"
    assert payload["list"]["entries"] == 14160
    assert payload["thresholds"] == {"hit": 85.0, "possible": 70.0}
    assert 1 <= len(payload["matches"]) <= 2
    first = payload["matches"][0]
    assert {"entry_id", "name", "matched_alias", "score", "source", "explanation"} <= set(first)
    assert first["status"] == "hit"


def test_cli_match_table_and_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["match", "Zzyzx Quuxbar Holdings", "--format", "table"]) == 0
    assert "(no match)" in capsys.readouterr().out


def test_cli_match_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "names.csv"
    source.write_text("name,country\nHuawei Technologies,CN\nApple Inc.,US\n", encoding="utf-8")
    assert (
        main(["match", "--input", str(source), "--country-column", "country", "--format", "csv"])
        == 0
    )
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert list(out["match_status"]) == ["hit", "clear"]
    assert main(["match", "--input", str(source), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in payload["results"]] == [2, 3]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["match"], "NAME"),
        (["match", "Huawei", "--country", "China"], "alpha-2"),
        (["match", "--input", "missing.csv"], "file not found"),
        (["match", "Huawei", "--list", "no-such-list.csv"], "no-such-list.csv"),
    ],
)
def test_cli_match_bad_input(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert needle in capsys.readouterr().err


def test_cli_batch_bad_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "names.csv"
    source.write_text("name,country\nHuawei,CN\nAcme,China\n", encoding="utf-8")
    assert main(["match", "--input", str(source), "--country-column", "country"]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "'country'" in err


def test_screening_matches_in_one_pool_as_in_one_process() -> None:
    # screening hands a big batch to one pool of forked workers for the whole run
    # (issue 17); the results must be those of matching each name in this process
    import random

    from exportscreen.screening.matching import _POOL_MIN_QUERIES, _match_unique

    matcher = NameMatcher(ENTRIES)
    rng = random.Random(17)
    words = ["Huawei", "Technolgies", "ZTE", "Corp", "Dahua", "Global", "Trading", "Ltd"]
    queries = [
        (" ".join(rng.sample(words, rng.randint(1, 3))) + f" {k}", rng.choice([None, "CN"]))
        for k in range(_POOL_MIN_QUERIES + 300)
    ]
    pooled = _match_unique(matcher, queries, limit=3, progress=False, desc="")
    assert len(pooled) == len(set(queries))
    for name, country in sorted(set(queries))[::7]:
        assert pooled[(name, country)] == matcher.match(name, country=country, limit=3)
