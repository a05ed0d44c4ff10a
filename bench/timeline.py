"""Timeline and page-as-saved benchmark: this code against main's, on the same generated corpus, in one run.

    .venv/bin/python -m bench.timeline --n 5000

Generates a seeded corpus of N dated pages from ../shared/data (bench/corpus.py), exports main's code
(`git archive main`), and builds an index of the corpus with each. Reports both indexes' sizes (this
branch stores each page's removed blocks) and, for the same query mix (bench/perf.py's, facets on
as the results page asks), each code's median and p95 query time and their ratio, and the share of
a query the timeline's counting takes. Not part of the tests: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def measure(index_dir: Path, corpus_dir: Path, mix_path: Path) -> dict:
    """Build the index with the code on sys.path, then time the mix through search_index (run in a child)."""
    from search.indexing.index import build_index
    from search.querying.filters import Filters
    from search.querying.query import search_index
    from search.querying.snapshot import open_snapshot

    started = time.perf_counter()
    build_index(corpus_dir, index_dir, workers=1)
    reindex_s = time.perf_counter() - started
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    mix = json.loads(mix_path.read_text())
    lat: list[float] = []
    timeline_s: list[float] = []
    removed_bytes = 0
    with open_snapshot(index_dir) as snapshot:
        for r in mix["warmup"]:
            search_index(snapshot, r["q"], filters=filters_of(Filters, r))
        for r in mix["timed"]:
            started = time.perf_counter()
            found = search_index(snapshot, r["q"], filters=filters_of(Filters, r))
            lat.append(time.perf_counter() - started)
            if hasattr(found, "timeline"):
                timeline_s.append(time_timeline(snapshot, r, Filters))
        removed_bytes = sum(len(f.get("removed") or b"") for f in snapshot.searcher.all_stored_fields())
    lat.sort()
    return {"reindex_s": round(reindex_s, 2), "index_mb": round(size / 1e6, 3),
            "removed_mb": round(removed_bytes / 1e6, 3),
            "median_ms": round(1000 * lat[len(lat) // 2], 3), "p95_ms": round(1000 * lat[int(len(lat) * 0.95)], 3),
            "timeline_median_ms": round(1000 * sorted(timeline_s)[len(timeline_s) // 2], 3) if timeline_s else None,
            "queries": len(lat)}


def filters_of(filters_cls, request: dict):
    """A mix request's filters and sort order."""
    return filters_cls(date_from=request.get("from"), date_to=request.get("to"), sort=request.get("sort", "relevance"))


def time_timeline(snapshot, request: dict, filters_cls) -> float:
    """Seconds the timeline's counting takes over a request's match set (the set found as search_index finds it)."""
    from whoosh.query import Every

    from search.querying.filters import extract_syntax, filtered_docs
    from search.querying.parsing import parse_query
    from search.querying.ranking import matching_docs
    from search.querying.timeline import count_periods

    words, filters = extract_syntax(request["q"], filters_of(filters_cls, request))
    query = parse_query(snapshot, words) if words else Every()
    matched = matching_docs(snapshot, query, filtered_docs(snapshot, filters))
    started = time.perf_counter()
    count_periods(snapshot.date_numbers()[matched])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="pages in the generated corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=SHARED / "data", help="folder with reuters21578/")
    parser.add_argument("--base", default="main", help="the git revision to compare against")
    parser.add_argument("--measure", nargs=3, type=Path, metavar=("INDEX", "CORPUS", "MIX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    from bench.corpus import write_corpus
    from bench.perf import query_mix

    work = Path(tempfile.mkdtemp(prefix="bench-timeline-"))
    try:
        corpus = work / "corpus"
        pages = write_corpus(args.data, corpus, args.n, args.seed)
        docs = [json.loads(line) for line in open(corpus.with_suffix(".jsonl"), encoding="utf-8")]
        phases = query_mix(docs, args.seed, each=40)
        timed = [r for rs in phases.values() for r in rs]
        warmup = [{"q": r["q"].split()[0].strip('"')} for r in timed[::4]]
        (work / "mix.json").write_text(json.dumps({"warmup": warmup, "timed": timed}))
        base_src = work / "base-src"
        base_src.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=REPO, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
        shutil.copy(Path(__file__), base_src / "bench" / "timeline.py")  # this runner, measuring the base's code
        results = {}
        # Alternated, so that a busy neighbour on the machine slows both alike.
        for name, src in (("base", base_src), ("this", REPO), ("base again", base_src), ("this again", REPO)):
            index = work / f"index-{name.replace(' ', '-')}"
            env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
            out = subprocess.run([sys.executable, "-m", "bench.timeline", "--measure", str(index), str(corpus),
                                  str(work / "mix.json")], cwd=src, env=env, check=True, capture_output=True,
                                 text=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{name}: {results[name]}", file=sys.stderr)
            shutil.rmtree(index)
        base = {k: min(results["base"][k], results["base again"][k]) for k in ("median_ms", "p95_ms")}
        this = {k: min(results["this"][k], results["this again"][k]) for k in ("median_ms", "p95_ms")}
        print(f"{len(pages)} pages, {results['this']['queries']} queries (bench/perf.py's mix, facets on)")
        print(f"index size: {args.base} {results['base']['index_mb']} MB, this {results['this']['index_mb']} MB "
              f"(removed blocks {results['this']['removed_mb']} MB), ratio "
              f"{results['this']['index_mb'] / results['base']['index_mb']:.3f}")
        print(f"query median: {args.base} {base['median_ms']} ms, this {this['median_ms']} ms, ratio "
              f"{this['median_ms'] / base['median_ms']:.3f}")
        print(f"query p95: {args.base} {base['p95_ms']} ms, this {this['p95_ms']} ms, ratio "
              f"{this['p95_ms'] / base['p95_ms']:.3f}")
        print(f"timeline counting alone, median: {results['this']['timeline_median_ms']} ms a query")
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
