"""Turning saved HTML into lines of text with their DOM signals (metadata.py reads what it declares)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .blocks import mark_blocks
from .boilerplate import BLOCK_TAGS, DROP_TAGS, HEADING_TAGS, SILENT_TAGS
from .metadata import Markup, read_markup
from .wrapping import text_paragraphs


@dataclass(frozen=True)
class Line:
    """One block of visible text and what the markup says about it."""

    text: str
    tag: str = "line"  # the block element it came from; "line" for text pages
    link_density: float = 0.0  # share of its characters inside links
    furniture: str = ""  # the class/id word of an enclosing element that marks page furniture, if any
    in_main: bool = False  # inside the element that holds most of the page's prose (HTML only)
    dropped: str = ""  # for HTML: the element (nav, footer, form...) whose text is never article
    box_links: float = 0.0  # link share of the characters of the nearest element holding a few lines
    above_main: int = 0  # levels from the article's element up to the element it shares with this line
    repeats: int = 0  # siblings of one of its elements that have the same tag and class (teasers, comments)
    kind: str = ""  # what the class of an element around it says it holds (boilerplate.CLASS_KINDS)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# libxml2 drops elements nested deeper than this; such pages are rebuilt with the nesting capped.
_MAX_DEPTH = 400


class _CappedTree:
    """A parser target that builds the tree but flattens elements nested deeper than _MAX_DEPTH."""

    def __init__(self) -> None:
        self.builder = etree.TreeBuilder()
        self.depth = 0

    def start(self, tag, attrib) -> None:
        self.depth += 1
        if self.depth <= _MAX_DEPTH:
            self.builder.start(tag, dict(attrib))

    def end(self, tag) -> None:
        if self.depth <= _MAX_DEPTH:
            self.builder.end(tag)
        self.depth -= 1

    def data(self, text) -> None:
        self.builder.data(text)

    def close(self):
        return self.builder.close()


def parse_html(content: str):
    """Parse a page with lxml into an element tree (never raises on malformed markup)."""
    content = _XML_DECLARATION.sub("", content, count=1)
    # Plain lxml.etree elements: lxml.html's element classes cost a lookup on every node visited.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser=parser) if content.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    text = len(root.xpath("string()")) if root is not None else 0
    if text < 0.3 * len(_TAG.sub("", content).strip()):
        # Too deep for libxml2's tree (or unparsable): rebuild through a target that caps nesting.
        capped = etree.HTMLParser(target=_CappedTree(), huge_tree=True)
        try:
            capped.feed(content or "<html></html>")
            built = capped.close()
        except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError):
            built = None
        if built is not None and len(built.xpath("string()")) > text:
            root = built
    if root is None:
        root = etree.fromstring("<html><body></body></html>", parser=parser)
    return root


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style \
        or el.get("aria-hidden") == "true"


def _double_break(el) -> bool:
    """True for a <br> next to another <br> with only white space between them."""
    after, before = el.getnext(), el.getprevious()
    return (after is not None and after.tag == "br" and not (el.tail or "").strip()) \
        or (before is not None and before.tag == "br" and not (before.tail or "").strip())


def html_lines(root, mark_main: bool = True) -> list[Line]:
    """The visible text of the page as lines, one per block element, with their DOM signals."""
    body = root.find("body")
    start = body if body is not None else root
    lines: list[Line] = []
    owners: list = []
    parts: list[str] = []
    state = {"link": 0, "tag": "p", "furniture": "", "dropped": "", "owner": start}

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            lines.append(Line(text=text, tag=state["tag"], link_density=min(1.0, state["link"] / len(text)),
                              furniture=state["furniture"], dropped=state["dropped"]))
            owners.append(state["owner"])
        parts.clear()
        state["link"] = 0

    def add(text: str | None, in_link: bool, ctx: tuple) -> None:
        if not text:
            return
        if not parts or not "".join(parts).strip():
            state["tag"], state["furniture"], state["dropped"], state["owner"] = ctx
        parts.append(text)
        if in_link:
            state["link"] += len(text.strip())

    # An explicit stack, not recursion: scraped HTML can nest deeper than Python's call stack.
    # Items: ("open", element, in_link, ctx) or ("text", string, in_link, ctx) or ("close", element).
    stack: list[tuple] = [("open", start, False, ("p", "", "", start))]
    while stack:
        item = stack.pop()
        if item[0] == "text":
            add(item[1], item[2], item[3])
            continue
        if item[0] == "close":
            flush()
            continue
        _, el, in_link, ctx = item
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            continue
        if tag in SILENT_TAGS or _hidden(el):
            add(" ", in_link, ctx)  # text on either side of a hidden element is two words, not one
            continue
        tag = tag.lower()
        if tag == "br" and not _double_break(el):
            # A single line break runs on within its block (an address, a paragraph broken for width);
            # two in a row end a paragraph, as a blank line does.
            add(" ", in_link, ctx)
            continue
        furniture = ""  # named after the walk, when the size of each enclosing element is known
        dropped = ctx[2] or (tag if tag in DROP_TAGS else "")
        is_block = tag in BLOCK_TAGS
        block_tag = tag if is_block else ctx[0]
        if is_block and ctx[0] in HEADING_TAGS and tag not in HEADING_TAGS:
            block_tag = ctx[0]  # a <div> inside an <h1> is still the headline
        here = (block_tag, furniture, dropped, el if is_block else ctx[3])
        link = in_link or tag == "a"
        if is_block:
            flush()
            stack.append(("close", el))
        for child in reversed(el):
            if child.tail:
                stack.append(("text", child.tail, link, here))
            stack.append(("open", child, link, here))
        if el.text:
            stack.append(("text", el.text, link, here))
    flush()
    return mark_blocks(lines, owners) if mark_main else lines


# UTF-8 bytes read as Latin-1 or Windows-1252 ("Ã©" for "é", "Â " for a no-break space, "â€™" for "’"):
# pages saved as UTF-8 while their markup still declares a single-byte charset ("ï¿½" is a saved U+FFFD).
_MOJIBAKE = re.compile("[ÂÃ][\u0080-\u00bf]|â€|ï¿½")


def repair_mojibake(content: str) -> str:
    """Undo UTF-8 text decoded as a single-byte charset, when it plainly was; otherwise return it unchanged."""
    if len(_MOJIBAKE.findall(content[:200000])) < 3:
        return content
    for charset in ("cp1252", "latin-1"):
        try:
            return content.encode(charset).decode("utf-8")
        except UnicodeError:
            continue
    return content


def text_lines(content: str) -> list[Line]:
    """The lines of a text page, blank lines dropped and paragraphs wrapped at a fixed width joined."""
    return [Line(text=text) for text in text_paragraphs(content)]


def page_lines(page) -> tuple[list[Line], Markup | None]:
    """A page's lines (one a block) and, for HTML, the metadata its markup declares."""
    content = repair_mojibake(page.content)
    if page.kind == "html":
        root = parse_html(content)
        return html_lines(root), read_markup(root)
    return text_lines(content), None


def page_texts(page) -> tuple[list[str], str | None]:
    """Just the text of a page's lines and its declared URL: what learning templates needs, cheaply."""
    content = repair_mojibake(page.content)
    if page.kind == "html":
        root = parse_html(content)
        canonical = next((link.get("href") for link in root.iterfind(".//link[@rel='canonical']")
                          if link.get("href")), None)
        url = canonical or next((m.get("content") for m in root.iterfind(".//meta[@property='og:url']")), None)
        return [line.text for line in html_lines(root, mark_main=False)], url
    return [line.text for line in text_lines(content)], None
