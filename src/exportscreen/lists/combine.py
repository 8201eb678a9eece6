"""Several lists screened together: one :class:`ScreeningList` over all their entries.

Every entry keeps its own ``source`` and ``id``, so a name that matches entries of several
lists gets one match per entry, each naming its list. The combined provenance names every
list (``provenance.lists``, each with its format, path, date, sha256 and counts); its
``snapshot_date`` is the *oldest* list's date, so an age warning is never hidden by a
newer list beside an old one.

    >>> import exportscreen as xs
    >>> both = xs.load_list(["un.xml", "ConList.csv"])      # doctest: +SKIP
    >>> [p.format for p in both.provenance.lists]           # doctest: +SKIP
    ['un-xml', 'uk-csv']
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..errors import InputError
from .models import ListEntry, ListProvenance, RejectedRecord, ScreeningList

__all__ = ["combine_lists"]


def combine_lists(lists: Sequence[ScreeningList]) -> ScreeningList:
    """One list holding the entries of all *lists*, in the order given.

    An entry that appears twice with the same ``(source, id)`` and the same content (the
    same file given twice, say) is kept once and a notice says so; the same ``(source, id)``
    with different content is kept twice, as a single list does.
    """
    if not lists:
        raise InputError("no list given")
    if len(lists) == 1:
        return lists[0]
    entries: list[ListEntry] = []
    rejected: list[RejectedRecord] = []
    notices: list[str] = []
    # (source, id) -> content hashes kept; hashing only where a key repeats keeps this cheap
    seen: dict[tuple[str, str], list[ListEntry]] = {}
    dropped: dict[str, int] = {}
    provenances: list[ListProvenance] = []
    for lst in lists:
        prov = lst.provenance
        nested = prov.lists or (prov,)
        provenances.extend(nested)
        for entry in lst.entries:
            kept = seen.setdefault(entry.key, [])
            if kept and any(k.content_hash == entry.content_hash for k in kept):
                dropped[prov.source] = dropped.get(prov.source, 0) + 1
                continue
            kept.append(entry)
            entries.append(entry)
        rejected.extend(lst.rejected)
        notices.extend(f"{prov.source}: {n}" for n in prov.notices)
    for source, count in dropped.items():
        notices.append(f"{source}: {count} entr{'y' if count == 1 else 'ies'} already given by "
                       "an earlier list (same list, id and content) counted once")
    dates = [p.snapshot_date for p in provenances if p.snapshot_date is not None]
    digest = hashlib.sha256("".join(p.sha256 for p in provenances).encode()).hexdigest()
    provenance = ListProvenance(
        source=" + ".join(p.source for p in provenances),
        format="combined",
        path=None,
        snapshot_date=min(dates) if dates else None,
        sha256=digest,
        entries=len(entries),
        rejected=sum(p.rejected for p in provenances),
        notices=tuple(notices),
        lists=tuple(provenances),
    )
    return ScreeningList.model_construct(entries=tuple(entries), provenance=provenance,
                                         rejected=tuple(rejected))
