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
* an OFAC enhanced XML file (``SDN_ENHANCED.XML``/``CONS_ENHANCED.XML``, plain or ``.zip``);
* OFAC's classic XML (``sdn.xml``/``consolidated.xml``: ``<sdnList>``) - ``ofac-sdn-xml``;
* the UN Security Council Consolidated List XML (``<CONSOLIDATED_LIST>``) - ``un-xml``;
* the EU Financial Sanctions Files XML (``<export>``, ``xmlFullSanctionsList_1_1``) - ``eu-xml``;
* the UK OFSI Consolidated List CSV (``ConList.csv``: ``Last Updated`` line, ``Group ID``) -
  ``uk-csv``;
* OpenSanctions / FollowTheMoney entity JSON lines - ``ftm-json``, and OpenSanctions'
  ``targets.simple.csv`` - ``ftm-csv``.

XML files are recognised by their root element, JSON lines by an FtM entity on the first
line, the CSV layouts by their first lines; the format read is ``provenance.format``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from .models import ListProvenance, RejectedRecord, ScreeningList

__all__ = ["detect_format", "load_list"]

FORMATS = ("csl-csv", "csl-json", "ofac-csv", "ofac-xml", "own-csv", "ofac-sdn-xml", "un-xml",
           "eu-xml", "uk-csv", "ftm-json", "ftm-csv")
# the root element of each XML format (local name, namespace ignored)
XML_ROOTS = {"sanctionsData": "ofac-xml", "sdnList": "ofac-sdn-xml",
             "CONSOLIDATED_LIST": "un-xml", "export": "eu-xml"}
_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")


def _xml_format(head: bytes) -> str:
    """The format of an XML file from its root element; OFAC enhanced XML when unknown
    (its reader then names the root it found)."""
    text = re.sub(rb"<!--.*?-->", b"", head, flags=re.S)
    match = _ROOT.search(text)
    return XML_ROOTS.get(match.group(1).decode("ascii", "replace"), "ofac-xml") if match \
        else "ofac-xml"


def detect_format(path: Path) -> str:
    """The list format of *path*: one of :data:`FORMATS`.

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
        from .unpack import gunzip_head

        head = gunzip_head(_read_bytes(path), 4096, str(path))
        name = name.removesuffix(".gz")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # a zip (the second: empty)
        return "ofac-xml"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return _xml_format(stripped)
    if stripped.startswith(b"{"):
        from .ftm import is_ftm_json_line

        with path.open("rb") as fh:
            first = fh.readline(1 << 22)
        if is_ftm_json_line(first):
            return "ftm-json"
    if stripped.startswith((b"{", b"[")):
        return "csl-json"
    text = stripped.decode("utf-8", errors="replace")
    from .uk import is_ofsi_header

    if is_ofsi_header(text):
        return "uk-csv"
    from .ftm import is_targets_simple_header

    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    if is_targets_simple_header([h.strip() for h in header]):
        return "ftm-csv"
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
    from .unpack import gunzip  # capped: a gzip bomb is refused, not unpacked

    return gunzip(raw, label)


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


# format -> (module, function) of the readers that return a ParsedList
_READERS = {
    "ofac-sdn-xml": (".ofac_classic", "parse_ofac_classic_xml"),
    "un-xml": (".un", "parse_un_xml"),
    "eu-xml": (".eu", "parse_eu_xml"),
    "uk-csv": (".uk", "parse_ofsi_csv"),
    "ftm-json": (".ftm", "parse_ftm_json"),
    "ftm-csv": (".ftm", "parse_targets_simple_csv"),
}


def load_list(
    source: str | Path | Sequence[str | Path] = "default",
    *,
    strict: bool = True,
    format: str | None = None,
) -> ScreeningList:
    """Load a screening list, or several screened together.

    ``source`` may be a list of sources: each is loaded (its format recognised on its own)
    and the result is one :class:`ScreeningList` over all of them
    (:func:`~exportscreen.lists.combine.combine_lists`; ``provenance.lists`` names each).

    ``source`` is ``"default"`` or a path (see the module docstring for formats;
    ``format`` forces one of :data:`FORMATS`).

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
    if not isinstance(source, (str, Path)):
        from .combine import combine_lists

        sources = list(source)
        if format is not None and len(sources) > 1:
            raise InputError("format= applies to one list; give lists of several formats "
                             "without it (each is recognised by content)")
        return combine_lists([load_list(s, strict=strict, format=format) for s in sources])
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
    elif kind in _READERS:
        import importlib

        module_name, function = _READERS[kind]
        reader = getattr(importlib.import_module(module_name, __package__), function)
        if path.is_dir():
            raise InputError(f"expected a {kind} file, found a folder", file=label)
        parsed = reader(path, strict=strict)
        entries, rejected, notices = parsed.entries, parsed.rejected, parsed.notices
        digest, source_title, snapshot = parsed.sha256, parsed.title, parsed.snapshot_date
        label = parsed.label
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

