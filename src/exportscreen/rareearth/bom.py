"""Bills of materials: loading, validating and holding a BOM as columnar arrays.

A BOM (DESIGN.md "BOM CSV") is a table of lines; each product is a tree of lines
linked by ``parent_id`` with exactly one top line (empty ``parent_id``). Shipment
facts (``export_from``, ``destination``, ``ship_date``, ``end_use``,
``end_user_listed``) are read from the product's top line; other lines may repeat
them only with the same value.

Validation raises :class:`~exportscreen.errors.InputError` naming file, row and
column: negative or non-numeric ``value``, unknown ``category``, unknown element
symbol or bad weight in ``elements``, bad ISO-2 code, bad ``yes|no`` value, bad
date, duplicate ``line_id`` in a product, unknown parent, two top lines, parent
cycles. An empty ``value`` or ``origin`` is *unknown*, not zero: the checker turns
it into an interval.

>>> import pandas as pd
>>> bom = load_bom(pd.DataFrame({"product_id": ["P1", "P1"], "line_id": ["L1", "L2"],
...     "parent_id": ["", "L1"], "category": ["magnet", "metal"], "value": ["100", "0.1"],
...     "elements": ["Nd:30;Dy:1", "Dy"], "origin": ["JP", "CN"]}))
>>> bom.n_lines, bom.n_products, int(bom.parent[1])
(2, 1, 0)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError
from ..io.read import SURROGATES, Table, has_undecodable, iso_date, read_table
from .pack import CATEGORIES, ELEMENT_SYMBOLS, RARE_EARTHS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "END_USER_LISTED",
    "END_USES",
    "REQUIRED_COLUMNS",
    "Bom",
    "Composition",
    "element_bit",
    "load_bom",
]

REQUIRED_COLUMNS = ("product_id", "line_id", "category", "value")
SHIPMENT_COLUMNS = ("export_from", "destination", "ship_date", "end_use", "end_user_listed")
_READ_COLUMNS = frozenset((*REQUIRED_COLUMNS, *SHIPMENT_COLUMNS, "parent_id", "description",
                           "elements", "origin", "made_in", "cn_technology"))
END_USES = ("civil", "military", "wmd", "advanced_semiconductor", "military_ai", "humanitarian")
#: ``end_user_listed`` values: ``yes`` (on a MOFCOM list, which one not said: read as the
#: control list where that matters, conservatively), ``control_list`` (管控名单: dual-use
#: exports from China barred), ``watch_list`` (关注名单), ``no``; empty = not given.
END_USER_LISTED = ("yes", "no", "control_list", "watch_list", "")

_SYMBOLS = frozenset(ELEMENT_SYMBOLS)
_SYMBOL_BY_FOLD = {s.casefold(): s for s in ELEMENT_SYMBOLS}
# Elements the rules look at get a bit in a 64-bit mask (rare earths, the alloy partners and
# the NdFeB/SmCo markers); other valid symbols are accepted and kept in the composition only.
_TRACKED = (*RARE_EARTHS, "B", "Co", "Fe", "Ni", "Al", "Mg", "Cu")
_BIT = {s: 1 << i for i, s in enumerate(_TRACKED)}
REE_MASK = sum(_BIT[s] for s in RARE_EARTHS)

_NUMBER = r"\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*"
_ISO2 = re.compile(r"[A-Za-z]{2}")


def element_bit(symbol: str) -> int:
    """Bit of *symbol* in the composition masks (0 for untracked elements)."""
    return _BIT.get(symbol, 0)


@dataclass(frozen=True)
class Composition:
    """Parsed ``elements`` cell: symbol -> weight percent (``None`` = present, weight unknown)."""

    weights: dict[str, Decimal | None]
    mask: int
    total: Decimal = Decimal(0)  # sum of the given weights (may exceed 100 within tolerance)

    def weight(self, symbol: str) -> Decimal | None:
        return self.weights.get(symbol)


@dataclass
class Bom:
    """A validated BOM as arrays, one entry per line (in input order)."""

    table: Table
    product: np.ndarray  # object: product_id per line
    line_id: np.ndarray  # object
    parent: np.ndarray  # int64, -1 on a top line
    root: np.ndarray  # int64, index of the product's top line
    depth: np.ndarray  # int64, 0 on a top line
    category: np.ndarray  # int16 index into CATEGORIES
    value_text: np.ndarray  # object, stripped; "" = unknown
    composition_index: np.ndarray  # int64 into compositions; -1 = no elements given
    compositions: list[Composition]
    own_mask: np.ndarray  # int64
    subtree_mask: np.ndarray  # int64: own | all descendants
    subtree_known: np.ndarray  # bool: some line in the subtree lists elements
    origin: np.ndarray  # object ISO-2 or "" (origin, else made_in)
    made_in: np.ndarray  # object ISO-2 or "" (made_in, else origin)
    cn_technology: np.ndarray  # int8: 1 yes, 0 no, -1 unknown
    description: np.ndarray  # object
    tops: np.ndarray  # int64: top line index per product, products sorted by id
    product_ids: list[str]
    shipment: dict[str, list[Any]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # accepted oddities, e.g. rounded assays

    @property
    def n_lines(self) -> int:
        return len(self.line_id)

    @property
    def n_products(self) -> int:
        return len(self.tops)

    def row(self, index: int) -> int:
        return self.table.row_number(index)

    def value(self, index: int) -> Decimal | None:
        text = self.value_text[index]
        return Decimal(text) if text else None

    def composition(self, index: int) -> Composition | None:
        ci = int(self.composition_index[index])
        return self.compositions[ci] if ci >= 0 else None


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_NUMBER_RE = re.compile(_NUMBER)
# values within 10^-60 .. 10^60: any sum of them fits the checker's 200-digit exact context
_VALUE_MAX_EXPONENT = 59
_VALUE_MIN_EXPONENT = -60


def _factorize(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    import pandas as pd

    codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _text(table: Table, name: str) -> np.ndarray:
    """A column as stripped text; work is done once per distinct cell (fast on 1M lines)."""
    frame = table.frame
    if name not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    codes, uniques = _factorize(frame[name].to_numpy(dtype=object))
    if SURROGATES.search("\x00".join(uniques)):
        bad = next(k for k, u in enumerate(uniques) if has_undecodable(u))
        raise table.error("the cell holds bytes that are not valid UTF-8",
                          _first(codes == bad), name)
    stripped = np.array([u.strip() for u in uniques] + [""], dtype=object)
    result: np.ndarray = stripped[codes]
    return result


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


def _first_equal(values: np.ndarray, text: str) -> int | None:
    """Position of the first cell equal to *text* (compared as Python strings: numpy drops a
    trailing NUL when it compares text, and the row of the bad cell would be lost)."""
    cells: list[str] = values.tolist()
    try:
        return cells.index(text)
    except ValueError:
        return None


def _parse_elements(text: str, tolerance: Decimal = Decimal(1)) -> Composition:
    """Parse ``Nd:13.5;Dy:0.36`` (weight optional); raises ValueError with the reason.

    Weights may add up to at most ``100 + tolerance`` percent: assays round each element,
    so a real composition can add up to a little more than 100 % (the Shanghai customs
    NdFeB case, 100.36 %)."""
    weights: dict[str, Decimal | None] = {}
    for raw in text.split(";"):
        token = raw.strip()
        if not token:
            continue
        symbol, sep, weight_text = token.partition(":")
        symbol = symbol.strip()
        if symbol not in _SYMBOLS:
            hint = _SYMBOL_BY_FOLD.get(symbol.casefold())
            raise ValueError(f"unknown element symbol {symbol!r}"
                             + (f" (did you mean {hint!r}?)" if hint else ""))
        if symbol in weights:
            raise ValueError(f"element {symbol} is listed twice")
        weight: Decimal | None = None
        if sep:
            weight_text = weight_text.strip()
            if not re.fullmatch(_NUMBER, weight_text):
                raise ValueError(f"weight of {symbol} is not a number in 0..100: {weight_text!r}")
            weight = Decimal(weight_text)
            if weight > 100:
                raise ValueError(f"weight of {symbol} is above 100 %: {weight_text}")
        weights[symbol] = weight
    total = sum((w for w in weights.values() if w is not None), Decimal(0))
    if total > 100 + tolerance:
        raise ValueError(f"weights add up to {total} %, more than 100 % (beyond the tolerance "
                         f"of {tolerance} percentage point(s) for rounded assays)")
    mask = 0
    for symbol, weight in weights.items():
        if weight is None or weight > 0:  # an explicit 0 % says the element is absent
            mask |= _BIT.get(symbol, 0)
    return Composition(weights, mask, total)


def _pointer_jump(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Root and depth of every line; a line whose chain never ends has root -1."""
    n = len(parent)
    idx = np.arange(n, dtype=np.int64)
    anc = np.where(parent < 0, idx, parent)
    dist = (parent >= 0).astype(np.int64)
    for _ in range(max(1, int(n).bit_length()) + 1):
        new_anc = anc[anc]
        dist = dist + dist[anc]
        if np.array_equal(new_anc, anc):
            break
        anc = new_anc
    rooted = parent[anc] < 0
    return np.where(rooted, anc, -1), np.where(rooted, dist, -1)


#: Default tolerance, in percentage points, for element weights adding up beyond 100 %.
DEFAULT_COMPOSITION_TOLERANCE = Decimal(1)
_LISTED_LINES = 10  # lines named in a rounded-composition notice


def composition_tolerance_value(value: Decimal | str | float | None) -> Decimal:
    """The tolerance as a Decimal (``None``: the default of 1 percentage point).

    Raises :class:`InputError` for anything but a finite number from 0 to 100."""
    if value is None:
        return DEFAULT_COMPOSITION_TOLERANCE
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= 100:
        raise InputError(f"composition tolerance must be a number of percentage points from 0 "
                         f"to 100, not {value!r}", column="composition_tolerance")
    return number


def load_bom(
    source: str | Path | pd.DataFrame | Bom,
    composition_tolerance: Decimal | str | float | None = None, *,
    encoding: str | None = None, sheet: str | int | None = None,
) -> Bom:
    """Read and validate a BOM from a CSV/TSV/Excel file or a DataFrame (see module doc);
    *encoding* and *sheet* as :func:`~exportscreen.io.read.read_table` takes them.

    *composition_tolerance* (percentage points, default 1): a line's element weights may
    add up to ``100 + tolerance`` percent, for rounded laboratory or customs assays; each
    such line is named in a notice (``Bom.notices``). Beyond it the BOM is refused.
    """
    if isinstance(source, Bom):
        return source
    import pandas as pd

    tolerance = composition_tolerance_value(composition_tolerance)

    table = read_table(source, required=REQUIRED_COLUMNS, encoding=encoding, sheet=sheet)
    frame = table.frame
    n = len(frame)

    for name in frame.columns:  # undecodable bytes in columns the checker does not read
        if name not in _READ_COLUMNS:
            _text(table, name)

    product = _text(table, "product_id")
    line_id = _text(table, "line_id")
    parent_id = _text(table, "parent_id")
    for name, values in (("product_id", product), ("line_id", line_id)):
        bad = _first(values == "")
        if bad is not None:
            raise table.error(f"{name} is empty", bad, name)
    for name, values in (("product_id", product), ("line_id", line_id),
                         ("parent_id", parent_id)):
        # a NUL or a line break in an id is a corrupted cell; it would corrupt the outputs
        odd = next((u for u in pd.unique(values) if _CONTROL.search(u)), None)
        if odd is not None:
            raise table.error(f"{name} contains a control character: {odd!r}",
                              _first_equal(values, odd), name)

    # category
    category_text = _text(table, "category")
    cat_codes, cat_uniques = _factorize(category_text)
    codes = pd.Index(list(CATEGORIES)).get_indexer(pd.Index(cat_uniques)).astype(np.int16)
    codes = np.append(codes, -1)[cat_codes]
    bad = _first(codes < 0)
    if bad is not None:
        raise table.error(f"unknown category {category_text[bad]!r} (expected one of: "
                          f"{', '.join(CATEGORIES)})", bad, "category")

    # value: empty = unknown, else a non-negative plain decimal
    value_text = _text(table, "value")
    bad = None
    for text in pd.unique(value_text):
        if text and not _NUMBER_RE.fullmatch(text):
            bad = _first_equal(value_text, text)
            break
        # exact arithmetic on 1e999999999 overflows (and 1e-999999999 too, in a sum):
        # far beyond any price, so refuse instead
        number = Decimal(text) if text else Decimal(0)
        if number and not _VALUE_MIN_EXPONENT <= number.adjusted() <= _VALUE_MAX_EXPONENT:
            raise table.error(f"value {text!r} is out of range (values are taken between "
                              f"1e{_VALUE_MIN_EXPONENT} and 1e{_VALUE_MAX_EXPONENT + 1})",
                              _first_equal(value_text, text), "value")
    if bad is not None:
        text = value_text[bad]
        try:
            number = Decimal(text)
            reason = (f"negative value {text!r}" if number < 0 else
                      f"not a plain decimal number: {text!r}")
        except InvalidOperation:
            reason = f"not a number: {text!r}"
        raise table.error(reason, bad, "value")

    # elements: parse each distinct cell once
    elements_text = _text(table, "elements")
    inverse, uniques = _factorize(elements_text)
    compositions: list[Composition] = []
    rounded: list[tuple[int, Decimal]] = []  # (unique cell, total) adding up beyond 100 %
    comp_of_unique = np.full(len(uniques), -1, dtype=np.int64)
    for i, text in enumerate(uniques):
        if not text:
            continue
        try:
            comp = _parse_elements(text, tolerance)
        except ValueError as exc:
            raise table.error(str(exc), _first_equal(elements_text, text), "elements") from None
        comp_of_unique[i] = len(compositions)
        compositions.append(comp)
        if comp.total > 100:
            rounded.append((i, comp.total))
    composition_index = comp_of_unique[inverse] if n else np.zeros(0, np.int64)
    mask_of_comp = np.array([c.mask for c in compositions] + [0], dtype=np.int64)
    own_mask = mask_of_comp[composition_index]  # -1 picks the trailing 0
    own_known = composition_index >= 0

    origin_raw = _iso2(table, _text(table, "origin"), "origin")
    made_in_raw = _iso2(table, _text(table, "made_in"), "made_in")
    origin = np.where(origin_raw != "", origin_raw, made_in_raw)
    made_in = np.where(made_in_raw != "", made_in_raw, origin_raw)
    cn_tech_text = _text(table, "cn_technology")
    cn_technology = _choice(table, cn_tech_text, "cn_technology",
                            {"yes": 1, "no": 0, "unknown": -1, "": -1}).astype(np.int8)

    # structure: unique keys, parents in the same product, one top line, no cycles
    keys = pd.Index(pd.Series(product, dtype=object) + "\x1f" + pd.Series(line_id, dtype=object))
    dup = keys.duplicated()
    bad = _first(np.asarray(dup))
    if bad is not None:
        raise table.error(f"line_id {line_id[bad]!r} appears twice in product {product[bad]!r}",
                          bad, "line_id")
    has_parent = parent_id != ""
    parent_keys = pd.Series(product, dtype=object) + "\x1f" + pd.Series(parent_id, dtype=object)
    parent = keys.get_indexer(pd.Index(parent_keys)).astype(np.int64)
    bad = _first(has_parent & (parent < 0))
    if bad is not None:
        raise table.error(f"unknown parent {parent_id[bad]!r}: no line with that line_id in "
                          f"product {product[bad]!r}", bad, "parent_id")
    parent[~has_parent] = -1
    bad = _first(parent == np.arange(n))
    if bad is not None:
        raise table.error(f"line {line_id[bad]!r} is its own parent", bad, "parent_id")

    product_codes, product_uniques = pd.factorize(pd.Series(product, dtype=object), sort=True)
    product_codes = np.asarray(product_codes, dtype=np.int64)
    n_products = len(product_uniques)
    top_lines = np.flatnonzero(~has_parent)
    counts = np.bincount(product_codes[top_lines], minlength=n_products)
    if n_products and (counts > 1).any():
        seen: set[int] = set()
        for top_line in top_lines.tolist():
            code = int(product_codes[top_line])
            if code in seen:
                raise table.error(f"product {product[top_line]!r} has a second top line (empty "
                                  "parent_id); a product has exactly one", top_line, "parent_id")
            seen.add(code)
    root, depth = _pointer_jump(parent)
    bad = _first(root < 0)
    if bad is not None:
        raise table.error(_cycle_message(parent, line_id, bad), bad, "parent_id")
    tops = np.full(n_products, -1, dtype=np.int64)
    tops[product_codes[top_lines]] = top_lines

    # composition of each subtree: OR the masks upward, deepest level first
    subtree_mask = own_mask.copy()
    known = own_known.astype(np.int8)
    if n:
        order = np.argsort(-depth, kind="stable")
        sorted_depth = depth[order]
        bounds = np.flatnonzero(np.diff(sorted_depth)) + 1
        for chunk in np.split(order, bounds):
            if depth[chunk[0]] == 0:
                break
            np.bitwise_or.at(subtree_mask, parent[chunk], subtree_mask[chunk])
            np.maximum.at(known, parent[chunk], known[chunk])

    shipment = _shipment(table, frame, tops, root, n_products)
    notices = [_rounded_notice(table, product, line_id, np.flatnonzero(inverse == k), total,
                               tolerance)
               for k, total in rounded]

    # keep only what error messages need, so the text frame can be freed before checking
    slim = replace(table, frame=frame.iloc[:0])
    del frame
    return Bom(
        table=slim, product=product, line_id=line_id, parent=parent, root=root, depth=depth,
        category=codes, value_text=value_text, composition_index=composition_index,
        compositions=compositions, own_mask=own_mask, subtree_mask=subtree_mask,
        subtree_known=known.astype(bool), origin=origin, made_in=made_in,
        cn_technology=cn_technology, description=_text(table, "description"),
        tops=tops, product_ids=[str(p) for p in product_uniques], shipment=shipment,
        notices=notices,
    )


def _rounded_notice(table: Table, product: np.ndarray, line_id: np.ndarray, where: np.ndarray,
                    total: Decimal, tolerance: Decimal) -> str:
    named = ", ".join(f"product {product[i]} line {line_id[i]} (row {table.row_number(int(i))})"
                      for i in where[:_LISTED_LINES])
    more = len(where) - _LISTED_LINES
    return (f"element weights add up to {total} % on {named}"
            + (f" and {more} more line(s)" if more > 0 else "")
            + f": accepted as a rounded assay (tolerance {tolerance} percentage point(s) above "
            "100 %)")


def _iso2(table: Table, values: np.ndarray, column: str) -> np.ndarray:
    codes, uniques = _factorize(values)
    for k, u in enumerate(uniques):
        if u and not _ISO2.fullmatch(u):
            raise table.error(f"not an ISO 3166 alpha-2 country code: {u!r}",
                              _first(codes == k), column)
    result: np.ndarray = np.array([u.upper() for u in uniques] + [""], dtype=object)[codes]
    return result


def _choice(table: Table, values: np.ndarray, column: str, allowed: dict[str, Any]) -> np.ndarray:
    codes, uniques = _factorize(values)
    mapped = []
    for k, u in enumerate(uniques):
        if u.lower() not in allowed:
            names = "|".join(key for key in allowed if key)
            raise table.error(f"expected {names} (or empty), found {u!r}", _first(codes == k),
                              column)
        mapped.append(allowed[u.lower()])
    result: np.ndarray = np.array([*mapped, allowed.get("", "")], dtype=object)[codes]
    return result


def _cycle_message(parent: np.ndarray, line_id: np.ndarray, start: int) -> str:
    seen: dict[int, int] = {}
    path: list[int] = []
    node = start
    while node >= 0 and node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = int(parent[node])
    cycle = path[seen[node]:] if node >= 0 else path
    names = " > ".join(str(line_id[i]) for i in [*cycle, cycle[0]])
    return f"parent cycle: {names} (a product's lines must form a tree with one top line)"


def _shipment(table: Table, frame: pd.DataFrame, tops: np.ndarray, root: np.ndarray,
              n_products: int) -> dict[str, list[Any]]:
    """Shipment facts per product from its top line; other lines may only repeat them."""
    out: dict[str, list[Any]] = {}
    for column in SHIPMENT_COLUMNS:
        values = _text(table, column)
        if column in ("export_from", "destination"):
            values = _iso2(table, values, column)
        elif column == "end_use":
            values = _choice(table, values, column, {**{u: u for u in END_USES}, "": ""})
        elif column == "end_user_listed":
            values = _choice(table, values, column, {v: v for v in END_USER_LISTED})
        if len(values):
            top_value = values[root]
            bad = _first((values != "") & (values != top_value))
            if bad is not None:
                raise table.error(
                    f"{column} {values[bad]!r} differs from the product's top line "
                    f"({top_value[bad]!r}); shipment facts belong on the top line", bad, column)
        per_product = values[tops] if n_products else values[:0]
        if column == "ship_date":
            parsed: dict[str, _dt.date | None] = {"": None}
            for text in sorted(set(per_product.tolist()) - {""}):
                try:
                    # fromisoformat alone also takes 20260301 and 2026-W10-1
                    parsed[text] = iso_date(text)
                except ValueError:
                    raise table.error(f"not a date in the form YYYY-MM-DD: {text!r}",
                                      _first_equal(values, text), column) from None
            out[column] = [parsed[t] for t in per_product.tolist()]
        elif column == "end_user_listed":
            # True on any list; end_user_list keeps which one (control list or watch list)
            out[column] = [None if v == "" else v != "no" for v in per_product.tolist()]
            out["end_user_list"] = [str(v) for v in per_product.tolist()]
        else:
            out[column] = [str(v) for v in per_product.tolist()]
    return out


def bom_columns() -> Sequence[str]:
    """All columns of the BOM contract, required ones first."""
    return (*REQUIRED_COLUMNS, "parent_id", "description", "elements", "origin", "made_in",
            "cn_technology", *SHIPMENT_COLUMNS)
