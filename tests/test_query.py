"""Querying: ranking, query language, snippets, suggestions and paging limits."""

import random
from pathlib import Path

import pytest

from search.errors import QueryError
from search.querying.query import fetch_document, search_index
from search.querying.scoring import Weights
from search.querying.snapshot import open_snapshot
from search.querying.suggest import words_within


@pytest.fixture
def snapshot(index_dir: Path):
    with open_snapshot(index_dir) as s:
        yield s


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_stemmed_match_and_title_weighting(snapshot):
    results = search_index(snapshot, "chess clubs")
    assert ids(results)[0] == "gazette/chess.txt"
    assert "<mark>" in results.hits[0].snippet


def test_title_match_ranks_above_body_only_match(snapshot):
    # "bridge" is in the riverside title; the cafe page does not mention it at all, and
    # "repairs" appears in both bodies but only one title.
    results = search_index(snapshot, "repairs")
    assert ids(results)[0] == "riverside/bridge.html"
    assert "riverside/cafe.html" in ids(results)


def test_phrase_and_boolean_operators(snapshot):
    assert ids(search_index(snapshot, '"chess club"')) == ["gazette/chess.txt"]
    assert search_index(snapshot, '"club chess"').total == 0
    assert ids(search_index(snapshot, "harbour NOT dredge")) == []
    assert set(ids(search_index(snapshot, "dredge OR parapets"))) == {"gazette/harbour.txt",
                                                                      "riverside/bridge.html"}
    assert ids(search_index(snapshot, "council -library")) == ["gazette/chess.txt"]


def test_accents_fold_both_ways(snapshot):
    assert ids(search_index(snapshot, "Montbeliard")) == ["riverside/cafe.html"]
    assert ids(search_index(snapshot, "cafés")) == ["riverside/cafe.html"]


def test_snippets_escape_document_text(snapshot):
    hit = search_index(snapshot, "museum sign").hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&quot;" in hit.snippet
    assert "<mark>sign</mark>" in hit.snippet


def test_suggestion_for_unknown_word(snapshot):
    results = search_index(snapshot, "harbur")
    assert results.total == 0
    assert results.suggestion == "harbour"
    assert search_index(snapshot, "harbour").suggestion is None


def test_paging_limits(snapshot):
    with pytest.raises(QueryError):
        search_index(snapshot, "club", page=0)
    with pytest.raises(QueryError):
        search_index(snapshot, "club", per_page=1000)
    with pytest.raises(QueryError, match="too long"):
        search_index(snapshot, "a" * 5000)
    with pytest.raises(QueryError, match="empty"):
        search_index(snapshot, "   ")
    assert search_index(snapshot, "club", page=50).hits == ()


def test_fetch_document_marks_query_terms(snapshot):
    doc = fetch_document(snapshot, "gazette/chess.txt", "captain")
    assert any("<mark>captain</mark>" in p for p in doc.paragraphs)
    assert fetch_document(snapshot, "no/such.txt") is None


def test_snippet_of_a_long_article_finds_the_matching_passage():
    from search.analysis.words import news_analyzer
    from search.querying.highlight import WordTerms, make_snippet

    line = "of the council minutes lists the items of routine business."
    filler = "\n\n".join(f"Paragraph {i} {line}" for i in range(2500))
    text = filler + "\n\nThe harbour authority approved the dredging plan at the very end of the meeting."
    assert len(text) > 150_000
    snippet = make_snippet(text, frozenset({"dredg", "harbour"}), WordTerms(news_analyzer()))
    assert "<mark>harbour</mark>" in snippet and "<mark>dredging</mark>" in snippet
    assert snippet.count("<mark>") <= 6 and len(snippet) < 1000


def test_hyphens_inside_words_are_not_exclusions(snapshot):
    # "regional-title" is one word of two parts, not "regional NOT title".
    assert ids(search_index(snapshot, "regional-title"))[0] == "gazette/chess.txt"
    assert search_index(snapshot, "chess - club").total >= 1  # a lone dash is no operator
    assert ids(search_index(snapshot, "(club -library)"))  # +/- inside groups read as words, no error


def test_question_words_and_feedback_only_rerank(snapshot):
    question = search_index(snapshot, "what did the harbour authority decide about the channel")
    assert ids(question)[0] == "gazette/harbour.txt"
    plain = search_index(snapshot, "harbour authority channel decide")
    # Feedback words from the best documents re-rank the matches; they never add matches.
    assert question.total == plain.total
    assert set(ids(question)) == set(ids(plain))


def test_words_typed_side_by_side_lift_pages_holding_them_side_by_side(tmp_path: Path):
    from search.indexing.index import build_index

    # The same words, once each, in texts of about the same length: only their distance differs.
    far = ("Storm week in the valley\n"
           "The river rose all week after the storms in the hills above the old town centre. "
           "Volunteers filled sandbags while the council met late into the night to plan its response. "
           "On Friday the bank on the high street closed its doors early for the weekend.")
    near = ("Storm week in the valley\n"
            "The storms in the hills above the old town centre went on for most of the week. "
            "Neighbours carried furniture upstairs as the fire service pumped water from cellars. "
            "On Friday the river bank by the high street gave way early in the evening hours.")
    corpus = tmp_path / "corpus"
    (corpus / "valley").mkdir(parents=True)
    (corpus / "valley" / "a-far.txt").write_text(far)
    (corpus / "valley" / "b-near.txt").write_text(near)
    build_index(corpus, tmp_path / "index")
    with open_snapshot(tmp_path / "index") as s:  # the default: the bonus is off (it lost held out)
        assert ({h.id: h.score for h in search_index(s, "river bank").hits}
                == pytest.approx({h.id: h.score for h in search_index(s, "bank river").hits}))
    with open_snapshot(tmp_path / "index", Weights(proximity=0.3)) as s:
        typed = {h.id: h.score for h in search_index(s, "river bank").hits}
        reversed_ = {h.id: h.score for h in search_index(s, "bank river").hits}
    # "bank river" is nowhere side by side: both pages score on the words alone. "river bank"
    # lifts only the page holding it, by a bonus smaller than the words' own scores.
    assert typed["valley/a-far.txt"] == pytest.approx(reversed_["valley/a-far.txt"])
    assert reversed_["valley/b-near.txt"] < typed["valley/b-near.txt"] < 2 * reversed_["valley/b-near.txt"]
    assert max(typed, key=typed.get) == "valley/b-near.txt"


def test_spelling_candidates_are_the_words_whoosh_finds_within_the_distance(changed_index):
    with open_snapshot(changed_index) as snapshot:
        reader = snapshot.searcher.reader()
        words = sorted({w.decode() for w in reader.lexicon("spell_body")})
        assert len(words) > 100
        rnd = random.Random(7)
        probes = words[::9]
        for word in words[::13]:  # misspellings: a letter dropped, doubled, changed, two swapped
            i = rnd.randrange(1, len(word)) if len(word) > 1 else 0
            probes += [word[:i] + word[i + 1:], word[:i] + word[i] * 2 + word[i + 1:],
                       word[:i] + "q" + word[i + 1:], word[:i - 1] + word[i:i + 1] + word[i - 1:i] + word[i + 1:]]
        leaves = reader.leaf_readers()
        checked = 0
        for probe in filter(None, probes):
            for maxdist in (1, 2):
                # Whoosh's automaton walk over each segment's term table
                theirs = sorted({w for leaf, _ in leaves for w in leaf.terms_within("body", probe, maxdist, prefix=1)})
                assert words_within(snapshot, probe, maxdist) == theirs, (probe, maxdist)
                checked += bool(theirs)
        assert checked > 50


def test_a_sentence_the_page_repeats_is_shown_once_in_the_snippet(tmp_path: Path):
    from search.indexing.index import build_index

    quote = "The lighthouse keeper said the lamp had never failed in forty years of storms."
    page = ("Lamp still burning at the point\n"
            f"{quote}\n"
            "Fishing crews rely on the beam each winter when the fog rolls in from the sea.\n"
            "The council has promised money for new glass and a coat of paint next spring.\n"
            f"“{quote}”\n"
            "Visitors may climb the tower on Sundays between April and October.")
    corpus = tmp_path / "corpus"
    (corpus / "coast").mkdir(parents=True)
    (corpus / "coast" / "lamp.txt").write_text(page)
    build_index(corpus, tmp_path / "index")
    with open_snapshot(tmp_path / "index") as s:
        snippet = search_index(s, "lighthouse lamp storms").hits[0].snippet
    assert snippet.count("<mark>lighthouse</mark>") == 1, snippet
    assert snippet.count("keeper") == 1, snippet


def test_a_query_in_capitals_is_a_sentence_not_operators(snapshot):
    # Typed in capitals throughout, AND, OR and NOT are words of the sentence (and stop words).
    assert "gazette/chess.txt" not in ids(search_index(snapshot, "chess NOT club"))
    assert ids(search_index(snapshot, "CHESS NOT CLUB"))[0] == "gazette/chess.txt"
    assert ids(search_index(snapshot, "CHESS NOT CLUB")) == ids(search_index(snapshot, "chess club"))
    assert search_index(snapshot, "CHESS AND HARBOUR").total == search_index(snapshot, "chess harbour").total
    assert search_index(snapshot, "chess AND harbour").total < search_index(snapshot, "chess harbour").total


def test_feedback_words_are_shared_by_the_best_documents(tmp_path: Path):
    from whoosh import classify

    from search.indexing.index import build_index
    from search.querying.ranking import FEEDBACK_MIN_DOCS, feedback_words

    # Three reports on the same dredging; each also repeats a word of its own, found nowhere else
    # (the words Bo1 alone weighs highest).
    texts = {
        "a.txt": "Dredging the harbour channel\nThe dredging of the harbour channel began on Monday. "
                 "Silt went to Wrexhollow quarry, Wrexhollow farms and Wrexhollow fields.",
        "b.txt": "Harbour channel deepened\nCrews deepened the harbour channel with a dredging barge. "
                 "The barge came from Pellinore yard, Pellinore docks, Pellinore.",
        "c.txt": "Channel works\nThe harbour channel dredging will end in May, the port said. "
                 "Boats wait at Quenbury, Quenbury bay and Quenbury point by the barge.",
        "d.txt": "Bakery opens\nA new bakery opened on the high street, selling bread and cakes.",
    }
    corpus = tmp_path / "corpus" / "port"
    corpus.mkdir(parents=True)
    for name, text in texts.items():
        (corpus / name).write_text(text)
    build_index(tmp_path / "corpus", tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        top = [d for d in range(snapshot.doc_count_all()) if "channel" in snapshot.stored_fields(d)["body"].lower()]
        words = dict(feedback_words(snapshot, top, 10))
        # Bo1 as Whoosh's expander weighs and normalises it, over every word of those documents.
        expander = classify.Expander(snapshot.searcher.reader(), "body", model=classify.Bo1Model)
        for docnum in top:
            expander.add_text(snapshot.stored_fields(docnum)["body"])
        whoosh_words = dict(expander.expanded_terms(1000, normalize=True))
    assert words == pytest.approx({w: x for w, x in whoosh_words.items() if w in words})
    assert len(top) == 3 and FEEDBACK_MIN_DOCS == 2
    assert {"harbour", "channel", "dredg"} <= set(words)
    assert not {"wrexhollow", "pellinor", "quenburi"} & set(words)  # each in one document alone
    # The barge is in two of them, but not in the best: it is no subject of what the query found best.
    assert not [w for w in words if w.startswith("barg")]
    # How many of the best documents give the words is the ranking's constant: from the best one
    # alone no word is shared, so the scores are the query's own.
    query = "harbour channel dredging"
    scores = {}
    for docs in (1, 3):
        with open_snapshot(tmp_path / "index", Weights(feedback=0.8, feedback_docs=docs)) as snapshot:
            scores[docs] = {h.id: h.score for h in search_index(snapshot, query).hits}
    with open_snapshot(tmp_path / "index", Weights(feedback=0.0)) as snapshot:
        plain = {h.id: h.score for h in search_index(snapshot, query).hits}
    assert scores[1] == pytest.approx(plain)
    assert scores[3] != pytest.approx(plain) and set(scores[3]) == set(plain)


def test_feedback_scores_are_the_body_scores_whoosh_gives(tmp_path: Path):
    from search.indexing.index import build_index
    from search.querying.ranking import postings_at, term_scores

    corpus = tmp_path / "corpus" / "port"
    corpus.mkdir(parents=True)
    for i in range(12):
        words = " ".join(["harbour"] * (1 + i % 3) + ["channel"] * (i % 2) + ["bread"] * (i % 4 == 0))
        (corpus / f"p{i}.txt").write_text(f"Report {i}\nThe {words} report of day {i} " + "and more " * i + ".")
    build_index(tmp_path / "corpus", tmp_path / "index")
    with open_snapshot(tmp_path / "index") as snapshot:
        docs = list(range(0, snapshot.doc_count_all(), 2))
        weighted = [("harbour", 1.0), ("channel", 0.5), ("bread", 0.25), ("absent", 1.0)]
        expected: dict[int, float] = {}
        for word, weight in weighted:  # Whoosh's matchers, scoring the body as BM25Scorer does
            for docnum, _, score in postings_at(snapshot, word, docs):
                expected[docnum] = expected.get(docnum, 0.0) + weight * score
        assert expected and term_scores(snapshot, weighted, docs) == pytest.approx(expected)
