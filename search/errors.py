"""One family of errors, so callers can catch what this library raises and nothing else."""


class SearchError(Exception):
    """Base class of every error this library raises on purpose."""


class CorpusError(SearchError):
    """The corpus folder is missing or cannot be read."""


class PageError(SearchError):
    """One page cannot be read or cleaned; the rest of the corpus goes on."""


class IndexMissingError(SearchError):
    """There is no index at the given path yet."""


class IndexBusyError(SearchError):
    """Another reindex holds the index's write lock."""


class QueryError(SearchError):
    """The query or its paging parameters cannot be answered."""
