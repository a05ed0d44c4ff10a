"""Ranking quality on every IR collection in ../shared/data, ours beside the reference rankers, in one run.

    .venv/bin/python -m bench.ranking [--cache DIR] [--worst N] [--held-out] [--only cranfield,med]

Each collection's docs.jsonl is indexed by `search reindex`'s code path (build_index, cleaning
included) and its judged queries ranked as `search eval` ranks them; bm25s and plain Whoosh
(../shared/tools/ir_reference.py) rank the same queries in the same run. Prints one Markdown
table (nDCG@10, MAP, recall@100, each with its difference to bm25s). `--worst N` lists, per
collection, the N queries where ours loses most nDCG@10 to bm25s, with both rankings' top hits;
`--held-out` chooses the ranking's tunable constants leave-one-collection-out (on five
collections, scored on the sixth) and prints that column. Not part of the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.ranking_grid import held_out_column
from search.indexing.index import build_index
from search.querying.evaluate import (
    RUN_DEPTH,
    Evaluation,
    per_query_ndcg,
    rank_documents,
    read_qrels,
    read_queries,
    score_run,
)
from search.querying.snapshot import open_snapshot

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
TOOLS = REPO.parent / "shared" / "tools"
COLLECTIONS = ("cranfield", "med", "cacm", "npl", "lisa", "adi")
REFERENCES = ("bm25s", "whoosh-stem")  # bm25s first: the column every difference is taken against
SHOWN_HITS = 5  # top hits printed for each ranking in --worst


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_reference():
    """The shared reference rankers' module (not a package: loaded from its path)."""
    spec = importlib.util.spec_from_file_location("ir_reference", TOOLS / "ir_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def qrels_path(folder: Path) -> Path:
    """The collection's judgments: graded where it has them (Cranfield), else binary."""
    graded = folder / "qrels_gain.tsv"
    return graded if graded.exists() else folder / "qrels.tsv"


def indexing_fingerprint() -> str:
    """A hash of the code that decides what an index holds, so a cached index is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "search").rglob("*.py")):
        if "querying" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def collection_index(name: str, cache: Path, data: Path = DATA) -> Path:
    """The collection's index (data/name/docs.jsonl) as `search reindex` builds it, reused from the
    cache when its code is unchanged."""
    index_dir = cache / f"{name}-{indexing_fingerprint()}"
    if not (index_dir / "done").exists():
        corpus = cache / f"{name}-corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        link = corpus / "docs.jsonl"
        if not link.exists():
            link.symlink_to(data / name / "docs.jsonl")
        started = time.monotonic()
        report = build_index(corpus, index_dir, full=True)
        log(f"{name}: indexed {report.indexed} documents in {time.monotonic() - started:.0f}s")
        (index_dir / "done").write_text("")
    return index_dir


def our_run(index_dir: Path, queries: dict[str, str], judged: list[str]) -> dict[str, list[str]]:
    """Each judged query's ranked document ids, as `search eval` ranks them."""
    with open_snapshot(index_dir) as snapshot:
        return {q: rank_documents(snapshot, queries[q], RUN_DEPTH) for q in judged}


def reference_run(reference, engine: str, docs: list[dict], queries: dict[str, str],
                  judged: list[str]) -> dict[str, list[str]]:
    """A reference ranker's run over the same judged queries."""
    records = [{"id": q, "text": queries[q]} for q in judged]
    if engine == "bm25s":
        return reference.run_bm25s(docs, records)
    return reference.run_whoosh(docs, records, engine.endswith("stem"))


def load_collection(name: str) -> tuple[list[dict], dict[str, str], dict[str, dict[str, int]]]:
    """A collection's documents, queries and judgments (only judged queries that the queries file holds)."""
    folder = DATA / name
    docs = [json.loads(line) for line in (folder / "docs.jsonl").open(encoding="utf-8")]
    queries = read_queries(folder / "queries.jsonl")
    qrels = {q: rels for q, rels in read_qrels(qrels_path(folder)).items() if q in queries}
    return docs, queries, qrels


def table(rows: list[tuple[str, str, Evaluation, Evaluation]]) -> str:
    """The Markdown table: a row per collection and ranker, each figure with its difference to bm25s."""
    lines = ["| collection | ranker | nDCG@10 | vs bm25s | MAP | vs bm25s | R@100 | vs bm25s |",
             "|---|---|---|---|---|---|---|---|"]
    for name, ranker, ev, base in rows:
        cells = [f"{getattr(ev, a):.3f} | {getattr(ev, a) - getattr(base, a):+.3f}"
                 for a in ("ndcg_at_10", "map", "recall_at_100")]
        lines.append(f"| {name} | {ranker} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mean_row(rows: list[tuple[str, str, Evaluation, Evaluation]], ranker: str) -> str:
    """The mean over collections of one ranker's nDCG@10 and its lead over bm25s."""
    mine = [(ev.ndcg_at_10, base.ndcg_at_10) for _, r, ev, base in rows if r == ranker]
    ours = sum(a for a, _ in mine) / len(mine)
    lead = sum(a - b for a, b in mine) / len(mine)
    worst = min(a - b for a, b in mine)
    return f"{ranker}: mean nDCG@10 {ours:.3f}, mean lead over bm25s {lead:+.3f}, worst collection {worst:+.3f}"


def worst_queries(name: str, n: int, docs: list[dict], queries: dict[str, str], qrels, ours, theirs) -> str:
    """The n queries where ours loses most nDCG@10 to bm25s, with both rankings' top hits."""
    titles = {d["id"]: (d.get("title") or d["text"])[:70] for d in docs}
    mine, base = per_query_ndcg(ours, qrels), per_query_ndcg(theirs, qrels)
    losers = sorted(qrels, key=lambda q: mine[q] - base[q])[:n]
    out = [f"## {name}: the {n} queries ours loses most on"]
    for q in losers:
        out.append(f"\nquery {q} ({mine[q]:.3f} vs bm25s {base[q]:.3f}, {len(qrels[q])} relevant): {queries[q]}")
        for label, run in (("ours", ours), ("bm25s", theirs)):
            for rank, doc in enumerate(run.get(q, [])[:SHOWN_HITS], 1):
                mark = f"+{qrels[q][doc]}" if doc in qrels[q] else "  "
                out.append(f"  {label:5} {rank} {mark} {doc:>6} {titles.get(doc, '')}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="Keep the collections' indexes here between runs.")
    parser.add_argument("--only", help="Comma-separated collections (default: all six).")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="List the N worst queries per collection.")
    parser.add_argument("--held-out", action="store_true", help="Print the leave-one-collection-out column.")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(COLLECTIONS)
    reference = load_reference()
    with tempfile.TemporaryDirectory(prefix="ranking-") as tmp:
        cache = args.cache or Path(tmp)
        rows, worst, indexes, baselines = [], [], {}, {}
        for name in names:
            docs, queries, qrels = load_collection(name)
            judged = sorted(qrels)
            indexes[name] = collection_index(name, cache)
            started = time.monotonic()
            runs = {"ours": our_run(indexes[name], queries, judged)}
            log(f"{name}: ours ranked {len(judged)} queries in {time.monotonic() - started:.1f}s")
            for engine in REFERENCES:
                runs[engine] = reference_run(reference, engine, docs, queries, judged)
            base = score_run(runs["bm25s"], qrels)
            baselines[name] = (queries, qrels, base, per_query_ndcg(runs["bm25s"], qrels))
            rows += [(name, ranker, score_run(run, qrels), base) for ranker, run in runs.items()]
            if args.worst:
                worst.append(worst_queries(name, args.worst, docs, queries, qrels, runs["ours"], runs["bm25s"]))
        print(table(rows))
        print()
        for ranker in ("ours", *REFERENCES[1:]):
            print(mean_row(rows, ranker))
        if args.held_out:
            print()
            print(held_out_column(indexes, baselines, log))
        for text in worst:
            print()
            print(text)


if __name__ == "__main__":
    main()
