"""Machine-readable descriptions of the service: OpenAPI 3 for the JSON API, OpenSearch for browsers."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from search.errors import IndexMissingError, QueryError
from search.querying import INTERVALS, MAX_PAGE, MAX_PER_PAGE, MAX_PERIODS, MAX_QUERY_CHARS, SORTS, suggest_completions

from . import current_snapshot

bp = Blueprint("describe", __name__)

# Some character that is not white space, by JSON Schema's rules and by Python's alike.
NOT_BLANK = "[^\\s\\u001c-\\u001f\\u0085]"

ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "additionalProperties": False,
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
        }
    },
}
NULLABLE_STRING = {"type": ["string", "null"]}
LANGUAGE_TAG = r"^\s*[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*\s*$"  # ru, pt-BR, zh_Hant: what the lang filter takes
RELATED = {
    "type": "object",
    "required": ["id", "title", "url", "date", "site", "source_url"],
    "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
                   "date": NULLABLE_STRING, "site": NULLABLE_STRING, "source_url": NULLABLE_STRING},
}
FACET = {"type": "array", "items": {"type": "object", "required": ["value", "count"],
                                    "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}}
HIT = {
    "type": "object",
    "required": ["id", "title", "url", "source_url", "date", "site", "score", "snippet"],
    "properties": {
        "id": {"type": "string", "description": "Stable id: the page's path in the corpus."},
        "title": {"type": "string"},
        "url": {"type": "string", "description": "This service's page for the document."},
        "source_url": {**NULLABLE_STRING, "description": "Where the page was scraped from, when known."},
        "date": {**NULLABLE_STRING, "description": "Publication date, ISO 8601 (YYYY-MM-DD)."},
        "site": NULLABLE_STRING,
        "lang": {**NULLABLE_STRING, "description": "The language it is written in (ISO 639-1), when known."},
        "score": {"type": "number"},
        "snippet": {"type": "string", "description": "HTML: escaped text, matches wrapped in <mark>."},
        "also_at": {"type": "array", "items": {"$ref": "#/components/schemas/Related"},
                    "description": "Near-duplicates of this page (the same story elsewhere), grouped under it."},
        "explanation": {"type": "object", "description": "How the score was made; only with explain=1."},
    },
}
SEARCH = {
    "type": "object",
    "required": ["query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "histogram", "interval",
                 "undated"],
    "properties": {
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "took_ms": {"type": "number"},
        "suggestion": {**NULLABLE_STRING, "description": "A respelled query, when one would match better."},
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "filters": {"type": "object", "required": ["site", "from", "to", "sort"], "properties": {
            "site": {"type": "array", "items": {"type": "string"}}, "from": NULLABLE_STRING,
            "to": NULLABLE_STRING, "sort": {"enum": list(SORTS)},
            "lang": {"type": "array", "items": {"type": "string"}}}},
        "facets": {"type": "object", "required": ["site", "year"],
                   "properties": {"site": FACET, "year": FACET, "lang": FACET}},
        "histogram": {"type": "array", "maxItems": MAX_PERIODS, "items": {"$ref": "#/components/schemas/Period"},
                      "description": "Matches per period, first first, empty periods included: the same match set "
                                     "as total and facets."},
        "interval": {"enum": ["", "day", "month", "year"],
                     "description": "The histogram's period (\"\" when no match is dated)."},
        "undated": {"type": "integer", "minimum": 0, "description": "Matches without a date (not in the histogram)."},
        "next": {"type": "string", "description": "The next page's URL; absent on the last page."},
        "prev": {"type": "string", "description": "The previous page's URL; absent on the first page."},
    },
}
PERIOD_DATE = {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
PERIOD = {
    "type": "object",
    "required": ["from", "to", "count"],
    "additionalProperties": False,
    "properties": {
        "from": {**PERIOD_DATE, "description": "The period's first year, month or day, as `from` takes it."},
        "to": {**PERIOD_DATE, "description": "Its last, as `to` takes it: pass both to narrow the search to it."},
        "count": {"type": "integer", "minimum": 0},
    },
}
SUGGEST = {
    "type": "object",
    "required": ["query", "suggestions", "titles"],
    "properties": {
        "query": {"type": "string"},
        "suggestions": {"type": "array", "items": {"type": "string"}},
        "titles": {"type": "array", "items": {"type": "object", "required": ["id", "title", "url"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}}}},
    },
}
DATE_PARAM = {"type": "string", "pattern": "^[1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"}


def error_response(description: str) -> dict:
    """A response carrying the one JSON error shape."""
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_spec() -> dict:
    """The OpenAPI 3.1 description of the JSON API."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Scrape Search API", "version": "1",
                 "description": "Ranked full-text search over cleaned scraped pages."},
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Ranked hits with highlighted snippets",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True,
                         "description": 'Words, "phrases", AND/OR/NOT, -word, title:word.',
                         "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                                    "pattern": NOT_BLANK}},
                        {"name": "page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                        {"name": "per_page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}},
                        {"name": "site", "in": "query", "description": "Only pages of these sites (repeatable).",
                         "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
                        {"name": "from", "in": "query",
                         "description": "Published on or after (YYYY, YYYY-MM or YYYY-MM-DD, a real date, "
                                        "not after `to`: 400 otherwise).",
                         "schema": DATE_PARAM},
                        {"name": "to", "in": "query", "description": "Published on or before.", "schema": DATE_PARAM},
                        {"name": "sort", "in": "query", "schema": {"enum": list(SORTS), "default": "relevance"}},
                        {"name": "lang", "in": "query",
                         "description": "Only pages in these languages, by two-letter code (repeatable; 400 "
                                        "for another form).",
                         "schema": {"type": "array", "items": {"type": "string", "pattern": LANGUAGE_TAG}},
                         "style": "form", "explode": True},
                        {"name": "interval", "in": "query",
                         "description": "The histogram's period: auto (by year past about ten years, by day under "
                                        f"about two months, else by month), or day, month, year (400 past "
                                        f"{MAX_PERIODS} periods).",
                         "schema": {"enum": list(INTERVALS), "default": "auto"}},
                        {"name": "explain", "in": "query", "description": "1 to add each hit's score explanation.",
                         "schema": {"enum": ["0", "1"]}},
                    ],
                    "responses": {
                        "200": {"description": "One page of hits",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Search"}}}},
                        "400": error_response("The query or a paging parameter cannot be answered"),
                        "503": error_response("No index has been built yet"),
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Completions for search-as-you-type, from the index's own words and titles",
                    "parameters": [{"name": "q", "in": "query", "required": True,
                                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                                               "pattern": NOT_BLANK}}],
                    "responses": {
                        "200": {"description": "Completions", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Suggest"}}}},
                        "400": error_response("The text cannot be completed"),
                        "503": error_response("No index has been built yet"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the index can be searched, and its document count",
                    "responses": {
                        "200": {"description": "Searchable", "content": {"application/json": {"schema": {
                            "type": "object", "required": ["status", "documents"],
                            "properties": {"status": {"const": "ok"}, "documents": {"type": "integer"}}}}}},
                        "503": error_response("No index has been built yet"),
                    },
                }
            },
        },
        "components": {"schemas": {"Error": ERROR, "Search": SEARCH, "Hit": HIT, "Related": RELATED,
                                   "Suggest": SUGGEST, "Period": PERIOD}},
    }


@bp.get("/api/openapi.json")
def openapi():
    """The API's OpenAPI description."""
    return jsonify(openapi_spec())


@bp.get("/opensearch.xml")
def opensearch():
    """An OpenSearch description, so a browser can add this service as a search engine."""
    xml = render_template("opensearch.xml", search_url=url_for("pages.results", _external=True),
                          suggest_url=url_for("describe.opensearch_suggest", _external=True),
                          home_url=url_for("pages.home", _external=True))
    return Response(xml, mimetype="application/opensearchdescription+xml")


@bp.get("/opensearch/suggest")
def opensearch_suggest():
    """Completions in the OpenSearch suggestions format browsers read: ["text", ["completion", ...]]."""
    q = request.args.get("q", "")
    completions: list[str] = []
    if q.strip():
        try:
            completions = list(suggest_completions(current_snapshot(), q).completions)
        except (QueryError, IndexMissingError):
            completions = []  # a browser's suggestion box shows nothing rather than an error
    return Response(json.dumps([q, completions], ensure_ascii=False), mimetype="application/x-suggestions+json")
