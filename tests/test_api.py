"""The JSON API: shapes, statuses, and the one error shape."""

from pathlib import Path

from web import create_app

HIT_KEYS = {"id", "title", "url", "source_url", "date", "site", "score", "snippet", "also_at"}


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
