"""The JSON API: /api/search, /api/suggest and /healthz, with one error shape."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from search.errors import IndexMissingError, QueryError
from search.querying import Filters, suggest_completions
from search.querying.filters import language_codes

from . import current_snapshot, error_json, live_searcher

bp = Blueprint("api", __name__)


@bp.errorhandler(QueryError)
def query_error(exc: QueryError):
    """A query, parameter or filter that cannot be answered: 400 with the reason."""
    return error_json(400, str(exc))


@bp.errorhandler(IndexMissingError)
def index_missing(exc: IndexMissingError):
    """No index built yet: 503 saying how to build one."""
    return error_json(503, str(exc))


def int_arg(name: str, default: int) -> int:
    """An integer query-string parameter, or QueryError naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw[:40]!r}") from None


def filters_from_args() -> Filters:
    """The filters and sort order the query string asks for (site and lang may repeat); QueryError when malformed."""
    return Filters(
        sites=tuple(s for s in request.args.getlist("site") if s.strip()),
        date_from=request.args.get("from") or None,
        date_to=request.args.get("to") or None,
        sort=request.args.get("sort") or "relevance",
        langs=language_codes(request.args.getlist("lang")),
    )


def page_url(endpoint: str, page: int, **extra) -> str:
    """The same request's URL with another page number."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    args.update(extra)
    return url_for(endpoint, **args)


@bp.get("/api/search")
def api_search():
    """Ranked hits for ?q= as JSON, with facets, the timeline (histogram), near-duplicates grouped, next/prev links."""
    q = request.args.get("q")
    if q is None or not q.strip():
        return error_json(400, "missing query: pass the words to search for as ?q=")
    page = int_arg("page", 1)
    per_page = int_arg("per_page", current_app.config["PER_PAGE"])
    explain = request.args.get("explain", "") in ("1", "true", "yes")
    interval = request.args.get("interval") or "auto"
    results = live_searcher().search(q, page, per_page, filters_from_args(), explain=explain, interval=interval)
    body = results.as_json()
    for hit in body["hits"]:
        hit["url"] = url_for("pages.document", doc_id=hit["id"])
        for other in hit["also_at"]:
            other["url"] = url_for("pages.document", doc_id=other["id"])
    if results.has_next:
        body["next"] = page_url("api.api_search", page + 1)
    if page > 1:
        body["prev"] = page_url("api.api_search", page - 1)
    response = jsonify(body)
    # The same links as RFC 8288 headers, for clients that page without reading the body.
    links = [f'<{body[rel]}>; rel="{rel}"' for rel in ("next", "prev") if rel in body]
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


@bp.get("/api/suggest")
def api_suggest():
    """Completions of ?q= for search-as-you-type: words from the index and matching titles."""
    q = request.args.get("q")
    if q is None or not q.strip():
        return error_json(400, "missing text: pass the start of a query as ?q=")
    found = suggest_completions(current_snapshot(), q)
    return jsonify({
        "query": found.query,
        "suggestions": list(found.completions),
        "titles": [{"id": i, "title": t, "url": url_for("pages.document", doc_id=i)} for i, t in found.titles],
    })


@bp.get("/healthz")
def healthz():
    """200 with the document count when the index can be searched, else 503."""
    return jsonify({"status": "ok", "documents": current_snapshot().doc_count()})
