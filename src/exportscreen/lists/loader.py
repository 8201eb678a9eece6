"""``load_list``: one entry point for every list format, with format detection.

Formats (DESIGN.md "Lists"):

* ``"default"`` - the newest list ``exportscreen lists update`` installed in the cache,
  else the embedded 2022 CSL snapshot;
* a trade.gov CSL CSV (``.csv``) or JSON (``.json``: ``{"results": [...]}`` or a list),
  also gzip-compressed (``consolidated.csv.gz``);
* an OFAC legacy CSV folder (``sdn.csv``/``add.csv``/``alt.csv``/``sdn_comments.csv`` or
  ``cons_prim.csv``/``cons_add.csv``/``cons_alt.csv``/``cons_comments.csv``), or the
  ``sdn.csv``/``cons_prim.csv`` file itself (its companions are read from beside it);
* a user's own list: a CSV with ``id`` and ``name`` (see :func:`exportscreen.lists.csl.own_to_csl`);
* an OFAC enhanced XML file (``SDN_ENHANCED.XML``/``CONS_ENHANCED.XML``, plain or ``.zip``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from .models import ListProvenance, RejectedRecord, ScreeningList

__all__ = ["detect_format", "load_list", "load_lists"]

FORMATS = ("csl-csv", "csl-json", "ofac-csv", "ofac-xml", "own-csv")


def detect_format(path: Path) -> str:
    """The list format of *path*: ``csl-csv``, ``csl-json``, ``ofac-csv`` or ``ofac-xml``.

    Decided from the folder's file names, the file's first bytes and its suffix.
    """
    if path.is_dir():
        names = {p.name.lower() for p in path.iterdir()}
        if "sdn.csv" in names or "cons_prim.csv" in names:
            return "ofac-csv"
        xml = [n for n in names if n.endswith((".xml", ".zip"))]
        if xml:
            return "ofac-xml"
        raise InputError(
            "a list folder must hold OFAC legacy CSV files (sdn.csv, add.csv, alt.csv, "
            "sdn_comments.csv or cons_prim.csv, ...)", file=str(path),
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    name = path.name.lower()
    if head.startswith(GZIP_MAGIC):  # consolidated.csv.gz: look inside
        head = _gunzip(_read_bytes(path), str(path))[:4096]
        name = name.removesuffix(".gz")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (the second: empty)
        return "ofac-xml"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "ofac-xml"
    if stripped.startswith((b"{", b"[")):
        return "csl-json"
    if name in {"sdn.csv", "cons_prim.csv"}:
        return "ofac-csv"
    first_line = stripped.split(b"\n", 1)[0]
    if b"source" in first_line.lower() and b"name" in first_line.lower():
        return "csl-csv"
    if first_line[:1].isdigit() and b'"' in first_line:  # OFAC rows start with an ent_num
        return "ofac-csv"
    if name.endswith(".json"):
        return "csl-json"
    if name.endswith((".xml", ".zip")):
        return "ofac-xml"
    return "csl-csv"


GZIP_MAGIC = b"\x1f\x8b"


def _gunzip(raw: bytes, label: str) -> bytes:
    import gzip
    import zlib

    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not a readable gzip file: {exc}", file=label) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None


def _is_own_list(raw: bytes) -> bool:
    """A CSV whose header has ``name`` but no CSL ``source`` column: a user's own list."""
    import csv
    import io

    first = raw.decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    header = [h.strip() for h in next(csv.reader(io.StringIO(first)), [])]
    return "source" not in header and "name" in header


def _snapshot_date(entries: list[object]) -> object:
    dates = [d for d in (getattr(e, "start_date", None) for e in entries) if d is not None]
    return max(dates) if dates else None


def load_list(
    source: str | Path = "default",
    *,
    strict: bool = True,
    format: str | None = None,
) -> ScreeningList:
    """Load a screening list.

    ``source`` is ``"default"`` or a path (see the module docstring for formats;
    ``format`` forces one of ``csl-csv``, ``csl-json``, ``ofac-csv``, ``ofac-xml``).

    In strict mode (the default) the first malformed record raises
    :class:`~exportscreen.InputError` naming the file, row (line) and column. With
    ``strict=False`` malformed records are left out and reported in
    ``ScreeningList.rejected`` with their reason; records read always equal
    ``len(entries) + len(rejected)`` (``provenance.records``).

    Example::

        >>> import exportscreen as xs
        >>> lst = xs.load_list("default")
        >>> lst.provenance.entries, lst.get("26860").source
        (14160, 'sdn')
    """
    if isinstance(source, str) and source == "default":
        from .cache import load_default

        return load_default()
    path = Path(source)
    label = str(source)
    if not path.exists():
        raise InputError("list file not found (give a path or 'default')", file=label)
    kind = format or detect_format(path)
    if kind not in FORMATS:
        raise InputError(f"unknown list format {kind!r}; one of {', '.join(FORMATS)}",
                         file=label)
    notices: list[str] = []
    if kind in {"csl-csv", "csl-json", "own-csv"}:
        from .csl import parse_csl_csv, parse_csl_json

        if path.is_dir():
            raise InputError("expected a CSL file, found a folder", file=label)
        raw = _read_bytes(path)
        digest = hashlib.sha256(raw).hexdigest()  # of the file as given
        if raw.startswith(GZIP_MAGIC):
            raw = _gunzip(raw, label)
        if kind in {"csl-csv", "own-csv"}:
            entries, rejected, notices = parse_csl_csv(raw, label, strict=strict)
            kind = "own-csv" if _is_own_list(raw) else "csl-csv"
        else:
            try:
                document = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 text at byte {exc.start}", file=label) from None
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column "
                                 f"{exc.colno}", file=label, row=exc.lineno) from None
            entries, rejected, notices = parse_csl_json(document, label, strict=strict)
        source_title = "Own list" if kind == "own-csv" else "US Consolidated Screening List"
        snapshot = _snapshot_date(list(entries))
    elif kind == "ofac-csv":
        from .ofac import parse_ofac_csv

        result = parse_ofac_csv(path, strict=strict)
        entries, rejected, notices = result.entries, result.rejected, result.notices
        digest, source_title, snapshot = result.sha256, result.title, None
        label = result.label
    else:
        from .ofac import parse_ofac_xml

        result = parse_ofac_xml(path, strict=strict)
        entries, rejected, notices = result.entries, result.rejected, result.notices
        digest, source_title, snapshot = result.sha256, result.title, result.snapshot_date
        label = result.label
    if not entries and not rejected:
        raise InputError("the list has no records", file=label)
    provenance = ListProvenance(
        source=f"{source_title} ({Path(label).name})",
        format=kind,
        path=str(path.resolve()),
        snapshot_date=snapshot,  # type: ignore[arg-type]
        sha256=digest,
        entries=len(entries),
        rejected=sum(1 for r in rejected if r.record_type == "entry"),
        notices=tuple(notices),
    )
    rejected_records: tuple[RejectedRecord, ...] = tuple(rejected)
    return ScreeningList.model_construct(
        entries=tuple(entries), provenance=provenance, rejected=rejected_records
    )


def load_lists(sources: Sequence[str | Path]) -> ScreeningList:
    """Several lists as one (a repeated ``--list``): each is read by :func:`load_list`
    and their entries are kept in the order given, each entry keeping its own source, so
    one index screens against all of them and an alert names the list it matched.

    The provenance names every list; its ``snapshot_date`` is the oldest one known (the
    run is as current as its oldest list) and its ``sha256`` is that of the lists'
    digests in order. The same list given twice is an :class:`InputError`: it would
    double every alert.
    """
    if not sources:
        return load_list("default")
    if len(sources) == 1:
        return load_list(sources[0])
    lists = [load_list(source) for source in sources]
    seen: dict[str, str] = {}
    for source, lst in zip(sources, lists, strict=True):
        digest = lst.provenance.sha256
        if digest in seen:
            raise InputError(f"the same list is given twice (also as {seen[digest]!r})",
                             file=str(source))
        seen[digest] = str(source)
    provenances = [lst.provenance for lst in lists]
    dates = [p.snapshot_date for p in provenances if p.snapshot_date is not None]
    provenance = ListProvenance(
        source=" + ".join(p.source for p in provenances),
        format="+".join(p.format for p in provenances),
        path=None,
        snapshot_date=min(dates) if dates else None,
        sha256=hashlib.sha256("\n".join(p.sha256 for p in provenances).encode()).hexdigest(),
        entries=sum(p.entries for p in provenances),
        rejected=sum(p.rejected for p in provenances),
        notices=tuple(n for p in provenances for n in p.notices),
    )
    return ScreeningList.model_construct(
        entries=tuple(e for lst in lists for e in lst.entries), provenance=provenance,
        rejected=tuple(r for lst in lists for r in lst.rejected),
    )
