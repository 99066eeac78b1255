"""The headline contradicts the body: another person, office or number for the same thing."""

from __future__ import annotations

from collections.abc import Iterator

from copydesk.checkers import register
from copydesk.document import Document, Mention, Role
from copydesk.findings import finding
from copydesk.lexicon.names import same_person
from copydesk.lexicon.numbers import same_number
from copydesk.lexicon.offices import same_office
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind
from copydesk.stages.segment import sentence_of


@register("headline")
def make_headline_checker(resources: Resources) -> object:
    return check_headline


def check_headline(doc: Document) -> Iterator[Finding]:
    if not doc.headline.text or not doc.body.text:
        return
    yield from _roles(doc)
    yield from _numbers(doc)


def _body_quote(doc: Document, mention: Mention) -> Evidence:
    sentence = sentence_of(doc.body, mention.span.start) or mention.span
    return Evidence(origin="story", quote=sentence.text.strip(), start=sentence.start, end=sentence.end)


def _sources_bind(doc: Document, role: Role) -> bool:
    """Whether a source gives this role's office to this role's person."""
    return any(
        same_person(r.person.entity, role.person.entity) and same_office(r.office.entity, role.office.entity)
        for source in doc.sources
        for r in source.roles
        if r.tense != "former"
    )


def _name_like(mention: Mention, full_name: str) -> str:
    """``full_name`` written as the mention writes names: the surname alone, or in full."""
    return full_name.split()[-1] if len(mention.span.text.split()) == 1 else full_name


def _roles(doc: Document) -> Iterator[Finding]:
    body_roles = [r for r in doc.body.roles if r.tense != "former"]
    for role in doc.headline.roles:
        if role.tense == "former":
            continue
        same_office_roles = [r for r in body_roles if same_office(r.office.entity, role.office.entity)]
        same_person_roles = [r for r in body_roles if same_person(r.person.entity, role.person.entity)]
        if any(same_person(r.person.entity, role.person.entity) for r in same_office_roles):
            continue
        if same_office_roles:
            other = same_office_roles[0]
            if _sources_bind(doc, role) and not _sources_bind(doc, other):
                # the sources side with the headline: the body is the text to fix
                yield finding(
                    other.person.span,
                    FindingKind.HEADLINE_CONTRADICTS_BODY,
                    f"The body names {other.person.span.text} as {other.office.span.text}; "
                    f"the headline and the sources name {role.person.entity}.",
                    checker="headline",
                    confidence=0.85,
                    evidence=[
                        Evidence(
                            origin="story",
                            quote=doc.headline.text.strip(),
                            start=0,
                            end=len(doc.headline.text),
                        )
                    ],
                    fix=_name_like(other.person, role.person.entity),
                )
                continue
            yield finding(
                role.person.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The headline names {role.person.span.text} as {role.office.span.text}; "
                f"the body names {other.person.entity}.",
                checker="headline",
                confidence=0.8,
                evidence=[_body_quote(doc, other.person)],
                fix=_name_like(role.person, other.person.entity),
            )
        elif same_person_roles:
            other = same_person_roles[0]
            yield finding(
                role.office.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The headline calls {role.person.span.text} {role.office.span.text}; "
                f"the body calls them {other.office.span.text}.",
                checker="headline",
                confidence=0.75,
                evidence=[_body_quote(doc, other.office)],
                fix=other.office.span.text,
            )


def _numbers(doc: Document) -> Iterator[Finding]:
    body_numbers = [m for m in doc.body.mentions if m.value is not None and m.label in ("MONEY", "PERCENT")]
    for mention in doc.headline.mentions:
        if mention.label not in ("MONEY", "PERCENT") or mention.value is None:
            continue
        same_kind = [m for m in body_numbers if m.label == mention.label]
        if (
            same_kind
            and not any(same_number(mention.value, m.value) for m in same_kind)
            and len(same_kind) == 1
        ):
            other = same_kind[0]
            yield finding(
                mention.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The headline says {mention.span.text}; the body says {other.span.text}.",
                checker="headline",
                confidence=0.7,
                evidence=[_body_quote(doc, other)],
                fix=other.span.text,
            )
