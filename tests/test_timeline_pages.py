"""The timeline, the export and the page as saved, through the API, the pages and the command line."""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from search.cli import main
from search.indexing.index import build_index
from tests.news_corpus import write_news_corpus
from web import create_app

QUERY = "Elmford OR Marston OR Northbay OR council"


def api(client, **params) -> dict:
    response = client.get("/api/search", query_string={"q": QUERY, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_api_histogram_counts_the_matches_and_each_period_narrows_to_its_count(news_client):
    body = api(news_client)
    assert body["interval"] == "month"  # 2016 to 2022
    histogram = body["histogram"]
    assert sum(p["count"] for p in histogram) + body["undated"] == body["total"]
    assert body["undated"] >= 1  # the meadows pages carry no date
    dated = [p for p in histogram if p["count"]]
    assert len(dated) >= 4 and len(histogram) > len(dated)  # empty months are there too
    for period in dated:
        narrowed = api(news_client, **{"from": period["from"], "to": period["to"]})
        assert narrowed["total"] == period["count"]
        assert narrowed["interval"] == "day" and narrowed["undated"] == 0  # its own timeline
        assert sum(p["count"] for p in narrowed["histogram"]) == period["count"]
        year, month = map(int, period["from"].split("-"))
        assert len(narrowed["histogram"]) == calendar.monthrange(year, month)[1]  # every day of the month
    # Per year, the counts are the year facet's.
    years = api(news_client, interval="year")
    assert {p["from"]: p["count"] for p in years["histogram"] if p["count"]} == \
        {f["value"]: f["count"] for f in years["facets"]["year"]}


def test_api_histogram_respects_the_filters(news_client):
    whole = api(news_client)
    one_site = api(news_client, site="valleytimes.example")
    assert 0 < one_site["total"] < whole["total"]
    assert sum(p["count"] for p in one_site["histogram"]) + one_site["undated"] == one_site["total"]


def test_api_refuses_a_bad_interval(news_client):
    for value, words in (("week", "interval must be one of auto, day, month, year"),
                         ("day", "narrow the dates or ask for a longer interval")):
        response = news_client.get("/api/search", query_string={"q": QUERY, "interval": value})
        assert response.status_code == 400 and response.is_json
        assert words in response.get_json()["error"]["message"]


def bars(html: str) -> list[tuple[str, str]]:
    """The timeline's links on a results page: (href, what it says)."""
    figure = BeautifulSoup(html, "lxml").find("figure", class_="timeline")
    assert figure is not None and figure.find("svg")
    return [(a["href"], a["aria-label"]) for a in figure.find_all("a")]


def test_results_page_draws_the_timeline_and_its_bars_narrow_the_search(news_client):
    html = news_client.get("/search", query_string={"q": QUERY}).get_data(as_text=True)
    links = bars(html)
    histogram = api(news_client)["histogram"]
    assert [int(re.search(r": (\d+) matching", said).group(1)) for _, said in links] == \
        [p["count"] for p in histogram if p["count"]]
    assert "have no date" in html or "has no date" in html
    # Each bar's tooltip says what its name says.
    soup = BeautifulSoup(html, "lxml")
    assert all(a.find("title").get_text() == a["aria-label"] for a in soup.select("figure.timeline a"))
    for href, said in links:
        count = int(re.search(r": (\d+) matching", said).group(1))
        narrowed = news_client.get(href)
        assert narrowed.status_code == 200
        text = narrowed.get_data(as_text=True)
        summary = BeautifulSoup(text, "lxml").find(id="summary").get_text(" ", strip=True)
        assert summary.startswith(f"{count} result")
        assert len(bars(text)) == 1  # a narrowed search shows its own timeline: one day
        assert "Matching pages per day" in text


def test_command_line_timeline_gives_the_api_counts(news_index: Path, news_client):
    out = CliRunner().invoke(main, ["query", QUERY, "--index", str(news_index), "--timeline"])
    assert out.exit_code == 0, out.output
    lines = [line.split("\t") for line in out.output.splitlines() if "\t" in line]
    assert [(start, int(count)) for start, count in lines] == \
        [(p["from"], p["count"]) for p in api(news_client)["histogram"]]
    bad = CliRunner().invoke(main, ["query", QUERY, "--index", str(news_index), "--timeline", "--interval", "day"])
    assert bad.exit_code == 1 and "narrow the dates" in bad.output and "Traceback" not in bad.output


def test_export_downloads_the_rows_the_command_line_prints(news_index: Path, news_client):
    html = news_client.get("/search", query_string={"q": QUERY, "site": "valleytimes.example"}).get_data(as_text=True)
    links = {a.get_text(): a["href"] for a in BeautifulSoup(html, "lxml").select("p.export a")}
    assert set(links) == {"CSV", "JSON Lines"}
    for label, fmt in (("CSV", "csv"), ("JSON Lines", "jsonl")):
        response = news_client.get(links[label])
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="search-results.{fmt}"'
        cli = CliRunner().invoke(main, ["query", QUERY, "--index", str(news_index), "--site", "valleytimes.example",
                                        "--limit", "100", "--format", fmt])
        assert cli.exit_code == 0
        assert response.get_data(as_text=True).replace("\r\n", "\n") == cli.output.replace("\r\n", "\n")
    rows = [json.loads(line) for line in news_client.get(links["JSON Lines"]).get_data(as_text=True).splitlines()]
    assert rows and all(r["id"].startswith("valley/") for r in rows)
    assert news_client.get("/search/export.xml?q=council").status_code == 404
    assert news_client.get("/search/export.csv?q=council&per_page=101").status_code == 400
    assert news_client.get("/search/export.csv?q=").status_code == 400


def test_document_page_shows_what_was_removed_and_says_when_the_source_changed(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    build_index(corpus, tmp_path / "ix")
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "ix")}).test_client()
    html = client.get("/doc/valley/elmford-barrier.html").get_data(as_text=True)
    details = BeautifulSoup(html, "lxml").find("details", class_="as-saved")
    assert details is not None and not details.has_attr("open")  # closed until asked for
    removed = details.select("li.removed")
    reasons = [li.find(class_="reason").get_text() for li in removed]
    assert "Removed: <nav> element" in reasons and "Removed: <footer> element" in reasons
    assert any("All rights reserved" in li.find("del").get_text() for li in removed)
    assert details.select("li.kept") and "changed" not in details.get_text()
    (corpus / "valley" / "elmford-barrier.html").write_text("<p>A new version.</p>", encoding="utf-8")
    assert "has changed since this page was indexed" in client.get("/doc/valley/elmford-barrier.html").get_data(
        as_text=True)
    (corpus / "valley" / "elmford-barrier.html").unlink()
    assert "no longer in the corpus" in client.get("/doc/valley/elmford-barrier.html").get_data(as_text=True)


def test_a_bar_narrows_a_query_that_names_its_own_dates(news_client):
    # date: in the query would override the bar's from/to: the bar's link leaves it out.
    html = news_client.get("/search", query_string={"q": f"{QUERY} date:[2016 TO 2022]"}).get_data(as_text=True)
    href, said = bars(html)[0]
    assert "date" not in href.split("q=")[1].split("&")[0]
    narrowed = BeautifulSoup(news_client.get(href).get_data(as_text=True), "lxml")
    assert narrowed.find(id="summary").get_text(" ", strip=True).startswith(f"{said.split(': ')[1].split()[0]} result")
