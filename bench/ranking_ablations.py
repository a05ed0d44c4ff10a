"""What each part of the default ranking gives, collection by collection: the defaults with one part
taken away or changed at a time, nDCG@10 beside bm25s.

    .venv/bin/python -m bench.ranking_ablations --cache DIR [--only cranfield,med]

Uses bench/ranking.py's indexes (built into DIR when missing). Not part of the tests.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from bench.ranking import COLLECTIONS, collection_index, load_collection, load_reference, log, reference_run
from search.indexing import open_index
from search.querying.evaluate import RUN_DEPTH, rank_documents, score_run
from search.querying.scoring import BM25, DEFAULT_WEIGHTS, Weights
from search.querying.snapshot import Snapshot


class FieldsSummed(BM25):
    """BM25 in title and body scored apart and summed (Whoosh's matchers), as the ranking was before BM25F."""


VARIANTS = {
    "title weight 1 (title words count as body words)": dataclasses.replace(DEFAULT_WEIGHTS, title=1.0),
    "repeated words counted once": dataclasses.replace(DEFAULT_WEIGHTS, repeats=False),
    "k1 1.2, b 0.75 (textbook)": dataclasses.replace(DEFAULT_WEIGHTS, k1=1.2, b=0.75),
    "proximity bonus 0.3": dataclasses.replace(DEFAULT_WEIGHTS, proximity=0.3),
    "Bo1 feedback 0.8": dataclasses.replace(DEFAULT_WEIGHTS, feedback=0.8),
    "two fields scored apart and summed": None,
}


def ndcg(index_dir: Path, queries: dict[str, str], qrels, weighting: BM25) -> float:
    """nDCG@10 of the ranking with this weighting on a collection's judged queries."""
    with Snapshot(open_index(index_dir).searcher(weighting=weighting)) as snapshot:
        run = {q: rank_documents(snapshot, queries[q], RUN_DEPTH) for q in qrels}
    return score_run(run, qrels).ndcg_at_10


def weighting_of(weights: Weights | None) -> BM25:
    """The weighting a variant ranks with."""
    return FieldsSummed(DEFAULT_WEIGHTS) if weights is None else BM25(weights)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="bench/ranking.py's index cache.")
    parser.add_argument("--only", help="Comma-separated collections (default: all six).")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(COLLECTIONS)
    reference = load_reference()
    rows = {"bm25s": {}, "defaults": {}, **{v: {} for v in VARIANTS}}
    for name in names:
        docs, queries, qrels = load_collection(name)
        index_dir = collection_index(name, args.cache)
        rows["bm25s"][name] = score_run(reference_run(reference, "bm25s", docs, queries, sorted(qrels)),
                                        qrels).ndcg_at_10
        rows["defaults"][name] = ndcg(index_dir, queries, qrels, BM25(DEFAULT_WEIGHTS))
        for label, weights in VARIANTS.items():
            rows[label][name] = ndcg(index_dir, queries, qrels, weighting_of(weights))
        log(f"{name}: done")
    print("| ranking | " + " | ".join(names) + " | mean |")
    print("|---|" + "---|" * (len(names) + 1))
    for label, figures in rows.items():
        if label in ("bm25s", "defaults"):
            cells = [f"{figures[n]:.3f}" for n in names]
            mean = sum(figures.values()) / len(names)
            print(f"| {label} | " + " | ".join(cells) + f" | {mean:.3f} |")
            continue
        changes = [figures[n] - rows["defaults"][n] for n in names]
        print(f"| {label} | " + " | ".join(f"{c:+.3f}" for c in changes) + f" | {sum(changes) / len(names):+.3f} |")


if __name__ == "__main__":
    main()
