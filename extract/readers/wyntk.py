"""Reader for "X: What You Need To Know" health articles (plain text).

Layout: the title line, a tagline, question headings (lines ending in ``?``)
with paragraphs, ``- `` bullet lists and Markdown tables below them, a
"Frequently asked questions" part, a References list and author furniture.
"""

from __future__ import annotations

import re

from extract.errors import InputError
from extract.model import Document, SectionKind
from extract.readers.plaintext import DocumentBuilder, Line, is_bullet, lines

_TITLE = re.compile(r"^\s*(?P<topic>.+?):\s*What You Need To Know\s*$", re.IGNORECASE)
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
_REFERENCES = re.compile(r"^\s*(References|Sources|Further reading)\s*:?\s*$", re.IGNORECASE)
_FAQ = re.compile(r"^\s*Frequently asked questions\b", re.IGNORECASE)
_FURNITURE = re.compile(r"^\s*(Read full bio of|Medically reviewed by|Share this|Advertisement)\b", re.IGNORECASE)


class WhatYouNeedToKnowReader:
    """"X: What You Need To Know" article."""

    kind = "what-you-need-to-know"
    publisher = "What You Need To Know health article"

    def sniff(self, text: str) -> bool:
        """The first non-blank line is ``<topic>: What You Need To Know``."""
        first = next((line for line in lines(text) if not line.blank), None)
        return first is not None and bool(_TITLE.match(first.text))

    def read(self, file_name: str, text: str) -> Document:
        """Headings open sections; bullets, paragraphs and table rows become sentences."""
        body = lines(text)
        first = next((line for line in body if not line.blank), None)
        if first is None or not _TITLE.match(first.text):
            raise InputError(file_name, "no '<topic>: What You Need To Know' title line")
        title = first.stripped
        builder = DocumentBuilder(file_name, text, self.kind, self.publisher)
        builder.open_section(first, SectionKind.CONTENT, heading="Summary")
        in_faq = False
        header_row_seen = False
        for index, line in enumerate(body):
            if line.blank or line is first:
                continue
            if _REFERENCES.match(line.text):
                builder.open_section(line, SectionKind.REFERENCES)
            elif _FURNITURE.match(line.text):
                builder.open_section(line, SectionKind.FURNITURE)
            elif builder.section_kind is SectionKind.REFERENCES:
                builder.add_line(line)
            elif _FAQ.match(line.text):
                in_faq = True
                builder.open_section(line, SectionKind.FAQ)
            elif _is_heading(body, index):
                builder.open_section(line, SectionKind.FAQ if in_faq else SectionKind.CONTENT)
                header_row_seen = False
            elif _TABLE_RULE.match(line.text):
                continue
            elif _TABLE_ROW.match(line.text):
                if not header_row_seen:
                    header_row_seen = True  # the header row names columns, it asserts nothing
                    continue
                self._table_row(builder, line)
            else:
                builder.add_line(line)
        return builder.build(title)

    def _table_row(self, builder: DocumentBuilder, line: Line) -> None:
        """A table row is one sentence spanning its first to its last cell."""
        inner_start = line.text.index("|") + 1
        inner_end = line.text.rindex("|")
        raw = line.text[inner_start:inner_end]
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        start = line.start + inner_start + lead
        end = line.start + inner_end - trail
        if end > start:
            builder.add_sentence_span(start, end)


def _is_heading(body: list[Line], index: int) -> bool:
    """A question line, or a short unpunctuated line followed by content."""
    line = body[index]
    if is_bullet(line) or _TABLE_ROW.match(line.text):
        return False
    stripped = line.stripped
    if stripped.endswith("?"):
        return True
    following = next((nxt for nxt in body[index + 1 :] if not nxt.blank), None)
    short = len(stripped.split()) <= 8 and stripped[-1] not in ".:;,!)"
    return short and following is not None and (is_bullet(following) or len(following.stripped) > len(stripped))


READER = WhatYouNeedToKnowReader()
