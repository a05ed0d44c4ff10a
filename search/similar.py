"""Duplicates and similar articles: site keys, text sketches, near-duplicate lookup, more-like-this."""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import zlib
from urllib.parse import urlsplit

from whoosh.searching import Searcher

from .matching import column_values, remembered

SHINGLE_WORDS = 4  # words per shingle: long enough that shared shingles mean shared sentences
SKETCH_SIZE = 24  # smallest shingle hashes kept per document
NEAR_DUPLICATE = 0.5  # estimated resemblance at which two texts tell the same story
MAX_DUPLICATES = 50  # near-duplicates looked up per document, so a hub story stays cheap
MAX_CACHED = 50_000  # documents whose near-duplicates a searcher remembers
_WORD = re.compile(r"\w+")


def site_key(site: str | None, url: str | None) -> str:
    """The site as filters and facets name it: the URL's host without www., else the lowercased site name."""
    if url and (host := urlsplit(url).hostname):
        return host.removeprefix("www.")
    return normalize_site(site or "")


def normalize_site(value: str) -> str:
    """A site as a user types it (URL, host or name) in the form site_key stores."""
    value = " ".join(value.strip().lower().split())
    if "://" in value:
        value = urlsplit(value).hostname or value
    return value.removeprefix("www.").rstrip("/")


def body_digest(body: str) -> str:
    """A hash of a cleaned text, blind to spacing and case: equal hashes mean the same text."""
    words = " ".join(_WORD.findall(body.lower()))
    return hashlib.blake2b(words.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def shingle_signature(body: str) -> tuple[int, ...]:
    """The smallest hashes of the text's word shingles (a bottom-k sketch); empty for very short texts."""
    words = _WORD.findall(body.lower())
    if len(words) < SHINGLE_WORDS * 2:
        return ()
    hashes = {zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8", "surrogatepass"))
              for i in range(len(words) - SHINGLE_WORDS + 1)}
    return tuple(heapq.nsmallest(SKETCH_SIZE, hashes))


def signature_terms(signature: tuple[int, ...]) -> str:
    """The sketch as space-separated terms for the index's lookup field."""
    return " ".join(format(h, "x") for h in signature)


def sketch_terms(terms: str | bytes | None) -> list[str]:
    """A sketch's terms as the column holds them (signature_terms), unparsed."""
    if isinstance(terms, bytes):
        terms = terms.decode("ascii")
    return (terms or "").split()


def read_signature(terms: str | bytes | None) -> tuple[int, ...]:
    """A sketch back from its terms (signature_terms)."""
    return tuple(int(t, 16) for t in sketch_terms(terms))


def signature_reader(searcher: Searcher):
    """A function from document number to its sketch, read from the index's column (no stored fields)."""
    column = column_values(searcher, "sigterms", raw=True)
    return lambda docnum: read_signature(column[docnum])


def resemblance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated share of shingles two texts have in common (0..1), from their sketches."""
    if not a or not b:
        return 0.0
    union_sketch = heapq.nsmallest(SKETCH_SIZE, set(a) | set(b))
    both = set(a) & set(b)
    return sum(h in both for h in union_sketch) / len(union_sketch)


def near_duplicates(searcher: Searcher, docnum: int) -> list[int]:
    """Other documents telling the same text as this one (same story, other site or boilerplate)."""
    # Remembered per searcher: a searcher sees one generation, so its answers never go stale,
    # and the top hits of common queries ask again and again.
    return remembered(searcher, docnum, lambda: _find_near_duplicates(searcher, docnum), "near_duplicates",
                      MAX_CACHED)


def _find_near_duplicates(searcher: Searcher, docnum: int) -> list[int]:
    column = column_values(searcher, "sigterms", raw=True)
    mine = sketch_terms(column[docnum])
    if not mine:
        return []
    signature = read_signature(column[docnum])
    # A resemblance of NEAR_DUPLICATE needs at least `needed` of this sketch's hashes in the other
    # sketch too, so only hashes that some other document holds count: most hashes are this
    # document's alone, and a frequency costs a quarter of a posting list's opening, so most
    # documents are settled without opening one. A document holding `needed` of the m shared
    # hashes holds one of any m - needed + 1 of them: the rarest are opened (a shingle common to
    # thousands of pages would list them all), and the few documents found are checked against
    # the sketches the column holds in memory, as terms first (cheap), then in full.
    needed = math.ceil(NEAR_DUPLICATE * len(mine))
    reader = searcher.reader()
    shared: list[tuple[int, str]] = []
    for checked, term in enumerate(mine):
        if len(shared) + len(mine) - checked < needed:
            return []  # too few hashes left to look at for enough of them to be shared
        if (n := reader.doc_frequency("sigterms", term)) > 1:
            shared.append((n, term))
    if len(shared) < needed:
        return []
    shared.sort()
    candidates: set[int] = set()
    for _, term in shared[:len(shared) - needed + 1]:
        candidates.update(reader.postings("sigterms", term).all_ids())
    held = set(mine)
    found = [other for other in sorted(candidates - {docnum})
             if len(held.intersection(sketch_terms(column[other]))) >= needed
             and resemblance(signature, read_signature(column[other])) >= NEAR_DUPLICATE]
    return found[:MAX_DUPLICATES]


def similar_documents(searcher: Searcher, docnum: int, limit: int = 5) -> list[int]:
    """Documents on the same subject (more-like-this on the body's key terms), near-duplicates left out."""
    skip = set(near_duplicates(searcher, docnum)) | {docnum}
    results = searcher.more_like(docnum, "body", top=limit + len(skip), numterms=12)
    return [hit.docnum for hit in results if hit.docnum not in skip][:limit]
