"""Exports other tools import: RDF formats, KGX TSV, SPARQL examples, OWL.

One function per format, each returning ``{file name: bytes}`` so the caller
writes them atomically.  Output is sorted and stable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SDO, SKOS

from extract.lexicon import curie_of
from graph.assemble import union
from graph.namespaces import BIOLINK, OA, PROV, XHIM
from graph.query import SavedQuery, saved_queries
from graph.sinks import PREFIXES, bind_prefixes, nquads_bytes, ntriples_bytes, trig_bytes, turtle_bytes

SH = Namespace("http://www.w3.org/ns/shacl#")
EXAMPLES = Namespace("https://w3id.org/xhim-kg/queries/")


def _curie(term: object) -> str:
    return curie_of(str(term))


def jsonld_bytes(graph: Graph) -> bytes:
    """JSON-LD of the whole graph with the project's prefixes as its @context."""
    bind_prefixes(graph)
    context = dict(sorted(PREFIXES.items()))
    return graph.serialize(format="json-ld", context=context, indent=2, sort_keys=True, encoding="utf-8")


def _biolink_of(vocabulary: Graph, term: URIRef, via: URIRef) -> str:
    """The Biolink term a project class or property maps to (via rdfs:subClassOf / subPropertyOf)."""
    for parent in sorted(vocabulary.objects(term, via)):
        if str(parent).startswith(str(BIOLINK)):
            return "biolink:" + str(parent).removeprefix(str(BIOLINK))
    return "biolink:NamedThing" if via == RDFS.subClassOf else "biolink:related_to"


NODE_COLUMNS = ("id", "category", "name", "xref", "provided_by")
EDGE_COLUMNS = (
    "id", "subject", "predicate", "object", "category", "negated", "qualifiers",
    "primary_knowledge_source", "knowledge_level", "agent_type", "supporting_text", "supporting_documents",
)


def kgx_files(graph: Graph, vocabulary: Graph) -> dict[str, bytes]:
    """KGX TSV: nodes.tsv and edges.tsv with Biolink categories and predicates and CURIE ids."""
    entity_classes = {c for c in vocabulary.subjects(RDFS.subClassOf, XHIM.Entity)}
    nodes = []
    for node in sorted({s for s, _, o in graph.triples((None, RDF.type, None)) if o in entity_classes}):
        categories = sorted({_biolink_of(vocabulary, t, RDFS.subClassOf) for t in graph.objects(node, RDF.type) if t in entity_classes})
        name = graph.value(node, RDFS.label)
        xrefs = sorted(_curie(x) for x in graph.objects(node, SKOS.exactMatch))
        nodes.append([_curie(node), "|".join(categories), str(name or ""), "|".join(xrefs), "infores:xhim-kg"])
    edges = []
    for statement in sorted(graph.subjects(RDF.type, XHIM.Statement)):
        predicate = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        if isinstance(obj, Literal):
            continue  # KGX edges join nodes; literal-valued statements stay in the RDF exports
        qualifiers = []
        for _, prop, value in sorted(graph.triples((statement, None, None))):
            if str(prop).startswith(str(XHIM)) and prop not in (XHIM.has_evidence, XHIM.negated):
                qualifiers.append(f"{str(prop).removeprefix(str(XHIM))}={_curie(value) if isinstance(value, URIRef) else value}")
        evidence = sorted(graph.objects(statement, XHIM.has_evidence))
        texts = sorted({str(graph.value(sel, OA.exact)) for ev in evidence for sel in graph.objects(ev, OA.hasSelector) if graph.value(sel, OA.exact) is not None})
        documents = sorted({str(graph.value(graph.value(ev, PROV.wasDerivedFrom), XHIM.file_name)) for ev in evidence})
        negated = graph.value(statement, XHIM.negated)
        edges.append([
            _curie(statement), _curie(graph.value(statement, RDF.subject)),
            _biolink_of(vocabulary, predicate, RDFS.subPropertyOf), _curie(obj), "biolink:Association",
            "True" if negated is not None and negated.toPython() else "False", "|".join(qualifiers),
            "infores:xhim-kg", "knowledge_assertion", "text_mining_agent", "|".join(texts), "|".join(documents),
        ])
    return {"nodes.tsv": _tsv(NODE_COLUMNS, nodes), "edges.tsv": _tsv(EDGE_COLUMNS, edges)}


def _tsv(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[cell.replace("\t", " ").replace("\n", " ") for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def sparql_examples_graph(queries: list[SavedQuery]) -> Graph:
    """The saved queries as SHACL SPARQL executables (SIB sparql-examples style)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("ex", EXAMPLES)
    graph.bind("schema", SDO)
    prefixes = EXAMPLES["prefixes"]
    graph.add((prefixes, RDF.type, OWL.Ontology))
    for prefix, namespace in sorted(PREFIXES.items()):
        declaration = EXAMPLES[f"prefixes/{prefix}"]
        graph.add((prefixes, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(namespace, datatype=URIRef("http://www.w3.org/2001/XMLSchema#anyURI"))))
    for query in queries:
        node = EXAMPLES[query.name]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))
        graph.add((node, RDFS.label, Literal(query.title, lang="en")))
        graph.add((node, RDFS.comment, Literal(query.question, lang="en")))
        graph.add((node, SH.prefixes, prefixes))
        graph.add((node, SH.select, Literal(query.text)))
        graph.add((node, SDO.keywords, Literal(query.name)))
    return graph


def owl_files(vocabulary: Graph, lexicon: Graph) -> dict[str, bytes]:
    """Ontology plus entities in one file: RDF/XML (Protégé, OWL API) and OWL in Turtle."""
    merged = Graph()
    for graph in (vocabulary, lexicon):
        for triple in graph:
            if triple[1] != OWL.imports:
                merged.add(triple)
    bind_prefixes(merged)
    return {
        "xhim-ontology.owl": merged.serialize(format="xml", encoding="utf-8"),
        "xhim-ontology.ttl": turtle_bytes(merged),
    }


FORMATS: dict[str, str] = {
    "ttl": "xhim.ttl", "trig": "xhim.trig", "nt": "xhim.nt", "nq": "xhim.nq", "jsonld": "xhim.jsonld",
    "kgx": "nodes.tsv, edges.tsv", "sparql-examples": "sparql-examples.ttl", "owl": "xhim-ontology.owl, xhim-ontology.ttl",
}


def export(fmt: str, dataset: Dataset, vocabulary: Graph, lexicon: Graph, queries_folder: Path | None = None) -> dict[str, bytes]:
    """The files of one export format."""
    writers: dict[str, Callable[[], dict[str, bytes]]] = {
        "ttl": lambda: {"xhim.ttl": turtle_bytes(union(dataset))},
        "trig": lambda: {"xhim.trig": trig_bytes(dataset)},
        "nt": lambda: {"xhim.nt": ntriples_bytes(union(dataset))},
        "nq": lambda: {"xhim.nq": nquads_bytes(dataset)},
        "jsonld": lambda: {"xhim.jsonld": jsonld_bytes(union(dataset))},
        "kgx": lambda: kgx_files(union(dataset), vocabulary),
        "sparql-examples": lambda: {
            "sparql-examples.ttl": turtle_bytes(sparql_examples_graph(saved_queries(queries_folder) if queries_folder else saved_queries()))
        },
        "owl": lambda: owl_files(vocabulary, lexicon),
    }
    if fmt not in writers:
        raise KeyError(f"No exporter registered for format {fmt!r}; known: {', '.join(writers)}")
    return writers[fmt]()
