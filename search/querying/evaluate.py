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


def read_queries(path: Path) -> dict[str, str]:
    """Query id to text, from JSON Lines records {"id", "text"} (or "query")."""
    queries = {}
    try:
        with Path(path).open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    queries[str(record["id"])] = str(record.get("text") or record["query"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise EvaluationError(f"{path}:{number}: not a query record ({exc})") from None
    except OSError as exc:
        raise EvaluationError(f"cannot read queries: {exc}") from None
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Judgments from a TREC-style file: `query_id doc_id gain` (or `query_id 0 doc_id gain`) a line."""
    qrels: dict[str, dict[str, int]] = {}
    try:
        with Path(path).open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                parts = line.split()
                if not parts:
                    continue
                if len(parts) == 4:
                    parts = [parts[0], parts[2], parts[3]]
                try:
                    query_id, doc_id, gain = parts[0], parts[1], int(parts[2])
                except (ValueError, IndexError):
                    raise EvaluationError(f"{path}:{number}: expected `query_id doc_id gain`") from None
                if gain > 0:
                    judged = qrels.setdefault(query_id, {})
                    judged[doc_id] = max(gain, judged.get(doc_id, 0))
    except OSError as exc:
        raise EvaluationError(f"cannot read judgments: {exc}") from None
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


def rank_documents(snapshot: Snapshot, text: str, limit: int = RUN_DEPTH) -> list[str]:
    """The ids of the documents the default ranking returns for a query, best first."""
    try:
        ranked, _ = rank_query(snapshot, parse_query(snapshot, text), text, None, limit)
    except QueryError:
        return []
    ids = snapshot.column_values("id")
    return [ids[docnum] for docnum, _ in ranked]


def evaluate(snapshot: Snapshot, queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]]) -> Evaluation:
    """Run every judged query through the default ranking and score the run."""
    judged = {q: rel for q, rel in qrels.items() if q in queries}
    if not judged:
        raise EvaluationError("no query in the queries file has judgments in the qrels file")
    run = {query_id: rank_documents(snapshot, queries[query_id]) for query_id in judged}
    return score_run(run, judged)
