"""Cold start of list loading: every CLI call pays it, so it is measured in fresh processes.

Prints, for each case, the median and range of wall time over N fresh interpreters and
the peak RSS (ru_maxrss of the child). Cases:

* ``import exportscreen`` alone (the floor);
* ``load_list("default")`` from the embedded snapshot (14,160 entries, pre-parsed);
* parsing the snapshot's CSV from scratch (what the pre-parsed form saves);
* the OFAC legacy SDN set and the CONS_ENHANCED zip from ../shared/data, if present;
* the full UN Security Council Consolidated List (2026-02-27, 1,003 entries), the EU, UK and
  OFAC classic-XML samples, and UN + CSL snapshot + OFAC non-SDN screened together.

Peak RSS is of the whole child process (interpreter, pandas, the parsed list); "traced peak
MiB" is tracemalloc's peak of Python allocations during the case (import and load), from one
extra run with tracing on (tracing slows Python, so that run is not timed); it is what the
streaming XML reader keeps bounded.

Usage: ``python benchmarks/lists_load.py [runs]`` (default 7). It prints; it asserts nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"

PROBE = r"""
import json, resource, sys, time, tracemalloc
if {trace}:
    tracemalloc.start()
t0 = time.perf_counter()
{body}
t1 = time.perf_counter()
peak = tracemalloc.get_traced_memory()[1] if {trace} else 0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": t1 - t0, "maxrss_kib": rss, "n": n, "peak_bytes": peak}}))
"""

CASES = {
    "import exportscreen": "import exportscreen\nn = 0",
    "load_list('default') (embedded snapshot)":
        "import exportscreen as xs\nn = len(xs.load_list('default'))",
    "parse snapshot CSV from scratch":
        "from exportscreen.lists.csl import parse_csl_csv\n"
        "from exportscreen.lists.snapshot import snapshot_csv_bytes\n"
        "n = len(parse_csl_csv(snapshot_csv_bytes(), 'csv')[0])",
}
if SHARED.is_dir():
    CASES["OFAC legacy SDN set (2021-07)"] = (
        f"import exportscreen as xs\nn = len(xs.load_list({str(SHARED / 'ofac_sdn_2021-07')!r}))")
    CASES["OFAC CONS_ENHANCED.ZIP"] = (
        "import exportscreen as xs\n"
        f"n = len(xs.load_list({str(SHARED / 'ofac_nonsdn_2025' / 'CONS_ENHANCED.ZIP')!r}))")
    UN = SHARED / "un_sc" / "consolidated_2026-02-27.xml"
    SAMPLES = SHARED / "format_samples"
    for label, path in (("UN SC consolidated XML (full, 2026-02-27)", UN),
                        ("EU FSF XML sample", SAMPLES / "sample_eu.xml"),
                        ("UK OFSI ConList CSV sample", SAMPLES / "sample_hmt.csv"),
                        ("OFAC classic sdn.xml sample", SAMPLES / "sample_ofac_consolidated.xml")):
        CASES[label] = f"import exportscreen as xs\nn = len(xs.load_list({str(path)!r}))"
    CASES["combined: snapshot + OFAC non-SDN + UN"] = (
        "import exportscreen as xs\n"
        f"n = len(xs.load_list(['default', {str(SHARED / 'ofac_nonsdn_2025-12')!r}, "
        f"{str(UN)!r}]))")


def run(body: str, runs: int) -> dict[str, float]:
    env = dict(os.environ, EXPORTSCREEN_CACHE=str(REPO / ".bench" / "empty-cache"))
    times, rss, n = [], [], 0
    peaks: list[int] = []
    for _ in range(runs):
        start = __import__("time").perf_counter()
        out = subprocess.run([sys.executable, "-c", PROBE.format(body=body, trace=False)], env=env,
                             capture_output=True, text=True, check=True)
        wall = __import__("time").perf_counter() - start
        data = json.loads(out.stdout.strip().splitlines()[-1])
        times.append((data["seconds"], wall))
        rss.append(data["maxrss_kib"])
        n = data["n"]
    traced = subprocess.run([sys.executable, "-c", PROBE.format(body=body, trace=True)],
                            env=env, capture_output=True, text=True, check=True)
    peaks.append(json.loads(traced.stdout.strip().splitlines()[-1])["peak_bytes"])
    inner = [t for t, _ in times]
    walls = [w for _, w in times]
    return {"entries": n, "median_s": statistics.median(inner), "min_s": min(inner),
            "max_s": max(inner), "process_median_s": statistics.median(walls),
            "peak_rss_mib": max(rss) / 1024, "parse_peak_mib": max(peaks) / 2**20}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, {runs} fresh processes each")
    print(f"{'case':45} {'entries':>8} {'median s':>9} {'min s':>7} {'max s':>7} "
          f"{'process s':>10} {'peak RSS MiB':>13} {'traced peak MiB':>16}")
    for name, body in CASES.items():
        r = run(body, runs)
        print(f"{name:45} {r['entries']:>8} {r['median_s']:>9.3f} {r['min_s']:>7.3f} "
              f"{r['max_s']:>7.3f} {r['process_median_s']:>10.3f} {r['peak_rss_mib']:>13.1f} "
              f"{r['parse_peak_mib']:>16.1f}")


if __name__ == "__main__":
    main()
