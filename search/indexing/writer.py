"""The Whoosh writer a reindex writes with: Whoosh's own segment writer, with its slow spots mended.

Kept to what the whoosh3 fork (whoosh-reloaded) shares with Whoosh 2.7: SegmentWriter's
per_document_reader(), temp_storage() and pool, PostingPool's _write_run/_read_run (the hooks
Whoosh's own multi-process writer uses), and the W3 codec's settings and postings writer (its
compression left at Whoosh's default; its inlining of short posting lists, which Whoosh's reader
reads, made to work).
"""

from __future__ import annotations

from pathlib import Path

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.fields import Schema
from whoosh.index import TOC, Index, clean_files
from whoosh.writing import SegmentWriter

from .manifest import RecordingStorage
from .pool import BatchedPostingPool
from .postings import PostingsCopyWriter, copy_path
from .schema import SKETCH_FIELD, in_languages

# Postings blocks stay zlib-compressed (Whoosh's default). Measured uncompressed: a fifth less commit
# CPU (~7% of a full reindex) but an index 30-40% larger, more for the page cache to hold at 200,000 pages.
POSTINGS_COMPRESSION = 3
# Posting lists this short are kept in their term's entry in the terms table, not in a block of their own.
INLINE_POSTINGS = 1


class InliningPostingsWriter(W3PostingsWriter):
    """W3's postings writer, keeping a term's lone posting in the term's entry instead of a block of its own.

    Most terms a reindex writes are held by one document (ids, text hashes, sketch hashes, rare
    words: three in four at 20,000 pages), and a block costs a pickle, a zlib call and a header
    each: a third of a commit's time. Whoosh's codec has the setting (inlinelimit) and its
    reader reads inlined postings (W3Codec.postings_reader), but its writer calls the term info
    by a name it does not have (set_inline for set_inlined), so the setting was never usable.
    """

    def finish_postings(self):
        if self._byteids or self.written() or len(self) > INLINE_POSTINGS:  # term vectors need a block
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # A format without values (ids, hashes) reads None for each, as from a block.
        terminfo.set_inlined(self._ids, self._weights, self._values or (None,) * len(self._ids))
        self._terminfo = None  # between terms, as W3's writer leaves it
        return terminfo


class CountingFile:
    """A file being written, counting its own position: tell() without a system call.

    A buffered file's tell() asks the operating system (lseek) every time, and W3's terms and
    postings writers ask two or three times a term: a sixth of a commit's time.
    """

    def __init__(self, raw):
        self._raw = raw
        self._position = raw.tell()

    def write(self, data) -> int:
        written = self._raw.write(data)
        self._position += written
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, *args) -> int:
        self._position = self._raw.seek(*args)
        return self._position

    def __getattr__(self, name: str):
        return getattr(self._raw, name)


class CountingStorage:
    """The index's storage, handing out new files that count their own position (CountingFile)."""

    def __init__(self, storage):
        self._storage = storage

    def create_file(self, name: str, **kwargs):
        """A new file in the storage, as the storage makes it (a StructFile), writing through a CountingFile."""
        f = self._storage.create_file(name, **kwargs)
        f.file = CountingFile(f.file)
        return f

    def __getattr__(self, name: str):
        return getattr(self._storage, name)


class ReindexCodec(W3Codec):
    """The W3 codec (the index stays a plain W3 index), writing postings with InliningPostingsWriter,
    to files that count their own position."""

    def __init__(self):
        # inlinelimit above INLINE_POSTINGS, so W3's own check never takes the broken path.
        super().__init__(compression=POSTINGS_COMPRESSION, inlinelimit=INLINE_POSTINGS + 1)

    def field_writer(self, storage, segment):
        return super().field_writer(CountingStorage(storage), segment)

    def postings_writer(self, dbfile, byteids=False):
        return InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                      compression=self._compression, inlinelimit=self._inlinelimit)


class FieldLengths:
    """A new segment's field lengths, as the writer reads them for every posting it writes.

    Whoosh's reader looks for a field's length column on disk each time it is asked for a field
    that has none (every field that is not scored: ids, dates, the spelling and sketch terms):
    a file-system call per posting, a quarter of a commit's time. Those fields never have
    lengths (Whoosh records lengths of scored fields only), so they are answered here; a scored
    field's lengths are read once, a document at a time, instead of once per posting.
    """

    def __init__(self, reader, schema: Schema):
        self._reader = reader
        self._unscored = frozenset(name for name, field_type in schema.items() if not field_type.scorable)
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """The length of a document's field; the default for unscored fields, without a look on disk."""
        if fieldname in self._unscored:
            return default
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = [read(n, fieldname, default)
                                                  for n in range(self._reader.doc_count_all())]
        return lengths[docnum]

    def read_lengths(self) -> dict[str, list[int]]:
        """The scored fields' lengths read so far, for every document of the segment."""
        return dict(self._lengths)

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


class ReindexWriter(SegmentWriter):
    """Whoosh's segment writer, with a quicker posting pool, reading field lengths without a disk look per posting,
    writing every sortable field's column in every segment, and a positions-free copy of the
    scored fields' postings beside the segment (search/postings.py)."""

    def __init__(self, ix: Index, limitmb: int, **kwargs):
        super().__init__(ix, limitmb=limitmb, codec=ReindexCodec(), **kwargs)
        spelling = frozenset(field.spelling_fieldname(name) for name, field in self.schema.items()
                             if field.separate_spelling())
        scored = frozenset(name for name, field in self.schema.items() if field.scorable)
        positional = frozenset(name for name in scored if self.schema[name].format.supports("positions"))
        folder = getattr(self.storage, "folder", None)  # an index in memory has no folder
        self.pool = BatchedPostingPool(self.temp_storage(), self.newsegment, limitmb, spelling,
                                       PostingsCopyWriter(scored, positional, folder, sketch_field=SKETCH_FIELD))
        self._field_lengths: FieldLengths | None = None
        self._columns = {name: field.column_type for name, field in self.schema.items() if field.column_type}
        self._columns_begun = False

    def add_document(self, **fields) -> None:
        super().add_document(**in_languages(fields))  # title and body analysed in the document's language
        # Whoosh's multi-segment reader leaves a segment without a field's column out of that column,
        # and reads the next segments' values at the wrong documents (a segment of undated pages only,
        # from an incremental reindex, shifted every later date, year and sketch). So the segment's
        # first document begins every column it has no value for with the column's default, the
        # value any later document without one gets anyway.
        if not self._columns_begun:
            self._columns_begun = True
            for name, column in self._columns.items():
                if fields.get(name) is None:
                    self.perdocwriter.add_column_value(name, column, column.default_value())

    def per_document_reader(self):
        # Kept: the lengths it reads while the segment's postings are written go into the postings copy.
        self._field_lengths = FieldLengths(super().per_document_reader(), self.schema)
        return self._field_lengths

    def cancel(self):
        try:
            super().cancel()
        finally:
            self.pool.copy.close()  # its unnamed temporary files hold disk space until closed

    def _commit_toc(self, segments):
        # Whoosh's own two steps, with the TOC written through a storage that records the generation's files.
        if getattr(self.storage, "folder", None) is None:
            return super()._commit_toc(segments)
        toc = TOC(self.schema, segments, self.generation)
        toc.write(RecordingStorage(self.storage, self.generation, {s.segment_id() for s in segments}),
                  self.indexname)
        clean_files(self.storage, self.indexname, self.generation, segments)

    def _assemble_segment(self):
        super()._assemble_segment()
        # After the compound file is assembled: a file with the segment's name would be packed into it.
        lengths = self._field_lengths.read_lengths() if self._field_lengths else {}
        count = self.get_segment().doc_count_all()
        for name in self.pool.copy.fieldnames:
            lengths.setdefault(name, [0] * count)  # no document has the field: every length is 0
        folder = getattr(self.storage, "folder", None)  # an index in memory has no files to copy beside
        if folder is not None:
            self.pool.copy.write(copy_path(Path(folder), self.newsegment), lengths, count)
