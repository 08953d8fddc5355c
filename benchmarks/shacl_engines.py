"""The fastest SHACL engines on the whole union graph of a build, against the build's own validation.

    python benchmarks/shacl_engines.py OUT [--markdown FILE]

OUT is a folder written by `xhim build` (xhim.nt is read).  Each engine gets
the union graph with the vocabulary's class hierarchy (what sh:class needs) and
the *local* shapes (the ones the build runs per document; the whole-graph shapes
run as SPARQL over the store and are timed by the build as "validate whole
graph").  Times are wall seconds of one run each, loading and validating
reported apart.  pyrudof is measured when it is installed (it is not a
dependency of the project).
"""

from __future__ import annotations

import argparse
import json
import time
from importlib import metadata
from pathlib import Path

from rdflib import Graph

from graph.build import Curated, class_hierarchy, parse_curated
from graph.validate import _results, split_shapes


def _hierarchy_nt(curated: Curated) -> str:
    graph = Graph()
    for triple in class_hierarchy(parse_curated(curated.vocabulary)):
        graph.add(triple)
    return graph.serialize(format="nt")


def turbo(data: str, shapes: Graph) -> dict[str, float]:
    """pyshacl-turbo: shapes compiled once, data handed over as N-Triples text (no rdflib graph)."""
    from pyshacl_turbo import CompiledShapes
    from pyshacl_turbo.rdf import Input

    clock = time.perf_counter()
    compiled = CompiledShapes(shapes, advanced=True)
    compile_s = time.perf_counter() - clock
    clock = time.perf_counter()
    conforms, report, _ = compiled.validate(Input(data, "nt", None, {}), allow_warnings=True)
    seconds = time.perf_counter() - clock
    return {"load + validate": seconds, "compile shapes": compile_s, "results": float(len(_results(report)))}


def rudof(data: str, shapes: Graph) -> dict[str, float]:
    """pyrudof's native engine: data read from N-Triples text, shapes from Turtle text."""
    import pyrudof

    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    clock = time.perf_counter()
    engine.read_shacl(shapes.serialize(format="turtle"), format=pyrudof.ShaclFormat.Turtle)
    shapes_s = time.perf_counter() - clock
    clock = time.perf_counter()
    engine.read_data(data, format=pyrudof.RDFFormat.NTriples)
    load_s = time.perf_counter() - clock
    clock = time.perf_counter()
    report = engine.validate_shacl()
    return {"load": load_s, "validate": time.perf_counter() - clock, "read shapes": shapes_s,
            "conforms": float(report.conforms), "results": float(len(list(report.violations)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    curated = Curated()
    local, _ = split_shapes(parse_curated(curated.shapes))
    data = (args.out / "xhim.nt").read_text(encoding="utf-8") + _hierarchy_nt(curated)
    triples = data.count("\n")
    rows = []
    for name, run in (("pyshacl-turbo", turbo), ("pyrudof", rudof)):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            print(f"{name}: not installed, skipped")
            continue
        figures = run(data, local)
        print(name, version, {k: round(v, 2) for k, v in figures.items()}, flush=True)
        rows.append((name, version, figures))
    lines = [f"SHACL engines on the whole union graph ({triples:,} triples, local shapes): "
             "`python benchmarks/shacl_engines.py OUT`", "",
             "| engine | version | figures (seconds; conforms 1 = yes; results = count) |", "|---|---|---|"]
    lines += [f"| {name} | {version} | " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()) + " |"
              for name, version, figures in rows]
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
        totals = {name: sum(v for k, v in figures.items() if k in ("load + validate", "load", "validate"))
                  for name, _, figures in rows}  # loading the data and validating it, per engine
        args.markdown.with_suffix(".json").write_text(json.dumps(totals), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
