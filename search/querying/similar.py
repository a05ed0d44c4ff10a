"""Duplicates and similar articles in an index: near-duplicate lookup and more-like-this."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..analysis import resemblance
from ..indexing.schema import InLanguage
from .matching import contains

if TYPE_CHECKING:
    from .snapshot import Snapshot

NEAR_DUPLICATE = 0.5  # estimated resemblance at which two texts tell the same story
MAX_DUPLICATES = 50  # near-duplicates looked up per document, so a hub story stays cheap
MAX_CACHED = 50_000  # documents whose near-duplicates a snapshot remembers


def near_duplicates(snapshot: Snapshot, docnum: int) -> list[int]:
    """Other documents telling the same text as this one (same story, other site or boilerplate)."""
    # Remembered per snapshot: a snapshot sees one generation, so its answers never go stale,
    # and the top hits of common queries ask again and again.
    return snapshot.remember("near_duplicates", docnum, lambda: _find_near_duplicates(snapshot, docnum), MAX_CACHED)


def _find_near_duplicates(snapshot: Snapshot, docnum: int) -> list[int]:
    mine = snapshot.sketch(docnum)
    if not mine:
        return []
    # A resemblance of NEAR_DUPLICATE needs at least `needed` of this sketch's hashes in the other
    # sketch too, so only hashes that some other document holds count (most are this document's
    # alone). A document holding `needed` of the m shared hashes holds one of any m - needed + 1
    # of them: the rarest give the candidates (a shingle common to thousands of pages would list
    # them all), which are then counted against every shared hash, and the few holding enough are
    # compared in full.
    needed = math.ceil(NEAR_DUPLICATE * len(mine))
    shared = sorted((docs for docs in snapshot.sketch_holders(mine) if len(docs) > 1), key=len)
    if len(shared) < needed:
        return []
    candidates = np.unique(np.concatenate(shared[:len(shared) - needed + 1]))
    candidates = candidates[candidates != docnum]
    held = np.sum([contains(docs, candidates) for docs in shared], axis=0)
    found = [other for other in candidates[held >= needed].tolist()
             if resemblance(mine, snapshot.sketch(other)) >= NEAR_DUPLICATE]
    return found[:MAX_DUPLICATES]


def similar_documents(snapshot: Snapshot, docnum: int, limit: int = 5) -> list[int]:
    """Documents on the same subject (more-like-this on the body's key terms), near-duplicates left out."""
    skip = set(near_duplicates(snapshot, docnum)) | {docnum}
    stored = snapshot.stored_fields(docnum)
    # The key terms of its text as its language analyses it (the text's own terms in the index).
    text = InLanguage(stored.get("body", ""), stored.get("lang") or "")
    results = snapshot.searcher.more_like(docnum, "body", text=text, top=limit + len(skip), numterms=12)
    return [hit.docnum for hit in results if hit.docnum not in skip][:limit]
