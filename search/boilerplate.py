"""What boilerplate looks like, as data: the cleaner in clean.py applies these, it does not hold them.

Every entry is generic to the web, never to one site: widget labels, script failures,
share and cookie lines, navigation words. Site-specific junk is learned from the corpus instead.
"""

import re

# Short lines made only of these (after removing digits and punctuation) are UI widgets:
# font-size controls, pagers, share counters, "A+ A-" and the like.
WIDGET_WORDS = frozenset(
    """px pt em a aa print email e-mail mail share tweet like pin reset font size text
    zoom increase decrease comments comment reply close menu search top back next previous
    prev more less listen play pause read min views view""".split()
)

# Symbols that font-size, reset and share widgets render as text.
WIDGET_SYMBOLS = "+−-–↺↻⟲⟳×✕✖▲▼◀▶►◄»«|•·/\\()[]{}:;,.!?#@%*=_~^<>'\"“”‘’"

# Phrases that mark a line as a message from the page's machinery, not its author.
MACHINERY_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^error( message)?\.?$",
        r"\b(missing|incomplete) (or incomplete )?installation\b",
        r"\bplease follow the instructions\b.*\bto get it\b",
        r"\b(enable|turn on|activate) javascript\b",
        r"\bjavascript (is )?(disabled|required|must be enabled)\b",
        r"\byour browser (is )?(out of date|outdated|not supported|does not support)\b",
        r"\b(upgrade|update) your browser\b",
        r"\bthis (site|website) uses cookies\b",
        r"\b(we|this site) use[s]? cookies\b",
        r"\baccept (all )?cookies\b",
        r"\bcookie (policy|settings|preferences)\b",
        r"^(loading|please wait)\.*$",
        r"\b(page|file) not found\b",
        r"\bsomething went wrong\b",
        r"\bto view this (video|content)\b",
        r"\b(video|audio) (is )?not (supported|available)\b",
        r"\bad(vertisement)?s? (blocker|block)\b",
    )
)

# Lines that invite the reader to do something other than read the article.
ACTION_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(share|share this( article| story| page)?|share on \w+|tweet|email|print|save)\b.{0,40}$",
        r"^(follow|like) us( on)?\b",
        r"^(subscribe|sign up|sign in|log in|register)\b.{0,80}$",
        r"\b(subscribe to|sign up for) (our|the) (newsletter|channel)\b",
        r"^(read|see|click) (more|also|here)\b.{0,60}$",
        r"^(related|recommended|most (read|popular|viewed))( (articles|stories|news|posts|content))?:?$",
        r"^(advertisement|sponsored( content)?|ad)$",
        r"^(all rights reserved|copyright|©)\b",
        r"\ball rights reserved\.?$",
        r"^(tags?|topics?|categories|filed under)\s*:",
        r"^(previous|next) (article|post|story)\b",
        r"^(leave|post|add) a comment\b",
        r"^\d+\s+comments?$",
    )
)

# How many words a block needs before it can count as prose on its own.
MIN_PROSE_WORDS = 10

# Sign-offs are short: an outlet's name or domain alone on the last line.
MAX_SIGNOFF_WORDS = 4

# A headline is a line before the article starts, neither too short nor a sentence run-on.
HEADLINE_WORDS = (3, 25)

# Titles made from a first sentence are cut on a word boundary at about this length.
MAX_TITLE_CHARS = 100

# Common English function words: prose is dense with them, menus and widgets are not.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says also""".split()
)

# HTML elements whose whole subtree is never article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "form", "button", "select", "input", "textarea", "nav", "footer", "aside", "menu", "dialog",
)

# class/id words that mark page furniture; matched as whole hyphen- or underscore-separated words.
FURNITURE_WORDS = frozenset(
    """nav navbar navigation menu breadcrumb breadcrumbs footer sidebar share sharing social
    cookie cookies consent newsletter subscribe subscription promo advert advertisement ad ads
    sponsor sponsored related recommended comments comment masthead toolbar widget popup modal
    banner skip skiplink pagination pager tags taglist byline-share outbrain taboola""".split()
)

# Elements that make a block boundary when turning HTML into lines.
BLOCK_TAGS = frozenset(
    """p div section article main header li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre
    table tr td th caption figure figcaption address hr br title center""".split()
)
