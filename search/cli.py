"""The `search` command: thin doors onto reading, cleaning, indexing and querying."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import click

from .cleaning import clean_page, learn_templates
from .errors import SearchError
from .indexing import MIN_FREE_MB, PAGE_SECONDS, Limits, build_index, check_index, faults_named, index_exists
from .querying import INTERVALS, SORTS, Filters, open_snapshot, read_qrels, read_queries, search_index
from .querying.evaluate import (  # the module shares the command's name, so not through the package
    judged_queries,
    per_query_ndcg,
    read_run,
    run_ids,
    run_queries,
    score_run,
    write_run,
)
from .querying.filters import language_codes
from .reading import MAX_PAGE_BYTES, read_corpus, read_pages
from .records import Page, Skipped
from .stats import index_stats
from .terminal import ProgressBar, export_hits, terminal_marks, timeline_lines

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
    why = f" ({report.reason})" if report.reason else ""
    again = f", {report.recleaned} cleaned again for their site's new templates" if report.recleaned else ""
    click.echo(f"{report.mode} reindex{why}: {report.added} added, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.deleted} deleted{again}")
    if report.skipped:
        click.echo(f"skipped {len(report.skipped)} pages:", err=True)
        for item in report.skipped:
            click.echo(f"  {item['path']}: {item['reason']}", err=True)


@main.command()
@corpus_option
@index_option
@click.option("--full", is_flag=True,
              help="Clean every page again, not just new and changed ones (and learn site templates anew).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that clean pages [default: one a core].")
@click.option("--max-page-mb", type=click.FloatRange(0.001), default=MAX_PAGE_BYTES / 2**20, show_default=True,
              envvar="SEARCH_MAX_PAGE_MB",
              help="Skip page files (and records) larger than this. Env: SEARCH_MAX_PAGE_MB.")
@click.option("--page-seconds", type=click.FloatRange(0.1), default=PAGE_SECONDS, show_default=True,
              envvar="SEARCH_PAGE_SECONDS", help="Skip a page whose cleaning takes longer. Env: SEARCH_PAGE_SECONDS.")
@click.option("--min-free", "min_free_mb", type=click.FloatRange(0), default=MIN_FREE_MB, show_default=True,
              envvar="SEARCH_MIN_FREE_MB",
              help="MB to keep free on the index's disk: a reindex that would leave less refuses to start. "
                   "Env: SEARCH_MIN_FREE_MB.")
def reindex(corpus: Path, index_dir: Path, full: bool, workers: int | None, max_page_mb: float,
            page_seconds: float, min_free_mb: float) -> None:
    """Bring the index up to date with the corpus: new and changed pages cleaned, gone ones dropped.

    Running servers switch over at the end. The first reindex, and any after an upgrade that
    changes how pages are cleaned, cleans every page. With --full, or when the index is damaged,
    a new index is built beside the old files and replaces them in one step.
    """
    bar = ProgressBar("cleaning and indexing")
    try:
        limits = Limits(max_bytes=int(max_page_mb * 2**20), page_seconds=page_seconds)
        report = build_index(corpus, index_dir, full=full, workers=workers, progress=bar, limits=limits,
                             min_free_mb=min_free_mb)
    except SearchError as exc:
        raise fail(exc) from exc
    finally:
        bar.close()
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


@main.command()
@click.argument("text")
@index_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="How many hits.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1), help="Which page of hits.")
@click.option("--site", "sites", multiple=True, help="Only pages of this site (host or name); repeat for several.")
@click.option("--from", "date_from", help="Only pages dated on or after this day, month or year (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", help="Only pages dated on or before this day, month or year.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Order of the hits.")
@click.option("--lang", "langs", multiple=True,
              help="Only pages in this language, by two-letter code (ru, zh); repeat for several.")
@click.option("--explain", is_flag=True, help="Show how each hit's score was made.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON the API returns (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "csv"]), default="text",
              show_default=True, help="text for reading; json (the API's), jsonl (a hit a line) or csv to export.")
@click.option("--timeline", "show_timeline", is_flag=True,
              help="Also show the matches per period: a row of bars on a terminal, a line a period otherwise.")
@click.option("--interval", type=click.Choice(INTERVALS), default="auto", show_default=True,
              help="The timeline's period (auto: by year past ten years, by day under two months, else by month).")
def query(text: str, index_dir: Path, limit: int, page: int, sites: tuple[str, ...], date_from: str | None,
          date_to: str | None, sort: str, langs: tuple[str, ...], explain: bool, as_json: bool, fmt: str,
          show_timeline: bool, interval: str) -> None:
    """Search the index and print ranked hits with the matches marked, and counts by site, year and language."""
    try:
        filters = Filters(sites=sites, date_from=date_from, date_to=date_to, sort=sort, langs=language_codes(langs))
        with faults_named(index_dir), open_snapshot(index_dir) as snapshot:
            results = search_index(snapshot, text, page=page, per_page=limit, filters=filters, explain=explain,
                                   interval=interval)
    except SearchError as exc:
        raise fail(exc) from exc
    if as_json or fmt == "json":
        click.echo(json.dumps(results.as_json(), ensure_ascii=False, indent=2))
        return
    if fmt in ("jsonl", "csv"):
        export_hits(results, fmt)
        return
    colour = sys.stdout.isatty()
    click.echo(f"{results.total} result{'' if results.total == 1 else 's'} for {text!r} ({results.took_ms:.1f} ms)")
    if results.suggestion:
        click.echo(f"did you mean: {results.suggestion}")
    for name, counts in results.facets.items():
        if counts:
            click.echo(f"{name}: " + ", ".join(f"{value} ({count})" for value, count in counts))
    if show_timeline:
        width = shutil.get_terminal_size().columns
        for line in timeline_lines(results.timeline, terminal=colour, width=max(20, width - 1)):
            click.echo(line)
    for rank, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        meta = " · ".join(x for x in (hit.date, hit.site, hit.lang, hit.id) if x)
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
    items = list(pages_at(paths))
    # Templates are learned over all the pages given; a file named on its own joins its folder's site.
    items = [replace(i, group=Path(i.path).parent.as_posix()) if isinstance(i, Page) and not i.group else i
             for i in items]
    templates = learn_templates(i for i in items if isinstance(i, Page))
    for item in items:
        if isinstance(item, Skipped):
            click.echo(f"skipped {item.path}: {item.reason}", err=True)
            continue
        try:
            doc = clean_page(item, templates)
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
@click.option("--per-query", is_flag=True, help="Also print each query's nDCG@10 (as trec_eval -q).")
@click.option("--save", "save_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write this run (TREC format) to compare a later one with.")
@click.option("--compare", "compare_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A run saved by --save: give each query's nDCG@10 change against it.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_command(queries_path: Path, qrels_path: Path, index_dir: Path, per_query: bool, save_path: Path | None,
                     compare_path: Path | None, as_json: bool) -> None:
    """Measure the ranking on judged queries: nDCG@10, MAP and recall@100 (each query's with --per-query)."""
    try:
        queries, qrels = read_queries(queries_path), read_qrels(qrels_path)
        judged = judged_queries(queries, qrels)
        saved = read_run(compare_path) if compare_path else None
        with faults_named(index_dir), open_snapshot(index_dir) as snapshot:
            run = run_queries(snapshot, queries, qrels)
        if save_path:
            write_run(save_path, run)
    except SearchError as exc:
        raise fail(exc) from exc
    ids = run_ids(run)
    figures, mine = score_run(ids, judged), per_query_ndcg(ids, judged)
    theirs = per_query_ndcg(saved, judged) if saved is not None else None
    if as_json:
        out = figures.as_json()
        if per_query:
            out["per_query"] = {q: round(v, 4) for q, v in mine.items()}
        if theirs is not None:
            out["saved"] = score_run(saved, judged).as_json()
            out["change"] = {q: round(mine[q] - theirs[q], 4) for q in mine}
        click.echo(json.dumps(out))
        return
    if per_query:
        click.echo("query\tnDCG@10" + ("\tsaved\tchange" if theirs is not None else ""))
        for q, value in mine.items():
            moved = f"\t{theirs[q]:.4f}\t{value - theirs[q]:+.4f}" if theirs is not None else ""
            click.echo(f"{q}\t{value:.4f}{moved}")
    click.echo(f"{figures.queries} queries  nDCG@10 {figures.ndcg_at_10:.4f}  MAP {figures.map:.4f}  "
               f"R@100 {figures.recall_at_100:.4f}")
    if theirs is not None:
        before = score_run(saved, judged)
        changes = [mine[q] - theirs[q] for q in mine]
        click.echo(f"saved run  nDCG@10 {before.ndcg_at_10:.4f}  MAP {before.map:.4f}  R@100 {before.recall_at_100:.4f}"
                   f"  ({figures.ndcg_at_10 - before.ndcg_at_10:+.4f} nDCG@10: better on "
                   f"{sum(c > 1e-9 for c in changes)} queries, worse on {sum(c < -1e-9 for c in changes)})")
    if save_path:
        click.echo(f"run saved to {save_path}")


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(index_dir: Path, as_json: bool) -> None:
    """Documents by site and by year, index size, and the last reindex's report."""
    try:
        with faults_named(index_dir):
            summary = index_stats(index_dir)
    except SearchError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{summary.documents} documents in {summary.index} ({summary.size_bytes / 1e6:.1f} MB on disk)")
    click.echo("\nby site:")
    for site, count in summary.by_site[:25]:
        click.echo(f"  {count:>8}  {site}")
    if len(summary.by_site) > 25:
        click.echo(f"  ... and {len(summary.by_site) - 25} more sites")
    click.echo("\nby year:")
    for year, count in summary.by_year:
        click.echo(f"  {count:>8}  {year}")
    report = summary.last_reindex
    if report:
        click.echo(f"\nlast reindex: {report.get('finished', '?')}, {report.get('indexed', '?')} indexed, "
                   f"{len(report.get('skipped', []))} skipped, {report.get('seconds', 0):.1f}s")
        for item in report.get("skipped", [])[:10]:
            click.echo(f"  skipped {item['path']}: {item['reason']}")


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(index_dir: Path, as_json: bool) -> None:
    """Verify the index: every file present with the size and checksum it was committed with, the postings
    copies matching the segments, every document readable. Exit 1 naming what is damaged and the fix."""
    try:
        found = check_index(index_dir)
    except SearchError as exc:
        raise fail(exc) from exc
    if as_json:
        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
    else:
        for damage in found.damage:
            click.echo(f"damaged: {damage.path}: {damage.problem}", err=True)
        for note in found.notes:
            click.echo(f"note: {note}")
        if found.ok:
            click.echo(f"{found.index}: generation {found.generation} is whole: {found.files} files match their "
                       f"checksums, {found.documents} documents read back")
        else:
            click.echo(f"{found.index} is damaged: {found.fix()}", err=True)
    if not found.ok:
        sys.exit(1)
