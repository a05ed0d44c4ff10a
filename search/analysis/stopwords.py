"""Function words of each language, dropped from a query's free words (never from the index)."""

from __future__ import annotations

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


# Other languages' function words are not dropped from queries: measured on ../shared/data/languages
# (nDCG@10 on 400 questions each, feedback off), dropping the stop-words package's lists gave de 0.940,
# es 0.954, ru 0.946 against 0.944, 0.955, 0.946 keeping them, and the cleaner's shorter lists
# (cleaning.boilerplate.FOREIGN_STOPWORDS) 0.934, 0.954, 0.947: BM25's idf already weighs them little.
QUERY_STOP_WORDS_BY_LANGUAGE = {"en": QUERY_STOP_WORDS}


def query_stop_words(lang: str) -> frozenset[str]:
    """The function words a query drops in a language (ISO 639-1 code), lowercased; none when not listed."""
    return QUERY_STOP_WORDS_BY_LANGUAGE.get(lang, frozenset())
