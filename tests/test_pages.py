"""The HTML pages through Flask's test client."""

import re
from urllib.parse import unquote


def test_home_has_a_real_form(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<form[^>]+action="/search"[^>]+method="get"', html)
    assert 'name="q"' in html and '<label for="q"' in html


def test_results_page_lists_hits_with_marks_and_links(client):
    response = client.get("/search?q=chess")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 result for" in html
    assert '<a href="/doc/gazette/chess.txt?q=chess">Village chess club wins regional title</a>' in html
    assert "<mark>chess</mark>" in html
    assert "2021-03-14" in html and "Marwick Gazette" in html
    assert 'value="chess"' in html  # the query stays in the box


def test_empty_and_unmatched_queries_get_helpful_pages(client):
    empty = client.get("/search?q=")
    assert empty.status_code == 200 and "Type a few words" in empty.get_data(as_text=True)
    none = client.get("/search?q=zeppelin")
    assert none.status_code == 200 and "No pages match" in none.get_data(as_text=True)


def test_did_you_mean_link(client):
    html = client.get("/search?q=harbur").get_data(as_text=True)
    assert 'Did you mean' in html and 'href="/search?q=harbour"' in html


def test_pagination_links(client):
    from web import create_app  # a tiny page size makes three pages of the test corpus

    app = create_app({"TESTING": True, "INDEX": client.application.config["INDEX"], "PER_PAGE": 1})
    html = app.test_client().get("/search?q=the+club+harbour+bridge&page=2").get_data(as_text=True)
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_bad_page_number_is_400_page(client):
    response = client.get("/search?q=club&page=x")
    assert response.status_code == 400 and "whole number" in response.get_data(as_text=True)


def test_document_page_marks_query(client):
    html = client.get("/doc/gazette/chess.txt?q=captain").get_data(as_text=True)
    assert "<mark>captain</mark>" in html and "<h1>Village chess club wins regional title</h1>" in html
    assert client.get("/doc/no/such/page.txt").status_code == 404


def test_script_in_document_is_escaped_on_every_page(client):
    for url in ("/search?q=museum", "/doc/museum/sign.txt?q=sign"):
        html = client.get(url).get_data(as_text=True)
        assert '<script>alert("pwned")' not in html
        assert "&lt;script&gt;" in html


def test_query_with_markup_is_escaped(client):
    html = client.get('/search?q="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_sidebar_filters_work_as_plain_links(news_client):
    html = news_client.get("/search?q=Elmford+OR+Marston").get_data(as_text=True)
    assert 'id="facet-site"' in html and 'id="facet-year"' in html
    site_link = re.search(r'href="(/search\?[^"]*site=valleytimes.example[^"]*)"', html).group(1)
    narrowed = news_client.get(site_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "valley/" in narrowed and "northbay/harbour" not in narrowed and "Any site" in narrowed
    year_link = re.search(r'href="(/search\?[^"]*from=2018[^"]*)"', html).group(1)
    assert "2018-02-20" in news_client.get(year_link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'sort=newest' in html


def test_date_form_submits_without_javascript(news_client):
    html = news_client.get("/search?q=Marston").get_data(as_text=True)
    form = re.search(r'<form class="dates"[^>]*action="/search"[^>]*method="get">(.*?)</form>', html, re.S).group(1)
    assert 'name="from"' in form and 'name="to"' in form and 'name="q" value="Marston"' in form
    page = news_client.get("/search?q=Marston&from=2018-01-01&to=2018-12-31").get_data(as_text=True)
    assert "2018-02-20" in page and "2017-06-01" not in page
    assert news_client.get("/search?q=Marston&from=soon").status_code == 400


def test_grouped_duplicates_and_similar_articles_on_pages(news_client):
    html = news_client.get("/search?q=Elmford+barrier").get_data(as_text=True)
    assert "also at 2 other pages" in html
    doc = news_client.get("/doc/valley/elmford-barrier.html").get_data(as_text=True)
    assert "The same text at 2 other pages" in doc and "Similar articles" in doc


def test_query_syntax_is_documented(client):
    html = client.get("/").get_data(as_text=True)
    assert "site:" in html and "date:[2018 TO 2020]" in html


def test_year_links_replace_a_date_typed_in_the_query(news_client):
    # A date: typed in the query would override the link's from/to: the year links leave it out.
    html = news_client.get("/search", query_string={"q": "Marston date:[2016 TO 2022]"}).get_data(as_text=True)
    facet = re.search(r'<ul class="facet" id="facet-year">(.*?)</ul>', html, re.S).group(1)
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', facet)]
    assert links and all("date" not in unquote(h) for h in links), links
    year = re.search(r"from=(\d{4})", links[-1]).group(1)
    narrowed = news_client.get(links[-1]).get_data(as_text=True)
    dates = re.findall(r"\b((?:19|20)\d\d)-\d\d-\d\d\b", narrowed)
    assert dates and set(dates) == {year}, dates
