"""SHACL validation with pySHACL against ontology/shapes.ttl.

:func:`validate` returns ``(conforms, report graph, report text)`` like pySHACL;
the text groups results by shape and focus node with counts.  An empty data
graph is an error (EmptyGraphError), never a pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


class EmptyGraphError(ValueError):
    """The data graph has no triples: there is nothing to validate."""


@dataclass(frozen=True, slots=True)
class Result:
    """One SHACL validation result, flattened for reports."""

    shape: str
    focus: str
    path: str
    value: str
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationOutcome:
    """What validation found."""

    conforms: bool
    report: Graph
    text: str
    results: tuple[Result, ...]


def load_shapes(path: Path) -> Graph:
    """The SHACL shapes graph."""
    return Graph().parse(path, format="turtle")


ENGINES = ("pyshacl", "turbo")


def validate(data: Graph, shapes: Graph, vocabulary: Graph | None = None, engine: str = "pyshacl") -> ValidationOutcome:
    """Validate ``data`` (the union of all named graphs) against ``shapes``.

    ``vocabulary`` (the TBox) is mixed in as the ontology graph so that shapes
    can check that every predicate used is declared.  ``engine`` is pySHACL
    (the reference) or pyshacl-turbo (a pySHACL-compatible Rust engine, several
    times faster; tests assert both give the same results).
    """
    if len(data) == 0:
        raise EmptyGraphError("the data graph is empty: nothing to validate")
    if engine == "pyshacl":
        from pyshacl import validate as shacl_validate  # heavy import, only when validating
    elif engine == "turbo":
        from pyshacl_turbo import validate as shacl_validate
    else:
        raise KeyError(f"No SHACL engine registered for {engine!r}; known: {', '.join(ENGINES)}")

    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=vocabulary,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(report, Graph):
        raise RuntimeError(f"{engine} could not validate: {report}")
    results = _results(report)
    canonical = Graph()
    canonical.bind("sh", SH)
    for triple in to_canonical_graph(report):
        canonical.add(triple)
    return ValidationOutcome(bool(conforms), canonical, report_text(bool(conforms), results), results)


def _results(report: Graph) -> tuple[Result, ...]:
    found = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        found.append(
            Result(
                shape=_name(report.value(node, SH.sourceShape)),
                focus=_name(report.value(node, SH.focusNode)),
                path=_name(report.value(node, SH.resultPath)),
                value=_name(report.value(node, SH.value)),
                message=str(report.value(node, SH.resultMessage) or ""),
                severity=_name(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return tuple(sorted(found, key=lambda r: (r.shape, r.focus, r.path, r.value, r.message)))


def _name(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, Literal)):
        return str(term)
    return f"_:{term}"  # a blank shape node: should not happen with named shapes


def report_text(conforms: bool, results: tuple[Result, ...]) -> str:
    """A readable report: counts by shape with one example, then every result by focus node."""
    lines = [f"Conforms: {'yes' if conforms else 'no'}", f"Results: {len(results)}"]
    if not results:
        return "\n".join(lines) + "\n"
    by_shape: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_shape[result.shape].append(result)
    lines.append("")
    lines.append("By shape:")
    for shape, items in sorted(by_shape.items()):
        severities = Counter(r.severity for r in items)
        counts = ", ".join(f"{n} {s}" for s, n in sorted(severities.items()))
        lines.append(f"  {shape}: {len(items)} ({counts})")
        lines.append(f"    e.g. {items[0].focus}: {items[0].message}")
    lines.append("")
    lines.append("All results, by shape and focus node:")
    for shape, items in sorted(by_shape.items()):
        lines.append(f"  {shape}")
        for result in items:
            detail = f" path {result.path}" if result.path else ""
            value = f" value {result.value}" if result.value else ""
            lines.append(f"    [{result.severity}] {result.focus}{detail}{value}: {result.message}")
    return "\n".join(lines) + "\n"
