"""The fast news analyzer yields exactly the tokens of the Whoosh filter chain it stands for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis.words import news_analyzer, news_chain

PIECES = st.sampled_from(
    "the The a I of U.S. e.g. COVID-19 covid19 47/50-POL 1,275 3.5 1,275.50 AT&T e-mail free-flight "
    "café Yaoundé Straße İstanbul ﬁnance K Ǆ naïve running runs _under_score x-ray 2021-03-04 a-b-c "
    "--- ... , & / 1/2 U.S.-led over-the-counter A.B.C.-D 123abc ab.cd.ef .5 5. - \n\t".split(" ")
)
TEXT = st.one_of(
    st.lists(PIECES, max_size=40).map(" ".join),
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=30).map(" ".join),
)
OPTIONS = st.fixed_dictionaries({
    "positions": st.booleans(), "chars": st.booleans(), "removestops": st.booleans(),
    "mode": st.sampled_from(["index", "query", ""]), "no_morph": st.booleans(),
    "start_pos": st.integers(0, 5), "start_char": st.integers(0, 5),
})


def token_list(analyzer, text: str, options: dict) -> list[tuple]:
    """Every attribute of every token, read as it is yielded (tokens are reused objects)."""
    return [tuple(sorted(vars(t).items())) for t in analyzer(text, **options)]


@settings(max_examples=600, deadline=None)
@given(TEXT, OPTIONS)
def test_fast_analyzer_yields_the_chains_tokens(text, options):
    assert token_list(news_analyzer(), text, options) == token_list(news_chain(), text, options)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_fast_analyzer_indexes_as_the_chain_does(text):
    # What a TEXT field with positions stores: term, frequency, weight and the encoded positions.
    from whoosh.formats import Positions

    fmt = Positions()
    fast = sorted(fmt.word_values(text, news_analyzer(), mode="index"))
    assert fast == sorted(fmt.word_values(text, news_chain(), mode="index"))


def test_fast_analyzer_splits_identifiers():
    tokens = [(t.text, t.pos) for t in news_analyzer()("COVID-19 cases at AT&T", positions=True, mode="index")]
    # The joined form shares the first part's position; a stop word takes none; AT&T keeps no lone parts.
    assert tokens == [("covid19", 0), ("covid", 0), ("19", 1), ("case", 2), ("att", 3)]
