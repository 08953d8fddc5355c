"""The digests of the files the HPO and annotation indexes are built from."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from extract.hpo import files_sha256


def test_files_sha256_is_the_digest_of_the_bytes_and_follows_a_changed_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XHIM_CACHE", str(tmp_path / "cache"))
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"one")
    second.write_bytes(b"two")
    assert files_sha256(first, second) == hashlib.sha256(b"onetwo").hexdigest()
    memo_file = tmp_path / "cache" / "file-digests.json"
    memo = json.loads(memo_file.read_text(encoding="utf-8"))
    assert list(memo.values()) == [hashlib.sha256(b"onetwo").hexdigest()]
    memo_file.write_text(json.dumps({key: "planted" for key in memo}), encoding="utf-8")
    assert files_sha256(first, second) == "planted"  # the remembered digest, not the files hashed again
    first.write_bytes(b"three")
    assert files_sha256(first, second) == hashlib.sha256(b"threetwo").hexdigest()
    stat = first.stat()
    first.write_bytes(b"tree!")  # same size: the modification time tells them apart
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert files_sha256(first, second) == hashlib.sha256(b"tree!two").hexdigest()
