"""The HTML pages: the search box, the results page (with filters) and the document page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from search.errors import IndexMissingError, QueryError
from search.querying import fetch_document

from . import current_snapshot, live_searcher
from .api import filters_from_args

bp = Blueprint("pages", __name__)


def results_link(**changes) -> str:
    """This results page's URL with some parameters changed (None drops one); the page goes back to 1."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for("pages.results", **args)


@bp.get("/")
def home():
    """The search box."""
    return render_template("home.html", q="")


@bp.get("/search")
def results():
    """The results page for ?q=, or a helpful page when there is nothing to search for."""
    q = request.args.get("q", "")
    if not q.strip():
        return render_template("home.html", q="", notice="Type a few words to search for.")
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        return render_template("results.html", q=q, error="The page number must be a whole number."), 400
    try:
        filters = filters_from_args()
        found = live_searcher().search(q, page, current_app.config["PER_PAGE"], filters)
    except QueryError as exc:
        return render_template("results.html", q=q, error=str(exc)), 400
    except IndexMissingError as exc:
        return render_template("results.html", q=q, error=str(exc)), 503
    return render_template("results.html", q=q, results=found, link=results_link,
                           date_from=request.args.get("from", ""), date_to=request.args.get("to", ""))


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str):
    """One cleaned document, the query's words marked when reached from a result, with similar articles."""
    q = request.args.get("q", "")
    try:
        doc = fetch_document(current_snapshot(), doc_id, q)
    except QueryError:
        doc = fetch_document(current_snapshot(), doc_id)
    except IndexMissingError:
        abort(503, "The index has not been built yet.")
    if doc is None:
        abort(404, "No document with that id is in the index.")
    return render_template("doc.html", q=q, doc=doc)
