"""The HTML pages: the search box, the results page (with filters) and the document page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from search.errors import IndexDamagedError, IndexMissingError, QueryError, StorageError
from search.export import EXPORT_FORMATS, export_text
from search.indexing import indexed_corpus
from search.querying import MAX_PER_PAGE, fetch_document, without_dates

from . import current_snapshot, live_searcher
from .api import filters_from_args, int_arg

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
    except (IndexMissingError, IndexDamagedError, StorageError) as exc:
        return render_template("results.html", q=q, error=f"Searches cannot be answered now: {exc.public}"), 503
    return render_template("results.html", q=q, results=found, link=results_link, period_link=period_link,
                           export_link=export_link,
                           export_rows=MAX_PER_PAGE, date_from=request.args.get("from", ""),
                           date_to=request.args.get("to", ""))


def period_link(start: str | None, end: str | None) -> str:
    """This results page narrowed to a period by the date parameters, or to any date with None (the
    query's own date: parts dropped: they would override the parameters)."""
    return results_link(q=without_dates(request.args.get("q", "")), **{"from": start, "to": end})


def export_link(fmt: str) -> str:
    """The download of this results page's query and filters, its first MAX_PER_PAGE hits, as CSV or JSON Lines."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return url_for("pages.export", fmt=fmt, **args)


@bp.get("/search/export.<fmt>")
def export(fmt: str):
    """The hits of ?q= and the filters as a CSV or JSON Lines download: the rows `search query --format` prints,
    paged as the API pages (page, per_page up to MAX_PER_PAGE; the first MAX_PER_PAGE by default)."""
    if fmt not in EXPORT_FORMATS:
        abort(404, "Results can be downloaded as .csv or .jsonl.")
    q = request.args.get("q", "")
    if not q.strip():
        abort(400, "Nothing to download: pass the words to search for as ?q=.")
    try:
        found = live_searcher().search(q, int_arg("page", 1), int_arg("per_page", MAX_PER_PAGE), filters_from_args())
    except QueryError as exc:
        abort(400, str(exc))
    except (IndexMissingError, IndexDamagedError, StorageError) as exc:
        abort(503, exc.public)
    response = Response(export_text(found, fmt), mimetype=EXPORT_FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="search-results.{fmt}"'
    return response


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str):
    """One cleaned document, the query's words marked when reached from a result, with similar articles."""
    q = request.args.get("q", "")
    corpus = indexed_corpus(live_searcher().index_dir)
    try:
        doc = fetch_document(current_snapshot(), doc_id, q, corpus_dir=corpus)
    except QueryError:
        doc = fetch_document(current_snapshot(), doc_id, corpus_dir=corpus)
    except IndexMissingError:
        abort(503, "The index has not been built yet.")
    if doc is None:
        abort(404, "No document with that id is in the index.")
    return render_template("doc.html", q=q, doc=doc)
