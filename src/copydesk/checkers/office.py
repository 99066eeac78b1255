"""Wrong person for an office, and wrong titles, against what the sources say.

"Secretary of State Mike Pompeo" when the sources name Marco Rubio as Secretary of State gives
*wrong person for office* (fix: Pompeo -> Rubio). "Senator Rubio" when the sources call him
"former Senator Rubio" gives *wrong title*.

A person can hold two titles at once, so a title the sources never give is an error only when it
cannot be held together with any they do give ("Senator Rubio" for the Secretary of State, a
president called prime minister, a club chairman called finance minister:
:func:`copydesk.lexicon.offices.compatible_titles`). A title that can ("Councillor Haldane" for the
sources' "Deputy Mayor Haldane"), or one nothing is known of, is a warning: nothing backs it, so an
editor should check it. A past title ("then-chairman Raju") is held against the past titles the
sources give the person, not against the present ones ("then-Senator Obama" for President Obama).

One finding covers every place the story gives the person the same title: one error, one fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from copydesk.checkers import register
from copydesk.document import Document, Role, Text
from copydesk.findings import finding, sentence_evidence
from copydesk.lexicon.names import same_person
from copydesk.lexicon.offices import compatible_titles, office_key, same_office, title_in_style_of
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind, Severity

_SMALL_WORDS = frozenset({"of", "the", "and", "for"})
TITLES_CHANGE = dt.timedelta(days=180)
"""How much older than the story a source may be and still tell the titles held at the story's date."""


@register("office", requires=["mentions"])
def make_office_checker(resources: Resources) -> object:
    return check_offices


def check_offices(doc: Document) -> Iterator[Finding]:
    sourced = [(source, role) for source in doc.sources for role in source.roles]
    if not sourced:
        return
    found: dict[tuple[str, str, str, str], Finding] = {}
    for text in doc.texts:
        for role in text.roles:
            if role.tense == "former":
                continue
            build = wrong_holder(role, sourced) or wrong_title(role, sourced, doc.published)
            if build is None:
                continue
            new = build(role)
            key = (new.kind.value, role.person.entity, role.office.entity, role.tense)
            if key in found:
                found[key].spans.extend(new.spans)
            else:
                found[key] = new
    yield from found.values()


def _evidence(source: Text, role: Role) -> Evidence:
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


def wrong_holder(role: Role, sourced: list[tuple[Text, Role]]) -> Callable[[Role], Finding] | None:
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


def _fix_for(stated: Role, role: Role) -> str:
    """The sources' title, with the country the story wrote when the sources' title names none
    ("Yemeni Chancellor" -> "Yemeni President"), capitalised when the story's is ("Governor
    Collins" -> "Home Secretary Collins" for the sources' "Collins, the home secretary")."""
    said = _title_text(stated)
    if said.islower() and _title_text(role)[:1].isupper():
        said = " ".join(w if w in _SMALL_WORDS else w[:1].upper() + w[1:] for w in said.split())
    if stated.office.entity.partition("|")[2] or not role.office.entity.partition("|")[2]:
        return said
    styled = title_in_style_of(said, _title_text(role))
    same_title = (office_key(styled) or "").partition("|")[0] == stated.office.entity.partition("|")[0]
    return styled if same_title else said


def _unlike(stated: Role, role: Role) -> tuple[bool, bool]:
    """How far a source's role is from the story's, to give the fix of the nearest: of another
    time, then written the other way round ("X, the chairman" for "Chairman X")."""
    before_name = stated.office.span.start < stated.person.span.start
    return stated.tense != role.tense, before_name != (role.office.span.start < role.person.span.start)


def _older_than(source: Text, published: dt.date | None) -> bool:
    """Whether ``source`` was published long enough before the story for the titles it gives to
    have changed since."""
    meta = source.source
    return bool(published and meta and meta.published and meta.published < published - TITLES_CHANGE)


def wrong_title(
    role: Role, sourced: list[tuple[Text, Role]], published: dt.date | None = None
) -> Callable[[Role], Finding] | None:
    """The sources call this person a former holder of the title, or give them another title only
    (an error when no one could hold both, and a source of the story's time gives the other)."""
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
        if _is_current(role):
            stated_roles = [(s, r) for s, r in mine if r.tense == "current"]
        elif any(r.tense != "current" for _, r in mine):
            # a past title against every title the sources give the person, past or present
            stated_roles = list(mine)
        else:
            return None
        if not stated_roles:
            return None
        stated_roles.sort(key=lambda sr: _unlike(sr[1], role))
        verdicts = [compatible_titles(r.office.entity, role.office.entity) for _, r in stated_roles]
        source, stated = stated_roles[0]
        fix = _fix_for(stated, role)
        message = (
            f"The sources call {role.person.span.text} {_title_text(stated)}, never {_title_text(role)}."
        )
        if not any(v is not False for v in verdicts):
            confidence = 0.8
            if all(_older_than(s, published) for s, _ in stated_roles):
                message += " The sources are older than the story; check whether the title changed."
                confidence, severity = 0.5, Severity.WARNING
        else:
            source, stated = next(sr for sr, v in zip(stated_roles, verdicts, strict=True) if v is not False)
            fix = _fix_for(stated, role)
            message = (
                f"The sources call {role.person.span.text} {_title_text(stated)}, never {_title_text(role)}."
                " Nothing in them backs the title; check it."
            )
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
