"""Decoding a page's bytes into text, for files and archive records alike: one decoder for both."""

from __future__ import annotations

# Bytes that never occur in real text pages; a few of them mean the file is binary.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def decode_page(raw: bytes, kind: str) -> str:
    """Decode a page's bytes: valid UTF-8 as such, else the declared encoding (HTML), else detection."""
    if b"\x00" in raw[:8192] or sum(raw[:8192].count(b) for b in _CONTROL_BYTES) > 8:
        raise ValueError("binary content (NUL or control bytes)")
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Bytes that decode as UTF-8 almost never are anything else, whatever the page declares:
        # pages re-saved as UTF-8 often keep their old "iso-8859-1" declaration.
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    # Imported here: only pages that are not UTF-8 need it, and it costs a query from the command line
    # (which reads no pages) a tenth of its time.
    from bs4.dammit import EncodingDetector, UnicodeDammit

    declared = list(EncodingDetector.find_declared_encoding(raw, is_html=True) or []) if kind == "html" else []
    dammit = UnicodeDammit(raw, known_definite_encodings=["utf-8"] if not declared else declared,
                           is_html=kind == "html")
    if dammit.unicode_markup is None:
        raise ValueError("undecodable bytes in every encoding tried")
    text = dammit.unicode_markup
    if text.count("\ufffd") > max(8, len(text) // 100):
        raise ValueError(f"undecodable text (guessed {dammit.original_encoding})")
    if not declared and dammit.original_encoding not in ("utf-8", "ascii", "utf-16le", "utf-16be"):
        # A single-byte fallback decodes any bytes at all; real text in it is still mostly ASCII letters.
        letters = [c for c in text[:20000] if c.isalpha()]
        if letters and sum(c.isascii() for c in letters) < 0.5 * len(letters):
            raise ValueError(f"undecodable text (not UTF-8, and not plausible as {dammit.original_encoding})")
    return text


def decode_body(raw: bytes, content_type: str) -> str:
    """Decode a response body: charset from the HTTP header, else the page's own declaration or detection."""
    charset = ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header is common; fall back to the page itself
    return decode_page(raw, "html")
