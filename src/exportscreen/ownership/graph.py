"""The ownership graph: stakes owner -> owned, held as columnar arrays.

A stake is an exact percent, a range (``percent_min``..``percent_max``, e.g. a register
band) or unknown (0..100). Rows may carry a ``relation`` (``ownership`` default,
``control``, ``branch`` — owner is the head office, owned the branch), a ``joint_group``
(UK joint arrangements), ``valid_from``/``valid_to`` (inclusive ISO dates) and a
``source``.

Exact arithmetic: percents are read as decimals and held as integers in units of
10⁻⁹ percent (:data:`UNITS_PER_PERCENT`), so ``24.99 + 25.01`` is exactly ``50``. A
percent with more than nine decimal places is bracketed — its lower bound rounded down
and its upper bound rounded up to nine places — so a result can move from covered to
undetermined but never to a wrong answer; the graph records a notice when that happens.

Example::

    >>> import pandas as pd
    >>> g = OwnershipGraph.from_frame(pd.DataFrame(
    ...     {"owner_id": ["X", "A"], "owned_id": ["A", "B"], "percent": ["50", "50"]}))
    >>> len(g), g.n_stakes
    (3, 2)
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..errors import InputError
from ..io.cells import ColumnTable, factorize_columns, sorted_distinct
from ..io.read import (
    SURROGATES,
    Table,
    blank_rows_notice,
    has_undecodable,
    iso_date,
    read_columns,
    read_table,
)

if TYPE_CHECKING:
    import networkx as nx  # type: ignore[import-untyped]
    import pandas as pd

__all__ = [
    "PERCENT_SCALES",
    "RELATIONS",
    "UNITS_PER_PERCENT",
    "Entity",
    "OwnershipGraph",
    "PercentScale",
    "check_percent_scale",
    "decimal_text",
    "parse_percent",
    "units_to_decimal",
]

UNITS_PER_PERCENT = 10**9
HUNDRED = 100 * UNITS_PER_PERCENT
RELATIONS = ("ownership", "control", "branch")
OWNERSHIP, CONTROL, BRANCH = 0, 1, 2
DAY_MIN = np.iinfo(np.int32).min
DAY_MAX = np.iinfo(np.int32).max
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
_QUANTUM = Decimal(1).scaleb(-9)
# a plain decimal: ASCII digits only ("\d" would take "５０"), no exponent, sign or "_";
# the "-" is let through for the range check to name
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
PERCENT_SCALES = ("percent", "fraction")
PercentScale = Literal["percent", "fraction"]


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of the graph: id, name, ISO 3166 alpha-2 country, aliases (names feed
    name screening)."""

    id: str
    name: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


def check_percent_scale(scale: object) -> PercentScale:
    """*scale* when it is ``"percent"`` or ``"fraction"``, else an :class:`InputError`."""
    if scale not in PERCENT_SCALES:
        raise InputError(f"the percent scale must be 'percent' or 'fraction', not {scale!r}",
                         column="percent_scale")
    return scale  # type: ignore[return-value]


def parse_percent(text: str, *, scale: PercentScale = "percent") -> tuple[int, int, bool]:
    """Exact percent text -> (lower units, upper units, bracketed?).

    ``"24.99"`` -> ``(24_990_000_000, 24_990_000_000, False)``. Only a plain decimal is
    read: ASCII digits with an optional decimal point (``"12.5"``, ``".5"``), spaces
    around it and a trailing ``%`` allowed; ``1e2``, ``+50``, ``5_0``, ``nan``, ``0x32``
    and digits of other scripts (``５０``) are refused. With ``scale="fraction"`` the text
    is a fraction of 1 (``"0.6"`` is 60 %), multiplied by 100 exactly; a value above 1
    or with a ``%`` sign is then refused. Raises ``ValueError`` saying why.

    >>> parse_percent("12.5%")
    (12500000000, 12500000000, False)
    >>> parse_percent("0.125", scale="fraction")
    (12500000000, 12500000000, False)
    """
    t = text.strip()
    sign = t.endswith("%")
    if sign:
        t = t[:-1].rstrip()
    if not _PLAIN_NUMBER.fullmatch(t):
        try:
            Decimal(t)
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
        # Decimal also reads "1e2", "+50", "5_0", "nan" and "５０": refuse rather than guess
        raise ValueError(f"not a plain decimal number: {text!r} (digits 0-9 with an "
                         "optional decimal point)")
    value = Decimal(t)
    if scale == "fraction":
        if sign:
            raise ValueError(f"{text.strip()!r} has a % sign, but the percents are read as "
                             "fractions of 1 (percent scale 'fraction': 0.5 is 50 %)")
        if value < 0 or value > 1:
            raise ValueError(f"fraction {t} is outside 0-1 (the percents are read as "
                             "fractions of 1, percent scale 'fraction': 0.5 is 50 %)")
        value = value.scaleb(2)
    elif value < 0 or value > 100:
        raise ValueError(f"percent {t} is outside 0-100")
    lo = value.quantize(_QUANTUM, rounding=ROUND_FLOOR)
    hi = value.quantize(_QUANTUM, rounding=ROUND_CEILING)
    return int(lo.scaleb(9)), int(hi.scaleb(9)), lo != value


def decimal_text(value: Any) -> str:
    """A number as the plain decimal text :func:`parse_percent` reads (``1e-05`` ->
    ``"0.00001"``, ``Decimal("1E+2")`` -> ``"100"``); ``None`` -> ``""``; other values
    (text, ``True``, NaN) as ``str`` gives them, for the parser to judge."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if math.isfinite(value) else repr(value)
    if isinstance(value, np.floating):  # float32 ...: the shortest text of its own width
        return (np.format_float_positional(value, trim="-") if np.isfinite(value)
                else str(value))
    return str(value)


def units_to_decimal(units: int) -> Decimal:
    """Integer units (10⁻⁹ percent) -> exact Decimal percent, normalised (``50``, ``24.99``)."""
    d = Decimal(int(units)).scaleb(-9).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d



def _strip_texts(values: np.ndarray) -> np.ndarray:
    """Cells as text without surrounding spaces."""
    texts = values.tolist()
    try:
        stripped = list(map(str.strip, texts))  # C-level loop: the cells are text
    except TypeError:
        stripped = [str(v).strip() for v in texts]
    out = np.empty(len(stripped), dtype=object)
    out[:] = stripped
    return out


def _sorted_factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into the sorted distinct values (ids are kept in sorted order so results
    never depend on input order)."""
    import pandas as pd

    codes, uniques = pd.factorize(values, sort=False)
    rank, ordered = sorted_distinct(np.asarray(uniques, dtype=object))
    return rank[codes], ordered


# bytes that are not UTF-8 (kept as lone surrogates by read_table) and control characters
# (a NUL or a line break in an id is a corrupted cell, and would corrupt every output)
_BAD_ID_CHAR = re.compile("[\x00-\x1f\x7f\udc80-\udcff]")


def _bad_ids(texts: np.ndarray) -> np.ndarray | None:
    """Which ids are empty or have undecodable bytes or control characters; ``None``
    when none is."""
    bad = texts == ""
    # the ids are joined with a separator that is itself a bad character: test each one
    if _BAD_ID_CHAR.search("".join(texts.tolist())):
        bad |= np.fromiter((_BAD_ID_CHAR.search(t) is not None for t in texts.tolist()),
                           dtype=bool, count=len(texts))
    return bad if bad.any() else None


def _bad_id_message(text: str) -> str:
    if not text:
        return "empty id"
    if has_undecodable(text):
        return "id has bytes that are not UTF-8"
    return f"id contains a control character: {text!r}"


def _first_undecodable(values: np.ndarray) -> int | None:
    """Position of the first text cell with bytes that are not UTF-8, if any."""
    texts = values.tolist()
    try:
        joined = "".join(texts)  # the cells of a read table are all text: the fast case
    except TypeError:
        texts = [v if isinstance(v, str) else str(v) for v in texts]
        joined = "".join(texts)
    if not SURROGATES.search(joined):
        return None
    return next(k for k, t in enumerate(texts) if has_undecodable(t))


def _day(value: _dt.date) -> int:
    return value.toordinal()


class _EntityView(Mapping[str, Entity]):
    """Read-only ``id -> Entity`` view built on demand from the graph's columns."""

    def __init__(self, graph: OwnershipGraph) -> None:
        self._g = graph

    def __getitem__(self, key: str) -> Entity:
        i = self._g.index_of(key)
        if i is None:
            raise KeyError(key)
        return self._g.entity_at(i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._g.ids.tolist())

    def __len__(self) -> int:
        return len(self._g.ids)


class OwnershipGraph:
    """Stakes between entities, as numpy columns (built for millions of stakes).

    Build it with :meth:`from_csv`, :meth:`from_frame`, :meth:`from_networkx`,
    :meth:`from_gleif_csv` or :meth:`from_bods`; give it to
    :func:`exportscreen.apply_affiliates_rule`. Entity ids are text; they are kept
    sorted so every result is in a stable order.

    Columns (one value per stake): ``owner``/``owned`` (entity positions),
    ``lo``/``hi`` (bounds in units of 10⁻⁹ percent), ``lo_open``/``hi_open`` (bound
    excluded, e.g. BODS "more than 50 %"), ``unknown`` (no percent given), ``relation``
    (0 ownership, 1 control, 2 branch), ``joint_group`` (-1 none), ``valid_from``/
    ``valid_to`` (proleptic ordinals, open ends at the int32 limits), ``source``
    (index into ``sources``) and ``row`` (the row it came from, for messages).
    """

    def __init__(
        self,
        ids: np.ndarray,
        *,
        owner: np.ndarray,
        owned: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        lo_open: np.ndarray | None = None,
        hi_open: np.ndarray | None = None,
        unknown: np.ndarray | None = None,
        relation: np.ndarray | None = None,
        joint_group: np.ndarray | None = None,
        joint_groups: tuple[str, ...] = (),
        valid_from: np.ndarray | None = None,
        valid_to: np.ndarray | None = None,
        source: np.ndarray | None = None,
        sources: tuple[str, ...] = (),
        row: np.ndarray | None = None,
        names: np.ndarray | None = None,
        countries: np.ndarray | None = None,
        aliases: np.ndarray | None = None,
        label: str = "<graph>",
        notices: tuple[str, ...] = (),
        validate: bool = True,
    ) -> None:
        m = len(owner)
        n = len(ids)
        self.ids: np.ndarray = np.asarray(ids, dtype=object)
        self.owner = np.asarray(owner, dtype=np.int32)
        self.owned = np.asarray(owned, dtype=np.int32)
        self.lo = np.asarray(lo, dtype=np.int64)
        self.hi = np.asarray(hi, dtype=np.int64)
        self.lo_open = np.zeros(m, bool) if lo_open is None else np.asarray(lo_open, bool)
        self.hi_open = np.zeros(m, bool) if hi_open is None else np.asarray(hi_open, bool)
        self.unknown = np.zeros(m, bool) if unknown is None else np.asarray(unknown, bool)
        self.relation = (np.zeros(m, np.int8) if relation is None
                         else np.asarray(relation, np.int8))
        self.joint_group = (np.full(m, -1, np.int32) if joint_group is None
                            else np.asarray(joint_group, np.int32))
        self.joint_groups = tuple(joint_groups)
        self.valid_from = (np.full(m, DAY_MIN, np.int32) if valid_from is None
                           else np.asarray(valid_from, np.int32))
        self.valid_to = (np.full(m, DAY_MAX, np.int32) if valid_to is None
                         else np.asarray(valid_to, np.int32))
        self.source = np.full(m, -1, np.int32) if source is None else np.asarray(source, np.int32)
        self.sources = tuple(sources)
        self.row = np.arange(m, dtype=np.int64) if row is None else np.asarray(row, np.int64)
        empty = np.full(n, "", dtype=object)
        self.names = empty if names is None else np.asarray(names, dtype=object)
        self.countries = empty.copy() if countries is None else np.asarray(countries, object)
        self.aliases = empty.copy() if aliases is None else np.asarray(aliases, dtype=object)
        self.label = label
        self.notices: tuple[str, ...] = tuple(notices)
        self._index: pd.Index | None = None
        if validate:
            self._check_inbound_total()
            self._check_branches()

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return (f"OwnershipGraph({len(self.ids)} entities, {self.n_stakes} stakes, "
                f"from {self.label})")

    @property
    def n_stakes(self) -> int:
        return len(self.owner)

    @property
    def entities(self) -> Mapping[str, Entity]:
        """``id -> Entity`` for every entity (names and aliases feed name screening)."""
        return _EntityView(self)

    @property
    def index(self) -> pd.Index:
        import pandas as pd

        if self._index is None:
            self._index = pd.Index(self.ids, dtype=object)
        return self._index

    def index_of(self, entity_id: str) -> int | None:
        import pandas as pd

        pos = self.index.get_indexer(pd.Index([entity_id], dtype=object))[0]
        return None if pos < 0 else int(pos)

    def positions(self, entity_ids: list[str]) -> np.ndarray:
        """Positions of *entity_ids* (-1 where absent)."""
        import pandas as pd

        return np.asarray(self.index.get_indexer(pd.Index(entity_ids, dtype=object)),
                          dtype=np.int64)

    def entity_at(self, i: int) -> Entity:
        aliases = str(self.aliases[i])
        return Entity(
            id=str(self.ids[i]),
            name=str(self.names[i]).strip() or None,
            country=str(self.countries[i]) or None,
            aliases=tuple(a.strip() for a in aliases.split(";") if a.strip()),
        )

    def stake_rows(self) -> pd.DataFrame:
        """The stakes as a DataFrame in the ownership-CSV shape (exact percents as text)."""
        import pandas as pd

        def pct(units: np.ndarray) -> list[str]:
            return [format(units_to_decimal(u), "f") for u in units.tolist()]

        def day(values: np.ndarray, open_value: int) -> list[str]:
            return ["" if v == open_value else _dt.date.fromordinal(v).isoformat()
                    for v in values.tolist()]

        unknown = self.unknown
        lo = pct(self.lo)
        hi = pct(self.hi)
        return pd.DataFrame({
            "owner_id": self.ids[self.owner],
            "owned_id": self.ids[self.owned],
            "percent_min": ["" if u else v for u, v in zip(unknown.tolist(), lo, strict=True)],
            "percent_max": ["" if u else v for u, v in zip(unknown.tolist(), hi, strict=True)],
            "relation": np.asarray(RELATIONS, dtype=object)[self.relation],
            "joint_group": [self.joint_groups[j] if j >= 0 else "" for j in self.joint_group],
            "valid_from": day(self.valid_from, DAY_MIN),
            "valid_to": day(self.valid_to, DAY_MAX),
            "source": [self.sources[s] if s >= 0 else "" for s in self.source],
        })

    # ------------------------------------------------------------ validation
    def _check_branches(self) -> None:
        """Raise when branches form a cycle on some day (A a branch of B and B a branch of
        A): a branch shares the status of its head entity (BIS FAQ #45), and a cycle
        leaves no head to take it from."""
        branch = np.flatnonzero(self.relation == BRANCH)
        if len(branch) == 0:
            return
        # a branch is part of one head office: two heads on the same day is a data error
        # (the branch would take two statuses)
        by_branch: dict[int, list[int]] = {}
        for edge in branch.tolist():
            by_branch.setdefault(int(self.owned[edge]), []).append(edge)
        for edges in by_branch.values():
            if len({int(self.owner[e]) for e in edges}) < 2:
                continue
            for i, first in enumerate(edges):
                for second in edges[i + 1:]:
                    if (self.owner[first] != self.owner[second]
                            and self.valid_from[first] <= self.valid_to[second]
                            and self.valid_from[second] <= self.valid_to[first]):
                        heads = sorted({str(self.ids[self.owner[first]]),
                                        str(self.ids[self.owner[second]])})
                        raise InputError(
                            f"{self.ids[self.owned[first]]} is a branch of two heads at once "
                            f"({heads[0]} and {heads[1]}); a branch belongs to one head "
                            "office (give the stake as ownership or control, or date the "
                            "branch relations so they do not overlap)", file=self.label,
                            row=int(max(self.row[first], self.row[second])),
                            column="owner_id")
        hops: dict[tuple[int, int], tuple[int, int, int]] = {}  # (branch, head) -> window, row
        for edge in branch.tolist():
            key = (int(self.owned[edge]), int(self.owner[edge]))
            lo, hi, row = int(self.valid_from[edge]), int(self.valid_to[edge]), int(self.row[edge])
            if key in hops:
                plo, phi, prow = hops[key]
                lo, hi, row = min(lo, plo), max(hi, phi), max(row, prow)
            hops[key] = (lo, hi, row)
        # a tie on a cycle runs from a head to a branch that are both tied on: peel off the
        # others until none is left (the usual case) or only cycles and ties between them
        ties = set(hops)
        while ties:
            tied_branches = {b for b, _ in ties}
            tied_heads = {h for _, h in ties}
            kept = {(b, h) for b, h in ties if b in tied_heads and h in tied_branches}
            if kept == ties:
                break
            ties = kept
        if not ties:
            return
        import networkx as nx

        for cycle in nx.simple_cycles(nx.DiGraph(sorted(ties))):
            steps = [hops[(cycle[i], cycle[(i + 1) % len(cycle)])] for i in range(len(cycle))]
            if max(s[0] for s in steps) <= min(s[1] for s in steps):
                names = [str(self.ids[i]) for i in cycle]
                raise InputError("branches form a cycle: " + " > ".join([*names, names[0]])
                                 + " (each is a branch of the next)", file=self.label,
                                 row=max(s[2] for s in steps), column="owned_id")

    def _check_inbound_total(self) -> None:
        """Raise when the lower bounds of the stakes held in one entity exceed 100 %
        on some date (the stakes valid that day)."""
        own = self.relation == OWNERSHIP
        if not own.any():
            return
        idx = np.flatnonzero(own & (self.lo > 0))
        if len(idx) == 0:
            return
        owned = self.owned[idx].astype(np.int64)
        lo = self.lo[idx]
        # quick exit: an entity whose stakes never exceed 100 % in total is fine
        total = np.zeros(len(self.ids), dtype=np.int64)
        np.add.at(total, owned, lo)
        over = total > HUNDRED
        if not over.any():
            return
        sel = over[owned]
        idx, owned, lo = idx[sel], owned[sel], lo[sel]
        start = self.valid_from[idx].astype(np.int64)
        stop = self.valid_to[idx].astype(np.int64) + 1  # the day after the last valid day
        ev_owned = np.concatenate([owned, owned])
        ev_day = np.concatenate([start, stop])
        ev_delta = np.concatenate([lo, -lo])
        ev_edge = np.concatenate([idx, idx])
        order = np.lexsort((ev_delta, ev_day, ev_owned))  # removals first within a day
        ev_owned, ev_day, ev_delta, ev_edge = (a[order] for a in (ev_owned, ev_day, ev_delta,
                                                                    ev_edge))
        running = np.cumsum(ev_delta)
        group_start = np.r_[0, np.flatnonzero(np.diff(ev_owned)) + 1]
        base = np.repeat(np.r_[0, running[group_start[1:] - 1]],
                         np.diff(np.r_[group_start, len(ev_owned)]))
        level = running - base
        # the level after the last event of a day is what holds on that day
        last_of_day = np.r_[(ev_owned[1:] != ev_owned[:-1]) | (ev_day[1:] != ev_day[:-1]), True]
        bad = np.flatnonzero(last_of_day & (level > HUNDRED))
        if len(bad) == 0:
            return
        k = int(bad[0])
        entity = str(self.ids[ev_owned[k]])
        day = int(ev_day[k])
        when = "" if day <= DAY_MIN + 1 else f" on {_dt.date.fromordinal(day).isoformat()}"
        # the stake that pushed the total over: the last one added that day
        j = k
        while ev_delta[j] < 0:
            j -= 1
        edge = int(ev_edge[j])
        raise InputError(
            f"stakes held in entity {entity!r} add up to {units_to_decimal(int(level[k]))} %"
            f"{when}, more than 100 % (lower bounds of the stakes valid that day)",
            file=self.label, row=int(self.row[edge]), column="percent",
        )

    # ---------------------------------------------------------- constructors
    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        entities: str | Path | pd.DataFrame | None = None,
        *,
        percent_scale: Literal["percent", "fraction"] = "percent",
        encoding: str | None = None,
        sheet: str | int | None = None,
    ) -> OwnershipGraph:
        """Read the ownership CSV of DESIGN.md (and optionally the entities CSV); with
        ``percent_scale="fraction"`` its stakes are fractions of 1 (``0.6`` is 60 %).
        *encoding* (default UTF-8; e.g. ``"cp1252"``) and *sheet* (of an .xlsx file, by
        name or number from 1) apply to both files, as :func:`~exportscreen.io.read.read_table`
        reads them.

        ``owner_id,owned_id`` are required; ``percent`` or ``percent_min,percent_max``
        (plain decimals, 0-100; empty = unknown), ``relation``, ``joint_group``,
        ``valid_from``, ``valid_to``, ``source`` are optional. ``percent_scale="fraction"``
        multiplies every percent and range bound by 100 exactly (a value above 1, or with
        a ``%`` sign, is then an error); with the default ``"percent"``, a file whose known
        percents are all 1 or less (one above 0) gets a notice that they look like
        fractions. Raises :class:`InputError` naming file, row and column for any bad cell.
        """
        scale = check_percent_scale(percent_scale)
        table = read_columns(path, required=["owner_id", "owned_id"], encoding=encoding,
                             sheet=sheet)
        ent = None if entities is None else read_columns(entities, required=["id"],
                                                         encoding=encoding, sheet=sheet)
        return cls._from_table(table, ent, percent_scale=scale)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        entities: str | Path | pd.DataFrame | None = None,
        *,
        percent_scale: Literal["percent", "fraction"] = "percent",
    ) -> OwnershipGraph:
        """Same as :meth:`from_csv` from a DataFrame with the same columns (and the same
        ``percent_scale``: ``"percent"`` or ``"fraction"``)."""
        scale = check_percent_scale(percent_scale)
        table = read_table(frame, required=["owner_id", "owned_id"])
        ent = None if entities is None else read_table(entities, required=["id"])
        return cls._from_table(table, ent, percent_scale=scale)

    @classmethod
    def from_networkx(
        cls,
        graph: nx.DiGraph | nx.MultiDiGraph,
        *,
        percent_attr: str = "percent",
        percent_scale: Literal["percent", "fraction"] = "percent",
    ) -> OwnershipGraph:
        """Build from a networkx graph: edge owner -> owned with the ownership-CSV
        attributes (the percent in the edge attribute *percent_attr*, ``"percent"`` by
        default, e.g. ``percent_attr="weight"``; or ``percent_min``/``percent_max``;
        ``relation``, ...); node attributes ``name``, ``country``, ``aliases`` (text or a
        list). An edge without the attribute, or with ``None``, is an unknown stake
        (0-100), as an empty cell is, never 0. Numbers (int, float, Decimal) are read
        exactly as written in decimal (a float as its shortest repr); text must be a plain
        decimal. *percent_scale* as in :meth:`from_csv`."""
        import pandas as pd

        scale = check_percent_scale(percent_scale)
        columns = ("percent", "percent_min", "percent_max", "relation", "joint_group",
                   "valid_from", "valid_to", "source")
        records: list[dict[str, Any]] = []
        for u, v, data in graph.edges(data=True):
            rec: dict[str, Any] = {"owner_id": str(u), "owned_id": str(v)}
            for c in columns:
                value = data.get(percent_attr if c == "percent" else c)
                rec[c] = (value.isoformat() if isinstance(value, _dt.date)
                          else decimal_text(value))
            records.append(rec)
        frame = pd.DataFrame(records, columns=["owner_id", "owned_id", *columns], dtype=object)
        ent_rows = []
        for node, data in graph.nodes(data=True):
            aliases = data.get("aliases") or ""
            if not isinstance(aliases, str):
                aliases = ";".join(map(str, aliases))
            ent_rows.append({"id": str(node), "name": str(data.get("name") or ""),
                             "country": str(data.get("country") or ""), "aliases": aliases})
        ent = pd.DataFrame(ent_rows, columns=["id", "name", "country", "aliases"], dtype=object)
        table = read_table(frame.fillna(""), required=["owner_id", "owned_id"])
        table = Table(table.frame, "<networkx graph>", from_file=False)
        ent_table = read_table(ent, required=["id"])
        ent_table = Table(ent_table.frame, "<networkx graph nodes>", from_file=False)
        return cls._from_table(table, ent_table, percent_scale=scale)

    @classmethod
    def from_gleif_csv(cls, path: str | Path) -> OwnershipGraph:
        """Read a GLEIF Level 2 relationship-record (RR-CDF) golden-copy CSV.

        See :func:`exportscreen.ownership.loaders.gleif_frame` for the mapping."""
        from .loaders import gleif_frame

        frame, notices = gleif_frame(path)
        table = read_table(frame, required=["owner_id", "owned_id"])
        table = Table(table.frame, str(path), from_file=False)
        graph = cls._from_table(table, None, row_numbers=frame["_row"].to_numpy(),
                                percent_scale=None)
        graph.notices = tuple(notices) + graph.notices
        return graph

    @classmethod
    def from_bods(cls, path: str | Path) -> OwnershipGraph:
        """Read Beneficial Ownership Data Standard JSON (0.2-0.4 statements).

        See :func:`exportscreen.ownership.loaders.bods_frames` for the mapping."""
        from .loaders import bods_frames

        frame, entities, notices = bods_frames(path)
        table = Table(read_table(frame, required=["owner_id", "owned_id"]).frame, str(path),
                      from_file=False)
        ent = Table(read_table(entities, required=["id"]).frame, str(path), from_file=False)
        graph = cls._from_table(table, ent, row_numbers=frame["_row"].to_numpy(),
                                open_bounds=(frame["_lo_open"].to_numpy(bool),
                                             frame["_hi_open"].to_numpy(bool)),
                                percent_scale=None)
        graph.notices = tuple(notices) + graph.notices
        return graph

    # -------------------------------------------------------------- exports
    def to_networkx(self, nodes: list[str] | None = None) -> nx.MultiDiGraph | nx.DiGraph:
        """The graph (or the subgraph induced by *nodes*) as networkx.

        A ``DiGraph`` when no two stakes join the same pair, else a ``MultiDiGraph``.
        Edge attributes: ``percent_min``/``percent_max`` (Decimal, None when unknown),
        ``relation``, ``joint_group``, ``valid_from``, ``valid_to`` (dates or None),
        ``source``, ``row``. Node attributes: ``name``, ``country``, ``aliases``.
        """
        import networkx as nx

        if nodes is None:
            keep_nodes = np.arange(len(self.ids))
            edges = np.arange(self.n_stakes)
        else:
            pos = self.positions(list(nodes))
            keep_nodes = np.unique(pos[pos >= 0])
            mask = np.zeros(len(self.ids), bool)
            mask[keep_nodes] = True
            edges = np.flatnonzero(mask[self.owner] & mask[self.owned])
        pairs = self.owner[edges].astype(np.int64) * len(self.ids) + self.owned[edges]
        multi = len(np.unique(pairs)) < len(pairs)
        g: nx.DiGraph | nx.MultiDiGraph = nx.MultiDiGraph() if multi else nx.DiGraph()
        for i in keep_nodes.tolist():
            e = self.entity_at(i)
            g.add_node(e.id, name=e.name, country=e.country, aliases=list(e.aliases))
        for k in edges.tolist():
            unknown = bool(self.unknown[k])
            vf, vt = int(self.valid_from[k]), int(self.valid_to[k])
            g.add_edge(
                str(self.ids[self.owner[k]]), str(self.ids[self.owned[k]]),
                percent_min=None if unknown else units_to_decimal(int(self.lo[k])),
                percent_max=None if unknown else units_to_decimal(int(self.hi[k])),
                relation=RELATIONS[int(self.relation[k])],
                joint_group=self.joint_groups[self.joint_group[k]] if self.joint_group[k] >= 0
                else None,
                valid_from=None if vf == DAY_MIN else _dt.date.fromordinal(vf),
                valid_to=None if vt == DAY_MAX else _dt.date.fromordinal(vt),
                source=self.sources[self.source[k]] if self.source[k] >= 0 else None,
                row=int(self.row[k]),
            )
        return g

    # ----------------------------------------------------------- the parser
    @classmethod
    def _from_table(
        cls,
        table: ColumnTable,
        entities: ColumnTable | None,
        *,
        row_numbers: np.ndarray | None = None,
        open_bounds: tuple[np.ndarray, np.ndarray] | None = None,
        percent_scale: PercentScale | None = "percent",
    ) -> OwnershipGraph:
        """The graph of an ownership table (and entities table). *percent_scale*: how
        the percent columns are written; ``None`` for a source whose scale is fixed
        (GLEIF, BODS): per cent, without the notice that they look like fractions."""
        m = table.n_rows
        scale: PercentScale = percent_scale or "percent"
        cols = set(table.columns)
        notices: list[str] = [n for n in (blank_rows_notice(table), None if entities is None
                                          else blank_rows_notice(entities)) if n]

        def fail(message: str, pos: int, column: str) -> InputError:
            if row_numbers is not None:
                return InputError(message, file=table.label, row=int(row_numbers[pos]),
                                  column=column)
            return table.error(message, pos, column)

        def factorize(name: str) -> tuple[np.ndarray, np.ndarray]:
            """Codes and distinct values of a column (an absent column is all empty)."""
            if name in cols:
                return table.factorize(name)
            return np.zeros(m, np.int64), np.array([""], dtype=object)

        def first_row(codes: np.ndarray, k: int) -> int:
            return int(np.flatnonzero(codes == k)[0])

        # ids ---------------------------------------------------------------
        # the id columns of both tables are factorized together; only the distinct values
        # are trimmed and checked, and joined again when trimming made two of them equal
        id_columns: list[tuple[ColumnTable, str]] = [(table, "owner_id"), (table, "owned_id")]
        if entities is not None:
            id_columns.append((entities, "id"))
        id_codes, distinct = factorize_columns(id_columns)
        stripped = _strip_texts(distinct)
        bad = _bad_ids(stripped)
        if bad is not None:
            for (where, name), codes in zip(id_columns, id_codes, strict=True):
                hits = np.flatnonzero(bad[codes])
                if len(hits):
                    text = stripped[codes[hits[0]]]
                    if where is table:
                        raise fail(_bad_id_message(text), int(hits[0]), name)
                    raise where.error(_bad_id_message(text), int(hits[0]), name)
        if np.array_equal(stripped, distinct):
            ids = distinct
        else:
            rank, ids = _sorted_factorize(stripped)
            id_codes = [rank[c] for c in id_codes]
        owner = id_codes[0].astype(np.int32)
        owned = id_codes[1].astype(np.int32)
        n = len(ids)
        names = np.full(n, "", dtype=object)
        countries = np.full(n, "", dtype=object)
        aliases = np.full(n, "", dtype=object)
        if entities is not None and entities.n_rows:
            epos = id_codes[2]
            ecols = set(entities.columns)
            # each check finds its first bad row; the first of those is named (a row's
            # name, aliases, country, then a repeated id)
            faults: list[tuple[int, int, str, str]] = []
            # names and aliases are trimmed when an Entity is made (entity_at)
            for check, (text_name, target) in enumerate((("name", names),
                                                         ("aliases", aliases))):
                if text_name not in ecols:
                    continue
                texts = entities.texts(text_name)
                undecodable = _first_undecodable(texts)
                if undecodable is not None:
                    faults.append((undecodable, check, "the cell holds bytes that are not "
                                   "UTF-8 (save the file as UTF-8)", text_name))
                target[epos] = texts
            if "country" in ecols:
                ccodes, cuniques = entities.factorize("country")
                stripped_codes = [c.strip() for c in cuniques.tolist()]
                # distinct values come in order of first appearance: the first bad value
                # is on the first bad row
                bad_country = next((k for k, c in enumerate(stripped_codes)
                                    if c and not _COUNTRY_RE.match(c)), None)
                if bad_country is not None:
                    faults.append((first_row(ccodes, bad_country), 2,
                                   "not an ISO 3166 alpha-2 country code: "
                                   f"{stripped_codes[bad_country]!r}", "country"))
                upper = np.array([c.upper() for c in stripped_codes], dtype=object)
                countries[epos] = upper[ccodes]
            if np.bincount(epos, minlength=n).max() > 1:
                repeated = np.ones(len(epos), dtype=bool)
                repeated[np.unique(epos, return_index=True)[1]] = False
                pos = int(np.flatnonzero(repeated)[0])
                faults.append((pos, 3, f"entity id {ids[epos[pos]]!r} appears more than "
                               "once", "id"))
            if faults:
                pos, _, message, column = min(faults)
                raise entities.error(message, pos, column)

        self_loop = np.flatnonzero(owner == owned)
        if len(self_loop):
            raise fail("an entity cannot hold a stake in itself (leave treasury shares out)",
                       int(self_loop[0]), "owned_id")

        # relation ------------------------------------------------------------
        rcodes, runiques = factorize("relation")
        rel_of = np.zeros(max(len(runiques), 1), dtype=np.int8)
        for k, text in enumerate(runiques.tolist()):
            t = str(text).strip().lower()
            if t in ("", "ownership"):
                rel_of[k] = OWNERSHIP
            elif t in ("control", "branch"):
                rel_of[k] = CONTROL if t == "control" else BRANCH
            else:
                pos = first_row(rcodes, k)
                raise fail(f"relation must be ownership, control or branch, not {text!r}",
                           pos, "relation")
        relation = rel_of[rcodes] if m else np.zeros(0, np.int8)

        # percents ------------------------------------------------------------
        def bounds(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
            c, u = factorize(name)
            lo_u = np.zeros(len(u), np.int64)
            hi_u = np.zeros(len(u), np.int64)
            given = np.zeros(len(u), bool)
            rounded = False
            for k, text in enumerate(u.tolist()):
                t = str(text)
                if not t.strip():
                    continue
                try:
                    lo_k, hi_k, r = parse_percent(t, scale=scale)
                except ValueError as exc:
                    raise fail(str(exc), first_row(c, k), name) from None
                if lo_k < 0 or hi_k > HUNDRED:
                    raise fail(f"percent {t.strip()} is outside 0-100",
                               first_row(c, k), name)
                lo_u[k], hi_u[k], given[k] = lo_k, hi_k, True
                rounded |= r
            # the largest known value (its upper bound) and whether any is above 0, for
            # the notice on values that look like fractions
            if given.any():
                largest[0] = max(largest[0], int(hi_u[given].max()))
            return lo_u[c], hi_u[c], given[c], rounded

        largest = [-1]  # -1: no percent given
        p_lo, p_hi, p_given, r1 = bounds("percent")
        a_lo, _, a_given, r2 = bounds("percent_min")
        _, b_hi, b_given, r3 = bounds("percent_max")
        if r1 or r2 or r3:
            notices.append(
                f"{table.label}: some percents have more than 9 decimal places; their lower "
                "bounds were rounded down and upper bounds up to 9 places (a result can only "
                "move between covered and undetermined because of this)")
        if percent_scale == "percent" and 0 < largest[0] <= UNITS_PER_PERCENT:
            notices.append(
                f"{table.label}: every percent given is 1 or less (the largest is "
                f"{format(units_to_decimal(largest[0]), 'f')}); they were read as per cent "
                "(0.6 is 0.6 %); if they are fractions of 1 (0.6 meaning 60 %), read the "
                "file with --percent-scale fraction (percent_scale=\"fraction\" in Python)")
        both = np.flatnonzero(p_given & (a_given | b_given))
        if len(both):
            raise fail("give either percent or percent_min/percent_max, not both",
                       int(both[0]), "percent")
        lo = np.where(p_given, p_lo, np.where(a_given, a_lo, 0))
        hi = np.where(p_given, p_hi, np.where(b_given, b_hi, HUNDRED))
        inverted = np.flatnonzero(lo > hi)
        if len(inverted):
            raise fail("percent_min is greater than percent_max", int(inverted[0]),
                       "percent_min")
        unknown = ~(p_given | a_given | b_given)
        nonown_pct = np.flatnonzero((relation != OWNERSHIP) & ~unknown)
        if len(nonown_pct):
            k = int(nonown_pct[0])
            raise fail(f"a {RELATIONS[relation[k]]} row carries no percent; put the stake on "
                       "its own ownership row", k, "percent" if "percent" in cols
                       else "percent_min")
        if np.any(relation != OWNERSHIP):
            lo = np.where(relation == OWNERSHIP, lo, 0)
            hi = np.where(relation == OWNERSHIP, hi, 0)
        lo_open = hi_open = None
        if open_bounds is not None:
            lo_open, hi_open = open_bounds

        # joint groups, sources ---------------------------------------------
        def labels(name: str) -> tuple[np.ndarray, tuple[str, ...]]:
            """Codes into the sorted distinct trimmed texts of a column (-1: empty)."""
            c, u = factorize(name)
            undecodable = _first_undecodable(u)
            if undecodable is not None:
                raise fail("the cell holds bytes that are not UTF-8 (save the file as UTF-8)",
                           first_row(c, undecodable), name)
            trimmed = [str(t).strip() for t in u.tolist()]
            kept = sorted({t for t in trimmed if t})
            code = {t: i for i, t in enumerate(kept)}
            remap = np.array([code.get(t, -1) for t in trimmed], np.int64)
            return (remap[c] if m else np.zeros(0, np.int64)), tuple(kept)

        joint_group, joint_names = labels("joint_group")
        source, source_names = labels("source")

        # dates ---------------------------------------------------------------
        def days(name: str, empty: int) -> np.ndarray:
            c, u = factorize(name)
            out = np.full(len(u), empty, np.int64)
            for k, text in enumerate(u.tolist()):
                t = str(text).strip()
                if not t:
                    continue
                try:
                    out[k] = iso_date(t).toordinal()
                except ValueError:
                    raise fail(f"not a date in the form YYYY-MM-DD: {t!r}",
                               first_row(c, k), name) from None
            return np.asarray(out[c])

        vf = days("valid_from", DAY_MIN)
        vt = days("valid_to", DAY_MAX)
        backwards = np.flatnonzero(vf > vt)
        if len(backwards):
            raise fail("valid_from is after valid_to", int(backwards[0]), "valid_from")

        rows = (np.asarray(row_numbers, np.int64) if row_numbers is not None
                else table.row_numbers())
        return cls(
            ids, owner=owner, owned=owned, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open,
            unknown=unknown, relation=relation, joint_group=joint_group, joint_groups=joint_names,
            valid_from=vf, valid_to=vt, source=source, sources=source_names, row=rows,
            names=names, countries=countries, aliases=aliases, label=table.label,
            notices=tuple(notices),
        )
