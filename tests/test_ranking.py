"""Ranking over remembered postings arrays: the documents Whoosh's own search matches, each scored as
BM25F defines it, computed here document by document from Whoosh's reader."""

import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import NullQuery, Or, Phrase, Term

from search.querying import snapshot as snapshot_module
from search.querying.matching import members
from search.querying.parsing import parse_plain_words, parse_query, parse_with_whoosh
from search.querying.ranking import best_scored, scored_matches
from search.querying.scoring import DEFAULT_WEIGHTS, SPARSE_SHARE, Weights, add_postings
from search.querying.snapshot import open_snapshot

FIELDS = ("title", "body")


def whoosh_docs(snapshot, query) -> set[int]:
    return {hit.docnum for hit in snapshot.searcher.search(query, limit=None)}


def reference_word(snapshot, word: str, fields: dict[str, float], weights: Weights) -> dict[int, float]:
    """BM25F of one word, a document at a time: frequencies weighted and summed over the fields, one
    length over title and body, idf over the live documents holding it."""
    reader = snapshot.searcher.reader()
    n = reader.doc_count_all()
    weight = {"title": weights.title, "body": 1.0}
    length = [sum(weight[f] * reader.doc_field_length(d, f, 0) for f in FIELDS) for d in range(n)]
    average = sum(length) / n
    scale = max(fields.values())
    frequency: dict[int, float] = {}
    for field, boost in fields.items():
        if (field, word) not in reader:
            continue
        matcher = reader.postings(field, word)
        while matcher.is_active():
            d = matcher.id()
            if not reader.is_deleted(d):
                frequency[d] = frequency.get(d, 0) + weight[field] * boost / scale * matcher.weight()
            matcher.next()
    idf = math.log(1 + (n - len(frequency) + 0.5) / (len(frequency) + 0.5))
    k1, b = weights.k1, weights.b
    return {d: scale * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length[d] / average))
            for d, tf in frequency.items()}


def reference_words(snapshot, query, weights=DEFAULT_WEIGHTS) -> dict[int, float]:
    """The BM25F sum over an any-of of words (or a lone word), each word over the fields it is asked in."""
    terms = query.subqueries if isinstance(query, Or) else [query]
    asked: dict[str, dict[str, float]] = {}
    for term in terms:
        assert isinstance(term, Term) and term.fieldname in FIELDS, query
        asked.setdefault(term.text, {})[term.fieldname] = term.boost
    total: dict[int, float] = {}
    for word, fields in asked.items():
        for d, s in reference_word(snapshot, word, fields, weights).items():
            total[d] = total.get(d, 0.0) + s
    return total


def assert_scores(snapshot, query, expected: dict[int, float]):
    docs, scores = scored_matches(snapshot, query)
    assert docs.tolist() == sorted(expected), str(query)
    assert scores.tolist() == pytest.approx([expected[d] for d in docs.tolist()], rel=1e-9)


def assert_best(snapshot, query, allowed, expected: dict[int, float], limit: int):
    if allowed is not None:
        expected = {d: s for d, s in expected.items() if d in set(allowed.tolist())}
    ranked = sorted(expected.items(), key=lambda ds: (-round(ds[1], 9), ds[0]))[:limit]
    ours = best_scored(snapshot, query, allowed, limit)
    assert [d for d, _ in ours] == [d for d, _ in ranked], str(query)
    assert [s for _, s in ours] == pytest.approx([s for _, s in ranked], rel=1e-9)


def test_free_words_score_as_bm25f_defines_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        words = sorted({t.decode() for t in snapshot.searcher.lexicon("body")})
        assert len(words) > 50
        queries = [f"{a} {b}" for a, b in zip(words[::7], words[3::7], strict=False)] + words[::11]
        queries += [f"title:{w}" for w in words[::13]]
        queries += [f"{a} {b} {a}" for a, b in zip(words[::17], words[5::17], strict=False)]
        for text in queries:
            query = parse_query(snapshot, text)
            if query is NullQuery:
                continue
            expected = reference_words(snapshot, query)
            assert_scores(snapshot, query, expected)
            for limit in (1, 3, 10):
                assert_best(snapshot, query, None, expected, limit)


def test_every_constant_is_applied(changed_index: Path):
    for weights in (Weights(k1=0.9, b=0.6, title=1.0), Weights(k1=2.0, b=0.9, title=5.0)):
        with open_snapshot(changed_index, weights) as snapshot:
            for text in ("barrier council", "flood engineers river", "title:spring"):
                query = parse_query(snapshot, text)
                assert_scores(snapshot, query, reference_words(snapshot, query, weights))


def test_a_repeated_word_weighs_as_often_as_typed(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        once, twice = parse_query(snapshot, "barrier council"), parse_query(snapshot, "barrier council barrier")
        assert {t.boost for t in twice.subqueries if t.text == "barrier"} == {2.0}
        assert_scores(snapshot, twice, reference_words(snapshot, twice))
        barrier = reference_words(snapshot, parse_query(snapshot, "barrier"))
        docs, scores = scored_matches(snapshot, once)
        more = dict(zip(*scored_matches(snapshot, twice), strict=True))
        for d, s in zip(docs.tolist(), scores.tolist(), strict=True):
            assert more[d] == pytest.approx(s + barrier.get(d, 0.0))
    with open_snapshot(changed_index, Weights(repeats=False)) as snapshot:
        assert parse_query(snapshot, "barrier council barrier") == parse_query(snapshot, "barrier council")


def test_phrases_match_as_whoosh_matches_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        texts = [fields.get("body", "") for fields in snapshot.searcher.all_stored_fields()]
        phrases = set()
        for text in texts:
            words = re.findall(r"[A-Za-z]+", text)
            phrases.update(" ".join(words[i:i + n]) for n in (2, 3) for i in range(0, len(words) - n, 9))
        # Word orders the texts do not hold, too (a phrase's words each found, never side by side).
        phrases.update(" ".join(reversed(p.split())) for p in list(phrases)[:20])
        matched = 0
        for text in sorted(phrases):
            query = parse_query(snapshot, f'"{text}"')
            if not isinstance(query, Or) or not all(isinstance(q, Phrase) for q in query.subqueries):
                continue  # stop words left one word, or none
            found = whoosh_docs(snapshot, query)
            fields = {q.fieldname: q.boost for q in query.subqueries}
            words = [reference_word(snapshot, w, fields, DEFAULT_WEIGHTS) for w in query.subqueries[0].words]
            assert_scores(snapshot, query, {d: sum(w[d] for w in words) for d in found})
            matched += bool(found)
        assert matched > 20


def test_allowed_documents_restrict_the_ranking(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        allowed = np.array(sorted(snapshot.searcher.reader().all_doc_ids())[::2])
        for text in ("barrier council", "flood engineers river", "spring"):
            query = parse_query(snapshot, text)
            assert_best(snapshot, query, allowed, reference_words(snapshot, query), 10)


def test_operators_match_as_whoosh_matches_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        allowed = np.array(sorted(snapshot.searcher.reader().all_doc_ids())[1::2])
        for text in ('"flood barrier"', "barrier NOT council", "barr*", "id:added.txt", "river AND council",
                     "*", '"the council" OR engineers', "(river OR barrier) -council", "+river barrier"):
            query = parse_query(snapshot, text)
            found = whoosh_docs(snapshot, query)
            assert found, text
            assert set(scored_matches(snapshot, query)[0].tolist()) == found, text
            for allow in (None, allowed):
                best = best_scored(snapshot, query, allow, 10)
                within = found if allow is None else found & set(allow.tolist())
                assert {d for d, _ in best} <= within and len(best) == min(10, len(within))
                assert [s for _, s in best] == sorted((s for _, s in best), reverse=True)
            assert best_scored(snapshot, query, allowed[:0], 10) == []
        # but-not keeps the scores of what it keeps; all-of adds its parts' scores
        barrier = reference_words(snapshot, parse_query(snapshot, "barrier"))
        council = reference_words(snapshot, parse_query(snapshot, "council"))
        river = reference_words(snapshot, parse_query(snapshot, "river"))
        assert_scores(snapshot, parse_query(snapshot, "barrier NOT council"),
                      {d: s for d, s in barrier.items() if d not in council})
        assert_scores(snapshot, parse_query(snapshot, "river AND council"),
                      {d: s + council[d] for d, s in river.items() if d in council})


def test_remembered_postings_stay_within_their_bound(changed_index: Path, monkeypatch):
    monkeypatch.setattr(snapshot_module, "MAX_CACHED_POSTINGS", 6)
    with open_snapshot(changed_index) as snapshot:
        words = sorted({t.decode() for t in snapshot.searcher.lexicon("body")})
        for text in words[::5]:
            query = parse_query(snapshot, text)
            if query is NullQuery:  # a stop word alone
                continue
            assert_best(snapshot, query, None, reference_words(snapshot, query), 5)
            kept = snapshot.cached_postings()
            # Over the bound only when a single word's postings are longer than it.
            assert sum(kept) <= 6 or len(kept) == 1


def test_plain_words_parse_as_whoosh_parses_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        lexicon = {t.decode() for t in snapshot.searcher.lexicon("body")}
        vocabulary = sorted(lexicon | {"the", "and", "of", "what", "is", "or"})
        words = [w for w in vocabulary if w.isalpha()]
        rnd = random.Random(5)
        texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 6))) for _ in range(400)]
        texts += ["the", "and or", "Barrier  COUNCIL ", "barrier AND council", "what is the barrier", "barrier barrier"]
        built = built_two = 0
        for text in texts:
            for typed in (text, text.title(), text.upper()):
                plain = parse_plain_words(snapshot, typed)
                if plain is not None:
                    built += 1
                    assert plain == parse_with_whoosh(snapshot, typed), typed
                # Analysed for two languages, most words have two forms: still as the parser makes them.
                keys = ("en", "plain")
                two = parse_plain_words(snapshot, typed, keys)
                if two is not None:
                    built_two += 1
                    assert two == parse_with_whoosh(snapshot, typed, keys), typed
        assert built > 600 and built_two > 600
        assert parse_plain_words(snapshot, "barrier AND council") is None  # operators go to Whoosh's parser


def test_request_words_weigh_less_than_subject_words(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        fielded = parse_query(snapshot, "title:council barrier")
        barrier = reference_words(snapshot, parse_query(snapshot, "barrier"))
        council = reference_words(snapshot, parse_query(snapshot, "council"))  # unweighed: not a request word
    asked = Weights(requests=0.25, request_words=("council",))
    with open_snapshot(changed_index, asked) as snapshot:
        query = parse_query(snapshot, "council barrier")
        assert {t.text: t.boost for t in query.subqueries} == {"council": 0.25, "barrier": 1.0}
        assert_scores(snapshot, query, {d: barrier.get(d, 0.0) + 0.25 * council.get(d, 0.0)
                                        for d in set(barrier) | set(council)})
        # Alone, a request word ranks as it always did; phrases and fields are as typed.
        alone = dict(zip(*scored_matches(snapshot, parse_query(snapshot, "council")), strict=True))
        assert alone == pytest.approx({d: 0.25 * s for d, s in council.items()})
        assert parse_query(snapshot, "title:council barrier") == fielded
        assert {q.boost for q in parse_query(snapshot, '"council barrier" river').subqueries} == {1.0}
        # Typed twice, it weighs twice its weight.
        twice = parse_query(snapshot, "council barrier council")
        assert {t.text: t.boost for t in twice.subqueries} == {"council": 0.5, "barrier": 1.0}


def test_the_listed_request_words_are_weighed_down_in_every_form(changed_index: Path):
    with open_snapshot(changed_index, Weights(requests=0.5)) as snapshot:
        query = parse_query(snapshot, "I am interested in articles about the barrier")
        boosts = {t.text: t.boost for t in query.subqueries}
        assert boosts["barrier"] == 1.0
        assert boosts["articl"] == boosts["interest"] == 0.5  # "articles" and "interested" are listed
    with open_snapshot(changed_index, Weights(requests=1.0)) as snapshot:  # 1.0: off
        query = parse_query(snapshot, "I am interested in articles about the barrier")
        assert {t.boost for t in query.subqueries} == {1.0}


@pytest.mark.parametrize("seed", range(5))
def test_postings_add_up_the_same_sorted_or_in_an_array(seed: int):
    rng = np.random.default_rng(seed)
    for lists in (1, 2, 3):  # one list as it is, two merged, more summed
        helds = [np.unique(rng.integers(0, 50, size=int(rng.integers(0, 30)))).astype(np.int32)
                 for _ in range(lists)]
        values = [rng.random(len(h)) * int(rng.integers(0, 2)) for h in helds]  # some all zeros: word^0
        expected: dict[int, float] = {}
        for held, value in zip(helds, values, strict=True):
            for doc, v in zip(held.tolist(), value.tolist(), strict=True):
                expected[doc] = expected.get(doc, 0.0) + v
        # The same postings over few documents are summed in an array, over many by sorting them.
        for doc_count in (50, 50 * SPARSE_SHARE * 100):
            docs, sums = add_postings(helds, values, doc_count)
            assert docs.tolist() == sorted(expected)
            assert sums.tolist() == pytest.approx([expected[d] for d in sorted(expected)])


@pytest.mark.parametrize("seed", range(4))
def test_membership_is_the_same_by_search_or_by_mask(seed: int):
    rng = np.random.default_rng(seed)
    ordered = np.unique(rng.integers(0, 1000, size=int(rng.integers(0, 600))))
    for count in (0, 3, 30, 900):  # few values against the array (a search) and many (a mask)
        values = np.unique(rng.integers(0, 1000, size=count))
        assert members(values, ordered, 1000).tolist() == [v in set(ordered.tolist()) for v in values.tolist()]
