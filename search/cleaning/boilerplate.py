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

# The filing, feed and comment notices blog software writes under every post and comment (WordPress,
# Movable Type and TypePad themes, on many sites): never the post's own text, though they read as sentences.
POST_FOOTER_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^this (entry|post) was (posted|published|filed)\b",
        r"\byou can follow any (responses|comments) to this (entry|post)\b",
        r"\byou can (leave a response|skip to the end)\b",
        r"\btrackbacks are closed\b",
        r"\bbookmark the permalink\b",
        r"^(the )?comments (to|on|for) this (entry|post|article) are closed\b",
        r"^if you (enjoyed|liked) this (post|article)\b.{0,40}\bsubscribe\b",
        r"^(published|posted) on \w+ \d{1,2},? \d{4} (in|under)\b",  # "... in Category. Tags: ..."
        r"^posted by:\s.{1,60}\b(at|on|\|)\s",  # the line under each comment (Movable Type, TypePad)
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
        r"^(all rights reserved|copyright)\b",
        r"^©",  # no \b after it: the sign is not a word character
        r"\ball rights reserved\.?$",
        r"^(tags?|topics?|categories|filed under)\s*:",
        r"^(previous|next) (article|post|story)\b",
        r"^(leave|post|add) a comment\b",
        r"^\d+\s+comments?$",
    )
)

# How many words a block needs before it can count as prose on its own.
MIN_PROSE_WORDS = 10
# ... and, in a language whose function words are not listed, how many along with sentence punctuation.
MIN_UNLISTED_PROSE_WORDS = 15

# Sign-offs are short: an outlet's name or domain alone on the last line.
MAX_SIGNOFF_WORDS = 4

# A headline is a line before the article starts, neither too short nor a sentence run-on.
HEADLINE_WORDS = (3, 25)

# A part of a page title this short, at either end beside a longer part, is a site label ("| eHow").
MAX_SITE_LABEL_WORDS = 3

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

# Function characters of Chinese and Japanese prose (particles, copulas, pronouns); their share of
# characters is scaled by CJK_STOP_SCALE to compare with function-word shares.
CJK_STOPCHARS = frozenset(
    "的了是在和有我他她这那也不就都而及与或之其个们为以于" "のはがをにでとたしていなるすもか"
)
CJK_STOP_SCALE = 2.5

# HTML elements whose text is never shown as part of the page (<noembed> holds a fallback
# that browsers no longer render, often an ad's markup as raw text).
SILENT_TAGS = frozenset(
    """script style noscript noembed template svg canvas iframe object embed head title meta link
    button select input textarea option datalist""".split()
)

# HTML elements whose text is page machinery, not article: their lines are marked and almost always dropped.
DROP_TAGS = frozenset("form nav footer aside menu dialog".split())

# ... and of those, the ones never kept once the page has article text outside them (a <form> may wrap
# a whole page, so it is left to the line model).
ARTICLE_FREE_TAGS = frozenset("nav footer aside menu dialog".split())

# Heading elements: a block inside one keeps the heading's role.
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# class/id words that mark page furniture; matched as whole hyphen- or underscore-separated words.
FURNITURE_WORDS = frozenset(
    """nav navbar navigation menu breadcrumb breadcrumbs footer sidebar share sharing social
    cookie cookies consent newsletter subscribe subscription promo advert advertisement ad ads
    sponsor sponsored related recommended comments comment masthead toolbar widget popup modal
    banner skip skiplink pagination pager tags taglist byline-share outbrain taboola""".split()
)

# ... and these, also inside a longer class word ("postcomments", "commentlist", "relatedLinks"),
# except for the words that only look like them.
FURNITURE_STEMS = ("comment", "sidebar", "footer", "breadcrumb", "newsletter", "related", "outbrain", "taboola",
                   "gallery", "slideshow", "carousel")
FURNITURE_STEM_EXCEPTIONS = frozenset("commentary commentaries commentator commentators unrelated".split())

# An id of more words than this is a heading made into an anchor, never a furniture name.
MAX_ID_WORDS = 3

# An element classed as furniture is not, when it holds at least this share of the page's words.
FURNITURE_MAX_SHARE = 0.4
# When less than this share of a page's prose lies outside elements classed as furniture, the furniture
# name holding most of it is the template's, not the content's (an article box classed "sidebar",
# "social" or "gallery"): it is set aside for that page (a comment thread's name never is).
FURNITURE_TRUST_SHARE = 0.3

# A sibling of the article's element holding at least this share of its net prose is article too.
SIBLING_SHARE = 0.2

# What an element's class, id or role says it holds, by kind: a line's kind is a signal of the line model
# (words of under five letters match whole class words; longer ones also inside a word, "postcomments").
CLASS_KINDS = {
    "comment": ("comment", "disqus", "respond", "reply", "replies", "discussion"),
    "related": ("related", "recommend", "outbrain", "taboola", "teaser", "more", "popular", "trending", "headlines"),
    "share": ("share", "sharing", "social", "tools", "toolbar", "print", "email", "follow"),
    "nav": ("nav", "navbar", "navigation", "menu", "breadcrumb", "pagination", "pager", "masthead", "header",
            "footer", "sidebar", "rail", "skip"),
    "ad": ("ad", "ads", "advert", "sponsor", "banner", "promo", "dfp", "adsense", "commercial"),
    "caption": ("caption", "credit", "photo", "image", "img", "figure", "media", "gallery", "slideshow", "video"),
    "byline": ("byline", "author", "dateline", "timestamp", "date", "time", "meta", "posted", "published"),
}
# Caption elements: their text describes a picture.
CAPTION_TAGS = frozenset("figcaption caption figure".split())
# A line's box: the nearest element around it holding at least this many lines (its link density is a signal).
BOX_MIN_LINES = 3
# A line's repeated blocks are looked for among this many elements above it (itself included).
REPEAT_REACH = 4

# Elements that make a block boundary when turning HTML into lines.
BLOCK_TAGS = frozenset(
    """p div section article main header footer nav aside form li ul ol dl dt dd h1 h2 h3 h4 h5 h6
    blockquote pre table tr td th caption figure figcaption address hr br title center""".split()
)

# Site templates: a site needs this many pages before lines recurring across them count, and a
# line held by at least this share of them is template outright.
TEMPLATE_MIN_PAGES = 2
TEMPLATE_MIN_SHARE = 0.1
# A line recurring with different numbers is template by its shape (numbers left out) only when at
# least this share of the pages holding it show numbers that another page shows too (a comment count,
# a time that repeats); else only its exact forms count, and a wire's figures stay article.
TEMPLATE_SAME_NUMBERS = 0.5
# A line is template only when on at least this many of a site's pages (or all of a smaller site's):
# an article saved twice, or quoted by a second page, is on two.
TEMPLATE_MIN_REPEATS = 3
# A group of pages is one site only when some line with words recurs on at least this share of them (its
# menu, its footer); else it is a folder of pages from many sites, whose few shared lines are chance.
TEMPLATE_MIN_TOP_SHARE = 0.4

# When no line of a page reaches the model's threshold, lines scoring this share of the page's best are kept.
RELATIVE_KEEP = 0.5
# ... and so do pages where the kept lines hold fewer words than this.
MIN_ARTICLE_WORDS = 40
# Lines inside an element classed as comments are dropped when the page holds at least this many words of
# prose outside such elements (the article the thread is under); a page that is all thread keeps it.
COMMENT_ARTICLE_WORDS = 50
# A page whose lines hold fewer words than this in all is kept whole (less markup-dropped elements and
# machinery lines): too few words for the line signals to tell article from template, and a line lost
# is most of such a page.
WHOLE_PAGE_WORDS = 25

# HTML: kept lines outside the article's element are dropped when further than this from its kept lines.
MAIN_REACH = 12
# ... but only when that element holds at least this share of the kept words (else it is not the article's).
MAIN_MIN_SHARE = 0.5
# HTML: a paragraph inside the article's element, of at least this many words and ending a sentence, is
# kept wherever it sits there (Readability keeps its whole best element's prose too).
MAIN_PROSE_WORDS = 20

# HTML: teasers of other pages (a paragraph of at most TEASER_MAX_WORDS words right under its own linked
# headline) are dropped when at least TEASER_MIN_COUNT come in a run, each within TEASER_GAP lines of the last.
TEASER_MIN_COUNT = 3
TEASER_MAX_WORDS = 60
TEASER_GAP = 6

# A paragraph broken over lines is wrapped at a fixed width (a text page saved with its source's line
# breaks) when every line but its last holds at least this many words; such a paragraph is kept whole
# when its best-scored line would be kept, since no fragment carries the sentences the model reads.
WRAPPED_LINE_WORDS = 8
# A text page is wrapped at a fixed width W (a plain-text archive, a page saved with its source's <br>s)
# when W, the 90th percentile of its lines' lengths (lines of 4 words or more, at least WRAP_MIN_LINES of
# them), is at most WRAP_MAX_WIDTH characters, and at least WRAP_MIN_CONTINUED of the lines that fill
# WRAP_FULL of W run on into a next line in lower case. Its paragraphs are joined back into one line
# each before anything is judged: a line runs on into the next when the next one's first word would
# not have fitted within W (whatever ends the line: a sentence ends at a break, a name starts a line),
# unless it ends a sentence and the next line is a short one.
WRAP_MIN_LINES = 10
WRAP_MAX_WIDTH = 100
WRAP_FULL = 0.75
WRAP_MIN_CONTINUED = 0.3
WRAP_SHORT_WORDS = 4

# A list the article introduces (a line ending in a colon) is kept whole, when the article goes on after
# it, if it has at most LIST_MAX_ITEMS items of at most LIST_ITEM_WORDS words each.
LIST_MAX_ITEMS = 40
LIST_ITEM_WORDS = 15

# Running prose between kept lines is kept when the model gives it at least this score.
RESCUE_SCORE = 0.2
# ... and so is any line scoring at least RESCUE_NEAR_SCORE with kept lines within RESCUE_REACH lines on both sides.
RESCUE_NEAR_SCORE = 0.3
RESCUE_REACH = 6

# The two-stage line model of features.py, one per page form: logistic weights in the order of
# stage_one_rows and stage_two_rows, the probability a line needs to be kept, and the template
# share at which a line counts as template. Fitted by `bench/fit_lines.py --fit` (see there): the HTML
# weights on all five sets of ../shared/data, by the procedure its --kfold measures with sites grouped; the
# text weights are its fit from before wrapped text was joined into paragraphs (wrapping.py) and before
# the HTML-only columns were appended (weights shorter than a row leave its last columns out): refitted
# since, they drop a wire story's short lines of figures (`bench/cleaning.py`'s generated corpus).
LINE_MODELS = {
    "html": {
        "template_share": TEMPLATE_MIN_SHARE,
        "threshold": 0.55,
        "stage_one": (
            -0.3819, 0.3479, -0.2749, 0.141, -0.0858, -0.707, 0.4294, -0.2194, -0.7453, -0.1063,
            -0.4386, -0.5335, -0.6209, -0.6655, 0.4258, 0.1062, 0.0663, -1.3897, -0.3773, 0.0739,
            -0.2364, 0.0943, -0.0707, -0.2411, -0.0079, 0.1812, -0.0794, -0.5253, -0.2172, 0.2697,
            -0.0797, -0.4198, -0.2394, 0.1394, -0.0657, -0.1325, -0.1309, 0.0641, 0.0834, 0.5673,
            0.1988, -0.0597, -0.0371, 0.2635, -0.6741, -1.0838, -0.3031, 0.4322, -0.9703, -0.3532,
            -0.2629, -0.1933, -0.1322, -0.49, -0.3191, 0.0257, 0.4285, -0.5351,
        ),
        "stage_two": (
            -0.0266, 1.0635, 0.1505, 0.1393, 0.0361, 0.2068, -0.7321, -0.1764, 0.1141, 0.0944,
            0.0313,
        ),
    },
    "text": {
        "template_share": TEMPLATE_MIN_SHARE,
        "threshold": 0.55,
        "stage_one": (
            -2.9655, 0.3763, -0.3421, 0.0921, -1.2639, 0.0, 0.918, -1.1278, -2.4116, -2.5395,
            -0.6205, -2.6923, -0.044, -0.9514, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0079, 0.0823, -0.3646, 0.0, 0.5751, 0.3469, -0.1483, 0.0, -0.5691, 0.2532,
            -0.0469, 0.0, 0.3164, 0.0665, -0.3573, 0.0, 0.168, 1.1024, 1.8991, 4.9233,
            1.1267, -0.3823, 0.0918, 1.9504,
        ),
        "stage_two": (
            1.1377, 0.5473, 1.2753, -2.3016, 3.6714, 0.783, -3.536, -2.3925, -1.2736, -0.2804,
            0.2258,
        ),
    },
}
