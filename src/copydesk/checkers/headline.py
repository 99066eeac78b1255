"""The headline contradicts the body: another actor, office, number, date or place for the same event.

Each finding stands on the side the sources do not support and quotes the other side as
evidence, saying which side the sources support: the supported side is right, so it is no place
to change (nor a place flagged). When the sources support neither, the finding stands on the
headline, the shorter account, with no fix unless the body names the person as holding the
office; an editor decides.

The main event is the body sentence the headline is a clause of: the headline's other words
repeated in order around the name (:func:`copydesk.stages.entities.match_clause`), so a person of
the same story written in the headline where the body has another is found too. Without such a
sentence it is the lead, compared with a headline person the body never names.

Who does what is decided by the place in the clause, not by the name: a headline person the body
sentence also names, but elsewhere (in another role: "baritone Luigi Bassi, for whom Mozart wrote
the role of Don Giovanni"), is compared with the person at the headline's place; people the body
names together in one role (coordinated, in apposition) are not told apart. A surname the
recogniser took for a place or an office is a person when the story or its sources name one
person of that surname.

The headline also goes through every other checker (offices, titles, names, the knowledge base):
they read the headline as they read the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from copydesk.checkers import register
from copydesk.document import Document, Mention, Period, Role, Span, Text
from copydesk.findings import finding, replacement_name, sentence_evidence
from copydesk.lexicon.names import normalise_name, same_person
from copydesk.lexicon.numbers import same_number
from copydesk.lexicon.offices import same_office
from copydesk.lexicon.places import same_place
from copydesk.overlap import STOPWORDS
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind
from copydesk.stages.alignment import Token, tokens
from copydesk.stages.entities import ClauseMatch, match_clause, people_spans, token_range, told_by_sources

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
_POSSESSIVE = re.compile(r"['’]s?$")
_SCALE_WORDS = frozenset({"million", "billion", "thousand", "hundred", "percent", "per"})


@register("headline", requires=["mentions", "entities"])
def make_headline_checker(resources: Resources) -> object:
    return check_headline


def check_headline(doc: Document) -> Iterator[Finding]:
    if not doc.headline.text or not doc.body.text:
        return
    compared: set[tuple[int, int]] = set()
    yield from _roles(doc, compared)
    yield from _actors(doc, compared)
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


def _source_mentions(doc: Document, name: str) -> list[tuple[Text, Mention]]:
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


def _roles(doc: Document, compared: set[tuple[int, int]]) -> Iterator[Finding]:
    """The headline gives an office to another person than the body, or a person another office;
    the spans of the headline people compared here go into ``compared``."""
    body_roles = [r for r in doc.body.roles if r.tense != "former"]
    for role in doc.headline.roles:
        if role.tense == "former":
            continue
        same_office_roles = [r for r in body_roles if same_office(r.office.entity, role.office.entity)]
        same_person_roles = [r for r in body_roles if same_person(r.person.entity, role.person.entity)]
        if same_office_roles or same_person_roles:
            compared.add((role.person.span.start, role.person.span.end))
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
                    fix=replacement_name(other.person.span.text, role.person.entity),
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
                fix=replacement_name(role.person.span.text, other.person.entity),
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


def _actors(doc: Document, done: set[tuple[int, int]]) -> Iterator[Finding]:
    """The headline gives the main event another actor than the body's account of it.

    The body's account is the body sentence the headline is a clause of, when there is one (the
    headline's other words in the same order, around the person): the person it names at the
    headline person's place is the body's actor. Otherwise it is the first person of the lead
    sentence, compared only with a headline person the body never names.
    """
    found = False
    for headline_span, actor, sentence in _aligned_people(doc):
        if (headline_span.start, headline_span.end) in done:
            continue
        found = True
        yield _actor_finding(doc, headline_span, actor, sentence)
    if not found:
        yield from _lead_actor(doc, done)


def _lead_actor(doc: Document, done: set[tuple[int, int]]) -> Iterator[Finding]:
    """A headline person the body never names, for the event the body's first sentence tells with
    someone else as its actor."""
    lead = _lead(doc)
    if lead is None or not _same_event(doc, lead):
        return
    body_people = [m for m in doc.body.mentions if m.label == "PERSON"]
    lead_people = [m for m in body_people if lead.start <= m.span.start < lead.end]
    if not lead_people:
        return
    actor = lead_people[0]
    for mention in doc.headline.mentions:
        if mention.label != "PERSON" or (mention.span.start, mention.span.end) in done:
            continue
        if any(same_person(m.entity, mention.entity) for m in body_people):
            continue
        if same_person(actor.entity, mention.entity):
            continue
        yield _actor_finding(doc, mention.span, actor, lead)


def _actor_finding(doc: Document, headline_span: Span, actor: Mention, sentence: Span) -> Finding:
    """The finding on the side the sources do not support, with the other side as evidence."""
    headline_name = _person_at(doc.headline, headline_span)
    for_headline = _said_there(doc, doc.headline, headline_span)
    for_body = _said_there(doc, doc.body, actor.span)
    if for_headline is None and for_body is None:
        # no source sentence tells the event: whom the sources name at all
        by_headline = _source_mentions(doc, headline_name)
        by_body = _source_mentions(doc, actor.entity)
        if by_headline and not by_body:
            for_headline = sentence_evidence(by_headline[0][0], by_headline[0][1].span.start)
        elif by_body and not by_headline:
            for_body = sentence_evidence(by_body[0][0], by_body[0][1].span.start)
    side = _side(for_headline is not None, for_body is not None)
    body_quote = Evidence(origin="story", quote=sentence.text.strip(), start=sentence.start, end=sentence.end)
    if for_headline is not None and side == "headline":
        return finding(
            actor.span,
            FindingKind.HEADLINE_CONTRADICTS_BODY,
            f"The body names {actor.span.text} for this; the headline names {headline_span.text}. "
            f"The sources name {headline_name}.",
            checker="headline",
            confidence=0.8,
            evidence=[for_headline, _headline_quote(doc)],
            fix=replacement_name(actor.span.text, headline_name),
        )
    evidence = [body_quote] if for_body is None else [for_body, body_quote]
    told = {"body": f" The sources name {actor.entity}.", "neither": " The sources do not tell which."}
    return finding(
        headline_span,
        FindingKind.HEADLINE_CONTRADICTS_BODY,
        f"The headline names {headline_span.text} for this; the body names {actor.span.text}." + told[side],
        checker="headline",
        confidence=0.85 if side == "body" else 0.6,
        evidence=evidence,
        fix=replacement_name(headline_span.text, actor.entity) if side == "body" else None,
    )


def _person_at(text: Text, span: Span) -> str:
    """The full name of the person ``span`` names (its recognised mention's entity), else its text."""
    for mention in text.mentions:
        if mention.label == "PERSON" and mention.span.start <= span.start and span.end <= mention.span.end:
            return mention.entity
    return span.text


# -- the headline as a clause of a body sentence ----------------------------------------------------

MAX_NAME_WORDS = 4
"""Longest name compared: a longer stretch of words swapped is a rewording, not another person."""


def _aligned_people(doc: Document) -> Iterator[tuple[Span, Mention, Span]]:
    """(headline person, body person, body sentence) where the headline is a clause of the body
    sentence with one person written in place of another: the words around the name are the
    same, in the same order, or the name stands at the headline's start or end."""
    headline = doc.headline
    mine = tokens(headline.text)
    names = people_spans(headline, 0, len(headline.text))
    best: tuple[ClauseMatch, Span] | None = None
    for sentence in doc.body.sentences:
        match = match_clause(mine, names, tokens(sentence.text, sentence.start))
        if best is None or match.matched > best[0].matched:
            best = (match, sentence)
    if best is None:
        return
    match, sentence = best
    body_people = [
        person
        for m in doc.body.mentions_in(sentence.start, sentence.end)
        if (person := _as_person(doc, m)) is not None
    ]
    for first, last in _candidates(doc, match):
        before, after = match.flanks(first, last)
        if not (before or after) or not (before or first == 0) or not (after or last == len(mine)):
            continue
        if not match.same_clause(before and after):
            continue
        written = _headline_person(doc, mine[first:last])
        if written is None:
            continue
        there = _between(match, first, last, body_people) or _unrecognised(doc.body, match, first, last)
        if len({normalise_name(m.entity) for m in there}) != 1:
            continue
        actor = there[0]
        if same_person(actor.entity, _person_at(headline, written)) or same_person(
            actor.span.text, written.text
        ):
            continue
        elsewhere = _copy_of(doc, match, first, last)
        if elsewhere is not None and _same_role(doc.body, actor.span, elsewhere):
            continue  # one of the people the body names together, in one role
        yield written, actor, sentence


def _candidates(doc: Document, match: ClauseMatch) -> Iterator[tuple[int, int]]:
    """``[first, last)`` of the headline's people the body sentence does not copy whole ("Angela
    Colfer" where it has "Gareth Colfer-Williams"), then of each other stretch of up to
    ``MAX_NAME_WORDS`` words it lacks (a name the recogniser missed)."""
    mine = match.alignment.mine
    people = [m.span for m in doc.headline.mentions if m.label == "PERSON"]
    for span in people:
        place = token_range(mine, span) or _word_of(mine, span)
        if place is None:
            continue
        start, stop = place
        if all(match.copied(t) for t in mine[start:stop]):
            # copied whole, but from elsewhere in the sentence: the body names them in another
            # role ("... baritone Luigi Bassi, for whom Mozart had written the role of Don
            # Giovanni"); what stands at the headline's place is compared below
            if match.moved(start, stop):
                yield start, stop
            continue
        # a name the recogniser cut short ("Nicholas" of "Nicholas Hoult"): the capitalised words on
        while stop < len(mine) and stop - start < MAX_NAME_WORDS and _name_word(match, mine[stop]):
            stop += 1
        while start > 0 and stop - start < MAX_NAME_WORDS and _name_word(match, mine[start - 1]):
            start -= 1
        yield start, stop
    first = None
    for i, token in enumerate([*mine, None]):
        if token is not None and not match.copied(token):
            first = i if first is None else first
            continue
        if first is not None and i - first <= MAX_NAME_WORDS:
            lo, hi = mine[first].start, mine[i - 1].end
            if not any(span.start < hi and lo < span.end for span in people):
                yield first, i
        first = None


def _copy_of(doc: Document, match: ClauseMatch, first: int, last: int) -> Span | None:
    """The body's copy of ``mine[first:last]`` when every word of it is copied, else None."""
    words = match.alignment.mine[first:last]
    if not words or not all(match.copied(t) for t in words):
        return None
    copied = match.alignment.copied
    return doc.body.span(copied[words[0].start].start, copied[words[-1].start].end)


def _same_role(text: Text, one: Span, other: Span) -> bool:
    """Whether two names of one sentence stand in the same role of its parse: the same word, or
    coordinated ("Jason Bateman, Michael Cera and Will Arnett"), or in apposition."""
    if text.doc is None:
        return False
    heads = []
    for span in (one, other):
        words = text.doc.char_span(span.start, span.end, alignment_mode="expand")
        if words is None or not len(words):
            return False
        word = words.root
        while word.dep_ in ("conj", "appos", "compound", "flat") and word.head is not word:
            word = word.head
        heads.append(word.i)
    return heads[0] == heads[1]


def _word_of(words: list[Token], span: Span) -> tuple[int, int] | None:
    """The index range of the one word that holds ``span`` with a possessive ending ("Rodgers's",
    "Weir's"), or None."""
    for i, token in enumerate(words):
        if (
            token.start <= span.start
            and span.end < token.end
            and _POSSESSIVE.fullmatch(token.text, span.end - token.start)
        ):
            return i, i + 1
    return None


def _name_word(match: ClauseMatch, token: Token) -> bool:
    return not match.copied(token) and token.text[:1].isupper() and token.key not in STOPWORDS


def _gap(match: ClauseMatch, first: int, last: int) -> tuple[list[Token], Token] | None:
    """The other clause's words where ``mine[first:last]`` stands, and the one next to the copied
    side: between the copies of the words around it, or up to ``MAX_NAME_WORDS + 1`` words right
    after (before) the copy of the word before (after) it."""
    mine, copied = match.alignment.mine, match.alignment.copied
    lo = copied[mine[first - 1].start].end if first > 0 and match.copied(mine[first - 1]) else None
    hi = copied[mine[last].start].start if last < len(mine) and match.copied(mine[last]) else None
    if lo is None and hi is None:
        return None
    gap = [t for t in match.alignment.theirs if (lo is None or t.start >= lo) and (hi is None or t.end <= hi)]
    if lo is not None and hi is not None and len(gap) > MAX_NAME_WORDS + 1:
        return None
    gap = gap[-(MAX_NAME_WORDS + 1) :] if lo is None else gap[: MAX_NAME_WORDS + 1]
    if not gap:
        return None
    return gap, gap[0] if lo is not None else gap[-1]


def _between(match: ClauseMatch, first: int, last: int, people: list[Mention]) -> list[Mention]:
    """The people the other clause names, whole, where ``mine[first:last]`` stands. A name partly
    copied ("Ed Snowden" for "Mr Snowden") is the same person, not another."""
    found = _gap(match, first, last)
    if found is None:
        return []
    gap, edge = found
    return [
        m for m in people if gap[0].start <= m.span.start and m.span.end <= gap[-1].end and _holds(m, edge)
    ]


def _unrecognised(text: Text, match: ClauseMatch, first: int, last: int) -> list[Mention]:
    """A name the recogniser missed where ``mine[first:last]`` stands: two to ``MAX_NAME_WORDS``
    capitalised words, none a stop word or part of another mention, from the copied side on (the
    whole gap between two copied words)."""
    found = _gap(match, first, last)
    if found is None:
        return []
    gap, edge = found
    words = gap if edge is gap[0] else gap[::-1]
    run = []
    for token in words:
        if not token.text[:1].isupper() or token.key in STOPWORDS:
            break
        run.append(token)
    both_sides = all(match.flanks(first, last))
    if not 2 <= len(run) <= MAX_NAME_WORDS or (both_sides and len(run) != len(gap)):
        return []
    run.sort(key=lambda t: t.start)
    span = text.span(run[0].start, run[-1].end)
    if any(
        m.span.start < span.end and span.start < m.span.end and m.label != "OFFICE" for m in text.mentions
    ):
        return []
    return [Mention(span, "PERSON", span.text)]


def _holds(mention: Mention, token: Token) -> bool:
    return mention.span.start < token.end and token.start < mention.span.end


def _headline_person(doc: Document, words: Sequence[Token]) -> Span | None:
    """The headline's words in place of the body's person, as a person: the recognised mention
    they hold (whole), or, where the recogniser missed the name, two or more capitalised words or
    the surname of a person the story or its sources name."""
    lo, hi = words[0].start, words[-1].end
    # an office mention may have taken the name in ("Minister of State Patrick Roberts")
    overlapping = [
        person or m
        for m in doc.headline.mentions
        if m.span.start < hi and lo < m.span.end and m.label != "OFFICE"
        for person in [_as_person(doc, m)]
    ]
    people = [m for m in overlapping if m.label == "PERSON"]
    if people:
        whole = people[0].span
        if not (lo <= whole.start and whole.end <= hi):
            return None
        capitalised = all(t.text[:1].isupper() and t.key not in STOPWORDS for t in words)
        if not capitalised:
            return whole
        possessive = _POSSESSIVE.search(doc.headline.text, lo, hi)
        return doc.headline.span(lo, possessive.start() if possessive else hi)
    if overlapping or not all(t.text[:1].isupper() and t.key not in STOPWORDS for t in words):
        return None
    if len(words) >= 2 or any(n.split()[-1] == words[0].text for n in _known_people(doc)):
        return doc.headline.span(lo, hi)
    return None


_NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _as_person(doc: Document, mention: Mention) -> Mention | None:
    """``mention`` as a person: itself when recognised as one, else, when the recogniser took a
    person's surname for something else ("Copeland" as a place), the person of the story or its
    sources with that surname, if only one has it."""
    if mention.label == "PERSON":
        return mention
    if mention.label in _NOT_NAMES:
        return None
    text = _POSSESSIVE.sub("", mention.span.text)
    if " " in text or not text[:1].isupper():
        return None
    named = {n for n in _known_people(doc) if n.split()[-1] == text}
    return Mention(mention.span, "PERSON", named.pop()) if len(named) == 1 else None


def _known_people(doc: Document) -> set[str]:
    """Full names of the people the story and its sources name."""
    return {
        m.entity
        for text in (*doc.texts, *doc.sources)
        for m in text.mentions
        if m.label == "PERSON" and len(m.entity.split()) >= 2
    }


def _said_there(doc: Document, text: Text, person: Span) -> Evidence | None:
    told = told_by_sources(doc, text, person)
    if told is None:
        return None
    return sentence_evidence(told[0], told[1].start)


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
        )


def _named_in(place: str, text: str) -> bool:
    return re.search(r"\b" + re.escape(place) + r"\b", text) is not None
