"""Small pages written for the tests: a made-up outlet's text pages and HTML pages, plus broken files."""

CHESS_TEXT = """Home | World | Sport | Contact
Published 14 March 2021 A+ A- Print
Village chess club wins regional title
The village chess club of Lower Marwick won the regional team championship on Saturday, beating four larger clubs from the county towns.
Club captain Ada Pell said the team had practised every evening for three months and that the youngest player, aged eleven, won all of her games.
The club was founded in 1952 and meets in the village hall, where a new board and clocks were bought with a grant from the parish council.
Share on Facebook
Marwick Gazette
"""

HARBOUR_TEXT = """Last updated: 2019-07-02 09:15
The harbour authority approved a plan on Tuesday to dredge the northern channel, which fishing crews say has become too shallow for laden boats at low tide.
Work is expected to begin in September and last about six weeks, the authority said in a statement, adding that the cost would be shared with the regional government.
On 12 May 1998 a similar plan was shelved after objections from residents, who feared the noise and the lorries that would carry the silt away.
Marwick Gazette
"""

NO_HEADLINE_TEXT = """Councillors in the small coastal district of Northwick voted late on Wednesday evening to keep the public library open on Sundays through the whole of next year, reversing a decision made in the spring.
The vote was close, with seven in favour and six against, and followed a petition signed by more than two thousand residents.
"""

HTML_ARTICLE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Bridge repairs finish early | The Riverside Post</title>
  <meta property="og:site_name" content="The Riverside Post">
  <meta property="article:published_time" content="2020-10-05T08:30:00+01:00">
  <link rel="canonical" href="https://riverside.example/news/2020/10/05/bridge-repairs">
  <script>var tracking = "do not index this script text";</script>
  <style>.x { color: red }</style>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
  <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
  <article>
    <h1>Bridge repairs finish early</h1>
    <p>Repairs to the old stone bridge over the river finished two weeks ahead of schedule, the county engineer said on Monday, and the road will reopen to traffic on Friday morning.</p>
    <p>The work replaced the cracked parapets and resurfaced the carriageway, which had been closed since the floods of last winter damaged the eastern arch.</p>
    <div class="share-tools"><a href="#">Share on Twitter</a> <a href="#">Email</a></div>
    <p>Local shops on both banks said trade had fallen by a third while the bridge was shut, and welcomed the early reopening with a street market planned for Saturday.</p>
  </article>
  <aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">And another</a></li></ul></aside>
  <footer>Copyright 2020 The Riverside Post. All rights reserved.</footer>
</body>
</html>
"""

# Declares windows-1252 and uses bytes that are not UTF-8; the reader must honour the declaration.
LATIN_HTML = (
    "<html><head><meta charset='windows-1252'><title>Caf\xe9 owners protest rent rise</title></head><body>"
    "<h1>Caf\xe9 owners protest rent rise</h1>"
    "<p>Owners of the caf\xe9s on the market square in Montb\xe9liard protested on Thursday against a rent rise "
    "of twelve per cent that the town hall announced without consulting them, they said.</p>"
    "<p>The mayor said the rise was the first in nine years and would pay for repairs to the square.</p>"
    "</body></html>"
).encode("cp1252")

HOSTILE_TEXT = """Reporters found a strange sign taped to the door of the town museum on Monday morning, reading <script>alert("pwned")</script> in large letters.
The museum's director said the sign & its "quotes" were a student prank and that nothing inside the building had been touched or taken.
"""

BINARY_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def write_corpus(root) -> dict:
    """Write the test corpus under root: a made-up site folder, an HTML page, and broken files."""
    files = {
        "gazette/chess.txt": CHESS_TEXT,
        "gazette/harbour.txt": HARBOUR_TEXT,
        "northwick/library.txt": NO_HEADLINE_TEXT,
        "riverside/bridge.html": HTML_ARTICLE,
        "museum/sign.txt": HOSTILE_TEXT,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "riverside" / "cafe.html").write_bytes(LATIN_HTML)
    (root / "broken").mkdir()
    (root / "broken" / "image.html").write_bytes(BINARY_BYTES)
    (root / "broken" / "empty.txt").write_text("   \n\n")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4 not a page")
    return files


# A made-up site's text pages: each repeats the site's menu, a broken-widget message and a
# prose-shaped sign-off, around a different article.
FENBRIDGE_MENU = "Fenbridge Courier | News | Sport | Weather | Jobs | Contact us"
FENBRIDGE_WIDGET = "The weather panel could not be reached at the moment (code 503)."
FENBRIDGE_SIGNOFF = ("The Fenbridge Courier is an independent newspaper that has served the towns of the Fen "
                     "valley since 1888, and all of its reporting is free to read for everyone.")
FENBRIDGE_ARTICLES = (
    ("Ferry service returns after repairs",
     "The ferry between Fenbridge and Oxley resumed on Monday after six weeks of repairs to its engine, the operator said, and the first crossing was full within minutes.",
     "Passengers had faced a detour of almost an hour by road while the boat was out of service, and several shops near the landing said their trade had halved."),
    ("Library opens a seed exchange",
     "The public library in Fenbridge has opened a seed exchange where gardeners can leave packets of their own seeds and take others home for free.",
     "Librarians said more than forty varieties of beans, tomatoes and flowers had been donated in the first week, most of them by members of the allotment society."),
    ("School choir wins county contest",
     "The choir of Fenbridge primary school won the county singing contest on Saturday, ahead of eleven other schools, with a programme of folk songs from the valley.",
     "Its conductor said the children had rehearsed twice a week since September and would now sing at the cathedral in the spring, which none of them had visited before."),
    ("Bus timetable changes in April",
     "Bus routes through Fenbridge will run to a new timetable from the first of April, the county council said, with an extra evening service to the hospital.",
     "The council said the changes followed a survey of more than a thousand passengers, most of whom asked for later buses on weekdays and an earlier one on Sundays."),
)


def fenbridge_page(number: int) -> str:
    """The text of one Fenbridge Courier page: template lines around article `number`."""
    headline, *paragraphs = FENBRIDGE_ARTICLES[number]
    return "\n".join([FENBRIDGE_MENU, headline, *paragraphs, FENBRIDGE_WIDGET, FENBRIDGE_SIGNOFF]) + "\n"


# A made-up wire service's text pages: company results whose lines of figures have the same shape
# on every page but different numbers, under the wire's menu and a comment counter whose count repeats.
OXLEY_WIRE_MENU = "Oxley Wire | Markets | Companies | Commodities | Contact"
OXLEY_WIRE_RESULTS = (
    ("Harwell Milling posts higher profit", "Harwell Milling Co said on Tuesday its fourth quarter profit "
     "rose on strong demand for flour from bakeries in the north, and that it expected a good harvest.",
     ("Shr 1.20 dlrs vs 1.10 dlrs", "Net 12.4 mln vs 11.3 mln", "Revs 252.1 mln vs 87.9 mln"), 3),
    ("Penrose Shipping loss narrows", "Penrose Shipping Inc said its loss for the year narrowed as freight "
     "rates recovered in the autumn and two of its older vessels were sold for scrap.",
     ("Shr loss 40 cts vs loss 95 cts", "Net loss 3.1 mln vs loss 7.6 mln", "Revs 88.0 mln vs 71.4 mln"), 3),
    ("Castleford Foods raises dividend", "Castleford Foods Inc said it raised its quarterly dividend after "
     "sales of frozen vegetables grew for the sixth quarter in a row and costs fell.",
     ("Shr 2.05 dlrs vs 1.64 dlrs", "Net 40.7 mln vs 32.5 mln", "Revs 610.3 mln vs 544.9 mln"), 5),
    ("Mardle Electric earnings steady", "Mardle Electric Corp said its earnings held steady in the first "
     "half as higher prices for copper wire made up for lower sales of household appliances.",
     ("Shr 77 cts vs 76 cts", "Net 9.8 mln vs 9.7 mln", "Revs 131.6 mln vs 129.0 mln"), 5),
)


def oxley_wire_page(number: int) -> str:
    """The text of one Oxley Wire page: the menu, a company's results with its figures, a comment counter."""
    headline, lead, figures, comments = OXLEY_WIRE_RESULTS[number]
    return "\n".join([OXLEY_WIRE_MENU, headline, lead, *figures, f"Comments ({comments})"]) + "\n"
