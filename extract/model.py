"""The typed, frozen values that flow from extract/ to graph/.

A reader turns a file into a :class:`Document` (sections and sentences with
character offsets into the file as stored).  The recogniser and the relation
rules turn sentences into :class:`Statement` values, each carrying one or more
:class:`Evidence`.  Nothing in this module knows about RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SectionKind(StrEnum):
    """What a section of a document is for; only ``CONTENT`` yields facts."""

    CONTENT = "content"
    FAQ = "faq"  # question-and-answer sections: the answers are content
    REFERENCES = "references"  # citations of the document, never facts
    FURNITURE = "furniture"  # navigation, addresses, widgets, advertisements


@dataclass(frozen=True, slots=True)
class Section:
    """A headed part of a document; ``start``/``end`` are offsets of the heading."""

    heading: str
    kind: SectionKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, with ``[start, end)`` character offsets into the file as stored.

    ``text`` is the sentence as a reader shows it: for plain text the exact cut
    ``file[start:end]``; for HTML the cut with tags removed, character
    references decoded and whitespace collapsed (see :func:`extract.text.normalise_markup`).
    """

    text: str
    start: int
    end: int
    section: str
    section_kind: SectionKind = SectionKind.CONTENT


@dataclass(frozen=True, slots=True)
class Link:
    """An identifier a page links to (OMIM, GTR/UMLS, GARD, gene page, PubMed)."""

    prefix: str
    local_id: str
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class Document:
    """A source document as a reader sees it."""

    file_name: str
    kind: str
    title: str
    text: str  # the whole file as stored, decoded as UTF-8
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    url: str | None = None
    publisher: str | None = None
    markup: bool = False  # True when offsets point into HTML source
    links: tuple[Link, ...] = ()
    references: tuple[str, ...] = ()  # citations, kept as text


@dataclass(frozen=True, slots=True, order=True)
class Value:
    """A literal object of a statement (a chromosomal band, a number with its unit)."""

    text: str
    datatype: str = "string"  # "string", "decimal"
    unit: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """Where a statement was read: file, section, sentence and its offsets."""

    source: str  # file name of the document as stored in the corpus
    section: str
    text: str  # the sentence as quoted
    start: int  # inclusive, Unicode characters into the decoded file
    end: int  # exclusive
    extractor: str  # name/version of the reader and rule that produced it
    prefix: str = ""  # up to 32 characters of document text before the quote
    suffix: str = ""  # up to 32 characters after it


Qualifiers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """subject – predicate – object, with qualifiers and its evidence.

    ``subject`` and an entity ``object`` are CURIEs from the lexicon;
    ``predicate`` is a local name of the project vocabulary (``has_phenotype``).
    ``qualifiers`` is a sorted tuple of (key, value) pairs; it is part of the
    statement's identity, evidence is not.
    """

    subject: str
    predicate: str
    object: str | Value
    qualifiers: Qualifiers = ()
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str, str | Value, Qualifiers]:
        """The identity of the statement (what its IRI is a hash of)."""
        return (self.subject, self.predicate, self.object, self.qualifiers)

    def qualifier(self, name: str) -> str | None:
        """The value of qualifier ``name``, or None."""
        for key, value in self.qualifiers:
            if key == name:
                return value
        return None


def make_qualifiers(**values: str | None) -> Qualifiers:
    """Sorted qualifier pairs, dropping those whose value is None.

    >>> make_qualifiers(direction="decreased", negated=None)
    (('direction', 'decreased'),)
    """
    return tuple(sorted((k, v) for k, v in values.items() if v is not None))
