"""Function words of each language, dropped from a query's free words (never from the index)."""

from __future__ import annotations

import functools

# Function words a question carries ("what are the problems of ..."), dropped from the free
# words of a query but kept in the index, so a quoted phrase or a query of nothing else still works.
QUERY_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves""".split()
)


@functools.cache
def query_stop_words(lang: str) -> frozenset[str]:
    """The function words of a language (ISO 639-1 code) as a query drops them, lowercased; none when unknown."""
    if lang == "en":
        return QUERY_STOP_WORDS
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    if lang not in LANGUAGE_MAPPING:
        return frozenset()
    return frozenset(w.lower() for w in get_stop_words(lang))
