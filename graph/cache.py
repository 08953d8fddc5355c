"""What each document contributes, cached by content hash, so a rebuild redoes only what changed.

An entry holds a document's statements, its named graph (N-Triples) and the
results of validating that graph.  It is keyed by the document's file name and
SHA-256 and by a salt made of everything those depend on: the lexicon,
vocabulary and shapes files, the HPO and annotation indexes, the SHACL engine,
and the source code of the ``extract`` package and of the graph modules that
write and validate a document graph (any change invalidates every entry).

Entries are pickles (reading 10,000 of them takes about a third of the time
JSON took, which matters to a rebuild) kept in one pack file, each behind a
CRC-32 of its bytes: a damaged entry is a miss.  The cache lives in
the build's own output folder and is read only by the build that wrote it:
do not fill it from a source you do not trust, as unpickling runs code.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if need be) while inside; no lock where fcntl is missing."""
    try:
        import fcntl
    except ImportError:  # not POSIX: writers are not kept apart, and a mixed-up entry is still caught on reading
        yield
        return
    with open(path, "a+b") as stream:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


def _checked(entry: bytes) -> bytes | None:
    """The data of a sealed entry, or None when its CRC-32 does not match."""
    data = entry[4:]
    return data if len(entry) >= 4 and zlib.crc32(data) == int.from_bytes(entry[:4], "big") else None


class ExtractionCache:
    """Document outcomes on disk, one entry per (document, content, salt), all in one pack file.

    The pack (``pack-*.bin``) holds sealed entries one after another, and the index (``pack.idx``, itself
    sealed) says where each one is.  A build reads the entries it needs in pack order through one open file
    (reading 10,000 small files cost a rebuild 0.3 s warm and over a second when the page cache had let them
    go) and appends new ones at the end; the index is replaced by rename after the pack is written, so a
    build that stops midway leaves at most unreferenced bytes.  When the pack holds more than twice what
    the build used, the used entries are copied into a new pack and the old one is removed.  Writers take
    a lock (``pack.lock``, where the system has ``fcntl``) and read the index again under it, so two builds
    sharing an output folder do not lose each other's entries; an entry is also checked to be the one asked
    for (file name and SHA-256) before it is used.
    """

    INDEX = "pack.idx"
    LOCK = "pack.lock"

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self._index: tuple[str, dict[str, tuple[int, int]]] | None = None

    def key(self, file_name: str, sha256: str) -> str:
        """The entry's key: a digest of the salt, the document's file name and its content's SHA-256."""
        return hashlib.sha256(f"{self.salt}\x1f{file_name}\x1f{sha256}".encode()).hexdigest()

    def _read_index(self) -> tuple[str, dict[str, tuple[int, int]]]:
        """(pack file name, key -> (offset, length)) as on disk; anything unreadable is an empty cache."""
        try:
            data = _checked((self.folder / self.INDEX).read_bytes())
            pack, entries = pickle.loads(data) if data is not None else ("", {})
            if not (isinstance(pack, str) and pack.startswith("pack-") and "/" not in pack and isinstance(entries, dict)):
                return "", {}
            size = (self.folder / pack).stat().st_size
            return pack, {key: (offset, length) for key, (offset, length) in entries.items()
                          if isinstance(key, str) and isinstance(offset, int) and isinstance(length, int)
                          and 0 <= offset and 0 < length and offset + length <= size}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return "", {}  # no index, a damaged one, or its pack is gone

    def _entries(self) -> tuple[str, dict[str, tuple[int, int]]]:
        if self._index is None:
            self._index = self._read_index()
        return self._index

    def has(self, file_name: str, sha256: str) -> bool:
        """Whether the index lists an entry (it may still turn out damaged: :meth:`get_many` says)."""
        return self.key(file_name, sha256) in self._entries()[1]

    def get_many(self, wanted: list[tuple[str, str]]) -> Iterator[DocumentOutcome | None]:
        """The cached outcome (or None) of each (file name, SHA-256), in order, read through one open pack."""
        pack, entries = self._entries()
        try:
            stream = open(self.folder / pack, "rb") if pack else None
        except OSError:
            stream = None
        try:
            for file_name, sha256 in wanted:
                where = entries.get(self.key(file_name, sha256))
                if stream is None or where is None:
                    yield None
                    continue
                try:
                    data = _checked(os.pread(stream.fileno(), where[1], where[0]))
                    outcome = None if data is None else _unpack(pickle.loads(data))
                except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
                        IndexError):
                    outcome = None  # a damaged or outdated entry is a miss, never an error
                if outcome is not None and (outcome.record.file_name, outcome.record.sha256) != (file_name, sha256):
                    outcome = None  # another document's entry where this one's should be
                yield outcome
        finally:
            if stream is not None:
                stream.close()

    def put_many(self, items: list[tuple[str, str, DocumentOutcome]], used: list[tuple[str, str]]) -> None:
        """Append the outcomes to the pack, then replace the index; ``used``: every (file name, SHA-256)
        the build took from the cache or put into it (what a compaction keeps)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with _locked(self.folder / self.LOCK):
            pack, entries = self._read_index()  # again, under the lock: another build may have written meanwhile
            if not pack:
                if not items:
                    return
                pack, entries = f"pack-{os.urandom(8).hex()}.bin", {}
            with open(self.folder / pack, "ab") as stream:
                offset = os.fstat(stream.fileno()).st_size
                for name, sha, outcome in items:  # one at a time: 10,000 entries held at once cost 250 MB of memory
                    blob = _sealed(pickle.dumps(_pack(outcome), protocol=pickle.HIGHEST_PROTOCOL))
                    stream.write(blob)
                    entries[self.key(name, sha)] = (offset, len(blob))
                    offset += len(blob)
            keep = {self.key(name, sha) for name, sha in used}
            live = sum(entries[key][1] for key in keep if key in entries)
            if (self.folder / pack).stat().st_size > 2 * live:
                pack, entries = self._compacted(pack, {key: entries[key] for key in keep if key in entries})
            elif not items:
                self._index = (pack, entries)
                return
            self._write_index(pack, entries)
            for old in self.folder.glob("pack-*.bin"):
                if old.name != pack:
                    old.unlink(missing_ok=True)  # a reader that has it open reads on (POSIX)
            for legacy in self.folder.glob("[0-9a-f][0-9a-f]"):
                if legacy.is_dir():  # one pickle per entry, as versions before the pack wrote them
                    shutil.rmtree(legacy, ignore_errors=True)

    def _write_index(self, pack: str, entries: dict[str, tuple[int, int]]) -> None:
        """Replace the index (sealed, by rename) with ``entries`` of ``pack``; the caller holds the lock."""
        write_atomic(self.folder / self.INDEX, _sealed(pickle.dumps((pack, entries), protocol=pickle.HIGHEST_PROTOCOL)))
        self._index = (pack, entries)

    def _compacted(self, pack: str, entries: dict[str, tuple[int, int]]) -> tuple[str, dict[str, tuple[int, int]]]:
        """A new pack holding just ``entries`` (copied in pack order) and their new places."""
        fresh = f"pack-{os.urandom(8).hex()}.bin"
        placed: dict[str, tuple[int, int]] = {}
        offset = 0
        with open(self.folder / pack, "rb") as source, open(self.folder / fresh, "wb") as target:
            for key, (start, length) in sorted(entries.items(), key=lambda item: item[1]):
                target.write(os.pread(source.fileno(), length, start))
                placed[key] = (offset, length)
                offset += length
            target.flush()
            os.fsync(target.fileno())
        return fresh, placed

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
