"""Text pages wrapped at a fixed width: finding the width, and joining each paragraph back into one line."""

from __future__ import annotations

from .boilerplate import WRAP_FULL, WRAP_MAX_WIDTH, WRAP_MIN_CONTINUED, WRAP_MIN_LINES, WRAP_SHORT_WORDS
from .features import SENTENCE_END, runs_on, words_of


def wrap_width(texts: list[str]) -> int | None:
    """The width a text page's lines are wrapped at, or None when they are not wrapped."""
    # Words counted by spaces (the lines are space-normalised): this runs on every text page.
    sized = [(i, len(text)) for i, text in enumerate(texts) if text.count(" ") >= 3]
    if len(sized) < WRAP_MIN_LINES:
        return None
    width = sorted(n for _, n in sized)[int(0.9 * (len(sized) - 1))]
    if width > WRAP_MAX_WIDTH:
        return None
    full = [i for i, n in sized if n >= WRAP_FULL * width and i + 1 < len(texts)]
    continued = sum(runs_on(texts[i], texts[i + 1]) for i in full)
    return width if full and continued >= WRAP_MIN_CONTINUED * len(full) else None


def unwrap(texts: list[str]) -> list[str]:
    """A text page's lines, blank ones dropped, with each wrapped paragraph joined into one (a blank line
    always ends a paragraph)."""
    lines = [text for text in texts if text]
    width = wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    joining = False
    for i, text in enumerate(texts):
        if not text:
            joining = False
            continue
        if joining:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        after = texts[i + 1] if i + 1 < len(texts) else ""
        # A line the next one's first word would have fitted on ends its paragraph: the wrapping broke
        # the line only because that word did not fit. So does a line ending a sentence before a short one.
        full = len(text) + 1 + len(after.split(" ", 1)[0]) > width
        ends = SENTENCE_END.search(text) and len(words_of(after)) < WRAP_SHORT_WORDS
        joining = bool(after) and (runs_on(text, after) or (full and not ends))
    return out


def text_paragraphs(content: str) -> list[str]:
    """A plain text's paragraphs, one a line: spacing collapsed, blank lines dropped, wrapped paragraphs joined."""
    return unwrap([" ".join(raw.split()) for raw in content.splitlines()])
