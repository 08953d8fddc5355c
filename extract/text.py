"""Text helpers shared by every reader: sentence splitting with offsets and the
one normalising function that turns a cut of an HTML file into its quote."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator


# Tokens after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """e.g i.e vs etc al spp sp dr mr mrs ms prof fig no nos approx yr yrs mo
    st jr sr inc ltd co dept univ ed eds vol pp ca cf resp""".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9•*-])")
_VIEWER_NOISE_LINE = re.compile(r"^\|{1,2}[ \t]*$", re.MULTILINE)
_WS = re.compile(r"\s+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` spans of the sentences of ``text[start:end]``.

    Spans are trimmed of surrounding whitespace and never empty.  A full stop
    after a known abbreviation or a single capital letter (``P. jirovecii``)
    does not end a sentence.

    >>> t = "It is rare. P. jirovecii, e.g. in infants, is common. Done"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['It is rare.', 'P. jirovecii, e.g. in infants, is common.', 'Done']
    """
    stop = len(text) if end is None else end
    cursor = start
    for match in _BOUNDARY.finditer(text, start, stop):
        cut = match.end()
        if text[match.start()] == "." and _is_abbreviation(text, cursor, match.start()):
            continue
        yield from _trimmed(text, cursor, cut)
        cursor = cut
    yield from _trimmed(text, cursor, stop)


def _is_abbreviation(text: str, begin: int, dot: int) -> bool:
    word_start = dot
    while word_start > begin and not text[word_start - 1].isspace() and text[word_start - 1] not in "([":
        word_start -= 1
    word = text[word_start:dot]
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "P. jirovecii", "Hans D. Ochs"
    return word.lower().rstrip(".") in _ABBREVIATIONS


def _trimmed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        yield a, b


def collapse_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends.

    >>> collapse_whitespace("  a\\n\\t b ")
    'a b'
    """
    return _WS.sub(" ", text).strip()


def normalise_markup(fragment: str) -> str:
    """The quote a cut of an HTML file stands for.

    Removes the lines of viewer noise (``|`` or ``||`` alone on a line), the
    tags, decodes character references and collapses whitespace.  This is the
    single function the HTML reader and the provenance tests both use.

    >>> normalise_markup('IgM <a href="x">(IgM)</a>&amp; IgG\\n|\\n||\\nlevels')
    'IgM (IgM)& IgG levels'
    """
    without_noise = _VIEWER_NOISE_LINE.sub(" ", fragment)
    if "<" not in without_noise:
        return collapse_whitespace(html.unescape(without_noise))
    from bs4 import BeautifulSoup  # here: a build served from the cache reads no HTML, and bs4 takes 0.2 s to import

    text = BeautifulSoup(without_noise, "lxml").get_text()
    return collapse_whitespace(text)


def context(text: str, start: int, end: int, width: int = 32) -> tuple[str, str]:
    """Up to ``width`` characters before ``start`` and after ``end`` (prefix, suffix)."""
    return text[max(0, start - width) : start], text[end : end + width]
