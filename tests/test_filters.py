"""Filters, sorting, facets, duplicates, similar articles and identifiers, on the news corpus."""

import json
from pathlib import Path

import pytest

from search.errors import QueryError
from search.indexing.store import read_report
from search.querying.filters import Filters
from search.querying.query import fetch_document, search_index
from search.querying.snapshot import open_snapshot

SYNDICATED = {"northbay/elmford-barrier.html", "valley/elmford-barrier.html", "hillside/elmford-barrier.html"}


@pytest.fixture
def snapshot(news_index: Path):
    with open_snapshot(news_index) as s:
        yield s


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_syndicated_story_shows_once_with_the_other_pages(snapshot):
    results = search_index(snapshot, "Elmford flood barrier raised")
    story = [h for h in results.hits if h.id in SYNDICATED]
    assert len(story) == 1
    others = {o.id for o in story[0].also_at}
    assert others == SYNDICATED - {story[0].id}
    assert {o.site for o in story[0].also_at} <= {"Northbay Courier", "Valley Times", "Hillside Herald"}


def test_exact_duplicate_after_cleaning_is_indexed_once(snapshot, news_index):
    results = search_index(snapshot, "meadows flood wet winters")
    assert [i for i in ids(results) if "meadows" in i] == ["northbay/meadows-copy.txt"]
    skipped = {Path(s["path"]).name: s["reason"] for s in read_report(news_index)["skipped"]}
    assert "exact duplicate of northbay/meadows-copy.txt" in skipped["meadows.txt"]


def test_site_filter_by_host_name_and_subdomain(snapshot):
    by_param = search_index(snapshot, "Elmford OR Marston", filters=Filters(sites=("valleytimes.example",)))
    by_syntax = search_index(snapshot, "Elmford OR Marston site:valleytimes.example")
    assert ids(by_param) == ids(by_syntax) and ids(by_param)
    assert all(i.startswith("valley/") for i in ids(by_param))
    # The host is news.hillside-herald.example: the domain covers its subdomains, www. is ignored.
    assert {h.id for h in search_index(snapshot, "site:hillside-herald.example").hits} == {
        "hillside/covid-2021.html", "hillside/elmford-barrier.html"}
    assert search_index(snapshot, "flood site:https://www.northbay-courier.example/").total >= 1
    assert search_index(snapshot, "flood site:nowhere.example").total == 0


def test_date_filters_and_syntax(snapshot):
    in_range = search_index(snapshot, "date:[2018 TO 2020]")
    dates = [h.date for h in in_range.hits] + [o.date for h in in_range.hits for o in h.also_at]
    assert dates and all("2018-01-01" <= d <= "2020-12-31" for d in dates)
    assert {h.date for h in search_index(snapshot, "date:2021").hits} == {"2021-01-10"}
    assert ids(search_index(snapshot, "Marston", filters=Filters(date_from="2018-01", date_to="2018-12-31"))) == [
        "valley/bridge-2018.html"]
    open_end = search_index(snapshot, "date:[2020 TO *]")
    assert open_end.hits and all(h.date >= "2020-01-01" for h in open_end.hits)


def test_bad_filters_are_query_errors(snapshot):
    with pytest.raises(QueryError, match="YYYY"):
        search_index(snapshot, "flood", filters=Filters(date_from="last week"))
    with pytest.raises(QueryError, match="before it starts"):
        search_index(snapshot, "flood", filters=Filters(date_from="2020", date_to="2019"))
    with pytest.raises(QueryError, match="sort"):
        Filters(sort="random")


def test_sort_by_date_puts_undated_pages_last(snapshot):
    query = "Elmford OR Marston OR Northbay OR flood"
    newest = search_index(snapshot, query, filters=Filters(sort="newest"))
    oldest = search_index(snapshot, query, filters=Filters(sort="oldest"))
    dated_newest = [h.date for h in newest.hits if h.date]
    assert dated_newest == sorted(dated_newest, reverse=True) and len(dated_newest) >= 3
    dated_oldest = [h.date for h in oldest.hits if h.date]
    assert dated_oldest == sorted(dated_oldest)
    for results in (newest, oldest):
        seen_undated = False
        for hit in results.hits:
            seen_undated = seen_undated or hit.date is None
            assert not (seen_undated and hit.date), "an undated page came before a dated one"


def test_facets_count_sites_and_years(snapshot):
    results = search_index(snapshot, "Elmford OR Marston OR Northbay OR Hillside")
    sites = dict(results.facets["site"])
    years = dict(results.facets["year"])
    assert sites["valleytimes.example"] >= 3  # the syndicated copy, the ferry and the bridge pages
    assert sites["news.hillside-herald.example"] >= 1
    assert years["2019"] == 3 and years["2017"] == 1
    assert [y for y, _ in results.facets["year"]] == sorted(years, reverse=True)
    narrowed = search_index(snapshot, "Elmford OR Marston", filters=Filters(sites=("valleytimes.example",)))
    assert set(dict(narrowed.facets["site"])) == {"valleytimes.example"}


@pytest.mark.parametrize("typed", ["COVID-19", "covid19", "Covid 19", "47/50-POL", "U.S.", "1,275,000", "1275000"])
def test_news_identifiers_are_findable(snapshot, typed):
    found = ids(search_index(snapshot, typed))
    assert found and found[0] in ({"hillside/covid-2021.html"} | SYNDICATED)


def test_identifier_and_phrase_are_marked_whole(snapshot):
    assert "<mark>COVID-19</mark>" in search_index(snapshot, "covid19").hits[0].snippet
    assert "<mark>flood barrier</mark>" in search_index(snapshot, '"flood barrier"').hits[0].snippet


def test_snippet_has_at_most_three_fragments_and_bounded_length(snapshot):
    for hit in search_index(snapshot, "Elmford flood river authority").hits:
        assert hit.snippet.count(" … ") <= 2
        assert len(hit.snippet) < 1500


def test_document_lists_duplicates_and_similar_articles(snapshot):
    doc = fetch_document(snapshot, "valley/elmford-barrier.html")
    assert {o.id for o in doc.also_at} == SYNDICATED - {"valley/elmford-barrier.html"}
    similar = {o.id for o in doc.similar}
    assert similar and not similar & SYNDICATED  # near-duplicates are not "similar articles"


def test_explain_gives_parts_that_add_up(snapshot):
    hit = search_index(snapshot, "harbour wall", explain=True).hits[0]
    assert hit.id == "northbay/harbour-2020.html"
    parts = hit.explanation["parts"]
    assert any("harbour" in p["match"] for p in parts)
    assert abs(sum(p["score"] for p in parts) - hit.score) < 0.01


def test_jsonl_records_are_pages(snapshot, news_index):
    assert ids(search_index(snapshot, "lighthouse keeper")) == ["wire-1"]
    hit = search_index(snapshot, "dredging channel").hits[0]
    assert hit.id == "wire-2" and hit.date == "2022-05-02" and hit.title == "Channel dredging begins"
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in read_report(news_index)["skipped"]}
    assert "wire.jsonl:2" in skipped and "wire.jsonl:4" in skipped
    assert "text" in skipped["wire.jsonl:4"]
    assert json.dumps(skipped)  # plain data, as the reindex report saves it


def test_spelling_suggestion_keeps_the_filters(snapshot):
    results = search_index(snapshot, "Elmfrod site:valleytimes.example date:2019")
    assert results.suggestion.lower() == "elmford site:valleytimes.example date:2019"


def test_filters_read_from_the_columns_let_through_what_the_filter_query_matches(snapshot):
    from search.querying.filters import filter_query, filtered_docs

    for filters in (Filters(sites=("valleytimes.example",)), Filters(sites=("hillside-herald.example",)),
                    Filters(date_from="2019", date_to="2020"),
                    Filters(date_from="2019-06"), Filters(date_to="2018-12-31"),
                    Filters(sites=("valleytimes.example", "example"), date_from="2017")):
        expected = sorted(snapshot.searcher.docs_for_query(filter_query(filters)))
        assert filtered_docs(snapshot, filters).tolist() == expected, filters
    assert filtered_docs(snapshot, Filters()) is None


@pytest.mark.parametrize("typed", ["flood barrier site:nowhere.example", '"flood barrier" site:nowhere.example',
                                   "barrier NOT council date:1900"])
def test_filters_letting_nothing_through_give_no_hits(snapshot, typed):
    results = search_index(snapshot, typed)
    assert (results.total, results.hits) == (0, ())
