"""OWL reasoning with owlready2 and HermiT: ontology checks and materialised inferences.

owlready2 reads N-Triples, not Turtle, so curated Turtle is converted with rdflib
into a temporary folder first.  The curated files are never written; inferred
triples go to a separate, clearly named graph.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

XHIM_NS = "https://w3id.org/xhim-kg/vocab/"
BIOLINK_NS = "https://w3id.org/biolink/vocab/"
INFERRED_GRAPH = URIRef("https://w3id.org/xhim-kg/graph/inferred")


@dataclass
class CheckReport:
    """What ``xhim ontology check`` found."""

    consistent: bool
    unsatisfiable: list[tuple[str, list[str]]] = field(default_factory=list)  # class, axioms involved
    incomplete: list[tuple[str, str]] = field(default_factory=list)  # term, what is missing
    inconsistency: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing needs a curator's attention."""
        return self.consistent and not self.unsatisfiable and not self.incomplete

    def text(self) -> str:
        """A readable report."""
        lines = [f"Consistent: {'yes' if self.consistent else 'NO'}"]
        if self.inconsistency:
            lines.append(f"  {self.inconsistency}")
        lines.append(f"Unsatisfiable classes: {len(self.unsatisfiable)}")
        for name, axioms in self.unsatisfiable:
            lines.append(f"  {name}")
            lines.extend(f"    involved: {axiom}" for axiom in axioms)
        lines.append(f"Terms missing a label, definition or Biolink mapping: {len(self.incomplete)}")
        lines.extend(f"  {term}: no {what}" for term, what in self.incomplete)
        return "\n".join(lines) + "\n"


def incomplete_terms(vocabulary: Graph) -> list[tuple[str, str]]:
    """Classes and properties of the project namespace lacking a label, a definition or a Biolink mapping."""
    missing = []
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = sorted({s for kind in kinds for s in vocabulary.subjects(RDF.type, kind) if str(s).startswith(XHIM_NS)})
    for term in terms:
        if not any(isinstance(o, Literal) and o.language == "en" for o in vocabulary.objects(term, RDFS.label)):
            missing.append((str(term), "English rdfs:label"))
        if vocabulary.value(term, SKOS.definition) is None:
            missing.append((str(term), "skos:definition"))
        if not _maps_to_biolink(vocabulary, term):
            missing.append((str(term), "Biolink mapping (rdfs:subClassOf/rdfs:subPropertyOf/skos:exactMatch a biolink: term)"))
    return missing


def _maps_to_biolink(vocabulary: Graph, term: URIRef, seen: frozenset[URIRef] = frozenset()) -> bool:
    for prop in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.exactMatch):
        for parent in vocabulary.objects(term, prop):
            if str(parent).startswith(BIOLINK_NS):
                return True
            if isinstance(parent, URIRef) and parent not in seen and str(parent).startswith(XHIM_NS):
                if _maps_to_biolink(vocabulary, parent, seen | {term}):
                    return True
    return False


def _load_world(graphs: Iterable[Graph]):  # type: ignore[no-untyped-def]
    """A fresh owlready2 World holding the given graphs (converted to N-Triples)."""
    import owlready2

    world = owlready2.World()
    folder = Path(tempfile.mkdtemp(prefix="xhim-owl-"))
    ontologies = []
    for index, graph in enumerate(graphs):
        path = folder / f"part{index}.nt"
        local = Graph()
        for triple in graph:
            if triple[1] != OWL.imports:  # the parts are loaded side by side; nothing is fetched
                local.add(triple)
        path.write_bytes(local.serialize(format="nt", encoding="utf-8"))
        ontologies.append(world.get_ontology(path.as_uri()).load())
    return world, ontologies, folder


def check(vocabulary: Graph, lexicon: Graph) -> CheckReport:
    """Run HermiT over vocabulary + lexicon; report inconsistency, unsatisfiable classes, incomplete terms."""
    import owlready2

    world, ontologies, _ = _load_world([vocabulary, lexicon])
    report = CheckReport(consistent=True, incomplete=incomplete_terms(vocabulary))
    try:
        with ontologies[0]:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        report.consistent = False
        report.inconsistency = "HermiT: the ontology with its entities is inconsistent (look for an entity typed with two disjoint classes)"
        report.incomplete.extend(_disjoint_typing(vocabulary, lexicon))
        return report
    for cls in world.inconsistent_classes():
        if cls is owlready2.Nothing:
            continue
        iri = cls.iri
        axioms = [f"{iri} rdfs:subClassOf {parent}" for parent in vocabulary.objects(URIRef(iri), RDFS.subClassOf)]
        axioms += [f"{iri} owl:disjointWith {other}" for other in vocabulary.objects(URIRef(iri), OWL.disjointWith)]
        report.unsatisfiable.append((iri, axioms))
    return report


def _disjoint_typing(vocabulary: Graph, lexicon: Graph) -> list[tuple[str, str]]:
    """Entities typed with more than one entity class (the usual cause of inconsistency)."""
    classes = {s for s in vocabulary.subjects(RDFS.subClassOf, URIRef(XHIM_NS + "Entity"))}
    found = []
    for entity in sorted(set(lexicon.subjects(RDF.type, None))):
        types = sorted(str(t) for t in lexicon.objects(entity, RDF.type) if t in classes)
        if len(types) > 1:
            found.append((str(entity), f"single entity class (typed {', '.join(types)})"))
    return found


def reason(vocabulary: Graph, lexicon: Graph, data: Graph) -> Graph:
    """Triples HermiT infers from vocabulary + lexicon + the direct triples of ``data``, and nothing else.

    Class hierarchy (entity types up to Biolink), inverse, symmetric and
    transitive properties and property chains are materialised.
    """
    import owlready2

    facts = Graph()
    for s, p, o in data:
        if str(p).startswith(XHIM_NS) and isinstance(o, URIRef) or p == RDF.type:
            facts.add((s, p, o))
    before = Graph()
    for graph in (vocabulary, lexicon, facts):
        for triple in graph:
            before.add(triple)
    world, ontologies, _ = _load_world([vocabulary, lexicon, facts])
    inferred_onto = world.get_ontology("https://w3id.org/xhim-kg/graph/inferred#")
    with inferred_onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    after = Graph()
    path = Path(tempfile.mkdtemp(prefix="xhim-inferred-")) / "world.nt"
    world.save(str(path), format="ntriples")
    after.parse(path, format="nt")
    inferred = Graph()
    for s, p, o in after:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))  # owlready2 writes plain literals back as xsd:string
        if (s, p, o) in before or not isinstance(s, URIRef) or not isinstance(o, (URIRef, Literal)):
            continue
        if p in (OWL.imports, OWL.versionIRI) or (p == RDF.type and o in (OWL.Ontology, OWL.NamedIndividual, OWL.Thing)):
            continue
        if str(s).startswith("https://w3id.org/xhim-kg/graph/inferred"):
            continue
        inferred.add((s, p, o))
    inferred.bind("xhim", Namespace(XHIM_NS))
    return inferred
