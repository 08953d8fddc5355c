"""The build's RDF files are put together from per-graph text: they must hold exactly the graphs given."""

from __future__ import annotations

import pyoxigraph

from graph.sinks import rdf_files, turtle_body, union_of

XHIM = "https://w3id.org/xhim-kg/vocab/"
SHARED = f'<https://w3id.org/xhim-kg/statement/s1> <{XHIM}frequency_min> "50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
GRAPHS = {
    "https://w3id.org/xhim-kg/document/b.txt": SHARED.encode()
    + f'<https://w3id.org/xhim-kg/evidence/b1> <http://www.w3.org/ns/oa#exact> "two\\nlines, a \\"quote\\" and a tab\\t." .\n'.encode(),
    "https://w3id.org/xhim-kg/document/a.html": SHARED.encode()
    + f'<https://w3id.org/xhim-kg/evidence/a1> <{XHIM}section> "Causes"@en .\n'.encode(),
    "https://w3id.org/xhim-kg/graph/entities": b'<http://purl.obolibrary.org/obo/HP_0001875> <http://www.w3.org/2000/01/rdf-schema#label> "Neutropenia"@en .\n',
    "https://w3id.org/xhim-kg/graph/empty": b"",
}


def _triples(data: bytes, fmt: pyoxigraph.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in pyoxigraph.parse(data, format=fmt)}


def _quads(data: bytes) -> set[tuple[str, str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TRIG)}


def test_union_keeps_each_line_once() -> None:
    union = union_of(GRAPHS)
    lines = union.splitlines(keepends=True)
    assert len(lines) == len(set(lines)) == 4
    assert set(lines) == {line for text in GRAPHS.values() for line in text.splitlines(keepends=True)}


def test_rdf_files_hold_exactly_the_union_and_the_named_graphs() -> None:
    union = union_of(GRAPHS)
    bodies = {name: turtle_body(text) for name, text in GRAPHS.items() if "entities" not in name}  # entities: written on the spot
    files = rdf_files(GRAPHS, bodies, union)
    expected = _triples(union, pyoxigraph.RdfFormat.N_TRIPLES)
    assert _triples(files["xhim.ttl"], pyoxigraph.RdfFormat.TURTLE) == expected
    assert _triples(files["xhim.nt"], pyoxigraph.RdfFormat.N_TRIPLES) == expected
    expected_quads = {(s, p, o, f"<{name}>") for name, text in GRAPHS.items()
                      for s, p, o in _triples(text, pyoxigraph.RdfFormat.N_TRIPLES)}
    assert _quads(files["xhim.trig"]) == expected_quads
    assert "\\n" in files["xhim.ttl"].decode() and "two\nlines" not in files["xhim.ttl"].decode()
    for name in ("xhim.ttl", "xhim.trig"):  # prefixes are declared once, before any statement
        lines = files[name].splitlines()
        header = len([line for line in lines if line.startswith(b"@prefix ")])
        assert header > 0 and all(line.startswith(b"@prefix ") for line in lines[:header])


def test_rdf_files_do_not_depend_on_the_order_graphs_are_given_in() -> None:
    reordered = dict(reversed(list(GRAPHS.items())))
    one = rdf_files(GRAPHS, {}, union_of(GRAPHS))
    two = rdf_files(reordered, {}, union_of(reordered))
    assert one == two


def test_the_nquads_stream_reads_what_nquads_of_joins() -> None:
    from graph.sinks import nquads_of, nquads_stream

    assert nquads_stream(GRAPHS).read() == nquads_of(GRAPHS)
    stream = nquads_stream(GRAPHS)
    assert b"".join(iter(lambda: stream.read(7), b"")) == nquads_of(GRAPHS)  # small reads cross part boundaries
