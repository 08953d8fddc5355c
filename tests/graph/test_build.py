"""Build outputs: conformance, round trips, byte-identical rebuilds, receipt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from graph.build import OUTPUT_FILES, build, write_outputs
from tests.conftest import CORPUS


def test_seed_graph_conforms(seed_build) -> None:
    result, out = seed_build
    assert result.validation.conforms, result.validation.text
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUT_FILES, "store"])


def test_turtle_reloads_isomorphic(seed_build) -> None:
    result, out = seed_build
    assert isomorphic(Graph().parse(out / "xhim.ttl", format="turtle"), result.graph)


def test_ntriples_reloads_isomorphic(seed_build) -> None:
    result, out = seed_build
    assert isomorphic(Graph().parse(out / "xhim.nt", format="nt"), result.graph)


def test_trig_reloads_one_isomorphic_graph_per_document(seed_build) -> None:
    result, out = seed_build
    reloaded = Dataset().parse(out / "xhim.trig", format="trig")
    expected = {str(g.identifier): g for g in result.dataset.graphs() if len(g)}
    got = {str(g.identifier): g for g in reloaded.graphs() if len(g)}
    assert set(got) == set(expected)
    documents = [name for name in got if "/document/" in name]
    assert len(documents) == 5
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), name


def test_two_builds_are_byte_identical(seed_build, tmp_path: Path) -> None:
    _, first = seed_build
    write_outputs(build(CORPUS), tmp_path)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name


def test_receipt_records_inputs_curated_files_versions_and_counts(seed_build) -> None:
    _, out = seed_build
    receipt = json.loads((out / "build-receipt.json").read_text(encoding="utf-8"))
    assert len(receipt["inputs"]) == 5 and all(len(v) == 64 for v in receipt["inputs"].values())
    assert set(receipt["curated"]) == {"ontology/xhim.ttl", "ontology/lexicon.ttl", "ontology/shapes.ttl"}
    assert receipt["versions"]["rdflib"] and receipt["versions"]["pyshacl"]
    assert sum(receipt["statements_per_document"].values()) > 0
    for relation in ("caused_by", "has_gene_product", "physically_interacts_with", "expressed_in",
                     "has_phenotype", "treated_by", "has_mode_of_inheritance"):
        assert receipt["statements_per_relation"].get(relation, 0) > 0, relation


def test_extraction_cache_rereads_only_what_changed(tmp_path: Path) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    cache = tmp_path / "cache"
    first = build(corpus, cache_dir=cache)
    assert first.extracted == 5
    second = build(corpus, cache_dir=cache)
    assert second.extracted == 0
    assert second.statements == first.statements  # statements read back from the cache, evidence included
    assert [[s.evidence for s in v] for v in second.statements.values()] == [[s.evidence for s in v] for v in first.statements.values()]
    write_outputs(first, tmp_path / "a")
    write_outputs(second, tmp_path / "b")
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    edited = corpus / "004_8f4a83fb70d9ad0e.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nHIM is a rare primary immunodeficiency.\n", encoding="utf-8")
    assert build(corpus, cache_dir=cache).extracted == 1
    (pack,) = cache.glob("pack-*.bin")
    size = pack.stat().st_size
    pack.write_bytes((b"not a pickle" * (size // 12 + 1))[:size])  # damaged entries are misses, never errors
    assert build(corpus, cache_dir=cache).extracted == 5
    assert build(corpus, cache_dir=cache).extracted == 0  # and they were written again


def _quads(store_folder: Path) -> set[str]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(store_folder))
    return {str(quad) for quad in store}


def test_incremental_rebuild_replaces_only_changed_graphs_and_equals_a_full_build(tmp_path: Path) -> None:
    import shutil

    from graph.store import STATE_NAME, STORE_NAME

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    write_outputs(build(corpus, cache_dir=out / ".cache", store_folder=out / STORE_NAME), out)
    before = json.loads((out / STORE_NAME / STATE_NAME).read_text(encoding="utf-8"))
    edited = corpus / "001_129ee589b1147a97.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nHIM is associated with neutropenia.\n", encoding="utf-8")
    again = build(corpus, cache_dir=out / ".cache", store_folder=out / STORE_NAME)
    assert again.extracted == 1
    write_outputs(again, out)
    after = json.loads((out / STORE_NAME / STATE_NAME).read_text(encoding="utf-8"))
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert "https://w3id.org/xhim-kg/document/001_129ee589b1147a97" in changed
    assert len(changed) < len(after) - 2, changed  # the other documents' graphs were kept, not rewritten
    fresh = tmp_path / "fresh"
    write_outputs(build(corpus, store_folder=fresh / STORE_NAME), fresh)
    assert _quads(out / STORE_NAME) == _quads(fresh / STORE_NAME)
    for name in OUTPUT_FILES:
        if name != "build-receipt.json":
            assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_store_without_its_state_file_is_loaded_from_scratch(tmp_path: Path) -> None:
    from graph.store import STATE_NAME, STORE_NAME

    out = tmp_path / "out"
    write_outputs(build(store_folder=out / STORE_NAME), out)
    (out / STORE_NAME / STATE_NAME).unlink()
    write_outputs(build(store_folder=out / STORE_NAME), out)
    fresh = tmp_path / "fresh"
    write_outputs(build(), fresh)
    assert _quads(out / STORE_NAME) == _quads(fresh / STORE_NAME)
    assert (out / STORE_NAME / STATE_NAME).exists()


@pytest.mark.parametrize("failing", ["graph.build.rdf_files", "graph.build._whole_graph", "graph.build.write_atomic"])
def test_a_build_that_fails_midway_leaves_no_staged_store_and_keeps_the_previous_one(tmp_path: Path, monkeypatch, failing: str) -> None:
    from graph.store import STORE_NAME

    out = tmp_path / "out"
    write_outputs(build(cache_dir=out / ".cache", store_folder=out / STORE_NAME), out)
    before = _quads(out / STORE_NAME)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(failing, broken)
    with pytest.raises(RuntimeError, match="broken on purpose"):
        write_outputs(build(cache_dir=out / ".cache", store_folder=out / STORE_NAME), out)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(f".{STORE_NAME}")) == []
    assert _quads(out / STORE_NAME) == before


def _cache_index(cache: Path) -> tuple[str, dict[str, tuple[int, int]]]:
    """The pack file name and each entry's (offset, length), as the cache's index holds them."""
    from graph.cache import ExtractionCache

    pack_name, entries = ExtractionCache(cache, "")._read_index()  # the salt only shapes keys
    assert pack_name and entries
    return pack_name, entries


def test_a_cache_entry_with_one_byte_changed_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build(cache_dir=cache)
    pack_name, entries = _cache_index(cache)
    pack = bytearray((cache / pack_name).read_bytes())
    assert len(entries) == 5
    for offset, length in entries.values():
        pack[offset + length // 2] ^= 0x01  # inside the pickled outcome (often still a valid pickle)
    (cache / pack_name).write_bytes(bytes(pack))
    again = build(cache_dir=cache)
    assert again.extracted == first.extracted == 5
    assert again.rdf == first.rdf


def test_worker_processes_hand_back_unreadable_documents_and_stop_on_a_broken_lexicon(tmp_path: Path, monkeypatch) -> None:
    import os
    import shutil

    import graph.build as build_module
    from extract.errors import InputError
    from graph.build import Curated

    if (os.cpu_count() or 1) < 2:
        pytest.skip("worker processes are used only with two CPUs or more")
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 2)  # the seeds alone go through worker processes
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "zz-cut.html").write_text("<html><body><p>cut short", encoding="utf-8")
    result = build(corpus, skip_unreadable=True)  # the worker's error crosses back to this process intact
    assert [skipped["file"] for skipped in result.receipt["skipped"]] == ["zz-cut.html"]
    with pytest.raises(InputError, match="zz-cut.html"):
        build(corpus)
    broken = tmp_path / "lexicon.ttl"
    broken.write_text(Curated().lexicon.read_text(encoding="utf-8") + "\nnot Turtle ;;\n", encoding="utf-8")
    with pytest.raises(InputError, match="lexicon.ttl: not valid Turtle"):  # not a crashed worker pool
        build(corpus, curated=Curated(lexicon=broken), skip_unreadable=True)


def test_an_edit_among_many_cached_documents_goes_to_a_worker_and_equals_a_full_build(tmp_path: Path, monkeypatch) -> None:
    import concurrent.futures
    import os
    import shutil

    import graph.build as build_module

    if (os.cpu_count() or 1) < 2:
        pytest.skip("worker processes are used only with two CPUs or more")
    pools: list[int] = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pools.append(kwargs.get("max_workers", 0))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 2)  # four cached seeds count as many
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "out"
    write_outputs(build(corpus, cache_dir=out / ".cache"), out)
    edited = corpus / "002_c7c880e9d6c43709.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nHIM is associated with neutropenia.\n", encoding="utf-8")
    pools.clear()
    again = build(corpus, cache_dir=out / ".cache")
    assert again.extracted == 1 and pools == [1]  # one worker extracted it while this process read the cache
    write_outputs(again, out)
    fresh = tmp_path / "fresh"
    write_outputs(build(corpus), fresh)
    for name in OUTPUT_FILES:
        if name != "build-receipt.json":
            assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_the_cache_pack_is_compacted_when_it_holds_more_than_twice_what_a_build_uses(tmp_path: Path) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    cache = tmp_path / "cache"
    build(corpus, cache_dir=cache)
    (pack,) = cache.glob("pack-*.bin")
    used = pack.stat().st_size
    edited = corpus / "003_2beb57e503b35ebc.txt"
    text = edited.read_text(encoding="utf-8")
    sizes = []
    for round_ in range(10):  # each edit appends that document's entry again
        edited.write_text(f"{text}\nHIM is rare ({round_}).\n", encoding="utf-8")
        assert build(corpus, cache_dir=cache).extracted == 1
        (pack,) = cache.glob("pack-*.bin")  # one pack at a time
        sizes.append(pack.stat().st_size)
    assert max(sizes) <= 3 * used
    assert any(later < earlier for earlier, later in zip(sizes, sizes[1:]))  # it shrank: compacted
    assert build(corpus, cache_dir=cache).extracted == 0  # and every entry still reads back


def test_a_missing_lexicon_is_named_even_when_everything_else_is_cached(tmp_path: Path) -> None:
    from extract.errors import InputError
    from graph.build import Curated

    cache = tmp_path / "cache"
    build(cache_dir=cache)
    missing = tmp_path / "no-such-lexicon.ttl"
    with pytest.raises(InputError, match="no-such-lexicon.ttl: lexicon file not found"):
        build(cache_dir=cache, curated=Curated(lexicon=missing))


def test_a_cache_entry_is_used_only_for_the_document_it_was_written_for(tmp_path: Path) -> None:
    from graph.cache import ExtractionCache

    cache = tmp_path / "cache"
    first = build(cache_dir=cache)
    pack_name, entries = _cache_index(cache)
    places = list(entries.values())
    swapped = dict(zip(entries, places[1:] + places[:1]))  # every key points at another document's entry
    ExtractionCache(cache, "")._write_index(pack_name, swapped)
    assert _cache_index(cache) == (pack_name, swapped)  # the planted index is read as written
    again = build(cache_dir=cache)
    assert again.extracted == first.extracted == 5  # CRCs match, but the entries name other documents
    assert again.rdf == first.rdf
