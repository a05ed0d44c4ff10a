"""Fingerprints of a document, made at index time and compared at query time: site keys, digests, shingle sketches."""

from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from urllib.parse import urlsplit

from .tokens import needs_script_pattern, plain_words

SHINGLE_WORDS = 4  # words per shingle: long enough that shared shingles mean shared sentences
# ... and characters per shingle in a text mostly of unspaced script (Chinese, Japanese, Thai): about as
# many words (a Chinese word is one to two characters).
SHINGLE_CHARS = 8
SKETCH_SIZE = 24  # smallest shingle hashes kept per document
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
    text = body.lower()
    # A text of no mark, joiner or unspaced script: re's quicker \w+ finds the same words.
    words, unspaced = plain_words(text) if needs_script_pattern(text) else (_WORD.findall(text), 0)
    size = SHINGLE_CHARS if 2 * unspaced > len(words) else SHINGLE_WORDS
    if len(words) < size * 2:
        return ()
    hashes = {zlib.crc32(" ".join(words[i:i + size]).encode("utf-8", "surrogatepass"))
              for i in range(len(words) - size + 1)}
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


def resemblance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated share of shingles two texts have in common (0..1), from their sketches."""
    if not a or not b:
        return 0.0
    union_sketch = heapq.nsmallest(SKETCH_SIZE, set(a) | set(b))
    both = set(a) & set(b)
    return sum(h in both for h in union_sketch) / len(union_sketch)
