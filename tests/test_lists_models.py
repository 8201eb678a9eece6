"""ScreeningList behaviour: diffs, look-ups, frames, stable ids and CSV round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import exportscreen as xs
from exportscreen.lists.csl import parse_csl_csv
from exportscreen.testing.lists import list_entries, screening_lists

LISTS = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
OFAC_SOURCES = ("sdn", "ssi", "capta", "cmic", "plc", "ns_mbs", "fse")


def _list(entries: list[xs.ListEntry]) -> xs.ScreeningList:
    prov = xs.ListProvenance(source="t", format="generated", sha256="0", entries=len(entries))
    return xs.ScreeningList(entries=tuple(entries), provenance=prov)


@settings(max_examples=40)
@given(screening_lists(max_size=15), screening_lists(max_size=15))
def test_diff_partitions_both_lists(old: xs.ScreeningList, new: xs.ScreeningList) -> None:
    diff = old.diff(new)
    old_keys = {e.key for e in old}
    new_keys = {e.key for e in new}
    assert {e.key for e in diff.added} == new_keys - old_keys
    assert {e.key for e in diff.removed} == old_keys - new_keys
    assert len(diff.changed) + diff.unchanged == len(old_keys & new_keys)
    for before, after in diff.changed:
        assert before.key == after.key and before.content_hash != after.content_hash
        assert diff.changed_fields(before, after)
    assert len(diff.to_frame()) == len(diff.added) + len(diff.removed) + len(diff.changed)


@settings(max_examples=40)
@given(screening_lists(max_size=15))
def test_diff_with_itself_is_empty_and_list_id_is_order_free(lst: xs.ScreeningList) -> None:
    assert lst.diff(lst).is_empty
    reordered = _list(list(reversed(lst.entries)))
    assert reordered.list_id == lst.list_id
    assert lst.diff(reordered).is_empty


@settings(max_examples=40)
@given(screening_lists(min_size=1, max_size=10), st.data())
def test_a_changed_field_shows_up_in_the_diff(lst: xs.ScreeningList, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(lst) - 1))
    entries = list(lst.entries)
    target = entries[index]
    entries[index] = target.model_copy(update={"name": target.name + " X"})
    diff = lst.diff(_list(entries))
    assert [(o.key, n.name) for o, n in diff.changed] == [(target.key, target.name + " X")]
    assert diff.affected == (entries[index],)
    assert diff.old_list_id != diff.new_list_id


@settings(max_examples=30)
@given(screening_lists(max_size=12, sources=OFAC_SOURCES))
def test_csl_csv_round_trip(lst: xs.ScreeningList) -> None:
    entries, rejected, _ = parse_csl_csv(lst.to_csl_csv().encode(), "round-trip")
    assert rejected == []
    assert [(e.key, e.entity_type, e.programs, e.start_date, e.license_policy)
            for e in entries] == [(e.key, e.entity_type, e.programs, e.start_date,
                                   e.license_policy) for e in lst]
    for before, after in zip(lst, entries, strict=True):
        assert after.name == " ".join(before.name.split())
        assert set(after.countries) == set(before.countries)


@settings(max_examples=30)
@given(list_entries())
def test_all_names_starts_with_the_name_and_has_no_repeats(entry: xs.ListEntry) -> None:
    names = entry.all_names
    assert names[0] == entry.name and len(names) == len(set(names))
    assert entry.content_hash == xs.ListEntry.model_validate(entry.model_dump()).content_hash


def test_get_filter_and_frame_on_a_fixture() -> None:
    lst = xs.load_list(LISTS / "csl_sample.csv")
    frame = lst.to_frame()
    assert len(frame) == len(lst) and list(frame.columns)[:3] == ["id", "source", "source_name"]
    row = frame[frame["id"] == "26860"].iloc[0]
    assert row["countries"] == "IQ" and row["programs"] == "IFSR; IRGC; SDGT"
    only_el = lst.filter(["entity_list"])
    assert only_el.sources == ("entity_list",)
    assert only_el.provenance.entries == len(only_el)


def test_diff_of_two_versions_of_a_real_list() -> None:
    old = xs.load_list(LISTS / "csl_sample.csv")
    entries = list(old.entries)
    removed = entries.pop(0)
    entries[0] = entries[0].model_copy(update={"start_date": dt.date(2024, 1, 2)})
    added = removed.model_copy(update={"id": "new-1"})
    new = _list([*entries, added])
    diff = old.diff(new)
    assert diff.removed == (removed,)
    assert diff.added == (added,)
    assert [n.id for _, n in diff.changed] == [entries[0].id]
    assert diff.changed_fields(*diff.changed[0]) == ["start_date"]
    assert diff.summary() == f"1 added, 1 removed, 1 changed, {len(old) - 2} unchanged"


def test_diff_keeps_repeated_ids_apart() -> None:
    lst = xs.load_list(LISTS / "csl_sample.csv")
    twice = [e for e in lst if e.id == "15268"]
    assert len(twice) == 2
    shorter = _list([e for e in lst if e is not twice[1]])
    diff = lst.diff(shorter)
    assert [e.id for e in diff.removed] == ["15268"] and not diff.changed
