"""Function words of each language, dropped from a query's free words (never from the index)."""

from __future__ import annotations

from ..cleaning.boilerplate import FOREIGN_STOPWORDS

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


# Other languages' function words, as the cleaner lists them (ten languages): dropped too. Chosen
# leave-one-language-out on ../shared/data/languages (bench/languages.py --held-out, 300 questions a
# set): every held-out set chose dropping them on the others, and scored as high or higher (de 0.943
# against 0.940 keeping them, ru 0.963 against 0.957, the rest equal). The stop-words package's longer
# lists were tried and dropped: they hold content words (de 0.940 against 0.944 keeping every word).
QUERY_STOP_WORDS_BY_LANGUAGE = {"en": QUERY_STOP_WORDS, **FOREIGN_STOPWORDS}

# Words a request is phrased with rather than its subject ("I am interested in papers describing
# ...", "find all articles on ..."): they ask for documents, or say who asks and how. Written from
# how people ask, not read off a collection; a query weighs them down (scoring.Weights.requests)
# instead of dropping them, since any may be a subject too ("document classification").
REQUEST_WORDS = tuple(sorted(
    """article articles paper papers document documents literature material publications describe describes
    describing description descriptions discuss discusses discussing discussion discussions deal deals dealing
    concerning concerned regarding interested interest find like want wish please pleased receive give list
    anything looking""".split()
))


def query_stop_words(lang: str) -> frozenset[str]:
    """The function words a query drops in a language (ISO 639-1 code), lowercased; none when not listed."""
    return QUERY_STOP_WORDS_BY_LANGUAGE.get(lang, frozenset())
