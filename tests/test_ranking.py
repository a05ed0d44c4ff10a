"""Ranking over remembered postings arrays orders and scores documents exactly as Whoosh's own search."""

import random
import re
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import NullQuery

from search.querying import snapshot as snapshot_module
from search.querying.parsing import parse_plain_words, parse_query, parse_with_whoosh
from search.querying.ranking import best_scored
from search.querying.snapshot import open_snapshot


def whoosh_best(snapshot, query, allowed, limit):
    allow = None if allowed is None else set(allowed.tolist())
    return [(hit.docnum, hit.score) for hit in snapshot.searcher.search(query, limit=limit, filter=allow)]


def assert_same_ranking(ours, theirs):
    assert [d for d, _ in ours] == [d for d, _ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-9)


def test_free_words_rank_as_whoosh_ranks_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        words = sorted({t.decode() for t in snapshot.searcher.lexicon("body")})
        assert len(words) > 50
        queries = [f"{a} {b}" for a, b in zip(words[::7], words[3::7], strict=False)] + words[::11]
        queries += [f"title:{w}" for w in words[::13]]
        for text in queries:
            query = parse_query(snapshot, text)
            for limit in (1, 3, 10):
                ours = best_scored(snapshot, query, None, limit)
                assert ours is not None, text
                assert_same_ranking(ours, whoosh_best(snapshot, query, None, limit))


def test_phrases_rank_as_whoosh_ranks_them(changed_index: Path):
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
            ours = best_scored(snapshot, query, None, 10)
            assert_same_ranking(ours, whoosh_best(snapshot, query, None, 10))
            matched += bool(ours)
        assert matched > 20


def test_allowed_documents_restrict_as_whoosh_filters(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        allowed = np.array(sorted(snapshot.searcher.reader().all_doc_ids())[::2])
        for text in ("barrier council", "flood engineers river", "spring"):
            query = parse_query(snapshot, text)
            assert_same_ranking(best_scored(snapshot, query, allowed, 10), whoosh_best(snapshot, query, allowed, 10))


def test_phrases_and_operators_rank_as_whoosh_ranks_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        allowed = np.array(sorted(snapshot.searcher.reader().all_doc_ids())[1::2])
        for text in ('"flood barrier"', "barrier NOT council", "barr*", "id:added.txt", "river AND council",
                     "*", '"the council" OR engineers'):
            query = parse_query(snapshot, text)
            assert best_scored(snapshot, query, None, 10), text
            for allow in (None, allowed):
                assert_same_ranking(best_scored(snapshot, query, allow, 10), whoosh_best(snapshot, query, allow, 10))
            # (Whoosh would read an empty filter as no filter at all.)
            assert best_scored(snapshot, query, allowed[:0], 10) == []


def test_remembered_postings_stay_within_their_bound(changed_index: Path, monkeypatch):
    monkeypatch.setattr(snapshot_module, "MAX_CACHED_POSTINGS", 6)
    with open_snapshot(changed_index) as snapshot:
        words = sorted({t.decode() for t in snapshot.searcher.lexicon("body")})
        for text in words[::5]:
            query = parse_query(snapshot, text)
            if query is NullQuery:  # a stop word alone
                continue
            assert_same_ranking(best_scored(snapshot, query, None, 5), whoosh_best(snapshot, query, None, 5))
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
        built = 0
        for text in texts:
            for typed in (text, text.title(), text.upper()):
                plain = parse_plain_words(snapshot, typed)
                if plain is not None:
                    built += 1
                    assert plain == parse_with_whoosh(snapshot, typed), typed
        assert built > 600
        assert parse_plain_words(snapshot, "barrier AND council") is None  # operators go to Whoosh's parser
