"""Name-matching quality: prints figures, writes the precision/recall plot. Asserts nothing.

Three measurements, all on real public data in ../shared/data (see SOURCES.md):

1. nomenklatura name_bench (826 labelled pairs): precision, recall and F1 of
   ``compare_names`` at the documented thresholds, overall and by schema, and a
   precision/recall curve written to docs/img/names_pr.svg (plain SVG, no matplotlib).
2. False alerts: the 7,847 distinct SEC company names screened against the full 2022
   CSL with :class:`NameMatcher`; share flagged ``hit`` / ``possible``. The names that
   collide with a CSL name once legal-form words are removed (SOURCES.md: "about 19")
   are found the same way here and reported separately.
3. Recall on realistic variants: 1,500 randomly chosen CSL entries (not vessels or
   aircraft), each changed 1-2 times by ``exportscreen.testing.names.make_variant``
   (legal-form swaps, abbreviations, 35-character truncation, one typo, punctuation
   loss, moved city, transliteration); found = the right entry among the flagged
   results (limit 10; the same party listed by several agencies has one entry per list).
4. The same, with a generator written apart from ``make_variant`` (an outside tester's
   view, ``tests/test_names_variants.py``): up to 400 real CSL organisation names per
   kind, each changed in exactly one way (legal-form swap, trade abbreviation, cut at
   exactly 35 characters, one typo anywhere, punctuation lost and upper case, city moved,
   ``&``/``and``, extra spaces); found = the same entry, or one whose name normalises
   identically, among the ``hit``/``possible`` results at limit 5. Cuts that start the
   names of more than five different parties are reported apart.

Run: .venv/bin/python benchmarks/names_quality.py [--shared-data PATH]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
import re
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KINDS = {"Person": "person", "Company": "organization", "Organization": "organization"}
_LEGAL_WORDS = re.compile(
    r"\b(inc|incorporated|ltd|limited|corp|corporation|co|company|group|holdings?|plc|llc|"
    r"lp|sa|ag|nv|se|the|de)\b"
)


def prf(pairs: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float, int]:
    tp = sum(1 for s, m in pairs if s >= threshold and m)
    fp = sum(1 for s, m in pairs if s >= threshold and not m)
    fn = sum(1 for s, m in pairs if s < threshold and m)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


def pr_svg(curve: list[tuple[float, float, float]], marks: dict[str, tuple[float, float]]) -> str:
    """A small precision/recall plot as SVG text (x = recall, y = precision)."""
    w, h, pad = 420, 360, 50

    def xy(recall: float, precision: float) -> tuple[float, float]:
        lo = 0.3
        x = pad + (recall - lo) / (1 - lo) * (w - 2 * pad)
        y = h - pad - (precision - lo) / (1 - lo) * (h - 2 * pad)
        return round(x, 1), round(y, 1)

    points = " ".join(f"{x},{y}" for x, y in (xy(r, p) for _, p, r in curve))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
    ]
    for tick in (0.3, 0.5, 0.7, 0.9, 1.0):
        x, _ = xy(tick, 0.3)
        _, y = xy(0.3, tick)
        out.append(f'<text x="{x}" y="{h - pad + 15}" text-anchor="middle">{tick:.1f}</text>')
        out.append(f'<text x="{pad - 6}" y="{y + 4}" text-anchor="end">{tick:.1f}</text>')
        out.append(f'<line x1="{pad}" y1="{y}" x2="{w - pad}" y2="{y}" stroke="#eee"/>')
    out.append(f'<polyline points="{points}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for label, (recall, precision) in marks.items():
        x, y = xy(recall, precision)
        out.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#d62728"/>')
        out.append(f'<text x="{x + 6}" y="{y - 6}">{label}</text>')
    out.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">recall</text>')
    out.append(
        f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" '
        'text-anchor="middle">precision</text>'
    )
    out.append(
        f'<text x="{w / 2}" y="20" text-anchor="middle">exportscreen compare_names on '
        "nomenklatura name_bench (826 pairs)</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def bench_pairs(shared: Path) -> None:
    from exportscreen.names import HIT_THRESHOLD, POSSIBLE_THRESHOLD, compare_names

    path = shared / "name_matching" / "nomenklatura_name_bench_cases.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    started = time.perf_counter()
    scored = [
        (
            row,
            compare_names(row["name1"], row["name2"], kind=KINDS.get(row["schema"])),  # type: ignore[arg-type]
        )
        for row in rows
    ]
    elapsed = time.perf_counter() - started
    pairs = [(s, r["is_match"] == "true") for r, s in scored]
    print(f"== nomenklatura name_bench: {len(rows)} pairs, {elapsed * 1e6 / len(rows):.0f} µs/pair")
    for label, threshold in (("possible", POSSIBLE_THRESHOLD), ("hit", HIT_THRESHOLD)):
        p, r, f, n = prf(pairs, threshold)
        print(f"  at {label} threshold {threshold:g}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    print(f"  by schema at the default (possible) threshold {POSSIBLE_THRESHOLD:g}:")
    by_schema: dict[str, list[tuple[float, bool]]] = collections.defaultdict(list)
    for row, score in scored:
        by_schema[row["schema"]].append((score, row["is_match"] == "true"))
    for schema in sorted(by_schema):
        p, r, f, n = prf(by_schema[schema], POSSIBLE_THRESHOLD)
        print(f"    {schema:12s} n={n:3d}  precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    curve = [(t, *prf(pairs, t)[:2]) for t in range(40, 101, 2)]
    best = max(range(40, 101), key=lambda t: prf(pairs, t)[2])
    print(f"  best F1 over thresholds: {prf(pairs, best)[2]:.3f} at {best}")
    marks = {
        f"possible {POSSIBLE_THRESHOLD:g}": prf(pairs, POSSIBLE_THRESHOLD)[1::-1],
        f"hit {HIT_THRESHOLD:g}": prf(pairs, HIT_THRESHOLD)[1::-1],
    }
    target = REPO / "docs" / "img" / "names_pr.svg"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(pr_svg(curve, marks), encoding="utf-8")  # type: ignore[arg-type]
    print(f"  wrote {target.relative_to(REPO)}")


def bench_false_alerts(shared: Path, matcher: object) -> None:
    from exportscreen.names import NameMatcher

    assert isinstance(matcher, NameMatcher)
    data = json.loads((shared / "sec" / "company_tickers_exchange_2025-08.json").read_text())
    names = sorted({row[1] for row in data["data"]})

    def bare(text: str) -> str:
        text = re.sub(r"[^\w\s]", " ", text.casefold())
        return " ".join(_LEGAL_WORDS.sub(" ", text).split())

    list_bare = {bare(n) for e in matcher.entries for n in e.all_names} - {""}
    collisions = {n for n in names if bare(n) in list_bare}
    started = time.perf_counter()
    results = matcher.match_many(names, limit=1)
    elapsed = time.perf_counter() - started
    status = [r[0].status if r else None for r in results]
    hits = sum(1 for s in status if s == "hit")
    flagged = sum(1 for s in status if s)
    print(
        f"== false alerts: {len(names)} distinct SEC company names vs the 2022 CSL "
        f"({len(matcher.entries)} entries, {matcher.alias_count} names), {elapsed:.1f} s"
    )
    print(
        f"  hit: {hits} ({100 * hits / len(names):.2f} %); hit or possible: {flagged} "
        f"({100 * flagged / len(names):.2f} %)"
    )
    rest = [(n, s) for n, s in zip(names, status, strict=True) if n not in collisions]
    rest_hits = sum(1 for _, s in rest if s == "hit")
    rest_flagged = sum(1 for _, s in rest if s)
    flagged_collisions = sum(1 for n, s in zip(names, status, strict=True) if n in collisions and s)
    print(
        "  genuine collisions (same name as a CSL name once legal-form words are removed): "
        f"{len(collisions)}, of which flagged {flagged_collisions}"
    )
    for name in sorted(collisions):
        i = names.index(name)
        best = results[i][0] if results[i] else None
        shown = f"{best.status} {best.score:g} {best.matched_alias!r}" if best else "clear"
        print(f"    {name!r}: {shown}")
    print(
        f"  without the collisions: hit {100 * rest_hits / len(rest):.2f} %, "
        f"hit or possible {100 * rest_flagged / len(rest):.2f} %"
    )


def bench_variants(matcher: object, count: int = 1500, seed: int = 20261128) -> None:
    from exportscreen.names import NameMatcher
    from exportscreen.testing.names import make_variant

    assert isinstance(matcher, NameMatcher)
    rng = random.Random(seed)
    entries = [
        e for e in matcher.entries if (e.entity_type or "").casefold() not in ("vessel", "aircraft")
    ]
    sample = rng.sample(entries, count)
    found = 0
    by_kind: collections.Counter[str] = collections.Counter()
    total_kind: collections.Counter[str] = collections.Counter()
    misses = []
    for entry in sample:
        variant, kinds = make_variant(entry.name, rng, changes=rng.choice((1, 1, 2)))
        results = matcher.match(variant, limit=10)
        ok = any(r.entry_id == entry.id for r in results)
        found += ok
        for kind in set(kinds):
            total_kind[kind] += 1
            by_kind[kind] += ok
        if not ok:
            misses.append((entry.name, variant, kinds))
    print(f"== recall on realistic variants: {count} CSL entries, seed {seed}")
    share = 100 * found / count
    print(f"  found with the right entry (hit or possible, top 10): {found} ({share:.1f} %)")
    for kind in sorted(total_kind):
        print(
            f"    {kind:13s} {100 * by_kind[kind] / total_kind[kind]:5.1f} % of {total_kind[kind]}"
        )
    print("  first misses:")
    for name, variant, kinds in misses[:8]:
        print(f"    {name!r} -> {variant!r} ({', '.join(kinds)})")


def bench_independent_variants(matcher: object, per_kind: int = 400, seed: int = 20261128) -> None:
    import sys

    sys.path.insert(0, str(REPO / "tests"))
    import test_names_variants as tv
    from exportscreen.names import NameMatcher

    assert isinstance(matcher, NameMatcher)
    entries = tv.organisation_entries(matcher.entries)
    samples = tv.sample_variants(entries, per_kind, seed)
    shared = tv.shared_cuts(matcher.entries, samples)
    counts, misses = tv.measure(matcher, samples, shared)
    found = sum(f for f, _ in counts.values())
    total = sum(t for _, t in counts.values())
    print(
        f"== recall on independent variants (tests/test_names_variants.py): "
        f"{len(entries)} CSL organisation names, up to {per_kind} per kind, seed {seed}"
    )
    print(
        f"  found with the right entry (hit or possible, top 5): {found} of {total} "
        f"({100 * found / total:.1f} %)"
    )
    for kind, (hit, of) in counts.items():
        print(f"    {kind:13s} {100 * hit / of:5.1f} % of {of}")
    cut_samples = [x for x in samples if x[2] in shared]
    shared_counts, _ = tv.measure(matcher, cut_samples)
    hit, of = shared_counts["truncate35"]
    print(
        f"  cuts shared by more than five parties (not counted above): {of}, "
        f"right entry in the top 5 for {hit}"
    )
    print("  misses:")
    for kind, name, variant in misses[:25]:
        print(f"    {kind}: {name!r} -> {variant!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    import exportscreen as xs
    from exportscreen.names import NameMatcher

    bench_pairs(args.shared_data)
    started = time.perf_counter()
    matcher = NameMatcher(xs.load_list("default"))
    print(f"(matcher built in {time.perf_counter() - started:.1f} s)")
    bench_false_alerts(args.shared_data, matcher)
    bench_variants(matcher)
    bench_independent_variants(matcher)


if __name__ == "__main__":
    main()
