"""Function words of each language, dropped from a query's free words (never from the index)."""

from __future__ import annotations

# Function words of other common web languages: prose in any of them is dense with its own.
FOREIGN_STOPWORDS = {
    "es": frozenset("""de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o
        fue este ha sí porque esta son entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
        durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras
        otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros es
        está era""".split()),
    "fr": frozenset("""le la les de des du un une et à au aux en dans par pour sur avec ce cette ces qui que quoi
        dont où il elle ils elles nous vous on ne pas plus mais ou donc car est sont était été être avoir a ont
        son sa ses leur leurs se sans sous entre comme aussi très tout tous toute bien fait peut même""".split()),
    "de": frozenset("""der die das und in den von zu mit sich des auf für ist im dem nicht ein eine als auch es an
        werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur
        oder aber vor zur bis mehr durch man sein wurde sei ich wir ihr kann""".split()),
    "it": frozenset("""di e il la che in un una per non è del della con i le da al dei delle si sono come lo anche
        più ma nel nella gli alla questo ha ci se o era essere tra sul sua suo loro stato cui""".split()),
    "pt": frozenset("""de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele
        das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era""".split()),
    "cs": frozenset("""a v se na je že s z do o to i k ve by jako pro ale za po jsem jsou už jak tak není byl
        bylo byla jeho které který která když také jen ještě od při podle než nebo aby""".split()),
    "pl": frozenset("""i w na z się nie do że to jest o jak a po co ale od za przez dla tak już czy jego tym
        tego który która które oraz jako może być był była są przy także tylko""".split()),
    "sv": frozenset("""och i att det som en på är av för med till den har de inte om ett han men var jag sig
        från vi så kan man när år säger hon under också efter""".split()),
    "ru": frozenset("""и в не на что с по как а к из у за от о же это так для но был его она он было мы они
        бы уже при до если или только еще также который которые""".split()),
    "nl": frozenset("""de en van het een in is dat op te zijn met voor niet die aan er om ook als bij of maar uit
        door naar dan nog wel wordt worden heeft hij ze zij we over tot""".split()),
}

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


# Other languages' function words (FOREIGN_STOPWORDS, which the cleaner also counts): dropped too. Chosen
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
