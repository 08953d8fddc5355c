"""What each document contributes, cached by content hash, so a rebuild redoes only what changed.

An entry holds a document's statements, its named graph (N-Triples) and the
results of validating that graph.  It is keyed by the document's file name and
SHA-256 and by a salt made of everything those depend on: the lexicon,
vocabulary and shapes files, the HPO and annotation indexes, the SHACL engine,
and the source code of the ``extract`` package and of the graph modules that
write and validate a document graph (any change invalidates every entry).
Entries are JSON files written atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extract.lexicon import Entity
from extract.model import Evidence, Statement, Value
from graph.assemble import SourceRecord
from graph.sinks import write_atomic
from graph.validate import Result


@dataclass(frozen=True)
class DocumentOutcome:
    """What one document contributes to a build."""

    record: SourceRecord
    statements: list[Statement]
    found: dict[str, Entity]  # entities found through the HPO/annotation indexes, not the lexicon
    sentences: int
    ntriples: bytes  # the document's named graph, sorted canonical N-Triples
    results: tuple[Result, ...]  # validating that graph (with the entities it uses) against the local shapes
    seconds: dict[str, float] = field(default_factory=dict, compare=False)  # per stage, when computed (not cached)


GRAPH_SOURCES = ("assemble.py", "namespaces.py", "validate.py", "cache.py")


def extractor_salt(lexicon_file: Path, *digests: str, files: tuple[Path, ...] = ()) -> str:
    """A digest of everything a document's outcome depends on: curated files, indexes and code."""
    import extract

    h = hashlib.sha256(lexicon_file.read_bytes())
    for digest in digests:
        h.update(digest.encode())
    for path in files:
        h.update(path.read_bytes())
    here = Path(__file__).parent
    for source in sorted(Path(extract.__file__).parent.rglob("*.py")) + [here / name for name in GRAPH_SOURCES]:
        h.update(source.name.encode())
        h.update(source.read_bytes())
    return h.hexdigest()


def _statement_json(statement: Statement) -> dict[str, object]:
    obj = statement.object
    return {
        "s": statement.subject,
        "p": statement.predicate,
        "o": asdict(obj) if isinstance(obj, Value) else obj,
        "q": [list(pair) for pair in statement.qualifiers],
        "e": [asdict(e) for e in statement.evidence],
    }


def _statement(data: dict) -> Statement:  # type: ignore[type-arg]
    obj = data["o"]
    return Statement(
        data["s"], data["p"], Value(**obj) if isinstance(obj, dict) else obj,
        tuple(tuple(pair) for pair in data["q"]),  # type: ignore[misc]
        tuple(Evidence(**e) for e in data["e"]),
    )


class ExtractionCache:
    """Extraction outcomes on disk, one JSON file per (document, content, extractor)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def _path(self, file_name: str, sha256: str) -> Path:
        key = hashlib.sha256(f"{self.salt}\x1f{file_name}\x1f{sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def get(self, file_name: str, sha256: str) -> DocumentOutcome | None:
        """The cached outcome, or None."""
        path = self._path(file_name, sha256)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            record = SourceRecord(**{**data["record"], "links": tuple(tuple(x) for x in data["record"]["links"]),
                                     "references": tuple(data["record"]["references"])})
            found = {c: Entity(e["curie"], e["type"], e["label"], tuple(e["synonyms"]), tuple(e["abbreviations"]),
                               e["symbol"]) for c, e in data["fallback"].items()}
            results = tuple(Result(**r) for r in data["results"])
            return DocumentOutcome(record, [_statement(s) for s in data["statements"]], found, int(data["sentences"]),
                                   data["ntriples"].encode("utf-8"), results)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged or outdated entry is a miss, never an error

    def put(self, file_name: str, sha256: str, outcome: DocumentOutcome) -> None:
        """Store an outcome."""
        data = {
            "record": asdict(outcome.record),
            "statements": [_statement_json(s) for s in outcome.statements],
            "fallback": {c: asdict(e) for c, e in sorted(outcome.found.items())},
            "sentences": outcome.sentences,
            "ntriples": outcome.ntriples.decode("utf-8"),
            "results": [asdict(r) for r in outcome.results],
        }
        write_atomic(self._path(file_name, sha256), json.dumps(data, sort_keys=True).encode("utf-8"))

    def _results_path(self, data: bytes) -> Path:
        key = hashlib.sha256(self.salt.encode() + b"\x1f" + data).hexdigest()
        return self.folder / "graphs" / f"{key}.json"

    def get_results(self, data: bytes) -> tuple[Result, ...] | None:
        """Cached validation results of a graph given as N-Triples (the shared entities and conflicts graphs)."""
        try:
            return tuple(Result(**r) for r in json.loads(self._results_path(data).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_results(self, data: bytes, results: tuple[Result, ...]) -> None:
        """Store the validation results of a graph given as N-Triples."""
        write_atomic(self._results_path(data), json.dumps([asdict(r) for r in results], sort_keys=True).encode("utf-8"))
