"""Querying: parse, match, rank, filter, group duplicates, snippet and suggest over one snapshot of the index."""

from .. import stage_exports

_EXPORTS = {
    "Snapshot": ".snapshot", "open_snapshot": ".snapshot", "LiveSearcher": ".live", "SharedResults": ".resultcache",
    "MAX_PAGE": ".query", "MAX_PER_PAGE": ".query", "fetch_document": ".query", "search_index": ".query",
    "SORTS": ".filters", "Filters": ".filters", "MAX_QUERY_CHARS": ".parsing", "suggest_completions": ".suggest",
    "read_qrels": ".evaluate", "read_queries": ".evaluate",
    "INTERVALS": ".timeline", "MAX_PERIODS": ".timeline", "count_periods": ".timeline", "without_dates": ".filters",
}
__all__ = list(_EXPORTS)
# No name here is also a module's name: once that module is imported, the package attribute is the module.
__getattr__ = stage_exports(__name__, _EXPORTS)
