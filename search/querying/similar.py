"""Duplicates and similar articles in an index: near-duplicate lookup and more-like-this."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..analysis import read_signature, resemblance, sketch_terms
from ..indexing.schema import InLanguage

if TYPE_CHECKING:
    from .snapshot import Snapshot

NEAR_DUPLICATE = 0.5  # estimated resemblance at which two texts tell the same story
MAX_DUPLICATES = 50  # near-duplicates looked up per document, so a hub story stays cheap
MAX_CACHED = 50_000  # documents whose near-duplicates a snapshot remembers


def signature_reader(snapshot: Snapshot):
    """A function from document number to its sketch, read from the index's column (no stored fields)."""
    column = snapshot.column_values("sigterms", raw=True)
    return lambda docnum: read_signature(column[docnum])


def near_duplicates(snapshot: Snapshot, docnum: int) -> list[int]:
    """Other documents telling the same text as this one (same story, other site or boilerplate)."""
    # Remembered per snapshot: a snapshot sees one generation, so its answers never go stale,
    # and the top hits of common queries ask again and again.
    return snapshot.remember("near_duplicates", docnum, lambda: _find_near_duplicates(snapshot, docnum), MAX_CACHED)


def _find_near_duplicates(snapshot: Snapshot, docnum: int) -> list[int]:
    column = snapshot.column_values("sigterms", raw=True)
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
    reader = snapshot.searcher.reader()
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


def similar_documents(snapshot: Snapshot, docnum: int, limit: int = 5) -> list[int]:
    """Documents on the same subject (more-like-this on the body's key terms), near-duplicates left out."""
    skip = set(near_duplicates(snapshot, docnum)) | {docnum}
    stored = snapshot.stored_fields(docnum)
    # The key terms of its text as its language analyses it (the text's own terms in the index).
    text = InLanguage(stored.get("body", ""), stored.get("lang") or "")
    results = snapshot.searcher.more_like(docnum, "body", text=text, top=limit + len(skip), numterms=12)
    return [hit.docnum for hit in results if hit.docnum not in skip][:limit]
