"""benchmarks/make_corpus.py: deterministic, all five kinds, many conditions (what the scale figures rest on)."""

from __future__ import annotations

from pathlib import Path

import make_corpus  # type: ignore[import-not-found]
from extract.readers import read_document, readers


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_same_size_and_seed_give_the_same_files_and_another_seed_others(tmp_path) -> None:
    make_corpus.make_corpus(10, tmp_path / "a")
    make_corpus.make_corpus(10, tmp_path / "b")
    make_corpus.make_corpus(10, tmp_path / "c", seed=8)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_every_document_is_read_as_one_of_the_five_kinds_about_many_conditions(tmp_path) -> None:
    paths = make_corpus.make_corpus(20, tmp_path)
    documents = [read_document(path) for path in paths]
    assert {document.kind for document in documents} == set(readers())
    assert all(document.sentences for document in documents)
    # document i is about condition i (its kind is i mod 5): 20 documents name 20 different conditions
    names = {document.title.removesuffix(": What You Need To Know").lower() for document in documents}
    assert len(names) == len(documents)
