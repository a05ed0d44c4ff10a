"""One family of errors, so callers can catch what this library raises and nothing else."""


class SearchError(Exception):
    """Base class of every error this library raises on purpose.

    `public` is the message for people who may not see the server's paths (the web's), when the
    message names some; the message itself otherwise.
    """

    def __init__(self, message: str = "", public: str | None = None):
        super().__init__(message)
        self.public = public or message


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


class StorageError(SearchError):
    """The disk refused a write or a read: out of space, read-only, or not permitted; the message names the path."""


class OutOfSpaceError(StorageError):
    """The disk holding the index is full (or the user's quota is), or would be by this reindex."""


class ReadOnlyError(StorageError):
    """The index's filesystem is mounted read-only."""


class AccessDeniedError(StorageError):
    """This user may not read or write a file or folder the index or corpus needs."""


class IndexDamagedError(SearchError):
    """A file of the index is missing, cut short or altered since the reindex that wrote it."""
