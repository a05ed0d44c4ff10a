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
    # A file that is not text, or not there, is named in one line with exit 1, never a traceback.
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"\xff\xfe\x00\x01 judged")
    for args in (("--queries", binary, "--qrels", qrels), ("--queries", queries, "--qrels", binary),
                 ("--queries", queries, "--qrels", qrels, "--compare", binary)):
        broken = run("eval", *args, "--index", index)
        assert broken.exit_code == 1 and "not UTF-8 text" in broken.output, broken.output
        assert "Traceback" not in broken.output


def test_search_eval_per_query_saves_and_compares_runs(tmp_path: Path):
    docs = [
        {"id": "d1", "title": "Tidal power", "text": "A tidal power station turns turbines in the estuary."},
        {"id": "d2", "title": "Wind farm", "text": "Twelve wind turbines were approved on the hills above the town."},
        {"id": "d3", "title": "Bakery prize", "text": "The bakery won a prize for its sourdough bread and its cakes."},
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in docs))
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": "1", "text": "turbines"}\n{"id": "2", "text": "bread prize"}\n')
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("1\td2\t1\n2\td3\t1\n")
    index = tmp_path / "index"
    assert run("reindex", "--corpus", corpus, "--index", index).exit_code == 0
    saved = tmp_path / "run.tsv"
    first = run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--per-query", "--save", saved)
    assert first.exit_code == 0, first.output
    rows = dict(line.split("\t") for line in first.output.splitlines()[1:3])
    assert rows["2"] == "1.0000" and float(rows["1"]) < 1.0  # d1 says turbines too, in fewer words
    lines = [line.split("\t") for line in saved.read_text().splitlines()]
    assert {(q, d) for q, _, d, *_ in lines} >= {("1", "d1"), ("1", "d2"), ("2", "d3")}
    assert all(tag == "search" and q0 == "Q0" for _, q0, _, _, _, tag in lines)
    # A saved run that put d2 first for query 1: this run is worse there, the same on query 2.
    other = tmp_path / "other.tsv"
    other.write_text("1 Q0 d2 1 9.0 x\n1 Q0 d1 2 1.0 x\n2 Q0 d3 1 5.0 x\n")
    compared = run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--per-query", "--compare", other)
    assert compared.exit_code == 0, compared.output
    assert compared.output.splitlines()[0] == "query\tnDCG@10\tsaved\tchange"
    change = {line.split("\t")[0]: float(line.split("\t")[3]) for line in compared.output.splitlines()[1:3]}
    assert change["1"] < 0 and change["2"] == 0
    assert "better on 0 queries, worse on 1" in compared.output
    as_json = json.loads(run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--per-query",
                             "--compare", other, "--json").output)
    assert as_json["per_query"]["2"] == 1.0 and as_json["saved"]["ndcg@10"] == 1.0 and as_json["change"]["1"] < 0
    # Comparing with itself moves nothing.
    same = run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--compare", saved)
    assert "better on 0 queries, worse on 0" in same.output
    bad = tmp_path / "bad.tsv"
    bad.write_text("1 Q0 d2\n")
    broken = run("eval", "--queries", queries, "--qrels", qrels, "--index", index, "--compare", bad)
    assert broken.exit_code == 1 and "bad.tsv:1" in broken.output and "Traceback" not in broken.output
