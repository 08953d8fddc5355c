"""Building blocks for the plain-text readers: lines with offsets and a
section-aware document builder.  Offsets are exact: ``text[start:end]`` of a
sentence is the sentence text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extract.model import Document, Section, SectionKind, Sentence
from extract.text import sentence_spans

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+\.)\s+")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text file: ``text[start:end]`` without its newline."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        """The line without surrounding whitespace."""
        return self.text.strip()

    @property
    def blank(self) -> bool:
        """True for an empty or whitespace-only line."""
        return not self.text.strip()


def lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets (``\\r\\n`` and ``\\n`` both end a line)."""
    result: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        result.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return result


def content_span(line: Line) -> tuple[int, int]:
    """Offsets of the line's content without leading bullet marker and surrounding space."""
    match = _BULLET.match(line.text)
    skip = match.end() if match else 0
    start, end = line.start + skip, line.end
    body = line.text[skip:]
    start += len(body) - len(body.lstrip())
    end -= len(body) - len(body.rstrip())
    return start, end


def is_bullet(line: Line) -> bool:
    """True when the line starts with a bullet marker (``-``, ``*``, ``•``, ``1.``)."""
    return bool(_BULLET.match(line.text))


@dataclass
class DocumentBuilder:
    """Collects sections and sentences while a reader walks the lines of a file."""

    file_name: str
    text: str
    kind: str
    publisher: str
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    heading: str = ""
    section_kind: SectionKind = SectionKind.CONTENT

    def open_section(self, line: Line, kind: SectionKind, heading: str | None = None) -> None:
        """Start a new section headed by ``line`` (or an explicit heading)."""
        start, end = content_span(line)
        self.heading = heading if heading is not None else self.text[start:end]
        self.section_kind = kind
        self.sections.append(Section(self.heading, kind, start, end))

    def add_line(self, line: Line) -> None:
        """Split a content line into sentences of the current section."""
        if self.section_kind is SectionKind.REFERENCES:
            self.references.append(line.stripped)
            return
        if self.section_kind is SectionKind.FURNITURE:
            return
        start, end = content_span(line)
        for a, b in sentence_spans(self.text, start, end):
            self.sentences.append(Sentence(self.text[a:b], a, b, self.heading, self.section_kind))

    def add_sentence_span(self, start: int, end: int) -> None:
        """Add ``text[start:end]`` as one sentence (a table row, say)."""
        self.sentences.append(Sentence(self.text[start:end], start, end, self.heading, self.section_kind))

    def build(self, title: str, url: str | None = None) -> Document:
        """The finished Document."""
        return Document(
            file_name=self.file_name,
            kind=self.kind,
            title=title,
            text=self.text,
            sections=tuple(self.sections),
            sentences=tuple(self.sentences),
            url=url,
            publisher=self.publisher,
            markup=False,
            references=tuple(self.references),
        )


def nonblank(all_lines: list[Line]) -> Iterator[Line]:
    """The lines that are not blank."""
    return (line for line in all_lines if not line.blank)


URL = re.compile(r"https?://[^\s<>()\]]+")
