"""A freshly built e5 folder must embed like multilingual-e5-small before it replaces the cached one."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.models.errors import ModelCheckError

# (query, related passage, unrelated passage): the related passage must score clearly higher.
# Calibrated on the faithful build (smallest gap 0.065) against deliberately broken builds (nibbles
# interleaved or halves swapped, square matrices transposed), which each miss the margin on several.
SANITY_TRIPLES = (
    ("query: 新增学位多少", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。", "passage: 优良天数达到244天。"),
    ("query: 空气质量优良天数", "passage: 优良天数达到244天。", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。"),
    ("query: 新建了几所学校", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。", "passage: 地区生产总值增长4.5%。"),
    ("query: 地区生产总值增长多少", "passage: 地区生产总值增长4.5%。", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。"),
    (
        "query: how many new school places were added",
        "passage: We built 19 primary schools, middle schools and kindergartens, adding 17,000 school places.",
        "passage: The number of days with good air quality reached 244.",
    ),
    (
        "query: how many days of good air quality",
        "passage: 优良天数达到244天。",
        "passage: 新建19处中小学、幼儿园，新增学位1.7万个。",
    ),
)
SANITY_MARGIN = 0.04  # e5 cosines crowd into 0.75-0.95, so gaps are small even when right
EXPECTED_DIMENSION = 384


def embedding_problems(vectors: np.ndarray) -> list[str]:
    """What is wrong with the embeddings of SANITY_TRIPLES (flattened, in order); empty if nothing."""
    if vectors.shape != (3 * len(SANITY_TRIPLES), EXPECTED_DIMENSION):
        return [f"embeddings have shape {vectors.shape}, expected (n, {EXPECTED_DIMENSION})"]
    problems = []
    norms = np.linalg.norm(vectors, axis=1)
    if not np.allclose(norms, 1.0, atol=1e-3):
        problems.append(f"embeddings are not unit length (norms {norms.min():.4f}..{norms.max():.4f})")
    for i, (query, related, _unrelated) in enumerate(SANITY_TRIPLES):
        q, near, far = vectors[3 * i : 3 * i + 3]
        if not float(q @ near) > float(q @ far) + SANITY_MARGIN:
            problems.append(
                f"{query!r}: cosine to {related!r} is {float(q @ near):.3f}, to the unrelated passage "
                f"{float(q @ far):.3f} (need a gap above {SANITY_MARGIN})"
            )
    return problems


def check_e5_small(path: Path) -> None:
    """Load the folder and raise ModelCheckError unless it embeds like multilingual-e5-small."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(path), device="cpu")
    texts = [text for triple in SANITY_TRIPLES for text in triple]
    problems = embedding_problems(model.encode(texts, convert_to_numpy=True, show_progress_bar=False))
    if problems:
        raise ModelCheckError(f"the e5 model in {path} fails its sanity check: " + "; ".join(problems))
