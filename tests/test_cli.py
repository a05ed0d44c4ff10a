"""The `search` command through click's runner."""

import json
from pathlib import Path

from click.testing import CliRunner

from search.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_every_command_has_help():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("reindex", "serve", "query", "clean", "eval"):
        assert command in result.output
        assert run(command, "--help").exit_code == 0


def test_reindex_reports_counts_and_skips(corpus_dir: Path, tmp_path: Path):
    result = run("reindex", "--corpus", corpus_dir, "--index", tmp_path / "ix")
    assert result.exit_code == 0, result.output
    assert "indexed 6 pages" in result.output
    assert "image.html: binary" in result.output and "empty.txt: empty page" in result.output


def test_options_come_from_environment(corpus_dir: Path, tmp_path: Path):
    env = {"SEARCH_CORPUS": str(corpus_dir), "SEARCH_INDEX": str(tmp_path / "envix")}
    assert run("reindex", env=env).exit_code == 0
    result = run("query", "chess", env=env)
    assert result.exit_code == 0 and "Village chess club" in result.output


def test_query_prints_marked_hits_and_json(index_dir: Path):
    text = run("query", "harbour", "--index", index_dir)
    assert text.exit_code == 0
    assert "[harbour]" in text.output and "2019-07-02" in text.output
    as_json = run("query", "harbour", "--index", index_dir, "--json")
    body = json.loads(as_json.output)
    assert body["hits"][0]["id"] == "gazette/harbour.txt" and "<mark>" in body["hits"][0]["snippet"]


def test_user_mistakes_are_clear_errors(tmp_path: Path, index_dir: Path):
    missing = run("query", "x", "--index", tmp_path / "none")
    assert missing.exit_code == 1 and "search reindex" in missing.output and "Traceback" not in missing.output
    bad = run("reindex", "--corpus", tmp_path / "nope", "--index", tmp_path / "ix")
    assert bad.exit_code == 1 and "corpus folder not found" in bad.output
    empty = run("query", "   ", "--index", index_dir)
    assert empty.exit_code == 1 and "empty" in empty.output


def test_clean_json_and_explain(corpus_dir: Path):
    result = run("clean", "--json", corpus_dir / "gazette" / "chess.txt")
    record = json.loads(result.output)
    assert set(record) >= {"path", "id", "title", "date", "site", "body"}
    assert record["id"] == "chess.txt" and record["date"] == "2021-03-14"
    explained = run("clean", "--explain", corpus_dir / "gazette")
    assert "removed (dateline): Published 14 March 2021" in explained.output


def test_stats_counts_by_site_and_year(index_dir: Path):
    result = run("stats", "--index", index_dir, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["documents"] == 6
    assert summary["by_site"]["Marwick Gazette"] == 2
    assert summary["by_year"]["2021"] == 1 and summary["by_year"]["2020"] == 1
    assert sum(summary["by_year"].values()) == sum(summary["by_site"].values()) == 6
    assert summary["size_bytes"] > 0 and summary["last_reindex"]["indexed"] == 6
    text = run("stats", "--index", index_dir)
    assert "6 documents" in text.output and "Marwick Gazette" in text.output and "last reindex" in text.output


def test_query_filters_sort_and_facets(news_index: Path):
    result = run("query", "Elmford OR Marston", "--index", news_index, "--site", "valleytimes.example",
                 "--sort", "newest")
    assert result.exit_code == 0, result.output
    assert "site: valleytimes.example" in result.output and "year: " in result.output
    assert "northbay/harbour" not in result.output
    assert result.output.index("2019-03-12") < result.output.index("2018-02-20")
    grouped = run("query", "Elmford barrier", "--index", news_index)
    assert "also at 2 other pages" in grouped.output
    body = json.loads(run("query", "flood", "--index", news_index, "--from", "2019", "--to", "2019", "--json").output)
    assert body["hits"] and all(h["date"].startswith("2019") for h in body["hits"])
    bad = run("query", "flood", "--index", news_index, "--from", "soon")
    assert bad.exit_code == 1 and "YYYY" in bad.output
    assert run("query", "flood", "--index", news_index, "--sort", "random").exit_code == 2


def test_reindex_says_what_changed_and_draws_no_bar_off_a_terminal(corpus_dir: Path, tmp_path: Path):
    first = run("reindex", "--corpus", corpus_dir, "--index", tmp_path / "ix")
    assert "full reindex (new index): 6 added, 0 updated, 0 unchanged, 0 deleted" in first.output
    assert "cleaning and indexing" not in first.output  # CliRunner's streams are not terminals
    (corpus_dir / "gazette" / "chess.txt").unlink()
    again = run("reindex", "--corpus", corpus_dir, "--index", tmp_path / "ix", "--workers", "1")
    assert again.exit_code == 0, again.output
    # The gazette's templates were learned from the deleted page too: its other page is cleaned again.
    assert ("incremental reindex: 0 added, 0 updated, 4 unchanged, 1 deleted, "
            "1 cleaned again for their site's new templates") in again.output
    full = run("reindex", "--corpus", corpus_dir, "--index", tmp_path / "ix", "--full")
    assert "full reindex (--full): 5 added" in full.output


def test_query_exports_jsonl_and_csv(index_dir: Path):
    import csv
    import io

    lines = run("query", "harbour OR chess", "--index", index_dir, "--format", "jsonl").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 2
    assert "<mark>" not in rows[0]["snippet"] and "[" in rows[0]["snippet"]
    table = list(csv.DictReader(io.StringIO(run("query", "harbour OR chess", "--index", index_dir,
                                                "--format", "csv").output)))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert set(table[0]) == {"rank", "id", "title", "date", "site", "source_url", "score", "snippet"}


def test_csv_export_quotes_cells_a_spreadsheet_would_run(tmp_path: Path):
    import csv
    import io

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # A scraped page whose title is a formula: opened from the CSV, it must stay text.
    (corpus / "trap.html").write_text(
        "<html><head><title>=HYPERLINK(\"http://evil.example\",\"click\")</title></head><body><article>"
        "<h1>=HYPERLINK(\"http://evil.example\",\"click\")</h1><p>The quarry owners met the parish council on "
        "Tuesday to discuss the blasting hours, which residents say shake their windows every afternoon.</p>"
        "<p>The council will decide on new hours next month after a survey of the houses nearest the quarry.</p>"
        "</article></body></html>")
    assert run("reindex", "--corpus", corpus, "--index", tmp_path / "ix").exit_code == 0
    jsonl = [json.loads(line) for line in run("query", "quarry", "--index", tmp_path / "ix",
                                              "--format", "jsonl").output.splitlines()]
    table = list(csv.DictReader(io.StringIO(run("query", "quarry", "--index", tmp_path / "ix",
                                                "--format", "csv").output)))
    assert jsonl[0]["title"].startswith("=")  # JSON Lines keeps the text as it is
    assert table[0]["title"] == "'" + jsonl[0]["title"]
