"""Retrieve: rank passages of the sources as evidence for each claim (BM25 + dense).

Passages are windows of one and two consecutive source sentences (MiniCheck scores sentence
windows, not whole articles). BM25 proposes candidates; the MiniLM sentence encoder re-ranks the
candidates; the two rankings are fused by reciprocal rank. Only the candidates' sentences are
embedded, which keeps this stage near 0.15 s for a story with five long sources.
"""

from __future__ import annotations

import logging
import re

import numpy as np

from copydesk.document import Document, Passage, Text
from copydesk.errors import ModelMissingError
from copydesk.registry import stages
from copydesk.resources import Resources

log = logging.getLogger(__name__)

WINDOW_SENTENCES = (1, 2)
BM25_CANDIDATES = 8
_RRF_K = 20
_STOPWORDS = "en"


@stages.register("retrieve", requires=["claims"], assigns=["evidence"])
def retrieve_evidence(doc: Document, resources: Resources) -> None:
    """Attach the best source passages to every checkable claim in ``doc.evidence``."""
    passages = build_passages(doc.sources)
    claims = [(index, claim) for index, claim in enumerate(doc.claims) if claim.checkable]
    if not passages or not claims:
        return
    queries = [claim.text for _, claim in claims]
    lexical = bm25_rank(passages, queries, min(BM25_CANDIDATES, len(passages)))
    dense = dense_rank(passages, queries, lexical, resources, passage_pieces(passages, doc.sources))
    keep = resources.settings.passages_per_claim
    for (index, _), lexical_ranked, dense_ranked in zip(claims, lexical, dense, strict=True):
        fused: dict[int, float] = {}
        for ranking in (lexical_ranked, dense_ranked):
            for rank, passage_index in enumerate(ranking):
                fused[passage_index] = fused.get(passage_index, 0.0) + 1.0 / (_RRF_K + rank + 1)
        best = sorted(fused, key=fused.__getitem__, reverse=True)[:keep]
        doc.evidence[index] = [_scored(passages[i], fused[i]) for i in best]


def build_passages(sources: list[Text]) -> list[Passage]:
    """Windows of consecutive sentences of every source."""
    passages = []
    for source in sources:
        sentences = source.sentences
        for size in WINDOW_SENTENCES:
            for first in range(0, max(len(sentences) - size + 1, 0)):
                start, end = sentences[first].start, sentences[first + size - 1].end
                passages.append(Passage(source.name, start, end, source.text[start:end]))
    return passages


def bm25_rank(passages: list[Passage], queries: list[str], k: int) -> list[list[int]]:
    """For each query, the indices of the ``k`` best passages by BM25."""
    import bm25s

    corpus = bm25s.tokenize([_plain(p.text) for p in passages], stopwords=_STOPWORDS, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    tokenized = bm25s.tokenize([_plain(q) for q in queries], stopwords=_STOPWORDS, show_progress=False)
    if not tokenized.vocab:
        return [list(range(k)) for _ in queries]
    results, scores = retriever.retrieve(tokenized, k=k, show_progress=False, n_threads=1)
    return [
        [int(i) for i, s in zip(row, row_scores, strict=True) if s > 0]
        for row, row_scores in zip(results, scores, strict=True)
    ]


def dense_rank(
    passages: list[Passage],
    queries: list[str],
    lexical: list[list[int]],
    resources: Resources,
    pieces: list[list[str]] | None = None,
) -> list[list[int]]:
    """Re-rank each query's BM25 candidates (plus the passages BM25 found for no query) by cosine.

    Only sentences are embedded: a two-sentence window is the normalised mean of its sentences'
    vectors, which halves the encoder's work (the bulk of a check's time) for a close ranking.
    """
    encoder = _encoder(resources)
    if encoder is None:
        return [[] for _ in queries]
    pool = sorted({i for ranked in lexical for i in ranked})
    if not pool or (len(pool) < len(passages) and len(passages) <= 4 * BM25_CANDIDATES):
        # few passages, or claims sharing no word with the sources (a paraphrase): rank them all
        pool = list(range(len(passages)))
    pieces = pieces or [[p.text] for p in passages]
    texts = list(dict.fromkeys(text for i in pool for text in pieces[i]))
    # No cache across stories: the int8 encoder quantises each batch as a whole, so a text's vector
    # depends on its batch-mates, and a report must not depend on what was checked before it.
    vectors = encoder.encode(texts + queries)  # type: ignore[attr-defined]
    index = {text: row for row, text in enumerate(texts)}
    query_vectors = vectors[len(texts) :]
    passage_vectors = np.stack([_unit(vectors[[index[t] for t in pieces[i]]].mean(axis=0)) for i in pool])
    similarity = query_vectors @ passage_vectors.T
    ranked = []
    for row in similarity:
        order = np.argsort(-row)[:BM25_CANDIDATES]
        ranked.append([pool[j] for j in order])
    return ranked


def passage_pieces(passages: list[Passage], sources: list[Text]) -> list[list[str]]:
    """The texts of the source sentences each passage is made of."""
    by_source = {source.name: source for source in sources}
    pieces = []
    for passage in passages:
        sentences = by_source[passage.source_id].sentences
        inside = [s.text for s in sentences if passage.start <= s.start and s.end <= passage.end]
        pieces.append(inside or [passage.text])
    return pieces


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _encoder(resources: Resources) -> object | None:
    try:
        return resources.encoder
    except ModelMissingError as exc:
        warned = resources.shared("warnings", set)
        if "dense retrieval" not in warned:
            warned.add("dense retrieval")
            log.warning("dense retrieval off: %s", exc)
        return None


def _plain(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", text.lower())


def _scored(passage: Passage, score: float) -> Passage:
    return Passage(passage.source_id, passage.start, passage.end, passage.text, round(score, 4))
