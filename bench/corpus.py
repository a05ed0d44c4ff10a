"""A reproducible corpus of scraped-looking pages, made from real news articles.

Each page is a real article (Reuters 1987, BBC 2004-05) dressed as one of a dozen made-up sites
would save it: as page text (one block a line) or as HTML, in the site's folder, with the site's
menu, dateline, share line, cookie notice and sign-off around it. Past the real articles' count,
pages are new articles recombined from real paragraphs. The same seed gives the same bytes.
"""

from __future__ import annotations

import html
import json
import random
import re
import string
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SITES = (
    # folder, outlet name, share of pages saved as HTML
    ("wire-daily", "Wire Daily", 0.0),
    ("harbour-times", "Harbour Times", 0.0),
    ("metro-ledger", "Metro Ledger", 0.2),
    ("valley-post", "Valley Post", 0.5),
    ("north-courier", "North Courier", 0.0),
    ("market-watcher", "Market Watcher", 1.0),
    ("city-gazette", "City Gazette", 0.3),
    ("coastal-herald", "Coastal Herald", 0.0),
    ("river-news", "River News", 0.6),
    ("plains-observer", "Plains Observer", 0.0),
    ("tech-bulletin", "Tech Bulletin", 1.0),
    ("evening-record", "Evening Record", 0.1),
)
NAV = ("Home", "World", "Business", "Markets", "Sport", "Tech", "Opinion", "Contact")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


@dataclass(frozen=True)
class Article:
    """An article's title and paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def reuters_paragraphs(text: str) -> list[str]:
    """Reuters bodies wrap at 70 columns and indent each paragraph: join the lines back up."""
    text = re.sub(r"\s*REUTER\s*$", "", text.strip())
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s{2,}", text)]
    return [p for p in paragraphs if len(p.split()) >= 6]


def load_articles(data_dir: Path) -> list[Article]:
    """Every real article with at least one paragraph of prose, Reuters then BBC."""
    articles = []
    for line in open(data_dir / "reuters21578" / "docs.jsonl", encoding="utf-8"):
        record = json.loads(line)
        paragraphs = reuters_paragraphs(record.get("text") or "")
        if paragraphs and record.get("title"):
            articles.append(Article(string.capwords(record["title"].lower()), tuple(paragraphs)))
    for line in open(data_dir / "bbc_news" / "docs.jsonl", encoding="utf-8"):
        record = json.loads(line)
        paragraphs = [p.strip() for p in record["text"].split("\n") if len(p.split()) >= 6]
        if paragraphs:
            articles.append(Article(record["title"].strip(), tuple(paragraphs)))
    return articles


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the corpus: where it goes, its bytes, and the article it carries (for the peers)."""

    relpath: str
    content: str
    title: str
    text: str


def slug(title: str) -> str:
    """A URL slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "story"


def text_page(site: tuple, article: Article, day: date, rnd: random.Random) -> str:
    """The article as page text: menu, dateline, headline, paragraphs, share line, sign-off."""
    folder, name, _ = site
    lines = [" | ".join(NAV), f"Published {day.day} {MONTH_NAMES[day.month - 1]} {day.year} A+ A- Print",
             article.title, *article.paragraphs, "Share on Facebook Share on Twitter Email"]
    if rnd.random() < 0.5:
        lines.append("Most read: " + " | ".join(rnd.sample(NAV, 3)))
    lines.append(name)
    return "\n".join(lines) + "\n"


def html_page(site: tuple, article: Article, day: date, rnd: random.Random, url: str) -> str:
    """The article as a saved HTML page with navigation, cookie banner, share tools and footer."""
    folder, name, _ = site
    esc = html.escape
    paragraphs = "\n".join(f"    <p>{esc(p)}</p>" for p in article.paragraphs)
    nav = " ".join(f'<a href="/{n.lower()}">{n}</a>' for n in NAV)
    related = "".join(f'<li><a href="/r/{rnd.randrange(10**6)}">{esc(n)} update</a></li>' for n in rnd.sample(NAV, 3))
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(article.title)} | {esc(name)}</title>
  <meta property="og:site_name" content="{esc(name)}">
  <meta property="article:published_time" content="{day.isoformat()}T08:00:00Z">
  <link rel="canonical" href="{esc(url)}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "{rnd.randrange(10**6)}"}});</script>
</head>
<body>
  <nav>{nav}</nav>
  <div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
  <article>
    <h1>{esc(article.title)}</h1>
{paragraphs}
    <div class="share-tools"><a href="#">Share on Twitter</a> <a href="#">Email</a></div>
  </article>
  <aside><h2>Most read</h2><ul>{related}</ul></aside>
  <footer>Copyright {day.year} {esc(name)}. All rights reserved.</footer>
</body>
</html>
"""


def make_page(i: int, article: Article, rnd: random.Random) -> GeneratedPage:
    """Page number i, carrying article, dressed as a site chosen by the seeded generator."""
    site = SITES[rnd.randrange(len(SITES))]
    day = date(1995, 1, 1) + timedelta(days=rnd.randrange(30 * 365))
    base = f"{day.isoformat()}-{slug(article.title)}-{i}"
    if rnd.random() < site[2]:
        url = f"https://{site[0]}.example/{day:%Y/%m/%d}/{base}"
        return GeneratedPage(f"{site[0]}/{base}.html", html_page(site, article, day, rnd, url),
                             article.title, "\n".join(article.paragraphs))
    return GeneratedPage(f"{site[0]}/{base}.txt", text_page(site, article, day, rnd),
                         article.title, "\n".join(article.paragraphs))


def recombined(articles: list[Article], rnd: random.Random) -> Article:
    """A new article: one real article's title over three to eight real paragraphs from others."""
    title = rnd.choice(articles).title
    paragraphs = tuple(rnd.choice(rnd.choice(articles).paragraphs) for _ in range(rnd.randint(3, 8)))
    return Article(title, paragraphs)


def generate_pages(articles: list[Article], n: int, seed: int, start: int = 0):
    """Pages start..start+n-1 of the seeded corpus: real articles first (shuffled), then recombined ones."""
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    for i in range(start, start + n):
        rnd = random.Random(f"{seed}:{i}")
        article = articles[order[i]] if i < len(order) else recombined(articles, rnd)
        yield make_page(i, article, rnd)


def write_corpus(data_dir: Path, out: Path, n: int, seed: int = 1) -> list[GeneratedPage]:
    """Write n pages under out (one folder a site) and out.jsonl with each article for the peers."""
    articles = load_articles(data_dir)
    pages = list(generate_pages(articles, n, seed))
    out.mkdir(parents=True)
    with open(out.with_suffix(".jsonl"), "w", encoding="utf-8") as peers:
        for page in pages:
            path = out / page.relpath
            path.parent.mkdir(exist_ok=True)
            path.write_text(page.content, encoding="utf-8")
            peers.write(json.dumps({"id": page.relpath, "title": page.title, "text": page.text}) + "\n")
    return pages


def change_one_percent(data_dir: Path, out: Path, pages: list[GeneratedPage], seed: int = 1) -> dict:
    """Edit, add and delete a third of 1% of the pages each; return what the index must then hold."""
    rnd = random.Random(f"{seed}:change")
    k = max(1, len(pages) // 300)
    chosen = rnd.sample(range(len(pages)), 2 * k)
    edited, deleted = chosen[:k], chosen[k:]
    markers = {}
    for i in edited:
        page = pages[i]
        marker = f"zqxmarker{i}"
        # One more sentence in the first paragraph: the article changed, its boilerplate did not.
        first = page.text.split("\n", 1)[0]
        content = page.content.replace(html.escape(first) if page.relpath.endswith(".html") else first,
                                       f"{first} The {marker} correction was added later.", 1)
        (out / page.relpath).write_text(content, encoding="utf-8")
        markers[page.relpath] = marker
    for i in deleted:
        (out / pages[i].relpath).unlink()
    articles = load_articles(data_dir)
    added = list(generate_pages(articles, k, seed + 1, start=len(pages)))
    for page in added:
        (out / page.relpath).parent.mkdir(exist_ok=True)
        (out / page.relpath).write_text(page.content, encoding="utf-8")
    return {"edited": markers, "deleted": [pages[i].relpath for i in deleted],
            "added": [p.relpath for p in added]}
