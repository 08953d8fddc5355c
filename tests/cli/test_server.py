"""A real Oxigraph server and `xhim serve`, started on free loopback ports."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.query import rows, run, saved_queries
from graph.serve import free_port, start_oxigraph
from rdflib import Dataset

XHIM = [sys.executable, "-m", "xhim.cli"]


def xhim(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*XHIM, *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture()
def oxigraph_server(tmp_path: Path):
    port = free_port()
    process = start_oxigraph(tmp_path / "server-store", port, read_only=False)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def normalised(table: list[dict[str, str]]) -> list[str]:
    # GROUP_CONCAT order is not defined by SPARQL: compare each cell's tokens as a sorted list
    return sorted(json.dumps({k: " ".join(sorted(v.split())) for k, v in row.items()}, sort_keys=True) for row in table)


def test_load_then_query_on_a_real_oxigraph_server(seed_build, oxigraph_server) -> None:
    _, out = seed_build
    loaded = xhim("load", "--endpoint", f"{oxigraph_server}/store", "--graph", out / "xhim.trig")
    assert loaded.returncode == 0, loaded.stderr
    assert "document/000_fbf8e6ea3cb4493c" in loaded.stdout
    local = Dataset(default_union=True).parse(out / "xhim.trig", format="trig")
    for name in ("infections-cd40", "antibody-levels", "conflicts"):
        query = next(q for q in saved_queries() if q.name == name)
        remote = xhim("query", name, "--endpoint", f"{oxigraph_server}/query", "--format", "json")
        assert remote.returncode == 0, remote.stderr
        names, table = rows(run(query, local))
        assert normalised(json.loads(remote.stdout)) == normalised([dict(zip(names, row)) for row in table]), name
    bound = xhim("query", "evidence", "--endpoint", f"{oxigraph_server}/query", "--bind", "subject=MONDO:0010626",
                 "--bind", "object=HGNC:11935", "--format", "json")
    assert bound.returncode == 0, bound.stderr
    assert {row["predicate"] for row in json.loads(bound.stdout)} == {"xhim:caused_by"}


def test_unreachable_endpoint_is_a_clear_error(tmp_path: Path, seed_build) -> None:
    _, out = seed_build
    done = xhim("load", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--graph", out / "xhim.trig")
    assert done.returncode == 2 and "cannot reach" in done.stderr and "Traceback" not in done.stderr


def get(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


@pytest.mark.parametrize(("accept", "kind"), [
    ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tab-separated"),
])
def test_serve_answers_by_content_negotiation(served, accept: str, kind: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT ?d WHERE { ?d a <https://w3id.org/xhim-kg/vocab/SourceDocument> }"})
    status, content_type, body = get(f"{served}/query?{query}", accept)
    assert status == 200 and kind in content_type
    assert b"000_fbf8e6ea3cb4493c" in body


def test_serve_refuses_updates_and_serves_the_page(served) -> None:
    request = urllib.request.Request(f"{served}/query", data=b"INSERT DATA { <a:b> <a:c> <a:d> }",
                                     headers={"Content-Type": "application/sparql-update"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    status, content_type, body = get(f"{served}/", "text/html")
    assert status == 200 and "text/html" in content_type
    for query in saved_queries():
        assert query.title.encode() in body
