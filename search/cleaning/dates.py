"""Finding publication dates in datelines, markup values and URLs, as ISO strings."""

from __future__ import annotations

import re
from datetime import date

from ..analysis.tokens import is_unspaced

# Month names by month number, as datelines write them: English (with its abbreviations), French,
# Spanish, Portuguese, Italian, German, Dutch, Swedish, Danish and Norwegian, Indonesian and
# Turkish; Russian, Ukrainian and Polish in the genitive a date takes ("5 марта 2019"); Arabic
# (the names used in Egypt and most of the press, and the Levant's). A name that means two
# months in two languages (Czech and Croatian "listopad") is left out.
_MONTH_NAMES = (
    ("january", "jan", "janvier", "enero", "janeiro", "gennaio", "januar", "januari", "ocak",
     "января", "січня", "stycznia", "يناير", "كانون الثاني"),
    ("february", "feb", "février", "fevrier", "febrero", "fevereiro", "febbraio", "februar", "februari", "şubat",
     "subat", "февраля", "лютого", "lutego", "فبراير", "شباط"),
    ("march", "mar", "mars", "marzo", "março", "marco", "märz", "maerz", "maart", "marts", "maret", "mart",
     "марта", "березня", "marca", "مارس", "آذار"),
    ("april", "apr", "avril", "abril", "aprile", "nisan", "апреля", "квітня", "kwietnia", "أبريل", "إبريل",
     "نيسان"),
    ("may", "mai", "mayo", "maio", "maggio", "mei", "maj", "mayıs", "mayis", "мая", "травня", "maja", "مايو",
     "أيار"),
    ("june", "jun", "juin", "junio", "junho", "giugno", "juni", "haziran", "июня", "червня", "czerwca",
     "يونيو", "يونيه", "حزيران"),
    ("july", "jul", "juillet", "julio", "julho", "luglio", "juli", "temmuz", "июля", "липня", "lipca",
     "يوليو", "يوليه", "تموز"),
    ("august", "aug", "août", "aout", "agosto", "augustus", "augusti", "agustus", "ağustos", "agustos",
     "августа", "серпня", "sierpnia", "أغسطس", "آب"),
    ("september", "sep", "sept", "septembre", "septiembre", "setembro", "settembre", "eylül", "eylul",
     "сентября", "вересня", "września", "wrzesnia", "سبتمبر", "أيلول"),
    ("october", "oct", "octobre", "octubre", "outubro", "ottobre", "oktober", "ekim", "октября", "жовтня",
     "października", "pazdziernika", "أكتوبر", "تشرين الأول"),
    ("november", "nov", "novembre", "noviembre", "novembro", "kasım", "kasim", "ноября", "листопада",
     "listopada", "نوفمبر", "تشرين الثاني"),
    ("december", "dec", "décembre", "decembre", "diciembre", "dezembro", "dicembre", "dezember", "desember",
     "aralık", "aralik", "декабря", "грудня", "grudnia", "ديسمبر", "كانون الأول"),
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Most specific first: a numeric ISO date is never confused with prose.
DATE_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_YEAR}-(?P<mnum>[01]?\d)-{_DAY}(?!\d)",
        rf"\b{_YEAR}/(?P<mnum>[01]?\d)/{_DAY}(?!\d)",
        rf"\b{_DAY}\.\s?(?P<mnum>[01]?\d)\.\s?{_YEAR}\b",
        # "3 January 2019", "3rd of January, 2019", "3 de enero de 2019", "3. März 2019"
        rf"\b{_DAY}\.?(?:\s+of|\s+de)?\s+{_MONTH},?\s+(?:de\s+)?{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        # Chinese and Japanese "2019年3月5日", Korean "2019년 3월 5일": digits beside letters, so no \b.
        rf"(?<!\d){_YEAR}\s*年\s*(?P<mnum>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日",
        rf"(?<!\d){_YEAR}\s*년\s*(?P<mnum>[01]?\d)\s*월\s*(?P<day>[0-3]?\d)\s*일",
    )
)

# Dates in URLs: /2018/02/22/, /2018-02-22-, /20180222/.
URL_DATE_PATTERNS = (
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<mnum>[01]\d)/(?P<day>[0-3]\d)(?:/|\b)"),
    re.compile(r"[/_-](?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?:[/_.-]|$)"),
    re.compile(r"/(?P<year>(?:19|20)\d\d)(?P<mnum>[01]\d)(?P<day>[0-3]\d)/"),
)

# Words that may stand beside a date on a dateline without making it a sentence.
DATELINE_WORDS = frozenset(
    """date dated published posted updated modified last on at by am pm gmt utc bst est edt cet cest
    pst pdt msk time monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat
    sun today yesterday local
    à le mis jour publié publiée modifié de del el publicado actualizado atualizado em pubblicato
    aggiornato il alle um uhr veröffentlicht aktualisiert gepubliceerd bijgewerkt op om publicerad
    uppdaterad kl diterbitkan diperbarui pukul wib yayınlanma güncelleme tarihi saat опубликовано
    обновлено г года опубліковано оновлено opublikowano aktualizacja godz r نشر في بتاريخ آخر تحديث
    发布 发布时间 更新 更新时间 日期 来源 時間 公開 更新日 입력 수정 기사입력""".split()
)

_SENTENCE_END = re.compile(r"[.!?]\s+\w|[。！？]")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_WORD = re.compile(r"[^\W\d_]+")


def _to_iso(match: re.Match) -> str | None:
    parts = match.groupdict()
    month = int(parts["mnum"]) if parts.get("mnum") else MONTHS[parts["month"].lower()]
    try:
        return date(int(parts["year"]), month, int(parts["day"])).isoformat()
    except ValueError:
        return None


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def find_date(text: str) -> tuple[str, re.Match] | None:
    """The first well-formed date in text, as (ISO string, match), or None."""
    # Every pattern needs a year: most lines have none, and the month names make the patterns slow.
    if not _ANY_YEAR.search(text):
        return None
    best = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso and (best is None or match.start() < best[1].start()):
                best = (iso, match)
                break
    return best


def parse_date(value: str) -> str | None:
    """An ISO date from a markup value such as "2018-02-22T10:00:00Z" or "Feb 22, 2018"."""
    found = find_date(value or "")
    return found[0] if found else None


def date_from_url(url: str | None) -> str | None:
    """An ISO date written into a URL's path, or None."""
    for pattern in URL_DATE_PATTERNS:
        match = pattern.search(url or "")
        if match and (iso := _to_iso(match)):
            return iso
    return None


def dateline_date(line: str) -> str | None:
    """The date of a line that is a dateline: a date and nothing but dateline or widget words."""
    found = find_date(line)
    if not found or len(line) > 120:
        return None
    iso = found[0]
    # Every date leaves the line, not just the first: "Published Dec. 6, 2024 / Updated Dec. 7, 2024"
    # is a dateline, and an abbreviation's dot left behind would read as a sentence's end.
    rest = line
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    words = [w.lower() for w in _WORD.findall(rest)]
    # A run of unspaced script (Chinese, Japanese) is many words: counted as a word a character pair.
    extra = sum(max(1, len(w) // 2) if is_unspaced(w) else 1 for w in words if w not in DATELINE_WORDS)
    # A byline name may share the line ("By Jane Doe, 22 February 2018"), a sentence may not.
    return iso if extra <= 3 and not _SENTENCE_END.search(rest) else None
