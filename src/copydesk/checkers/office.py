"""Wrong person for an office, and wrong titles, against what the sources say.

"Secretary of State Mike Pompeo" when the sources name Marco Rubio as Secretary of State gives
*wrong person for office* (fix: Pompeo -> Rubio). "Senator Rubio" when the sources call him
"former Senator Rubio" gives *wrong title*.

A person can hold two titles at once, so a title the sources never give is an error only when it
cannot be held together with the one they do give ("Senator Rubio" for the Secretary of State, a
president called prime minister: :func:`copydesk.lexicon.offices.incompatible_offices`). Otherwise
("Councillor Haldane" for the sources' "Deputy Mayor Haldane") it is a warning: nothing backs the
title, so an editor should check it.
"""

from __future__ import annotations

from collections.abc import Iterator

from copydesk.checkers import register
from copydesk.document import Document, Role, Text
from copydesk.findings import finding, sentence_evidence
from copydesk.lexicon.names import same_person
from copydesk.lexicon.offices import incompatible_offices, same_office
from copydesk.resources import Resources
from copydesk.schema import Finding, FindingKind, Severity


@register("office", requires=["mentions"])
def make_office_checker(resources: Resources) -> object:
    return check_offices


def check_offices(doc: Document) -> Iterator[Finding]:
    sourced = [(source, role) for source in doc.sources for role in source.roles]
    if not sourced:
        return
    for text in doc.texts:
        for role in text.roles:
            if role.tense == "former":
                continue
            found = wrong_holder(role, sourced) or wrong_title(role, sourced)
            if found is not None:
                yield found(role)


def _evidence(source: Text, role: Role):
    return sentence_evidence(source, role.office.span.start)


def _title_text(role: Role) -> str:
    """The title as written, without what a line break before it joined to it (a headline's
    "... and Ecuador" above "Secretary of State")."""
    return " ".join(role.office.span.text.split("\n")[-1].split())


def _is_current(role: Role) -> bool:
    return role.tense == "current"


def _same_time(story_role: Role, source_role: Role) -> bool:
    """Whether two roles speak of the same time (both present, or overlapping dates)."""
    if story_role.when and source_role.when and story_role.tense != "current":
        return story_role.when.overlaps(source_role.when)
    return _is_current(story_role) == _is_current(source_role)


def wrong_holder(role: Role, sourced: list[tuple[Text, Role]]):
    """The sources give the office, at that time, to someone else and never to this person."""
    same = [(s, r) for s, r in sourced if same_office(r.office.entity, role.office.entity)]
    if any(same_person(r.person.entity, role.person.entity) for _, r in same):
        return None
    others = [(s, r) for s, r in same if r.tense != "former" and _same_time(role, r)]
    holders = {r.person.entity for _, r in others}
    if len(holders) != 1:
        return None
    source, holder = others[0]
    name = holder.person.entity
    fix = name.split()[-1] if len(role.person.span.text.split()) == 1 else name

    def build(role: Role) -> Finding:
        return finding(
            role.person.span,
            FindingKind.WRONG_PERSON_FOR_OFFICE,
            f"The sources name {name}, not {role.person.span.text}, as {role.office.span.text}.",
            checker="office",
            confidence=0.9,
            evidence=[_evidence(source, holder)],
            fix=fix,
        )

    return build


def wrong_title(role: Role, sourced: list[tuple[Text, Role]]):
    """The sources call this person a former holder of the title, or give them another title only."""
    mine = [(s, r) for s, r in sourced if same_person(r.person.entity, role.person.entity)]
    if not mine or any(
        same_office(r.office.entity, role.office.entity) and r.tense != "former" for _, r in mine
    ):
        return None
    former = [(s, r) for s, r in mine if same_office(r.office.entity, role.office.entity)]
    severity = Severity.ERROR
    extra_evidence = []
    if former:
        if not _is_current(role):
            return None  # "then-Senator X" for a former senator is right
        source, stated = former[0]
        # the title held now, as an editor would write it; "former ..." only when the sources give none
        now = [
            (s, r)
            for s, r in mine
            if r.tense == "current" and not same_office(r.office.entity, role.office.entity)
        ]
        fix = "former " + role.office.span.text
        message = f"The sources describe {role.person.span.text} as a former {role.office.span.text}."
        if now and all(same_office(r.office.entity, now[0][1].office.entity) for _, r in now):
            source_now, stated_now = now[0]
            fix = _title_text(stated_now)
            message = message[:-1] + f", now {fix}."
            if source_now is not source or stated_now.office.span.start != stated.office.span.start:
                extra_evidence.append(_evidence(source_now, stated_now))
        confidence = 0.85
    else:
        current = [(s, r) for s, r in mine if r.tense == "current"]
        if not current or not _is_current(role):
            return None
        conflicting = [
            (s, r) for s, r in current if incompatible_offices(r.office.entity, role.office.entity)
        ]
        source, stated = (conflicting or current)[0]
        fix = stated.office.span.text
        message = (
            f"The sources call {role.person.span.text} {stated.office.span.text}, "
            f"never {role.office.span.text}."
        )
        if conflicting:
            confidence = 0.75
        else:
            message += " Nothing in them backs the title; check it."
            confidence, severity = 0.5, Severity.WARNING

    def build(role: Role) -> Finding:
        return finding(
            role.office.span,
            FindingKind.WRONG_TITLE,
            message,
            checker="office",
            confidence=confidence,
            evidence=[_evidence(source, stated), *extra_evidence],
            fix=fix,
            severity=severity,
        )

    return build
