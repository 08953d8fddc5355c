"""Build generated corpora of several sizes and write benchmarks/results.md.

    python benchmarks/bench.py [--sizes 100 1000 10000] [--out benchmarks/results.md]

Each size: a corpus from make_corpus.py, then one `xhim build --timings` in a
fresh process (wall time, peak RSS of the largest process from wait4, stage
times, triples); then, on the same corpus, one document is edited and the
build is run again, REBUILDS times (incremental rebuild: cache and store reused;
the median is reported).  On the
output of the largest size, benchmarks/query_latency.py (every saved query,
ours against raw pyoxigraph), benchmarks/query_floor.py (where the slowest
query's time goes in pyoxigraph itself) and benchmarks/shacl_engines.py (the
fastest SHACL engines on the whole graph) run too, and their tables are added
(--no-queries / --no-engines to leave them out).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import make_corpus  # noqa: E402


REBUILDS = 3  # incremental rebuilds per size


def build(corpus: Path, out: Path) -> dict[str, object]:
    """Run one build in a child process; wall seconds, peak RSS MiB, stage times, receipt counts."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "xhim.cli", "build", "--corpus", str(corpus), "--out", str(out), "-q", "--timings"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read() if process.stderr else ""
    timings = json.loads(stderr.strip().splitlines()[-1]) if stderr.strip() else {}
    receipt = json.loads((out / "build-receipt.json").read_text(encoding="utf-8"))
    return {"wall": wall, "rss": usage.ru_maxrss / 1024, "exit": os.waitstatus_to_exitcode(status), "timings": {k: v for k, v in timings.items() if k != "extracted"},
            "triples": receipt["triples"], "statements": receipt["distinct_statements"]}


def pyoxigraph_alone(out: Path) -> str:
    """pyoxigraph's own parser and serialiser on the build's union (xhim.nt), for comparison with our stages."""
    import pyoxigraph

    data = (out / "xhim.nt").read_bytes()
    clock = time.perf_counter()
    triples = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
    parse_s = time.perf_counter() - clock
    clock = time.perf_counter()
    turtle = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE)
    turtle_s = time.perf_counter() - clock
    clock = time.perf_counter()
    list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))
    reparse_s = time.perf_counter() - clock
    return (f"pyoxigraph {metadata.version('pyoxigraph')} alone on the same union ({len(triples)} triples): parse N-Triples "
            f"{parse_s:.1f} s, serialise Turtle {turtle_s:.1f} s, parse that Turtle {reparse_s:.1f} s. The build parses no "
            "whole graph; its \"serialise\" stage above makes xhim.ttl, xhim.trig and xhim.nt from cached per-document text.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--no-queries", action="store_true", help="do not run query_latency.py and query_floor.py on the largest build")
    parser.add_argument("--no-engines", action="store_true", help="do not run shacl_engines.py on the largest build")
    args = parser.parse_args()
    sections: list[str] = []
    engines: dict[str, float] = {}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            corpus = Path(folder) / f"corpus-{size}"
            documents = sorted(make_corpus(size, corpus))
            result = build(corpus, Path(folder) / f"out-{size}")
            rebuilds = []
            for offset in range(REBUILDS):  # a different document each time; the run with the median wall is reported
                edited = documents[(size // 2 + offset) % size]
                edited.write_text(edited.read_text(encoding="utf-8") + "\nThis condition is very rare.\n", encoding="utf-8")
                rebuilds.append(build(corpus, Path(folder) / f"out-{size}"))
            rebuilds.sort(key=lambda r: r["wall"])
            result["incremental"] = {**rebuilds[len(rebuilds) // 2], "walls": [r["wall"] for r in rebuilds]}
            rows.append((size, result))
            print(size, json.dumps(result), flush=True)
        largest = Path(folder) / f"out-{args.sizes[-1]}"
        sections.append(pyoxigraph_alone(largest))
        for skip, script, extra in ((args.no_engines, "shacl_engines.py", []),
                                    (args.no_queries, "query_latency.py", ["-n", "5", "--skip-rdflib"]),
                                    (args.no_queries, "query_floor.py", ["-n", "5"])):
            if skip:
                continue
            table = Path(folder) / f"{script}.md"
            subprocess.run([sys.executable, str(HERE / script), str(largest), *extra, "--markdown", str(table)], check=True)
            sections.append(table.read_text(encoding="utf-8"))
            if script == "shacl_engines.py":
                engines = json.loads(table.with_suffix(".json").read_text(encoding="utf-8"))
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, rdflib {metadata.version('rdflib')}, "
        f"pyshacl {metadata.version('pyshacl')}, pyshacl-turbo {metadata.version('pyshacl-turbo')}, "
        f"pyoxigraph {metadata.version('pyoxigraph')}; SHACL engine: pyshacl-turbo (the default when installed).",
        f"Command: `python benchmarks/bench.py --sizes {' '.join(map(str, args.sizes))}` (one build per size, generated corpus, seed 7).",
        "",
        "| documents | wall s | docs/s | peak RSS MiB | triples | statements | " + " | ".join(rows[0][1]["timings"]) + " |",
        "|---|---|---|---|---|---|" + "---|" * len(rows[0][1]["timings"]),
    ]
    for size, r in rows:
        stages = " | ".join(f"{v:.1f} ({100 * v / r['wall']:.0f} %)" for v in r["timings"].values())
        lines.append(f"| {size} | {r['wall']:.1f} | {size / r['wall']:.1f} | {r['rss']:.0f} | {r['triples']} | {r['statements']} | {stages} |")
    lines += ["", "Stages named \"documents: ... (cpu)\" are CPU seconds summed over the worker processes (they run in parallel "
              "inside \"documents (wall)\"), so their shares can add up to more than 100 %.", "",
              f"Incremental rebuild (one document edited, same output folder: extraction cache and store reused), {REBUILDS} "
              "times with a different document each time; the row is the run with the median wall time, and \"all rebuilds\" "
              f"lists the {REBUILDS}:", "",
              "| documents | full s | rebuild s | rebuild / full | all rebuilds s | rebuild peak RSS MiB | " + " | ".join(rows[0][1]["incremental"]["timings"]) + " |",
              "|---|---|---|---|---|---|" + "---|" * len(rows[0][1]["incremental"]["timings"])]
    for size, r in rows:
        i = r["incremental"]
        stages = " | ".join(f"{v:.1f}" for v in i["timings"].values())
        walls = ", ".join(f"{w:.1f}" for w in i["walls"])
        lines.append(f"| {size} | {r['wall']:.1f} | {i['wall']:.1f} | {100 * i['wall'] / r['wall']:.1f} % | {walls} | {i['rss']:.0f} | {stages} |")
    if len(rows) >= 2:
        (small, a), (large, b) = rows[-2], rows[-1]
        lines += ["", f"Growth: time({large}) / time({small}) = {b['wall'] / a['wall']:.1f}."]
    size, r = rows[-1]
    t = r["timings"]
    ours = t.get("documents: validate (cpu)", 0.0) / (os.cpu_count() or 1) + t.get("validate shared graphs", 0.0) + t.get("validate whole graph", 0.0)
    lines += ["", f"Validation at {size} documents, as wall seconds on {os.cpu_count()} CPUs (an estimate, not a timing: the "
              "per-document validation runs interleaved with extraction in the workers, so its CPU seconds divided by the "
              f"CPUs stand for its wall share, assuming the {os.cpu_count()} workers stay busy): per-document validation "
              f"{t.get('documents: validate (cpu)', 0.0):.1f} s CPU / {os.cpu_count()} + shared graphs "
              f"{t.get('validate shared graphs', 0.0):.1f} + whole graph {t.get('validate whole graph', 0.0):.1f} = {ours:.1f} s "
              f"for {r['triples']} triples (compare with the engines below, which validate the same triples with the same "
              "local shapes in one process)."]
    if engines:
        fastest = min(engines, key=engines.__getitem__)
        lines += ["", f"Ours / fastest engine on the whole graph ({fastest}, loading and validating {engines[fastest]:.1f} s): "
                  f"{ours / engines[fastest]:.2f}."]
    for section in sections:
        lines += ["", section.rstrip()]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
