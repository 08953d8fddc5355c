"""Extraction reaches beyond the hand list and meets its bars on seeds and non-seed documents."""

from __future__ import annotations


import pytest

from extract.evaluate import Score, evaluate_folder
from extract.hpo import HpoIndex, build_index, obo_path
from extract.lexicon import load_lexicon
from extract.readers import read_document
from extract.rules import extract_statements
from graph.build import Curated
from tests.conftest import NONSEED, ROOT, SEEDS, nonseed_documents


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(Curated().lexicon, HpoIndex.load())


def overall(results: dict[str, dict[str, Score]]) -> Score:
    total = Score()
    for scores in results.values():
        total.add(scores["*"])
    return total


def test_hpo_index_holds_phenotypes_not_modes_of_inheritance() -> None:
    index = build_index(obo_path())
    assert len(index) > 10_000
    assert index["eczema"][0] == "HP:0000964"
    assert "x linked recessive inheritance" not in index  # not a phenotypic abnormality


def test_a_symptom_the_lexicon_does_not_know_maps_to_its_hpo_term(lexicon) -> None:
    assert "HP:0000964" not in lexicon.entities  # eczema is not curated
    mentions = lexicon.find("Many people with the condition develop eczema and hepatosplenomegaly.")
    found = {m.entity.curie for m in mentions}
    assert "HP:0000964" in found
    assert "HP:0001433" in found  # Hepatosplenomegaly


def test_seed_bars(lexicon) -> None:
    total = overall(evaluate_folder(SEEDS, ROOT / "tests" / "gold", lexicon))
    assert total.precision >= 0.95 and total.recall >= 0.90, (total.precision, total.recall)


def test_non_seed_bars(lexicon) -> None:
    total = overall(evaluate_folder(nonseed_documents(), NONSEED / "expected", lexicon))
    assert total.precision >= 0.90 and total.recall >= 0.75, (total.precision, total.recall)


def test_contraindication_and_drug_widget_are_not_treatments(lexicon) -> None:
    for path in nonseed_documents():
        for statement in extract_statements(read_document(path), lexicon):
            if statement.predicate == "treated_by":
                for evidence in statement.evidence:
                    assert "should not be given" not in evidence.text
                    assert "Drug Name" not in evidence.text and "Zithromax" not in evidence.text


def test_negated_viral_susceptibility_is_negated(lexicon) -> None:
    statements = extract_statements(read_document(NONSEED / "wyntk_xla.txt"), lexicon)
    viral = [s for s in statements if s.object == "HP:0004429"]
    assert viral and all(s.qualifier("negated") == "true" for s in viral)


def test_merck_recessive_forms_do_not_become_x_linked_findings(lexicon) -> None:
    statements = extract_statements(read_document(next(p for p in SEEDS if p.name.startswith("003_"))), lexicon)
    xhim = {s.object for s in statements if s.subject == "MONDO:0010626"}
    for finding in ("HP:0034839", "HP:0002716", "HP:0001744", "HP:0030812", "HP:0001882"):
        assert finding not in xhim
    leukopenia = [s for s in statements if s.object == "HP:0001882"]
    assert leukopenia and all(s.qualifier("negated") == "true" for s in leukopenia)


def test_questions_assert_nothing(lexicon) -> None:
    for path in SEEDS + nonseed_documents():
        for statement in extract_statements(read_document(path), lexicon):
            assert all(not e.text.rstrip().endswith("?") for e in statement.evidence)


def test_diseases_and_genes_beyond_the_lexicon_come_from_hpo_annotations() -> None:
    from extract.annotations import AnnotationIndex

    index = AnnotationIndex.load()
    lexicon = load_lexicon(Curated().lexicon, HpoIndex.load(), index)
    name = "Developmental and epileptic encephalopathy 96"
    mentions = lexicon.find(f"{name} is caused by variants in the NAT2 gene. NAT2 is also a word-like symbol.")
    found = {(m.entity.type, m.entity.curie) for m in mentions}
    assert ("Disease", "OMIM:619340") in found
    assert ("Gene", "NCBIGene:10") in found
    assert sum(1 for m in mentions if m.entity.curie == "NCBIGene:10") == 1, "a symbol counts only where the text says gene"
