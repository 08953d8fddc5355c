"""Extraction results cached by content hash, so a rebuild re-reads only what changed.

A cache entry is keyed by the document's file name and SHA-256 and by a salt
made of everything extraction depends on: the lexicon file, the HPO and
annotation indexes, and the source code of the ``extract`` package (any change
to a reader or rule invalidates every entry).  Entries are JSON files written
atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from extract.lexicon import Entity
from extract.model import Evidence, Statement, Value
from graph.assemble import SourceRecord
from graph.sinks import write_atomic

Extracted = tuple[SourceRecord, list[Statement], dict[str, Entity], int]


def extractor_salt(lexicon_file: Path, *digests: str) -> str:
    """A digest of everything extraction depends on."""
    import extract

    h = hashlib.sha256(lexicon_file.read_bytes())
    for digest in digests:
        h.update(digest.encode())
    for source in sorted(Path(extract.__file__).parent.rglob("*.py")):
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

    def get(self, file_name: str, sha256: str) -> Extracted | None:
        """The cached outcome, or None."""
        path = self._path(file_name, sha256)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None  # a damaged entry is a miss, never an error
        record = SourceRecord(**{**data["record"], "links": tuple(tuple(x) for x in data["record"]["links"]),
                                 "references": tuple(data["record"]["references"])})
        found = {c: Entity(e["curie"], e["type"], e["label"], tuple(e["synonyms"]), tuple(e["abbreviations"]), e["symbol"])
                 for c, e in data["fallback"].items()}
        return record, [_statement(s) for s in data["statements"]], found, int(data["sentences"])

    def put(self, file_name: str, sha256: str, outcome: Extracted) -> None:
        """Store an outcome."""
        record, statements, found, sentences = outcome
        data = {
            "record": asdict(record),
            "statements": [_statement_json(s) for s in statements],
            "fallback": {c: asdict(e) for c, e in sorted(found.items())},
            "sentences": sentences,
        }
        write_atomic(self._path(file_name, sha256), json.dumps(data, sort_keys=True).encode("utf-8"))
