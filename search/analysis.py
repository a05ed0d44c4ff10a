"""Text analysis shared by indexing, querying, highlighting and spelling: one analyzer, built here."""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import Analyzer
from whoosh.support.charset import accent_map

# Words are runs of letters and digits; the tokenizer leaves punctuation to the parser.
TOKEN_PATTERN = r"\w+(?:\.?\w+)*"


def news_analyzer() -> Analyzer:
    """Lowercase, accent-folded (Yaounde finds Yaoundé), English stop words dropped, Porter-stemmed."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(cachesize=50000)
    )
