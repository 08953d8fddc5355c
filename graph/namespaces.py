"""Namespaces of the graph.  XHIM is a closed namespace: a misspelt term
raises at import time instead of minting a stray IRI."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OBO = Namespace("http://purl.obolibrary.org/obo/")

BASE = "https://w3id.org/xhim-kg/"
DOCUMENT = Namespace(BASE + "document/")
STATEMENT = Namespace(BASE + "statement/")
EVIDENCE = Namespace(BASE + "evidence/")
CONFLICT = Namespace(BASE + "conflict/")
ENTITIES_GRAPH = URIRef(BASE + "graph/entities")


class XHIM(DefinedNamespace):
    """The project vocabulary (ontology/xhim.ttl)."""

    _NS = Namespace("https://w3id.org/xhim-kg/vocab/")
    _fail = True

    # classes
    Entity: URIRef
    Disease: URIRef
    Gene: URIRef
    Protein: URIRef
    Cell: URIRef
    Antibody: URIRef
    Phenotype: URIRef
    Organism: URIRef
    Treatment: URIRef
    DiagnosticTest: URIRef
    Inheritance: URIRef
    BiologicalProcess: URIRef
    SourceDocument: URIRef
    Statement: URIRef
    Evidence: URIRef
    Conflict: URIRef
    # relations
    caused_by: URIRef
    has_gene_product: URIRef
    physically_interacts_with: URIRef
    expressed_in: URIRef
    participates_in: URIRef
    has_phenotype: URIRef
    treated_by: URIRef
    has_mode_of_inheritance: URIRef
    has_antibody_level: URIRef
    increases_susceptibility_to: URIRef
    is_diagnosed_by: URIRef
    subtype_of: URIRef
    located_on_chromosome_band: URIRef
    # provenance
    has_evidence: URIRef
    section: URIRef
    extractor: URIRef
    file_name: URIRef
    document_kind: URIRef
    sha256: URIRef
    symbol: URIRef
    abbreviation: URIRef
    noStandardIdentifier: URIRef
    # qualifiers
    negated: URIRef
    frequency_min: URIRef
    frequency_max: URIRef
    frequency_class: URIRef
    direction: URIRef
    dose: URIRef
    schedule: URIRef
    purpose: URIRef
    treatment_status: URIRef
    via: URIRef
    share: URIRef
    has_prevalence: URIRef
    has_sex_bias: URIRef
    has_carrier_status: URIRef
    has_prognosis: URIRef
    treatment_context: URIRef
    population: URIRef
    stated_as: URIRef
    # conflicts
    conflicting_statement: URIRef
    conflict_aspect: URIRef
    about_relation: URIRef
    # inferred
    involves_process: URIRef
    gene_product_expressed_in: URIRef
