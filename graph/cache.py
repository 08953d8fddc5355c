"""What each document contributes, cached by content hash, so a rebuild redoes only what changed.

An entry holds a document's statements, its named graph (N-Triples) and the
results of validating that graph.  It is keyed by the document's file name and
SHA-256 and by a salt made of everything those depend on: the lexicon,
vocabulary and shapes files, the HPO and annotation indexes, the SHACL engine,
and the source code of the ``extract`` package and of the graph modules that
write and validate a document graph (any change invalidates every entry).

Entries are pickles written atomically (reading 10,000 of them takes about a
third of the time JSON took, which matters to a rebuild), each behind a CRC-32
of its bytes: a damaged entry is a miss.  The cache lives in
the build's own output folder and is read only by the build that wrote it:
do not fill it from a source you do not trust, as unpickling runs code.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.lexicon import Entity
from extract.model import Evidence, Statement, Value
from graph.assemble import SourceRecord, statement_iri
from graph.conflicts import candidates
from graph.sinks import write_atomic
from graph.validate import Result


@dataclass(frozen=True)
class StatementSummary:
    """What a build needs of a document's statements, so a cached document's statements are not read back."""

    count: int
    relations: tuple[tuple[str, int], ...]  # (predicate, statements), by predicate
    keys: frozenset[str]  # statement IRIs (a hash of subject, predicate, object and qualifiers)
    used: frozenset[str]  # CURIEs of the entities the statements use (graph.assemble.used_entities)
    conflict_candidates: tuple[Statement, ...]  # the statements conflict detection looks at

    @staticmethod
    def of(statements: list[Statement], used: set[str]) -> StatementSummary:
        """The summary of a document's statements; ``used`` is :func:`graph.assemble.used_entities` of them."""
        return StatementSummary(
            len(statements),
            tuple(sorted(Counter(s.predicate for s in statements).items())),
            frozenset(str(statement_iri(s)) for s in statements),
            frozenset(used),
            candidates(statements),
        )


@dataclass(frozen=True)
class DocumentOutcome:
    """What one document contributes to a build.

    The statements themselves are kept packed (:meth:`statements` unpacks
    them): a build needs only their :class:`StatementSummary`, and unpacking
    40,000 statements with their evidence is a good part of a rebuild's time.
    """

    record: SourceRecord
    summary: StatementSummary
    found: dict[str, Entity]  # entities found through the HPO/annotation indexes, not the lexicon
    sentences: int
    ntriples: bytes  # the document's named graph, sorted canonical N-Triples
    turtle: bytes  # the same triples as Turtle statements without @prefix lines (graph.sinks.turtle_body)
    results: tuple[Result, ...]  # validating that graph (with the entities it uses) against the local shapes
    packed_statements: bytes = field(repr=False, default=b"")
    seconds: dict[str, float] = field(default_factory=dict, compare=False)  # per stage, when computed (not cached)

    @staticmethod
    def of(record: SourceRecord, statements: list[Statement], used: set[str], found: dict[str, Entity], sentences: int,
           ntriples: bytes, turtle: bytes, results: tuple[Result, ...], seconds: dict[str, float]) -> DocumentOutcome:
        """An outcome with its statements summarised and packed (``used``: the entities they use)."""
        packed = pickle.dumps(tuple(_pack_statement(s) for s in statements), protocol=pickle.HIGHEST_PROTOCOL)
        return DocumentOutcome(record, StatementSummary.of(statements, used), found, sentences, ntriples, turtle, results,
                               packed, seconds)

    def statements(self) -> list[Statement]:
        """The document's statements, with their evidence."""
        return [_unpack_statement(s) for s in pickle.loads(self.packed_statements)]


GRAPH_SOURCES = ("assemble.py", "namespaces.py", "validate.py", "cache.py", "sinks.py", "conflicts.py")


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


def _fields(value: object) -> tuple[object, ...]:
    return tuple(getattr(value, name) for name in value.__slots__)  # type: ignore[attr-defined]


def _pack_statement(s: Statement) -> tuple[object, ...]:
    return (s.subject, s.predicate, _fields(s.object) if isinstance(s.object, Value) else s.object, s.qualifiers,
            tuple(_fields(e) for e in s.evidence))


def _unpack_statement(data: tuple) -> Statement:  # type: ignore[type-arg]
    subject, predicate, obj, qualifiers, evidence = data
    return Statement(subject, predicate, Value(*obj) if isinstance(obj, tuple) else obj, qualifiers,
                     tuple(Evidence(*e) for e in evidence))


def _pack(outcome: DocumentOutcome) -> tuple[object, ...]:
    """An outcome as plain tuples: unpickling those and calling the constructors is several times
    faster than unpickling frozen slotted dataclasses (whose __setstate__ looks up their fields each time)."""
    summary = outcome.summary
    return (_fields(outcome.record),
            (summary.count, summary.relations, summary.keys, summary.used,
             tuple(_pack_statement(s) for s in summary.conflict_candidates)),
            {c: _fields(e) for c, e in outcome.found.items()}, outcome.sentences,
            outcome.ntriples, outcome.turtle, tuple(_fields(r) for r in outcome.results), outcome.packed_statements)


def _unpack(data: tuple) -> DocumentOutcome:  # type: ignore[type-arg]
    record, (count, relations, keys, used, candidates_), found, sentences, ntriples, turtle, results, packed = data
    return DocumentOutcome(
        SourceRecord(*record),
        StatementSummary(count, relations, keys, used, tuple(_unpack_statement(s) for s in candidates_)),
        {c: Entity(*e) for c, e in found.items()},
        sentences, ntriples, turtle, tuple(Result(*r) for r in results), packed,
    )


def _sealed(data: bytes) -> bytes:
    """``data`` behind its CRC-32, so a damaged entry is found (a flipped byte can still unpickle)."""
    return zlib.crc32(data).to_bytes(4, "big") + data


def _checked(entry: bytes) -> bytes | None:
    """The data of a sealed entry, or None when its CRC-32 does not match."""
    data = entry[4:]
    return data if len(entry) >= 4 and zlib.crc32(data) == int.from_bytes(entry[:4], "big") else None


class ExtractionCache:
    """Document outcomes on disk, one pickle per (document, content, salt)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def _path(self, file_name: str, sha256: str) -> str:
        key = hashlib.sha256(f"{self.salt}\x1f{file_name}\x1f{sha256}".encode()).hexdigest()
        return os.path.join(self.folder, key[:2], f"{key}.pickle")  # a str: 10,000 Path objects cost a rebuild 0.5 s

    def has(self, file_name: str, sha256: str) -> bool:
        """Whether an entry exists (it may still turn out damaged: :meth:`get` says)."""
        return os.path.exists(self._path(file_name, sha256))

    def get(self, file_name: str, sha256: str) -> DocumentOutcome | None:
        """The cached outcome, or None."""
        try:
            with open(self._path(file_name, sha256), "rb") as stream:
                data = _checked(stream.read())
            return None if data is None else _unpack(pickle.loads(data))
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
                IndexError):
            return None  # a damaged or outdated entry is a miss, never an error

    def put(self, file_name: str, sha256: str, outcome: DocumentOutcome) -> None:
        """Store an outcome (without its timings, which describe one run)."""
        write_atomic(Path(self._path(file_name, sha256)), _sealed(pickle.dumps(_pack(outcome), protocol=pickle.HIGHEST_PROTOCOL)))

    def _shared_path(self, kind: str, data: bytes) -> Path:
        key = hashlib.sha256(self.salt.encode() + b"\x1f" + kind.encode() + b"\x1f" + data).hexdigest()
        return self.folder / "graphs" / f"{key}.pickle"

    def get_shared(self, kind: str, key: bytes) -> object | None:
        """A cached value computed from ``key`` (e.g. the entities graph of a set of entities), or None."""
        try:
            with self._shared_path(kind, key).open("rb") as stream:
                data = _checked(stream.read())
            return None if data is None else pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None

    def put_shared(self, kind: str, key: bytes, value: object) -> None:
        """Store a value computed from ``key``."""
        write_atomic(self._shared_path(kind, key), _sealed(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
