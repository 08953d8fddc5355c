"""Statements become RDF: one named graph per source document.

Each statement is a direct triple (unless negated) and a statement node whose
IRI is a hash of subject, predicate, object and qualifiers, with one evidence
node per supporting sentence (prov:wasDerivedFrom the document, a Web
Annotation TextQuoteSelector and TextPositionSelector, the section heading and
the extractor).  No blank nodes: every node has a deterministic IRI.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SDO

from extract.lexicon import Entity, iri_of
from extract.model import Document, Evidence, Statement, Value
from graph.namespaces import DOCUMENT, ENTITIES_GRAPH, EVIDENCE, OA, PROV, STATEMENT, XHIM

Triple = tuple[URIRef, URIRef, URIRef | Literal]

#: How each qualifier key is written: (property, kind) with kind "iri", "decimal", "boolean" or "string".
QUALIFIERS: dict[str, tuple[URIRef, str]] = {
    "negated": (XHIM.negated, "boolean"),
    "frequency_min": (XHIM.frequency_min, "decimal"),
    "frequency_max": (XHIM.frequency_max, "decimal"),
    "frequency_class": (XHIM.frequency_class, "iri"),
    "direction": (XHIM.direction, "string"),
    "dose": (XHIM.dose, "string"),
    "schedule": (XHIM.schedule, "string"),
    "purpose": (XHIM.purpose, "iri"),
    "status": (XHIM.treatment_status, "string"),
    "via": (XHIM.via, "iri"),
    "share": (XHIM.share, "decimal"),
    "population": (XHIM.population, "string"),
    "stated_as": (XHIM.stated_as, "string"),
    "context": (XHIM.treatment_context, "string"),
}


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What the graph says of a source document (no text: the graph knows no HTML)."""

    file_name: str
    kind: str
    title: str
    url: str | None
    publisher: str | None
    sha256: str
    links: tuple[tuple[str, str], ...] = ()  # (CURIE, url)
    references: tuple[str, ...] = ()

    @staticmethod
    def of(document: Document, sha256: str) -> SourceRecord:
        """The record of a read document."""
        return SourceRecord(
            file_name=document.file_name,
            kind=document.kind,
            title=document.title,
            url=document.url,
            publisher=document.publisher,
            sha256=sha256,
            links=tuple(sorted({(f"{link.prefix}:{link.local_id}", link.url) for link in document.links})),
            references=document.references,
        )


def document_iri(file_name: str) -> URIRef:
    """The IRI of a source document, which is also the IRI of its named graph."""
    return DOCUMENT[Path(file_name).stem]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _object_key(obj: str | Value) -> str:
    return f"value:{obj.text}^{obj.datatype}^{obj.unit}" if isinstance(obj, Value) else obj


def statement_iri(statement: Statement) -> URIRef:
    """Deterministic IRI: a hash of subject, predicate, object and qualifiers."""
    quals = ";".join(f"{k}={v}" for k, v in statement.qualifiers)
    return STATEMENT[_digest(statement.subject, statement.predicate, _object_key(statement.object), quals)]


def evidence_iri(statement: URIRef, evidence: Evidence) -> URIRef:
    """Deterministic IRI of one evidence of one statement."""
    return EVIDENCE[_digest(str(statement), evidence.source, str(evidence.start), str(evidence.end))]


def decimal_literal(value: str) -> Literal:
    """An xsd:decimal in canonical form ("10.0", not "10"), so Turtle round trips are exact.

    >>> decimal_literal("10")
    rdflib.term.Literal('10.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    number = Decimal(value)
    text = format(number, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _object_term(obj: str | Value) -> URIRef | Literal:
    if isinstance(obj, Value):
        if obj.datatype == "decimal":
            return decimal_literal(obj.text)
        return Literal(obj.text)
    return URIRef(iri_of(obj))


def _qualifier_term(kind: str, value: str) -> URIRef | Literal:
    if kind == "iri":
        return URIRef(iri_of(value))
    if kind == "decimal":
        return decimal_literal(value)
    if kind == "boolean":
        return Literal(value == "true", datatype=XSD.boolean)
    return Literal(value)


def document_triples(record: SourceRecord) -> Iterator[Triple]:
    """The document node: file name, kind, title, URL, publisher, digest, links, citations."""
    node = document_iri(record.file_name)
    yield node, RDF.type, XHIM.SourceDocument
    yield node, XHIM.file_name, Literal(record.file_name)
    yield node, XHIM.document_kind, Literal(record.kind)
    yield node, DCTERMS.title, Literal(record.title)
    yield node, RDFS.label, Literal(record.title, lang="en")
    yield node, XHIM.sha256, Literal(record.sha256)
    if record.url:
        yield node, SDO.url, URIRef(record.url)
    if record.publisher:
        yield node, DCTERMS.publisher, Literal(record.publisher)
    for _, url in record.links:
        yield node, RDFS.seeAlso, URIRef(url.replace(" ", "%20"))
    for citation in record.references:
        yield node, DCTERMS.bibliographicCitation, Literal(citation)


def statement_triples(statement: Statement, source: str) -> Iterator[Triple]:
    """Direct triple, statement node and the evidence of ``source`` for one statement."""
    node = statement_iri(statement)
    subject = URIRef(iri_of(statement.subject))
    predicate = XHIM[statement.predicate]
    obj = _object_term(statement.object)
    if statement.qualifier("negated") != "true":
        yield subject, predicate, obj
    yield node, RDF.type, XHIM.Statement
    yield node, RDF.subject, subject
    yield node, RDF.predicate, predicate
    yield node, RDF.object, obj
    for key, value in statement.qualifiers:
        prop, kind = QUALIFIERS[key]
        yield node, prop, _qualifier_term(kind, value)
    for evidence in statement.evidence:
        if evidence.source != source:
            continue
        yield from evidence_triples(node, evidence)


def evidence_triples(statement: URIRef, evidence: Evidence) -> Iterator[Triple]:
    """An evidence node with its quote and position selectors."""
    node = evidence_iri(statement, evidence)
    quote = URIRef(f"{node}#quote")
    position = URIRef(f"{node}#position")
    yield statement, XHIM.has_evidence, node
    yield node, RDF.type, XHIM.Evidence
    yield node, PROV.wasDerivedFrom, document_iri(evidence.source)
    yield node, OA.hasSource, document_iri(evidence.source)
    yield node, XHIM.section, Literal(evidence.section)
    yield node, XHIM.extractor, Literal(evidence.extractor)
    yield node, OA.hasSelector, quote
    yield node, OA.hasSelector, position
    yield quote, RDF.type, OA.TextQuoteSelector
    yield quote, OA.exact, Literal(evidence.text)
    yield quote, OA.prefix, Literal(evidence.prefix)
    yield quote, OA.suffix, Literal(evidence.suffix)
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, Literal(evidence.start, datatype=XSD.nonNegativeInteger)
    yield position, OA.end, Literal(evidence.end, datatype=XSD.nonNegativeInteger)


HP_ONTOLOGY = URIRef("http://purl.obolibrary.org/obo/hp.owl")


def entity_triples(lexicon_graph: Graph, curies: Iterable[str], fallback: dict[str, Entity] | None = None) -> Iterator[Triple]:
    """What the lexicon says of each entity used; phenotypes found through the HPO index get type and label."""
    for curie in sorted(set(curies)):
        node = URIRef(iri_of(curie))
        described = False
        for _, p, o in lexicon_graph.triples((node, None, None)):
            described = True
            yield node, p, o  # type: ignore[misc]
        if not described and fallback and curie in fallback:
            entity = fallback[curie]
            yield node, RDF.type, XHIM[entity.type]
            yield node, RDFS.label, Literal(entity.label, lang="en")
            if entity.symbol:
                yield node, XHIM.symbol, Literal(entity.symbol)
            if entity.type == "Phenotype":
                yield node, RDFS.isDefinedBy, HP_ONTOLOGY


def used_entities(statements: Iterable[Statement]) -> set[str]:
    """CURIEs of the lexicon entities statements use as subject or object."""
    used: set[str] = set()
    for statement in statements:
        used.add(statement.subject)
        if isinstance(statement.object, str):
            used.add(statement.object)
        for key, value in statement.qualifiers:
            if key in ("purpose", "via"):
                used.add(value)
    return used


def union(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one graph (what validation and Turtle see)."""
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def canonical_ntriples(triples: Iterable[Triple]) -> bytes:
    """Sorted, de-duplicated N-Triples lines written by pyoxigraph (its canonical term syntax).

    >>> canonical_ntriples([(URIRef("urn:b"), RDFS.label, Literal("b")), (URIRef("urn:a"), RDFS.label, Literal("a", lang="en"))])
    b'<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "a"@en .\\n<urn:b> <http://www.w3.org/2000/01/rdf-schema#label> "b" .\\n'
    """
    import pyoxigraph

    def term(value: URIRef | Literal) -> object:
        if isinstance(value, URIRef):
            return pyoxigraph.NamedNode(str(value))
        if value.language:
            return pyoxigraph.Literal(str(value), language=value.language)
        if value.datatype is not None:
            return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(str(value.datatype)))
        return pyoxigraph.Literal(str(value))

    converted = [pyoxigraph.Triple(term(s), term(p), term(o)) for s, p, o in triples]  # type: ignore[arg-type]
    text = pyoxigraph.serialize(converted, format=pyoxigraph.RdfFormat.N_TRIPLES)
    lines = sorted(set(text.splitlines(keepends=True)))
    return b"".join(lines)


def document_graph(record: SourceRecord, statements: Iterable[Statement]) -> list[Triple]:
    """The triples of one document's named graph: its document node and its statements with their evidence."""
    triples: list[Triple] = list(document_triples(record))
    for statement in statements:
        triples.extend(statement_triples(statement, record.file_name))
    return triples
