"""The embedded Oxigraph store: written by ``xhim build``, queried by ``xhim query --engine oxigraph``.

The store folder is built beside its final place and swapped in by rename, so a
reader never sees a half-written store.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from extract.errors import InputError

STORE_NAME = "store"


def write_store(nquads: bytes, folder: Path) -> None:
    """(Re)create an on-disk Oxigraph store at ``folder`` holding the N-Quads."""
    import pyoxigraph

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        store = pyoxigraph.Store(str(staging))
        store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store
        old = folder.with_name(f".{folder.name}.old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
