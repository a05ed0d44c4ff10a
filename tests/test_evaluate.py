"""Relevance evaluation: the metrics on hand-worked runs, and `search eval` end to end."""

import json
import math
from pathlib import Path

import pytest

from search.querying.evaluate import EvaluationError, read_qrels, score_run
from tests.test_cli import run


def test_metrics_on_a_hand_worked_run():
    qrels = {"q1": {"a": 3, "b": 1}, "q2": {"c": 2}}
    run_ = {"q1": ["b", "x", "a"], "q2": ["y"]}
    figures = score_run(run_, qrels)
    dcg = (2**1 - 1) / math.log2(2) + (2**3 - 1) / math.log2(4)
    idcg = (2**3 - 1) / math.log2(2) + (2**1 - 1) / math.log2(3)
    assert figures.queries == 2
    assert figures.ndcg_at_10 == pytest.approx((dcg / idcg + 0) / 2)
    assert figures.map == pytest.approx(((1 / 1 + 2 / 3) / 2 + 0) / 2)
    assert figures.recall_at_100 == pytest.approx((1 + 0) / 2)
    assert score_run({"q1": ["a", "b"]}, {"q1": {"a": 3, "b": 1}}).ndcg_at_10 == pytest.approx(1.0)


def test_qrels_formats_and_errors(tmp_path: Path):
    three = tmp_path / "three.tsv"
    three.write_text("1\tdoc-a\t2\n1\tdoc-b\t0\n")
    four = tmp_path / "four.txt"
    four.write_text("1 0 doc-a 2\n")
    assert read_qrels(three) == read_qrels(four) == {"1": {"doc-a": 2}}
    bad = tmp_path / "bad.tsv"
    bad.write_text("1 doc-a lots\n")
    with pytest.raises(EvaluationError, match="bad.tsv:1"):
        read_qrels(bad)


def test_search_eval_on_a_jsonl_collection(tmp_path: Path):
    docs = [
        {"id": "d1", "title": "Tidal power station planned", "text": "A tidal power station is planned in the estuary, "
         "using the strong tides to turn turbines set in a barrage across the river mouth."},
        {"id": "d2", "title": "Wind farm approved", "text": "A wind farm of twelve turbines was approved on the hills "
         "above the town after a long inquiry into the noise and the view."},
        {"id": "d3", "title": "Bakery wins prize", "text": "The bakery on the high street won a national prize for its "
         "sourdough bread, which the baker makes with flour milled in the next valley."},
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in docs))
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": "1", "text": "tidal turbines"}\n{"id": "2", "text": "prize bread"}\n')
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("1\td1\t2\n1\td2\t1\n2\td3\t1\n")
    index = tmp_path / "index"
    assert run("reindex", "--corpus", corpus, "--index", index).exit_code == 0
    result = run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["queries"] == 2 and figures["recall@100"] == 1.0 and figures["map"] == 1.0
    text = run("eval", "--queries", queries, "--qrels", qrels, "--index", index)
    assert "nDCG@10 1.0000" in text.output
    missing = run("eval", "--queries", queries, "--qrels", qrels, "--index", tmp_path / "none")
    assert missing.exit_code == 1 and "reindex" in missing.output
