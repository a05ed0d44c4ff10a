"""The `search` command: thin doors onto reading, cleaning, indexing and querying."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import click

from .clean import clean_page
from .corpus import read_corpus, read_pages
from .errors import SearchError
from .evaluate import evaluate, read_qrels, read_queries
from .filters import SORTS, Filters
from .index import build_index, index_exists
from .query import open_searcher, search_index
from .records import Skipped

DEFAULT_CORPUS = "corpus"
DEFAULT_INDEX = "index"

corpus_option = click.option(
    "--corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS, show_default=True,
    envvar="SEARCH_CORPUS", help="Folder of scraped pages (.txt, .html). Env: SEARCH_CORPUS.",
)
index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=DEFAULT_INDEX, show_default=True,
    envvar="SEARCH_INDEX", help="Folder holding the index. Env: SEARCH_INDEX.",
)


def fail(exc: SearchError) -> click.ClickException:
    """A library error as a CLI error: its message is written to say what to do."""
    return click.ClickException(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "SEARCH"})
@click.version_option(package_name="scrape-search")
def main() -> None:
    """Search scraped web pages: clean them of boilerplate, index them, query them."""


def print_report(report) -> None:
    """Tell the user what a reindex did."""
    click.echo(f"indexed {report.indexed} pages from {report.corpus} into {report.index} "
               f"in {report.seconds:.2f}s")
    if report.skipped:
        click.echo(f"skipped {len(report.skipped)} pages:", err=True)
        for item in report.skipped:
            click.echo(f"  {item['path']}: {item['reason']}", err=True)


@main.command()
@corpus_option
@index_option
def reindex(corpus: Path, index_dir: Path) -> None:
    """Clean every page of the corpus and rebuild the index (running servers switch over at the end)."""
    try:
        report = build_index(corpus, index_dir)
    except SearchError as exc:
        raise fail(exc) from exc
    print_report(report)


@main.command()
@corpus_option
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
def serve(corpus: Path, index_dir: Path, host: str, port: int, workers: int) -> None:
    """Serve the search page and the JSON API (builds the index first when there is none)."""
    from web.server import run_server  # the web app is loaded only by the command that serves it

    try:
        if not index_exists(index_dir):
            click.echo(f"no index at {index_dir} yet: building it from {corpus}")
            print_report(build_index(corpus, index_dir))
    except SearchError as exc:
        raise fail(exc) from exc
    click.echo(f"serving {index_dir} on http://{host}:{port}/ with {workers} workers")
    run_server(index_dir=index_dir, corpus=corpus, host=host, port=port, workers=workers)


def terminal_marks(snippet: str, colour: bool) -> str:
    """An HTML snippet as terminal text: matches bold when colour is on, else in [brackets]."""
    start, end = ("\x1b[1;33m", "\x1b[0m") if colour else ("[", "]")
    text = snippet.replace("<mark>", start).replace("</mark>", end)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


@main.command()
@click.argument("text")
@index_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="How many hits.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Which page of hits.")
@click.option("--site", "sites", multiple=True, help="Only pages of this site (host or name); repeat for several.")
@click.option("--from", "date_from", help="Only pages dated on or after this day, month or year (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", help="Only pages dated on or before this day, month or year.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the hits.")
@click.option("--explain", is_flag=True, help="Show how each hit's score was made.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON the API returns.")
def query(text: str, index_dir: Path, limit: int, page: int, sites: tuple[str, ...], date_from: str | None,
          date_to: str | None, sort: str, explain: bool, as_json: bool) -> None:
    """Search the index and print ranked hits with the matches marked, and counts by site and year."""
    try:
        filters = Filters(sites=sites, date_from=date_from, date_to=date_to, sort=sort)
        with open_searcher(index_dir) as searcher:
            results = search_index(searcher, text, page=page, per_page=limit, filters=filters, explain=explain)
    except SearchError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(results.as_json(), ensure_ascii=False, indent=2))
        return
    colour = sys.stdout.isatty()
    click.echo(f"{results.total} results for {text!r} ({results.took_ms:.1f} ms)")
    if results.suggestion:
        click.echo(f"did you mean: {results.suggestion}")
    for name, counts in results.facets.items():
        if counts:
            click.echo(f"{name}: " + ", ".join(f"{value} ({count})" for value, count in counts))
    for rank, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        meta = " · ".join(x for x in (hit.date, hit.site, hit.id) if x)
        click.echo(f"\n{rank}. {click.style(hit.title, bold=True) if colour else hit.title}\n   {meta}")
        click.echo(f"   {terminal_marks(hit.snippet, colour)}")
        if hit.also_at:
            click.echo(f"   also at {len(hit.also_at)} other pages: " + ", ".join(o.id for o in hit.also_at))
        if hit.explanation:
            for part in hit.explanation["parts"]:
                click.echo(f"     {part['score']:8.4f}  {part['match']}")


def pages_at(paths: tuple[Path, ...]):
    """Pages under each path given: a folder is read as a corpus, a file on its own."""
    for path in paths:
        if path.is_dir():
            yield from read_corpus(path)
        else:
            yield from read_pages(path, path.parent)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON record per page (JSON Lines).")
@click.option("--explain", is_flag=True, help="Also show each removed block and why it was removed.")
def clean(paths: tuple[Path, ...], as_json: bool, explain: bool) -> None:
    """Run the cleaner alone and print what the index would hold for each page."""
    for item in pages_at(paths):
        if isinstance(item, Skipped):
            click.echo(f"skipped {item.path}: {item.reason}", err=True)
            continue
        try:
            doc = clean_page(item)
        except (SearchError, ValueError, RecursionError) as exc:
            click.echo(f"skipped {item.path}: cleaning failed: {exc}", err=True)
            continue
        if as_json:
            record = doc.as_json()
            if explain:
                record["removed"] = [{"text": r.text, "reason": r.reason} for r in doc.removed]
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        click.echo(f"== {doc.path}\ntitle: {doc.title}\ndate: {doc.date or '-'}\nsite: {doc.site or '-'}\n")
        click.echo(doc.body + "\n")
        if explain:
            for removed in doc.removed:
                click.echo(f"  removed ({removed.reason}): {removed.text[:160]}")
            click.echo("")


@main.command(name="eval")
@click.option("--queries", "queries_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='Queries as JSON Lines: {"id", "text"} a line.')
@click.option("--qrels", "qrels_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Judgments, TREC style: `query_id doc_id gain` a line.")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_command(queries_path: Path, qrels_path: Path, index_dir: Path, as_json: bool) -> None:
    """Measure the ranking on judged queries: nDCG@10, MAP and recall@100."""
    try:
        queries, qrels = read_queries(queries_path), read_qrels(qrels_path)
        with open_searcher(index_dir) as searcher:
            figures = evaluate(searcher, queries, qrels)
    except SearchError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(figures.as_json()))
        return
    click.echo(f"{figures.queries} queries  nDCG@10 {figures.ndcg_at_10:.4f}  MAP {figures.map:.4f}  "
               f"R@100 {figures.recall_at_100:.4f}")
