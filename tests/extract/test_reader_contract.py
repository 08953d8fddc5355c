"""The contract every reader passes, on every seed and on documents that are not seeds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extract.model import SectionKind
from extract.readers import decode_file, detect, read_document, readers
from extract.text import normalise_markup
from tests.conftest import CORPUS, SEEDS, nonseed_documents

DOCUMENTS = SEEDS + nonseed_documents()

# The kind each non-seed test document was written as (test data, not pipeline input).
NONSEED_KINDS = {
    "medlineplus": "medlineplus-genetics",
    "gard": "gard-qa",
    "wyntk": "what-you-need-to-know",
    "merck": "merck-professional",
    "ncbi": "ncbi-genes-and-disease",
}


def expected_kind(path: Path) -> str:
    if path.parent == CORPUS:
        with (CORPUS / "manifest.tsv").open(encoding="utf-8") as stream:
            return {row["file"]: row["kind"] for row in csv.DictReader(stream, delimiter="\t")}[path.name]
    return NONSEED_KINDS[path.name.split("_")[0]]


def test_every_kind_has_a_non_seed_document() -> None:
    kinds = {expected_kind(p) for p in nonseed_documents()}
    assert kinds == set(readers())


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_exactly_one_reader_recognises_the_document(path: Path) -> None:
    text = decode_file(path)
    accepting = [kind for kind, reader in readers().items() if reader.sniff(text)]
    assert accepting == [expected_kind(path)]
    assert detect(path, text).kind == expected_kind(path)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_sentences_point_into_the_file_as_stored(path: Path) -> None:
    document = read_document(path)
    stored = path.read_bytes().decode("utf-8")
    assert document.text == stored
    assert document.title.strip()
    assert len(document.sentences) >= 3
    previous_end = 0
    for sentence in document.sentences:
        assert 0 <= sentence.start < sentence.end <= len(stored)
        assert sentence.start >= previous_end, "sentences overlap or go backwards"
        previous_end = sentence.end
        cut = stored[sentence.start : sentence.end]
        if document.markup:
            assert normalise_markup(cut) == sentence.text
        else:
            assert cut == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_sections_and_furniture(path: Path) -> None:
    document = read_document(path)
    headings = {section.heading for section in document.sections}
    assert headings, "a document has at least one section"
    for sentence in document.sentences:
        assert sentence.section in headings
        assert sentence.section_kind in (SectionKind.CONTENT, SectionKind.FAQ)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_reading_is_deterministic(path: Path) -> None:
    assert read_document(path) == read_document(path)
