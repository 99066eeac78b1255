"""Entities: the story's mentions of one person grouped together, headline included.

The mentions stage finds "Mike Pompeo", "Pompeo", "Pompeo's" and "he" one by one; this stage
groups every mention of the same person in the headline and the body into one
:class:`~copydesk.document.Entity`, so that a finding about who someone is can be extended to every
place the story names them (:func:`copydesk.findings.spread_over_entities`).

- a full name, a surname alone ("Pompeo"), a possessive ("Pompeo's"; the mention already leaves
  out the "'s") and a title with a surname ("Secretary Pompeo") join the entity of the full name
  they resolve to; a surname that two people of the story share joins neither;
- a name the entity recogniser took for a place or an organisation ("In Mexico City, Pompeo will
  meet": GPE) joins when it is exactly the name or the surname of a person of the story;
- pronouns ("he", "him", "his", "she", "her") join the person they refer to: the nearest subject
  before them, as the mentions stage resolves them, but never a person of the other gender. The
  gender comes from an honorific ("Mr", "Ms"), from the pronouns the sources use for the person,
  or from a short list of first names; unknown, a pronoun of either gender may attach.

Two people of one story can be written with the same name where one of them was meant: a finding
about one mention then holds at the others only where the sources do not tell that mention's
sentence with that same person (:func:`told_by_sources`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from copydesk.document import Document, Entity, Mention, Span, Text
from copydesk.lexicon.names import name_parts, normalise_name
from copydesk.registry import stages
from copydesk.resources import Resources
from copydesk.stages.alignment import Alignment, Token, align, keys_of, tokens

PRONOUN_GENDER = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
"""Pronouns that refer to one person, with the gender they imply."""

PRONOUN_FOR = {
    ("he", "female"): "she",
    ("him", "female"): "her",
    ("his", "female"): "her",
    ("himself", "female"): "herself",
    ("she", "male"): "he",
    ("her", "male"): "his",
    ("hers", "male"): "his",
    ("herself", "male"): "himself",
}
"""The pronoun of the other gender, for a fix that replaces a person by someone of the other gender.
"her" becomes "his" (possessive) or "him" (object): see :func:`pronoun_for`."""

_MAYBE_PERSON = ("GPE", "ORG", "NORP", "FAC", "LOC")
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s+$")
_HONORIFIC_GENDER = {
    "mr": "male",
    "sir": "male",
    "lord": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
    "dame": "female",
    "lady": "female",
}
_POSSESSIVE_AFTER = re.compile(r"^(?:'s|’s|'|’)(?!\w)")
_WORD = re.compile(r"[A-Za-z]+")

# A short list of first names whose gender is plain; the sources' pronouns and honorifics come first.
_MALE_NAMES = frozenset(
    """aaron adam ahmed alan albert alejandro alexander ali andrew andres andy angel anthony antonio
    antony barack ben benjamin bernie bill bob boris brian carlos charles chris christopher chuck daniel
    david donald edward emmanuel eric felipe francis frank gavin george gustavo hassan henry hunter ivan
    jack jacob jair james javier jean jeff jeffrey jim joe john jonathan jorge jose joseph juan justin
    keir kevin kim lars luis marco mario mark martin matthew michael miguel mike mitch mohammed muhammad
    narendra nicolas olaf oliver pablo paul pedro peter rafael recep rex richard rishi robert ron ronald
    sam samuel scott sergei stephen steve steven ted thomas tim tom tony vladimir volodymyr william xi
    yoon""".split()
)
_FEMALE_NAMES = frozenset(
    """aisha alexandria alice amanda amy ana angela ann anna annalena barbara betsy catherine chrystia
    claudia dilma elena elizabeth elise emily emma giorgia hannah helen hillary isabel jacinda jane
    janet jennifer jessica jill julia kamala karen karine kate katherine kathy kristi kristen laura
    linda lisa liz lucia margaret maria marine marjorie mary melania michelle nancy nikki olga patricia
    rachel rebecca sara sarah sophie sofia susan tulsi ursula valentina victoria yulia""".split()
)


@stages.register("entities", requires=["mentions"], assigns=["entities"])
def annotate_entities(doc: Document, resources: Resources) -> None:
    """Group the headline's and the body's mentions of each person into ``doc.entities``."""
    known = _known_names(doc)
    entities: list[Entity] = []
    for text in doc.texts:
        roles = {(r.person.span.start, r.person.span.end) for r in text.roles}
        for mention in text.mentions:
            if mention.label != "PERSON" and not (
                mention.label in _MAYBE_PERSON and _names_a_person(mention.span.text, known)
            ):
                continue
            name = _full_name(mention, known)
            entity = _entity_for(entities, name)
            if entity is None:
                if len(name.split()) < 2 and _shared_surname(name, known):
                    continue  # "Biden" when the story names two Bidens: nobody in particular
                entity = Entity(name)
                entities.append(entity)
            elif len(name.split()) > len(entity.name.split()):
                entity.name = name
            entity.add(mention, _form(text, mention, roles))
    for entity in entities:
        entity.gender = gender_of(doc, entity)
    for text in doc.texts:
        _attach_pronouns(text, entities)
    for entity in entities:
        order = sorted(
            range(len(entity.mentions)),
            key=lambda i: (entity.mentions[i].span.field != "headline", entity.mentions[i].span.start),
        )
        entity.mentions = [entity.mentions[i] for i in order]
        entity.forms = [entity.forms[i] for i in order]
    doc.entities = entities


def entity_of(doc: Document, field: str, start: int, end: int) -> Entity | None:
    """The entity one of whose mentions is exactly ``field[start:end]``."""
    for entity in doc.entities:
        for mention in entity.mentions:
            span = mention.span
            if span.field == field and span.start == start and span.end == end:
                return entity
    return None


def gender_of(doc: Document, entity: Entity) -> str | None:
    """``male``, ``female`` or None: from an honorific, the sources' pronouns, or the first name."""
    votes = {"male": 0, "female": 0}
    for mention in entity.mentions:
        text = doc.text(mention.span.field)
        honorific = _HONORIFIC.search(text.text[max(0, mention.span.start - 8) : mention.span.start])
        if honorific:
            votes[_HONORIFIC_GENDER[honorific.group(1).lower()]] += 2
    for source in doc.sources:
        for gender, count in _source_pronouns(source, entity.name).items():
            votes[gender] += count
    if votes["male"] != votes["female"]:
        return "male" if votes["male"] > votes["female"] else "female"
    key = name_parts(entity.name)
    if key is not None and " " in key.norm:
        if key.first in _MALE_NAMES:
            return "male"
        if key.first in _FEMALE_NAMES:
            return "female"
    return None


def gender_of_name(doc: Document, name: str) -> str | None:
    """The gender of a person named ``name`` (in the story or only in the sources), or None."""
    for entity in doc.entities:
        if normalise_name(entity.name) == normalise_name(name):
            return entity.gender
    return gender_of(doc, Entity(name))


def pronoun_for(pronoun: str, gender: str, following: str = "") -> str:
    """``pronoun`` for a person of ``gender``, keeping its capital: "he" -> "she", "her" -> "his"
    before a noun and "him" otherwise."""
    word = pronoun.lower()
    if PRONOUN_GENDER.get(word) == gender or gender not in ("male", "female"):
        return pronoun
    replacement = PRONOUN_FOR[(word, gender)]
    if word == "her" and not re.match(r"\s+[a-z]", following):
        replacement = "him"
    return replacement.capitalize() if pronoun[:1].isupper() else replacement


def _known_names(doc: Document) -> list[str]:
    """Full names of the people the story and its sources name."""
    names = []
    for text in (*doc.texts, *doc.sources):
        for mention in text.mentions:
            if mention.label == "PERSON" and len(mention.entity.split()) >= 2:
                names.append(mention.entity)
    return list(dict.fromkeys(names))


def _names_a_person(surface: str, known: list[str]) -> bool:
    words = surface.split()
    if not words or not surface[:1].isupper():
        return False
    if surface in known:
        return True
    return len(words) == 1 and len(surface) >= 3 and any(n.split()[-1] == surface for n in known)


def _full_name(mention: Mention, known: list[str]) -> str:
    name = mention.entity if mention.label == "PERSON" else mention.span.text
    if len(name.split()) == 1:
        matches = {n for n in known if n.split()[-1] == name}
        if len(matches) == 1:
            return matches.pop()
    return name


def _shared_surname(name: str, known: list[str]) -> bool:
    return len({n for n in known if n.split()[-1] == name}) > 1


def _entity_for(entities: list[Entity], name: str) -> Entity | None:
    norm = normalise_name(name)
    if not norm:
        return None
    exact = [e for e in entities if normalise_name(e.name) == norm]
    if exact:
        return exact[0]
    words = norm.split()
    if len(words) == 1:
        matching = [e for e in entities if normalise_name(e.name).split()[-1] == words[0]]
        return matching[0] if len(matching) == 1 else None
    # "Marco Rubio" after "Rubio" alone made an entity of its own
    single = [e for e in entities if normalise_name(e.name) == words[-1]]
    return single[0] if len(single) == 1 else None


def _form(text: Text, mention: Mention, roles: set[tuple[int, int]]) -> str:
    if (mention.span.start, mention.span.end) in roles:
        return "title"
    if _POSSESSIVE_AFTER.match(text.text[mention.span.end : mention.span.end + 3]):
        return "possessive"
    return "name" if len(mention.span.text.split()) >= 2 else "surname"


def _source_pronouns(source: Text, name: str) -> dict[str, int]:
    """How often the sentence naming ``name`` first, and the next one, use he/his or she/her."""
    key = name_parts(name)
    counts = {"male": 0, "female": 0}
    if key is None or not source.sentences:
        return counts
    surname = key.surname
    sentences = source.sentences
    for index, sentence in enumerate(sentences):
        people = [
            m
            for m in source.mentions_in(sentence.start, sentence.end, "PERSON")
            if name_parts(m.entity) is not None
        ]
        if not people or name_parts(people[0].entity).surname != surname:  # type: ignore[union-attr]
            continue
        window = sentence.text[people[0].span.end - sentence.start :]
        if index + 1 < len(sentences):
            # "She met Chancellor Brandt": the next sentence, up to the next person it names
            following = sentences[index + 1]
            named = source.mentions_in(following.start, following.end, "PERSON")
            window += " " + source.text[following.start : named[0].span.start if named else following.end]
        for word in _WORD.findall(window):
            gender = PRONOUN_GENDER.get(word.lower())
            if gender:
                counts[gender] += 1
    return counts


def _attach_pronouns(text: Text, entities: list[Entity]) -> None:
    """Attach each pronoun of ``text`` to the person it refers to, of a gender that fits."""
    named = sorted(
        (
            (m.span.start, entity)
            for entity in entities
            for m, form in zip(entity.mentions, entity.forms, strict=True)
            if m.span.field == text.name and form != "pronoun"
        ),
        key=lambda item: item[0],
    )
    if not named:
        return
    resolved = {m.span.start: m for m in text.mentions if m.label == "PERSON_REF"}
    for token, start in _pronoun_tokens(text):
        gender = PRONOUN_GENDER[token.lower()]
        before = [(position, entity) for position, entity in named if position < start]
        if not before:
            continue
        chosen = None
        previous = resolved.get(start)
        if previous is not None:
            chosen = next(
                (e for _, e in reversed(before) if normalise_name(e.name) == normalise_name(previous.entity)),
                None,
            )
        if chosen is None or chosen.gender not in (None, gender):
            fitting = [e for _, e in before if e.gender == gender] or [
                e for _, e in before if e.gender is None
            ]
            chosen = fitting[-1] if fitting else None
        if previous is not None:
            if chosen is None:
                text.mentions.remove(previous)  # "she" for a man: no antecedent rather than a wrong one
            else:
                previous.entity = chosen.name
        if chosen is not None:
            mention = previous or Mention(text.span(start, start + len(token)), "PERSON_REF", chosen.name)
            mention.value = token.lower()
            chosen.add(mention, "pronoun")


def _pronoun_tokens(text: Text) -> Iterable[tuple[str, int]]:
    parsed = text.doc
    if parsed is not None and not isinstance(parsed, list):
        for token in parsed:
            if token.lower_ in PRONOUN_GENDER and token.pos_ in ("PRON", "DET"):
                yield token.text, token.idx
        return
    for match in re.finditer(r"\b(?:" + "|".join(PRONOUN_GENDER) + r")\b", text.text, re.IGNORECASE):
        yield match.group(0), match.start()


# -- a clause told again with the same person, or with another ----------------------------------

MIN_CLAUSE_WORDS = 3
"""Words outside the names two clauses must share, in order, to be taken as one clause told twice."""
MIN_CLAUSE_SHARE = 0.6
"""Share of a clause's words outside the names the other must repeat, in order."""


@dataclass(frozen=True)
class ClauseMatch:
    """A clause aligned word by word with another (:func:`copydesk.stages.alignment.align`),
    counted without the clause's names: what stands where is what the two say of whom."""

    alignment: Alignment
    matched: int
    """Words of the clause outside its names aligned with an equal word of the other."""
    share: float

    def copied(self, token: Token) -> bool:
        return token.start in self.alignment.copied

    def flanks(self, first: int, last: int) -> tuple[bool, bool]:
        """Whether the words right before and right after ``mine[first:last]`` are copied."""
        mine = self.alignment.mine
        before = first > 0 and self.copied(mine[first - 1])
        after = last < len(mine) and self.copied(mine[last])
        return before, after

    def moved(self, first: int, last: int) -> bool:
        """Whether the copy of the name ``mine[first:last]`` stands away from the copies of the
        copied words around it: the other clause names the person elsewhere, in another role
        ("... baritone Luigi Bassi, for whom Mozart had written the role"), and puts another word
        at this place. Words of the name the other clause does not copy ("Ed" of "Ed Snowden"
        against "Mr Snowden") may stand between."""
        mine, copied = self.alignment.mine, self.alignment.copied
        inside = [i for i in range(first, last) if self.copied(mine[i])]
        if not inside:
            return False
        index = {t.start: i for i, t in enumerate(self.alignment.theirs)}

        def where(i: int) -> int:
            return index[copied[mine[i].start].start]

        before, after = self.flanks(first, last)
        if before and not 0 < where(inside[0]) - where(first - 1) <= inside[0] - first + 1:
            return True
        return after and not 0 < where(last) - where(inside[-1]) <= last - inside[-1]

    def same_clause(self, flanked: bool = False) -> bool:
        """Enough words in common, in order: three, or two that stand on both sides of the name
        compared ("Dr. Randy Zelin, 54" and "Dr. Anthony Moschetto, 54, pleaded ...") or that are
        all the clause has besides its names ("The architect, Helen Carter")."""
        return self.share >= MIN_CLAUSE_SHARE and (
            self.matched >= MIN_CLAUSE_WORDS or (self.matched >= 2 and (flanked or self.share == 1.0))
        )


def match_clause(mine: list[Token], names: Sequence[Span], theirs: list[Token]) -> ClauseMatch:
    """``mine`` aligned with ``theirs``; ``names`` (spans of ``mine``'s text) are left out of the count."""
    alignment = align(mine, theirs)
    outside = [t for t in mine if not _within(t, names)]
    matched = sum(1 for t in outside if t.start in alignment.copied)
    return ClauseMatch(alignment, matched, matched / len(outside) if outside else 0.0)


def people_spans(text: Text, start: int, end: int) -> list[Span]:
    """The spans of the people ``text`` names between ``start`` and ``end``."""
    return [m.span for m in text.mentions_in(start, end) if m.label in ("PERSON", "PERSON_REF")]


def token_range(words: list[Token], span: Span) -> tuple[int, int] | None:
    """The indexes ``[first, last)`` of the words ``span`` covers, or None."""
    inside = [i for i, t in enumerate(words) if span.start <= t.start and t.end <= span.end]
    return (inside[0], inside[-1] + 1) if inside else None


def told_by_sources(doc: Document, text: Text, person: Span) -> tuple[Text, Span] | None:
    """The source sentence that tells ``person``'s sentence (of the headline or the body) with the
    same person at the same place: its other words, in order, around the same surname.

    Where it does, that mention is right whatever a finding about another mention of the name
    says: "Brian Stelter" the reporter is not the managing editor the headline calls so.
    """
    sentence = text.sentence_at(person.start) if text.name != "headline" else text.span(0, len(text.text))
    if sentence is None or not doc.sources:
        return None
    mine = tokens(sentence.text, sentence.start)
    place = token_range(mine, person)
    if place is None:
        return None
    names = people_spans(text, sentence.start, sentence.end)
    keys = {t.key for t in mine if not _within(t, names)}
    needed = min(MIN_CLAUSE_WORDS, len(keys))
    for source in doc.sources:
        for candidate in source.sentence_spans():
            if len(keys & keys_of(candidate.text)) < needed:
                continue
            match = match_clause(mine, names, tokens(candidate.text, candidate.start))
            # the surname at the same place: "Mr Snowden" tells of "Ed Snowden"
            if (
                match.same_clause(all(match.flanks(*place)))
                and match.copied(mine[place[1] - 1])
                and not match.moved(*place)
            ):
                return source, candidate
    return None


def _within(token: Token, spans: Sequence[Span]) -> bool:
    return any(s.start <= token.start and token.end <= s.end for s in spans)
