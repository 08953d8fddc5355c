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


def _related_pairs(parents: set[tuple[str, str]], subjects: list[str]) -> list[tuple[int, int]]:
    """Index pairs (i < j, in order) whose subjects are the same disease or a subtype and its parent.

    The same pairs as testing every combination, found through an index of the
    subjects, so a group of thousands of statements is not compared pairwise.
    """
    related: dict[str, set[str]] = {}
    for child, parent in parents:
        related.setdefault(child, set()).add(parent)
        related.setdefault(parent, set()).add(child)
    positions: dict[str, list[int]] = {}
    for index, subject in enumerate(subjects):
        positions.setdefault(subject, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for i, subject in enumerate(subjects):
        for other in {subject} | related.get(subject, set()):
            pairs.update((i, j) for j in positions.get(other, ()) if j > i)
    return sorted(pairs)


#: The only relations conflict detection reads.
RELATIONS = frozenset({"has_prevalence", "treated_by", "subtype_of"})


def candidates(statements: list[Statement]) -> tuple[Statement, ...]:
    """The statements :func:`detect` looks at (a build keeps only these of a cached document)."""
    return tuple(s for s in statements if s.predicate in RELATIONS)


def detect(per_document: dict[str, list[Statement]] | dict[str, tuple[Statement, ...]]) -> list[Conflict]:
    """Conflicts between documents: prevalence, dose/schedule of a treatment, share of a subtype.

    Only statements of :data:`RELATIONS` matter, so ``per_document`` may hold
    just those (:func:`candidates`).
    """
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
        for i, j in _related_pairs(parents, [statement.subject for statement, _ in group]):
            (a, source_a), (b, source_b) = group[i], group[j]
            if source_a == source_b:
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
