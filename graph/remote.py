"""Talking to SPARQL servers: Graph Store Protocol uploads and SPARQL Protocol queries.

Parameters of saved queries are sent as a VALUES block placed at the start of
the query's WHERE clause, each value serialised (and escaped) by rdflib as an
RDF term, never pasted into the text as the user typed it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Dataset, Graph, URIRef

from extract.errors import InputError
from graph.query import SavedQuery, Table, _cell, binding_term
from graph.sinks import bind_prefixes

TIMEOUT_S = 120


def _request(url: str, data: bytes | None, headers: dict[str, str], method: str) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (user-given endpoint)
            return response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace")[:300]
        raise InputError(url, f"HTTP {err.code} {err.reason}: {detail}") from None
    except urllib.error.URLError as err:
        raise InputError(url, f"cannot reach the endpoint: {err.reason}") from None


def load(dataset: Dataset, endpoint: str) -> list[tuple[str, int]]:
    """PUT every named graph to a SPARQL 1.1 Graph Store Protocol endpoint (replacing it)."""
    loaded = []
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0 or not isinstance(context.identifier, URIRef):
            continue
        graph = Graph()
        for triple in context:
            graph.add(triple)
        bind_prefixes(graph)
        body = graph.serialize(format="turtle", encoding="utf-8")
        url = f"{endpoint}?{urllib.parse.urlencode({'graph': str(context.identifier)})}"
        _request(url, body, {"Content-Type": "text/turtle; charset=utf-8"}, "PUT")
        loaded.append((str(context.identifier), len(graph)))
    return loaded


def with_values(query: SavedQuery, bindings: dict[str, str]) -> str:
    """The query text with a VALUES block for the bound parameters at the start of its WHERE clause."""
    unknown = set(bindings) - set(query.parameters)
    if unknown:
        raise InputError(query.path, f"unknown parameter(s) {', '.join(sorted(unknown))}; this query takes: {', '.join(query.parameters) or 'none'}")
    if not bindings:
        return query.text
    names = sorted(bindings)
    terms = " ".join(binding_term(bindings[name]).n3() for name in names)
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}\n"
    match = re.search(r"\bWHERE\s*\{", query.text, re.IGNORECASE)
    if match is None:
        raise InputError(query.path, "query has no WHERE clause to bind parameters in")
    return query.text[: match.end()] + block + query.text[match.end() :]


def query_endpoint(endpoint: str, query: SavedQuery, bindings: dict[str, str] | None = None) -> Table:
    """Run a saved query on a SPARQL 1.1 Protocol endpoint; results read as SPARQL JSON."""
    text = with_values(query, bindings or {})
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    raw = _request(endpoint, body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }, "POST")
    try:
        results = json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(endpoint, f"answer is not SPARQL JSON: {err}") from None
    names = results["head"]["vars"]
    table = []
    for binding in results["results"]["bindings"]:
        table.append([_json_cell(binding.get(name)) for name in names])
    return names, table


def _json_cell(value: dict[str, str] | None) -> str:
    from rdflib import Literal

    if value is None:
        return ""
    if value["type"] == "uri":
        return _cell(URIRef(value["value"]))
    if value["type"] == "literal" and "datatype" in value:
        return _cell(Literal(value["value"], datatype=URIRef(value["datatype"])))
    return value["value"]
