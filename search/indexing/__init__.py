"""Indexing: write cleaned documents into a Whoosh index generation, with its postings copies, in one commit."""

from .. import stage_exports

_EXPORTS = {
    "build_index": ".index", "PAGE_SECONDS": ".workers", "Limits": ".workers",
    "PostingsCopy": ".postings", "open_copy": ".postings",
    "index_exists": ".store", "open_index": ".store", "read_report": ".store", "indexed_corpus": ".store",
    "check_index": ".check", "explain_failure": ".check", "faults_named": ".check", "MIN_FREE_MB": ".space",
    "saved_blocks": ".saved", "source_state": ".saved", "unpack_removed": ".saved",
}
__all__ = list(_EXPORTS)
__getattr__ = stage_exports(__name__, _EXPORTS)
