"""Each SHACL shape catches the mistake it guards against; the seed graph conforms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from graph.build import Curated, parse_curated
from graph.namespaces import OA, PROV, XHIM
from graph.validate import EmptyGraphError, load_shapes, validate

SHAPES = load_shapes(Curated().shapes)
VOCABULARY = parse_curated(Curated().vocabulary)
XS = "https://w3id.org/xhim-kg/shapes/"


def copy(graph: Graph) -> Graph:
    duplicate = Graph()
    for triple in graph:
        duplicate.add(triple)
    return duplicate


def first(graph: Graph, type_: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, type_))[0]  # type: ignore[return-value]


def drop_evidence(g: Graph) -> None:
    statement = first(g, XHIM.Statement)
    for evidence in list(g.objects(statement, XHIM.has_evidence)):
        g.remove((statement, XHIM.has_evidence, evidence))


def frequency_150(g: Graph) -> None:
    statement = sorted(g.subjects(XHIM.frequency_max, None))[0]
    g.set((statement, XHIM.frequency_max, Literal("150.0", datatype=XSD.decimal)))


def min_above_max(g: Graph) -> None:
    statement = sorted(g.subjects(XHIM.frequency_max, None))[0]
    g.set((statement, XHIM.frequency_min, Literal("99.0", datatype=XSD.decimal)))
    g.set((statement, XHIM.frequency_max, Literal("10.0", datatype=XSD.decimal)))


def second_label(g: Graph) -> None:
    g.add((first(g, XHIM.Phenotype), RDFS.label, Literal("another name", lang="en")))


def foreign_document(g: Graph) -> None:
    evidence = first(g, XHIM.Evidence)
    g.set((evidence, PROV.wasDerivedFrom, URIRef("https://w3id.org/xhim-kg/document/not-in-corpus")))


def undeclared_predicate(g: Graph) -> None:
    statement = first(g, XHIM.Statement)
    g.set((statement, RDF.predicate, URIRef("https://w3id.org/xhim-kg/vocab/cures_everything")))


def empty_offsets(g: Graph) -> None:
    selector = first(g, OA.TextPositionSelector)
    start = g.value(selector, OA.start)
    g.set((selector, OA.end, start))


def bad_direction(g: Graph) -> None:
    statement = sorted(g.subjects(XHIM.direction, None))[0]
    g.set((statement, XHIM.direction, Literal("sideways")))


def antibody_level_without_direction(g: Graph) -> None:
    statement = sorted(g.subjects(XHIM.direction, None))[0]
    g.remove((statement, XHIM.direction, None))


def dose_without_unit(g: Graph) -> None:
    statement = sorted(g.subjects(XHIM.dose, None))[0]
    g.set((statement, XHIM.dose, Literal("400-600")))


def malformed_hp_identifier(g: Graph) -> None:
    g.add((URIRef("http://purl.obolibrary.org/obo/HP_12"), RDF.type, XHIM.Phenotype))
    g.add((URIRef("http://purl.obolibrary.org/obo/HP_12"), RDFS.label, Literal("odd", lang="en")))


def gene_product_not_protein(g: Graph) -> None:
    gene = sorted(g.subjects(XHIM.has_gene_product, None))[0]
    g.add((gene, XHIM.has_gene_product, first(g, XHIM.Cell)))


def gene_without_symbol(g: Graph) -> None:
    gene = first(g, XHIM.Gene)
    g.remove((gene, XHIM.symbol, None))


BREAKAGES: dict[str, tuple[Callable[[Graph], None], str]] = {
    "drop an evidence": (drop_evidence, "StatementEvidence"),
    "frequency of 150": (frequency_150, "FrequencyMax"),
    "frequency min above max": (min_above_max, "FrequencyMin"),
    "second English label": (second_label, "EntityLabel"),
    "evidence from a file not in the corpus": (foreign_document, "EvidenceDocument"),
    "undeclared predicate": (undeclared_predicate, "DeclaredPredicateShape"),
    "start not below end": (empty_offsets, "OffsetRange"),
    "direction outside the closed list": (bad_direction, "DirectionValue"),
    "dose without unit": (dose_without_unit, "DoseUnit"),
    "antibody level without direction": (antibody_level_without_direction, "AntibodyLevelDirectionShape"),
    "malformed HP identifier": (malformed_hp_identifier, "PhenotypeIdentifierShape"),
    "gene product that is not a protein": (gene_product_not_protein, "GeneProductIsProtein"),
    "gene without symbol": (gene_without_symbol, "GeneSymbol"),
}


def test_seed_graph_conforms(seed_build) -> None:
    result, _ = seed_build
    outcome = validate(result.graph, SHAPES, VOCABULARY)
    assert outcome.conforms, outcome.text


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_shape_catches_breakage(seed_build, case: str) -> None:
    result, _ = seed_build
    broken = copy(result.graph)
    breakage, shape = BREAKAGES[case]
    breakage(broken)
    outcome = validate(broken, SHAPES, VOCABULARY)
    assert not outcome.conforms
    shapes = {r.shape.removeprefix(XS) for r in outcome.results}
    assert shape in shapes, (case, shapes)
    assert all(r.shape.startswith(XS) for r in outcome.results), "every result names a shape with an IRI"


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_turbo_engine_agrees_with_pyshacl(seed_build, case: str) -> None:
    result, _ = seed_build
    broken = copy(result.graph)
    BREAKAGES[case][0](broken)
    reference = validate(broken, SHAPES, VOCABULARY, "pyshacl")
    fast = validate(broken, SHAPES, VOCABULARY, "turbo")
    assert fast.conforms == reference.conforms
    key = lambda r: (r.shape, r.focus, r.path, r.value)  # noqa: E731
    assert sorted(map(key, fast.results)) == sorted(map(key, reference.results))


def test_turbo_engine_agrees_on_the_seed_graph(seed_build) -> None:
    result, _ = seed_build
    assert validate(result.graph, SHAPES, VOCABULARY, "turbo").conforms


def test_empty_graph_is_an_error_not_a_pass() -> None:
    with pytest.raises(EmptyGraphError):
        validate(Graph(), SHAPES, VOCABULARY)


def test_report_groups_by_shape_with_counts(seed_build) -> None:
    result, _ = seed_build
    broken = copy(result.graph)
    second_label(broken)
    frequency_150(broken)
    text = validate(broken, SHAPES, VOCABULARY).text
    assert text.startswith("Conforms: no")
    assert "By shape:" in text and "All results, by shape and focus node:" in text
    assert "e.g." in text


def split_validation(graph: Graph, engine: str) -> set[tuple[str, str, str, str]]:
    """What the build does: local shapes on the graph with the class hierarchy, whole-graph shapes as SPARQL."""
    import pyoxigraph

    from graph.build import class_hierarchy
    from graph.validate import LocalValidator, split_shapes, whole_graph_results

    local, whole = split_shapes(SHAPES)
    results = set(LocalValidator(local, engine).results(list(graph) + class_hierarchy(VOCABULARY)))
    store = pyoxigraph.Store()
    both = graph + VOCABULARY
    store.load(both.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    results |= set(whole_graph_results(store, whole))
    return {(r.shape, r.focus, r.path, r.value) for r in results}


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_split_validation_agrees_with_whole_graph_pyshacl(seed_build, case: str, engine: str) -> None:
    result, _ = seed_build
    broken = copy(result.graph)
    BREAKAGES[case][0](broken)
    reference = validate(broken, SHAPES, VOCABULARY, "pyshacl")
    assert split_validation(broken, engine) == {(r.shape, r.focus, r.path, r.value) for r in reference.results}


def test_split_shapes_keeps_every_shape_once() -> None:
    from graph.validate import split_shapes

    local, whole = split_shapes(SHAPES)
    whole_shapes = set(whole.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    local_shapes = set(local.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert not whole_shapes & local_shapes
    assert whole_shapes | local_shapes == set(SHAPES.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))
    assert URIRef(XS + "DeclaredPredicateShape") in whole_shapes and URIRef(XS + "StatementShape") in local_shapes


def test_a_whole_graph_shape_with_a_constraint_the_runner_does_not_know_is_refused(seed_build) -> None:
    import pyoxigraph

    from graph.validate import WHOLE_GRAPH_FOCUS, split_shapes, whole_graph_results

    _, whole = split_shapes(SHAPES)
    whole.add((URIRef(XS + "Odd"), URIRef("http://www.w3.org/ns/shacl#targetNode"), WHOLE_GRAPH_FOCUS))
    whole.add((URIRef(XS + "Odd"), URIRef("http://www.w3.org/ns/shacl#minCount"), Literal(1)))
    with pytest.raises(ValueError, match="Odd"):
        whole_graph_results(pyoxigraph.Store(), whole)
