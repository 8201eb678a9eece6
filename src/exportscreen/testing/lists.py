"""Hypothesis strategies for screening lists: :func:`list_entries` and :func:`screening_lists`.

Hypothesis is an optional dependency (``pip install exportscreen[testing]``).

Example test in a downstream project::

    from hypothesis import given
    from exportscreen.testing.lists import screening_lists

    @given(screening_lists(max_size=20))
    def test_my_screening_never_crashes(lst):
        for entry in lst:
            assert my_screen(entry.name) is not None
"""

from __future__ import annotations

import datetime as _dt
import hashlib

from hypothesis import strategies as st

from ..lists.models import ListEntry, ListProvenance, ScreeningList

__all__ = ["SOURCES", "list_entries", "screening_lists"]

SOURCES: tuple[str, ...] = (
    "entity_list", "meu", "sdn", "dpl", "uvl", "isn", "itar_debarred", "ssi", "plc", "cmic",
    "capta", "ns_mbs", "fse",
)
_COUNTRIES = ("CN", "RU", "IR", "KP", "SY", "BY", "HK", "AE", "TR", "US", "DE", "IN", "PK")
_WORDS = (
    "Huawei", "Technologies", "Beijing", "Shenzhen", "Aerospace", "Research", "Institute",
    "Electronics", "Trading", "Group", "Moscow", "Rosoboronexport", "Bank", "Melli", "Sepah",
    "Shipping", "Petroleum", "Semiconductor", "Precision", "Machinery", "Nuclear", "Aviation",
    "Hassan", "Mohammed", "Ivanov", "Wang", "Li", "Zhang", "国际", "贸易", "Технологии",
)
# a legal form or a particle is never a whole name: a list names someone
_PARTICLES = ("Al", "de", "bin")
_FORMS = ("Co., Ltd.", "LLC", "OOO", "JSC", "GmbH", "Limited", "Inc.", "有限公司", "Общество")


@st.composite
def _names(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words) - 1)), draw(st.sampled_from(_PARTICLES)))
    if draw(st.booleans()):
        words.insert(draw(st.sampled_from([0, len(words)])), draw(st.sampled_from(_FORMS)))
    extra = draw(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")),
                         min_size=0, max_size=8))
    return " ".join(words + ([extra] if extra else []))


_TEXT = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
_ADDRESSES = ("Beijing, CN", "Moscow, RU", "Tehran, IR", "Kowloon, HK", "Minsk, BY")


def list_entries(
    sources: tuple[str, ...] = SOURCES,
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[ListEntry]:
    """Valid :class:`ListEntry` records: realistic company/person names (Latin, Han and
    Cyrillic), aliases, ISO-2 countries consistent with the addresses, programs, licence
    terms and dates.

    >>> from hypothesis import given
    >>> @given(list_entries())
    ... def test(entry): assert entry.name in entry.all_names
    """
    id_strategy = ids if ids is not None else st.integers(1, 10**6).map(str)

    @st.composite
    def build(draw: st.DrawFn) -> ListEntry:
        addresses = tuple(draw(st.lists(st.sampled_from(_ADDRESSES), max_size=2, unique=True)))
        nationalities = draw(st.lists(st.sampled_from(_COUNTRIES), max_size=2, unique=True))
        countries = dict.fromkeys([a.rsplit(", ", 1)[1] for a in addresses] + nationalities)
        return ListEntry(
            id=draw(id_strategy),
            source=draw(st.sampled_from(sources)),
            name=draw(_names()),
            aliases=tuple(draw(st.lists(_names(), max_size=3))),
            entity_type=draw(st.sampled_from([None, "entity", "individual", "vessel",
                                              "aircraft"])),
            countries=tuple(countries),
            addresses=addresses,
            programs=tuple(draw(st.lists(st.sampled_from(
                ["SDGT", "IRAN", "RUSSIA-EO14024", "NPWMD", "CMIC-EO13959"]),
                max_size=2, unique=True))),
            license_requirement=draw(st.sampled_from([None, "For all items subject to the EAR."])),
            license_policy=draw(st.sampled_from([None, "Presumption of denial.",
                                                 "Case-by-case review."])),
            federal_register_notice=draw(st.sampled_from([None, "84 FR 22963 5/21/19"])),
            start_date=draw(st.one_of(st.none(), st.dates(_dt.date(1995, 1, 1),
                                                          _dt.date(2026, 12, 31)))),
            remarks=draw(st.one_of(st.none(), st.text(_TEXT, min_size=1, max_size=30).map(
                lambda t: " ".join(t.split()) or "remark"))),
        )

    return build()


@st.composite
def screening_lists(
    draw: st.DrawFn, min_size: int = 0, max_size: int = 30, sources: tuple[str, ...] = SOURCES
) -> ScreeningList:
    """A :class:`ScreeningList` whose entries are unique on ``(source, id)``."""
    entries = draw(st.lists(list_entries(sources=sources), min_size=min_size, max_size=max_size,
                            unique_by=lambda e: e.key))
    digest = hashlib.sha256("".join(e.content_hash for e in entries).encode()).hexdigest()
    provenance = ListProvenance(source="generated by exportscreen.testing", format="generated",
                                sha256=digest, entries=len(entries))
    return ScreeningList(entries=tuple(entries), provenance=provenance)
