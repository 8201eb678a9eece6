"""exportscreen on Apache Spark: the ownership rules and batch name screening over Spark
DataFrames (``pip install 'exportscreen[spark]'``; docs/scale-out.md).

    >>> import exportscreen.spark as xsp                                # doctest: +SKIP
    >>> xsp.apply_affiliates_rule(stakes_df, listed_df, "us-ofac", as_of="2025-10-15")
    >>> xsp.screen_names(suppliers_df, name_col="name", country_col="country")

Both give what the CLI gives on the same input (``affiliates --format csv``, ``screen
--format csv``): Spark narrows the ownership graph and spreads the names; the rules and the
matching are the in-memory engine's, run on each piece.
"""

from __future__ import annotations

from .affiliates import SparkAffiliates, apply_affiliates_rule, run_affiliates
from .screen import SCREEN_COLUMNS, screen_names

__all__ = ["SCREEN_COLUMNS", "SparkAffiliates", "apply_affiliates_rule", "run_affiliates",
           "screen_names"]
