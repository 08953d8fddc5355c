"""Relation rules on the smallest inline inputs: scope, negation, questions, qualifiers."""

from __future__ import annotations

from extract.lexicon import Entity, Lexicon
from extract.model import Document, Section, SectionKind, Sentence, Value
from extract.rules import extract_statements, frequency_class
from extract.text import sentence_spans


def entity(curie: str, type_: str, label: str, *synonyms: str, abbreviations: tuple[str, ...] = (), symbol: str | None = None) -> Entity:
    return Entity(curie, type_, label, tuple(synonyms), abbreviations, symbol)


LEXICON = Lexicon(
    [
        entity("MONDO:0000001", "Disease", "example syndrome", "example-syndrome"),
        entity("MONDO:0000002", "Disease", "other syndrome"),
        entity("MONDO:0000003", "Disease", "parent disorder"),
        entity("HGNC:1", "Gene", "EXG1", symbol="EXG1"),
        entity("UniProtKB:P00001", "Protein", "example ligand", abbreviations=("EXL",)),
        entity("UniProtKB:P00002", "Protein", "example receptor"),
        entity("CL:0000001", "Cell", "T cell"),
        entity("CL:0000002", "Cell", "B cell"),
        entity("CL:0000003", "Cell", "macrophage"),
        entity("HP:0000001", "Phenotype", "neutropenia"),
        entity("HP:0000002", "Phenotype", "leukopenia"),
        entity("HP:0000003", "Phenotype", "viral infection", "infections caused by viruses"),
        entity("NCBITaxon:1", "Organism", "Pneumocystis jirovecii"),
        entity("MAXO:0000001", "Treatment", "immunoglobulin therapy", abbreviations=("IVIG",)),
        entity("MAXO:0000002", "Treatment", "live viral vaccine", "live viral vaccines"),
        entity("HP:0000004", "Inheritance", "X-linked recessive inheritance", "X-linked recessive pattern"),
        entity("GO:0000001", "Antibody", "IgM", "immunoglobulin M", abbreviations=("IgM",)),
        entity("GO:0000002", "Antibody", "IgG", "immunoglobulin G", abbreviations=("IgG",)),
        entity("GO:0000003", "Antibody", "IgA", abbreviations=("IgA",)),
        entity("GO:0000004", "BiologicalProcess", "example signaling pathway", "example signals"),
    ]
)


def document(text: str, title: str = "Example syndrome", kind: SectionKind = SectionKind.CONTENT) -> Document:
    sentences = tuple(Sentence(text[a:b], a, b, "Body", kind) for a, b in sentence_spans(text))
    return Document("doc.txt", "test", title, text, (Section("Body", kind, 0, 0),), sentences)


def triples(text: str, **kwargs: object) -> set[tuple[str, str, object, tuple]]:
    return {(s.subject, s.predicate, s.object, s.qualifiers) for s in extract_statements(document(text, **kwargs), LEXICON)}  # type: ignore[arg-type]


def test_gene_cause_and_product_with_anaphora() -> None:
    found = triples("Variants in the EXG1 gene cause example syndrome. This gene provides instructions for making example ligand.")
    assert ("MONDO:0000001", "caused_by", "HGNC:1", ()) in found
    assert ("HGNC:1", "has_gene_product", "UniProtKB:P00001", ()) in found


def test_ligand_receptor_and_cells_go_to_the_nearest_protein() -> None:
    found = triples("EXL is expressed on T cells and interacts with example receptor on B cells and macrophages.")
    assert ("UniProtKB:P00001", "expressed_in", "CL:0000001", ()) in found
    assert ("UniProtKB:P00002", "expressed_in", "CL:0000002", ()) in found
    assert ("UniProtKB:P00002", "expressed_in", "CL:0000003", ()) in found
    assert ("UniProtKB:P00001", "expressed_in", "CL:0000002", ()) not in found
    assert ("UniProtKB:P00001", "physically_interacts_with", "UniProtKB:P00002", ()) in found


def test_anonymous_receptor_blocks_the_cell() -> None:
    found = triples("Example ligand attaches to its receptor, which is located on the surface of B cells.")
    assert not any(p == "expressed_in" for _, p, _, _ in found)


def test_negation_is_a_qualifier_and_not_a_direct_fact() -> None:
    found = triples("Leukopenia is absent in example syndrome.")
    assert ("MONDO:0000001", "has_phenotype", "HP:0000002", (("negated", "true"),)) in found
    found = triples("Patients are not particularly vulnerable to infections caused by viruses.")
    assert ("MONDO:0000001", "has_phenotype", "HP:0000003", (("negated", "true"),)) in found


def test_contraindication_is_not_a_treatment() -> None:
    found = triples("Patients should not be given live viral vaccines. Treatment includes IVIG 400 mg/kg every 4 weeks.")
    assert not any(o == "MAXO:0000002" for _, _, o, _ in found)
    assert ("MONDO:0000001", "treated_by", "MAXO:0000001", (("dose", "400 mg/kg"), ("schedule", "every 4 weeks"))) in found


def test_questions_assert_nothing() -> None:
    assert triples("Can carriers of example syndrome have neutropenia?") == set()


def test_other_forms_do_not_take_the_title_disease() -> None:
    text = "At least 4 autosomal recessive forms involve a B-cell defect. Neutropenia is common in these forms."
    assert not any(p == "has_phenotype" for _, p, _, _ in triples(text))


def test_named_disease_takes_scope_and_comparison_does_not() -> None:
    found = triples("Otherwise, presentation is similar to that of other syndrome and includes neutropenia.")
    assert ("MONDO:0000001", "has_phenotype", "HP:0000001", ()) in found
    assert not any(s == "MONDO:0000002" for s, _, _, _ in found)


def test_frequency_numbers_and_hpo_class() -> None:
    found = triples("- Neutropenia (50-70%): chronic or intermittent.")
    assert ("MONDO:0000001", "has_phenotype", "HP:0000001",
            (("frequency_class", "HP:0040282"), ("frequency_max", "70"), ("frequency_min", "50"))) in found
    assert frequency_class(90, 100) == "HP:0040281" and frequency_class(10, 20) == "HP:0040283"


def test_antibody_directions_along_lists_and_shorthand() -> None:
    found = triples("It shows normal or elevated serum immunoglobulin M (IgM) levels with low or absent IgG and IgA.")
    assert ("MONDO:0000001", "has_antibody_level", "GO:0000001", (("direction", "normal_or_increased"),)) in found
    assert ("MONDO:0000001", "has_antibody_level", "GO:0000002", (("direction", "decreased_or_absent"),)) in found
    assert ("MONDO:0000001", "has_antibody_level", "GO:0000003", (("direction", "decreased_or_absent"),)) in found
    found = triples("Ig levels: ↑ IgM, ↓ IgG/A.")
    assert ("MONDO:0000001", "has_antibody_level", "GO:0000003", (("direction", "decreased"),)) in found


def test_a_normal_immune_response_is_not_a_normal_level() -> None:
    found = triples("In a normal immune response to a new antigen, B cells first produce IgM antibody.")
    assert not any(p == "has_antibody_level" for _, p, _, _ in found)


def test_susceptibility_tied_to_a_lost_process() -> None:
    found = triples("The absence of example signals makes patients susceptible to Pneumocystis jirovecii.")
    assert ("MONDO:0000001", "increases_susceptibility_to", "NCBITaxon:1", (("via", "GO:0000004"),)) in found


def test_inheritance_subtype_and_band() -> None:
    found = triples("Example syndrome is a parent disorder. It is inherited in an X-linked recessive pattern. EXG1 lies on Xq26.3-27.1.")
    assert ("MONDO:0000001", "subtype_of", "MONDO:0000003", ()) in found
    assert ("MONDO:0000001", "has_mode_of_inheritance", "HP:0000004", ()) in found
    assert ("HGNC:1", "located_on_chromosome_band", Value("Xq26.3-27.1"), ()) in found


def test_faq_answers_count_but_furniture_does_not() -> None:
    assert triples("Neutropenia is common.", kind=SectionKind.FURNITURE) == set()
    assert triples("Neutropenia is common.", kind=SectionKind.FAQ) != set()


def test_share_of_cases_that_are_x_linked_names_the_x_linked_form() -> None:
    lexicon = Lexicon([
        entity("MONDO:0000010", "Disease", "example syndrome"),
        entity("MONDO:0000011", "Disease", "X-linked example syndrome"),
    ])
    text = "Most cases (approximately 70%) of example syndrome are linked to a recessive mutation on the X chromosome."
    found = {(s.subject, s.predicate, s.object, s.qualifiers) for s in extract_statements(document(text), lexicon)}
    assert ("MONDO:0000011", "subtype_of", "MONDO:0000010", (("share", "70"),)) in found


def test_a_gene_symbol_that_is_a_word_matches_only_in_capitals() -> None:
    # regression: the WAS gene's label was matched case-insensitively, so "was" became a gene mention
    lexicon = Lexicon([entity("HGNC:12731", "Gene", "WAS", "WAS gene", symbol="WAS")])
    assert lexicon.find("The diagnosis was confirmed.") == []
    assert [m.entity.curie for m in lexicon.find("Variants in the WAS gene cause it; WAS is on Xp11.")] == ["HGNC:12731", "HGNC:12731"]
