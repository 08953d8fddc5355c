"""The embedded Oxigraph store: written by ``xhim build``, queried by ``xhim query --engine oxigraph``.

The store folder is built beside its final place and swapped in by rename, so a
reader never sees a half-written store.  A rebuild starts from a backup of the
previous store (RocksDB checkpoint: hard links, no copy) and replaces only the
named graphs whose content changed; ``xhim-graphs.json`` inside the folder
records a digest of every graph the store holds.  Without that file (or when
it cannot be read) the store is loaded from scratch.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from extract.errors import InputError
from graph.sinks import nquads_stream, with_graph

STORE_NAME = "store"
STATE_NAME = "xhim-graphs.json"


def stored_state(folder: Path) -> dict[str, str] | None:
    """The digest of every graph the store at ``folder`` holds, or None (no store, or no readable state file):
    :func:`stage_store` then loads every graph from scratch."""
    return _state(folder) if folder.is_dir() else None


def _state(folder: Path) -> dict[str, str] | None:
    try:
        state = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def stage_store(folder: Path, graphs: dict[str, bytes], state: dict[str, str], previous: dict[str, str] | None) -> Path:
    """A new store folder beside ``folder`` holding ``graphs`` (graph IRI -> N-Triples).

    ``previous`` is :func:`stored_state` of ``folder``: when it says which graphs
    the store there holds, the new one starts from a backup of it and only
    changed, added and removed graphs are written; when None, every graph is
    loaded.  The caller swaps it into place (:func:`swap_store`) or removes it.
    """
    import pyoxigraph

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        if previous is not None:
            staging.rmdir()  # backup() creates the folder itself
            source = pyoxigraph.Store.read_only(str(folder))
            source.backup(str(staging))
            del source
            store = pyoxigraph.Store(str(staging))
            changed = sorted(name for name in set(graphs) | set(previous) if previous.get(name) != state.get(name))
            for name in changed:
                if name in previous:
                    store.remove_graph(pyoxigraph.NamedNode(name))
            additions = b"".join(with_graph(graphs[name], name) for name in changed if name in graphs)
            if additions:
                store.bulk_load(additions, format=pyoxigraph.RdfFormat.N_QUADS)
        else:
            store = pyoxigraph.Store(str(staging))
            store.bulk_load(nquads_stream(graphs), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        return staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_store(staging: Path, folder: Path, state: dict[str, str] | None) -> None:
    """Record the graphs' digests in the staged store (if known), then rename it into place.

    Without a state the store holds no digest file, so the next build loads it from scratch.
    """
    try:
        if state is not None:
            (staging / STATE_NAME).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
        old = folder.with_name(f".{folder.name}.old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_store(nquads: bytes | BinaryIO, folder: Path, state: dict[str, str] | None = None) -> None:
    """(Re)create an on-disk Oxigraph store at ``folder`` holding the N-Quads."""
    import pyoxigraph

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        store = pyoxigraph.Store(str(staging))
        store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_store(staging, folder, state)


def open_store(path: Path):  # type: ignore[no-untyped-def]
    """A pyoxigraph Store over a store folder (read-only) or an RDF file (in memory)."""
    import pyoxigraph

    if not path.exists():
        raise InputError(path, "graph not found (run `xhim build` first?)")
    if path.is_dir():
        try:
            return pyoxigraph.Store.read_only(str(path))
        except OSError as err:
            raise InputError(path, f"not an Oxigraph store: {err}") from None
    formats = {".trig": pyoxigraph.RdfFormat.TRIG, ".ttl": pyoxigraph.RdfFormat.TURTLE,
               ".nt": pyoxigraph.RdfFormat.N_TRIPLES, ".nq": pyoxigraph.RdfFormat.N_QUADS}
    fmt = formats.get(path.suffix)
    if fmt is None:
        raise InputError(path, f"unknown RDF file extension {path.suffix!r} (use {', '.join(formats)} or a store folder)")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as err:
        raise InputError(path, f"not valid {path.suffix[1:]}: {err}") from None
    return store
