"""SHACL validation with pySHACL against ontology/shapes.ttl.

:func:`validate` returns ``(conforms, report graph, report text)`` like pySHACL;
the text groups results by shape and focus node with counts.  An empty data
graph is an error (EmptyGraphError), never a pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
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
    value_term: str = field(default="", compare=False)  # the value in N-Triples syntax, for the report graph


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


def default_engine() -> str:
    """pyshacl-turbo when it is installed (several times faster), else pySHACL."""
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:
        return "pyshacl"
    return "turbo"


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
                value_term=_term_text(report.value(node, SH.value)),
            )
        )
    return tuple(sorted(found, key=lambda r: (r.shape, r.focus, r.path, r.value, r.message)))


def _name(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, Literal)):
        return str(term)
    return f"_:{term}"  # a blank shape node: should not happen with named shapes


def _term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, Literal)):
        return term.n3()
    return f"_:{term}"


def report_graph(results: Iterable[Result]) -> Graph:
    """A SHACL validation report built from results (blank nodes labelled in result order)."""
    return _report_graph(_merged(results))


def _report_graph(ordered: tuple[Result, ...]) -> Graph:
    from rdflib.util import from_n3

    graph = Graph()
    graph.bind("sh", SH)
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(_conforms(ordered))))
    for index, result in enumerate(ordered, start=1):
        node = BNode(f"result{index:06d}")
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.sourceShape, URIRef(result.shape)))
        graph.add((node, SH.focusNode, URIRef(result.focus)))
        if result.path:
            graph.add((node, SH.resultPath, URIRef(result.path)))
        if result.value_term:
            value = from_n3(result.value_term)
            if value is not None:
                graph.add((node, SH.value, value))  # type: ignore[arg-type]
        graph.add((node, SH.resultMessage, Literal(result.message)))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
    return graph


def _merged(results: Iterable[Result]) -> tuple[Result, ...]:
    return tuple(sorted(set(results), key=lambda r: (r.shape, r.focus, r.path, r.value, r.message)))


def _conforms(results: tuple[Result, ...]) -> bool:
    return not any(r.severity == "Violation" for r in results)  # warnings and infos are allowed


def outcome_of(results: Iterable[Result]) -> ValidationOutcome:
    """The outcome of a validation split in parts: results merged, report graph and text rebuilt."""
    merged = _merged(results)
    conforms = _conforms(merged)
    return ValidationOutcome(conforms, _report_graph(merged), report_text(conforms, merged), merged)


#: Shapes that target this node are whole-graph shapes: they run once over everything the build holds.
WHOLE_GRAPH_FOCUS = URIRef("https://w3id.org/xhim-kg/vocab")


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """(local shapes, whole-graph shapes).

    Whole-graph shapes are the node shapes that target the vocabulary node
    (``sh:targetNode <https://w3id.org/xhim-kg/vocab>``): each asks one
    question of the whole graph (is every predicate declared? uniqueness across
    documents...).  Every other shape looks at a node and its neighbours, so it
    can be checked one document at a time.
    """
    whole_roots = set(shapes.subjects(SH.targetNode, WHOLE_GRAPH_FOCUS))
    whole_nodes: set[object] = set()
    pending = list(whole_roots)
    while pending:  # a whole-graph shape with the blank nodes (constraints, lists) it owns
        node = pending.pop()
        if node in whole_nodes:
            continue
        whole_nodes.add(node)
        pending.extend(o for o in shapes.objects(node, None) if isinstance(o, BNode))
    local, whole = Graph(), Graph()
    for graph in (local, whole):
        for prefix, namespace in shapes.namespaces():
            graph.bind(prefix, namespace)
    for triple in shapes:
        (whole if triple[0] in whole_nodes else local).add(triple)
    for triple in shapes.triples((None, SH.declare, None)):  # prefix declarations serve both
        whole.add(triple)
    for declaration in set(shapes.objects(None, SH.declare)):
        for triple in shapes.triples((declaration, None, None)):
            whole.add(triple)
    return local, whole


class LocalValidator:
    """Validates small graphs (one document with the entities it uses) against the local shapes.

    Shapes are compiled once (pyshacl-turbo) or parsed once (pySHACL); each call
    validates one small graph, so memory stays that of one document.
    """

    def __init__(self, local_shapes: Graph, engine: str) -> None:
        if engine not in ENGINES:
            raise KeyError(f"No SHACL engine registered for {engine!r}; known: {', '.join(ENGINES)}")
        self.engine = engine
        self.shapes = local_shapes
        self._compiled = None
        if engine == "turbo":
            from pyshacl_turbo import CompiledShapes

            self._compiled = CompiledShapes(local_shapes, advanced=True)

    def results(self, triples: Iterable[tuple[object, object, object]]) -> tuple[Result, ...]:
        """The results of validating the graph made of ``triples``."""
        data = Graph()
        for triple in triples:
            data.add(triple)  # type: ignore[arg-type]
        if len(data) == 0:
            return ()
        if self._compiled is not None:
            _, report, _ = self._compiled.validate(data, allow_warnings=True)
        else:
            from pyshacl import validate as shacl_validate

            _, report, _ = shacl_validate(data, shacl_graph=self.shapes, inference="none", advanced=True, allow_warnings=True)
        if not isinstance(report, Graph):
            raise RuntimeError(f"{self.engine} could not validate: {report}")
        return _results(report)


def whole_graph_results(store: object, whole_shapes: Graph) -> tuple[Result, ...]:
    """Run the whole-graph shapes over a pyoxigraph store (its default graph the union of all graphs).

    Supported constraints: SPARQL SELECT constraints (``sh:sparql``, with
    ``$this`` bound to the focus node and ``{?value}`` in messages) and
    ``sh:class`` on the focus node.  Any other constraint on a whole-graph shape
    is refused, so a curator's shape is never silently skipped.
    """
    import pyoxigraph

    known = {RDF.type, SH.targetNode, SH.sparql, SH["class"], SH.message, SH.severity, SH.deactivated,
             URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
    found: list[Result] = []
    for shape in sorted(set(whole_shapes.subjects(SH.targetNode, WHOLE_GRAPH_FOCUS)), key=str):
        if whole_shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        unknown = sorted(str(p) for p in set(whole_shapes.predicates(shape, None)) if p not in known)
        if unknown:
            raise ValueError(f"whole-graph shape {shape} uses constraints only a full SHACL engine runs: {', '.join(unknown)}")
        severity = str(whole_shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        for focus in sorted(whole_shapes.objects(shape, SH.targetNode), key=str):
            this = pyoxigraph.NamedNode(str(focus))
            for cls in whole_shapes.objects(shape, SH["class"]):
                ask = (f"ASK {{ <{focus}> a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}")
                if not store.query(ask, use_default_graph_as_union=True):  # type: ignore[attr-defined]
                    message = str(whole_shapes.value(shape, SH.message) or f"Value does not have class {cls}")
                    found.append(Result(str(shape), str(focus), "", str(focus), message, severity, f"<{focus}>"))
            for constraint in whole_shapes.objects(shape, SH.sparql):
                query = _prefix_header(whole_shapes, constraint) + str(whole_shapes.value(constraint, SH.select))
                template = str(whole_shapes.value(constraint, SH.message) or whole_shapes.value(shape, SH.message) or "")
                solutions = store.query(query, use_default_graph_as_union=True,  # type: ignore[attr-defined]
                                        substitutions={pyoxigraph.Variable("this"): this})
                has_path = any(variable.value == "path" for variable in solutions.variables)
                for solution in solutions:
                    value = solution["value"]
                    path = solution["path"] if has_path else None
                    text = "" if value is None else value.value
                    message = template.replace("{?value}", text).replace("{$value}", text)
                    found.append(Result(str(shape), str(focus), "" if path is None else path.value, text, message,
                                        severity, "" if value is None else str(value)))
    return _merged(found)


def _prefix_header(shapes: Graph, constraint: object) -> str:
    lines = []
    for prefixes in shapes.objects(constraint, SH.prefixes):  # type: ignore[arg-type]
        for declaration in shapes.objects(prefixes, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


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
