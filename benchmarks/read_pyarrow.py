"""Benchmark: the byte path of ``exportscreen.io`` against ``pyarrow.csv`` read + factorise.

Issue 13 asked whether ``pyarrow.csv`` should replace the hand-written byte reader
(``exportscreen.io.cells``). This times what the ownership graph needs of its two input
files, on the file ``benchmarks/affiliates_scale.py`` generates (1 M entities, ~2 M
stakes): read ``ownership.csv`` and ``entities.csv``, factorise the three id columns
together into sorted distinct values, and factorise every other column (codes + distinct
values in order of first appearance), each way in its own process:

* ``bytes``: ``read_columns`` (numpy over the file's bytes) and ``factorize_columns`` /
  ``ByteTable.factorize`` (cells hashed as 64-bit words, only distinct values decoded);
* ``pyarrow``: ``pyarrow.csv.read_csv`` with every column as text, ``dictionary_encode``
  of the id columns (combined) and of each other column, the id dictionary sorted and the
  codes renumbered, codes and distinct values turned into numpy arrays as the graph takes
  them; with ``use_threads`` on (default) and off (``pyarrow-1thread``).

Both must give the same codes and values (a checksum is printed per run). Prints wall time
and peak RSS per run; asserts nothing. pyarrow is not a dependency of exportscreen: run it
in a virtualenv that has it (``pip install pyarrow``).

    .venv-pa/bin/python benchmarks/read_pyarrow.py [--entities 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

_MARK: list[float] = []  # perf_counter when both files are read (before factorising)

OTHER_OWN = ("percent", "percent_min", "percent_max", "relation", "valid_from", "valid_to",
             "source")


def _digest(parts: list[np.ndarray]) -> str:
    """The id codes and sorted distinct ids as they are, every other column as its cells
    (``values[codes]``: the order of the distinct values may differ between readers)."""
    h = hashlib.sha256()
    *id_codes, distinct = parts[:4]
    for codes in id_codes:
        h.update(np.ascontiguousarray(codes, dtype=np.int64).tobytes())
    h.update("\x00".join(distinct.tolist()).encode("utf-8", "surrogatepass"))
    for k in range(4, len(parts), 2):
        codes, values = parts[k], parts[k + 1]
        h.update("\x00".join(values[codes].tolist()).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def run_bytes(own: Path, ent: Path) -> list[np.ndarray]:
    from exportscreen.io.cells import factorize_columns
    from exportscreen.io.read import read_columns

    table = read_columns(own, required=["owner_id", "owned_id"])
    entities = read_columns(ent, required=["id"])
    _MARK.append(time.perf_counter())
    id_codes, distinct = factorize_columns([(table, "owner_id"), (table, "owned_id"),
                                            (entities, "id")])
    out = [*id_codes, distinct]
    for name in OTHER_OWN:
        if name in table.columns:
            out.extend(table.factorize(name))
    for name in entities.columns:
        if name != "id":
            out.extend(entities.factorize(name))
    return out


def run_pyarrow(own: Path, ent: Path, threads: bool) -> list[np.ndarray]:
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    def read(path: Path) -> pa.Table:
        with open(path, "rb") as f:
            header = f.readline().decode("utf-8-sig").rstrip("\r\n").split(",")
        convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                       strings_can_be_null=False, quoted_strings_can_be_null=False)
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=threads),
                              convert_options=convert)

    def encode(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
        array = column.combine_chunks().dictionary_encode()
        return (array.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                array.dictionary.to_numpy(zero_copy_only=False))

    table = read(own)
    entities = read(ent)
    _MARK.append(time.perf_counter())
    ids = pa.chunked_array(table["owner_id"].chunks + table["owned_id"].chunks
                           + entities["id"].chunks)
    encoded = ids.combine_chunks().dictionary_encode()
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)]
    distinct = encoded.dictionary.take(pa.array(order)).to_numpy(zero_copy_only=False)
    bounds = np.cumsum([0, len(table), len(table), len(entities)])
    out: list[np.ndarray] = [codes[a:b] for a, b in pairwise(bounds.tolist())]
    out.append(distinct)
    for name in OTHER_OWN:
        if name in table.column_names:
            out.extend(encode(table[name]))
    for name in entities.column_names:
        if name != "id":
            out.extend(encode(entities[name]))
    return out


def _peak_rss_mib() -> float:
    """This process's peak RSS. Not ``getrusage``: on Linux its ``ru_maxrss`` survives
    ``exec``, so a child started by a big parent reports the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, own: Path, ent: Path) -> None:
    # imports before the clock starts: what is timed is reading and factorising (pandas
    # too: every command has it loaded, and the byte path imports it on its first call)
    import pandas  # noqa: F401

    if mode == "bytes":
        import exportscreen.io.cells
        import exportscreen.io.read  # noqa: F401
    else:
        import pyarrow.compute
        import pyarrow.csv  # noqa: F401
    t0, c0 = time.perf_counter(), time.process_time()
    if mode == "bytes":
        parts = run_bytes(own, ent)
    else:
        parts = run_pyarrow(own, ent, threads=mode == "pyarrow")
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = _peak_rss_mib()
    print(json.dumps({"mode": mode, "seconds": secs, "read": _MARK[0] - t0, "cpu": cpu,
                      "rss_mib": rss, "digest": _digest(parts)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--roots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "OWN", "ENT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, own, ent = args.child
        child(mode, Path(own), Path(ent))
        return
    from affiliates_scale import generate

    own, ent, _ = generate(args.entities, args.roots)
    try:
        import pyarrow
        modes = ["bytes", "pyarrow", "pyarrow-1thread"]
        print(f"pyarrow {pyarrow.__version__}")
    except ImportError:
        modes = ["bytes"]
        print("pyarrow is not installed here: timing the byte path only")
    with open(own, "rb") as f:
        n = sum(1 for _ in f) - 1
    print(f"input: {own} ({n:,} stakes, {own.stat().st_size / 2**20:.0f} MiB), {ent}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    results: dict[str, list[dict[str, float | str]]] = {m: [] for m in modes}
    for _ in range(args.runs):
        for mode in modes:  # alternating, so that load changes hit every mode alike
            proc = subprocess.run([sys.executable, __file__, "--child", mode, str(own),
                                   str(ent)], capture_output=True, text=True, check=True)
            results[mode].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    def span(runs: list[dict[str, float | str]], key: str, fmt: str = ".2f") -> str:
        """min-max (median) of *key* over the runs."""
        values = sorted(float(r[key]) for r in runs)
        return (f"{values[0]:{fmt}}-{values[-1]:{fmt}} "
                f"({float(np.median(values)):{fmt}})")

    print("min-max (median) of each figure over the runs")
    print("mode             wall s (of it reading)              CPU s               "
          "peak RSS MiB      result")
    for mode, runs in results.items():
        digests = sorted({str(r["digest"]) for r in runs})
        print(f"{mode:16s} {span(runs, 'seconds')} [{span(runs, 'read')}]  "
              f"{span(runs, 'cpu')}  {span(runs, 'rss_mib', '.0f')}  {', '.join(digests)}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
