"""Every saved query parses, answers on the seed graph, and both engines give the same rows."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery

from graph.query import read_query, rows, run, run_oxigraph, saved_queries
from graph.store import open_store

QUERIES = saved_queries()
NAMES = [q.name for q in QUERIES]


@pytest.fixture(scope="module")
def engines(seed_build):
    _, out = seed_build
    return Dataset(default_union=True).parse(out / "xhim.trig", format="trig"), open_store(out / "store")


def answer(engines, name: str, engine: str = "rdflib", **bindings: str) -> list[dict[str, str]]:
    query = next(q for q in QUERIES if q.name == name)
    names, table = rows(run(query, engines[0], bindings)) if engine == "rdflib" else run_oxigraph(query, engines[1], bindings)
    return [dict(zip(names, row)) for row in table]


def normalised(table: list[dict[str, str]]) -> Counter:
    # GROUP_CONCAT order is not defined by SPARQL: compare its tokens as sets
    return Counter(tuple(sorted((k, " ".join(sorted(v.split()))) for k, v in row.items())) for row in table)


def test_at_least_the_issue_queries_exist() -> None:
    assert {"infections-cd40", "evidence", "gene-to-cell", "antibody-levels", "phenotypes", "treatments",
            "diagnosis", "conflicts", "single-source", "subtypes"} <= set(NAMES)


@pytest.mark.parametrize("query", QUERIES, ids=NAMES)
def test_every_query_has_a_header_and_parses(query) -> None:
    assert query.title and query.question and query.columns and query.expected
    prepareQuery(query.text)


@pytest.mark.parametrize("name", NAMES)
def test_both_engines_give_the_same_rows(engines, name: str) -> None:
    rdflib_rows = answer(engines, name, "rdflib")
    assert rdflib_rows, f"{name} answers nothing on the seed graph"
    assert normalised(rdflib_rows) == normalised(answer(engines, name, "oxigraph"))


# a parameter named like a column restricts the rows to those with that value in the column
FILTERS = [(q.name, p) for q in QUERIES for p in q.parameters if p in q.columns]


def test_every_query_with_a_disease_column_takes_a_disease_parameter() -> None:
    assert {q.name for q in QUERIES if "disease" in q.columns} == {q.name for q in QUERIES if "disease" in q.parameters}
    assert {("single-source", "subject"), ("evidence", "subject"), ("evidence", "object"), ("phenotypes", "disease"),
            ("treatments", "disease"), ("diagnosis", "disease"), ("antibody-levels", "disease")} <= set(FILTERS)


@pytest.mark.parametrize(("name", "parameter"), FILTERS, ids=[f"{n}-{p}" for n, p in FILTERS])
def test_a_parameter_restricts_the_rows_to_its_value_on_both_engines(engines, name: str, parameter: str) -> None:
    everything = answer(engines, name)
    values = Counter(row[parameter] for row in everything)
    assert len(values) > 1, "the seed answer must hold several values, or binding one could not show a filter"
    value, _ = values.most_common(1)[0]  # the value most rows have, taken from the answer itself
    expected = [row for row in everything if row[parameter] == value]
    for engine in ("rdflib", "oxigraph"):
        bound = answer(engines, name, engine, **{parameter: value})
        assert bound and normalised(bound) == normalised(expected), engine


@pytest.mark.parametrize(("name", "parameter"), FILTERS, ids=[f"{n}-{p}" for n, p in FILTERS])
def test_a_parameter_bound_to_an_absent_term_answers_nothing(engines, name: str, parameter: str) -> None:
    for engine in ("rdflib", "oxigraph"):
        assert answer(engines, name, engine, **{parameter: "https://example.org/not-in-the-graph"}) == []


def test_disease_parameter_on_the_seed(engines) -> None:
    phenotypes = answer(engines, "phenotypes", disease="MONDO:0010626")
    assert {row["disease"] for row in phenotypes} == {"MONDO:0010626"}
    neutropenia = next(r for r in phenotypes if r["phenotype"] == "HP:0001875")
    assert (neutropenia["frequencyMin"], neutropenia["frequencyMax"]) == ("50", "70")
    assert [int(r["documents"]) for r in phenotypes] == sorted((int(r["documents"]) for r in phenotypes), reverse=True)
    treatments = answer(engines, "treatments", "oxigraph", disease="MONDO:0010626")
    assert any(r["treatment"] == "MAXO:0000747" and r["status"] == "curative" for r in treatments)
    single = answer(engines, "single-source", subject="MONDO:0010626")
    assert single and {row["subject"] for row in single} == {"MONDO:0010626"}
    assert {row["subject"] for row in answer(engines, "single-source")} > {"MONDO:0010626"}


def test_rdflib_hook_acts_only_on_saved_queries_and_per_thread(engines, monkeypatch) -> None:
    import graph.query

    calls: list[tuple[str, bool]] = []  # (thread name, whether the saved query in thread "a" had been let go)
    started, let_go = threading.Event(), threading.Event()
    original = graph.query._evaluate

    def spy(ctx, part):  # type: ignore[no-untyped-def]
        name = threading.current_thread().name
        calls.append((name, let_go.is_set()))
        if name == "a" and not started.is_set():
            started.set()
            assert let_go.wait(30)  # hold thread a inside its query while the others run
        return original(ctx, part)

    monkeypatch.setattr(graph.query, "_evaluate", spy)
    expected = answer(engines, "evidence", "rdflib")
    calls.clear()
    answers: dict[str, list[dict[str, str]]] = {}
    a = threading.Thread(name="a", target=lambda: answers.update(a=answer(engines, "evidence", "rdflib")))
    a.start()
    try:
        assert started.wait(30)
        # a plain rdflib query in another thread while a saved query runs: the hook leaves it to rdflib
        assert len(engines[0].query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")) == 1
        assert not [call for call in calls if call[0] == threading.current_thread().name]
        # another saved query that starts and ends while thread a is inside its own
        b = threading.Thread(name="b", target=lambda: answers.update(b=answer(engines, "treatments", "rdflib")))
        b.start()
        b.join(60)
        assert not b.is_alive(), "the saved query in thread b did not end while thread a was held"
        assert answers["b"] and ("b", False) in calls
    finally:
        let_go.set()
        a.join(60)
    assert answers["a"] == expected
    # thread a kept its hook after b's query had ended
    assert ("a", True) in calls


def test_rdflib_group_by_that_matches_nothing_gives_no_row(tmp_path) -> None:
    # rdflib gave one empty solution for such a GROUP BY; the OPTIONAL after it then matched every label
    # (phenotypes bound to a disease without phenotypes listed all the labels of the graph)
    dataset = Dataset(default_union=True).parse(data="""
        <http://e/g> { <http://e/s> <http://e/p> <http://e/o> . <http://e/o> <http://e/label> "o" }""", format="trig")
    path = tmp_path / "grouped.rq"
    path.write_text("# title: grouped\n# parameters: x\n"
                    "SELECT ?x ?o ?n ?label WHERE { { SELECT ?x ?o (COUNT(*) AS ?n) WHERE { ?x <http://e/p> ?o } GROUP BY ?x ?o }"
                    " OPTIONAL { SELECT ?o ?label WHERE { ?o <http://e/label> ?label } } }")
    query = read_query(path)
    assert rows(run(query, dataset, {"x": "http://e/absent"}))[1] == []
    assert rows(run(query, dataset, {"x": "http://e/s"}))[1] == [["http://e/s", "http://e/o", "1", "o"]]


def test_infections_cd40_reaches_pneumocystis_and_cryptosporidium_through_the_graph(engines) -> None:
    found = {row["organism"]: row for row in answer(engines, "infections-cd40")}
    assert "NCBITaxon:42068" in found or "NCBITaxon:4753" in found  # Pneumocystis (jirovecii)
    assert "NCBITaxon:5807" in found or "NCBITaxon:5806" in found  # Cryptosporidium (parvum)
    assert {row["via"] for row in found.values()} <= {"GO:0023035", "UniProtKB:P29965"}
    # the query names the process only; another process gives another (here: empty) answer
    assert answer(engines, "infections-cd40", process="GO:0008150") == []


def test_evidence_is_bound_through_parameters(engines) -> None:
    table = answer(engines, "evidence", subject="MONDO:0010626", object="HGNC:11935")
    assert table and {row["predicate"] for row in table} == {"xhim:caused_by"}
    assert {"000_fbf8e6ea3cb4493c.txt", "002_c7c880e9d6c43709.txt"} <= {row["file"] for row in table}
    assert all(int(row["start"]) < int(row["end"]) for row in table)
    both = answer(engines, "evidence", "oxigraph", subject="MONDO:0010626", object="HGNC:11935")
    assert normalised(both) == normalised(table)


def test_gene_to_cell(engines) -> None:
    table = answer(engines, "gene-to-cell")
    ligand = {(r["geneSymbol"], r["product"], r["productCell"], r["receptor"], r["receptorCell"]) for r in table}
    assert ("CD40LG", "UniProtKB:P29965", "CL:0000084", "UniProtKB:P25942", "CL:0000236") in ligand


def test_antibody_levels(engines) -> None:
    table = {(r["disease"], r["antibody"], r["direction"]) for r in answer(engines, "antibody-levels")}
    assert ("MONDO:0010626", "GO:0071753", "normal_or_increased") in table
    for isotype in ("GO:0071735", "GO:0071745", "GO:0071742"):
        assert ("MONDO:0010626", isotype, "decreased_or_absent") in table


def test_phenotypes_most_supported_first(engines) -> None:
    table = answer(engines, "phenotypes")
    counts = [int(r["documents"]) for r in table]
    assert counts == sorted(counts, reverse=True)
    neutropenia = next(r for r in table if r["disease"] == "MONDO:0010626" and r["phenotype"] == "HP:0001875")
    assert (neutropenia["frequencyMin"], neutropenia["frequencyMax"]) == ("50", "70")
    assert all(r["phenotype"] != "HP:0001882" or r["disease"] != "MONDO:0011528" for r in table), "negated leukopenia is left out"


def test_treatments_and_conflicts(engines) -> None:
    treatments = answer(engines, "treatments")
    assert any(r["treatment"] == "MAXO:0001480" and r["dose"] == "400-600 mg/kg" and r["schedule"] == "every 3-4 weeks" for r in treatments)
    assert any(r["treatment"] == "MAXO:0000747" and r["status"] == "curative" for r in treatments)
    conflicts = answer(engines, "conflicts")
    assert {r["aspect"] for r in conflicts} >= {"dose", "prevalence", "share"}
    prevalence = {r["file"] for r in conflicts if r["aspect"] == "prevalence"}
    assert prevalence == {"000_fbf8e6ea3cb4493c.txt", "002_c7c880e9d6c43709.txt"}


def test_diagnosis_subtypes_single_source(engines) -> None:
    assert {"MAXO:0035026", "OBI:0000916", "MAXO:0000127"} <= {r["test"] for r in answer(engines, "diagnosis")}
    subtypes = {(r["disease"], r["parent"]) for r in answer(engines, "subtypes")}
    assert ("MONDO:0010626", "MONDO:0003947") in subtypes
    assert answer(engines, "single-source")
