"""Support: how strongly the retrieved evidence entails each claim (a pipeline stage).

For each checkable claim the shipped cross-encoder scores (passage, claim) pairs -- identical
pairs once, and a claim's other passages only when its best-ranked one does not settle it -- and,
as MiniCheck does, the claim's support is the maximum over its passages. The stage writes
``doc.support[i]`` and moves the most supporting passage to the front of ``doc.evidence[i]``; the
``entailment`` checker and the decide stage read them. It runs only when the ``entailment``
checker is enabled.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from copydesk.document import Document, Mention, Passage
from copydesk.errors import ModelMissingError
from copydesk.lexicon.names import same_person
from copydesk.lexicon.places import PLACE_LABELS, name_used_in
from copydesk.registry import stages
from copydesk.resources import Resources, Settings
from copydesk.stages.alignment import tokens
from copydesk.stages.mentions import PERSON_REF

log = logging.getLogger(__name__)

_warned = False


def load_scorer_or_none(resources: Resources) -> Any:
    """The entailment scorer, or None (with one warning per process) when its model is missing."""
    global _warned
    try:
        return resources.scorer
    except ModelMissingError as exc:
        if not _warned:
            log.warning("the entailment checker is off: %s", exc)
            _warned = True
        return None


def checkable_claims(doc: Document) -> list[int]:
    """Claims of the body with evidence. A headline compresses the story; it is checked against
    the body by the ``headline`` checker, not against single source passages."""
    if not any(source.text.strip() for source in doc.sources):
        return []
    return [
        i
        for i, claim in enumerate(doc.claims)
        if claim.checkable and claim.span.field == "body" and doc.evidence.get(i)
    ]


MAX_CONTEXT_CHARS = 800
"""Longest stretch of one source scored as a single premise (see :func:`candidates`)."""


def candidates(doc: Document, passages: list[Passage], claim: str = "") -> list[Passage]:
    """The passages to score for a claim: each retrieved window, one stretch of the first
    window's source running from the earliest to the latest of that source's windows, and each of
    the two best windows grown by the adjacent sentences that carry the rest of the claim.

    The stretch gives the model the context a single window lacks ("She told the meeting...",
    with the name in the sentence before); MiniCheck scores chunks of several sentences for the
    same reason. The grown windows let a claim that fuses adjacent sentences ("a total in one,
    the ranking in the next") be scored against both (:func:`fused`).
    """
    out = list(passages)
    first = passages[0]
    same_source = [p for p in passages if p.source_id == first.source_id]
    start, end = min(p.start for p in same_source), max(p.end for p in same_source)
    if len(same_source) >= 2 and end - start <= MAX_CONTEXT_CHARS:
        text = doc.source(first.source_id).text
        out.append(Passage(first.source_id, start, end, text[start:end], first.score))
    if claim:
        wanted = {t.key for t in tokens(claim) if t.content}
        seen = {(p.source_id, p.start, p.end) for p in out}
        for passage in passages[:2]:
            grown = fused(doc, passage, wanted)
            if grown is not None and (grown.source_id, grown.start, grown.end) not in seen:
                seen.add((grown.source_id, grown.start, grown.end))
                out.append(grown)
    return out


MAX_FUSED_SENTENCES = 4
"""Most adjacent source sentences read together as one premise for a fused claim."""


def fused(doc: Document, passage: Passage, wanted: set[str]) -> Passage | None:
    """``passage`` grown, one adjacent sentence at a time, by the sentence before or after that
    carries most of the claim's words it lacks; None when no neighbour adds any.

    "Harwick collected 2.4 million pounds, the highest total in the region" is backed by "Harwick
    collected 2.4 million pounds." and the next sentence, "That was the highest total in the
    region.", together, and by neither alone.
    """
    source = doc.source(passage.source_id)
    sentences = source.sentences
    inside = [i for i, s in enumerate(sentences) if passage.start <= s.start and s.end <= passage.end]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    missing = wanted - {t.key for t in tokens(source.text[sentences[first].start : sentences[last].end])}
    grown = False
    while missing and last - first + 1 < MAX_FUSED_SENTENCES:
        options = [i for i in (first - 1, last + 1) if 0 <= i < len(sentences)]
        gains = {i: missing & {t.key for t in tokens(sentences[i].text)} for i in options}
        best = max(options, key=lambda i: len(gains[i]), default=None)
        if best is None or not gains[best]:
            break
        if sentences[max(last, best)].end - sentences[min(first, best)].start > MAX_CONTEXT_CHARS:
            break
        first, last = min(first, best), max(last, best)
        missing -= gains[best]
        grown = True
    if not grown:
        return None
    start, end = sentences[first].start, sentences[last].end
    return Passage(source.name, start, end, source.text[start:end], passage.score)


def claim_in_terms_of(doc: Document, index: int, passage: Passage) -> str:
    """The claim's text naming places and people the way the passage names them.

    "Noboa asked Washington for help" is scored against "Noboa asked the United States for help"
    as "Noboa asked the United States for help": the model reads a capital standing for its
    country as a different actor, and a story may well use one where its source uses the other.
    Likewise "He will meet Noboa", where the story's "he" is Marco Rubio, is scored as "Rubio will
    meet Noboa" against a passage that says "Rubio": a bare pronoun names nobody to the model.
    """
    claim = doc.claims[index]
    text = claim.text
    people: list[Mention] | None = None  # the passage's, read only for a pronoun
    for mention in doc.text(claim.span.field).mentions_in(claim.span.start, claim.span.end):
        if mention.label in PLACE_LABELS:
            theirs = name_used_in(mention.span.text, passage.text)
            if theirs:
                pattern = rf"(?<!\w)(?:(?:the|The)\s+)?{re.escape(mention.span.text)}(?!\w)"
                text = _substitute(pattern, theirs, text)
        elif mention.label == PERSON_REF:
            if people is None:
                source = doc.source(passage.source_id)
                people = [m for m in source.mentions_in(passage.start, passage.end) if m.label == "PERSON"]
            named = next((p for p in people if same_person(p.entity, mention.entity)), None)
            if named:
                pattern = rf"\b{re.escape(mention.span.text)}\b"
                text = _substitute(pattern, named.span.text, text, count=1, flags=re.IGNORECASE)
    return text


def _substitute(pattern: str, replacement: str, text: str, count: int = 0, flags: int = 0) -> str:
    """``re.sub`` with ``replacement`` taken literally (a name is not a template)."""
    return re.sub(pattern, lambda _match: replacement, text, count=count, flags=flags)


def pairs_to_judge(
    doc: Document, passages_per_claim: int
) -> dict[int, list[tuple[Passage, tuple[str, str]]]]:
    """Every checkable claim's candidate passages, each with the (premise, hypothesis) pair the
    judge reads for it: the pairs a run of the pipeline may ask the judge about (and the pairs a
    judge in training should learn, ``training.distil --stories``)."""
    return {
        i: [
            (passage, (passage.text, claim_in_terms_of(doc, i, passage)))
            for passage in candidates(
                doc, doc.retrieved.get(i, doc.evidence[i])[:passages_per_claim], doc.claims[i].text
            )
        ]
        for i in checkable_claims(doc)
    }


SETTLED_SUPPORT = 0.9
"""A claim whose best-ranked passage the judge scores at least this is settled: its other
passages are not scored. Its support is a maximum over passages, so they could only raise it, and
the shipped MiniLM's supports bunch up under 0.92. On news-like stories the first passage settles
about half of the claims, and the judge scores about 40% fewer pairs (docs/evaluation.md)."""


def settled_support(settings: Settings) -> float | None:
    """The support that settles a claim in ``settings``' mode; None (score every passage) in
    ``accurate`` and ``auto``, which ask for accuracy, and whose MPNet budget is per judge call."""
    return SETTLED_SUPPORT if settings.model == "fast" else None


def claim_support(
    doc: Document, scorer: Any, passages_per_claim: int, settled_at: float | None = SETTLED_SUPPORT
) -> dict[int, tuple[float, Passage]]:
    """Support of every checkable claim (max over its candidate passages) and the passage giving it.

    The judge runs in two rounds: first each claim's best-ranked passage, then the other passages
    of the claims that the first round did not settle (support under ``settled_at``). None scores
    every passage in one round.
    """
    asked = pairs_to_judge(doc, passages_per_claim)
    scores: dict[tuple[str, str], float] = {}

    def judge(pairs: Iterable[tuple[str, str]]) -> None:
        new = [pair for pair in dict.fromkeys(pairs) if pair not in scores]
        if new:
            scores.update(zip(new, (float(s) for s in scorer.score(new)), strict=True))

    if settled_at is None:
        judge(pair for passages in asked.values() for _, pair in passages)
    else:
        judge(passages[0][1] for passages in asked.values())
        judge(
            pair
            for passages in asked.values()
            if scores[passages[0][1]] < settled_at
            for _, pair in passages[1:]
        )
    return {
        i: max(
            ((scores[pair], passage) for passage, pair in passages if pair in scores),
            key=lambda scored: scored[0],
        )
        for i, passages in asked.items()
    }


@stages.register("support", requires=["claims", "evidence"], assigns=["support"])
def score_support(doc: Document, resources: Resources) -> None:
    """Pipeline stage: write each checkable claim's support and put its best passage first."""
    scorer = load_scorer_or_none(resources)
    if scorer is None:
        return
    settings = resources.settings
    supports = claim_support(doc, scorer, settings.passages_per_claim, settled_support(settings))
    for i, (support, best) in supports.items():
        doc.support[i] = support
        doc.retrieved.setdefault(i, doc.evidence[i])
        doc.evidence[i] = [best, *(p for p in doc.evidence[i] if p is not best)]
