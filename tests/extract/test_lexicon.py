"""CURIEs: the fast paths agree with the curies library they stand in for."""

from __future__ import annotations

from rdflib import URIRef

from extract.lexicon import PREFIXES, converter, curie_of, iri_of


def test_curie_of_agrees_with_curies_on_every_iri_of_the_seed_graph(seed_build) -> None:
    result, _ = seed_build
    iris = {str(term) for triple in result.graph for term in triple if isinstance(term, URIRef)}
    iris |= {namespace for namespace in PREFIXES.values()} | {namespace + "0001875" for namespace in PREFIXES.values()}
    iris |= {"https://example.org/not/known", "http://purl.obolibrary.org/obo/", ""}
    assert len(iris) > 1000
    different = {iri: (curie_of(iri), converter().compress(iri) or iri) for iri in iris
                 if curie_of(iri) != (converter().compress(iri) or iri)}
    assert different == {}


def test_iri_of_agrees_with_curies_for_every_prefix() -> None:
    for prefix in PREFIXES:
        for local in ("0001875", "A0A024R161", ""):
            assert iri_of(f"{prefix}:{local}") == converter().expand(f"{prefix}:{local}")
