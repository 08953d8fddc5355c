"""One reader per document kind, chosen by looking at the content.

A reader is a module-level object with ``kind``, ``sniff(text) -> bool`` and
``read(file_name, text) -> Document``.  :data:`READERS` is a plain registry in
detection order; :func:`get_reader` names the unknown kind in its error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from extract.errors import InputError, UnknownKindError
from extract.model import Document


class Reader(Protocol):
    """What every reader offers."""

    kind: str
    publisher: str

    def sniff(self, text: str) -> bool:
        """True when ``text`` looks like a document of this kind."""
        ...

    def read(self, file_name: str, text: str) -> Document:
        """Turn the decoded file into a Document; raise InputError when unusable."""
        ...


def _registry() -> dict[str, Reader]:
    from extract.readers import gard, medlineplus, merck, ncbi_genes, wyntk

    readers: list[Reader] = [medlineplus.READER, wyntk.READER, merck.READER, ncbi_genes.READER, gard.READER]
    return {reader.kind: reader for reader in readers}


READERS: dict[str, Reader] = {}


def readers() -> dict[str, Reader]:
    """The registry of readers by kind, in detection order."""
    if not READERS:
        READERS.update(_registry())
    return READERS


def get_reader(kind: str) -> Reader:
    """The reader registered for ``kind``."""
    try:
        return readers()[kind]
    except KeyError:
        raise KeyError(f"No reader registered for kind {kind!r}; known: {', '.join(readers())}") from None


def decode_file(path: Path) -> str:
    """Read ``path`` as UTF-8 text, refusing empty, binary and non-UTF-8 files.

    Newlines are kept as stored (no universal-newline translation), so offsets
    count characters of the file exactly as it is on disk.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a document") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (contains NUL bytes), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})", line) from None
    if text.startswith("\ufeff"):
        raise InputError(path, "starts with a byte-order mark; store documents as UTF-8 without BOM")
    return text


def detect(path: Path, text: str) -> Reader:
    """The reader whose ``sniff`` accepts ``text``; UnknownKindError when none does."""
    for reader in readers().values():
        if reader.sniff(text):
            return reader
    raise UnknownKindError(path, f"no reader recognises this document (known kinds: {', '.join(readers())})")


def read_document(path: Path) -> Document:
    """Decode, detect the kind and read one document."""
    text = decode_file(path)
    return detect(path, text).read(path.name, text)
