"""DOM signals of each HTML line from the elements around it: furniture, the article's element, the box
the line sits in, how far outside the article's element it is, and blocks the page repeats."""

from __future__ import annotations

import re
from collections import Counter

from .boilerplate import (
    BOX_MIN_LINES,
    CLASS_KINDS,
    FURNITURE_MAX_SHARE,
    FURNITURE_STEM_EXCEPTIONS,
    FURNITURE_STEMS,
    FURNITURE_TRUST_SHARE,
    FURNITURE_WORDS,
    MAX_ID_WORDS,
    REPEAT_REACH,
    SIBLING_SHARE,
)
from .features import is_prose_shaped, machinery_reason

_CLASS_SPLIT = re.compile(r"[\s_-]+")
_FURNITURE_STEM = re.compile("|".join(map(re.escape, FURNITURE_STEMS)))
# A kind's short words match whole class words only ("ad" is no part of "header"); longer ones inside words too.
_KIND_WORDS = {w: kind for kind, words in CLASS_KINDS.items() for w in words if len(w) < 5}
_KIND_STEM = re.compile("|".join(sorted((re.escape(w) for words in CLASS_KINDS.values() for w in words if len(w) >= 5),
                                        key=len, reverse=True)))
_KIND_OF_STEM = {w: kind for kind, words in CLASS_KINDS.items() for w in words if len(w) >= 5}


def class_words(el) -> list[str]:
    """The words of an element's class, id and role (an id made from a heading left out)."""
    words = []
    for attr in ("class", "id", "role"):
        value = el.get(attr)
        if value:
            parts = _CLASS_SPLIT.split(value.lower())
            # An id made from a heading ("sharing-with-a-single-developer") names a section, not furniture.
            if attr != "id" or len(parts) <= MAX_ID_WORDS:
                words.extend(parts)
    return words


def furniture_word(words: list[str]) -> str:
    """The class word that marks an element as page furniture, else ""."""
    for w in words:
        if w in FURNITURE_WORDS:
            return w
        if (found := _FURNITURE_STEM.search(w)) and w not in FURNITURE_STEM_EXCEPTIONS:
            return found.group()
    return ""


def class_kind(words: list[str]) -> str:
    """What an element's class says it holds (comments, related links, a caption, a byline...), else ""."""
    for w in words:
        if w in _KIND_WORDS:
            return _KIND_WORDS[w]
        if w not in FURNITURE_STEM_EXCEPTIONS and (found := _KIND_STEM.search(w)):
            return _KIND_OF_STEM[found.group()]
    return ""


def _distrust_furniture(lines: list, sizes: list[int], furniture: list[str], kinds: list[str]) -> None:
    """Clear the furniture name that holds most of a page's prose (comments' aside) when little prose lies
    outside furniture: there the name is the template's habit (an article box classed "sidebar")."""
    # A site message (a cookie notice) is prose by its shape, never an article.
    prose = [size if is_prose_shaped(line) and not line.dropped and not machinery_reason(line.text) else 0
             for line, size in zip(lines, sizes, strict=True)]
    total = sum(prose)
    free = sum(p for p, f in zip(prose, furniture, strict=True) if not f)
    if not total or free >= FURNITURE_TRUST_SHARE * total:
        return
    held = Counter()
    for p, f, k in zip(prose, furniture, kinds, strict=True):
        if f and k != "comment":
            held[f] += p
    if not held:
        return
    name = held.most_common(1)[0][0]
    for i, f in enumerate(furniture):
        if f == name and kinds[i] != "comment":
            furniture[i] = ""
            kinds[i] = ""


def mark_blocks(lines: list, owners: list) -> list:
    """Each line with the signals of the elements around it (see Line in markup.py)."""
    from .markup import Line

    chains: dict = {}

    def chain(owner) -> tuple:
        if owner not in chains:
            up, el = [], owner
            while el is not None:
                up.append(el)
                el = el.getparent()
            chains[owner] = tuple(up)
        return chains[owner]

    sizes = [len(line.text.split()) for line in lines]
    totals: Counter = Counter()
    counts: Counter = Counter()
    chars: Counter = Counter()
    links: Counter = Counter()
    for line, size, owner in zip(lines, sizes, owners, strict=True):
        n = len(line.text)
        for el in chain(owner):
            totals[el] += size
            counts[el] += 1
            chars[el] += n
            links[el] += line.link_density * n
    page = sum(sizes) or 1
    words: dict = {}
    furniture, kinds = [], []
    for owner in owners:
        found = kind = ""
        for el in chain(owner):
            if el not in words:
                cw = class_words(el)
                words[el] = (furniture_word(cw), class_kind(cw))
            # A wrapper holding much of the page is never furniture, whatever its class says.
            if totals[el] >= FURNITURE_MAX_SHARE * page:
                break
            found = found or words[el][0]
            kind = kind or words[el][1]
            if found and kind:
                break
        furniture.append(found)
        kinds.append(kind)
    _distrust_furniture(lines, sizes, furniture, kinds)
    scores: dict = {}
    for line, owner, size, furn in zip(lines, owners, sizes, furniture, strict=True):
        if line.dropped:
            continue
        gain = size if is_prose_shaped(line) and not furn else -0.3 * size
        for el in chain(owner):
            scores[el] = scores.get(el, 0.0) + gain
    best = max(scores, key=scores.get) if scores else None
    if best is not None and scores[best] <= 0:
        best = None  # no prose anywhere: no element can claim to hold the article
    main = {best}
    if best is not None and best.getparent() is not None:
        # Articles split over sibling blocks (text, then a box, then more text): siblings with a fair
        # share of the best block's net prose belong to the article too.
        main.update(el for el in best.getparent() if scores.get(el, 0.0) > SIBLING_SHARE * scores[best])
    above = {el: k for k, el in enumerate(chain(best))} if best is not None else {}
    signatures: dict = {}

    def repeats(owner) -> int:
        # Blocks of one class side by side (teasers, comments, links of a list): how many siblings share it.
        most = 0
        for el in chain(owner)[:REPEAT_REACH]:
            parent = el.getparent()
            if parent is None or not el.get("class") or el.tag == "p":
                continue
            if parent not in signatures:
                signatures[parent] = Counter((c.tag, c.get("class")) for c in parent if c.get("class"))
            most = max(most, signatures[parent][(el.tag, el.get("class"))] - 1)
        return most

    out = []
    for i, x in enumerate(lines):
        up = chain(owners[i])
        box = next((el for el in up if counts[el] >= BOX_MIN_LINES), up[-1])
        levels = next((above[el] for el in up if el in above), 0) if above else 0
        out.append(Line(text=x.text, tag=x.tag, link_density=x.link_density, furniture=furniture[i],
                        in_main=best is not None and not main.isdisjoint(up), dropped=x.dropped,
                        box_links=min(1.0, links[box] / max(1, chars[box])), above_main=levels,
                        repeats=repeats(owners[i]), kind=kinds[i]))
    return out
