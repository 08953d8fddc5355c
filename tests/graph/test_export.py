"""Exports are read back by a parser that is not rdflib (pyoxigraph) and match the graph."""

from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest
from rdflib import Graph

from graph.build import Curated, parse_curated
from graph.export import EDGE_COLUMNS, NODE_COLUMNS, export

FORMATS = {
    "ttl": ("xhim.ttl", pyoxigraph.RdfFormat.TURTLE),
    "trig": ("xhim.trig", pyoxigraph.RdfFormat.TRIG),
    "nt": ("xhim.nt", pyoxigraph.RdfFormat.N_TRIPLES),
    "nq": ("xhim.nq", pyoxigraph.RdfFormat.N_QUADS),
    "jsonld": ("xhim.jsonld", pyoxigraph.RdfFormat.JSON_LD),
}


@pytest.fixture(scope="module")
def curated():
    return parse_curated(Curated().vocabulary), parse_curated(Curated().lexicon)


def distinct_triples(quads) -> set:
    return {(q.subject, q.predicate, q.object) for q in quads}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_rdf_exports_parse_with_oxigraph_and_hold_every_triple(seed_build, curated, fmt: str) -> None:
    result, _ = seed_build
    name, oxi_format = FORMATS[fmt]
    files = export(fmt, result.dataset, *curated)
    triples = distinct_triples(pyoxigraph.parse(files[name], format=oxi_format))
    assert len(triples) == len(result.graph)


def test_exports_are_stable(seed_build, curated) -> None:
    result, _ = seed_build
    for fmt in ("ttl", "nq", "kgx", "sparql-examples"):
        assert export(fmt, result.dataset, *curated) == export(fmt, result.dataset, *curated)


def test_kgx_columns_and_references(seed_build, curated) -> None:
    result, _ = seed_build
    files = export("kgx", result.dataset, *curated)
    nodes = list(csv.DictReader(io.StringIO(files["nodes.tsv"].decode("utf-8")), delimiter="\t"))
    edges = list(csv.DictReader(io.StringIO(files["edges.tsv"].decode("utf-8")), delimiter="\t"))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    ids = {n["id"] for n in nodes}
    assert all(n["category"].startswith("biolink:") for n in nodes)
    for edge in edges:
        assert edge["subject"] in ids and edge["object"] in ids, edge["id"]
        assert edge["predicate"].startswith("biolink:")
        assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "text_mining_agent"
        assert edge["supporting_text"] and edge["primary_knowledge_source"].startswith("infores:")
    cause = [e for e in edges if e["subject"] == "MONDO:0010626" and e["object"] == "HGNC:11935"]
    assert cause and cause[0]["predicate"] == "biolink:caused_by"


def test_sparql_examples_export(curated) -> None:
    from rdflib import Dataset

    files = export("sparql-examples", Dataset(), *curated)
    quads = list(pyoxigraph.parse(files["sparql-examples.ttl"], format=pyoxigraph.RdfFormat.TURTLE))
    shacl = "http://www.w3.org/ns/shacl#"
    executables = {q.subject for q in quads if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                   and q.object.value == shacl + "SPARQLSelectExecutable"}
    assert len(executables) >= 10
    selects = [q for q in quads if q.predicate.value == shacl + "select"]
    assert len(selects) == len(executables)


def test_owl_export_parses_as_rdf_xml_and_turtle(curated) -> None:
    from rdflib import Dataset

    files = export("owl", Dataset(), *curated)
    xml = distinct_triples(pyoxigraph.parse(files["xhim-ontology.owl"], format=pyoxigraph.RdfFormat.RDF_XML))
    ttl = distinct_triples(pyoxigraph.parse(files["xhim-ontology.ttl"], format=pyoxigraph.RdfFormat.TURTLE))
    vocabulary, lexicon = curated
    expected = len(Graph() + vocabulary + lexicon) - 1  # minus the lexicon's owl:imports
    assert len(xml) == len(ttl) == expected
