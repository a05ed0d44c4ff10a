"""A document's scored fields analysed where it is cleaned, in a worker process, not in the one that writes.

Whoosh's writer analyses each text field as it adds a document (the words with their positions,
then the same text again for the unstemmed spelling words): half of the writing process's time
a page, in the one process every reindex waits for. The workers compute the same postings, and
the writer adds them as Whoosh would have (SegmentWriter.add_document, less the analysis).
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.fields import Schema

from ..records import Document
from .pool import pooled_bytes
from .schema import build_schema, document_fields, in_language

ANALYZED = "_analyzed"  # the key of the postings computed in the worker: Whoosh passes over "_" names


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return build_schema()


def analysed_fields(doc: Document) -> dict:
    """A document's field values (schema.document_fields), with its scored fields' postings and spelling words."""
    fields = document_fields(doc)
    schema = _schema()
    analyzed = {}
    for name, value in fields.items():
        field = schema[name] if name in schema else None
        if field is None or value is None or not field.scorable:
            continue
        value = in_language(fields, name)  # analysed as the document's language is
        postings = list(field.index(value))
        spelling = ([word.encode("utf-8") for word in field.spellable_words(value)]
                    if field.separate_spelling() else None)
        # With the field's length and the pool's estimate of its memory: the writer adds them without a loop.
        analyzed[name] = (postings, spelling, sum(freq for _, freq, _, _ in postings), pooled_bytes(name, postings))
    fields[ANALYZED] = analyzed
    return fields


def add_analysed(writer, fields: dict) -> None:
    """Whoosh's SegmentWriter.add_document, taking the postings analysed_fields computed where it has them."""
    writer._check_state()
    perdocwriter, schema, docnum, add_post = writer.perdocwriter, writer.schema, writer.docnum, writer.pool.add
    analyzed = fields.get(ANALYZED) or {}
    docboost = writer._doc_boost(fields)
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    for fieldname in fieldnames:
        value = fields.get(fieldname)
        if value is None:
            continue
        field = schema[fieldname]
        length = 0
        if fieldname in analyzed:
            postings, spelling, length, size = analyzed[fieldname]
            writer.pool.add_field(fieldname, docnum, postings, writer._field_boost(fields, fieldname, docboost), size)
            if spelling is not None:
                writer.pool.add_words(field.spelling_fieldname(fieldname), spelling)
        elif field.indexed:
            fieldboost = writer._field_boost(fields, fieldname, docboost)
            scorable = field.scorable
            indexed = in_language(fields, fieldname)
            for tbytes, freq, weight, vbytes in field.index(indexed):
                if scorable:
                    length += freq
                add_post((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            if field.separate_spelling():
                spellfield = field.spelling_fieldname(fieldname)
                for word in field.spellable_words(indexed):
                    add_post((spellfield, word.encode("utf-8"), 0, 1, b""))
        if field.vector:
            vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes
                            in field.vector.word_values(value, field.analyzer, mode="index"))
            perdocwriter.add_vector_items(fieldname, field, vitems)
        customval = fields.get(f"_stored_{fieldname}", value)
        perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
        column = field.column_type
        if column and customval is not None:
            perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1
