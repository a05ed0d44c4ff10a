"""Web archives: a WARC written in the test with warcio yields its successful HTML responses."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from search.reading.warc import read_warc
from search.records import Page, Skipped
from tests.pages import HTML_ARTICLE

OTHER_PAGE = ("<html><head><title>Ferry timetable changes</title></head><body><article><h1>Ferry timetable "
              "changes</h1><p>The island ferry will run two extra crossings on Sundays from next month, the "
              "operator said, after complaints from residents about crowded boats in summer.</p></article>"
              "</body></html>")


def write_warc(path: Path) -> None:
    """A small crawl: two HTML pages, a 404, an image, a redirect and a request record."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")

        def response(url: str, status: str, ctype: str, body: bytes, date: str) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)

        response("https://riverside.example/news/bridge", "200 OK", "text/html; charset=utf-8",
                 HTML_ARTICLE.encode(), "2020-10-06T10:00:00Z")
        response("https://ferry.example/timetable", "200 OK", "text/html", OTHER_PAGE.encode("utf-8"),
                 "2021-05-01T08:00:00Z")
        response("https://ferry.example/missing", "404 Not Found", "text/html", b"<p>Not found</p>",
                 "2021-05-01T08:00:01Z")
        response("https://ferry.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n", "2021-05-01T08:00:02Z")
        response("https://ferry.example/old", "301 Moved Permanently", "text/html", b"", "2021-05-01T08:00:03Z")
        writer.write_record(writer.create_warc_record("https://ferry.example/timetable", "request",
                                                      payload=BytesIO(b"GET /timetable HTTP/1.1\r\n\r\n")))


def test_reads_only_successful_html_responses(tmp_path: Path):
    for name in ("crawl.warc", "crawl.warc.gz"):
        write_warc(tmp_path / name)
        items = list(read_warc(tmp_path / name, tmp_path, max_bytes=10**6))
        pages = [p for p in items if isinstance(p, Page)]
        assert [p.url for p in pages] == ["https://riverside.example/news/bridge", "https://ferry.example/timetable"]
        assert [p.fetched for p in pages] == ["2020-10-06", "2021-05-01"]
        assert all(p.id.startswith(name + "#") and p.kind == "html" for p in pages)
        assert "Bridge repairs finish early" in pages[0].content
        assert not [i for i in items if isinstance(i, Skipped)]


def test_truncated_archive_is_named_not_fatal(tmp_path: Path):
    write_warc(tmp_path / "good.warc.gz")
    data = (tmp_path / "good.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.warc.gz").write_bytes(gzip.compress(b"this is not a web archive at all"))
    for name in ("cut.warc.gz", "junk.warc.gz"):
        items = list(read_warc(tmp_path / name, tmp_path, max_bytes=10**6))
        assert any(isinstance(i, Skipped) and "web archive" in i.reason for i in items) or \
            all(isinstance(i, Page) for i in items), items
