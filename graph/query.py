"""Saved SPARQL queries (queries/*.rq) and running them on a built graph.

Each .rq file opens with a comment header::

    # title: Infections that depend on CD40 signalling
    # question: Which infections ...?
    # columns: organism, organismLabel, ...
    # expected: On the seed corpus: ...
    # parameters: disease

Parameters (``# parameters:``) are bound through the query API, never spliced
into text: rdflib's ``initBindings``, pyoxigraph's ``substitutions``.  A
parameter left unbound means "all".
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.plugins.sparql import CUSTOM_EVALS, prepareQuery
from rdflib.plugins.sparql.aggregates import Aggregator
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _eval
from rdflib.plugins.sparql.operators import TrueFilter
from rdflib.plugins.sparql.sparql import FrozenBindings
from rdflib.query import Result

from extract.errors import InputError
from extract.lexicon import PREFIXES, curie_of, iri_of

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
_HEADER = re.compile(r"^#\s*(title|question|columns|expected|parameters)\s*:\s*(.*)$", re.I)


@dataclass(frozen=True)
class SavedQuery:
    """A .rq file and its header."""

    name: str
    path: Path
    text: str
    title: str
    question: str
    columns: tuple[str, ...]
    expected: str
    parameters: tuple[str, ...]


def read_query(path: Path) -> SavedQuery:
    """Parse a query file's header; InputError if the file is missing or has no title."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "query file not found") from None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            key = match.group(1).lower()
            fields[key] = (fields.get(key, "") + " " + match.group(2)).strip()
    if "title" not in fields:
        raise InputError(path, "query has no '# title:' header line", 1)
    split = lambda v: tuple(c.strip() for c in v.split(",") if c.strip())  # noqa: E731
    return SavedQuery(
        name=path.stem,
        path=path,
        text=text,
        title=fields["title"],
        question=fields.get("question", ""),
        columns=split(fields.get("columns", "")),
        expected=fields.get("expected", ""),
        parameters=split(fields.get("parameters", "")),
    )


def saved_queries(folder: Path = QUERIES) -> list[SavedQuery]:
    """Every saved query, by name."""
    return [read_query(p) for p in sorted(folder.glob("*.rq"))]


def resolve(name_or_path: str, folder: Path = QUERIES) -> SavedQuery:
    """A saved query by name (file stem in queries/) or a path to a .rq file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.exists():
        return read_query(candidate)
    path = folder / f"{name_or_path}.rq"
    if not path.exists():
        known = ", ".join(q.name for q in saved_queries(folder))
        raise InputError(name_or_path, f"no saved query of that name (known: {known})")
    return read_query(path)


def load_graph(path: Path) -> Dataset:
    """A Dataset whose default graph is the union of its named graphs."""
    if not path.exists():
        raise InputError(path, "graph file not found (run `xhim build` first?)")
    formats = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
    fmt = formats.get(path.suffix)
    if fmt is None:
        raise InputError(path, f"unknown RDF file extension {path.suffix!r} (use {', '.join(formats)})")
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(path, format=fmt)
    except Exception as err:  # rdflib's parsers raise several exception types
        raise InputError(path, f"not valid {fmt}: {err}") from None
    if len(dataset) == 0 and not any(len(g) for g in dataset.graphs()):
        raise InputError(path, "the graph is empty")
    return dataset


def binding_term(value: str) -> URIRef | Literal:
    """A parameter value as an RDF term: a CURIE or IRI becomes an IRI, anything else a literal.

    >>> binding_term("HP:0001875")
    rdflib.term.URIRef('http://purl.obolibrary.org/obo/HP_0001875')
    """
    if re.match(r"^https?://", value):
        return URIRef(value)
    prefix, _, local = value.partition(":")
    if local and prefix in PREFIXES:
        return URIRef(iri_of(value))
    return Literal(value)


def run(query: SavedQuery, dataset: Dataset, bindings: dict[str, str] | None = None) -> Result:
    """Run a saved query with parameters bound through initBindings."""
    unknown = set(bindings or {}) - set(query.parameters)
    if unknown:
        raise InputError(query.path, f"unknown parameter(s) {', '.join(sorted(unknown))}; this query takes: {', '.join(query.parameters) or 'none'}")
    try:
        prepared = _prepared(query.text)
    except Exception as err:  # pyparsing's ParseException and friends
        raise InputError(query.path, f"not valid SPARQL: {err}") from None
    init = {name: binding_term(value) for name, value in (bindings or {}).items()}
    with _rdflib_evaluation():
        result = dataset.query(prepared, initBindings=init)
        if result.type == "SELECT":
            result.bindings  # noqa: B018 (evaluate while the hook is installed)
    return result


@functools.lru_cache(maxsize=64)
def _prepared(text: str):  # type: ignore[no-untyped-def]
    """A query parsed and translated once per text (rdflib's prepared queries are meant to be reused)."""
    return prepareQuery(text)


_HOOK = "xhim-saved-queries"


_RUNNING: ContextVar[bool] = ContextVar("xhim_saved_query_running", default=False)


@contextmanager
def _rdflib_evaluation() -> Iterator[None]:
    """Let :func:`_evaluate` take part in the rdflib query run inside this block, and in no other.

    The hook is put into rdflib's documented ``CUSTOM_EVALS`` once, when this module is imported, and stays
    there: rdflib iterates over that dict at every step of every query, so adding and removing it per query
    would break a query running at the same time in another thread ("dictionary changed size during
    iteration"), and a query ending in one thread would take the hook from one still running in another.
    A context variable (one per thread and per asyncio task) says where it acts; anywhere else it declines
    (``NotImplementedError``, rdflib's protocol: one call per step) and rdflib evaluates as it always does.
    """
    token = _RUNNING.set(True)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def _hook(ctx, part):  # type: ignore[no-untyped-def]
    """What sits in ``CUSTOM_EVALS``: :func:`_evaluate` inside a saved query, rdflib's own evaluation elsewhere."""
    if not _RUNNING.get():
        raise NotImplementedError
    return _evaluate(ctx, part)


CUSTOM_EVALS[_HOOK] = _hook


def _evaluate(ctx, part):  # type: ignore[no-untyped-def]
    """rdflib custom evaluation of the parts the saved queries need done otherwise.

    - A Join rdflib would run by comparing every pair of rows (when a part holds
      a join itself: the saved queries join many one-pattern sub-selects, which
      Oxigraph joins by hashing) and an OPTIONAL sub-select, which rdflib runs
      again for every row: both by hashing (:func:`hash_join`).
    - A GROUP BY that finds no solution: no group, as SPARQL says; rdflib gives
      one empty solution, which a following OPTIONAL then matches with anything
      (a disease bound to one without phenotypes listed every label).
    Anything else: rdflib's own evaluation.
    """
    if part.name == "Join" and not part.lazy:
        # a set, as rdflib's own Join takes it
        return hash_join(evalPart(ctx, part.p1), set(evalPart(ctx, part.p2)))
    if part.name == "LeftJoin" and part.expr is TrueFilter and part.p2.name == "ToMultiSet":
        # OPTIONAL { SELECT ... } (no FILTER): the sub-select is evaluated once, on its own, as SPARQL says
        return hash_join(evalPart(ctx, part.p1), list(evalPart(ctx, part.p2)), optional=True)
    if part.name == "AggregateJoin" and part.p.expr is not None:
        return _groups(ctx, part)
    raise NotImplementedError


def _groups(ctx, aggregate):  # type: ignore[no-untyped-def]
    """rdflib's evalAggregateJoin for an explicit GROUP BY, without the empty solution it adds when no row matched."""
    groups: dict[tuple, Aggregator] = {}
    for row in evalPart(ctx, aggregate.p):
        key = tuple(_eval(expression, row, False) for expression in aggregate.p.expr)
        if key not in groups:
            groups[key] = Aggregator(aggregations=aggregate.A)
        groups[key].update(row)
    for aggregator in groups.values():
        yield FrozenBindings(ctx, aggregator.get_bindings())


def hash_join(left: Iterable[Mapping], right: Iterable[Mapping], optional: bool = False) -> Iterator[Mapping]:
    """Every compatible merge of a left and a right solution, in the order of rdflib's nested-loop join.

    Right solutions are indexed by the variables all of them bind; each left
    solution looks up those of them it binds, then the candidates are checked
    with ``compatible`` like rdflib does, so the result is the same.  With
    ``optional``, a left solution that merges with none is kept as it is.

    >>> from rdflib import Variable
    >>> from rdflib.plugins.sparql.evalutils import _join
    >>> from rdflib.plugins.sparql.sparql import FrozenDict
    >>> x, y, z = Variable("x"), Variable("y"), Variable("z")
    >>> left = [FrozenDict({x: 1}), FrozenDict({x: 2, z: 5}), FrozenDict({z: 6}), FrozenDict({x: 3})]
    >>> right = [FrozenDict({x: 1, y: 3}), FrozenDict({x: 2, y: 4, z: 7}), FrozenDict({x: 2, y: 5})]
    >>> [sorted((str(k), v) for k, v in row.items()) for row in hash_join(left, right)][:3]
    [[('x', 1), ('y', 3)], [('x', 2), ('y', 5), ('z', 5)], [('x', 1), ('y', 3), ('z', 6)]]
    >>> list(hash_join(left, right)) == list(_join(left, right))
    True
    >>> [sorted((str(k), v) for k, v in row.items()) for row in hash_join(left, right, optional=True)][-1]
    [('x', 3)]
    """
    right = list(right)
    shared = frozenset(right[0]).intersection(*right[1:]) if right else frozenset()
    indexes: dict[tuple, dict[tuple, list]] = {}
    for row in left:
        keys = tuple(variable for variable in row if variable in shared)
        index = indexes.get(keys)
        if index is None:
            index = indexes[keys] = {}
            for candidate in right:
                index.setdefault(tuple(candidate[k] for k in keys), []).append(candidate)
        merged = False
        for candidate in index.get(tuple(row[k] for k in keys), ()):
            if row.compatible(candidate):
                merged = True
                yield row.merge(candidate)
        if optional and not merged:
            yield row


_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#integer",
    "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#float",
    "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
}


def number_text(lexical: str) -> str:
    """A number as both engines print it: '2.0' and '2' are both '2'.

    >>> number_text("50.0"), number_text("2.5"), number_text("7")
    ('50', '2.5', '7')
    """
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie_of(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in _NUMERIC:
        return number_text(str(term))
    return str(term)


Table = tuple[list[str], list[list[str]]]


def rows(result: Result) -> Table:
    """Column names and rows of cells (IRIs compressed to CURIEs)."""
    names = [str(v) for v in (result.vars or [])]
    table = [[_cell(row[i]) for i in range(len(names))] for row in result]  # type: ignore[index]
    return names, table


def run_oxigraph(query: SavedQuery, store, bindings: dict[str, str] | None = None) -> Table:  # type: ignore[no-untyped-def]
    """Run a saved query on a pyoxigraph Store (default graph = union of named graphs)."""
    unknown = set(bindings or {}) - set(query.parameters)
    if unknown:
        raise InputError(query.path, f"unknown parameter(s) {', '.join(sorted(unknown))}; this query takes: {', '.join(query.parameters) or 'none'}")
    try:
        solutions = store.query(query.text, use_default_graph_as_union=True,
                                substitutions=oxigraph_substitutions(bindings or {}))
    except SyntaxError as err:
        raise InputError(query.path, f"not valid SPARQL: {err}") from None
    names = [v.value for v in solutions.variables]
    cell = _oxigraph_cells()
    return names, [[cell(term) for term in solution] for solution in solutions]


def oxigraph_substitutions(bindings: dict[str, str]) -> dict[object, object]:
    """Parameter values as pyoxigraph substitutions: a CURIE or IRI becomes an IRI, anything else a literal."""
    import pyoxigraph

    substitutions: dict[object, object] = {}
    for name, value in bindings.items():
        term = binding_term(value)
        substitutions[pyoxigraph.Variable(name)] = (
            pyoxigraph.NamedNode(str(term)) if isinstance(term, URIRef) else pyoxigraph.Literal(str(term))
        )
    return substitutions


def _oxigraph_cells():  # type: ignore[no-untyped-def]
    """A function from a pyoxigraph term (or None) to its cell, remembering the cells it made.

    Results repeat their IRIs and short literals many times over; compressing an
    IRI to a CURIE costs more than looking the cell up.
    """
    import pyoxigraph

    named_node, literal, blank_node = pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode
    cells: dict[object, str] = {None: ""}

    def cell(term: object) -> str:
        try:
            return cells[term]
        except KeyError:
            pass
        kind = type(term)
        if kind is named_node:
            text = curie_of(term.value)  # type: ignore[attr-defined]
        elif kind is literal:
            text = term.value  # type: ignore[attr-defined]
            if term.datatype.value in _NUMERIC:  # type: ignore[attr-defined]
                text = number_text(text)
        elif kind is blank_node:
            text = f"_:{term.value}"  # type: ignore[attr-defined]
        else:
            text = str(term.value)  # type: ignore[attr-defined]
        cells[term] = text
        return text

    return cell


def render(result_table: Table, fmt: str) -> str:
    """Render a result table as table, csv, tsv or json."""
    names, table = result_table
    if fmt == "json":
        return json.dumps([dict(zip(names, row)) for row in table], indent=2, ensure_ascii=False) + "\n"
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(table)
        return buffer.getvalue()
    widths = [max([len(n)] + [len(r[i]) for r in table]) for i, n in enumerate(names)]
    widths = [min(w, 80) for w in widths]
    line = lambda cells: "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in table]
    out.append(f"({len(table)} row{'s' if len(table) != 1 else ''})")
    return "\n".join(out) + "\n"
