"""Mentions: people, organisations, places, offices, dates, numbers and quotations.

For every text (headline, body, each source) this stage lists :class:`Mention` objects with
normalised values, resolves surnames to the full name used elsewhere in the story, and binds
people to offices (:class:`Role`): "Secretary of State Marco Rubio", "Rubio, the Secretary of
State", "Rubio, who is the Secretary of State", "Rubio was Secretary of State", "the Secretary of
State, Marco Rubio,". Pronouns of the story ("he", "she", "him") become ``PERSON_REF`` mentions whose
``entity`` is the full name of the person they refer to; they are kept apart from ``PERSON`` so
that a pronoun is never taken for a name to spell-check or look up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from copydesk.document import Document, Mention, Period, Role, Text
from copydesk.lexicon.dates import normalise_date
from copydesk.lexicon.numbers import parse_number
from copydesk.lexicon.offices import TITLE_PATTERN, office_key
from copydesk.registry import stages
from copydesk.resources import Resources

ENTITY_LABELS = {
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "DATE",
    "CARDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
}
NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
PERSON_REF = "PERSON_REF"
"""Label of a pronoun resolved to a person named earlier in the same text."""

_APPROXIMATION = re.compile(
    r"^(?:about|around|some|nearly|almost|roughly|approximately|over|under|more than|less than|fewer than|"
    r"at least|at most|up to|just over|just under|close to)\s+",
    re.IGNORECASE,
)
# Words that describe what a person does, which the entity recogniser folds into the name when they
# start a sentence ("Midfielder Tomas Reyes", "Analyst Markus Feldt").
_DESCRIPTORS = {
    "midfielder",
    "striker",
    "defender",
    "goalkeeper",
    "forward",
    "winger",
    "captain",
    "coach",
    "manager",
    "analyst",
    "economist",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "lawyer",
    "attorney",
    "professor",
    "dr",
    "doctor",
    "officer",
    "detective",
    "sergeant",
    "inspector",
    "judge",
    "author",
    "actor",
    "actress",
    "singer",
    "chef",
    "founder",
    "investor",
    "activist",
    "researcher",
    "scientist",
    "reporter",
    "candidate",
    "lawmaker",
    "legislator",
    "executive",
    "chief",
    "boss",
    "leader",
    "deputy",
    "rival",
    "veteran",
    "star",
    "player",
    "teammate",
    "resident",
    "witness",
    "survivor",
    "fan",
    "owner",
    "mr",
    "mrs",
    "ms",
}
_GENERIC_TITLES = {
    "president", "minister", "speaker", "chair", "director", "justice", "king", "queen", "representative",
    "envoy", "councillor", "councilor",
}  # fmt: skip
_QUOTE_TAIL = ",.;: "
_CURRENCY = "$£€¥"
_SCALE_AFTER = re.compile(r"(?:m|bn|k|mn)\b")
_FUTURE = re.compile(
    r"\b(?:will|shall|going to|is to|are to|plans? to|scheduled|due to|expected to)\b|'ll\b", re.IGNORECASE
)
_ROLE_DATE_BREAK = re.compile(
    r"\b(?:said|says|told|would|will|that|when|after|before|because|while|which|who|until|since)\b|[;:]",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "him"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# one character at least, so that a short quoted title ("J") still pairs its own marks and the
# text between two quotations is not read as one
_QUOTE = re.compile(r"[\"“]([^\"“”\n]{1,600}?)[\"”]")
_JURISDICTION_BEFORE = re.compile(
    r"(?:\b(?:U\.S\.|US|UK|U\.K\.|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?:'s|’s)?\s+)$"
)
_OF_PLACE = re.compile(r"^\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}")
_TENSE_BEFORE = re.compile(r"\b(former|ex|then|outgoing|incoming|acting|late)[\s-]+$", re.IGNORECASE)
_APPOINTED = r"(?:was|has been|is) (?:appointed|named|elected)(?: as)?|takes over as|took over as"
"""Verbs that give a person an office they still hold ("Rudd, who was appointed home secretary")."""
_BETWEEN_PERSON_AND_OFFICE = re.compile(
    rf"^(?:,\s*|\s+)(?:(who|which)\s+({_APPOINTED}|is|was|has been|had been|became|serves as|served as)\s+|"
    rf"({_APPOINTED}|is|was|has been|became|serves as|served as|remains)\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:(former|then|current|acting|outgoing|incoming)[\s-]+)?"
    r"(?:(?:[A-Z][\w.]*|nation's|country's|state's|city's)\s+){0,2}$",
    re.IGNORECASE,
)


@stages.register("mentions", requires=["sentences"], assigns=["mentions"])
def annotate_mentions(doc: Document, resources: Resources) -> None:
    """Find and resolve the mentions of every text; bind people to offices."""
    for text in (*doc.texts, *doc.sources):
        reference = _text_date(doc, text)
        text.mentions = find_mentions(text, reference)
    add_missed_names((*doc.texts, *doc.sources))
    sourced = [m.entity for s in doc.sources for m in s.mentions if m.label == "PERSON"]
    for source in doc.sources:
        resolve_people([source], fallback=sourced)
    resolve_people(doc.texts, fallback=sourced)
    for text in doc.texts:
        resolve_pronouns(text)
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
            elif ent.label_ in NUMBER_LABELS:
                if approximation := _APPROXIMATION.match(surface):
                    # "about 52,000": the number is "52,000"; "about" is how sure the writer is
                    start += approximation.end()
                start, end = _whole_amount(text.text, start, end)
                surface = text.text[start:end]
            mention = Mention(text.span(start, end), ent.label_, surface)
            if ent.label_ == "DATE":
                mention.value = normalise_date(surface, reference, future=_future_tense(text.text, start))
            elif ent.label_ in NUMBER_LABELS:
                mention.value = parse_number(surface)
            mentions.append(mention)
    for match in _QUOTE.finditer(text.text):
        start, end = match.start(1), match.end(1)
        while end > start and text.text[end - 1] in _QUOTE_TAIL:
            end -= 1  # the comma or full stop before the closing mark belongs to the sentence
        if len(text.text[start:end].split()) >= 3:
            mentions.append(Mention(text.span(start, end), "QUOTE", text.text[start:end]))
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
        # lower-case generic nouns ("the company's president") only count next to a name
        if word in _GENERIC_TITLES and not re.match(r"\s+[A-Z][a-z]", text.text[end : end + 3]):
            continue
        before = _JURISDICTION_BEFORE.search(text.text[max(0, start - 30) : start])
        if before and office_key(before.group(0) + word) != office_key(word):
            start -= len(before.group(0))
        after = _OF_PLACE.match(text.text[end : end + 60])
        if after:
            end += len(after.group(0))
        surface = text.text[start:end]
        yield Mention(text.span(start, end), "OFFICE", office_key(surface) or word.lower())


def _strip_title(raw: str, start: int, end: int, offices: list[Mention]) -> tuple[int, str]:
    """spaCy sometimes includes the title in a PERSON entity ("President Claudia Sheinbaum") or a
    word describing the person ("Midfielder Tomas Reyes")."""
    for office in offices:
        if office.span.start <= start < office.span.end:
            start = office.span.end
    while start < end and raw[start] in " -–—":
        start += 1
    first = re.match(r"([A-Za-z]+)\.?\s+(?=[A-Z])", raw[start:end])
    if first and first.group(1).lower() in _DESCRIPTORS:
        start += first.end()
    return start, raw[start:end]


def _whole_amount(raw: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number to its currency sign and scale: spaCy reads "£18m" as "18"."""
    if start > 0 and raw[start - 1] in _CURRENCY:
        start -= 1
    scale = _SCALE_AFTER.match(raw, end)
    if scale:
        end = scale.end()
    return start, end


def _future_tense(raw: str, start: int) -> bool:
    """Whether the clause before character ``start`` speaks of the future ("will stay closed until")."""
    sentence_start = max(raw.rfind(". ", 0, start), raw.rfind("\n", 0, start)) + 1
    return bool(_FUTURE.search(raw[sentence_start:start]))


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
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
    )
    for text in texts:
        for mention in text.mentions:
            # "Okonkwo said..." read as an organisation although the texts name Linda Okonkwo
            if mention.label in ("ORG", "NORP", "FAC") and mention.span.text in names:
                mention.label = "PERSON"
                mention.entity = mention.span.text
        taken = bytearray(len(text.text))  # 1 for each character some mention already covers
        for m in text.mentions:
            if m.label != "QUOTE":
                taken[m.span.start : m.span.end] = b"\x01" * (m.span.end - m.span.start)
        added = False
        for match in pattern.finditer(text.text):
            start, end = match.span()
            if not any(taken[start:end]):
                text.mentions.append(Mention(text.span(start, end), "PERSON", match.group(0)))
                taken[start:end] = b"\x01" * (end - start)
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


def resolve_pronouns(text: Text) -> None:
    """Add a ``PERSON_REF`` mention for each "he", "she" or "him" that refers to a person named
    before it in ``text``: the subject of the sentence before it ("Haldane said he feared") or, for
    "him", and when the sentence has none, the last person named as a subject earlier on.
    """
    parsed = text.doc
    people = [m for m in text.mentions if m.label == "PERSON"]
    if parsed is None or isinstance(parsed, list) or not people:
        return
    subjects = []
    for person in people:
        span = parsed.char_span(person.span.start, person.span.end, alignment_mode="expand")
        if span is not None:
            subjects.append((person, span.root.dep_ in _SUBJECT_DEPS, span.root.sent.start))
    added = []
    for token in parsed:
        if token.lower_ not in _PRONOUNS or token.pos_ != "PRON":
            continue
        before = [(p, is_subject, sent) for p, is_subject, sent in subjects if p.span.end <= token.idx]
        same_sentence = [p for p, is_subject, sent in before if is_subject and sent == token.sent.start]
        if token.lower_ == "him":
            same_sentence = []  # "Rahman joined him": not Rahman
        earlier = [p for p, is_subject, sent in before if is_subject and sent < token.sent.start]
        candidates = same_sentence or earlier
        if candidates:
            antecedent = candidates[-1]
            span = text.span(token.idx, token.idx + len(token.text))
            added.append(Mention(span, PERSON_REF, antecedent.entity, token.lower_))
    if added:
        text.mentions.extend(added)
        text.mentions.sort(key=lambda m: (m.span.start, -m.span.end))


def _full_names_for(name: str, full_names: list[str]) -> set[str]:
    return {f for f in full_names if f.split()[-1] == name} or {f for f in full_names if f.split()[0] == name}


def find_roles(text: Text) -> list[Role]:
    """People bound to offices in one text."""
    people = [m for m in text.mentions if m.label in ("PERSON", PERSON_REF)]
    offices = [m for m in text.mentions if m.label == "OFFICE"]
    dates = [m for m in text.mentions if m.label == "DATE" and m.value]
    roles: list[Role] = []
    for office in offices:
        tense = _tense_before(text.text, office.span.start)
        # "Secretary of State Marco Rubio": the name follows the title directly, or after given
        # names the entity recogniser left out of the mention ("Governor Amber [Ledwith]").
        person = next((p for p in people if _named_after(text.text, office, p)), None)
        # "The Home Secretary, Daniel Ferris, was in Manchester".
        person = person or next(
            (
                p
                for p in people
                if re.fullmatch(r",\s{1,2}", text.text[office.span.end : p.span.start])
                and re.match(r"\s*[,.;]", text.text[p.span.end : p.span.end + 2])
            ),
            None,
        )
        if person is not None:
            roles.append(Role(person, office, tense, _when(text, dates, person, office)))
            continue
        if text.text.startswith(("'s", "’s"), office.span.end):
            continue  # "James Slack, the Prime Minister's spokesman": someone else's office
        # "Marco Rubio, the Secretary of State" / "Rubio, who is the Secretary of State".
        for candidate in reversed(people):
            if candidate.span.end > office.span.start or office.span.start - candidate.span.end > 60:
                continue
            between = _BETWEEN_PERSON_AND_OFFICE.match(text.text[candidate.span.end : office.span.start])
            if between:
                verb = between.group(2) or between.group(3) or ""
                modifier = (between.group(4) or "").lower()
                role_tense = "former" if modifier == "former" else "then" if modifier == "then" else tense
                if verb.lower() in ("was", "served as", "had been") and role_tense == "current":
                    role_tense = "then"
                roles.append(Role(candidate, office, role_tense, _when(text, dates, candidate, office)))
            break
    return roles


def _named_after(raw: str, office: Mention, person: Mention) -> bool:
    """Whether ``person`` is named right after ``office``, or after given names of theirs that the
    entity recogniser left out of the mention ("Governor Amber [Ledwith]", not "Foreign Minister
    Meets [Pompeo]" in a headline)."""
    between = raw[office.span.end : person.span.start]
    if person.span.start < office.span.end:
        return False
    if len(between) <= 1:
        return True
    given = between.split()
    return (
        between[:1].isspace()
        and between[-1:].isspace()
        and 1 <= len(given) <= 2
        and person.entity.endswith(" ".join([*given, person.span.text]))
    )


def _tense_before(raw: str, start: int) -> str:
    match = _TENSE_BEFORE.search(raw[max(0, start - 12) : start])
    if not match:
        return "current"
    word = match.group(1).lower()
    return {"former": "former", "ex": "former", "late": "former", "then": "then"}.get(word, "current")


def _when(text: Text, dates: list[Mention], person: Mention, office: Mention) -> Period | None:
    """The period a role is stated for: a date of the same clause ("X was Secretary of State in
    2021"), not one a later clause speaks of ("Mayor X said the line would open in 2027")."""
    sentence = text.sentence_at(office.span.start)
    if sentence is None:
        return None
    first = min(person.span.start, office.span.start)
    last = max(person.span.end, office.span.end)
    for date in sorted(dates, key=lambda d: abs(d.span.start - first)):
        if not sentence.start <= date.span.start < sentence.end:
            continue
        between = (
            text.text[last : date.span.start] if date.span.start >= last else text.text[date.span.end : first]
        )
        if not _ROLE_DATE_BREAK.search(between):
            return date.value
    return None
