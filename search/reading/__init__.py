"""Reading: walk a corpus folder, decode each file (pages, JSON Lines, web archives) into pages with provenance."""

from .. import stage_exports

_EXPORTS = {
    "MAX_PAGE_BYTES": ".corpus", "mirror_host": ".corpus", "page_id": ".corpus", "read_corpus": ".corpus",
    "read_pages": ".corpus", "walk_corpus": ".corpus",
    "page_kind": ".corpus", "skip_reason": ".corpus",
}
__all__ = list(_EXPORTS)
__getattr__ = stage_exports(__name__, _EXPORTS)
