"""Reader for Merck (MSD) Manual Professional Version pages (plain text).

Layout: a site tagline, ``* This is the Professional Version. *``, the title,
an author line, paragraphs, blocks of ``•`` key-point bullets that stand for
the lost Diagnosis / Treatment headings, and a "Drugs Mentioned In This
Article" widget and closing banner, which are furniture.
"""

from __future__ import annotations

import re

from extract.errors import InputError
from extract.model import Document, SectionKind
from extract.readers.plaintext import DocumentBuilder, is_bullet, lines

_PROFESSIONAL = re.compile(r"^\s*\*\s*This is (?:the|a) Professional Version\.?\s*\*\s*$", re.IGNORECASE)
_AUTHOR = re.compile(r"^\s*(?:by|By)\s+[A-Z]")
_WIDGET = re.compile(r"^\s*(Drugs Mentioned In This Article|Test your Knowledge|Copyright)\b", re.IGNORECASE)


class MerckReader:
    """Merck Manual Professional Version text."""

    kind = "merck-professional"
    publisher = "Merck Manual Professional Version (Merck & Co.)"

    def sniff(self, text: str) -> bool:
        """The Professional Version banner is on a line of its own."""
        return any(_PROFESSIONAL.match(line.text) for line in lines(text)[:40])

    def read(self, file_name: str, text: str) -> Document:
        """Paragraphs and bullets become sentences; bullet blocks open sections."""
        body = lines(text)
        banner = next((i for i, line in enumerate(body) if _PROFESSIONAL.match(line.text)), None)
        if banner is None:
            raise InputError(file_name, "no '* This is the Professional Version. *' banner")
        title_line = next((line for line in body[banner + 1 :] if not line.blank), None)
        if title_line is None:
            raise InputError(file_name, "no title after the Professional Version banner")
        title = title_line.stripped
        builder = DocumentBuilder(file_name, text, self.kind, self.publisher)
        builder.open_section(title_line, SectionKind.CONTENT, heading=title)
        previous_bullet = False
        for line in body[banner + 1 :]:
            if line.blank or line is title_line:
                continue
            if _WIDGET.match(line.text) or _PROFESSIONAL.match(line.text):
                builder.open_section(line, SectionKind.FURNITURE)
                previous_bullet = False
                continue
            if builder.section_kind is SectionKind.FURNITURE and builder.sections[-1].start > title_line.end:
                continue  # nothing after the drugs widget is article text
            if _AUTHOR.match(line.text) and len(line.stripped.split()) <= 10:
                continue
            if is_bullet(line):
                if not previous_bullet:
                    builder.open_section(line, SectionKind.CONTENT)
                previous_bullet = True
            else:
                previous_bullet = False
            builder.add_line(line)
        return builder.build(title)


READER = MerckReader()
