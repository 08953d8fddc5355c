"""For every evidence in the built graph, the source file cut at [start, end) gives the quote."""

from __future__ import annotations

from functools import cache

from rdflib import RDF, Dataset, Graph

from extract.readers import read_document
from extract.text import normalise_markup
from graph.namespaces import OA, PROV, XHIM
from tests.conftest import CORPUS


def evidence_rows(graph: Graph) -> list[tuple[str, str, int, int]]:
    rows = []
    for evidence in graph.subjects(RDF.type, XHIM.Evidence):
        document = graph.value(evidence, PROV.wasDerivedFrom)
        file_name = str(graph.value(document, XHIM.file_name))
        quote = start = end = None
        for selector in graph.objects(evidence, OA.hasSelector):
            if (selector, RDF.type, OA.TextQuoteSelector) in graph:
                quote = str(graph.value(selector, OA.exact))
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                start = int(graph.value(selector, OA.start))
                end = int(graph.value(selector, OA.end))
        assert quote is not None and start is not None and end is not None, evidence
        rows.append((file_name, quote, start, end))
    return rows


@cache
def is_markup(file_name: str) -> bool:
    return read_document(CORPUS / file_name).markup


def test_every_evidence_cut_from_its_file_is_its_quote(seed_build) -> None:
    result, out = seed_build
    graph = Dataset(default_union=True).parse(out / "xhim.trig", format="trig")
    rows = evidence_rows(graph)
    assert len(rows) > 50
    for file_name, quote, start, end in rows:
        stored = (CORPUS / file_name).read_bytes().decode("utf-8")
        cut = stored[start:end]
        if is_markup(file_name):
            # the HTML document: tags removed, references decoded, whitespace collapsed
            assert normalise_markup(cut) == quote, (file_name, start, end)
        else:
            assert cut == quote, (file_name, start, end)


def test_evidence_of_html_spans_markup(seed_build) -> None:
    """At least one HTML quote has markup inside its cut, so the normalising path is exercised."""
    _, out = seed_build
    graph = Dataset(default_union=True).parse(out / "xhim.trig", format="trig")
    stored = (CORPUS / "000_fbf8e6ea3cb4493c.txt").read_bytes().decode("utf-8")
    cuts = [stored[s:e] for f, _, s, e in evidence_rows(graph) if f.startswith("000_")]
    assert cuts and any("<" in cut for cut in cuts)


def test_every_statement_has_evidence_in_a_named_graph_of_its_document(seed_build) -> None:
    result, _ = seed_build
    for context in result.dataset.graphs():
        if str(context.identifier).startswith("https://w3id.org/xhim-kg/document/"):
            for evidence in context.subjects(RDF.type, XHIM.Evidence):
                assert context.value(evidence, PROV.wasDerivedFrom) == context.identifier
