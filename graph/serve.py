"""``xhim serve``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1 with a query page.

The SPARQL work is done by the Oxigraph server (the ``oxigraph`` package on
PyPI), started read-only over the store with the union default graph and a
query timeout, on an internal loopback port.  In front of it, a small HTTP
server answers ``/`` with a page to write and run queries (the saved queries
one click away) and forwards ``/query`` with its Accept header, so content
negotiation (SPARQL JSON, XML, CSV, TSV) is Oxigraph's; updates are refused
and answers larger than a bound are cut off with an error.
"""

from __future__ import annotations

import html
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from extract.errors import InputError
from graph.query import saved_queries

MAX_RESULT_BYTES = 20 * 1024 * 1024
QUERY_TIMEOUT_S = 30


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The oxigraph server executable installed with the project."""
    candidate = Path(sys.executable).with_name("oxigraph")
    found = str(candidate) if candidate.exists() else shutil.which("oxigraph")
    if not found:
        raise InputError("oxigraph", "the Oxigraph server is not installed (pip install oxigraph)")
    return found


def wait_until_up(url: str, process: subprocess.Popen[bytes] | None = None, seconds: float = 30) -> None:
    """Poll ``url`` until it answers (or the process dies, or time runs out)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise InputError(url, f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise InputError(url, f"server did not answer within {seconds:.0f} s")


def start_oxigraph(store: Path, port: int, read_only: bool = True) -> subprocess.Popen[bytes]:
    """Start the Oxigraph server over ``store`` on 127.0.0.1:``port``."""
    command = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--location", str(store),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(QUERY_TIMEOUT_S)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    wait_until_up(f"http://127.0.0.1:{port}/query?{ask}", process)
    return process


def page() -> bytes:
    """The query page: a text area, a Run button and the saved queries one click away."""
    queries = {q.name: {"title": q.title, "text": q.text} for q in saved_queries()}
    buttons = "\n".join(
        f'<li><button type="button" class="saved" data-name="{html.escape(name)}">{html.escape(q["title"])}</button></li>'
        for name, q in queries.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>xhim-kg SPARQL</title>
<style>body{{font-family:sans-serif;margin:1.5em;display:flex;gap:1.5em}} nav{{min-width:18em}}
textarea{{width:100%;height:18em;font-family:monospace}} table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:.2em .5em;font-size:.9em}} main{{flex:1;min-width:0}} ul{{padding-left:1em}} textarea{{box-sizing:border-box}}</style></head>
<body><nav><h2>Saved queries</h2><ul>{buttons}</ul></nav>
<main><h1>xhim-kg SPARQL endpoint</h1><p>Read-only; the default graph is the union of all named graphs. Endpoint: <code>/query</code>.</p>
<textarea id="query">SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10</textarea><br>
<button type="button" id="run">Run</button> <span id="status"></span>
<div id="results"></div></main>
<script>
const SAVED = {json.dumps(queries)};
document.querySelectorAll("button.saved").forEach(b => b.addEventListener("click", () => {{
  document.getElementById("query").value = SAVED[b.dataset.name].text; run(); }}));
document.getElementById("run").addEventListener("click", run);
async function run() {{
  const status = document.getElementById("status"); status.textContent = "running...";
  const response = await fetch("/query", {{method: "POST", headers: {{"Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/sparql-results+json"}}, body: new URLSearchParams({{query: document.getElementById("query").value}})}});
  if (!response.ok) {{ status.textContent = "error " + response.status + ": " + await response.text(); return; }}
  const data = await response.json(); const vars = data.head.vars; const rows = data.results.bindings;
  let out = "<table id='answer'><tr>" + vars.map(v => "<th>" + v + "</th>").join("") + "</tr>";
  for (const row of rows) out += "<tr>" + vars.map(v => "<td>" + (row[v] ? escape(row[v].value) : "") + "</td>").join("") + "</tr>";
  document.getElementById("results").innerHTML = out + "</table>"; status.textContent = rows.length + " rows";
}}
const wanted = new URLSearchParams(location.search).get("run");
if (wanted && SAVED[wanted]) {{ document.getElementById("query").value = SAVED[wanted].text; run(); }}
function escape(t) {{ return t.replace(/[&<>]/g, c => ({{"&":"&amp;","<":"&lt;",">":"&gt;"}})[c]); }}
</script></body></html>""".encode("utf-8")


def make_handler(backend: str):  # type: ignore[no-untyped-def]
    """A request handler class forwarding /query to ``backend`` (the Oxigraph server's base URL)."""
    body_page = page()

    class Handler(BaseHTTPRequestHandler):
        server_version = "xhim-kg"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature of the base class)
            return

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            path = urllib.parse.urlsplit(self.path)
            if path.path in ("/", "/index.html"):
                self._send(200, body_page, "text/html; charset=utf-8")
            elif path.path == "/query":
                self._forward("GET", f"{backend}/query?{path.query}", None, None)
            else:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")

        def do_POST(self) -> None:  # noqa: N802
            path = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            content_type = self.headers.get("Content-Type", "")
            is_update = content_type.startswith("application/sparql-update") or (
                content_type.startswith("application/x-www-form-urlencoded") and "update" in urllib.parse.parse_qs(data.decode("utf-8", "replace"))
            )
            if path.path != "/query" or is_update:
                self._send(403, b"this endpoint is read-only: updates are refused\n", "text/plain; charset=utf-8")
                return
            self._forward("POST", f"{backend}/query", data, content_type)

        def do_PUT(self) -> None:  # noqa: N802
            self._send(403, b"this endpoint is read-only\n", "text/plain; charset=utf-8")

        do_DELETE = do_PUT  # noqa: N815

        def _forward(self, method: str, url: str, data: bytes | None, content_type: str | None) -> None:
            headers = {"Accept": self.headers.get("Accept") or "application/sparql-results+json"}
            if content_type:
                headers["Content-Type"] = content_type
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=QUERY_TIMEOUT_S + 5) as response:  # noqa: S310 (loopback)
                    body = response.read(MAX_RESULT_BYTES + 1)
                    if len(body) > MAX_RESULT_BYTES:
                        self._send(413, b"answer larger than the server's bound; add a LIMIT\n", "text/plain; charset=utf-8")
                        return
                    self._send(response.status, body, response.headers.get("Content-Type", "application/octet-stream"))
            except urllib.error.HTTPError as err:
                self._send(err.code, err.read(), err.headers.get("Content-Type", "text/plain; charset=utf-8"))
            except (urllib.error.URLError, TimeoutError) as err:
                self._send(504, f"query failed or timed out: {err}\n".encode(), "text/plain; charset=utf-8")

    return Handler


def serve(graph: Path, port: int) -> None:
    """Serve ``graph`` (a store folder or an RDF file) until interrupted."""
    from graph.store import open_store, write_store

    work: Path | None = None
    if graph.is_dir():
        store = graph
        open_store(store)  # fail early, with the folder named, if it is not a store (the handle is dropped at once)
    else:
        import pyoxigraph

        work = Path(tempfile.mkdtemp(prefix="xhim-serve-"))
        memory = open_store(graph)
        store = work / "store"
        write_store(memory.dump(format=pyoxigraph.RdfFormat.N_QUADS), store)
    backend_port = free_port()
    process = start_oxigraph(store, backend_port)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(f"http://127.0.0.1:{backend_port}"))
    print(f"xhim serve: http://127.0.0.1:{port}/ (SPARQL endpoint /query, read-only)", flush=True)

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        process.terminate()
        process.wait(timeout=10)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
