"""Output files, written atomically (temporary file, then rename) and stably.

Every writer produces the same bytes for the same graph.  The build's own
outputs (:func:`rdf_files`) are put together from per-graph text written by
pyoxigraph; the rdflib serialisers serve exports of small graphs.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, Graph

PREFIXES = {
    "xhim": "https://w3id.org/xhim-kg/vocab/",
    "doc": "https://w3id.org/xhim-kg/document/",
    "stmt": "https://w3id.org/xhim-kg/statement/",
    "ev": "https://w3id.org/xhim-kg/evidence/",
    "xe": "https://w3id.org/xhim-kg/entity/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "obo": "http://purl.obolibrary.org/obo/",
    "hgnc": "http://identifiers.org/hgnc/",
    "ncbigene": "http://identifiers.org/ncbigene/",
    "uniprot": "http://purl.uniprot.org/uniprot/",
    "omim": "https://omim.org/entry/",
    "orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def bind_prefixes(graph: Graph | Dataset) -> None:
    """Declare the project's prefixes on a graph or dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def turtle_bytes(graph: Graph) -> bytes:
    """Turtle with the project's prefixes (rdflib sorts subjects and predicates)."""
    bind_prefixes(graph)
    return graph.serialize(format="turtle", encoding="utf-8")


def trig_bytes(dataset: Dataset) -> bytes:
    """TriG, one block per named graph, graphs in IRI order."""
    ordered = Dataset()
    bind_prefixes(ordered)
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0:
            continue
        target = ordered.graph(context.identifier)
        for triple in context:
            target.add(triple)
    return ordered.serialize(format="trig", encoding="utf-8")


def ntriples_bytes(graph: Graph) -> bytes:
    """N-Triples, one triple a line, lines sorted."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def nquads_bytes(dataset: Dataset) -> bytes:
    """N-Quads, one quad a line, sorted (the canonical text every fast writer starts from)."""
    text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    return ("\n".join(sorted(line for line in text.splitlines() if line.strip())) + "\n").encode("utf-8")


def prefix_header() -> bytes:
    """The @prefix lines every Turtle and TriG output opens with, sorted."""
    return b"".join(sorted(f"@prefix {prefix}: <{namespace}> .\n".encode() for prefix, namespace in PREFIXES.items()))


def turtle_body(ntriples: bytes) -> bytes:
    """N-Triples as Turtle statements written by pyoxigraph, without @prefix lines.

    The project's prefixes are used but not declared, so bodies of several
    graphs can follow one :func:`prefix_header` (pyoxigraph writes a literal on
    one line, escaping line breaks, so a statement never spans a raw newline
    inside a string).
    """
    import pyoxigraph

    if not ntriples:
        return b""
    triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    return b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"@prefix "))


def union_of(graphs: dict[str, bytes]) -> bytes:
    """The union of named graphs given as canonical N-Triples (each holding a line once), each line once.

    Graphs are taken in IRI order and each line is kept where it first
    occurs, so the same graphs always give the same bytes.  A graph that
    repeats none of the earlier lines is taken as it is (its own lines are not
    checked again: :func:`graph.assemble.canonical_ntriples` writes each once).
    """
    seen: set[bytes] = set()
    parts: list[bytes] = []
    for _, text in sorted(graphs.items()):
        lines = text.splitlines(keepends=True)
        if seen.isdisjoint(lines):  # the common case, checked without a Python loop
            seen.update(lines)
            parts.append(text)
            continue
        fresh = [line for line in dict.fromkeys(lines) if line not in seen]
        seen.update(fresh)
        parts.append(b"".join(fresh))
    return b"".join(parts)


def rdf_files(graphs: dict[str, bytes], bodies: dict[str, bytes], union: bytes) -> dict[str, bytes]:
    """xhim.ttl, xhim.trig and xhim.nt from each graph's Turtle body, with no parsing of the whole graph.

    ``graphs`` maps a named graph's IRI to its N-Triples, ``bodies`` to the
    same triples as a Turtle body (:func:`turtle_body`, cached per document;
    written here for a graph missing from it) and ``union`` is
    :func:`union_of` the graphs (xhim.nt).  TriG is one block per graph, in
    IRI order.  The union's Turtle is the same bodies one after the other: a
    triple that several documents state (a shared statement node) is written
    once per document, as in TriG, and a Turtle parser reads the union graph,
    each triple once.  Re-serialising the union to drop those repeats would
    cost about as much as writing everything again.
    """
    header = prefix_header()
    trig = [header]
    turtle = [header]
    for name in sorted(graphs):
        body = bodies[name] if name in bodies else turtle_body(graphs[name])
        if not body:
            continue
        trig.append(f"<{name}> {{\n".encode())
        trig.append(b"\t" + body[:-1].replace(b"\n", b"\n\t") + b"\n")  # one statement line never holds a raw newline
        trig.append(b"}\n")
        turtle.append(body)
    return {"xhim.ttl": b"".join(turtle), "xhim.trig": b"".join(trig), "xhim.nt": union}


def nquads_of(graphs: dict[str, bytes]) -> bytes:
    """Named graphs (IRI -> N-Triples) as N-Quads, graphs in IRI order."""
    return b"".join(with_graph(text, name) for name, text in sorted(graphs.items()))


class _Joined(io.RawIOBase):
    """A readable stream over byte strings made one at a time, so nothing holds them all joined."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        super().__init__()
        self._parts = parts
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._current:
            try:
                self._current = memoryview(next(self._parts))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._current))
        buffer[:size] = self._current[:size]
        self._current = self._current[size:]
        return size


def nquads_stream(graphs: dict[str, bytes]) -> io.BufferedReader:
    """:func:`nquads_of` as a stream (for a bulk load: at 10,000 documents the joined text is 200 MB more memory)."""
    return io.BufferedReader(_Joined(with_graph(text, name) for name, text in sorted(graphs.items())), 1 << 20)


def with_graph(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines (each ending in " .\\n") turned into N-Quads lines of ``graph``."""
    suffix = f" <{graph}> .\n".encode()
    return b"".join(line[:-3] + suffix for line in ntriples.splitlines(keepends=True))


def json_bytes(value: object) -> bytes:
    """Stable, indented JSON."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
