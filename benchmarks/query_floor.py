"""Where the time of the widest saved query goes on pyoxigraph, and what a flatter provenance model would give.

    python benchmarks/query_floor.py OUT [-n 5] [--markdown FILE]

OUT is a folder written by `xhim build`.  The query is queries/evidence.rq without parameters: every evidence
of every statement, twelve patterns joined per row and eight terms read back per row.  It is the slowest
saved query at 10,000 documents and the plainest (joins, DISTINCT and ORDER BY, no aggregates), so it shows
what pyoxigraph itself needs, with no code of ours in the timing:

1. the joins alone: COUNT(*) over the query's WHERE clause, so no term is read back from the store;
2. the rows: the query's columns, without DISTINCT and ORDER BY, every row read;
3. the query as saved.

The same three steps are then timed on the flattest model that could answer it: the query's rows written
into a temporary on-disk store as one node per row with one property per column (as if every evidence node
carried its statement's subject, predicate, object, file, section, quote and offsets itself), joined as a
star.  Last, the saved query on an in-memory store of the whole union (its load time is reported too).
Every figure is the median of N runs after one untimed run.  The flat and in-memory stores must give the
saved query's answer, row for row, and the COUNT must count the rows the rows step reads, or the script
stops.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from importlib import metadata

import pyoxigraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from graph.query import SavedQuery, saved_queries  # noqa: E402
from graph.store import open_store  # noqa: E402

QUERY = "evidence"
FLAT = "https://w3id.org/xhim-kg/bench/flat/"  # a namespace for this benchmark's temporary store only


def timed(store, text: str, n: int) -> tuple[float, list]:  # type: ignore[no-untyped-def,type-arg]
    """Median seconds of n runs with every row read, and the solutions of the one untimed run before them."""
    solutions = list(store.query(text, use_default_graph_as_union=True))
    times = []
    for _ in range(n):
        start = time.perf_counter()
        for _ in store.query(text, use_default_graph_as_union=True):
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times), solutions


def as_text(solutions: list) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    """Solutions as the N-Triples forms of their terms, sorted: rows that tie on the ORDER BY keys may come in
    any order, so answers are compared as sets of rows with their counts."""
    return sorted(tuple(str(term) for term in solution) for solution in solutions)


def parts(query: SavedQuery) -> tuple[str, str, str, list[str]]:
    """The query's prologue (prefixes), WHERE clause, ORDER BY clause and the BIND lines of its sort keys."""
    text = query.text
    select = re.search(r"^SELECT\b", text, re.MULTILINE | re.IGNORECASE)
    order = re.search(r"^ORDER BY\b", text, re.MULTILINE | re.IGNORECASE)
    where = re.compile(r"\bWHERE\b", re.IGNORECASE).search(text, select.end()) if select else None
    if select is None or order is None or where is None:
        raise SystemExit(f"{query.path}: expected a top-level SELECT ... WHERE ... ORDER BY query")
    where = where.start()
    binds = re.findall(r"^\s*(BIND\(.*\))\s*$", text[where:order.start()], re.MULTILINE)
    return text[:select.start()], text[where:order.start()], text[order.start():], binds


def saved_form(prologue: str, where: str, order: str, columns: tuple[str, ...]) -> str:
    """The query as saved, over another WHERE clause."""
    return f"{prologue}SELECT DISTINCT {' '.join(f'?{c}' for c in columns)} {where}{order}"


def steps(store, prologue: str, where: str, order: str, binds: list[str], columns: tuple[str, ...], n: int,  # type: ignore[no-untyped-def]
          ) -> tuple[list[tuple[str, float, int]], list]:  # type: ignore[type-arg]
    """The three timings on one store (joins alone, rows read, the full query with DISTINCT and ORDER BY),
    each with the rows it read (for the COUNT, the number counted), and the answer's solutions.

    The sort keys' BINDs read terms back, so the first two steps leave them out."""
    plain = where
    for bind in binds:
        plain = plain.replace(bind, "")
    projection = " ".join(f"?{c}" for c in columns)
    count_s, count = timed(store, f"{prologue}SELECT (COUNT(*) AS ?rows) {plain}", n)
    read_s, read = timed(store, f"{prologue}SELECT {projection} {plain}", n)
    saved_s, answer = timed(store, saved_form(prologue, where, order, columns), n)
    counted = int(count[0]["rows"].value)
    if not counted == len(read) >= len(answer):  # leaving the BINDs out must not change which rows are joined
        raise SystemExit(f"joins counted {counted}, rows read {len(read)}, answer {len(answer)}: "
                         "the steps do not measure one query")
    return [("joins alone (COUNT)", count_s, counted), ("rows read (no DISTINCT, no ORDER BY)", read_s, len(read)),
            ("as saved (DISTINCT, ORDER BY)", saved_s, len(answer))], answer


def flat_store(answer: list, folder: Path, columns: tuple[str, ...]):  # type: ignore[no-untyped-def,type-arg]
    """The answer's rows (solutions of the saved query) as one node per row, one property per column
    (none for a column a row leaves unbound), in a new on-disk store."""
    properties = [pyoxigraph.NamedNode(f"{FLAT}{c}") for c in columns]
    flat = pyoxigraph.Store(str(folder))
    flat.extend(pyoxigraph.Quad(row, prop, solution[c], pyoxigraph.DefaultGraph())
                for solution in answer for row in [pyoxigraph.BlankNode()]
                for prop, c in zip(properties, columns) if solution[c] is not None)
    flat.flush()
    flat.optimize()
    return flat


def measure(out: Path, n: int) -> list[tuple[str, str, float, int]]:
    """(store, step, median seconds, rows) for the three steps on the build's store, the flat store and memory."""
    query = next(q for q in saved_queries() if q.name == QUERY)
    prologue, where, order, binds = parts(query)
    built, answer = steps(open_store(out / "store"), prologue, where, order, binds, query.columns, n)
    records = [("on-disk store (as built)", *step) for step in built]
    expected = as_text(answer)
    with tempfile.TemporaryDirectory() as folder:
        flat = flat_store(answer, Path(folder) / "flat", query.columns)
        star = "WHERE {\n" + "\n".join(f"  {{ SELECT ?row ?{c} WHERE {{ ?row <{FLAT}{c}> ?{c} }} }}" for c in query.columns)
        star += "\n" + "\n".join(f"  {bind}" for bind in binds) + "\n}\n"
        flat_steps, flat_answer = steps(flat, prologue, star, order, binds, query.columns, n)
        if as_text(flat_answer) != expected:
            raise SystemExit(f"the flat store does not give the answer of {query.path}")
        records += [("flat on-disk store (one node per row)", *step) for step in flat_steps]
        del flat
    start = time.perf_counter()
    memory = open_store(out / "xhim.trig")  # in memory
    load = time.perf_counter() - start
    seconds, memory_answer = timed(memory, query.text, n)
    if as_text(memory_answer) != expected:
        raise SystemExit(f"the in-memory store does not give the answer of {query.path}")
    records.append((f"in-memory store (loading xhim.trig took {load:.1f} s)", "as saved (DISTINCT, ORDER BY)", seconds,
                    len(memory_answer)))
    return records


def markdown(records: list[tuple[str, str, float, int]], note: str) -> str:
    lines = ["| store | step | median s | rows (read, or counted) |", "|---|---|---:|---:|"]
    lines += [f"| {store} | {step} | {seconds:.2f} | {rows:,} |" for store, step, seconds, rows in records]
    return "\n".join(lines) + f"\n\n{note}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=5, help="timed runs per step (median reported)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table as Markdown to FILE")
    args = parser.parse_args()
    records = measure(args.out, args.n)
    for store, step, seconds, rows in records:
        print(f"{store:55} {step:40} {seconds:8.2f} s {rows:8,d} rows (read, or counted)")
    note = (f"Where the time of `queries/{QUERY}.rq` (no parameters) goes, on raw pyoxigraph "
            f"{metadata.version('pyoxigraph')}: median of {args.n} runs after one "
            "untimed run, every row read, no code of ours in the timing (`python benchmarks/query_floor.py OUT`). "
            "The flat store is a new on-disk store holding only the answer's rows, one node per row and one property "
            "per column, joined as a star: what this answer would cost if every evidence node carried all its columns "
            "itself. Both on-disk stores are opened as pyoxigraph opens them; the in-memory store holds the whole graph "
            "as built.")
    if args.markdown is not None:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(markdown(records, note), encoding="utf-8")


if __name__ == "__main__":
    main()
