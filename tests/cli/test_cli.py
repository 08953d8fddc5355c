"""The xhim command, run as a user runs it: a subprocess, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SEEDS

XHIM = [sys.executable, "-m", "xhim.cli"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*XHIM, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["query"]])
def test_help_on_every_command(command: list[str]) -> None:
    done = run(*command, "--help")
    assert done.returncode == 0
    assert "Usage:" in done.stdout


def test_build_validate_and_query_on_the_seeds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("build", "--out", out)
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 5, "one progress line per document"
    assert "conforms" in done.stdout

    validated = run("validate", out / "xhim.ttl")
    assert validated.returncode == 0, validated.stdout
    assert "Conforms: yes" in validated.stdout

    listed = run("query", "--list")
    assert listed.returncode == 0
    assert "infections-cd40" in listed.stdout and "evidence" in listed.stdout

    answer = run("query", "infections-cd40", "--graph", out / "xhim.trig", "--format", "json")
    assert answer.returncode == 0, answer.stderr
    rows = json.loads(answer.stdout)
    assert rows and {"organism", "via", "documents"} <= set(rows[0])


def test_validate_reports_violations_with_exit_1(tmp_path: Path, seed_build) -> None:
    _, out = seed_build
    broken = tmp_path / "broken.ttl"
    text = (out / "xhim.ttl").read_text(encoding="utf-8")
    # a second English label on an entity
    broken.write_text(text + '\n<http://purl.obolibrary.org/obo/HP_0002090> <http://www.w3.org/2000/01/rdf-schema#label> "lung infection"@en .\n', encoding="utf-8")
    done = run("validate", broken)
    assert done.returncode == 1
    assert "EntityLabel" in done.stdout and "HP_0002090" in done.stdout


def test_validate_empty_graph_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    done = run("validate", empty)
    assert done.returncode == 2
    assert "empty" in done.stderr


def corpus_with(tmp_path: Path, name: str, data: bytes) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS[1:3]:
        shutil.copy(seed, corpus / seed.name)
    (corpus / name).write_bytes(data)
    return corpus


TRUNCATED_HTML = (CORPUS / SEEDS[0].name).read_bytes()[:20000]

BAD_INPUTS = {
    "empty": ("empty.txt", b"", "empty file"),
    "binary": ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    "truncated-html": ("page.txt", TRUNCATED_HTML, "truncated"),
    "not-utf8": ("latin1.txt", "Hyper-IgM syndrome caus\xe9 by CD40LG.\n".encode("latin-1"), "UTF-8"),
    "unknown-kind": ("notes.txt", b"Shopping list\n\nEggs, milk and bread.\n", "no reader recognises"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line_exit_2_and_nothing_written(tmp_path: Path, case: str) -> None:
    name, data, problem = BAD_INPUTS[case]
    corpus = corpus_with(tmp_path, name, data)
    out = tmp_path / "out"
    done = run("build", "--corpus", corpus, "--out", out, "--quiet")
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert name in lines[0] and problem in lines[0]
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_skip_unreadable_goes_on_and_lists_the_skipped(tmp_path: Path) -> None:
    corpus = corpus_with(tmp_path, "empty.txt", b"")
    (corpus / "notes.txt").write_bytes(b"Shopping list\n\nEggs.\n")
    out = tmp_path / "out"
    done = run("build", "--corpus", corpus, "--out", out, "--skip-unreadable", "--quiet")
    assert done.returncode in (0, 1), done.stderr
    receipt = json.loads((out / "build-receipt.json").read_text(encoding="utf-8"))
    skipped = {entry["file"]: entry["reason"] for entry in receipt["skipped"]}
    assert skipped == {"empty.txt": "empty file", "notes.txt": skipped["notes.txt"]}
    assert "no reader recognises" in skipped["notes.txt"]
    assert len(receipt["statements_per_document"]) == 2


def test_missing_corpus_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("build", "--corpus", tmp_path / "nowhere", "--out", out)
    assert done.returncode == 2
    assert "nowhere" in done.stderr and "not found" in done.stderr
    assert not out.exists()


def test_build_refuses_to_write_into_ontology(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = run("build", "--out", root / "ontology" / "out", "--quiet")
    assert done.returncode == 2
    assert not (root / "ontology" / "out").exists()


def test_unknown_query_name(tmp_path: Path) -> None:
    done = run("query", "no-such-query")
    assert done.returncode == 2
    assert "no-such-query" in done.stderr and "infections-cd40" in done.stderr
