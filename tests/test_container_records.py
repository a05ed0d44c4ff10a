"""A container file's records (JSON Lines lines, WARC responses) are compared, cleaned and replaced one
by one, across the worker processes, each read at its own offset: a file that grew costs its new records."""

from __future__ import annotations

import json
import random
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from search.indexing.index import build_index
from search.querying.query import fetch_document, search_index
from search.querying.snapshot import open_snapshot
from search.reading.spans import RecordSpan, read_spans, record_spans
from search.records import Page, Skipped
from tests.test_warc import write_warc

WORDS = ("harbour", "council", "ferry", "strike", "budget", "bridge", "museum", "railway", "school",
         "festival", "river", "market", "hospital", "tunnel", "library", "stadium", "airport", "orchard")


def story(n: int) -> dict:
    """A distinct short news record, numbered n."""
    rnd = random.Random(n)
    words = " ".join(rnd.choice(WORDS) for _ in range(30))
    return {"id": f"s{n}", "title": f"Story {n} about the {rnd.choice(WORDS)}",
            "text": f"Report number {n} from the town desk. The {words} were discussed at length on day {n}."}


def write_stories(path: Path, numbers, mode: str = "w") -> None:
    with path.open(mode) as out:
        for n in numbers:
            out.write(json.dumps(story(n)) + "\n")


def documents(index_dir: Path) -> list[dict]:
    """The stored fields of every document, in the index's order."""
    with open_snapshot(index_dir) as snapshot:
        return list(snapshot.searcher.all_stored_fields())


def test_a_grown_jsonl_file_cleans_only_its_new_lines(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_stories(corpus / "feed.jsonl", range(100))
    first = build_index(corpus, index, workers=2)
    assert (first.mode, first.added, first.indexed) == ("full", 100, 100)
    write_stories(corpus / "feed.jsonl", range(100, 110), mode="a")
    grown = build_index(corpus, index, workers=2)
    assert (grown.mode, grown.added, grown.updated, grown.unchanged, grown.deleted) == ("incremental", 10, 0, 100, 0)
    assert grown.indexed == 110
    again = build_index(corpus, index, workers=2)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 110)
    with open_snapshot(index) as snapshot:
        hit = search_index(snapshot, '"report number 105"').hits[0]
        assert hit.id == "s105"
        assert fetch_document(snapshot, "s105").record == "106"  # its line in the file


def test_an_edited_line_is_replaced_alone_and_a_removed_one_deleted(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_stories(corpus / "feed.jsonl", range(80))
    build_index(corpus, index, workers=2)
    lines = (corpus / "feed.jsonl").read_text().splitlines(keepends=True)
    edited = story(40) | {"text": story(40)["text"] + " A correction was added: the quay reopened."}
    lines[40] = json.dumps(edited) + "\n"
    lines[79] = "\n"  # the last record blanked: its line number stays, nothing is read from it
    (corpus / "feed.jsonl").write_text("".join(lines))
    report = build_index(corpus, index, workers=2)
    assert (report.updated, report.deleted, report.added, report.unchanged) == (1, 1, 0, 78)
    with open_snapshot(index) as snapshot:
        assert [h.id for h in search_index(snapshot, "quay reopened").hits] == ["s40"]
    assert {d["id"] for d in documents(index)} == {f"s{n}" for n in range(79)}


def test_records_cleaned_across_workers_keep_their_order_and_provenance(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_stories(corpus / "feed.jsonl", range(150))
    (corpus / "feed.jsonl").open("a").write("{broken\n")
    one = build_index(corpus, tmp_path / "one", workers=1)
    two = build_index(corpus, tmp_path / "two", workers=2)
    assert one.indexed == two.indexed == 150
    assert [s["path"].rsplit("/", 1)[-1] for s in two.skipped] == ["feed.jsonl:151"]
    by_one, by_two = documents(tmp_path / "one"), documents(tmp_path / "two")
    assert [d["id"] for d in by_two] == [d["id"] for d in by_one] == [f"s{n}" for n in range(150)]
    assert [(d["record"], d["path"].rsplit("/", 1)[-1]) for d in by_two[:2]] == [("1", "feed.jsonl:1"),
                                                                               ("2", "feed.jsonl:2")]
    assert all(d["source"] == "feed.jsonl" for d in by_two)
    # A broken line skipped is named again by the next reindex without being read again.
    again = build_index(corpus, tmp_path / "two", workers=2)
    assert [s["path"].rsplit("/", 1)[-1] for s in again.skipped] == ["feed.jsonl:151"] and again.unchanged == 150


def test_a_record_is_read_at_its_offset_alone(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    write_stories(path, range(3))
    spans = [s for s in record_spans(path) if isinstance(s, RecordSpan)]
    assert [s.record for s in spans] == ["1", "2", "3"]
    # The first and last lines overwritten with bytes of the same length that are no JSON: the middle
    # record is still read, from its offset; the other two are named as changed since they were listed.
    raw = bytearray(path.read_bytes())
    for span in (spans[0], spans[2]):
        raw[span.start:span.start + span.length - 1] = b"\x00" * (span.length - 1)
    path.write_bytes(bytes(raw))
    items = read_spans(path, tmp_path, tuple(spans))
    assert isinstance(items[1], Page) and items[1].id == "s1" and items[1].record == "2"
    assert all(isinstance(items[i], Skipped) and "changed" in items[i].reason for i in (0, 2))


def append_response(path: Path, url: str, title: str, text: str) -> None:
    """One more 200 HTML response at the end of a WARC file."""
    with path.open("ab") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        body = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body.encode()),
                                                      http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2022-03-04T05:06:07Z"}))


def test_a_grown_warc_cleans_only_its_new_responses(tmp_path: Path):
    for name in ("crawl.warc", "crawl.warc.gz"):
        corpus, index = tmp_path / name / "corpus", tmp_path / name / "index"
        corpus.mkdir(parents=True)
        write_warc(corpus / name)
        assert build_index(corpus, index).indexed == 2
        append_response(corpus / name, "https://quay.example/opening", "The new quay opens",
                        "The new quay opened on Friday with a brass band and a queue of fishing boats waiting "
                        "to moor at the longest berth the town has built in a century.")
        report = build_index(corpus, index)
        assert (report.added, report.unchanged, report.updated, report.deleted) == (1, 2, 0, 0)
        with open_snapshot(index) as snapshot:
            hit = search_index(snapshot, "brass band").hits[0]
            assert hit.source_url == "https://quay.example/opening"
            view = fetch_document(snapshot, hit.id, corpus_dir=corpus)
            assert view.fetched == "2022-03-04" and hit.id == f"{name}#{view.record}"
            # Its file grew since the first two were indexed; their records, as theirs, are the same.
            assert view.source_state == "same"
            first = fetch_document(snapshot, search_index(snapshot, "extra crossings").hits[0].id, corpus_dir=corpus)
            assert first.source_state == "same"
        append_response(corpus / name, "https://quay.example/later", "Later", "A later page.")
        with open_snapshot(index) as snapshot:
            assert fetch_document(snapshot, hit.id, corpus_dir=corpus).source_state == "same"
        (corpus / name).write_bytes(b"")
        with open_snapshot(index) as snapshot:
            assert fetch_document(snapshot, hit.id, corpus_dir=corpus).source_state == "changed"
