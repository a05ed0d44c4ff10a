"""Reindexing: the report, atomic switch-over for concurrent readers, and the write lock."""

import json
import threading
from pathlib import Path

import pytest

from search.cleaning.templates import TEMPLATES_FILE, learn_templates, load_templates
from search.errors import IndexBusyError, IndexMissingError
from search.indexing import units
from search.indexing.index import build_index
from search.indexing.schema import RECORD_FIELDS
from search.indexing.store import META_FILE, open_index, read_report
from search.indexing.units import read_listing, read_stamps
from search.indexing.workers import PARALLEL_MIN_PAGES
from search.querying.live import LiveSearcher
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot
from search.reading.corpus import read_corpus
from search.records import Page
from tests.pages import NO_HEADLINE_TEXT


def test_report_counts_indexed_and_names_skipped(corpus_dir: Path, tmp_path: Path):
    report = build_index(corpus_dir, tmp_path / "ix")
    assert report.indexed == 6
    assert sorted(Path(s["path"]).name for s in report.skipped) == ["empty.txt", "image.html"]
    assert read_report(tmp_path / "ix")["indexed"] == 6


def test_reindex_replaces_contents_without_duplicates(corpus_dir: Path, index_dir: Path):
    (corpus_dir / "gazette" / "chess.txt").unlink()
    build_index(corpus_dir, index_dir)
    build_index(corpus_dir, index_dir)
    with open_snapshot(index_dir) as snapshot:
        ids = [fields["id"] for fields in snapshot.searcher.all_stored_fields()]
    assert len(ids) == len(set(ids)) == 5
    assert "gazette/chess.txt" not in ids


def test_concurrent_reader_never_sees_an_empty_or_partial_index(corpus_dir: Path, index_dir: Path):
    # Grow the corpus so the reindex takes a while and the document count changes.
    for i in range(60):
        (corpus_dir / "extra" / f"p{i}.txt").parent.mkdir(exist_ok=True)
        (corpus_dir / "extra" / f"p{i}.txt").write_text(NO_HEADLINE_TEXT.replace("Northwick", f"Town{i}"))
    before, after = 6, 66
    live = LiveSearcher(index_dir)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                snapshot = live.get()
                found = search_index(snapshot, "bridge repairs")
                # Every generation holds the bridge page exactly once, and whole counts only.
                assert [h.id for h in found.hits].count("riverside/bridge.html") == 1
                seen.append(snapshot.searcher.doc_count())
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            build_index(corpus_dir, index_dir)
    finally:
        stop.set()
        reader.join()
    assert not errors, errors
    assert seen, "the reader never ran"
    assert set(seen) <= {before, after}, set(seen)
    assert live.get().doc_count() == after


def test_second_writer_is_told_a_reindex_is_running(corpus_dir: Path, index_dir: Path):
    writer = open_index(index_dir).writer()
    try:
        with pytest.raises(IndexBusyError, match="another reindex"):
            build_index(corpus_dir, index_dir, lock_timeout=0.2)
    finally:
        writer.cancel()
    assert build_index(corpus_dir, index_dir).indexed == 6


def test_missing_index_says_how_to_build_it(tmp_path: Path):
    with pytest.raises(IndexMissingError, match="search reindex"):
        open_snapshot(tmp_path / "none")


def stored_docs(index_dir: Path) -> dict[str, dict]:
    """Each document's stored fields by id, less the record of what was removed: a page cleaned again to
    the same text keeps that record as of its last writing (schema.RECORD_FIELDS)."""
    with open_snapshot(index_dir) as snapshot:
        return {fields["id"]: {k: v for k, v in fields.items() if k not in RECORD_FIELDS}
                for fields in snapshot.searcher.all_stored_fields()}


def test_incremental_reindex_adds_updates_deletes_and_keeps_the_rest(corpus_dir: Path, index_dir: Path):
    before = stored_docs(index_dir)
    (corpus_dir / "gazette" / "chess.txt").unlink()
    harbour = corpus_dir / "gazette" / "harbour.txt"
    harbour.write_text(harbour.read_text().replace("dredge the northern channel", "dredge the southern channel"))
    (corpus_dir / "northwick" / "library2.txt").write_text(NO_HEADLINE_TEXT.replace("Northwick", "Southwick"))
    report = build_index(corpus_dir, index_dir)
    assert report.mode == "incremental"
    # (A page kept may be cleaned again when the edit changed its site's templates: see below.)
    assert (report.added, report.updated, report.deleted, report.unchanged + report.recleaned) == (1, 1, 1, 4)
    after = stored_docs(index_dir)
    assert set(after) == set(before) - {"gazette/chess.txt"} | {"northwick/library2.txt"}
    assert "southern channel" in after["gazette/harbour.txt"]["body"]
    assert "Southwick" in after["northwick/library2.txt"]["body"]
    # The pages that did not change are the documents they were, but where the change taught their
    # site other templates (library2 shares a sentence with library): then they are cleaned again, as
    # a full reindex of the corpus cleans them.
    assert 1 <= report.recleaned < 4
    for pid in set(after) - {"gazette/harbour.txt", "northwick/library2.txt", "northwick/library.txt"}:
        assert after[pid] == before[pid]
    build_index(corpus_dir, index_dir.with_name("reference"), full=True)
    assert after == stored_docs(index_dir.with_name("reference"))
    with open_snapshot(index_dir) as snapshot:
        assert [h.id for h in search_index(snapshot, "southern channel").hits][:1] == ["gazette/harbour.txt"]
        assert search_index(snapshot, "chess").total == 0


BUGLE_LINE = "Find the crossword and the letters page inside every Friday"
BUGLE_ARTICLES = (
    "The county council agreed on Tuesday to rebuild the footbridge over the river before the winter floods.\n"
    "Engineers said the old span had rusted through in several places and was no longer safe for walkers.",
    "A bakery on the high street has won a regional prize for its rye loaf, the third award in five years.\n"
    "The owner said the recipe came from her grandmother and had not changed since the shop first opened.",
)


BUGLE_THIRD_ARTICLE = (
    "The library will stay open late on Thursdays from next month, the trustees announced on Monday.\n"
    "Staff said the longer hours would suit students revising for exams and people working shifts.")


def test_incremental_reindex_cleans_kept_pages_as_a_full_reindex_would(tmp_path: Path):
    # A line on both of a site's pages is its template. Once an edit takes it off one of them,
    # a full reindex learns it is not, and keeps it in the page still holding it: so must an
    # incremental reindex, though that page did not change.
    corpus = tmp_path / "corpus"
    (corpus / "bugle").mkdir(parents=True)
    pages = [corpus / "bugle" / f"{name}.txt" for name in ("a", "b")]
    for page, article in zip(pages, BUGLE_ARTICLES, strict=True):
        page.write_text(f"{article}\n{BUGLE_LINE}\n")
    build_index(corpus, tmp_path / "ix")
    assert BUGLE_LINE not in stored_docs(tmp_path / "ix")["bugle/a.txt"]["body"]
    pages[1].write_text(BUGLE_ARTICLES[1] + "\n")  # the line taken off b
    report = build_index(corpus, tmp_path / "ix")
    assert report.mode == "incremental" and report.recleaned == 1
    build_index(corpus, tmp_path / "reference", full=True)
    assert stored_docs(tmp_path / "ix") == stored_docs(tmp_path / "reference")
    assert BUGLE_LINE in stored_docs(tmp_path / "ix")["bugle/a.txt"]["body"]


def test_kept_pages_cleaned_again_to_the_same_documents_stay_as_they_are(tmp_path: Path):
    # A fifth page without the line three of four pages hold lowers its share from 3/4 to 3/5: the
    # three pages holding it are cleaned again, to the documents they were.
    corpus = tmp_path / "corpus"
    (corpus / "bugle").mkdir(parents=True)
    for name, article in zip(("a", "b", "e"), (*BUGLE_ARTICLES, BUGLE_THIRD_ARTICLE), strict=True):
        (corpus / "bugle" / f"{name}.txt").write_text(f"{article}\n{BUGLE_LINE}\n")
    (corpus / "bugle" / "c.txt").write_text(NO_HEADLINE_TEXT)
    build_index(corpus, tmp_path / "ix")
    before = stored_docs(tmp_path / "ix")
    assert all(BUGLE_LINE not in before[f"bugle/{name}.txt"]["body"] for name in "abe")
    (corpus / "bugle" / "d.txt").write_text(
        "Volunteers planted four hundred oak saplings along the old railway line over the weekend.\n"
        "The trust that manages the path hopes the trees will shade cyclists within twenty years.\n")
    report = build_index(corpus, tmp_path / "ix")
    assert (report.added, report.updated, report.deleted, report.recleaned) == (1, 0, 0, 3)
    after = stored_docs(tmp_path / "ix")
    assert {pid: after[pid] for pid in before} == before
    build_index(corpus, tmp_path / "reference", full=True)
    assert after == stored_docs(tmp_path / "reference")


def test_nothing_changed_makes_no_new_generation_and_still_names_skipped_pages(corpus_dir: Path, index_dir: Path):
    generation = open_index(index_dir).latest_generation()
    report = build_index(corpus_dir, index_dir)
    assert (report.mode, report.unchanged, report.added, report.updated, report.deleted) == ("incremental", 6, 0, 0, 0)
    assert report.indexed == 6
    assert sorted(Path(s["path"]).name for s in report.skipped) == ["empty.txt", "image.html"]
    assert open_index(index_dir).latest_generation() == generation


def test_full_reindex_cleans_every_page_again(corpus_dir: Path, index_dir: Path):
    report = build_index(corpus_dir, index_dir, full=True)
    assert report.mode == "full" and report.added == 6 and report.unchanged == 0
    assert read_report(index_dir)["reason"] == "--full"


def test_a_page_that_breaks_is_dropped_and_named(corpus_dir: Path, index_dir: Path):
    (corpus_dir / "museum" / "sign.txt").write_bytes(b"\x00\x01binary now")
    report = build_index(corpus_dir, index_dir)
    assert report.deleted == 1 and report.indexed == 5
    assert "museum/sign.txt" not in stored_docs(index_dir)
    assert any(s["path"].endswith("sign.txt") and "binary" in s["reason"] for s in report.skipped)


def test_parallel_and_serial_builds_hold_the_same_documents(corpus_dir: Path, tmp_path: Path):
    # Enough pages that the reindex cleans them in a pool of worker processes.
    for i in range(PARALLEL_MIN_PAGES + 10):
        (corpus_dir / "extra" / f"p{i}.txt").parent.mkdir(exist_ok=True)
        (corpus_dir / "extra" / f"p{i}.txt").write_text(NO_HEADLINE_TEXT.replace("Northwick", f"Town{i}"))
    serial = build_index(corpus_dir, tmp_path / "serial", workers=1)
    parallel = build_index(corpus_dir, tmp_path / "parallel", workers=2)
    assert serial.indexed == parallel.indexed == 6 + PARALLEL_MIN_PAGES + 10
    assert stored_docs(tmp_path / "serial") == stored_docs(tmp_path / "parallel")
    assert [s["path"] for s in serial.skipped] == [s["path"] for s in parallel.skipped]


def test_site_templates_are_saved_with_the_index_and_kept_on_incremental(corpus_dir: Path, index_dir: Path):
    saved = index_dir / TEMPLATES_FILE
    assert saved.exists()
    saved.write_text('{"lines": {"gazette": ["Marwick Gazette"]}}')
    build_index(corpus_dir, index_dir)  # nothing changed: the templates learned before are kept
    assert load_templates(index_dir).lines_for("gazette") == frozenset({"Marwick Gazette"})
    build_index(corpus_dir, index_dir, full=True)  # a full reindex learns them anew from the pages
    pages = [p for p in read_corpus(corpus_dir) if isinstance(p, Page)]
    assert load_templates(index_dir).to_json() == learn_templates(pages).to_json()


def test_a_changed_cleaner_makes_the_next_reindex_full(corpus_dir: Path, index_dir: Path):
    meta = index_dir / META_FILE
    meta.write_text(meta.read_text().replace('"pipeline": "', '"pipeline": "old-'))
    report = build_index(corpus_dir, index_dir)
    assert report.mode == "full" and report.added == 6 and "code changed" in report.reason
    assert build_index(corpus_dir, index_dir).mode == "incremental"


def test_progress_reports_every_page_cleaned(corpus_dir: Path, tmp_path: Path):
    calls: list[tuple[int, int]] = []
    build_index(corpus_dir, tmp_path / "ix", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] == 8  # six articles and the two broken pages
    assert [done for done, _ in calls] == list(range(1, 9))


def test_live_searcher_is_one_per_thread_and_reopened_only_on_a_new_generation(corpus_dir: Path, index_dir: Path):
    live = LiveSearcher(index_dir)
    first = live.get()
    assert live.get() is first  # no new snapshot while nothing was committed
    other: list = []
    thread = threading.Thread(target=lambda: other.append(live.get()))
    thread.start()
    thread.join()
    assert other[0] is not first  # Whoosh searchers are not safe to share between threads
    build_index(corpus_dir, index_dir)  # nothing changed: no new generation
    assert live.get() is first
    (corpus_dir / "gazette" / "chess.txt").unlink()
    build_index(corpus_dir, index_dir)
    assert live.get() is not first and live.get().doc_count() == 5


def test_repeated_searches_are_remembered_per_generation_and_never_stale(corpus_dir: Path, index_dir: Path):
    live = LiveSearcher(index_dir)
    first = live.search("chess")
    again = live.search("chess")
    assert live.cache_hits == 1 and live.cache_misses == 1
    assert [h.id for h in again.hits] == [h.id for h in first.hits]
    assert "gazette/chess.txt" in [h.id for h in first.hits]
    live.search("chess", page=2)  # another page is another answer
    assert live.cache_misses == 2
    (corpus_dir / "gazette" / "chess.txt").unlink()
    build_index(corpus_dir, index_dir)
    after = live.search("chess")  # a new generation: searched afresh, the deleted page gone
    assert live.cache_misses == 3 and "gazette/chess.txt" not in [h.id for h in after.hits]


def test_worker_processes_share_result_pages_through_the_results_file(corpus_dir: Path, index_dir: Path,
                                                                        tmp_path: Path):
    from search.querying.resultcache import SharedResults

    first = LiveSearcher(index_dir, shared=SharedResults(tmp_path / "results.sqlite"))
    second = LiveSearcher(index_dir, shared=SharedResults(tmp_path / "results.sqlite"))  # another worker
    asked = first.search("chess")
    answered = second.search("chess")
    assert second.cache_misses == 0 and [h.id for h in answered.hits] == [h.id for h in asked.hits]
    (corpus_dir / "gazette" / "chess.txt").unlink()
    build_index(corpus_dir, index_dir)
    assert "gazette/chess.txt" not in [h.id for h in second.search("chess").hits]  # never a stale page
    assert second.cache_misses == 1
    (tmp_path / "results.sqlite").unlink()
    (tmp_path / "results.sqlite").write_bytes(b"not a database")  # a broken file is only a miss
    assert LiveSearcher(index_dir, shared=SharedResults(tmp_path / "results.sqlite")).search("chess").total >= 0


def test_scored_fields_length_statistics_are_the_documents_lengths(index_dir: Path):
    # The writer answers unscored fields' lengths itself: scored fields' length statistics must
    # still be what the documents' lengths say.
    with open_index(index_dir).reader() as reader:
        checked = 0
        for fieldname in ("title", "body"):
            for term in list(reader.lexicon(fieldname))[:200]:
                info = reader.term_info(fieldname, term)
                lengths = [reader.doc_field_length(n, fieldname) for n in reader.postings(fieldname, term).all_ids()]
                assert (info.min_length(), info.max_length()) == (min(lengths), max(lengths))
                checked += 1
        assert checked > 100


def test_posting_pool_spills_and_merges_runs_in_order(tmp_path: Path):
    # The writer's pool writes sorted runs to disk in batches when full; merged back, every posting
    # comes out once, in the order sorted() gives, as from Whoosh's own pool.
    import random

    from whoosh.filedb.filestore import FileStorage

    from search.indexing.pool import BatchedPostingPool

    storage = FileStorage(str(tmp_path)).create()
    pool = BatchedPostingPool(storage, None, limitmb=1)  # ~1 MB of postings: several runs on disk
    rng = random.Random(5)
    # Added as a writer adds them: document after document, each document's terms in no order.
    postings = [(rng.choice(["body", "title"]), f"w{rng.randrange(5000)}".encode(), docnum, 1.0, b"")
                for docnum in sorted(rng.sample(range(10**6), 20_000)) for _ in range(rng.randrange(1, 3))]
    postings = list({p[:3]: p for p in postings}.values())  # a document holds a term once a field
    for posting in postings:
        pool.add(posting)
    assert len(pool.runs) >= 2
    assert list(pool.items()) == sorted(postings)


def test_lone_postings_are_read_searched_and_merged(corpus_dir: Path, index_dir: Path):
    # Terms held by one document keep their posting in the terms table: ids, hashes and rare words
    # must still be found, by phrase too, after an incremental reindex and after Whoosh's own merge.
    extra = corpus_dir / "extra" / "quarry.txt"
    extra.parent.mkdir()
    extra.write_text(NO_HEADLINE_TEXT.replace("Northwick", "Zanzibarite Quarry"))

    def check() -> None:
        with open_snapshot(index_dir) as snapshot:
            ids = [fields["id"] for fields in snapshot.searcher.all_stored_fields()]
            assert "extra/quarry.txt" in ids
            for doc_id in ids:
                assert snapshot.searcher.document(id=doc_id)["id"] == doc_id
            assert [h.id for h in search_index(snapshot, '"zanzibarite quarry"').hits] == ["extra/quarry.txt"]

    build_index(corpus_dir, index_dir)
    check()
    open_index(index_dir).optimize()  # Whoosh's stock writer reads every posting back and rewrites them
    check()


def test_a_segment_of_undated_pages_keeps_every_documents_date_and_year(corpus_dir: Path, index_dir: Path):
    # An incremental reindex adding only undated pages writes a segment with no date of its own;
    # Whoosh's multi-segment column reader must still give every document its own date and year.
    (corpus_dir / "extra").mkdir()
    (corpus_dir / "extra" / "undated.txt").write_text(NO_HEADLINE_TEXT)
    (corpus_dir / "zzz").mkdir()
    (corpus_dir / "zzz" / "undated-too.txt").write_text(NO_HEADLINE_TEXT.replace("Northwick", "Southwick"))
    build_index(corpus_dir, index_dir)
    with open_snapshot(index_dir) as snapshot:
        reader = snapshot.searcher.reader()
        assert len(reader.leaf_readers()) > 1
        stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
        years, dates = list(reader.column_reader("year")), list(reader.column_reader("date", translate=False))
        assert years == [fields.get("year", "") for fields in stored]
        assert len(dates) == len(stored)
        assert any(fields.get("date") for fields in stored) and not all(fields.get("date") for fields in stored)


def test_spelling_words_weigh_the_documents_holding_them(corpus_dir: Path, tmp_path: Path):
    # The writer counts a spelling word's documents into one posting's weight instead of pooling a
    # posting per document: the word's frequency is still the number of documents holding it.
    build_index(corpus_dir, tmp_path / "ix")
    with open_snapshot(tmp_path / "ix") as snapshot:
        reader = snapshot.searcher.reader()
        spell = snapshot.searcher.schema["body"].spelling_fieldname("body")
        analyzer = snapshot.searcher.schema["body"].analyzer
        stored = snapshot.searcher.all_stored_fields()
        words = [{t.text for t in analyzer(fields["body"], no_morph=True)} for fields in stored]
        counted = 0
        for word in {w for ws in words for w in ws}:
            holding = sum(word in ws for ws in words)
            assert reader.frequency(spell, word) == holding, word
            counted += holding > 1
        assert counted > 10  # words held by several documents were counted


def test_exact_duplicate_stays_skipped_until_its_original_changes(corpus_dir: Path, index_dir: Path):
    # An unchanged duplicate is named again on every reindex (not cleaned again); once its original
    # is edited or deleted, its text must be findable again, so it is cleaned and indexed.
    original = corpus_dir / "gazette" / "chess.txt"
    (corpus_dir / "mirror").mkdir()
    copy = corpus_dir / "mirror" / "chess-copy.txt"
    copy.write_text(original.read_text())

    def skipped_copy(report) -> list[str]:
        return [s["reason"] for s in report.skipped if s["path"] == str(copy)]

    def indexed() -> set[str]:
        with open_snapshot(index_dir) as snapshot:
            return {fields["id"] for fields in snapshot.searcher.all_stored_fields()}

    first = build_index(corpus_dir, index_dir)
    assert skipped_copy(first) == ["exact duplicate of gazette/chess.txt after cleaning"]
    for _ in range(2):  # unchanged: named again, run after run
        again = build_index(corpus_dir, index_dir)
        assert again.mode == "incremental" and again.added == again.updated == 0
        assert skipped_copy(again) == skipped_copy(first)
    original.write_text(original.read_text().replace("chess", "draughts"))
    edited = build_index(corpus_dir, index_dir)
    assert not skipped_copy(edited) and {"gazette/chess.txt", "mirror/chess-copy.txt"} <= indexed()
    copy.unlink()
    (corpus_dir / "mirror" / "again.txt").write_text(original.read_text())
    build_index(corpus_dir, index_dir)
    original.unlink()
    build_index(corpus_dir, index_dir)
    assert "mirror/again.txt" in indexed()


def test_a_listing_keeps_stamps_only_of_files_settled_before_it(corpus_dir: Path):
    # Just written: a write in the same timestamp tick could follow unseen, so none is kept.
    assert read_listing(corpus_dir, []).stamps == {}


def test_unchanged_stamps_spare_reading_and_an_edit_of_the_same_size_is_seen(corpus_dir: Path, index_dir: Path,
                                                                             monkeypatch):
    monkeypatch.setattr(units, "SETTLE_NS", 0)  # the files here are milliseconds old
    build_index(corpus_dir, index_dir)
    stamps = read_stamps(index_dir)
    harbour = corpus_dir / "gazette" / "harbour.txt"
    assert stamps["gazette/harbour.txt"][0] == harbour.stat().st_size
    # A stamp is trusted without reading the file: made to lie, the page reads as changed.
    kept = corpus_dir / "gazette" / "chess.txt"
    stamps["gazette/chess.txt"][4] = "0" * 32
    (index_dir / units.STAMPS_FILE).write_text(json.dumps(stamps))
    assert build_index(corpus_dir, index_dir).updated == 1
    assert read_stamps(index_dir)["gazette/chess.txt"][:4] == [kept.stat().st_size, kept.stat().st_mtime_ns,
                                                                kept.stat().st_ctime_ns, kept.stat().st_ino]
    # An edit that keeps the size changes the file's times: the page is read, and its new words found.
    text = harbour.read_text()
    harbour.write_text(text.replace("northern", "southern"))
    assert harbour.stat().st_size == len(text.encode())
    report = build_index(corpus_dir, index_dir)
    assert (report.updated, report.added, report.deleted) == (1, 0, 0)
    with open_snapshot(index_dir) as snapshot:
        assert [h.id for h in search_index(snapshot, "southern channel").hits][:1] == ["gazette/harbour.txt"]


def test_damaged_stamps_cost_a_reading_of_every_file_and_nothing_else(corpus_dir: Path, index_dir: Path,
                                                                      monkeypatch):
    monkeypatch.setattr(units, "SETTLE_NS", 0)
    before = stored_docs(index_dir)
    (index_dir / units.STAMPS_FILE).write_bytes(b"\x00{not json")
    report = build_index(corpus_dir, index_dir)
    assert (report.mode, report.added, report.updated, report.deleted) == ("incremental", 0, 0, 0)
    assert stored_docs(index_dir) == before
    assert read_stamps(index_dir)  # written anew
