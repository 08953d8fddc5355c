"""Reader for NCBI Bookshelf "Genes and Disease" chapters (plain text).

Layout: the NLM / NCBI banner, an ``NLM Citation:`` line, ``Bookshelf URL:``,
the chapter title, prose paragraphs (Markdown ``*italics*`` kept as stored), a
"Related diseases" link list, and a figure legend.
"""

from __future__ import annotations

import re

from extract.errors import InputError
from extract.model import Document, SectionKind
from extract.readers.plaintext import URL, DocumentBuilder, Line, lines

_CITATION = re.compile(r"^\s*NLM Citation:.*Genes and Disease", re.IGNORECASE)
_BANNER = re.compile(
    r"^\s*(U\.S\. National Library of Medicine|National Center for Biotechnology Information"
    r"|NLM Citation:|Bookshelf URL:)",
    re.IGNORECASE,
)
_LINK_ONLY = re.compile(r"^\s*\[[^\]]+\]\([^)]*\)\s*$")
_HAS_MD_LINK = re.compile(r"\[[^\]]+\]\([^)]*\)")
_RELATED = re.compile(r"^\s*Related diseases\s*$", re.IGNORECASE)


class GenesAndDiseaseReader:
    """NCBI "Genes and Disease" chapter text."""

    kind = "ncbi-genes-and-disease"
    publisher = "National Center for Biotechnology Information (NCBI Bookshelf, Genes and Disease)"

    def sniff(self, text: str) -> bool:
        """An ``NLM Citation:`` line naming Genes and Disease."""
        return any(_CITATION.match(line.text) for line in lines(text)[:40])

    def read(self, file_name: str, text: str) -> Document:
        """Prose paragraphs are content; link lists and the viewer note are furniture."""
        body = lines(text)
        title_line = _title_line(body)
        if title_line is None:
            raise InputError(file_name, "no chapter title after the NLM banner")
        url = _bookshelf_url(body)
        builder = DocumentBuilder(file_name, text, self.kind, self.publisher)
        builder.open_section(title_line, SectionKind.CONTENT, heading=title_line.stripped)
        for line in body[body.index(title_line) + 1 :]:
            if line.blank:
                continue
            if _RELATED.match(line.text):
                builder.open_section(line, SectionKind.FURNITURE)
            elif _LINK_ONLY.match(line.text) or _HAS_MD_LINK.search(line.text):
                continue  # link lists and the 3-D viewer note
            elif builder.section_kind is SectionKind.FURNITURE:
                builder.open_section(line, SectionKind.CONTENT, heading="Figure legend")
                builder.add_line(line)
            else:
                builder.add_line(line)
        return builder.build(title_line.stripped, url)


def _title_line(body: list[Line]) -> Line | None:
    """The first non-blank line after the banner block that is not itself banner."""
    seen_banner = False
    for line in body:
        if line.blank:
            continue
        if _BANNER.match(line.text):
            seen_banner = True
            continue
        if seen_banner:
            return line
    return None


def _bookshelf_url(body: list[Line]) -> str | None:
    for line in body:
        if line.stripped.startswith("Bookshelf URL:"):
            match = URL.search(line.text)
            return match.group(0).rstrip(">") if match else None
    return None


READER = GenesAndDiseaseReader()
