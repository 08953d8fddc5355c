"""Reader for GARD / RareGuru question-and-answer pages (plain text).

Layout: a title line, then questions (lines ending in ``?``) each followed by
answer paragraphs and a ``Last updated on`` line; after the last answer come
organisation addresses, references, a drug-search widget and app adverts,
which are furniture (references are kept as citations).
"""

from __future__ import annotations

import re

from extract.errors import InputError
from extract.model import Document, SectionKind
from extract.readers.plaintext import DocumentBuilder, Line, lines

_UPDATED = re.compile(r"^\s*Last updated on\s+\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\s*$", re.IGNORECASE)
_ADDRESS = re.compile(
    r"^\s*(?:PO Box|P\.O\. Box|Toll[ -]?free|Fax|Phone|Tel|E-?mail|Web ?site|Url)\b"
    r"|^\s*[A-Z][A-Za-z .]+,\s*[A-Z]{2}\s+\d{5}"
    r"|^\s*Name:",
    re.IGNORECASE,
)


class GardReader:
    """GARD/RareGuru question-and-answer text."""

    kind = "gard-qa"
    publisher = "Genetic and Rare Diseases Information Center (GARD), via RareGuru"

    def sniff(self, text: str) -> bool:
        """Two or more ``Last updated on`` lines and at least one question line."""
        body = lines(text)
        updates = sum(1 for line in body if _UPDATED.match(line.text))
        questions = sum(1 for line in body if line.stripped.endswith("?"))
        return updates >= 2 and questions >= 1 and not text.lstrip().startswith("<")

    def read(self, file_name: str, text: str) -> Document:
        """Questions become FAQ sections; their answers become sentences."""
        body = lines(text)
        content = [line for line in body if not line.blank]
        if not content:
            raise InputError(file_name, "no text")
        title = content[0].stripped
        last_update = max((i for i, line in enumerate(body) if _UPDATED.match(line.text)), default=-1)
        if last_update < 0:
            raise InputError(file_name, "no 'Last updated on' line: not a complete GARD answer page")
        builder = DocumentBuilder(file_name, text, self.kind, self.publisher)
        builder.open_section(content[0], SectionKind.FURNITURE, heading=title)
        for index, line in enumerate(body):
            if line.blank or line is content[0]:
                continue
            if index > last_update:
                self._tail(builder, line)
            elif _UPDATED.match(line.text):
                continue
            elif line.stripped.endswith("?") and _next_is_answer(body, index):
                builder.open_section(line, SectionKind.FAQ)
            elif _ADDRESS.match(line.text) or _looks_like_name_line(line):
                continue
            else:
                builder.add_line(line)
        return builder.build(title)

    def _tail(self, builder: DocumentBuilder, line: Line) -> None:
        """After the last answer: keep references, drop the rest."""
        if "Reference Link" in line.text:
            if builder.section_kind is not SectionKind.REFERENCES:
                builder.open_section(line, SectionKind.REFERENCES, heading="References")
            for ref in line.text.split("Reference Link"):
                if ref.strip():
                    builder.references.append(ref.strip())
        elif builder.section_kind is not SectionKind.FURNITURE:
            builder.open_section(line, SectionKind.FURNITURE, heading="Page furniture")


def _next_is_answer(body: list[Line], index: int) -> bool:
    for line in body[index + 1 :]:
        if not line.blank:
            return not line.stripped.endswith("?")
    return False


def _looks_like_name_line(line: Line) -> bool:
    """An organisation's name alone on a line (no sentence punctuation, title case)."""
    words = line.stripped.split()
    if not words or line.stripped[-1] in ".:;!?":
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1] == "(")
    return len(words) <= 14 and capitalised == len(words) and "(" in line.text


READER = GardReader()
