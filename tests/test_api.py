"""The JSON API: shapes, statuses, and the one error shape."""

from pathlib import Path

from web import create_app

HIT_KEYS = {"id", "title", "url", "source_url", "date", "site", "lang", "score", "snippet", "also_at"}


def assert_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]["message"]


def test_search_json_shape(client):
    response = client.get("/api/search?q=bridge")
    assert response.status_code == 200
    body = response.get_json()
    assert {"query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets"} <= set(body)
    assert body["query"] == "bridge" and body["total"] == 1 and body["page"] == 1
    hit = body["hits"][0]
    assert set(hit) == HIT_KEYS
    assert hit["id"] == "riverside/bridge.html"
    assert hit["url"] == "/doc/riverside/bridge.html"
    assert hit["date"] == "2020-10-05" and hit["site"] == "The Riverside Post"
    assert "<mark>" in hit["snippet"]
    assert client.get(hit["url"]).status_code == 200


def test_paging_and_suggestion(client):
    body = client.get("/api/search?q=the+club+harbour+bridge&per_page=1&page=2").get_json()
    assert body["per_page"] == 1 and body["page"] == 2 and len(body["hits"]) == 1
    assert client.get("/api/search?q=chesss").get_json()["suggestion"] == "chess"


def test_error_statuses(client):
    assert "q" in assert_error(client.get("/api/search"), 400)
    assert_error(client.get("/api/search?q=+++"), 400)
    assert "page" in assert_error(client.get("/api/search?q=club&page=abc"), 400)
    assert_error(client.get("/api/search?q=club&page=0"), 400)
    assert_error(client.get("/api/search?q=club&per_page=1000000"), 400)
    assert_error(client.get("/api/nothing-here"), 404)
    assert_error(client.post("/api/search?q=club"), 405)


def test_missing_index_is_503_not_a_traceback(tmp_path: Path):
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "none")}).test_client()
    message = assert_error(client.get("/api/search?q=club"), 503)
    assert "reindex" in message and "Traceback" not in message
    assert_error(client.get("/healthz"), 503)


def test_healthz_counts_documents(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "documents": 6}


def test_security_headers(client):
    response = client.get("/api/search?q=club")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_cors_is_off_by_default_and_configurable(index_dir: Path):
    headers = {"Origin": "https://tools.example"}
    off = create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()
    assert "Access-Control-Allow-Origin" not in off.get("/api/search?q=club", headers=headers).headers
    on = create_app({"TESTING": True, "INDEX": str(index_dir), "CORS_ORIGINS": "https://tools.example"}).test_client()
    assert on.get("/api/search?q=club", headers=headers).headers["Access-Control-Allow-Origin"] == \
        "https://tools.example"
    other = on.get("/api/search?q=club", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Access-Control-Allow-Origin" not in on.get("/search?q=club", headers=headers).headers


def test_facets_filters_and_groups_in_json(news_client):
    body = news_client.get("/api/search?q=Elmford+OR+Marston&site=valleytimes.example").get_json()
    assert body["filters"]["site"] == ["valleytimes.example"]
    assert {f["value"] for f in body["facets"]["site"]} == {"valleytimes.example"}
    assert all({"value", "count"} == set(f) for f in body["facets"]["year"])
    story = next(h for h in body["hits"] if h["id"] == "valley/elmford-barrier.html")
    assert len(story["also_at"]) == 2
    assert all(o["url"].startswith("/doc/") for o in story["also_at"])
    newest = news_client.get("/api/search?q=flood+OR+Marston&sort=newest").get_json()
    dates = [h["date"] for h in newest["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)


def test_next_and_prev_links(news_client):
    first = news_client.get("/api/search?q=Elmford+OR+Marston+OR+Northbay&per_page=2").get_json()
    assert "prev" not in first and "next" in first
    second = news_client.get(first["next"]).get_json()
    assert second["page"] == 2 and "prev" in second
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    last = second
    while "next" in last:
        last = news_client.get(last["next"]).get_json()
    assert "next" not in last and last["hits"]


def test_explain_on_request_only(news_client):
    plain = news_client.get("/api/search?q=harbour").get_json()
    assert "explanation" not in plain["hits"][0]
    explained = news_client.get("/api/search?q=harbour&explain=1").get_json()
    assert explained["hits"][0]["explanation"]["parts"]


def test_bad_filters_are_400(news_client):
    assert "sort" in assert_error(news_client.get("/api/search?q=flood&sort=random"), 400)
    assert "YYYY" in assert_error(news_client.get("/api/search?q=flood&from=yesterday"), 400)
    assert_error(news_client.get("/api/search?q=flood+date:[2020+TO+2019]"), 400)


def test_suggest_completes_from_the_index(news_client):
    body = news_client.get("/api/suggest?q=flood+barr").get_json()
    assert body["query"] == "flood barr"
    assert "flood barrier" in body["suggestions"]
    assert any(t["title"] == "Elmford flood barrier to be raised" for t in body["titles"])
    assert news_client.get("/api/suggest?q=zzzzq").get_json()["suggestions"] == []
    assert "q" in assert_error(news_client.get("/api/suggest"), 400)
