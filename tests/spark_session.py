"""One local Spark session per test module (local[2]), or a skip/fail saying what is missing.

Spark needs pyspark, pyarrow (mapInPandas) and a Java runtime; where one is missing the
Spark tests are skipped on a developer's machine and fail in CI (EXPORTSCREEN_REQUIRE_SPARK=1,
set by .ci/run), through :func:`conftest.require`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

from conftest import require

REQUIRE = "EXPORTSCREEN_REQUIRE_SPARK"


def spark_session() -> Iterator[Any]:
    for module in ("pyspark", "pyarrow"):
        require(f"{module} (pip install 'exportscreen[spark]')",
                importlib.util.find_spec(module) is not None, REQUIRE)
    require("java (a Java 17+ runtime for Spark)",
            shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME")), REQUIRE)
    # the Python workers must run this interpreter (the one with exportscreen installed)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("exportscreen-tests")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.default.parallelism", "2")
             .config("spark.sql.adaptive.enabled", "false")
             .config("spark.driver.memory", "1g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()
