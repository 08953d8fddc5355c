"""The entity lexicon (ontology/lexicon.ttl) and the recogniser built on it.

A curator adds a synonym (skos:altLabel, matched case-insensitively) or an
abbreviation (xhim:abbreviation, matched case-sensitively as a whole token) to
lexicon.ttl and the next build finds it; no code changes.  Longest match wins;
of two entities sharing a surface form, a gene wins when the next word is
"gene", "mutation(s)", "variant(s)" or "sequencing", otherwise the other one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from extract.errors import InputError
from extract.hpo import HpoIndex

if TYPE_CHECKING:
    import curies

    from extract.annotations import AnnotationIndex

XHIM = Namespace("https://w3id.org/xhim-kg/vocab/")

#: CURIE prefixes and their IRI namespaces (OBO PURLs, identifiers.org, UniProt).
PREFIXES: dict[str, str] = {
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "PR": "http://purl.obolibrary.org/obo/PR_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "OMIM": "https://omim.org/entry/",
    "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
    "DrugBank": "http://identifiers.org/drugbank/",
    "LOINC": "http://loinc.org/rdf/",
    "UMLS": "http://identifiers.org/umls/",
    "GARD": "http://identifiers.org/gard/",
    "PMID": "http://identifiers.org/pubmed/",
    "PMCID": "http://identifiers.org/pmc/",
    "MedlinePlusGene": "https://medlineplus.gov/genetics/gene/",
    "XHIM": "https://w3id.org/xhim-kg/entity/",
    "xhim": "https://w3id.org/xhim-kg/vocab/",
    "biolink": "https://w3id.org/biolink/vocab/",
}


@functools.cache
def converter() -> curies.Converter:
    """The CURIE converter for :data:`PREFIXES` (made on first use: importing curies costs a rebuild 0.3 s)."""
    import curies

    return curies.Converter.from_prefix_map(PREFIXES)

#: Pattern each prefix's local identifier must match (used by SHACL too).
ID_PATTERNS: dict[str, str] = {
    "HP": r"^\d{7}$",
    "MONDO": r"^\d{7}$",
    "CL": r"^\d{7}$",
    "GO": r"^\d{7}$",
    "CHEBI": r"^\d+$",
    "NCBITaxon": r"^\d+$",
    "MAXO": r"^\d{7}$",
    "OBI": r"^\d{7}$",
    "HGNC": r"^\d+$",
    "NCBIGene": r"^\d+$",
    "UniProtKB": r"^[A-Z0-9]{6,10}$",
}

ENTITY_TYPES = (
    "Disease",
    "Gene",
    "Protein",
    "Cell",
    "Antibody",
    "Phenotype",
    "Organism",
    "Treatment",
    "DiagnosticTest",
    "Inheritance",
    "BiologicalProcess",
)

_GENE_CONTEXT = re.compile(r"^\s*(?:gene|genes|mutations?|variants?|sequencing|deficiency)\b", re.IGNORECASE)


def curie_of(iri: str) -> str:
    """The CURIE of an IRI in a known namespace (the longest that matches), else the IRI itself.

    The same as ``converter().compress(iri) or iri`` (tests/extract/test_lexicon.py checks it on every
    IRI of the seed graph), about five times faster: query results compress one IRI per cell.

    >>> curie_of("http://purl.obolibrary.org/obo/HP_0001875")
    'HP:0001875'
    >>> curie_of("https://example.org/x")
    'https://example.org/x'
    """
    match = _namespaces().match(iri)
    return f"{_PREFIX_OF[match.group(0)]}:{iri[match.end():]}" if match else iri


_PREFIX_OF = {namespace: prefix for prefix, namespace in PREFIXES.items()}


@functools.cache
def _namespaces() -> re.Pattern[str]:
    """Every namespace of :data:`PREFIXES`, longest first, so that the first to match is the longest."""
    return re.compile("|".join(re.escape(ns) for ns in sorted(PREFIXES.values(), key=len, reverse=True)))


def iri_of(curie: str) -> str:
    """The IRI a CURIE stands for.

    >>> iri_of("HGNC:11935")
    'http://identifiers.org/hgnc/11935'
    """
    prefix, colon, local = curie.partition(":")
    namespace = PREFIXES.get(prefix) if colon else None  # what converter().expand() gives, without its per-call set-up
    if namespace is None:
        raise KeyError(f"unknown CURIE prefix in {curie!r}; known: {', '.join(PREFIXES)}")
    return namespace + local


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of the lexicon."""

    curie: str
    type: str  # one of ENTITY_TYPES
    label: str
    synonyms: tuple[str, ...]
    abbreviations: tuple[str, ...]
    symbol: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity found in a sentence: ``sentence.text[start:end]``."""

    entity: Entity
    start: int
    end: int
    surface: str


class Lexicon:
    """Entities and the compiled patterns that find them in text."""

    def __init__(
        self, entities: Iterable[Entity], graph: Graph | None = None, hpo: HpoIndex | None = None,
        annotations: AnnotationIndex | None = None,
    ) -> None:
        self.graph = graph if graph is not None else Graph()  # the curated triples, for the entities graph
        self.hpo = hpo
        self.annotations = annotations
        self.fallback: dict[str, Entity] = {}  # phenotypes found through the HPO index, not curated
        self.entities: dict[str, Entity] = {e.curie: e for e in entities}
        insensitive: dict[str, list[Entity]] = {}
        sensitive: dict[str, list[Entity]] = {}
        for entity in self.entities.values():
            # a gene's label is its symbol, matched case-sensitively: the WAS gene is not the word "was"
            label_is_symbol = entity.type == "Gene"
            for form in (*(() if label_is_symbol else (entity.label,)), *entity.synonyms):
                insensitive.setdefault(_key(form), []).append(entity)
            for form in (*entity.abbreviations, *((entity.symbol,) if entity.symbol else ()), *((entity.label,) if label_is_symbol else ())):
                sensitive.setdefault(form, []).append(entity)
        self._insensitive = insensitive
        self._sensitive = sensitive
        self._insensitive_re = _alternation(insensitive, flexible=True, flags=re.IGNORECASE)
        self._sensitive_re = _alternation(sensitive, flexible=False, flags=0)
        self._subsets: dict[frozenset[str], Lexicon] = {}

    def by_type(self, type_name: str) -> list[Entity]:
        """Entities of one type."""
        return [e for e in self.entities.values() if e.type == type_name]

    def find(self, text: str, types: frozenset[str] | None = None) -> list[Mention]:
        """Non-overlapping mentions in ``text`` (longest wins), in text order; optionally only of ``types``."""
        if types is not None:
            if types not in self._subsets:
                self._subsets[types] = Lexicon([e for e in self.entities.values() if e.type in types], self.graph)
            return self._subsets[types].find(text)
        spans: dict[tuple[int, int], list[Entity]] = {}
        if self._insensitive_re is not None:
            for match in self._insensitive_re.finditer(text):
                entities = self._insensitive.get(_key(_depluralise(match.group(0), self._insensitive)))
                if entities:
                    spans.setdefault((match.start(), match.end()), []).extend(entities)
        if self._sensitive_re is not None:
            for match in self._sensitive_re.finditer(text):
                spans.setdefault((match.start(), match.end()), []).extend(self._sensitive[match.group(0)])
        # one candidate per span, with every entity that surface names (a gene symbol and a protein abbreviation)
        candidates = [(a, b, list(dict.fromkeys(es))) for (a, b), es in spans.items()]
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[Mention] = []
        for start, end, entities in candidates:
            if any(start < m.end and m.start < end for m in taken):
                continue
            entity = _choose(entities, text[end:])
            taken.append(Mention(entity, start, end, text[start:end]))
        if self.annotations is not None:  # disease names first: they are longer than the phenotypes inside them
            for start, end, curie, name in self.annotations.find_diseases(text):
                self._take(taken, text, start, end, curie, "Disease", name)
            for start, end, curie, symbol in self.annotations.find_genes(text):
                self._take(taken, text, start, end, curie, "Gene", symbol, symbol)
        if self.hpo is not None:
            for start, end, term in self.hpo.find(text):
                self._take(taken, text, start, end, term.curie, "Phenotype", term.label)
        taken.sort(key=lambda m: m.start)
        return taken


    def _take(
        self, taken: list[Mention], text: str, start: int, end: int, curie: str, type_: str, label: str, symbol: str | None = None
    ) -> None:
        """Add a mention from an index unless a curated (or earlier) mention covers that text."""
        if any(start < m.end and m.start < end for m in taken):
            return
        entity = self.entities.get(curie) or self.fallback.setdefault(curie, Entity(curie, type_, label, (), (), symbol))
        taken.append(Mention(entity, start, end, text[start:end]))


def _key(form: str) -> str:
    """Lower-case, hyphens and runs of spaces as one space: 'B-cells' ~ 'b cells'."""
    return re.sub(r"[\s\-‐–]+", " ", form.strip().lower())


def _depluralise(surface: str, forms: dict[str, list[Entity]]) -> str:
    key = _key(surface)
    if key in forms:
        return surface
    for suffix in ("es", "s"):
        if key.endswith(suffix) and key[: -len(suffix)] in forms:
            return surface[: -len(suffix)]
    return surface


def _alternation(forms: dict[str, list[Entity]], flexible: bool, flags: int) -> re.Pattern[str] | None:
    if not forms:
        return None
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        if flexible:
            words = [re.escape(w) for w in re.split(r"[\s\-‐–]+", form) if w]
            body = r"[\s\-‐–]*".join(words) + r"(?:e?s)?"
        else:
            body = re.escape(form)
        parts.append(body)
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)


def _choose(entities: list[Entity], following: str) -> Entity:
    if len(entities) == 1:
        return entities[0]
    genes = [e for e in entities if e.type == "Gene"]
    others = [e for e in entities if e.type != "Gene"]
    if genes and _GENE_CONTEXT.match(following):
        return genes[0]
    return (others or genes)[0]


def read_lexicon(path: Path) -> tuple[Graph, list[Entity]]:
    """The curated lexicon's triples and entities (sorted by CURIE), checked; InputError names the file.

    Cheaper than :func:`load_lexicon`, which also compiles the patterns that find the entities in text.
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(path, "lexicon file not found") from None
    except Exception as err:  # rdflib raises several parser exception types
        raise InputError(path, f"not valid Turtle: {err}") from None
    entities = []
    types = {XHIM[name]: name for name in ENTITY_TYPES}
    for subject, _, type_iri in graph.triples((None, RDF.type, None)):
        type_name = types.get(type_iri)  # type: ignore[call-overload]
        if type_name is None or not isinstance(subject, URIRef):
            continue
        labels = [str(o) for o in graph.objects(subject, RDFS.label) if isinstance(o, Literal)]
        if not labels:
            raise InputError(path, f"entity {subject} has no rdfs:label")
        symbol = graph.value(subject, XHIM.symbol)
        entities.append(
            Entity(
                curie=curie_of(str(subject)),
                type=type_name,
                label=sorted(labels)[0],
                synonyms=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))),
                abbreviations=tuple(sorted(str(o) for o in graph.objects(subject, XHIM.abbreviation))),
                symbol=str(symbol) if symbol is not None else None,
            )
        )
    if not entities:
        raise InputError(path, "lexicon defines no entities")
    return graph, sorted(entities, key=lambda e: e.curie)


def load_lexicon(path: Path, hpo: HpoIndex | None = None, annotations: AnnotationIndex | None = None) -> Lexicon:
    """Read the curated lexicon (Turtle) and compile its patterns; InputError names the file on a parse error."""
    graph, entities = read_lexicon(path)
    return Lexicon(entities, graph, hpo, annotations)
