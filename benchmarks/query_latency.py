"""Latency of every saved query on rdflib and on Oxigraph (median of N runs), and the time to
load the graph into a real Oxigraph server over the Graph Store Protocol.

    python benchmarks/query_latency.py output/ [-n 20]

OUT is a folder written by `xhim build` (xhim.trig and store/).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rdflib import Dataset

from graph.query import rows, run, run_oxigraph, saved_queries
from graph.remote import load
from graph.serve import free_port, start_oxigraph
from graph.store import open_store


def median_ms(action, n: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--skip-rdflib", action="store_true", help="only Oxigraph (for large stores)")
    args = parser.parse_args()
    dataset = Dataset(default_union=True) if args.skip_rdflib else Dataset(default_union=True).parse(args.out / "xhim.trig", format="trig")
    store = open_store(args.out / "store")
    print(f"{'query':18} {'rdflib ms':>10} {'xhim+oxigraph ms':>17} {'raw pyoxigraph ms':>18} {'overhead':>9} {'rows':>6}")
    for query in saved_queries():
        rdflib_ms = median_ms(lambda: rows(run(query, dataset)), args.n) if not args.skip_rdflib else float("nan")
        oxigraph_ms = median_ms(lambda: run_oxigraph(query, store), args.n)
        raw_ms = median_ms(lambda: [list(s) for s in store.query(query.text, use_default_graph_as_union=True)], args.n)
        print(f"{query.name:18} {rdflib_ms:10.1f} {oxigraph_ms:17.1f} {raw_ms:18.1f} {oxigraph_ms / raw_ms - 1:8.0%} "
              f"{len(run_oxigraph(query, store)[1]):6d}")
    if args.skip_rdflib:
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
