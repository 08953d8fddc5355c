"""Disagreements between documents, kept as data.

Every source's value stays in the graph; a conflict node links the statements
of different documents that disagree on a prevalence, a dose or schedule, or a
subtype's share.  Statements about a disease and about its parent disease (as
the documents' own subtype_of statements say) are compared too: a dose given
for hyper-IgM syndromes in general also speaks of the X-linked form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from rdflib import RDF, RDFS, Literal, URIRef

from extract.model import Statement, Value
from graph.assemble import Triple, document_iri, statement_iri
from graph.namespaces import CONFLICT, PROV, XHIM

CONFLICTS_GRAPH = URIRef("https://w3id.org/xhim-kg/graph/conflicts")


@dataclass(frozen=True, slots=True)
class Side:
    """One document's statement in a conflict."""

    statement: Statement
    source: str
    value: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Statements of different documents that disagree on one aspect."""

    aspect: str
    predicate: str
    sides: tuple[Side, ...]

    def description(self) -> str:
        """'dose: 400-600 mg/kg (002_x.txt) vs 400 mg/kg (003_y.txt)'."""
        return f"{self.aspect}: " + " vs ".join(f"{side.value} ({side.source})" for side in self.sides)


def _related(parents: set[tuple[str, str]], a: str, b: str) -> bool:
    return a == b or (a, b) in parents or (b, a) in parents


def detect(per_document: dict[str, list[Statement]]) -> list[Conflict]:
    """Conflicts between documents: prevalence, dose/schedule of a treatment, share of a subtype."""
    parents = {
        (s.subject, s.object) for statements in per_document.values() for s in statements
        if s.predicate == "subtype_of" and isinstance(s.object, str)
    }
    sides: dict[tuple[str, str, str], list[tuple[Statement, str]]] = {}
    for source, statements in sorted(per_document.items()):
        for statement in statements:
            if statement.qualifier("negated") == "true":
                continue
            if statement.predicate == "has_prevalence" and isinstance(statement.object, Value):
                sides.setdefault(("prevalence", statement.predicate, ""), []).append((statement, source))
            elif statement.predicate == "treated_by" and statement.qualifier("dose"):
                sides.setdefault(("dose", statement.predicate, str(statement.object)), []).append((statement, source))
            elif statement.predicate == "subtype_of" and statement.qualifier("share"):
                sides.setdefault(("share", statement.predicate, str(statement.object)), []).append((statement, source))
    conflicts: list[Conflict] = []
    for (aspect, predicate, _), group in sorted(sides.items()):
        for (a, source_a), (b, source_b) in combinations(group, 2):
            if source_a == source_b or not _related(parents, a.subject, b.subject):
                continue
            value_a, value_b = _value(aspect, a), _value(aspect, b)
            if value_a != value_b:
                conflicts.append(Conflict(aspect, predicate, (Side(a, source_a, value_a), Side(b, source_b, value_b))))
    return conflicts


def _value(aspect: str, statement: Statement) -> str:
    if aspect == "prevalence":
        assert isinstance(statement.object, Value)
        return f"{statement.object.text} per million {statement.qualifier('population') or ''}".strip()
    if aspect == "dose":
        return " ".join(filter(None, [statement.qualifier("dose"), statement.qualifier("schedule")]))
    return f"{statement.qualifier('share')} %"


def conflict_iri(conflict: Conflict) -> URIRef:
    """Deterministic IRI of a conflict: a hash of its aspect and its statements."""
    parts = [conflict.aspect] + sorted(f"{statement_iri(s.statement)}@{s.source}" for s in conflict.sides)
    return CONFLICT[hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]]


def conflict_triples(conflicts: list[Conflict]) -> Iterator[Triple]:
    """The conflicts graph: one node per conflict, linking each side's statement and document."""
    for conflict in conflicts:
        node = conflict_iri(conflict)
        yield node, RDF.type, XHIM.Conflict
        yield node, XHIM.conflict_aspect, Literal(conflict.aspect)
        yield node, XHIM.about_relation, XHIM[conflict.predicate]
        yield node, RDFS.label, Literal(conflict.description(), lang="en")
        for side in conflict.sides:
            yield node, XHIM.conflicting_statement, statement_iri(side.statement)
            yield node, PROV.wasDerivedFrom, document_iri(side.source)
