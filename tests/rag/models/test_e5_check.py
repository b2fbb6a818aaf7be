"""The sanity check a new build must pass, on hand-made embeddings (the real model: test_e5_real.py)."""

from __future__ import annotations

import numpy as np

from rag.models.e5_check import EXPECTED_DIMENSION, SANITY_MARGIN, SANITY_TRIPLES, embedding_problems


def faithful_embeddings() -> np.ndarray:
    """Per triple: the query, its related passage on the same axis (cosine 1), the unrelated one orthogonal (0)."""
    vectors = np.zeros((3 * len(SANITY_TRIPLES), EXPECTED_DIMENSION), dtype=np.float32)
    for i in range(len(SANITY_TRIPLES)):
        vectors[3 * i, 2 * i] = vectors[3 * i + 1, 2 * i] = vectors[3 * i + 2, 2 * i + 1] = 1.0
    return vectors


def test_embeddings_that_rank_the_related_passage_first_pass() -> None:
    assert embedding_problems(faithful_embeddings()) == []


def test_a_related_passage_not_clearly_ahead_is_named() -> None:
    vectors = faithful_embeddings()
    # Second triple (rows 3-5, query on axis 2): the unrelated passage moves to within the margin of the related one.
    unrelated_cosine = 1 - SANITY_MARGIN / 2
    vectors[5] = 0
    vectors[5, 2], vectors[5, 3] = unrelated_cosine, np.sqrt(1 - unrelated_cosine**2)

    problems = embedding_problems(vectors)

    assert len(problems) == 1
    assert problems[0].startswith(f"{SANITY_TRIPLES[1][0]!r}: cosine to {SANITY_TRIPLES[1][1]!r} is 1.000")


def test_embeddings_that_are_not_unit_length_are_reported() -> None:
    problems = embedding_problems(faithful_embeddings() * 2)

    assert problems == ["embeddings are not unit length (norms 2.0000..2.0000)"]


def test_embeddings_of_another_width_are_reported() -> None:
    problems = embedding_problems(np.ones((3 * len(SANITY_TRIPLES), 768), dtype=np.float32))

    assert problems == [f"embeddings have shape ({3 * len(SANITY_TRIPLES)}, 768), expected (n, 384)"]
