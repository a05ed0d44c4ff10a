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

# HTML elements whose text is never shown as part of the page.
SILENT_TAGS = frozenset(
    """script style noscript template svg canvas iframe object embed head title meta link button select
    input textarea option datalist""".split()
)

# HTML elements whose text is page machinery, not article: their lines are marked and almost always dropped.
DROP_TAGS = frozenset("form nav footer aside menu dialog".split())

# Heading elements: a block inside one keeps the heading's role.
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# class/id words that mark page furniture; matched as whole hyphen- or underscore-separated words.
FURNITURE_WORDS = frozenset(
    """nav navbar navigation menu breadcrumb breadcrumbs footer sidebar share sharing social
    cookie cookies consent newsletter subscribe subscription promo advert advertisement ad ads
    sponsor sponsored related recommended comments comment masthead toolbar widget popup modal
    banner skip skiplink pagination pager tags taglist byline-share outbrain taboola""".split()
)

# Elements that make a block boundary when turning HTML into lines.
BLOCK_TAGS = frozenset(
    """p div section article main header footer nav aside form li ul ol dl dt dd h1 h2 h3 h4 h5 h6
    blockquote pre table tr td th caption figure figcaption address hr br title center""".split()
)

# Site templates: a site needs this many pages before lines recurring across them count, and a
# line held by at least this share of them is template outright.
TEMPLATE_MIN_PAGES = 2
TEMPLATE_MIN_SHARE = 0.1

# The two-stage line model of features.py, one per page form: logistic weights in the order of
# stage_one_rows and stage_two_rows, the probability a line needs to be kept, and the template
# share at which a line counts as template. Fitted by `bench/cleaning.py --fit` (see there).
LINE_MODELS = {
    "html": {
        "template_share": TEMPLATE_MIN_SHARE,
        "threshold": 0.55,
        "stage_one": (
            -4.6339, 0.6977, -2.3207, 1.2356, -1.2662, -3.3044, 0.7102, -5.4522, -1.7961, -8.9904,
            -1.5069, -0.437, -1.2101, -3.1166, 3.0221, 2.6738, -0.5432, 1.5609, -1.4681, 0.3846,
            0.9515, -1.4504, 0.5068, 0.3613, -0.2702, 0.2555, 0.3048, -0.1404, -0.3344, -0.2667,
            0.386, -0.7962, -0.8186, -0.5299, 0.2623, -0.3249, 0.562, 0.7263, 3.196, 0.8756,
            -0.9181, 0.4474, 0.0,
        ),
        "stage_two": (
            3.3438, 0.8916, 0.0835, -0.7754, 1.3753, 0.1239, -3.2856, -4.3021, 0.4879, -1.4143,
            0.105,
        ),
    },
    "text": {
        "template_share": TEMPLATE_MIN_SHARE,
        "threshold": 0.65,
        "stage_one": (
            -1.3146, 0.2123, -0.272, 1.1689, -1.6282, 0.0, -0.2558, -0.9653, -2.772, -14.2168,
            -1.3685, -1.8684, -1.0245, -1.4353, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0, -0.6902, -0.3027, -0.369, 0.0, 0.3142, 0.2359, -0.5608, 0.0, -0.0318,
            0.2535, 0.7877, 0.0, 0.4887, -0.3204, -0.439, 0.0, 0.8848, 8.4697, 1.2528,
            -1.2309, 0.0243, 0.0,
        ),
        "stage_two": (
            5.9963, 0.7527, 1.641, -3.8984, 3.9084, 0.9451, -7.1473, -6.6573, -0.2663, -0.7498,
            -0.0441,
        ),
    },
}
