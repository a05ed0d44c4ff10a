"""Analysis: text into index terms (the analyzer used at index and query time alike) and documents' fingerprints."""

from .. import stage_exports

_EXPORTS = {
    "QUERY_STOP_WORDS": ".words", "TOKEN_PATTERN": ".words", "news_analyzer": ".words", "stem_word": ".words",
    "body_digest": ".fingerprints", "normalize_site": ".fingerprints", "read_signature": ".fingerprints",
    "resemblance": ".fingerprints", "shingle_signature": ".fingerprints", "signature_terms": ".fingerprints",
    "site_key": ".fingerprints", "sketch_terms": ".fingerprints",
}
__all__ = list(_EXPORTS)
__getattr__ = stage_exports(__name__, _EXPORTS)
