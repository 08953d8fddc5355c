"""benchmarks/query_floor.py on the seed build: its steps answer the saved query's question."""

from __future__ import annotations

import dataclasses

import pytest

import query_floor  # type: ignore[import-not-found]
from graph.query import run_oxigraph, saved_queries
from graph.store import open_store


def test_every_step_counts_the_saved_querys_rows_on_every_store(seed_build) -> None:
    _, out = seed_build
    query = next(q for q in saved_queries() if q.name == query_floor.QUERY)
    _, rows = run_oxigraph(query, open_store(out / "store"), {})
    assert rows  # the seed build has evidence, so the comparison below is not between two empty answers
    records = query_floor.measure(out, n=1)
    assert [store.split(" ")[0] for store, *_ in records] == ["on-disk"] * 3 + ["flat"] * 3 + ["in-memory"]
    counts = [count for *_, count in records]
    # on the seed, two rows of the answer are found twice (statements that differ only in a qualifier, quoted from
    # the same sentence): the rows step, before DISTINCT, reads more rows than the answer, and the COUNT counts those
    assert counts[0] == counts[1] > len(rows)
    # on the flat store each row is one node: the same count before and after DISTINCT
    assert counts[2] == counts[3] == counts[4] == counts[5] == counts[6] == len(rows)


def test_the_flat_store_holds_one_node_per_row(seed_build, tmp_path) -> None:
    _, out = seed_build
    query = next(q for q in saved_queries() if q.name == query_floor.QUERY)
    store = open_store(out / "store")
    answer = list(store.query(query.text, use_default_graph_as_union=True))
    flat = query_floor.flat_store(answer, tmp_path / "flat", query.columns)
    nodes = {quad.subject for quad in flat}
    assert len(nodes) == len(answer) == len(run_oxigraph(query, store, {})[1])
    assert len(flat) == len(answer) * len(query.columns)  # the evidence query binds every column


def test_a_query_without_order_by_is_refused(tmp_path) -> None:
    query = next(q for q in saved_queries() if q.name == query_floor.QUERY)
    broken = dataclasses.replace(query, text=query.text.split("ORDER BY")[0])
    with pytest.raises(SystemExit, match="ORDER BY"):
        query_floor.parts(broken)
