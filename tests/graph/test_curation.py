"""A curator's edit needs no code change: tests edit a temporary copy of ontology/."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, URIRef

from graph.build import ONTOLOGY, Curated, build
from graph.owl import check, reason
from graph.namespaces import XHIM

DOCUMENT = """Example Syndrome: What You Need To Know
A made-up page about X-linked hyper-IgM syndrome for curation tests.

What are the clinical features of X-linked hyper-IgM syndrome?
- Cough (20-30%): often at night.
- Lung inflammation (30-40%): in infancy.
"""


def curated_copy(tmp_path: Path) -> Curated:
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    return Curated(folder / "xhim.ttl", folder / "lexicon.ttl", folder / "shapes.ttl")


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "example.txt").write_text(DOCUMENT, encoding="utf-8")
    return folder


def objects(result) -> set[str]:
    return {s.object for statements in result.statements.values() for s in statements}


def test_adding_a_synonym_makes_the_recogniser_find_it(tmp_path: Path) -> None:
    curated = curated_copy(tmp_path)
    docs = corpus(tmp_path)
    assert "HP:0002090" not in objects(build(docs, curated))
    with curated.lexicon.open("a", encoding="utf-8") as stream:
        stream.write('\nobo:HP_0002090 skos:altLabel "lung inflammation"@en .\n')
    result = build(docs, curated)
    assert "HP:0002090" in objects(result)
    assert result.validation.conforms, result.validation.text


def test_adding_a_phenotype_with_an_hpo_identifier_validates(tmp_path: Path) -> None:
    curated = curated_copy(tmp_path)
    docs = corpus(tmp_path)
    assert "HP:0012735" not in objects(build(docs, curated))
    with curated.lexicon.open("a", encoding="utf-8") as stream:
        stream.write('\nobo:HP_0012735 a xhim:Phenotype ;\n    rdfs:label "cough"@en .\n')
    result = build(docs, curated)
    assert "HP:0012735" in objects(result)
    assert result.validation.conforms, result.validation.text


def test_a_build_never_writes_into_ontology(tmp_path: Path, seed_build) -> None:
    before = {p.name: p.read_bytes() for p in ONTOLOGY.iterdir()}
    build(corpus(tmp_path))
    assert {p.name: p.read_bytes() for p in ONTOLOGY.iterdir()} == before


def test_hermit_finds_the_ontology_consistent_and_complete() -> None:
    report = check(Graph().parse(Curated().vocabulary), Graph().parse(Curated().lexicon))
    assert report.consistent and not report.unsatisfiable and not report.incomplete, report.text()


def test_hermit_reports_an_entity_typed_with_disjoint_classes(tmp_path: Path) -> None:
    curated = curated_copy(tmp_path)
    with curated.lexicon.open("a", encoding="utf-8") as stream:
        stream.write("\nhgnc:11935 a xhim:Protein .\n")
    report = check(Graph().parse(curated.vocabulary), Graph().parse(curated.lexicon))
    assert not report.consistent
    assert "http://identifiers.org/hgnc/11935" in report.text()


def test_check_lists_terms_without_definition_or_mapping(tmp_path: Path) -> None:
    curated = curated_copy(tmp_path)
    with curated.vocabulary.open("a", encoding="utf-8") as stream:
        stream.write('\nxhim:Orphan a owl:Class ; rdfs:label "orphan"@en .\n')
    report = check(Graph().parse(curated.vocabulary), Graph().parse(curated.lexicon))
    assert not report.ok
    assert ("https://w3id.org/xhim-kg/vocab/Orphan", "skos:definition") in report.incomplete


def test_reasoning_materialises_the_property_chain(seed_build) -> None:
    result, _ = seed_build
    inferred = reason(Graph().parse(Curated().vocabulary), Graph().parse(Curated().lexicon), result.graph)
    xhim_disease = URIRef("http://purl.obolibrary.org/obo/MONDO_0010626")
    cd40_signalling = URIRef("http://purl.obolibrary.org/obo/GO_0023035")
    assert (xhim_disease, XHIM.involves_process, cd40_signalling) in inferred
    assert (xhim_disease, XHIM.involves_process, cd40_signalling) not in result.graph
