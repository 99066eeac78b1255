"""Mentions: people, organisations, places, offices, dates, numbers and quotations.

For every text (headline, body, each source) this stage lists :class:`Mention` objects with
normalised values, resolves surnames to the full name used elsewhere in the story, and binds
people to offices (:class:`Role`): "Secretary of State Marco Rubio", "Rubio, the Secretary of
State", "Rubio, who is the Secretary of State", "Rubio was Secretary of State".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from copydesk.dates import normalise_date
from copydesk.document import Document, Mention, Period, Role, Text
from copydesk.numbers import parse_number
from copydesk.offices import TITLE_PATTERN, office_key
from copydesk.resources import Resources

ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE", "CARDINAL", "MONEY",
                 "PERCENT", "QUANTITY"}
NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_QUOTE = re.compile(r"[\"“]([^\"“”\n]{3,600}?)[\"”]")
_JURISDICTION_BEFORE = re.compile(
    r"(?:\b(?:U\.S\.|US|UK|U\.K\.|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:'s|’s)?\s+)$"
)
_OF_PLACE = re.compile(r"^\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}")
_TENSE_BEFORE = re.compile(r"\b(former|ex|then|outgoing|incoming|acting|late)[\s-]+$", re.IGNORECASE)
_BETWEEN_PERSON_AND_OFFICE = re.compile(
    r"^(?:,\s*|\s+)(?:(who|which)\s+(is|was|has been|had been|became|serves as|served as)\s+|"
    r"(is|was|has been|became|serves as|served as|remains)\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:(former|then|current|acting|outgoing|incoming)[\s-]+)?"
    r"(?:(?:[A-Z][\w.]*|nation's|country's|state's|city's)\s+){0,2}$",
    re.IGNORECASE,
)


def annotate_mentions(doc: Document, resources: Resources) -> None:
    """Find and resolve the mentions of every text; bind people to offices."""
    for text in (*doc.texts, *doc.sources):
        reference = _text_date(doc, text)
        text.mentions = find_mentions(text, reference)
    add_missed_names((*doc.texts, *doc.sources))
    for source in doc.sources:
        resolve_people([source])
    resolve_people(doc.texts, fallback=[m.entity for s in doc.sources for m in s.mentions if m.label == "PERSON"])
    for text in (*doc.texts, *doc.sources):
        text.roles = find_roles(text)
    for claim in doc.claims:
        own = doc.text(claim.span.field)
        dates = [m.value for m in own.mentions_in(claim.span.start, claim.span.end, "DATE") if m.value]
        if dates:
            claim.when = dates[0]


def _text_date(doc: Document, text: Text) -> dt.date | None:
    if text.source is not None and text.source.published:
        return text.source.published
    return doc.published


def find_mentions(text: Text, reference: dt.date | None) -> list[Mention]:
    """Entities, offices and quotations of one text, sorted by position."""
    offices = list(_offices(text))
    mentions = list(offices)
    for offset, parsed in _parsed_pieces(text):
        for ent in parsed.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            surface = text.text[start:end]
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                trimmed = _POSSESSIVE.sub("", surface)
                end -= len(surface) - len(trimmed)
                surface = trimmed
            if any(o.span.start <= start and end <= o.span.end for o in offices):
                continue  # "State" inside "Secretary of State" is not an organisation
            if ent.label_ == "PERSON":
                start, surface = _strip_title(text.text, start, end, offices)
                if not surface:
                    continue
            mention = Mention(text.span(start, end), ent.label_, surface)
            if ent.label_ == "DATE":
                mention.value = normalise_date(surface, reference)
            elif ent.label_ in NUMBER_LABELS:
                mention.value = parse_number(surface)
            mentions.append(mention)
    for match in _QUOTE.finditer(text.text):
        if len(match.group(1).split()) >= 3:
            mentions.append(Mention(text.span(match.start(1), match.end(1)), "QUOTE", match.group(1)))
    mentions.sort(key=lambda m: (m.span.start, -m.span.end))
    return mentions


def _parsed_pieces(text: Text) -> Iterable[tuple[int, Any]]:
    """(offset, spaCy doc) pieces of a text: story texts are one doc, sources several chunks."""
    if text.doc is None:
        return []
    return text.doc if isinstance(text.doc, list) else [(0, text.doc)]


def _offices(text: Text) -> Iterable[Mention]:
    for match in TITLE_PATTERN.finditer(text.text):
        start, end = match.span()
        word = match.group(0)
        if word.islower() and word in ("president", "minister", "speaker", "chair", "director", "justice",
                                       "king", "queen", "representative", "envoy"):
            # lower-case generic nouns ("the company's president") only count next to a name
            if not re.match(r"\s+[A-Z][a-z]", text.text[end:end + 3]):
                continue
        before = _JURISDICTION_BEFORE.search(text.text[max(0, start - 30):start])
        if before and office_key(before.group(0) + word) != office_key(word):
            start -= len(before.group(0))
        after = _OF_PLACE.match(text.text[end:end + 60])
        if after:
            end += len(after.group(0))
        surface = text.text[start:end]
        yield Mention(text.span(start, end), "OFFICE", office_key(surface) or word.lower())


def _strip_title(raw: str, start: int, end: int, offices: list[Mention]) -> tuple[int, str]:
    """spaCy sometimes includes the title in a PERSON entity ("President Claudia Sheinbaum")."""
    for office in offices:
        if office.span.start <= start < office.span.end:
            start = office.span.end
    while start < end and raw[start] in " -–—":
        start += 1
    return start, raw[start:end]


def add_missed_names(texts: Iterable[Text]) -> None:
    """Mark names the entity recogniser missed in one place but found in another.

    spaCy's small model finds "Marco Rubio" in one sentence and misses "Rubio" at the start of
    the next; every full name and surname found anywhere in the story or its sources is looked for
    in every text.
    """
    texts = list(texts)
    names: set[str] = set()
    for text in texts:
        for mention in text.mentions:
            if mention.label == "PERSON":
                parts = mention.entity.split()
                names.add(mention.entity)
                if len(parts) >= 2 and len(parts[-1]) >= 3:
                    names.add(parts[-1])
    names = {n for n in names if n[:1].isupper()}
    if not names:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
    for text in texts:
        taken = [(m.span.start, m.span.end) for m in text.mentions if m.label != "QUOTE"]
        added = False
        for match in pattern.finditer(text.text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                text.mentions.append(Mention(text.span(match.start(), match.end()), "PERSON", match.group(0)))
                taken.append(match.span())
                added = True
        if added:
            text.mentions.sort(key=lambda m: (m.span.start, -m.span.end))


def resolve_people(texts: list[Text], fallback: Iterable[str] = ()) -> None:
    """Give every PERSON mention the full name the texts use for that person.

    A single name ("Pompeo") resolves to the full name ("Mike Pompeo") that ends or starts with it,
    looked for in ``texts`` first, then among the ``fallback`` names (the sources'); a full name
    resolves to itself.
    """
    people = [m for t in texts for m in t.mentions if m.label == "PERSON"]
    own = [m.entity for m in people if len(m.entity.split()) >= 2]
    other = [name for name in fallback if len(name.split()) >= 2]
    for mention in people:
        if len(mention.entity.split()) == 1:
            for full_names in (own, other):
                matches = _full_names_for(mention.entity, full_names)
                if len(matches) == 1:
                    mention.entity = matches.pop()
                    break


def _full_names_for(name: str, full_names: list[str]) -> set[str]:
    return {f for f in full_names if f.split()[-1] == name} or {f for f in full_names if f.split()[0] == name}


def find_roles(text: Text) -> list[Role]:
    """People bound to offices in one text."""
    people = [m for m in text.mentions if m.label == "PERSON"]
    offices = [m for m in text.mentions if m.label == "OFFICE"]
    dates = [m for m in text.mentions if m.label == "DATE" and m.value]
    roles: list[Role] = []
    for office in offices:
        tense = _tense_before(text.text, office.span.start)
        # "Secretary of State Marco Rubio": the name follows the title directly.
        person = next((p for p in people if 0 <= p.span.start - office.span.end <= 1), None)
        if person is not None:
            roles.append(Role(person, office, tense, _when(text, dates, office)))
            continue
        # "Marco Rubio, the Secretary of State" / "Rubio, who is the Secretary of State".
        for candidate in reversed(people):
            if candidate.span.end > office.span.start or office.span.start - candidate.span.end > 60:
                continue
            between = _BETWEEN_PERSON_AND_OFFICE.match(text.text[candidate.span.end:office.span.start])
            if between:
                verb = between.group(2) or between.group(3) or ""
                modifier = (between.group(4) or "").lower()
                role_tense = "former" if modifier == "former" else "then" if modifier == "then" else tense
                if verb.lower() in ("was", "served as", "had been") and role_tense == "current":
                    role_tense = "then"
                roles.append(Role(candidate, office, role_tense, _when(text, dates, office)))
            break
    return roles


def _tense_before(raw: str, start: int) -> str:
    match = _TENSE_BEFORE.search(raw[max(0, start - 12):start])
    if not match:
        return "current"
    word = match.group(1).lower()
    return {"former": "former", "ex": "former", "late": "former", "then": "then"}.get(word, "current")


def _when(text: Text, dates: list[Mention], office: Mention) -> Period | None:
    """The period a role is stated for: a date in the same sentence, if any."""
    sentence = next((s for s in text.sentences if s.start <= office.span.start < s.end), None)
    if sentence is None:
        return None
    inside = [d.value for d in dates if sentence.start <= d.span.start < sentence.end]
    return inside[0] if inside else None
