"""Shared fixtures: the seed corpus, the non-seed documents, one seed build per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import BuildResult, build, write_outputs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
NONSEED = ROOT / "tests" / "data" / "nonseed"
SEEDS = sorted(p for p in CORPUS.iterdir() if p.suffix == ".txt")


def nonseed_documents() -> list[Path]:
    """Documents of the five kinds about other conditions (tests/data/nonseed)."""
    return sorted(p for p in NONSEED.iterdir() if p.is_file() and p.suffix in (".txt", ".html"))


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The seed corpus built once, with its output folder."""
    out = tmp_path_factory.mktemp("seed-build")
    result = build(CORPUS)
    write_outputs(result, out)
    return result, out
