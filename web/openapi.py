"""Machine-readable descriptions of the service: OpenAPI 3 for the JSON API, OpenSearch for browsers."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, url_for

from search.query import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS

bp = Blueprint("describe", __name__)

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
        "score": {"type": "number"},
        "snippet": {"type": "string", "description": "HTML: escaped text, matches wrapped in <mark>."},
    },
}
SEARCH = {
    "type": "object",
    "required": ["query", "total", "page", "per_page", "took_ms", "suggestion", "hits"],
    "properties": {
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "took_ms": {"type": "number"},
        "suggestion": {**NULLABLE_STRING, "description": "A respelled query, when one would match better."},
        "hits": {"type": "array", "items": HIT},
    },
}


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
                                    # Some character that is not white space by Python's rules too.
                                    "pattern": "[^\\s\\u001c-\\u001f\\u0085]"}},
                        {"name": "page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                        {"name": "per_page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}},
                    ],
                    "responses": {
                        "200": {"description": "One page of hits",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Search"}}}},
                        "400": error_response("The query or a paging parameter cannot be answered"),
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
        "components": {"schemas": {"Error": ERROR, "Search": SEARCH, "Hit": HIT}},
    }


@bp.get("/api/openapi.json")
def openapi():
    """The API's OpenAPI description."""
    return jsonify(openapi_spec())


@bp.get("/opensearch.xml")
def opensearch():
    """An OpenSearch description, so a browser can add this service as a search engine."""
    xml = render_template("opensearch.xml", search_url=url_for("pages.results", _external=True),
                          home_url=url_for("pages.home", _external=True))
    return Response(xml, mimetype="application/opensearchdescription+xml")
