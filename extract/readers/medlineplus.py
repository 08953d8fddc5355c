"""Reader for MedlinePlus Genetics condition pages (HTML).

The page may sit inside "viewer noise" (a header of line counts and a ``|`` or
``||`` line between every HTML line).  The reader blanks that noise out in a
copy of the same length, so every offset it computes still points into the
file as stored.  BeautifulSoup (lxml) reads the page's metadata and links;
Python's HTMLParser, which reports source positions, maps every visible
character of the content paragraphs back to its offset in the file.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote

from extract.errors import InputError
from extract.model import Document, Link, Section, SectionKind, Sentence
from extract.text import sentence_spans

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

_NOISE_LINE = re.compile(r"^(?:\|{1,2}|\d+ lines|\d+(?:\.\d+)? [KMG]iB|HTML)[ \t]*$", re.MULTILINE)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_FURNITURE_BOOKMARKS = frozenset({"resources", "synonyms"})
_LINK_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OMIM", re.compile(r"omim\.org/entry/(\d+)")),
    ("UMLS", re.compile(r"ncbi\.nlm\.nih\.gov/gtr/conditions/(C\d+)")),
    ("GARD", re.compile(r"rarediseases\.info\.nih\.gov/diseases/(\d+)")),
    ("MedlinePlusGene", re.compile(r"medlineplus\.gov/genetics/gene/([a-z0-9-]+)/?")),
    ("PMID", re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/?$")),
    ("PMCID", re.compile(r"ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)")),
)


def blank_viewer_noise(text: str) -> str:
    """The same text with viewer-noise lines replaced by spaces (same length, same offsets).

    >>> blank_viewer_noise("3 lines\\n|\\n<p>x</p>\\n||")
    '       \\n \\n<p>x</p>\\n  '
    """
    return _NOISE_LINE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass
class _Char:
    text: str
    start: int
    end: int


@dataclass
class _Block:
    """A paragraph (or list item) of visible characters with their source spans."""

    section: str
    kind: str  # "p" or "li"
    chars: list[_Char] = field(default_factory=list)


class _ContentParser(HTMLParser):
    """Collects headings and paragraphs of the ``div.mp-exp`` sections with offsets."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[tuple[str, str | None]] = []  # (tag, bookmark of an mp-exp div)
        self.bookmark: str | None = None
        self.heading: str = ""
        self.heading_chars: list[_Char] | None = None
        self.sections: list[tuple[str, str, int, int]] = []  # heading, bookmark, start, end
        self.block: _Block | None = None
        self.blocks: list[_Block] = []
        self.skip_depth = 0  # inside script/style

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.skip_depth += 1
        if tag in _VOID:
            return
        bookmark = None
        if tag == "div" and "mp-exp" in (attributes.get("class") or "").split() and attributes.get("data-bookmark"):
            bookmark = attributes["data-bookmark"]
            if self.bookmark is None:
                self.bookmark = bookmark
        self.stack.append((tag, bookmark))
        if self.bookmark is None:
            return
        if tag == "h2" and self.heading_chars is None and self.block is None:
            self.heading_chars = []
        elif tag in ("p", "li") and self.block is None and self.heading:
            self.block = _Block(self.heading, tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip_depth = max(0, self.skip_depth - 1)
        if tag in _VOID:
            return
        while self.stack:
            open_tag, bookmark = self.stack.pop()
            self._closed(open_tag, bookmark)
            if open_tag == tag:
                break

    def _closed(self, tag: str, bookmark: str | None) -> None:
        if tag == "h2" and self.heading_chars is not None:
            chars = _collapse(self.heading_chars)
            if chars:
                self.heading = "".join(c.text for c in chars)
                self.sections.append((self.heading, self.bookmark or "", chars[0].start, chars[-1].end))
            self.heading_chars = None
        if tag == (self.block.kind if self.block else None):
            assert self.block is not None
            self.blocks.append(self.block)
            self.block = None
        if bookmark is not None and bookmark == self.bookmark:
            self.bookmark = None
            self.heading = ""

    def _visible(self, decoded: str, start: int, end: int, per_char: bool) -> None:
        if self.skip_depth or self.bookmark is None:
            return
        target = self.heading_chars if self.heading_chars is not None else (self.block.chars if self.block else None)
        if target is None:
            return
        if per_char:
            target.extend(_Char(ch, start + i, start + i + 1) for i, ch in enumerate(decoded))
        else:
            target.extend(_Char(ch, start, end) for ch in decoded)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._visible(data, start, start + len(data), per_char=True)

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")

    def _reference(self, raw_prefix: str) -> None:
        start = self._offset()
        # the raw reference in the source, with or without its closing semicolon
        match = re.compile(re.escape(raw_prefix) + ";?").match(self.source, start)
        raw = match.group(0) if match else raw_prefix
        self._visible(html.unescape(raw), start, start + len(raw), per_char=False)


def _collapse(chars: list[_Char]) -> list[_Char]:
    """Whitespace runs become one space; leading and trailing whitespace goes."""
    out: list[_Char] = []
    for char in chars:
        if char.text.isspace():
            if out and out[-1].text != " ":
                out.append(_Char(" ", char.start, char.end))
        else:
            out.append(char)
    while out and out[-1].text == " ":
        out.pop()
    return out


class MedlinePlusGeneticsReader:
    """MedlinePlus Genetics condition page."""

    kind = "medlineplus-genetics"
    publisher = "U.S. National Library of Medicine (MedlinePlus Genetics)"

    def sniff(self, text: str) -> bool:
        """HTML naming a MedlinePlus Genetics condition page."""
        head = text[:200_000].lower()
        return "<html" in head and ('id="genetic_condition"' in head or "medlineplus.gov/genetics/condition/" in head)

    def read(self, file_name: str, text: str) -> Document:
        """Sentences of the content sections, with offsets into ``text`` as stored."""
        clean = blank_viewer_noise(text)
        if not re.search(r"</html\s*>", clean, re.I):
            raise InputError(file_name, "truncated HTML: no closing </html> tag")
        from bs4 import BeautifulSoup  # here: a build served from the cache reads no HTML

        soup = BeautifulSoup(clean, "lxml")
        title = _title(soup)
        if not title:
            raise InputError(file_name, "no page title (<h1> or og:title)")
        parser = _ContentParser(clean)
        parser.feed(clean)
        parser.close()
        if not parser.sections:
            raise InputError(file_name, "no MedlinePlus content sections (div.mp-exp with an <h2>) found")
        kinds = {heading: _section_kind(bookmark) for heading, bookmark, _, _ in parser.sections}
        sections = tuple(Section(h, kinds[h], a, b) for h, _, a, b in parser.sections)
        sentences: list[Sentence] = []
        references: list[str] = []
        for block in parser.blocks:
            chars = _collapse(block.chars)
            kind = kinds.get(block.section, SectionKind.CONTENT)
            if not chars or kind is SectionKind.FURNITURE:
                continue
            visible = "".join(c.text for c in chars)
            if kind is SectionKind.REFERENCES:
                references.append(visible)
                continue
            if block.kind == "li":
                continue  # list items of content sections are names, not sentences
            for a, b in sentence_spans(visible):
                sentences.append(Sentence(visible[a:b], chars[a].start, chars[b - 1].end, block.section, kind))
        return Document(
            file_name=file_name,
            kind=self.kind,
            title=title,
            text=text,
            sections=sections,
            sentences=tuple(sentences),
            url=_canonical(soup),
            publisher=self.publisher,
            markup=True,
            links=_links(soup),
            references=tuple(references),
        )


def _section_kind(bookmark: str) -> SectionKind:
    if bookmark == "references":
        return SectionKind.REFERENCES
    if bookmark in _FURNITURE_BOOKMARKS:
        return SectionKind.FURNITURE
    return SectionKind.CONTENT


def _title(soup: BeautifulSoup) -> str:
    h1 = soup.find("h1")
    if h1 is not None and h1.get_text(strip=True):
        return " ".join(h1.get_text().split())
    og = soup.find("meta", attrs={"property": "og:title"})
    content = og.get("content") if og is not None else None
    return str(content).split(":")[0].strip() if content else ""


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", attrs={"rel": "canonical"})
    href = link.get("href") if link is not None else None
    return str(href) if href else None


def _links(soup: BeautifulSoup) -> tuple[Link, ...]:
    found: dict[tuple[str, str], Link] = {}
    for anchor in soup.find_all("a", href=True):
        href = unquote(str(anchor["href"])).strip()
        for prefix, pattern in _LINK_PATTERNS:
            match = pattern.search(href)
            if match:
                key = (prefix, match.group(1))
                label = " ".join(anchor.get_text().split())
                if key not in found or (label and not found[key].label):
                    found[key] = Link(prefix, match.group(1), href, label)
    return tuple(sorted(found.values(), key=lambda link: (link.prefix, link.local_id)))


READER = MedlinePlusGeneticsReader()
