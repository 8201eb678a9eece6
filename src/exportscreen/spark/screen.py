"""Batch name screening over a Spark DataFrame, row for row as ``exportscreen screen``.

Each Arrow batch of a partition goes through :func:`exportscreen.screening.screen` (the one
implementation of the statuses, reasons, keys and hashes) inside ``mapInPandas``. The
screening list travels in the function's closure, so nothing is broadcast through a
SparkContext: the same code runs on a cluster, in local mode and under Spark Connect. A
Python worker builds the list's :class:`~exportscreen.NameMatcher` once and keeps it for
the next batches (``screening.matching`` keeps the matchers it built).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import InputError
from ..lists import ScreeningList, load_list
from ..names import NameMatcher
from ..screening import screen
from ..screening.model import EXTRA_COLUMNS, RESULT_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["SCREEN_COLUMNS", "screen_names"]

SCREEN_COLUMNS: tuple[str, ...] = (*RESULT_COLUMNS, *EXTRA_COLUMNS)


def screen_names(
    df: DataFrame,
    name_col: str = "name",
    country_col: str | None = None,
    lists: str | os.PathLike[str] | ScreeningList | NameMatcher = "default",
    *,
    id_col: str | None = None,
    hit_threshold: float | None = None,
    possible_threshold: float | None = None,
) -> DataFrame:
    """Screen the names of a Spark DataFrame; every input row once, with the columns of
    ``exportscreen screen --format csv`` added.

    The output has the input's columns (values unchanged) followed by ``screen_status``
    (hit, possible, clear, error), ``score``, ``matched_name``, ``matched_list``,
    ``matched_entry_id``, ``license_requirement``, ``reason``, ``license_policy``,
    ``affiliate_path``, ``decision``, ``decision_note``, ``row_key``, ``supplier_hash`` and
    ``entry_hash``: the values the CLI gives the same row (``row_key``, the key the CLI's
    decisions and ``--since`` use, depends on the row alone). Rows keep their partition and
    their order in it. A row that cannot be screened (empty name, bytes that were not
    UTF-8, shown by Spark as U+FFFD; a name of only a legal form) is ``error`` with the
    reason; nothing is dropped.
    A null cell is screened as an empty one, as the CLI reads an empty CSV cell.

    *lists* is ``"default"``, the path of a list file, a :class:`ScreeningList` or a
    :class:`NameMatcher`; it is loaded once on the driver and shipped in the closure.

    Example::

        >>> import exportscreen.spark as xsp                       # doctest: +SKIP
        >>> df = spark.read.csv("fixtures/suppliers.csv", header=True)
        >>> xsp.screen_names(df, "name", "country").select("name", "screen_status").show()
    """
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    columns = [str(c) for c in df.columns]
    for wanted, label in ((name_col, "name_col"), (country_col, "country_col"),
                          (id_col, "id_col")):
        if wanted is not None and wanted not in columns:
            raise InputError(f"{label}: the DataFrame has no column {wanted!r} (it has: "
                             f"{', '.join(columns)})", file="<DataFrame>", column=wanted)
    taken = [c for c in columns if c in SCREEN_COLUMNS or c == "change"]
    if taken:
        raise InputError("the input already has this column, which screening adds; rename it "
                         "(is this a results file being screened again?)",
                         file="<DataFrame>", column=taken[0])
    source: ScreeningList | NameMatcher = (
        lists if isinstance(lists, ScreeningList | NameMatcher)
        else load_list(lists if isinstance(lists, str) else Path(lists)))
    schema = StructType([
        *df.schema.fields,
        *(StructField(c, DoubleType() if c == "score" else StringType(), True)
          for c in SCREEN_COLUMNS),
    ])
    options: dict[str, Any] = {
        "name_column": name_col, "country_column": country_col, "id_column": id_col,
        "hit_threshold": hit_threshold, "possible_threshold": possible_threshold,
    }
    return df.mapInPandas(_screen_batches(source, columns, options), schema)


def _screen_batches(
    source: ScreeningList | NameMatcher, columns: list[str], options: dict[str, Any],
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The mapInPandas function; *source* is in its closure (pickled with it)."""

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            batch = batch.reset_index(drop=True)
            texts = pd.DataFrame(
                {c: [_text(v) for v in batch[c].tolist()] for c in columns}, dtype=object)
            result = screen(texts, list=source, progress=False, **options).frame
            out = batch.copy()
            for column in SCREEN_COLUMNS:
                out[column] = result[column].to_numpy()
            yield out

    return run


def _text(value: object) -> str:
    """A cell as the CSV readers would have read it: null is empty; U+FFFD, which Spark's
    CSV reader puts where a file's bytes were not UTF-8, becomes the lone surrogate the
    CLI's reader keeps for such a byte, so the row is an ``error`` with the CLI's reason
    (a name with a hole in it is not screened as "clear"). Its ``supplier_hash`` differs
    from the CLI's, which hashes the original bytes Spark no longer has."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = value if isinstance(value, str) else str(value)
    return text.replace("\ufffd", "\udcff") if "\ufffd" in text else text
