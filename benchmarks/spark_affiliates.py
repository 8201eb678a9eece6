"""Benchmark: the ownership rules on Spark (local mode) against the CLI, on the graph of
benchmarks/affiliates_scale.py (1 M entities / ~2 M stakes / 10 k listed roots by default).

For each rule it runs ``exportscreen affiliates --format csv`` (its own process; wall time
and peak RSS), then :func:`exportscreen.spark.run_affiliates` on the same CSV files read by
Spark, and prints Spark's start-up, the validation pass, each fixpoint iteration (how many
entities joined, seconds), the collection of the candidate subgraph, the exact engine on it
and the total, the size of the subgraph, and whether the two outputs are identical. It
prints figures; it asserts nothing.

    .venv/bin/python benchmarks/spark_affiliates.py [--entities 1000000] [--roots 10000]
        [--rule us-ofac --rule us-bis-affiliates] [--as-of 2025-10-15] [--master local[2]]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from affiliates_scale import OUT, generate, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--roots", type=int, default=10_000)
    parser.add_argument("--rule", action="append")
    parser.add_argument("--as-of", default="2025-10-15")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="3g")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    rules = args.rule or ["us-ofac", "us-bis-affiliates"]
    t0 = time.perf_counter()
    own, ent, listed = generate(args.entities, args.roots)
    stakes_n = sum(1 for _ in own.open(encoding="utf-8")) - 1
    print(f"graph: {args.entities} entities, {stakes_n} stakes, {args.roots} listed roots "
          f"(generated or reused in {time.perf_counter() - t0:.1f} s)")

    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    import exportscreen.spark as xsp
    from exportscreen.ownership.engine import CSV_COLUMNS

    t = time.perf_counter()
    spark = (SparkSession.builder.master(args.master).appName("exportscreen-bench")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", args.driver_memory)
             .config("spark.sql.shuffle.partitions", "8")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"spark {spark.version} {args.master}: start-up {time.perf_counter() - t:.1f} s")

    for rule in rules:
        print(f"\n== {rule} as of {args.as_of}")
        cli_out = OUT / f"cli_{rule}_{args.entities}.csv"
        if not args.skip_cli:
            secs, rss, code, err = timed([
                sys.executable, "-m", "exportscreen", "affiliates", "--ownership", str(own),
                "--entities", str(ent), "--listed", str(listed), "--rule", rule,
                "--as-of", args.as_of, "--out", str(cli_out)])
            print(f"CLI: {secs:.1f} s, peak RSS {rss:.0f} MiB, exit {code}")
            if code:
                print(err)
        t = time.perf_counter()
        stakes = spark.read.csv(str(own), header=True)
        entities = spark.read.csv(str(ent), header=True)
        listed_df = spark.read.csv(str(listed), header=True)

        def show(i: int, joined: int, secs: float) -> None:
            print(f"  iteration {i:2d}: {joined:8d} joined  {secs:6.2f} s", flush=True)

        run = xsp.run_affiliates(stakes, listed_df, rule, args.as_of, entities,
                                 validate=not args.no_validate, on_iteration=show)
        got = run.frame.toPandas()
        total = time.perf_counter() - t
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in run.seconds.items())
        print(f"Spark: total {total:.1f} s ({parts}); {len(run.iterations)} iterations, "
              f"mean {sum(run.iterations) / max(len(run.iterations), 1):.2f} s; "
              f"{run.candidates} candidates, subgraph {run.subgraph_stakes} stakes; "
              f"{len(got)} findings")
        if cli_out.exists() and not args.skip_cli:
            cli = pd.read_csv(cli_out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            same = (cli[list(CSV_COLUMNS)].astype(str).values.tolist()
                    == got[list(CSV_COLUMNS)].astype(str).values.tolist())
            print(f"identical to the CLI's CSV: {same} ({len(cli)} rows)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the Python driver: {rss:.0f} MiB (the JVM is separate: "
          f"spark.driver.memory={args.driver_memory})")
    spark.stop()


if __name__ == "__main__":
    main()
