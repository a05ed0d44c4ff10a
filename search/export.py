"""Hits as rows for spreadsheets and scripts (CSV, JSON Lines): the same rows from the command line and the page."""

from __future__ import annotations

import csv
import html
import io
import json
import re

EXPORT_COLUMNS = ("rank", "id", "title", "date", "site", "source_url", "score", "snippet")
EXPORT_FORMATS = {"csv": "text/csv", "jsonl": "application/x-ndjson"}  # format -> media type
_TAG = re.compile(r"<[^>]+>")
# A cell starting with one of these is a formula to a spreadsheet (a scraped title "=HYPERLINK(...)" would
# run when the CSV is opened); such cells are written with a leading apostrophe, which spreadsheets hide.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def marked_text(snippet: str, start: str = "[", end: str = "]") -> str:
    """An HTML snippet as plain text, its matches between `start` and `end`."""
    text = snippet.replace("<mark>", start).replace("</mark>", end)
    return html.unescape(_TAG.sub("", text))


def export_rows(results) -> list[dict]:
    """A results page's hits as rows (EXPORT_COLUMNS), ranked from the page's first, snippets as plain text."""
    rows = []
    for rank, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        row = {**hit.as_json(), "rank": rank, "snippet": marked_text(hit.snippet)}
        rows.append({key: row.get(key) for key in EXPORT_COLUMNS})
    return rows


def export_text(results, fmt: str) -> str:
    """The hits as one CSV table (with a header) or as JSON Lines (a hit a line)."""
    rows = export_rows(results)
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows({key: defuse_formula(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def defuse_formula(value):
    """A CSV cell's value, a text that a spreadsheet would read as a formula quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
