"""The positions-free postings copy beside each segment holds exactly what Whoosh's postings hold."""

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh.formats import Positions
from whoosh.query import Phrase

from search.analysis import read_signature
from search.indexing.index import build_index
from search.indexing.postings import (
    EXTENSION,
    POSITIONS_HEAD,
    PostingsCopy,
    PostingsCopyWriter,
    decode_positions,
    open_copy,
)
from search.indexing.schema import SKETCH_FIELD
from search.querying.similar import near_duplicates
from search.querying.snapshot import open_snapshot


def whoosh_postings(leaf, fieldname: str, term: bytes) -> tuple[list[int], list[float]]:
    """A term's postings in one segment, walked through Whoosh's public matcher interface."""
    docs, weights = [], []
    matcher = leaf.postings(fieldname, term)
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return docs, weights


def test_every_segment_has_a_copy_equal_to_its_postings(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        leaves = snapshot.searcher.reader().leaf_readers()
        assert leaves
        checked = 0
        for leaf, _ in leaves:
            copy = open_copy(leaf)
            assert copy is not None
            for fieldname in ("title", "body"):
                terms = list(leaf.lexicon(fieldname))
                assert terms
                for term in terms:
                    docs, weights = copy.postings(fieldname, term)
                    # The copy holds deleted documents' postings too, as the segment does; Whoosh's
                    # matcher leaves them out.
                    live = [not leaf.is_deleted(d) for d in docs.tolist()]
                    expected_docs, expected_weights = whoosh_postings(leaf, fieldname, term)
                    assert docs[live].tolist() == expected_docs, term
                    assert weights[live].tolist() == expected_weights, term
                    checked += 1
                lengths = [leaf.doc_field_length(d, fieldname, 0) for d in range(leaf.doc_count_all())]
                assert copy.lengths(fieldname).tolist() == lengths
            assert copy.postings("body", b"no-such-word-anywhere")[0].tolist() == []
        assert checked > 200
        assert any(leaf.has_deletions() for leaf, _ in leaves)


def test_searches_read_the_same_without_the_copies(changed_index: Path, tmp_path: Path):
    bare = tmp_path / "bare"
    shutil.copytree(changed_index, bare)
    copies = list(bare.glob(f"*.{EXTENSION}"))
    assert copies
    for path in copies:
        path.unlink()
    with open_snapshot(changed_index) as with_copies, open_snapshot(bare) as without:
        assert all(copy is None for copy, _ in without.segment_copies())
        words = [t.decode() for t in with_copies.searcher.lexicon("body")][::5]
        for word in words:
            ours = with_copies.term_postings("body", word)
            theirs = without.term_postings("body", word)
            assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1]), word
        assert np.array_equal(with_copies.field_lengths("body"), without.field_lengths("body"))


def test_a_reindex_leaves_one_copy_per_segment(tmp_path: Path, corpus_dir: Path):
    index = tmp_path / "index"
    build_index(corpus_dir, index)
    (corpus_dir / "late.txt").write_text("Late news\n\nThe harbour board met on Tuesday about the dredging plan.\n",
                                         encoding="utf-8")
    build_index(corpus_dir, index)
    build_index(corpus_dir, index, full=True)
    with open_snapshot(index) as snapshot:
        segments = {leaf.segment().segment_id() for leaf, _ in snapshot.searcher.reader().leaf_readers()}
        assert all(copy is not None for copy, _ in snapshot.segment_copies())
    assert {path.name.split(".")[0] for path in index.glob(f"*.{EXTENSION}")} == segments


def test_phrases_match_from_copied_positions_as_whoosh_matches_them(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        texts = [fields.get("body", "") for fields in snapshot.searcher.all_stored_fields()]
        analyzer = snapshot.searcher.schema["body"].analyzer
        phrases = set()
        for text in texts:
            words = [token.text for token in analyzer(text)]
            phrases.update(tuple(words[i:i + n]) for n in (2, 3, 4) for i in range(0, len(words) - n, 7))
        phrases.update(tuple(reversed(p)) for p in list(phrases)[:30])
        phrases.update((w, w) for p in list(phrases)[:30] for w in p[:1])  # a word twice in a row
        matched = 0
        for words in sorted(phrases):
            query = Phrase("body", list(words))
            ours = snapshot.phrase_docs("body", [w.encode() for w in words])
            assert ours is not None
            theirs = sorted(hit.docnum for hit in snapshot.searcher.search(query, limit=None))
            assert ours.tolist() == theirs, words
            matched += bool(theirs)
        assert matched > 50


def test_positions_decode_in_one_unpickle_as_whoosh_encodes_them():
    # One position, a thousand and more (pickle appends in batches of a thousand), deltas of every size.
    lists = [[0], list(range(0, 7500, 3)), [5], sorted(random.Random(3).sample(range(10**6), 1500)), [2, 9],
             list(range(1001)), [70000, 70001]]
    positions_format = Positions()
    items = []
    for positions in lists:
        value = positions_format.encode(positions)
        assert value[4:9] == POSITIONS_HEAD
        items.append(value[10:-2] if value[9:10] == b"(" else value[9:-2])
    counts, flat = decode_positions(items)
    assert counts.tolist() == [len(positions) for positions in lists]
    assert flat.tolist() == [p for positions in lists for p in positions]


def test_weights_other_than_the_counts_are_kept(tmp_path: Path):
    positions_format = Positions()
    postings = [("body", b"barrier", 0, 1.0, positions_format.encode([4])),
                ("body", b"barrier", 3, 5.0, positions_format.encode([1, 9])),  # boosted: weight is not the count
                ("body", b"river", 3, 1.0, positions_format.encode([70000]))]
    writer = PostingsCopyWriter(frozenset({"body"}), frozenset({"body"}))
    assert list(writer.tee(iter(postings))) == postings
    path = tmp_path / "copy.postings"
    writer.write(path, {"body": [1, 0, 0, 12]}, 4)
    copy = PostingsCopy(path)
    docs, weights = copy.postings("body", b"barrier")
    assert docs.tolist() == [0, 3] and weights.tolist() == [1.0, 5.0]
    assert copy.positions("body", b"river", np.array([3])).tolist() == [(3 << 32) | 70000]
    assert copy.lengths("body").tolist() == [1, 0, 0, 12]


def test_a_file_of_another_layout_is_not_read(tmp_path: Path):
    path = tmp_path / "old.postings"
    path.write_bytes(b"SSPOST01" + bytes(64))
    with pytest.raises(ValueError):
        PostingsCopy(path)


def test_each_copy_holds_its_segments_sketches_as_whoosh_does(changed_index: Path):
    with open_snapshot(changed_index) as snapshot:
        column = snapshot.column_values(SKETCH_FIELD, raw=True)
        sketched = 0
        for (leaf, offset), (copy, _) in zip(snapshot.searcher.reader().leaf_readers(), snapshot.segment_copies(),
                                             strict=True):
            assert copy.sketches is not None
            for doc in range(leaf.doc_count_all()):
                assert copy.sketches.sketch(doc).tolist() == sorted(read_signature(column[offset + doc]))
                sketched += bool(len(copy.sketches.sketch(doc)))
            terms = list(leaf.lexicon(SKETCH_FIELD))
            held = copy.sketches.holders(np.array([int(t, 16) for t in terms], dtype=np.uint32))
            for term, docs in zip(terms, held, strict=True):
                live = [not leaf.is_deleted(d) for d in docs.tolist()]
                assert docs[live].tolist() == whoosh_postings(leaf, SKETCH_FIELD, term)[0]
            assert copy.sketches.holders(np.array([0], dtype=np.uint32))[0].tolist() == []
        assert sketched > 5


def test_near_duplicates_read_the_same_without_the_copies(changed_index: Path, tmp_path: Path):
    bare = tmp_path / "bare"
    shutil.copytree(changed_index, bare)
    for path in bare.glob(f"*.{EXTENSION}"):
        path.unlink()
    with open_snapshot(changed_index) as with_copies, open_snapshot(bare) as without:
        found = {d: near_duplicates(with_copies, d) for d in with_copies.live_docs().tolist()}
        assert any(found.values())  # the syndicated story's copies find each other
        assert found == {d: near_duplicates(without, d) for d in without.live_docs().tolist()}
        assert all(with_copies.sketch(d) == without.sketch(d) for d in found)


def test_columns_read_whole_hold_what_whoosh_reads_value_by_value(changed_index: Path):
    # Several segments and deleted documents: each column read in one read per segment holds the
    # values Whoosh's own column reader gives, in document order, stored form and translated.
    with open_snapshot(changed_index) as snapshot:
        reader = snapshot.searcher.reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
        columns = [name for name, field in snapshot.schema.items() if field.column_type]
        assert {"date", "year", "lang", "sitekey"} <= set(columns)
        for name in columns:
            # (An undated page's filler in the date column is no date: that column is read raw only.)
            for raw in (True,) if name == "date" else (True, False):
                expected = list(reader.column_reader(name, translate=not raw))
                assert snapshot.column_values(name, raw=raw) == expected, (name, raw)
