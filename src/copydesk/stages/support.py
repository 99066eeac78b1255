"""Support: how strongly the retrieved evidence entails each claim (a pipeline stage).

For each checkable claim the shipped cross-encoder scores (passage, claim) pairs -- one batched
call per story, identical pairs scored once -- and, as MiniCheck does, the claim's support is the
maximum over its passages. The stage writes ``doc.support[i]`` and moves the most supporting
passage to the front of ``doc.evidence[i]``; the ``entailment`` checker and the decide stage read
them. It runs only when the ``entailment`` checker is enabled.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from copydesk.document import Document, Mention, Passage
from copydesk.errors import ModelMissingError
from copydesk.lexicon.names import same_person
from copydesk.lexicon.places import PLACE_LABELS, name_used_in
from copydesk.registry import stages
from copydesk.resources import Resources
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
    judge reads for it: the pairs a run of the pipeline asks the judge about (and the pairs a
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


def claim_support(doc: Document, scorer: Any, passages_per_claim: int) -> dict[int, tuple[float, Passage]]:
    """Support of every checkable claim (max over its candidate passages) and the passage giving it."""
    asked = pairs_to_judge(doc, passages_per_claim)
    pairs = list(dict.fromkeys(pair for passages in asked.values() for _, pair in passages))
    if not pairs:
        return {}
    scores = dict(zip(pairs, (float(s) for s in scorer.score(pairs)), strict=True))
    return {
        i: max(((scores[pair], passage) for passage, pair in passages), key=lambda scored: scored[0])
        for i, passages in asked.items()
    }


@stages.register("support", requires=["claims", "evidence"], assigns=["support"])
def score_support(doc: Document, resources: Resources) -> None:
    """Pipeline stage: write each checkable claim's support and put its best passage first."""
    scorer = load_scorer_or_none(resources)
    if scorer is None:
        return
    for i, (support, best) in claim_support(doc, scorer, resources.settings.passages_per_claim).items():
        doc.support[i] = support
        doc.retrieved.setdefault(i, doc.evidence[i])
        doc.evidence[i] = [best, *(p for p in doc.evidence[i] if p is not best)]
