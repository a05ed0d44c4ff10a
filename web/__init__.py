"""The web front end: a search page, document pages and a JSON API over the search library."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import IndexDamagedError, IndexMissingError, StorageError
from search.indexing import explain_failure
from search.querying import LiveSearcher, SharedResults, Snapshot

SECURITY_HEADERS = {
    # Snippets are escaped already; the policy is the second wall should anything slip through.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def error_json(status: int, message: str):
    """The one JSON error shape: {"error": {"status", "message"}}."""
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    return response


def live_searcher() -> LiveSearcher:
    """The app's live searcher: reopens after a reindex, remembers repeated result pages."""
    return current_app.extensions["live_searcher"]


def current_snapshot() -> Snapshot:
    """This process's (and thread's) snapshot of the app's index, opened anew after a reindex."""
    return live_searcher().get()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then SEARCH_* environment variables, then the test's config."""
    app = Flask(__name__)
    # CORS_ORIGINS: origins allowed to call the JSON API from a browser, e.g. "https://a.example
    # https://b.example" or "*"; empty (the default) sends no CORS headers at all.
    app.config.from_mapping(INDEX="index", CORPUS="corpus", PER_PAGE=10, CORS_ORIGINS="", RESULTS_CACHE="")
    app.config.from_prefixed_env("SEARCH")
    if test_config:
        app.config.update(test_config)
    # RESULTS_CACHE: a file where the server's worker processes share result pages (set by
    # `search serve`); empty: each process remembers its own only.
    shared = SharedResults(Path(app.config["RESULTS_CACHE"])) if app.config["RESULTS_CACHE"] else None
    app.extensions["live_searcher"] = LiveSearcher(Path(app.config["INDEX"]), shared=shared)

    from . import api, openapi, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if request.path.startswith("/api/") or request.path == "/healthz":
            return error_json(exc.code or 500, exc.description or exc.name)
        return render_template("error.html", status=exc.code, message=exc.description), exc.code

    def unavailable(message: str):
        if request.path.startswith("/api/") or request.path == "/healthz":
            return error_json(503, message)
        return render_template("error.html", status=503, message=f"Searches cannot be answered now: {message}"), 503

    @app.errorhandler(IndexMissingError)
    @app.errorhandler(IndexDamagedError)
    @app.errorhandler(StorageError)
    def index_fault(exc: IndexMissingError | IndexDamagedError | StorageError):
        return unavailable(exc.public)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # A failure the index's state explains (deleted, damaged) is named; any other is ours.
        fault = explain_failure(Path(app.config["INDEX"]))
        if fault is not None:
            app.logger.warning("index fault on %s: %s", request.path, fault)
            return unavailable(fault.public)
        # Log the traceback for the operator; show the user no internals.
        app.logger.exception("unhandled error on %s", request.path)
        if request.path.startswith("/api/") or request.path == "/healthz":
            return error_json(500, "internal error: the search service could not answer this request")
        return render_template("error.html", status=500, message="Something went wrong on our side."), 500

    allowed_origins = set(str(app.config["CORS_ORIGINS"]).split())

    @app.after_request
    def secure(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        origin = request.headers.get("Origin")
        if origin and request.path.startswith("/api/") and ("*" in allowed_origins or origin in allowed_origins):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed_origins else origin
            response.headers["Vary"] = "Origin"
        return response

    return app
