"""Sentence splitting and the one normalising function for HTML quotes."""

from __future__ import annotations

from extract.text import normalise_markup, sentence_spans


def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_splits_on_full_stops_followed_by_capitals() -> None:
    assert spans("IgM is high. IgG is low.") == ["IgM is high.", "IgG is low."]


def test_keeps_abbreviations_and_initials_inside_a_sentence() -> None:
    text = "Opportunistic: P. jirovecii pneumonia, e.g. in infants. Mycobacterium spp. also occur."
    assert spans(text) == ["Opportunistic: P. jirovecii pneumonia, e.g. in infants.", "Mycobacterium spp. also occur."]


def test_does_not_split_decimals_or_lowercase_continuations() -> None:
    assert spans("CD40LG (Xq26.3-27.1) is mutated. it goes on") == ["CD40LG (Xq26.3-27.1) is mutated. it goes on"]


def test_spans_are_trimmed_offsets_into_the_text() -> None:
    text = "  One.   Two.  "
    assert [(a, b) for a, b in sentence_spans(text)] == [(2, 6), (9, 13)]


def test_normalise_markup_removes_tags_decodes_references_collapses_space() -> None:
    cut = 'immunoglobulin M (<a href="x" data-alt="not text">IgM</a>)&nbsp;and\n  <em>IgG</em> &amp; IgA&#8217;s'
    assert normalise_markup(cut) == "immunoglobulin M (IgM) and IgG & IgA’s"


def test_normalise_markup_drops_viewer_noise_lines() -> None:
    assert normalise_markup("first part\n|\n||\nsecond <b>part</b>") == "first part second part"


def test_normalise_markup_of_plain_text_is_whitespace_collapse() -> None:
    assert normalise_markup("a  b\n c") == "a b c"
