"""Site templates: lines recurring across one site's pages are learned, saved, and removed."""

from pathlib import Path

from click.testing import CliRunner

from search.cleaning.clean import clean_page
from search.cleaning.templates import SiteTemplates, learn_templates, load_templates, save_templates, site_key
from search.cli import main
from search.records import Page
from tests.pages import (
    FENBRIDGE_ARTICLES,
    FENBRIDGE_MENU,
    FENBRIDGE_SIGNOFF,
    FENBRIDGE_WIDGET,
    HARBOUR_TEXT,
    OXLEY_WIRE_MENU,
    OXLEY_WIRE_RESULTS,
    fenbridge_page,
    oxley_wire_page,
)


def site_pages(numbers, group: str = "fenbridge") -> list[Page]:
    return [Page(id=f"{group}/{n}.txt", path=f"{group}/{n}.txt", kind="text", content=fenbridge_page(n),
                 group=group) for n in numbers]


def test_lines_on_every_page_of_a_site_are_its_template():
    pages = site_pages(range(3))
    templates = learn_templates(pages)
    site = site_key(pages[0])
    for line in (FENBRIDGE_MENU, FENBRIDGE_WIDGET, FENBRIDGE_SIGNOFF):
        assert templates.share(site, line) == 1.0
    for headline, first, _second in FENBRIDGE_ARTICLES[:3]:
        assert templates.share(site, first) == 0.0
        assert templates.share(site, headline) == 0.0


def test_cleaning_with_templates_removes_the_sites_recurring_lines():
    pages = site_pages(range(3))
    templates = learn_templates(pages)
    for page, (headline, first, second) in zip(pages, FENBRIDGE_ARTICLES, strict=False):
        doc = clean_page(page, templates)
        assert doc.body == f"{first}\n\n{second}"
        assert doc.title == headline
        reasons = {r.text: r.reason for r in doc.removed}
        assert reasons[FENBRIDGE_SIGNOFF].startswith("site template")
        assert reasons[FENBRIDGE_WIDGET].startswith("site template")


def test_without_templates_the_prose_shaped_signoff_survives():
    # The sign-off reads like prose: only its recurrence across the site shows it is boilerplate.
    doc = clean_page(site_pages([0])[0])
    assert FENBRIDGE_SIGNOFF in doc.body


def test_templates_saved_beside_the_index_serve_a_new_page_of_the_site(tmp_path: Path):
    save_templates(learn_templates(site_pages(range(3))), tmp_path)
    loaded = load_templates(tmp_path)
    new_page = site_pages([3])[0]
    doc = clean_page(new_page, loaded)
    headline, first, second = FENBRIDGE_ARTICLES[3]
    assert doc.body == f"{first}\n\n{second}"
    # Another site learns nothing from Fenbridge's template.
    other = site_pages([3], group="elsewhere")[0]
    assert FENBRIDGE_SIGNOFF in clean_page(other, loaded).body


def test_missing_or_broken_templates_file_gives_empty_templates(tmp_path: Path):
    assert load_templates(tmp_path).lines == {}
    (tmp_path / "templates.json").write_text("{not json")
    assert load_templates(tmp_path) == SiteTemplates()


def test_the_same_page_saved_twice_does_not_make_its_article_a_template():
    pages = site_pages([0, 0, 1])
    templates = learn_templates(pages)
    headline, first, second = FENBRIDGE_ARTICLES[0]
    assert templates.share(site_key(pages[0]), first) == 0.0
    assert clean_page(pages[0], templates).body == f"{first}\n\n{second}"


def test_site_is_the_url_host_before_the_folder():
    page = Page(id="a.txt", path="a.txt", kind="text", content=HARBOUR_TEXT, url="https://www.Example.org/x",
                group="folder")
    assert site_key(page) == "example.org"
    assert site_key(Page(id="a.txt", path="a.txt", kind="text", content=HARBOUR_TEXT, group="folder")) == "folder"


def test_search_clean_learns_templates_over_the_files_given(tmp_path: Path):
    folder = tmp_path / "fenbridge"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(fenbridge_page(n), encoding="utf-8")
    files = [str(folder / f"{n}.txt") for n in range(3)]
    result = CliRunner().invoke(main, ["clean", "--explain", *files])
    assert result.exit_code == 0, result.output
    assert "removed (site template" in result.output
    assert FENBRIDGE_SIGNOFF not in result.output.split("removed (")[0]


def test_templates_merge_per_site_and_read_a_plain_list_of_lines(tmp_path: Path):
    learned = learn_templates(site_pages(range(3)))
    (tmp_path / "templates.json").write_text('{"lines": {"elsewhere": ["Elsewhere Times"]}}')
    merged = SiteTemplates({**load_templates(tmp_path).lines, **learned.lines})
    assert merged.lines_for("elsewhere") == frozenset({"Elsewhere Times"})
    assert merged.share("elsewhere", "elsewhere  times") == 1.0
    assert merged.share("fenbridge", FENBRIDGE_MENU) == 1.0
    save_templates(merged, tmp_path)
    assert load_templates(tmp_path) == merged


def test_template_sample_barely_moves_when_a_few_pages_come_and_go():
    from search.indexing.workers import template_sample

    paths = {f"site/page-{i:04d}.txt": Path(f"/corpus/site/page-{i:04d}.txt") for i in range(1000)}
    before = set(template_sample(paths, per_site=50))
    assert len(before) == 50
    changed = dict(paths)
    for pid in list(paths)[:10]:  # ten pages deleted, ten added
        changed.pop(pid)
    changed.update({f"site/new-{i}.txt": Path(f"/corpus/site/new-{i}.txt") for i in range(10)})
    after = set(template_sample(changed, per_site=50))
    # Only pages that left or entered the folder can leave or enter the sample.
    moved = before ^ after
    assert all(p not in changed.values() or p.name.startswith("new-") for p in moved)
    assert len(moved) <= 2 * 20


def test_lines_of_figures_recurring_with_other_numbers_stay_article():
    pages = [Page(id=f"oxley/{n}.txt", path=f"oxley/{n}.txt", kind="text", content=oxley_wire_page(n),
                  group="oxley") for n in range(len(OXLEY_WIRE_RESULTS))]
    templates = learn_templates(pages)
    site = site_key(pages[0])
    assert templates.share(site, OXLEY_WIRE_MENU) == 1.0
    for _headline, _lead, figures, _comments in OXLEY_WIRE_RESULTS:
        for line in figures:
            assert templates.share(site, line) == 0.0, line
    # The counter's numbers repeat from page to page: its shape is template, whatever the count.
    assert templates.share(site, "Comments (3)") == 1.0
    assert templates.share(site, "Comments (12)") == 1.0
    for page, (_headline, lead, figures, _comments) in zip(pages, OXLEY_WIRE_RESULTS, strict=True):
        doc = clean_page(page, templates)
        assert lead in doc.body
        reasons = {r.text: r.reason for r in doc.removed}
        assert reasons[OXLEY_WIRE_MENU].startswith("site template")
        for line in figures:
            assert not reasons.get(line, "").startswith("site template"), (line, reasons[line])


def test_a_folder_of_pages_from_many_sites_has_no_template():
    # Each page comes from a different outlet; two of them quote the same statement. A line shared by a
    # few pages of a mixed folder is chance, not a site's template.
    quote = ("The river authority said in a statement that the new flood barrier would protect more than "
             "two thousand homes along the lower valley from the spring tides.")
    pages = []
    for n, (headline, first, second) in enumerate(FENBRIDGE_ARTICLES * 2):
        lines = [f"Outlet {'ABCDEFGH'[n]} | Home | Local news", headline, first, second]
        if n < 2:
            lines.append(quote)
        pages.append(Page(id=f"mixed/{n}.txt", path=f"mixed/{n}.txt", kind="text",
                          content="\n".join(lines) + "\n", group="mixed"))
    templates = learn_templates(pages)
    assert templates.lines_for("mixed") == frozenset()
    assert quote in clean_page(pages[0], templates).body


def test_an_article_on_two_pages_of_a_site_is_not_its_template():
    # The site's fourth page repeats the first one's article beside another headline (saved again, or
    # reposted): its paragraphs are on two of five pages, the menu on all of them.
    pages = site_pages(range(4))
    headline, first, second = FENBRIDGE_ARTICLES[0]
    again = "\n".join([FENBRIDGE_MENU, "Ferry back in service", first, second, FENBRIDGE_SIGNOFF]) + "\n"
    pages.append(Page(id="fenbridge/again.txt", path="fenbridge/again.txt", kind="text", content=again,
                      group="fenbridge"))
    templates = learn_templates(pages)
    site = site_key(pages[0])
    assert templates.share(site, FENBRIDGE_MENU) == 1.0
    assert templates.share(site, first) == 0.0
    assert clean_page(pages[0], templates).body == f"{first}\n\n{second}"


_ABOUT = ("I take pictures of the river at dawn and write a line or two about each of them. This is where I "
          "keep them, so that friends and strangers alike can see what the water looked like that day.")
_POSTS = [("Heron on the weir", "A grey heron waits for the morning's first fish."),
          ("Mist over the lock", "The lock keeper's cottage vanishes in the fog."),
          ("Ice on the towpath", "Frost turned the whole towpath white overnight."),
          ("Swans at the boathouse", "Six cygnets follow their parents past the club.")]


def photo_post(n: int) -> Page:
    title, caption = _POSTS[n]
    html = f"""<html><head><title>{title} - River Notes</title></head><body>
    <ul class="menu"><li><a href="/">Home</a></li><li><a href="/about">About</a></li>
    <li><a href="/archive">Archive</a></li></ul>
    <div class="sidebar"><h1>River Notes</h1><p>{_ABOUT}</p>
    <h3>Tags</h3><ul><li><a href="/t/birds">birds (12)</a></li><li><a href="/t/weather">weather (9)</a></li>
    <li><a href="/t/boats">boats (4)</a></li></ul>
    <h3>Archive</h3><ul>{"".join(f'<li><a href="/{y}">{y} ({y - 2000})</a></li>' for y in range(2012, 2025))}</ul>
    <h3>Friends</h3><ul>{"".join(f'<li><a href="/f{k}">Friend blog {k}</a></li>' for k in range(8))}</ul></div>
    <div class="post"><div class="date">{n + 3} March 2024</div><h2>{title}</h2>
    <div class="source">via {title.split()[0].lower()}.example</div><p>{caption}</p></div>
    <div class="foot">Powered by a small blog engine</div></body></html>"""
    return Page(id=f"river/{n}.html", path=f"river/{n}.html", kind="html", content=html, group="river")


def test_a_photo_posts_short_caption_beats_the_sites_prose_blurb():
    # The post's own words are few and short: the site's about-me paragraph, on every page, reads more like
    # an article than they do, but it is the site's template, and the page has words of its own.
    pages = [photo_post(n) for n in range(len(_POSTS))]
    templates = learn_templates(pages)
    for page, (_title, caption) in zip(pages, _POSTS, strict=True):
        doc = clean_page(page, templates)
        assert caption in doc.body
        assert _ABOUT not in doc.body
        assert next(r.reason for r in doc.removed if r.text == _ABOUT).startswith("site template")


def test_a_page_made_only_of_the_sites_template_still_keeps_its_text():
    # A page that is all template (the about page saved again, a placeholder) is judged on its own lines.
    about = Page(id="river/about.html", path="river/about.html", kind="html",
                 content=f"<html><body><div class='profile'><h1>River Notes</h1><p>{_ABOUT}</p></div></body></html>",
                 group="river")
    pages = [photo_post(n) for n in range(len(_POSTS))] + [about]
    assert _ABOUT in clean_page(about, learn_templates(pages)).body
