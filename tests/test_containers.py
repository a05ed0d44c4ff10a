"""Files that hold many pages (JSON Lines, WARC) index through the same reindex, full and incremental."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from search.indexing.index import build_index
from search.querying.query import fetch_document, search_index
from search.querying.snapshot import open_snapshot
from tests.test_warc import write_warc
from tests.test_wrapping import PARAGRAPHS

RECORDS = [
    {"id": "r1", "url": "https://port.example/a", "title": "Dock strike ends", "date": "2019-04-02",
     "text": "Dock workers in the southern port ended their strike on Tuesday after the operator agreed to "
             "hire forty more crane drivers and to review night shifts."},
    {"id": "r2", "url": "https://port.example/b", "title": "Ferry fares rise",
     "text": "Ferry fares to the islands will rise by six per cent in May, the operator said, citing the "
             "price of fuel and the cost of repairs to its oldest vessel."},
]


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")


def ids_in(index_dir: Path) -> set[str]:
    with open_snapshot(index_dir) as snapshot:
        return {f["id"] for f in snapshot.searcher.all_stored_fields()}


def test_jsonl_and_warc_index_with_urls_dates_and_provenance(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "scrapy").mkdir(parents=True)
    write_jsonl(corpus / "scrapy" / "items.jsonl", RECORDS)
    (corpus / "scrapy" / "items.jsonl").open("a").write("{not json\n")
    write_warc(corpus / "crawl.warc.gz")
    report = build_index(corpus, tmp_path / "index")
    assert report.indexed == 4
    assert [s["path"].rsplit("/", 1)[-1] for s in report.skipped] == ["items.jsonl:3"]
    with open_snapshot(tmp_path / "index") as snapshot:
        dock = search_index(snapshot, "crane drivers").hits[0]
        assert (dock.id, dock.source_url, dock.date) == ("r1", "https://port.example/a", "2019-04-02")
        ferry = search_index(snapshot, "extra crossings").hits[0]
        assert ferry.source_url == "https://ferry.example/timetable"
        view = fetch_document(snapshot, ferry.id)
        assert view.fetched == "2021-05-01" and view.source == "crawl.warc.gz" and view.record
        assert fetch_document(snapshot, "r2").record == "2"


def test_incremental_reindex_drops_a_record_gone_from_a_container_and_a_removed_container(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_jsonl(corpus / "items.jsonl", RECORDS)
    write_warc(corpus / "crawl.warc")
    build_index(corpus, index)
    assert ids_in(index) >= {"r1", "r2"} and len(ids_in(index)) == 4
    write_jsonl(corpus / "items.jsonl", RECORDS[:1])  # r2 is gone from the file
    (corpus / "crawl.warc").unlink()
    report = build_index(corpus, index)
    assert report.mode == "incremental"
    assert ids_in(index) == {"r1"}
    assert (report.deleted, report.updated, report.unchanged) == (3, 0, 1)  # r1's line is as it was
    unchanged = build_index(corpus, index)
    assert (unchanged.added, unchanged.updated, unchanged.deleted, unchanged.unchanged) == (0, 0, 0, 1)


def test_document_page_shows_provenance(tmp_path: Path):
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_warc(corpus / "crawl.warc.gz")
    build_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "index")}).test_client()
    hit = client.get("/api/search?q=ferry").get_json()["hits"][0]
    html = client.get(hit["url"]).get_data(as_text=True)
    assert "Where this page came from" in html
    assert "https://ferry.example/timetable" in html and "2021-05-01" in html and "crawl.warc.gz" in html


def test_a_record_of_a_title_alone_is_a_page_and_an_empty_one_is_skipped(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [*RECORDS, {"id": "t1", "title": "Hidden-Line Plotting Program (Algorithm R420)"},
               {"id": "t2", "title": "", "text": ""}]
    write_jsonl(corpus / "catalogue.jsonl", records)
    report = build_index(corpus, tmp_path / "index")
    assert report.indexed == 3
    assert [s["reason"] for s in report.skipped] == ["no 'text', 'title' or 'html'"]
    with open_snapshot(tmp_path / "index") as snapshot:
        hit = search_index(snapshot, "plotting program").hits[0]
        assert (hit.id, hit.title) == ("t1", "Hidden-Line Plotting Program (Algorithm R420)")
        assert fetch_document(snapshot, "t1").paragraphs == ("Hidden-Line Plotting Program (Algorithm R420)",)


def test_a_record_of_text_wrapped_at_a_fixed_width_is_indexed_as_whole_paragraphs(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # As a news wire or a mail archive gives it: each paragraph wrapped, a blank line between paragraphs.
    text = "\n\n".join("\n".join(textwrap.wrap(paragraph, 64)) for paragraph in PARAGRAPHS)
    write_jsonl(corpus / "wire.jsonl", [*RECORDS, {"id": "w1", "title": "Channel to be dredged", "text": text}])
    build_index(corpus, tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        assert fetch_document(snapshot, "w1").paragraphs == tuple(PARAGRAPHS)
        # Unwrapped, the sentence that ran over a line break is one passage for the snippet.
        hit = search_index(snapshot, "laden boats").hits[0]
        plain = hit.snippet.replace("<mark>", "").replace("</mark>", "")
        assert hit.id == "w1" and "it has become too shallow for laden boats at low tide, and two trawlers" in plain
