"""Text similarity of action descriptions: TF-IDF cosine on word unigrams and bigrams, pure Python.

Tokens are lower-cased runs of letters and digits (accents kept) of at least three characters, minus
English and French stop words. Each text becomes a vector of term frequency x smoothed inverse
document frequency, ``idf = ln((1 + n) / (1 + df)) + 1`` over the texts compared, normalised to unit
length; the similarity of two texts is the dot product of their vectors (0 = nothing in common,
1 = the same words in the same proportions).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP_WORDS = frozenset({
    "the", "and", "for", "with", "from", "into", "that", "this", "these", "those", "their", "its", "are", "was",
    "were", "been", "has", "have", "had", "will", "not", "all", "any", "can", "our", "your", "they", "them",
    "more", "most", "such", "than", "then", "also", "both", "each", "other", "over", "under", "per", "les", "des",
    "une", "pour", "par", "dans", "sur", "avec", "aux", "ses", "leur", "leurs", "est", "sont", "qui", "que", "ont",
    "pas", "plus", "ces", "cette", "entre", "afin", "ainsi", "été", "être", "tout", "tous", "toute", "toutes",
})


def tokens(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in WORD.finditer(text)) if len(w) >= 3 and w not in STOP_WORDS]


def terms(text: str) -> Counter[str]:
    words = tokens(text)
    counted = Counter(words)
    counted.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return counted


def tfidf_vectors(texts: Mapping[int, str]) -> dict[int, dict[str, float]]:
    """Unit-length TF-IDF vectors of the texts, keyed like the input."""
    counted = {key: terms(text) for key, text in texts.items()}
    document_frequency: Counter[str] = Counter()
    for found in counted.values():
        document_frequency.update(found.keys())
    n = len(counted)
    idf = {term: math.log((1 + n) / (1 + df)) + 1.0 for term, df in document_frequency.items()}
    vectors: dict[int, dict[str, float]] = {}
    for key, found in counted.items():
        weights = {term: count * idf[term] for term, count in found.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors[key] = {term: w / norm for term, w in weights.items()} if norm else {}
    return vectors


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def most_similar(
    vectors: Mapping[int, Mapping[str, float]], pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    return {(a, b): cosine(vectors[a], vectors[b]) for a, b in pairs}
