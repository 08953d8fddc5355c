"""Conflict detection pairs statements through an index: it must find the pairs testing every pair finds."""

from __future__ import annotations

import random
from itertools import combinations

from graph.conflicts import _related_pairs


def test_related_pairs_are_those_of_the_pairwise_test() -> None:
    generator = random.Random(3)
    for _ in range(200):
        diseases = [f"MONDO:{n}" for n in range(generator.randint(1, 8))]
        parents = {(generator.choice(diseases), generator.choice(diseases)) for _ in range(generator.randint(0, 5))}
        subjects = [generator.choice(diseases) for _ in range(generator.randint(0, 30))]
        expected = [(i, j) for i, j in combinations(range(len(subjects)), 2)
                    if subjects[i] == subjects[j] or (subjects[i], subjects[j]) in parents or (subjects[j], subjects[i]) in parents]
        assert _related_pairs(parents, subjects) == expected
