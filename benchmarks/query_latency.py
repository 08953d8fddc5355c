"""Latency of every saved query on rdflib and on Oxigraph (median of N runs), without parameters and
with a typical one, and the time to load the graph into a real Oxigraph server over the Graph Store
Protocol.

    python benchmarks/query_latency.py OUT [-n 20] [--skip-rdflib] [--markdown FILE]

OUT is a folder written by `xhim build` (xhim.trig and store/).  "xhim" is what `xhim query` does
(`graph.query.run_oxigraph`: parameters, CURIE cells); "raw" is pyoxigraph's own `Store.query` on the
same text and bindings with every row read, so the overhead column is the cost of our layer.

The typical parameter is chosen from the store at run time, never written here: `disease` (and `subject`,
for the queries that take it) is bound to the disease that is the subject of the most statements.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset

from extract.lexicon import curie_of
from graph.query import SavedQuery, oxigraph_substitutions, rows, run, run_oxigraph, saved_queries
from graph.remote import load
from graph.serve import free_port, start_oxigraph
from graph.store import open_store

# the disease that is the subject of the most statements (ties: the first IRI)
BUSIEST_DISEASE = """
PREFIX xhim: <https://w3id.org/xhim-kg/vocab/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?disease (COUNT(DISTINCT ?statement) AS ?statements)
WHERE { ?disease a xhim:Disease . ?statement rdf:subject ?disease }
GROUP BY ?disease
ORDER BY DESC(?statements) STR(?disease)
LIMIT 1
"""

# parameters bound in the "with parameter" runs; the others stay unbound ("all", or the query's default)
TYPICAL = ("disease", "subject")


def median_ms(action: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def busiest_disease(store) -> str | None:  # type: ignore[no-untyped-def]
    """The IRI of the disease with the most statements, or None if the store has none."""
    for solution in store.query(BUSIEST_DISEASE, use_default_graph_as_union=True):
        return solution["disease"].value
    return None


def raw_rows(query: SavedQuery, store, substitutions: dict[object, object]) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """pyoxigraph alone: the same text and substitutions (made once, outside the timing), every row read."""
    return [list(solution) for solution in
            store.query(query.text, use_default_graph_as_union=True, substitutions=substitutions)]


def measure(  # type: ignore[no-untyped-def]
    queries: list[SavedQuery], store, dataset: Dataset | None, disease: str | None, n: int,
) -> list[dict[str, object]]:
    """One record per query and binding: rdflib, xhim and raw medians in ms, overhead, rows."""
    records = []
    for query in queries:
        cases: list[dict[str, str]] = [{}]
        typical = {name: disease for name in query.parameters if name in TYPICAL and disease is not None}
        if typical:
            cases.append(typical)
        for bindings in cases:
            counted: list[int] = []
            substitutions = oxigraph_substitutions(bindings)
            raw_rows(query, store, substitutions)  # one untimed run first: both columns are measured on a warm store
            rdflib_ms = (median_ms(lambda: rows(run(query, dataset, bindings)), n)  # noqa: B023
                         if dataset is not None else float("nan"))
            xhim_ms = median_ms(lambda: counted.append(len(run_oxigraph(query, store, bindings)[1])), n)  # noqa: B023
            raw_ms = median_ms(lambda: raw_rows(query, store, substitutions), n)  # noqa: B023
            records.append({
                "query": query.name,
                "parameters": " ".join(f"{k}={curie_of(v)}" for k, v in sorted(bindings.items())) or "-",
                "rdflib_ms": rdflib_ms, "xhim_ms": xhim_ms, "raw_ms": raw_ms,
                "overhead": xhim_ms / raw_ms - 1 if raw_ms else float("nan"), "rows": counted[-1],
            })
    return records


def text_table(records: list[dict[str, object]]) -> str:
    width = max([10] + [len(str(r["parameters"])) for r in records])
    lines = [f"{'query':16} {'parameters':{width}} {'rdflib ms':>10} {'xhim ms':>10} {'raw ms':>10} {'overhead':>9} {'rows':>7}"]
    for r in records:
        lines.append(f"{r['query']:16} {r['parameters']:{width}} {r['rdflib_ms']:10.1f} {r['xhim_ms']:10.1f} "
                     f"{r['raw_ms']:10.1f} {r['overhead']:+9.0%} {r['rows']:7d}")
    return "\n".join(lines)


def markdown_table(records: list[dict[str, object]], note: str) -> str:
    lines = ["| query | parameters | rdflib ms | xhim ms | raw pyoxigraph ms | xhim overhead | rows |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in records:
        rdflib_ms = "-" if r["rdflib_ms"] != r["rdflib_ms"] else f"{r['rdflib_ms']:,.1f}"  # NaN: not measured
        parameters = "-" if r["parameters"] == "-" else f"`{r['parameters']}`"
        lines.append(f"| {r['query']} | {parameters} | {rdflib_ms} | {r['xhim_ms']:,.1f} | {r['raw_ms']:,.1f} "
                     f"| {r['overhead']:+.0%} | {r['rows']:,} |")
    return "\n".join(lines) + f"\n\n{note}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=20, help="runs per query and engine (median reported)")
    parser.add_argument("--skip-rdflib", action="store_true", help="only Oxigraph (for large stores)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table as Markdown to FILE")
    args = parser.parse_args()
    dataset = None if args.skip_rdflib else Dataset(default_union=True).parse(args.out / "xhim.trig", format="trig")
    store = open_store(args.out / "store")
    disease = busiest_disease(store)
    records = measure(saved_queries(), store, dataset, disease, args.n)
    print(text_table(records))
    note = (f"Median of {args.n} runs on `{args.out / 'store'}` (on-disk Oxigraph store, default graph = union of the named "
            f"graphs){'' if dataset is not None else '; rdflib not measured'}. Typical parameter: "
            f"{curie_of(disease) if disease else 'none (no disease in the store)'}, the disease that is the subject "
            "of the most statements, bound as `disease` (and `subject`). xhim = `graph.query.run_oxigraph`; raw = "
            "`Store.query` with every row read; overhead = xhim / raw - 1. Each query runs once untimed first, so both columns "
            "are measured on a warm store.")
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown_table(records, note), encoding="utf-8")
    if dataset is None:
        return
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        server = start_oxigraph(Path(folder) / "store", port, read_only=False)
        try:
            start = time.perf_counter()
            loaded = load(dataset, f"http://127.0.0.1:{port}/store")
            seconds = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait()
    print(f"load into Oxigraph server (Graph Store Protocol PUT, {len(loaded)} graphs, "
          f"{sum(t for _, t in loaded)} triples): {seconds:.2f} s")


if __name__ == "__main__":
    main()
