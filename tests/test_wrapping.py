"""Text pages wrapped at a fixed width: paragraphs joined back before cleaning."""

import textwrap

from search.cleaning.clean import clean_page
from search.cleaning.wrapping import unwrap, wrap_width
from search.records import Page

PARAGRAPHS = [
    "The harbour authority approved a plan on Tuesday to dredge the northern channel. Fishing crews say "
    "it has become too shallow for laden boats at low tide, and two trawlers ran aground there in March.",
    "Work is due to start in September and to last eleven weeks. Harbour Master Alison Grant said the "
    "channel would stay open to small craft, but larger vessels would use the southern approach until "
    "the dredgers had finished and the depth had been surveyed again.",
    "The cost, put at 2.4 million pounds, will be shared between the authority and the county council. "
    "Councillors agreed their part on Monday after a debate about whether the money would be better spent "
    "on the flood wall along the lower quay, which the river overtopped twice last winter.",
]
MENU = ["Home", "News", "Sport", "Weather", "Contact us"]


def wrapped_lines(width: int = 64) -> list[str]:
    lines = list(MENU)
    for paragraph in PARAGRAPHS:
        lines += textwrap.wrap(paragraph, width)
    return lines


def test_paragraphs_wrapped_at_a_fixed_width_are_joined_whatever_ends_their_lines():
    lines = wrapped_lines()
    # Some breaks fall after a sentence's end or before a capitalised name: still one paragraph.
    assert any(line.endswith(".") for line in lines[len(MENU):])
    assert 60 <= wrap_width(lines) <= 64
    assert unwrap(lines) == MENU + PARAGRAPHS


def test_a_page_of_one_paragraph_a_line_is_left_as_it_is():
    lines = MENU + PARAGRAPHS * 4
    assert wrap_width(lines) is None
    assert unwrap(lines) == lines
    headlines = [f"Ferry number {n} returns to service after repairs" for n in range(12)]
    assert unwrap(headlines) == headlines


def test_a_blank_line_ends_a_paragraph_however_full_its_last_line():
    # Wrapped at 52, the second paragraph's last line is full: only the blank line shows its end.
    lines = MENU + [line for paragraph in PARAGRAPHS for line in [*textwrap.wrap(paragraph, 52), ""]]
    assert unwrap(lines) == MENU + PARAGRAPHS
    assert unwrap([line for line in lines if line]) != MENU + PARAGRAPHS


def test_a_wrapped_text_page_is_cleaned_as_whole_paragraphs():
    doc = clean_page(Page(id="w.txt", path="w.txt", kind="text", content="\n".join(wrapped_lines())))
    assert doc.body.split("\n\n") == PARAGRAPHS
