"""Relevance evaluation: run judged queries against the index and score the rankings (nDCG@10, MAP, recall@100)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import QueryError, SearchError
from .parsing import parse_query, rank_query

if TYPE_CHECKING:
    from .snapshot import Snapshot

RUN_DEPTH = 1000  # ranked documents kept per query, as TREC runs keep them


class EvaluationError(SearchError):
    """The queries or judgments file cannot be read."""


@dataclass(frozen=True)
class Evaluation:
    """Mean relevance figures over the judged queries."""

    queries: int
    ndcg_at_10: float
    map: float
    recall_at_100: float

    def as_json(self) -> dict:
        """The figures as JSON."""
        return {"queries": self.queries, "ndcg@10": round(self.ndcg_at_10, 4), "map": round(self.map, 4),
                "recall@100": round(self.recall_at_100, 4)}


def numbered_lines(path: Path, what: str) -> list[tuple[int, str]]:
    """The file's non-blank lines with their numbers; one EvaluationError naming `what` when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise EvaluationError(f"cannot read {what}: {exc}") from None
    except UnicodeDecodeError:
        raise EvaluationError(f"cannot read {what}: {path} is not UTF-8 text") from None
    # Split at newlines only: a JSON string may hold other line separators (U+2028) as they are.
    return [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]


def read_queries(path: Path) -> dict[str, str]:
    """Query id to text, from JSON Lines records {"id", "text"} (or "query")."""
    queries = {}
    for number, line in numbered_lines(path, "queries"):
        try:
            record = json.loads(line)
            queries[str(record["id"])] = str(record.get("text") or record["query"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EvaluationError(f"{path}:{number}: not a query record ({exc})") from None
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Judgments from a TREC-style file: `query_id doc_id gain` (or `query_id 0 doc_id gain`) a line."""
    qrels: dict[str, dict[str, int]] = {}
    for number, line in numbered_lines(path, "judgments"):
        parts = line.split()
        if len(parts) == 4:
            parts = [parts[0], parts[2], parts[3]]
        try:
            query_id, doc_id, gain = parts[0], parts[1], int(parts[2])
        except (ValueError, IndexError):
            raise EvaluationError(f"{path}:{number}: expected `query_id doc_id gain`") from None
        if gain > 0:
            judged = qrels.setdefault(query_id, {})
            judged[doc_id] = max(gain, judged.get(doc_id, 0))
    return qrels


def score_run(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]) -> Evaluation:
    """nDCG@10 with exponential gains, MAP over the run's depth, recall@100, averaged over judged queries."""
    ndcg = ap = recall = 0.0
    for query_id, relevant in qrels.items():
        ranked = list(run.get(query_id, ()))
        dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sorted(relevant.values(), reverse=True)[:10]
        idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg += dcg / idcg if idcg else 0.0
        found, precision_sum = 0, 0.0
        for i, d in enumerate(ranked[:RUN_DEPTH]):
            if d in relevant:
                found += 1
                precision_sum += found / (i + 1)
        ap += precision_sum / len(relevant)
        recall += len(set(ranked[:100]) & relevant.keys()) / len(relevant)
    n = max(1, len(qrels))
    return Evaluation(queries=len(qrels), ndcg_at_10=ndcg / n, map=ap / n, recall_at_100=recall / n)


def ranked_documents(snapshot: Snapshot, text: str, limit: int = RUN_DEPTH) -> list[tuple[str, float]]:
    """The (id, score) of the documents the default ranking returns for a query, best first."""
    try:
        ranked, _ = rank_query(snapshot, parse_query(snapshot, text), text, None, limit)
    except QueryError:
        return []
    ids = snapshot.column_values("id")
    return [(ids[docnum], score) for docnum, score in ranked]


def rank_documents(snapshot: Snapshot, text: str, limit: int = RUN_DEPTH) -> list[str]:
    """The ids of the documents the default ranking returns for a query, best first."""
    return [doc_id for doc_id, _ in ranked_documents(snapshot, text, limit)]


def judged_queries(queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """The judgments of the queries the queries file holds; EvaluationError when there are none."""
    judged = {q: dict(rel) for q, rel in qrels.items() if q in queries}
    if not judged:
        raise EvaluationError("no query in the queries file has judgments in the qrels file")
    return judged


def run_queries(snapshot: Snapshot, queries: Mapping[str, str],
                qrels: Mapping[str, Mapping[str, int]]) -> dict[str, list[tuple[str, float]]]:
    """Every judged query's ranked (id, score) pairs: a run, as `search eval --save` writes it."""
    return {query_id: ranked_documents(snapshot, queries[query_id]) for query_id in judged_queries(queries, qrels)}


def run_ids(run: Mapping[str, Sequence[tuple[str, float]]]) -> dict[str, list[str]]:
    """A run's ranked ids, best first, as score_run takes them."""
    return {query_id: [doc_id for doc_id, _ in ranked] for query_id, ranked in run.items()}


def evaluate(snapshot: Snapshot, queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]]) -> Evaluation:
    """Run every judged query through the default ranking and score the run."""
    return score_run(run_ids(run_queries(snapshot, queries, qrels)), judged_queries(queries, qrels))


def per_query_ndcg(run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Each judged query's nDCG@10 alone (as `trec_eval -q` lists a measure), in the judgments' order."""
    return {q: score_run({q: run.get(q, ())}, {q: rels}).ndcg_at_10 for q, rels in qrels.items()}


RUN_TAG = "search"  # the last column of a saved run: which system made it


def write_run(path: Path, run: Mapping[str, Sequence[tuple[str, float]]]) -> None:
    """Save a run in TREC's format: `query_id Q0 doc_id rank score tag` a line, best first."""
    try:
        with Path(path).open("w", encoding="utf-8") as out:
            for query_id, ranked in run.items():
                for rank, (doc_id, score) in enumerate(ranked, start=1):
                    out.write(f"{query_id}\tQ0\t{doc_id}\t{rank}\t{score:.6f}\t{RUN_TAG}\n")
    except OSError as exc:
        raise EvaluationError(f"cannot write the run: {exc}") from None


def read_run(path: Path) -> dict[str, list[str]]:
    """A saved run in TREC's format (`query_id Q0 doc_id rank score tag`): each query's ids by
    score, best first (equal scores by rank), as trec_eval orders them."""
    rows: dict[str, list[tuple[float, int, str]]] = {}
    for number, line in numbered_lines(path, "the saved run"):
        parts = line.split()
        try:
            query_id, doc_id, rank, score = parts[0], parts[2], int(parts[3]), float(parts[4])
        except (ValueError, IndexError):
            raise EvaluationError(f"{path}:{number}: expected `query_id Q0 doc_id rank score tag` "
                                  "(a run saved by `search eval --save`)") from None
        rows.setdefault(query_id, []).append((-score, rank, doc_id))
    return {query_id: [doc_id for *_, doc_id in sorted(found)] for query_id, found in rows.items()}
