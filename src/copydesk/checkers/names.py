"""Misspelled names: a person named almost, but not exactly, as in the sources."""

from __future__ import annotations

from collections.abc import Iterator

from copydesk.checkers import register
from copydesk.document import Document, Mention, Text
from copydesk.findings import finding, sentence_evidence
from copydesk.lexicon.names import misspelling_of, normalise_name
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind


@register("names", requires=["mentions"])
def make_names_checker(resources: Resources) -> object:
    return check_names


def check_names(doc: Document) -> Iterator[Finding]:
    spelled: dict[str, tuple[Text, Mention]] = {}
    for source in doc.sources:
        for mention in source.mentions:
            if mention.label == "PERSON":
                for form in {mention.span.text, mention.entity}:
                    spelled.setdefault(form, (source, mention))
    if not spelled:
        return
    known = {normalise_name(n) for n in spelled}
    for text in doc.texts:
        for mention in text.mentions:
            if mention.label != "PERSON" or normalise_name(mention.span.text) in known:
                continue
            if normalise_name(mention.entity) in known:
                continue
            correct = misspelling_of(mention.span.text, list(spelled))
            if correct is None:
                continue
            source, source_mention = spelled[correct]
            yield finding(
                mention.span,
                FindingKind.MISSPELLED_NAME,
                f"The sources spell this name {correct}.",
                checker="names",
                confidence=0.85,
                evidence=[sentence_evidence(source, source_mention.span.start)],
                fix=correct,
            )
