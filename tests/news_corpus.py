"""A small news corpus written for the filter, facet and duplicate tests: one story syndicated on three
made-up sites with different page furniture, pages dated across several years, an exact duplicate,
and a JSON Lines file with a broken line."""

import json

STORY = [
    "The river authority confirmed on Tuesday that the flood barrier at Elmford will be raised by half a metre "
    "before the winter storms, after engineers found that the spring floods came within a hand's width of the top.",
    "Residents of the lower town had asked for the work since the floods, when water reached the steps of the "
    "market hall and several shops on Quay Street had to close for a fortnight to dry out.",
    "The authority said the contract, worth 1,275,000 euros, would go to a regional firm and that the road along "
    "the embankment would stay open while the barrier is raised in sections.",
]

SITES = {
    "northbay": ("Northbay Courier", "https://www.northbay-courier.example/2019/03/12/elmford-barrier"),
    "valley": ("Valley Times", "https://valleytimes.example/news/elmford-flood-barrier"),
    "hillside": ("Hillside Herald", "https://news.hillside-herald.example/elmford-barrier-raised"),
}


def syndicated_html(site_name: str, url: str, extra: str) -> str:
    """The same story as one outlet frames it: its own menus, share links and footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Elmford flood barrier to be raised | {site_name}</title>
<meta property="og:site_name" content="{site_name}">
<meta property="article:published_time" content="2019-03-12T09:00:00Z">
<link rel="canonical" href="{url}"></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/weather">Weather</a></nav>
<article><h1>Elmford flood barrier to be raised</h1>{paragraphs}<p>{extra}</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Email</a></div></article>
<footer>Copyright {site_name}. All rights reserved.</footer></body></html>"""


DATED = {
    "valley/ferry-2017.html": ("2017-06-01", "https://valleytimes.example/news/ferry-timetable",
                               "Ferry timetable changes for summer",
                               "The river ferry between Elmford and Marston will run every twenty minutes from June, the "
                               "operator said, after passenger numbers rose by a quarter over the last year."),
    "valley/bridge-2018.html": ("2018-02-20", "https://valleytimes.example/news/bridge-tolls",
                                "Bridge tolls frozen for another year",
                                "Tolls on the Marston road bridge will stay at their current level for another year, "
                                "the county council decided, citing the cost of living and the flood repairs."),
    "northbay/harbour-2020.html": ("2020-09-15", "https://www.northbay-courier.example/2020/09/15/harbour",
                                   "Harbour wall repaired after storm",
                                   "Repairs to the harbour wall at Northbay finished on Monday, three months after a storm "
                                   "tore a gap in it, and the fishing fleet has moved back to its old moorings."),
    "hillside/covid-2021.html": ("2021-01-10", "https://news.hillside-herald.example/covid-vaccine-centre",
                                 "COVID-19 vaccine centre opens in Hillside",
                                 "A COVID-19 vaccination centre opened in the old library on Saturday, and the council "
                                 "said that 47/50-POL forms and U.S. travel papers would be checked at the door."),
}


def dated_html(date: str, url: str, title: str, text: str) -> str:
    """A plain dated news page."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}T08:00:00Z"><link rel="canonical" href="{url}"></head>
<body><article><h1>{title}</h1><p>{text}</p><p>{text} More details will follow as the story develops.</p>
</article></body></html>"""


EXACT_COPY = """Farmers near Elmford will be paid to let two meadows flood in wet winters, so that the water spreads out there instead of in the lower town, under a scheme agreed with the river authority.
The meadows lie upstream of the barrier and were chosen because they flooded naturally before the river was straightened a century ago.
"""

JSONL_RECORDS = [
    {"id": "wire-1", "url": "https://wire.example/1", "title": "Lighthouse keeper retires after forty years",
     "text": "The last keeper of the Marston lighthouse retired on Friday after forty years of climbing its "
             "one hundred and twelve steps every evening to check the lamp.\nThe lighthouse has been automatic "
             "since 1998 but the keeper stayed on to look after the building.", "date": "2016-04-08"},
    "this line is not JSON",
    {"id": "wire-2", "html": "<html><body><article><p>Dredging of the Marston channel began on Monday and will "
     "take about six weeks, the harbour board said, with the channel closed to large boats at night.</p>"
     "</article></body></html>", "title": "Channel dredging begins", "date": "2022-05-02"},
    {"id": "wire-3", "url": "https://wire.example/3"},  # no text, title or html: nothing to index
]


def write_news_corpus(root) -> None:
    """Write the news corpus under root."""
    for folder, (name, url) in SITES.items():
        extra = (f"The {name} asked the authority whether the work would be finished in time, and a spokesman "
                 f"said the first sections would be done by the end of {folder.title()} month.")
        path = root / folder / "elmford-barrier.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(syndicated_html(name, url, extra), encoding="utf-8")
    for rel, fields in DATED.items():
        (root / rel).write_text(dated_html(*fields), encoding="utf-8")
    (root / "valley" / "meadows.txt").write_text(EXACT_COPY, encoding="utf-8")
    (root / "northbay" / "meadows-copy.txt").write_text(EXACT_COPY, encoding="utf-8")
    lines = [r if isinstance(r, str) else json.dumps(r) for r in JSONL_RECORDS]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
