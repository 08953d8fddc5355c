"""The ``xhim`` command: thin commands over the library functions.

Exit codes (as pySHACL): 0 success / conforms, 1 SHACL violations,
2 unusable input (one line naming the file and the problem, nothing written).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from extract.errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("output")


def _fail(message: str) -> None:
    click.echo(f"xhim: error: {message}", err=True)
    sys.exit(2)


def input_errors(func: F) -> F:
    """Turn the errors we can explain into one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from graph.validate import EmptyGraphError

        try:
            return func(*args, **kwargs)
        except InputError as err:
            _fail(str(err))
        except EmptyGraphError as err:
            _fail(str(err))

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xhim-kg")
def main() -> None:
    """xhim-kg: a knowledge graph of X-linked hyper-IgM syndrome built from documents."""


@main.command()
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help="Folder of documents (default: the bundled corpus/).")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True, help="Output folder.")
@click.option("--skip-unreadable", is_flag=True, help="Skip documents that cannot be read and list them in the receipt.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--timings", is_flag=True, help="Print the seconds each stage took (JSON, on standard error).")
@click.option("--no-cache", is_flag=True, help="Re-extract every document (ignore OUT/.cache).")
@click.option("--shacl-engine", type=click.Choice(["auto", "pyshacl", "turbo"]), default="auto", show_default=True,
              help="pyshacl-turbo (auto: when installed; several times faster) or pySHACL (the reference; "
                   "tests assert both give the same results).")
@input_errors
def build(corpus: Path | None, out: Path, skip_unreadable: bool, quiet: bool, timings: bool, no_cache: bool, shacl_engine: str) -> None:
    """Read every document, extract statements, assemble, validate and write the graph.

    Writes xhim.ttl, xhim.trig, xhim.nt, validation-report.txt/.ttl and
    build-receipt.json into OUT.  Exit 0 when the graph conforms, 1 on SHACL
    violations (files still written), 2 on unusable input (nothing written).
    """
    from graph.build import DEFAULT_CORPUS, ONTOLOGY, build as run_build, main_progress, write_outputs
    from graph.store import STORE_NAME

    if out.resolve().is_relative_to(ONTOLOGY.resolve()):
        raise InputError(out, "refusing to write build output into ontology/ (curated files only)")
    source = corpus if corpus is not None else DEFAULT_CORPUS
    bar = None
    if quiet:
        progress = lambda line: None  # noqa: E731
    elif sys.stderr.isatty() and source.is_dir() and sum(1 for _ in source.iterdir()) > 20:
        from tqdm import tqdm  # a bar with rate and ETA on a terminal; one line per document otherwise

        bar = tqdm(total=sum(1 for p in source.iterdir() if p.is_file()), unit="doc", file=sys.stderr)
        progress = lambda line: bar.update(1)  # noqa: E731
    else:
        progress = main_progress
    try:
        result = run_build(source, skip_unreadable=skip_unreadable, progress=progress,
                           cache_dir=None if no_cache else out / ".cache" / "documents",
                           shacl_engine=None if shacl_engine == "auto" else shacl_engine, store_folder=out / STORE_NAME)
    finally:
        if bar is not None:
            bar.close()
    write_outputs(result, out)
    if timings:
        import json

        click.echo(json.dumps({**{k: round(v, 3) for k, v in result.timings.items()}, "extracted": result.extracted}), err=True)
    receipt = result.receipt
    click.echo(
        f"built {receipt['triples']} triples, {receipt['distinct_statements']} statements from "
        f"{len(receipt['statements_per_document'])} documents into {out}/"  # type: ignore[arg-type]
    )
    click.echo(f"validation: {'conforms' if result.validation.conforms else 'VIOLATIONS'} ({len(result.validation.results)} results)")
    if not result.validation.conforms:
        click.echo(result.validation.text, err=True)
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "ttl"]), default="text", show_default=True, help="Readable text or the standard SHACL report in Turtle.")
@click.option("--engine", type=click.Choice(["pyshacl", "turbo"]), default="pyshacl", show_default=True)
@input_errors
def validate(file: Path, fmt: str, engine: str) -> None:
    """SHACL-validate a Turtle/TriG FILE against ontology/shapes.ttl (union of all graphs).

    Exit 0 conforms, 1 violations, 2 unusable input or an empty graph.
    """
    from graph.assemble import union
    from graph.build import Curated, parse_curated
    from graph.query import load_graph
    from graph.sinks import turtle_bytes
    from graph.validate import load_shapes, validate as run_validate

    dataset = load_graph(file)
    curated = Curated()
    outcome = run_validate(union(dataset), load_shapes(curated.shapes), parse_curated(curated.vocabulary), engine)
    if fmt == "ttl":
        click.echo(turtle_bytes(outcome.report).decode("utf-8"), nl=False)
    else:
        click.echo(outcome.text, nl=False)
    sys.exit(0 if outcome.conforms else 1)


@main.command()
@click.argument("name", required=False)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=None,
              help="RDF file or Oxigraph store folder (default: output/store for oxigraph, output/xhim.trig for rdflib).")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("--endpoint", default=None, help="Run on a SPARQL 1.1 endpoint URL instead of a local graph.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--list", "list_", is_flag=True, help="List the saved queries with their titles.")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter (CURIE, IRI or literal).")
@click.option("--inferred", type=click.Path(path_type=Path), default=None, help="Also load the inferred graph written by `xhim reason`.")
@input_errors
def query(
    name: str | None, graph_path: Path | None, engine: str, endpoint: str | None, fmt: str, list_: bool,
    binds: tuple[str, ...], inferred: Path | None,
) -> None:
    """Run a saved query NAME (file stem in queries/) or a query FILE.rq against the built graph."""
    from graph.query import load_graph, render, resolve, rows, run, run_oxigraph, saved_queries

    if list_:
        for saved in saved_queries():
            click.echo(f"{saved.name:18} {saved.title}")
        return
    if name is None:
        raise click.UsageError("give a query NAME or FILE.rq, or --list")
    saved = resolve(name)
    bindings = {}
    for bind in binds:
        key, sep, value = bind.partition("=")
        if not sep:
            raise InputError(bind, "a --bind must look like NAME=VALUE")
        bindings[key] = value
    if inferred is not None and not inferred.exists():
        raise InputError(inferred, "inferred graph not found (run `xhim reason` first)")
    if endpoint is not None:
        from graph.remote import query_endpoint

        table = query_endpoint(endpoint, saved, bindings)
    elif engine == "oxigraph":
        from graph.store import open_store

        store = open_store(graph_path or DEFAULT_OUT / "store")
        if inferred is not None:
            import pyoxigraph

            store.bulk_load(path=str(inferred), format=pyoxigraph.RdfFormat.TURTLE,
                            to_graph=pyoxigraph.NamedNode("https://w3id.org/xhim-kg/graph/inferred"))
        table = run_oxigraph(saved, store, bindings)
    else:
        dataset = load_graph(graph_path or DEFAULT_OUT / "xhim.trig")
        if inferred is not None:
            from graph.owl import INFERRED_GRAPH

            dataset.graph(INFERRED_GRAPH).parse(inferred, format="turtle")
        table = rows(run(saved, dataset, bindings))
    click.echo(render(table, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "trig", "nt", "nq", "jsonld", "kgx", "sparql-examples", "owl"]), required=True)
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_OUT / "xhim.trig", show_default=True, help="Built graph (TriG) to export.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT / "export", show_default=True)
@input_errors
def export(fmt: str, graph_path: Path, out: Path) -> None:
    """Export the graph (or the ontology, or the saved queries) for other tools.

    ttl, trig, nt, nq, jsonld: the graph; kgx: nodes.tsv and edges.tsv (Biolink);
    sparql-examples: the saved queries as sh:SPARQLExecutable Turtle; owl: ontology
    plus entities as RDF/XML and Turtle.
    """
    from graph.build import ONTOLOGY, Curated, parse_curated
    from graph.export import export as run_export
    from graph.query import load_graph
    from graph.sinks import write_atomic

    if out.resolve().is_relative_to(ONTOLOGY.resolve()):
        raise InputError(out, "refusing to write into ontology/ (curated files only)")
    curated = Curated()
    needs_graph = fmt not in ("owl", "sparql-examples")
    from rdflib import Dataset

    dataset = load_graph(graph_path) if needs_graph else Dataset()
    files = run_export(fmt, dataset, parse_curated(curated.vocabulary), parse_curated(curated.lexicon))
    for file_name, data in sorted(files.items()):
        write_atomic(out / file_name, data)
        click.echo(str(out / file_name))


@main.command()
@click.option("--corpus", type=click.Path(path_type=Path), default=None, help="Documents (default: the bundled corpus/).")
@click.option("--gold", type=click.Path(path_type=Path), default=None, help="Folder of <file name>.tsv gold files (default: tests/gold/).")
@click.option("--verbose", "-v", is_flag=True, help="List missed and spurious statements.")
@input_errors
def evaluate(corpus: Path | None, gold: Path | None, verbose: bool) -> None:
    """Precision and recall of extraction against hand-annotated gold statements, per document and relation."""
    from extract.evaluate import evaluate_folder, report
    from extract.lexicon import load_lexicon
    from graph.build import DEFAULT_CORPUS, ROOT, Curated, corpus_files

    files = corpus_files(corpus if corpus is not None else DEFAULT_CORPUS)
    from extract.hpo import HpoIndex

    from extract.annotations import AnnotationIndex

    lexicon = load_lexicon(Curated().lexicon, HpoIndex.load(), AnnotationIndex.load())
    results = evaluate_folder(files, gold if gold is not None else ROOT / "tests" / "gold", lexicon)
    if not results:
        raise InputError(gold or "tests/gold", "no gold file matches a document of the corpus")
    click.echo(report(results, verbose), nl=False)


@main.command()
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_OUT / "store", show_default=True,
              help="An Oxigraph store folder written by `xhim build`, or an RDF file.")
@click.option("--port", type=int, default=7878, show_default=True)
@input_errors
def serve(graph_path: Path, port: int) -> None:
    """Serve the graph read-only as a SPARQL 1.1 endpoint on 127.0.0.1:PORT/query, with a query page at /."""
    from graph.serve import serve as run_serve

    run_serve(graph_path, port)


@main.command()
@click.option("--endpoint", required=True, help="SPARQL 1.1 Graph Store Protocol URL (Oxigraph: http://host:7878/store).")
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_OUT / "xhim.trig", show_default=True)
@input_errors
def load(endpoint: str, graph_path: Path) -> None:
    """Push every named graph to a Graph Store Protocol endpoint (each graph replaced by PUT)."""
    from graph.query import load_graph
    from graph.remote import load as run_load

    for iri, triples in run_load(load_graph(graph_path), endpoint):
        click.echo(f"{iri}: {triples} triples")


@main.group()
def ontology() -> None:
    """Work on the curated ontology (ontology/): checks for curators."""


@ontology.command("check")
@input_errors
def ontology_check() -> None:
    """Load vocabulary + lexicon with owlready2, run HermiT, report problems.

    Reports inconsistency, unsatisfiable classes (with the axioms involved) and
    terms without an English label, a definition or a Biolink mapping.  Exit 1
    on any of them, 0 when clean.
    """
    from graph.build import Curated, parse_curated
    from graph.owl import check

    curated = Curated()
    report = check(parse_curated(curated.vocabulary), parse_curated(curated.lexicon))
    click.echo(report.text(), nl=False)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--graph", "graph_path", type=click.Path(path_type=Path), default=DEFAULT_OUT / "xhim.trig", show_default=True, help="Built graph to reason over.")
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True, help="Folder for inferred.ttl.")
@input_errors
def reason(graph_path: Path, out: Path) -> None:
    """Materialise what HermiT infers into OUT/inferred.ttl (a separate graph; curated files untouched).

    Query with or without it: `xhim query NAME --inferred OUT/inferred.ttl`.
    """
    from graph.assemble import union
    from graph.build import ONTOLOGY, Curated, parse_curated
    from graph.owl import reason as run_reason
    from graph.query import load_graph
    from graph.sinks import turtle_bytes, write_atomic

    if out.resolve().is_relative_to(ONTOLOGY.resolve()):
        raise InputError(out, "refusing to write into ontology/ (curated files only)")
    curated = Curated()
    data = union(load_graph(graph_path))
    inferred = run_reason(parse_curated(curated.vocabulary), parse_curated(curated.lexicon), data)
    header = (
        "# INFERRED by HermiT (xhim reason) from ontology/xhim.ttl, ontology/lexicon.ttl and "
        f"{graph_path.name}.\n# Not curated, not extracted: regenerate, do not edit.\n"
    ).encode("utf-8")
    write_atomic(out / "inferred.ttl", header + turtle_bytes(inferred))
    click.echo(f"{len(inferred)} inferred triples written to {out / 'inferred.ttl'}")


if __name__ == "__main__":
    main()
