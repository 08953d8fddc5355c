"""Precision and recall of extraction against hand-annotated gold statements.

A gold file is a TSV (subject, predicate, object, qualifiers, note) written by
reading the document.  A statement matches a gold row when subject, predicate,
object and the key qualifiers (negated, direction) agree; other qualifiers
(frequency, dose, schedule, purpose, status, via, share) are scored
separately as qualifier accuracy over matched rows.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError
from extract.lexicon import Lexicon
from extract.model import Statement, Value
from extract.readers import read_document
from extract.rules import extract_statements

KEY_QUALIFIERS = ("negated", "direction")
Key = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class GoldRow:
    """One expected statement."""

    key: Key
    qualifiers: dict[str, str]


@dataclass
class Score:
    """Counts behind precision and recall."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    qualifier_checked: int = 0
    qualifier_right: int = 0
    missed: list[Key] = field(default_factory=list)
    spurious: list[Key] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matched predictions over all predictions (1.0 when nothing was predicted)."""
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Matched gold rows over all gold rows (1.0 when the gold is empty)."""
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    def add(self, other: Score) -> None:
        """Accumulate another score."""
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative
        self.qualifier_checked += other.qualifier_checked
        self.qualifier_right += other.qualifier_right


def _key(subject: str, predicate: str, obj: str, qualifiers: dict[str, str]) -> Key:
    return (subject, predicate, obj, qualifiers.get("negated", ""), qualifiers.get("direction", ""))


def read_gold(path: Path) -> list[GoldRow]:
    """The rows of a gold TSV file."""
    rows = []
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            for line, record in enumerate(csv.DictReader(stream, delimiter="\t"), start=2):
                if not record.get("subject") or not record.get("predicate") or record.get("object") is None:
                    raise InputError(path, "a gold row needs subject, predicate and object", line)
                qualifiers = dict(
                    part.split("=", 1) for part in (record.get("qualifiers") or "").split(";") if "=" in part
                )
                rows.append(GoldRow(_key(record["subject"], record["predicate"], record["object"], qualifiers), qualifiers))
    except FileNotFoundError:
        raise InputError(path, "gold file not found") from None
    return rows


def _statement_key(statement: Statement) -> Key:
    obj = statement.object.text if isinstance(statement.object, Value) else statement.object
    return _key(statement.subject, statement.predicate, obj, dict(statement.qualifiers))


def score(statements: list[Statement], gold: list[GoldRow]) -> dict[str, Score]:
    """Scores per relation (and '*' for all) of predicted statements against gold rows."""
    predicted: dict[Key, list[Statement]] = defaultdict(list)
    for statement in statements:
        predicted[_statement_key(statement)].append(statement)
    expected = {row.key: row for row in gold}
    scores: dict[str, Score] = defaultdict(Score)
    for key in set(predicted) | set(expected):
        relation = key[1]
        for bucket in (scores[relation], scores["*"]):
            if key in predicted and key in expected:
                bucket.true_positive += 1
            elif key in predicted:
                bucket.false_positive += 1
                bucket.spurious.append(key)
            else:
                bucket.false_negative += 1
                bucket.missed.append(key)
        if key in predicted and key in expected:
            wanted = {k: v for k, v in expected[key].qualifiers.items() if k not in KEY_QUALIFIERS}
            if wanted:
                got = [dict(s.qualifiers) for s in predicted[key]]
                right = any(all(_same(q.get(k), v) for k, v in wanted.items()) for q in got)
                for bucket in (scores[relation], scores["*"]):
                    bucket.qualifier_checked += 1
                    bucket.qualifier_right += int(right)
    return dict(scores)


def _same(got: str | None, wanted: str) -> bool:
    if got is None:
        return False
    try:
        return float(got) == float(wanted)
    except ValueError:
        return got.strip().lower() == wanted.strip().lower()


def evaluate_folder(documents: list[Path], gold_folder: Path, lexicon: Lexicon) -> dict[str, dict[str, Score]]:
    """Scores per document (file name) and per relation; documents without a gold file are skipped."""
    results: dict[str, dict[str, Score]] = {}
    for path in documents:
        gold_path = gold_folder / f"{path.name}.tsv"
        if not gold_path.exists():
            continue
        statements = extract_statements(read_document(path), lexicon)
        results[path.name] = score(statements, read_gold(gold_path))
    return results


def report(results: dict[str, dict[str, Score]], verbose: bool = False) -> str:
    """A table of precision and recall per document, per relation and overall."""
    lines = [f"{'document':34} {'P':>6} {'R':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'qualifiers':>10}"]
    total = Score()
    per_relation: dict[str, Score] = defaultdict(Score)
    for name, scores in sorted(results.items()):
        overall = scores.get("*", Score())
        total.add(overall)
        for relation, value in scores.items():
            if relation != "*":
                per_relation[relation].add(value)
        lines.append(_row(name, overall))
        if verbose:
            lines += [f"    missed   {k}" for k in sorted(overall.missed)]
            lines += [f"    spurious {k}" for k in sorted(overall.spurious)]
    lines.append(_row("ALL", total))
    lines.append("")
    lines.append(f"{'relation':34} {'P':>6} {'R':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'qualifiers':>10}")
    for relation, value in sorted(per_relation.items()):
        lines.append(_row(relation, value))
    return "\n".join(lines) + "\n"


def _row(name: str, value: Score) -> str:
    qualifiers = f"{value.qualifier_right}/{value.qualifier_checked}" if value.qualifier_checked else "-"
    return (
        f"{name:34} {value.precision:6.2f} {value.recall:6.2f} {value.true_positive:4d} "
        f"{value.false_positive:4d} {value.false_negative:4d} {qualifiers:>10}"
    )
