"""The extraction cache's pack file and index."""

from __future__ import annotations

from pathlib import Path

from graph.cache import ExtractionCache


def test_two_writers_keep_each_others_entries(seed_build, tmp_path: Path) -> None:
    result, _ = seed_build
    (a_name, a), (b_name, b) = list(result.outcomes.items())[:2]
    first = ExtractionCache(tmp_path, "salt")
    second = ExtractionCache(tmp_path, "salt")
    assert not first.has(a_name, a.record.sha256)  # the first writer has read the (empty) index
    second.put_many([(b_name, b.record.sha256, b)], [(b_name, b.record.sha256)])
    first.put_many([(a_name, a.record.sha256, a)], [(a_name, a.record.sha256), (b_name, b.record.sha256)])
    reader = ExtractionCache(tmp_path, "salt")
    hits = list(reader.get_many([(a_name, a.record.sha256), (b_name, b.record.sha256)]))
    assert [hit.record.file_name if hit else None for hit in hits] == [a_name, b_name]
    assert hits[0].ntriples == a.ntriples and hits[1].ntriples == b.ntriples


def test_a_vanished_pack_is_an_empty_cache_and_nothing_is_written_for_nothing(seed_build, tmp_path: Path) -> None:
    result, _ = seed_build
    name, outcome = next(iter(result.outcomes.items()))
    empty = ExtractionCache(tmp_path / "empty", "salt")
    empty.put_many([], [])  # no pack, nothing to add: no files
    assert not list((tmp_path / "empty").glob("pack-*.bin")) and not (tmp_path / "empty" / ExtractionCache.INDEX).exists()
    cache = ExtractionCache(tmp_path / "cache", "salt")
    cache.put_many([(name, outcome.record.sha256, outcome)], [(name, outcome.record.sha256)])
    (pack,) = (tmp_path / "cache").glob("pack-*.bin")
    pack.unlink()
    again = ExtractionCache(tmp_path / "cache", "salt")
    assert not again.has(name, outcome.record.sha256)
    again.put_many([(name, outcome.record.sha256, outcome)], [(name, outcome.record.sha256)])  # a new pack
    assert [hit is not None for hit in ExtractionCache(tmp_path / "cache", "salt").get_many([(name, outcome.record.sha256)])] == [True]
