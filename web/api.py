"""The JSON API: /api/search and /healthz, with one error shape."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from search.errors import IndexMissingError, QueryError
from search.query import search_index

from . import error_json

bp = Blueprint("api", __name__)


def int_arg(name: str, default: int) -> int:
    """An integer query-string parameter, or QueryError naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw[:40]!r}") from None


@bp.get("/api/search")
def api_search():
    """Ranked hits for ?q= as JSON."""
    q = request.args.get("q")
    if q is None or not q.strip():
        return error_json(400, "missing query: pass the words to search for as ?q=")
    try:
        page = int_arg("page", 1)
        per_page = int_arg("per_page", current_app.config["PER_PAGE"])
        results = search_index(current_app.extensions["live_searcher"].get(), q, page, per_page)
    except QueryError as exc:
        return error_json(400, str(exc))
    except IndexMissingError as exc:
        return error_json(503, str(exc))
    body = results.as_json()
    for hit in body["hits"]:
        hit["url"] = url_for("pages.document", doc_id=hit["id"])
    return jsonify(body)


@bp.get("/healthz")
def healthz():
    """200 with the document count when the index can be searched, else 503."""
    try:
        count = current_app.extensions["live_searcher"].get().doc_count()
    except IndexMissingError as exc:
        return error_json(503, str(exc))
    return jsonify({"status": "ok", "documents": count})
