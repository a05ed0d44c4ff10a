"""The index's schema: its fields, and the values one cleaned document gives them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from ..analysis import body_digest, news_analyzer, shingle_signature, signature_terms, site_key
from ..records import Document
from .saved import pack_removed

# Bump when the schema changes what an existing index would hold (a cleaner change is noticed by itself).
SCHEMA_VERSION = 8


@dataclass(frozen=True)
class InLanguage:
    """A text with the language it is written in, as a LanguageText field takes it to index."""

    text: str
    lang: str = ""


class LanguageText(TEXT):
    """Whoosh's TEXT field, indexing a text (InLanguage) with its language's analysis; a plain string
    gets the analysis of a text of no known language."""

    def index(self, value, **kwargs):
        if isinstance(value, InLanguage):
            kwargs["lang"] = value.lang
            value = value.text
        return super().index(value, **kwargs)

    def spellable_words(self, value):
        if isinstance(value, InLanguage):
            return iter(sorted({t.text for t in self.analyzer(value.text, lang=value.lang, no_morph=True)}))
        return super().spellable_words(value)


LANGUAGE_FIELDS = ("title", "body")  # the fields a document's language decides the analysis of
SKETCH_FIELD = "sigterms"  # near-duplicate sketch hashes, in hex: terms to look candidates up by, and a column


def in_language(fields: dict, name: str):
    """A field's value as its field takes it to index: a language field's text with the document's language."""
    value = fields.get(name)
    return InLanguage(value, fields.get("lang") or "") if name in LANGUAGE_FIELDS and isinstance(value, str) else value


def in_languages(fields: dict) -> dict:
    """A document's field values as the writer takes them: the language fields' texts with the
    document's language (each analysed by its chain), their stored values the texts themselves."""
    wrapped = dict(fields)
    for name in LANGUAGE_FIELDS:
        if isinstance(fields.get(name), str):
            wrapped[name] = in_language(fields, name)
            wrapped[f"_stored_{name}"] = fields[name]
    return wrapped


def build_schema() -> Schema:
    """The index's fields: searchable title and body, stored metadata for display and filters."""
    analyzer = news_analyzer()
    return Schema(
        # id and digest are also columns, so an incremental reindex reads them without loading bodies.
        id=ID(stored=True, unique=True, sortable=True),
        # The corpus file a document came from (one file may hold many: JSON Lines, WARC), a column
        # too: an incremental reindex compares files, and replaces all of a changed file's documents.
        source=ID(stored=True, sortable=True),
        # What an incremental reindex compares by digest and replaces (units.Unit): the source file, or for a
        # container file (JSON Lines, WARC) the record, so that a file grown by a record costs one page's work.
        unit=ID(sortable=True),
        fetched=STORED,  # provenance: when the crawler fetched the page
        record=STORED,  # provenance: WARC record offset or JSON Lines line
        # The blocks the cleaner removed, with their places and reasons (saved.pack_removed): the
        # document page shows the page as saved from them and the body, as the index holds it.
        removed=STORED,
        path=STORED,
        url=STORED,
        title=LanguageText(analyzer=analyzer, stored=True, phrase=True),
        body=LanguageText(analyzer=analyzer, stored=True, phrase=True, spelling=True),
        site=ID(stored=True),
        sitekey=ID(stored=True, sortable=True),  # the site as filters and facets name it: host or lowercased name
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),  # a column: facets and filters count and select by it
        digest=ID(stored=True, sortable=True),
        # The cleaned text's hash, a column too: exact duplicates are indexed once, across reindexes.
        bodyhash=ID(stored=True, sortable=True),
        # Near-duplicate sketch of the text (bottom-k shingle hashes): as terms to look up candidates,
        # and as a column, read cheaply for every ranked hit without loading its stored body.
        **{SKETCH_FIELD: KEYWORD(sortable=True)},
    )


def document_fields(doc: Document) -> dict:
    """The field values the index stores for one cleaned document (its `source`, `unit` and `digest` aside)."""
    fields = {
        "id": doc.id,
        "fetched": doc.fetched,
        "record": doc.record,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "body": doc.body,
        "site": doc.site or "",
        "lang": doc.lang or "",
        "sitekey": site_key(doc.site, doc.url),
        "bodyhash": body_digest(doc.body),
    }
    if doc.removed:
        fields["removed"] = pack_removed(doc.removed)
    if signature := shingle_signature(doc.body):
        fields[SKETCH_FIELD] = signature_terms(signature)
    if doc.date:
        fields["date"] = datetime.fromisoformat(doc.date)
        fields["year"] = doc.date[:4]
    return fields


# Stored fields that do not make a document another: the record of what the cleaner removed names a
# template line's share on its site, which moves whenever the site's templates are learned again.
# A page cleaned again to the same text keeps its document (and that record, as of its last writing).
RECORD_FIELDS = frozenset({"removed"})


def stored_form(documents: list[dict], source: str, digest: str) -> list[dict]:
    """Documents' field values (document_fields) as the index stores them, ordered by id, less the
    record fields (RECORD_FIELDS): what tells whether a document cleaned again is another."""
    stored = [{name: value for name, value in fields.items()
               if name != SKETCH_FIELD and name not in RECORD_FIELDS and value is not None}
              | {"source": source, "digest": digest} for fields in documents]
    return sorted(stored, key=lambda fields: fields["id"])
