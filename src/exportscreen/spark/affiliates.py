"""The ownership rules over Spark DataFrames: Spark narrows, the exact engine decides.

The legal rules live in one place, :func:`exportscreen.ownership.apply_affiliates_rule`.
Spark only finds a *candidate subgraph* small enough for one machine, and the exact engine
runs on it. Spark computes a relaxation of every preset's fixpoint::

    A := listed parties that seed the rule
    repeat until nothing changes:
        an entity E joins A when it is tied to A (ownership, control or branch) and
          it has a control or branch tie from A, or
          (upper bounds of the stakes held in E by A, joint-arrangement stakes excluded)
          + (upper bounds of every joint-arrangement stake held in E)  >=  threshold - 1e-6

as iterative joins on the stakes partitioned by owner: each iteration joins only the newly
joined ids (broadcast) with the stakes, sums the partial stakes per owned entity (the one
shuffle), and cuts the lineage with a local checkpoint. The candidates are ``A`` and every
entity a member of ``A`` holds a tie in; the subgraph is every stake held *in* a candidate,
whoever holds it, with the entities those stakes name.

Why the narrowing is sound (everything the exact engine flags is a candidate, with the same
evidence):

* Every entity the engine activates on the lower or the upper bounds is in ``A``. By
  induction over the engine's rounds: an entity it activates has a control or branch tie
  from an active owner (then it joins ``A``), or the stakes held in it by active owners reach
  the threshold. Those owners are in ``A``; the engine counts a stake at most at its upper
  bound (``min`` with what the other stakes leave free of 100 % only lowers it), counts a
  joint-arrangement stake only through an arrangement that reaches the entity (at most all
  of them), aggregates per listed party (UK) at most as much as across parties, and a
  strict comparator or an open bound only demands more; scope (BIS: foreign entities only),
  ``direct_only`` and the list/program test of seeds only remove entities. Floating point
  sums are compared with a margin of 10⁻⁶ %, larger than their rounding error.
* Every finding (covered, undetermined, suspended, red flag, branch of a listed party) is
  an entity some active owner or listed party holds a tie in, so it is a candidate.
* On the subgraph the engine computes the same thing: it only ever follows ties *from*
  active owners (all kept: their targets are candidates, and a candidate keeps every stake
  held in it, so its 100 % total and its upper-bound slack are the same), and an owner
  outside ``A`` has no stake held in it on the subgraph unless it is a candidate, so it is
  inactive there as well. Entity ids sort the same (the graph sorts its ids) and the stakes
  keep their input order, so paths and ties break the same way.

Dates: a stake is left out of the Spark pass only when its ``valid_to`` (``valid_from``) is
a well-formed date before (after) the as-of date; anything else is kept, which can only
widen the candidates. The subgraph keeps every row, and the engine applies the dates.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..errors import InputError
from ..io.read import iso_date
from ..ownership import (
    AffiliatesResult,
    OwnershipGraph,
    RulePreset,
    get_rule,
    load_listed_csv,
)
from ..ownership import apply_affiliates_rule as exact_affiliates_rule
from ..ownership.engine import CSV_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkAffiliates", "apply_affiliates_rule", "run_affiliates"]

ORDER = "_exportscreen_row"  # the input order of a table's rows, kept through every join
STAKE_COLUMNS = ("owner_id", "owned_id", "percent", "percent_min", "percent_max", "relation",
                 "joint_group", "valid_from", "valid_to", "source")
ENTITY_COLUMNS = ("id", "name", "country", "aliases")
LISTED_COLUMNS = ("id", "list", "name", "programs", "license_requirement", "license_policy")
MARGIN = 1e-6  # percent; far above the rounding error of summing float percents


@dataclass
class SparkAffiliates:
    """What :func:`run_affiliates` did: the findings (a Spark DataFrame with the columns of
    ``affiliates --format csv``), the exact engine's result on the candidate subgraph, and
    the figures of the Spark pass."""

    frame: DataFrame
    result: AffiliatesResult
    graph: OwnershipGraph  # the candidate subgraph the exact engine ran on
    candidates: int
    subgraph_stakes: int
    iterations: list[float] = field(default_factory=list)  # seconds per fixpoint iteration
    seconds: dict[str, float] = field(default_factory=dict)  # validate, fixpoint, collect, exact


def apply_affiliates_rule(
    stakes: DataFrame,
    listed: DataFrame,
    rule: str | RulePreset = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
    entities: DataFrame | None = None,
    *,
    percent_scale: Literal["percent", "fraction"] = "percent",
    validate: bool = True,
) -> DataFrame:
    """Apply an ownership rule to Spark DataFrames; the findings as a Spark DataFrame.

    *stakes*, *listed* and *entities* have the columns of the ownership, listed and entities
    CSV contracts (text cells, as ``spark.read.csv(..., header=True)`` gives them). The
    result has the columns and values of ``exportscreen affiliates --format csv`` on the
    same input, one row per finding, sorted by id (:data:`exportscreen.ownership.engine.
    CSV_COLUMNS`; the cells are not defused, as in ``AffiliatesResult.to_frame``).

    Spark narrows the graph to the entities that could be flagged; the in-memory engine
    decides on that subgraph (module docstring: why nothing is lost). With *validate*
    (the default) every stake and entity row is checked first with the checks and messages
    of the CSV readers; a bad row raises :class:`~exportscreen.InputError` naming it by its
    ids.

    Example::

        >>> import exportscreen.spark as xsp                       # doctest: +SKIP
        >>> stakes = spark.read.csv("fixtures/ownership/ownership.csv", header=True)
        >>> listed = spark.read.csv("fixtures/ownership/listed.csv", header=True)
        >>> xsp.apply_affiliates_rule(stakes, listed, "us-ofac", as_of="2025-10-15").show()
    """
    return run_affiliates(stakes, listed, rule, as_of, entities, percent_scale=percent_scale,
                          validate=validate).frame


def run_affiliates(
    stakes: DataFrame,
    listed: DataFrame,
    rule: str | RulePreset = "us-bis-affiliates",
    as_of: _dt.date | str | None = None,
    entities: DataFrame | None = None,
    *,
    percent_scale: Literal["percent", "fraction"] = "percent",
    validate: bool = True,
    on_iteration: Callable[[int, int, float], None] | None = None,
) -> SparkAffiliates:
    """:func:`apply_affiliates_rule` with the figures: the exact result on the subgraph
    (its notices), the number of candidates and subgraph stakes, and the seconds of each
    fixpoint iteration (``on_iteration(i, joined, seconds)`` is called after each)."""
    from pyspark.sql import functions as F

    preset = get_rule(rule)
    day = _day(as_of)
    spark = stakes.sparkSession
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    _require_columns(stakes, ("owner_id", "owned_id"), "stakes")
    _require_columns(listed, ("id", "list"), "listed")
    if entities is not None:
        _require_columns(entities, ("id",), "entities")
    stakes = _texts(stakes, STAKE_COLUMNS).withColumn(ORDER, F.monotonically_increasing_id())
    ent = (None if entities is None else
           _texts(entities, ENTITY_COLUMNS).withColumn(ORDER, F.monotonically_increasing_id()))
    listed_frame = _collect(_texts(listed, LISTED_COLUMNS)
                            .withColumn(ORDER, F.monotonically_increasing_id()))
    parties = load_listed_csv(listed_frame.reset_index(drop=True))
    if validate:
        _validate(stakes, ent, percent_scale)
    seconds["validate"] = time.perf_counter() - t0

    # ---- the relaxed fixpoint on Spark
    t1 = time.perf_counter()
    seeds = sorted({p.id for p in parties
                    if preset.seeds_party(p.list, p.programs) is not False})
    edges = _edges(stakes, day, percent_scale).persist()
    joint = (edges.where(F.col("joint")).groupBy("owned")
             .agg(F.sum("w").alias("j")))
    active, reached, iterations = _fixpoint(spark, edges, joint, seeds,
                                            float(preset.threshold), on_iteration)
    candidates = reached.unionByName(active).distinct().localCheckpoint()
    n_candidates = candidates.count()
    seconds["fixpoint"] = time.perf_counter() - t1

    # ---- the candidate subgraph, collected in input order
    t2 = time.perf_counter()
    owned_key = F.trim(F.col("owned_id"))
    sub = stakes.join(F.broadcast(candidates) if n_candidates < 2_000_000 else candidates,
                      owned_key == candidates["id"], "left_semi")
    sub_frame = _collect(sub)
    nodes = set(sub_frame["owner_id"].str.strip()) | set(sub_frame["owned_id"].str.strip())
    present = _present_listed(spark, stakes, ent, [p.id for p in parties])
    wanted = sorted(nodes | present)
    ent_frame = None
    if ent is not None and wanted:
        ids = spark.createDataFrame(pd.DataFrame({"id": wanted}))
        ent_frame = _collect(ent.join(F.broadcast(ids) if len(wanted) < 2_000_000 else ids,
                                      F.trim(ent["id"]) == ids["id"], "left_semi"))
    # listed parties that are nodes of the whole graph stay nodes of the subgraph (an
    # entity named only in the entities table, or only in stakes outside the subgraph)
    bare = sorted(present - nodes - (set(ent_frame["id"].str.strip())
                                     if ent_frame is not None else set()))
    if bare:
        extra = pd.DataFrame({c: [""] * len(bare) for c in (
            ent_frame.columns if ent_frame is not None else ["id"])}, dtype=object)
        extra["id"] = bare
        ent_frame = extra if ent_frame is None else pd.concat([ent_frame, extra],
                                                              ignore_index=True)
    seconds["collect"] = time.perf_counter() - t2

    # ---- the exact engine, the one place the rules live
    t3 = time.perf_counter()
    graph = OwnershipGraph.from_frame(
        sub_frame.reset_index(drop=True),
        entities=None if ent_frame is None else ent_frame.reset_index(drop=True),
        percent_scale=percent_scale)
    result = exact_affiliates_rule(graph, parties, rule=preset, as_of=day)
    frame = result.to_frame().astype(object)
    seconds["exact"] = time.perf_counter() - t3
    edges.unpersist()
    out = spark.createDataFrame([tuple(r) for r in frame.itertuples(index=False)],
                                schema=_schema())
    return SparkAffiliates(out, result, graph, n_candidates, len(sub_frame), iterations, seconds)


# --------------------------------------------------------------------- helpers
def _day(as_of: _dt.date | str | None) -> _dt.date:
    if as_of is None:
        return _dt.datetime.now(_dt.UTC).date()
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    if isinstance(as_of, _dt.date):
        return as_of
    try:
        return iso_date(str(as_of))
    except ValueError:
        raise InputError(f"as-of date is not in the form YYYY-MM-DD: {as_of!r}",
                         column="as_of") from None


def _schema() -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(c, StringType(), False) for c in CSV_COLUMNS])


def _require_columns(frame: DataFrame, required: tuple[str, ...], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"the {what} DataFrame has no column {missing[0]!r} (it has: "
                         f"{', '.join(frame.columns)})", file=f"<{what} DataFrame>",
                         column=missing[0])


def _texts(frame: DataFrame, known: tuple[str, ...]) -> DataFrame:
    """The contract's columns the frame has, as text with empty cells for nulls (the CSV
    readers see an empty cell where Spark reads a null)."""
    from pyspark.sql import functions as F

    return frame.select(*[F.coalesce(F.col(f"`{c}`").cast("string"), F.lit("")).alias(c)
                          for c in known if c in frame.columns])


def _collect(frame: DataFrame) -> pd.DataFrame:
    """Rows to the driver in input order, as object (text) columns without the order key."""
    rows = frame.orderBy(ORDER).drop(ORDER).collect()
    columns = [c for c in frame.columns if c != ORDER]
    return pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)


def _edges(stakes: DataFrame, day: _dt.date, percent_scale: str) -> DataFrame:
    """``owner, owned, w, tie, joint``: each stake's upper bound in percent (unknown or
    unreadable: 100; control and branch: 0 with ``tie``), without the stakes that are
    certainly not valid at *day*."""
    from pyspark.sql import functions as F

    cols = set(stakes.columns)

    def text(name: str) -> Any:
        return F.trim(F.col(name)) if name in cols else F.lit("")

    relation = F.lower(text("relation"))
    tie = relation.isin("control", "branch")
    given = F.when(text("percent") != "", text("percent")).otherwise(text("percent_max"))
    number = F.regexp_replace(given, "%", "").try_cast("double")
    scale = 100.0 if percent_scale == "fraction" else 1.0
    upper = F.when(tie, F.lit(0.0)).when(given == "", F.lit(100.0)).otherwise(
        F.coalesce(number * scale, F.lit(100.0)))
    iso = r"^\d{4}-\d{2}-\d{2}$"
    today = F.lit(day.isoformat())
    gone = (text("valid_to").rlike(iso) & (text("valid_to") < today)) | (
        text("valid_from").rlike(iso) & (text("valid_from") > today))
    return (stakes.where(~gone)
            .select(text("owner_id").alias("owner"), text("owned_id").alias("owned"),
                    upper.alias("w"), tie.alias("tie"), (text("joint_group") != "")
                    .alias("joint"))
            .repartition("owner"))


def _fixpoint(
    spark: SparkSession, edges: DataFrame, joint: DataFrame, seeds: list[str], threshold: float,
    on_iteration: Callable[[int, int, float], None] | None,
) -> tuple[DataFrame, DataFrame, list[float]]:
    """The relaxed fixpoint: (A, the entities A holds a tie in, seconds per iteration).

    The state is one DataFrame, a row per entity reached so far: the summed upper bounds
    held in it by ``A`` (``s``), a control/branch tie from ``A`` (``t``), the joint
    arrangements' total (``j``), whether it is in ``A`` (``joined``) and whether it joined
    in this iteration (``new``). An iteration is two jobs: the partial sums of the stakes
    held by the newly joined (broadcast) merged into the state (one shuffle, then a local
    checkpoint that cuts the lineage), and the count of the newly joined."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType

    seed_frame = spark.createDataFrame(
        [(s, True) for s in seeds],
        schema=StructType([StructField("id", StringType(), False),
                           StructField("seed", BooleanType(), False)])).localCheckpoint()
    state = spark.createDataFrame([], schema=StructType([
        StructField("id", StringType(), False), StructField("s", DoubleType(), False),
        StructField("t", DoubleType(), False), StructField("j", DoubleType(), False),
        StructField("joined", BooleanType(), False), StructField("new", BooleanType(), False),
    ]))
    frontier = seed_frame.select("id")
    times: list[float] = []
    n_front = len(seeds)
    while n_front:
        t = time.perf_counter()
        front = F.broadcast(frontier) if n_front < 2_000_000 else frontier
        part = (edges.join(front, edges["owner"] == frontier["id"])
                .groupBy("owned")
                .agg(F.sum(F.when(~F.col("joint"), F.col("w")).otherwise(0.0)).alias("s"),
                     F.max(F.col("tie").cast("double")).alias("t"))
                .withColumnRenamed("owned", "id")
                .join(joint, F.col("id") == joint["owned"], "left")
                .select("id", "s", "t", F.coalesce(F.col("j"), F.lit(0.0)).alias("j"),
                        F.lit(False).alias("joined"), F.lit(False).alias("new")))
        merged = (state.unionByName(part).groupBy("id")
                  .agg(F.sum("s").alias("s"), F.max("t").alias("t"), F.max("j").alias("j"),
                       F.max("joined").alias("joined"))
                  .join(F.broadcast(seed_frame), "id", "left"))
        meets = (F.col("t") > 0) | (F.col("s") + F.col("j") >= threshold - MARGIN)
        new = ~F.col("joined") & F.col("seed").isNull() & meets
        state = merged.select("id", "s", "t", "j", (F.col("joined") | new).alias("joined"),
                              new.alias("new")).localCheckpoint()
        frontier = state.where("new").select("id")
        n_front = frontier.count()
        times.append(time.perf_counter() - t)
        if on_iteration is not None:
            on_iteration(len(times), n_front, times[-1])
    active = seed_frame.select("id").unionByName(state.where("joined").select("id"))
    return active, state.select("id"), times


def _present_listed(spark: SparkSession, stakes: DataFrame, ent: DataFrame | None,
                    listed_ids: list[str]) -> set[str]:
    """The listed ids that are entities of the whole graph (in stakes or entities)."""
    from pyspark.sql import functions as F

    wanted = sorted({i.strip() for i in listed_ids if i.strip()})
    if not wanted:
        return set()
    ids = F.broadcast(spark.createDataFrame(pd.DataFrame({"id": wanted})))
    found = (stakes.select(F.trim("owner_id").alias("id"))
             .unionByName(stakes.select(F.trim("owned_id").alias("id"))))
    if ent is not None:
        found = found.unionByName(ent.select(F.trim("id").alias("id")))
    return {r["id"] for r in found.join(ids, "id", "left_semi").distinct().collect()}


# ------------------------------------------------------------------ validation
_ERRORS = "order long, message string, file string, column string, ids string"


def _check_partition(kind: str, percent_scale: str
                     ) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """A mapInPandas function: the CSV readers' checks on a partition, its first fault."""

    def check(parts: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        frames = [p for p in parts if len(p)]
        if not frames:
            return
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        frame = frame.sort_values(ORDER, kind="stable").reset_index(drop=True)
        order = frame.pop(ORDER)
        data = frame.astype(object)
        try:
            if kind == "stakes":
                OwnershipGraph.from_frame(data, percent_scale=percent_scale)  # type: ignore[arg-type]
            else:
                empty = pd.DataFrame({"owner_id": [], "owned_id": []}, dtype=object)
                OwnershipGraph.from_frame(empty, entities=data)
        except InputError as exc:
            pos = exc.row if exc.row is not None and 0 <= exc.row < len(data) else 0
            id_cols = ("owner_id", "owned_id") if kind == "stakes" else ("id",)
            ids = ", ".join(f"{c}={str(data.at[pos, c]).strip()!r}" for c in id_cols)
            first = int(order.to_numpy(dtype="int64")[pos])
            yield pd.DataFrame({"order": [first], "message": [exc.message],
                                "file": [kind], "column": [exc.column or ""],
                                "ids": [ids]})

    return check


def _validate(stakes: DataFrame, entities: DataFrame | None, percent_scale: str) -> None:
    """Every stake row (grouped by owned entity, so the 100 % total of the stakes held in
    an entity is checked whole) and every entity row (grouped by id, for repeated ids)
    through the CSV readers' checks; the first fault in input order is raised."""
    from pyspark.sql import functions as F

    faults = [stakes.repartition(F.trim("owned_id"))
              .mapInPandas(_check_partition("stakes", percent_scale), _ERRORS)]
    if entities is not None:
        faults.append(entities.repartition(F.trim("id"))
                      .mapInPandas(_check_partition("entities", percent_scale), _ERRORS))
    for fault in faults:
        found = fault.orderBy("order").limit(1).collect()
        if found:
            row = found[0]
            raise InputError(f"the row with {row['ids']}: {row['message']}",
                             file=f"<{row['file']} DataFrame>", column=row["column"] or None)
