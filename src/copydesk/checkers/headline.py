"""The headline contradicts the body: another actor, office, number, date or place for the same event.

Each finding carries both places, the headline's and the body's, and says which side the sources
support. The fix goes to the side they do not support (to the headline when they say nothing and
the body names the person as holding the office, since the body is the more detailed account);
when they support neither, the finding has no fix and an editor decides.

The headline also goes through every other checker (offices, titles, names, the knowledge base):
they read the headline as they read the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from copydesk.checkers import register
from copydesk.document import Document, Mention, Period, Role, Span
from copydesk.findings import finding, sentence_evidence
from copydesk.lexicon.names import normalise_name, same_person
from copydesk.lexicon.numbers import same_number
from copydesk.lexicon.offices import same_office
from copydesk.lexicon.places import same_place
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind

NUMBER_LABELS = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset(
    "that this with from have were will would their there which when where about after before during "
    "said says also than them they been into over under while next week year".split()
)
_NOUN_AFTER = re.compile(
    r"^\s*(?:million|billion|thousand|more|new|extra|additional|of\s+the)?\s*([A-Za-z]+)"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|to|at|from|into|visits?|visited|leaves?|arrives?)\s+(?:the\s+)?$", re.I)
_SCALE_WORDS = frozenset({"million", "billion", "thousand", "hundred", "percent", "per"})


@register("headline", requires=["mentions", "entities"])
def make_headline_checker(resources: Resources) -> object:
    return check_headline


def check_headline(doc: Document) -> Iterator[Finding]:
    if not doc.headline.text or not doc.body.text:
        return
    yield from _roles(doc)
    yield from _actors(doc)
    yield from _numbers(doc)
    yield from _dates(doc)
    yield from _places(doc)


def _body_quote(doc: Document, mention: Mention) -> Evidence:
    sentence = doc.body.sentence_at(mention.span.start) or mention.span
    return Evidence(origin="story", quote=sentence.text.strip(), start=sentence.start, end=sentence.end)


def _headline_quote(doc: Document) -> Evidence:
    return Evidence(origin="story", quote=doc.headline.text.strip(), start=0, end=len(doc.headline.text))


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


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def _lead(doc: Document) -> Span | None:
    """The body's first sentence: the account of the main event the headline sums up."""
    return doc.body.sentences[0] if doc.body.sentences else None


def _same_event(doc: Document, sentence: Span) -> bool:
    """Whether the headline and a body sentence speak of one event: a word or a place in common."""
    names = {
        w.lower()
        for m in (*doc.headline.mentions, *doc.body.mentions)
        if m.label in ("PERSON", "PERSON_REF")
        for w in m.span.text.split()
    }
    return bool((_words(doc.headline.text) - names) & (_words(sentence.text) - names))


def _source_mentions(doc: Document, name: str) -> list[tuple[object, Mention]]:
    return [
        (source, m)
        for source in doc.sources
        for m in source.mentions
        if m.label == "PERSON" and same_person(m.entity, name)
    ]


def _side(headline_ok: bool, body_ok: bool) -> str:
    if headline_ok and not body_ok:
        return "headline"
    if body_ok and not headline_ok:
        return "body"
    return "neither"


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
                    evidence=[_headline_quote(doc)],
                    fix=_name_like(other.person, role.person.entity),
                    spans=[(role.person.span, None)],
                )
                continue
            sourced = _sources_bind(doc, other)
            yield finding(
                role.person.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The headline names {role.person.span.text} as {role.office.span.text}; "
                f"the body{' and the sources' if sourced else ''} name {other.person.entity}.",
                checker="headline",
                confidence=0.8,
                evidence=[_body_quote(doc, other.person)],
                fix=_name_like(role.person, other.person.entity),
                spans=[(other.person.span, None)],
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
                spans=[(other.office.span, None)],
            )


def _actors(doc: Document) -> Iterator[Finding]:
    """The headline names a person the body never names, for the event the body's first sentence
    tells with someone else as its actor."""
    lead = _lead(doc)
    if lead is None or not _same_event(doc, lead):
        return
    body_people = [m for m in doc.body.mentions if m.label == "PERSON"]
    lead_people = [m for m in body_people if lead.start <= m.span.start < lead.end]
    if not lead_people:
        return
    actor = lead_people[0]
    body_roles = [r for r in doc.body.roles if r.tense != "former"]
    bound = {
        id(r.person)
        for r in doc.headline.roles
        if any(
            same_office(b.office.entity, r.office.entity) or same_person(b.person.entity, r.person.entity)
            for b in body_roles
        )
    }
    for mention in doc.headline.mentions:
        if mention.label != "PERSON" or id(mention) in bound:
            continue  # compared by office (_roles)
        if any(same_person(m.entity, mention.entity) for m in body_people):
            continue
        if same_person(actor.entity, mention.entity):
            continue
        by_headline = _source_mentions(doc, mention.entity)
        by_body = _source_mentions(doc, actor.entity)
        side = _side(bool(by_headline), bool(by_body))
        if side == "headline":
            source, quoted = by_headline[0]
            yield finding(
                actor.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The headline names {mention.span.text} for this; the body names {actor.span.text}. "
                f"The sources name {mention.entity}.",
                checker="headline",
                confidence=0.8,
                evidence=[sentence_evidence(source, quoted.span.start), _headline_quote(doc)],  # type: ignore[arg-type]
                fix=_name_like(actor, mention.entity),
                spans=[(mention.span, None)],
            )
            continue
        evidence = [_body_quote(doc, actor)]
        if side == "body":
            source, quoted = by_body[0]
            evidence.insert(0, sentence_evidence(source, quoted.span.start))  # type: ignore[arg-type]
        said = {"body": f" The sources name {actor.entity}.", "neither": " The sources do not tell which."}
        yield finding(
            mention.span,
            FindingKind.HEADLINE_CONTRADICTS_BODY,
            f"The headline names {mention.span.text} for this; the body names {actor.span.text}."
            + said[side],
            checker="headline",
            confidence=0.8 if side == "body" else 0.6,
            evidence=evidence,
            fix=_name_like(mention, actor.entity) if side == "body" else None,
            spans=[(actor.span, None)],
        )


def _counted(text: str, mention: Mention) -> str | None:
    """The thing a number counts: the word after it ("12 people"), singular, lower case."""
    match = _NOUN_AFTER.match(text[mention.span.end : mention.span.end + 40])
    if match is None or match.group(1).lower() in _SCALE_WORDS:
        return None
    word = match.group(1).lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _numbers(doc: Document) -> Iterator[Finding]:
    body_numbers = [m for m in doc.body.mentions if m.value is not None and m.label in NUMBER_LABELS]
    for mention in doc.headline.mentions:
        if mention.label not in NUMBER_LABELS or mention.value is None:
            continue
        counted = _counted(doc.headline.text, mention)
        if mention.label in ("MONEY", "PERCENT"):
            same_kind = [m for m in body_numbers if m.label == mention.label]
        elif counted is not None:
            same_kind = [
                m
                for m in body_numbers
                if m.label in ("CARDINAL", "QUANTITY") and _counted(doc.body.text, m) == counted
            ]
        else:
            continue
        if not same_kind or any(same_number(mention.value, m.value) for m in same_kind):
            continue
        values = {round(float(m.value), 6) for m in same_kind}
        if len(values) != 1:
            continue
        other = same_kind[0]
        in_sources = _sourced_number(doc, mention, counted), _sourced_number(doc, other, counted)
        side = _side(in_sources[0] is not None, in_sources[1] is not None)
        supported = in_sources[0] or in_sources[1]
        evidence = [_body_quote(doc, other)]
        if supported is not None:
            evidence.insert(0, supported)
        if side == "headline":
            yield finding(
                other.span,
                FindingKind.HEADLINE_CONTRADICTS_BODY,
                f"The body says {other.span.text}; the headline and the sources say {mention.span.text}.",
                checker="headline",
                confidence=0.75,
                evidence=[*evidence, _headline_quote(doc)],
                fix=mention.span.text,
                spans=[(mention.span, None)],
            )
            continue
        said = {"body": " The sources say so too.", "neither": ""}
        yield finding(
            mention.span,
            FindingKind.HEADLINE_CONTRADICTS_BODY,
            f"The headline says {mention.span.text}; the body says {other.span.text}." + said[side],
            checker="headline",
            confidence=0.75 if side == "body" else 0.7,
            evidence=evidence,
            fix=other.span.text if side != "headline" else None,
            spans=[(other.span, None)],
        )


def _sourced_number(doc: Document, mention: Mention, counted: str | None) -> Evidence | None:
    for source in doc.sources:
        for other in source.mentions:
            if other.label not in NUMBER_LABELS or other.value is None:
                continue
            if not same_number(mention.value, other.value):
                continue
            if counted is None or _counted(source.text, other) == counted:
                return sentence_evidence(source, other.span.start)
    return None


def _dates(doc: Document) -> Iterator[Finding]:
    """A day or month in the headline that the body's first sentence gives as another."""
    lead = _lead(doc)
    if lead is None or not _same_event(doc, lead):
        return
    lead_dates = [
        m
        for m in doc.body.mentions_in(lead.start, lead.end, "DATE")
        if isinstance(m.value, Period) and _specific(m.value)
    ]
    if not lead_dates:
        return
    for mention in doc.headline.mentions:
        if mention.label != "DATE" or not isinstance(mention.value, Period) or not _specific(mention.value):
            continue
        if any(mention.value.overlaps(m.value) for m in lead_dates):
            continue
        other = lead_dates[0]
        yield finding(
            mention.span,
            FindingKind.HEADLINE_CONTRADICTS_BODY,
            f"The headline dates this {mention.span.text}; the body says {other.span.text}.",
            checker="headline",
            confidence=0.65,
            evidence=[_body_quote(doc, other)],
            fix=None,
            spans=[(other.span, None)],
        )


def _specific(period: Period) -> bool:
    return (period.end - period.start).days <= 31


def _places(doc: Document) -> Iterator[Finding]:
    """A place in the headline that neither the body nor the sources name, where the body's first
    sentence names one the sources do (a city for its country is no contradiction: the sources name
    both)."""
    lead = _lead(doc)
    if lead is None or not doc.sources or not _same_event(doc, lead):
        return
    lead_places = doc.body.mentions_in(lead.start, lead.end, "GPE")
    source_text = " ".join(s.text for s in doc.sources)
    sourced_lead = [m for m in lead_places if _named_in(m.span.text, source_text)]
    if not sourced_lead:
        return
    people = {normalise_name(m.entity) for t in doc.texts for m in t.mentions if m.label == "PERSON"}
    headline_places = [m for m in doc.headline.mentions if m.label == "GPE"]
    if any(_named_in(m.span.text, doc.body.text) for m in headline_places):
        return  # the headline's place agrees with the body's where it says the same
    for mention in headline_places:
        if normalise_name(mention.span.text) in people:
            continue
        if not _PLACE_BEFORE.search(doc.headline.text[: mention.span.start]):
            continue  # "UK minister ...": a jurisdiction, not where the event happens
        if _named_in(mention.span.text, doc.body.text) or _named_in(mention.span.text, source_text):
            continue
        if any(same_place(mention.span.text, m.span.text) for m in doc.body.mentions if m.label == "GPE"):
            continue
        other = sourced_lead[0]
        yield finding(
            mention.span,
            FindingKind.HEADLINE_CONTRADICTS_BODY,
            f"The headline places this in {mention.span.text}; the body and the sources say "
            f"{other.span.text}.",
            checker="headline",
            confidence=0.65,
            evidence=[_body_quote(doc, other)],
            fix=None,
            spans=[(other.span, None)],
        )


def _named_in(place: str, text: str) -> bool:
    return re.search(r"\b" + re.escape(place) + r"\b", text) is not None
