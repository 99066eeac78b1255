"""Checks against the time-aware knowledge base, with or without sources.

- *wrong person for office*: "Mike Pompeo, the Secretary of State" in a story dated 2025-08-29,
  when the KB says Marco Rubio held the office that day (fix: "Marco Rubio");
- *wrong title*: "Senator Rubio" presented as current after Rubio left the Senate (fix: his
  office at that date when the KB knows it, else "former Senator");
- *misspelled name*: "Antonio Blinken", close to the KB's "Antony Blinken" and nobody's own name;
- *wrong date*: "Antony Blinken's tenure in 2019", a year outside his term.

The date a role is checked at: the role's own date, else its claim's, else a period the sentence
names through the KB ("the seventh month of the Trump administration"), else the publication
date (not for "then-" titles, which talk about the past). Sources win: a role whose office a
source states is left to the source-based checkers.

The knowledge bases come in layers (:mod:`copydesk.knowledge.layers`): the user's, then the
built-in one of heads of state and government. Each role is decided by the first layer that knows
the office at that date. With the built-in layer:

- a title qualified by a country is checked only against that country's holders; a title without
  one ("Prime Minister Kishida") only in the one country where the person named held office;
- a person named with the other office of their country gets *wrong title* ("Olaf Scholz, the
  German President" -> "German Chancellor");
- after the base's horizon (its last edition), a different name is a warning, "as of <horizon>";
- titles a country qualifies are also read here, bound to a name the base knows, when the
  mentions stage read no role for them (:meth:`KnowledgeChecker.roles_of`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from copydesk.checkers import Checker, register
from copydesk.document import Document, Mention, Period, Role, Span, Text
from copydesk.findings import finding
from copydesk.knowledge.layers import KnowledgeLayers
from copydesk.knowledge.periods import RelativePeriod, find_relative_periods, person_terms
from copydesk.knowledge.store import Fact, KnowledgeBase, Office, Person
from copydesk.lexicon.countries import countries_in, country_by_key
from copydesk.lexicon.names import name_parts, same_person, strip_accents
from copydesk.lexicon.offices import (
    NAME_PATTERN,
    TITLE_PATTERN,
    TitleInText,
    incompatible_offices,
    office_key,
    same_office,
    title_in_style_of,
    titles_with_country,
)
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind, Severity

NAME = "knowledge"
MISSPELLING_SCORE = 88.0
MIN_OVERLAP = 0.1
"""A period that shares less than this fraction of its days with a term is taken as outside it."""

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
"""Sentences for texts the pipeline did not split; a capital letter before a dot ("U.S.") is no end."""


@register(NAME, requires=["mentions", "claims"])
def make(resources: Resources) -> Checker | None:
    kb = resources.kb
    if kb is None:
        return None
    return KnowledgeChecker(kb)


def fact_evidence(fact: Fact) -> Evidence:
    return Evidence(origin="knowledge_base", quote=fact.describe(), provenance=fact.provenance)


def person_provenance(kb: KnowledgeBase, person: Person) -> str:
    if person.key.startswith("Q"):
        return f"wikidata {person.key}"
    if person.key.startswith("factbook:"):
        return kb.meta("source") or "World Factbook"
    facts = kb.facts_of(person)
    return facts[0].provenance if facts else "learned"


def replacement(span_text: str, full_name: str) -> str:
    """What replaces a person mention: the full name, or the surname for a surname-only mention."""
    return full_name.split()[-1] if len(span_text.split()) == 1 else full_name


def _period_days(period: Period) -> int:
    return (period.end - period.start).days + 1


_UNKNOWN = object()
"""A layer's answer when it does not know the office at that date: ask the next one."""


class KnowledgeChecker:
    """Checks against knowledge bases in layers (:class:`KnowledgeLayers`, the user's over the
    built-in one) or against one base alone."""

    def __init__(self, kb: KnowledgeBase | KnowledgeLayers) -> None:
        self.layers = kb if isinstance(kb, KnowledgeLayers) else KnowledgeLayers(kb, None)
        self.kb = self.layers.layers[0]
        self._on: dt.date | None = None
        self._countries: set[str] | None = None
        self._doc: Document | None = None

    def _evidence(self, fact: Fact) -> Evidence:
        return Evidence(
            origin="knowledge_base", quote=self.layers.quote(fact, self._on), provenance=fact.provenance
        )

    def __call__(self, doc: Document) -> Iterator[Finding]:
        self._relative: dict[tuple[str, int], list[RelativePeriod]] = {}
        self._relative_kb: dict[tuple[str, int], KnowledgeBase] = {}
        people = sorted(
            {m.entity or m.span.text for t in doc.texts for m in t.mentions if m.label == "PERSON"}
        )
        self._doc = doc
        self._countries = None  # the countries the story names, read when needed
        for text in doc.texts:
            for role in self.roles_of(text):
                found = self._check_role(doc, text, role, people)
                if found is not None:
                    yield found
            yield from self._check_tenure_dates(doc, text)
        yield from self._check_names(doc)

    # -- roles the mentions stage may miss --------------------------------------------------------

    def roles_of(self, text: Text) -> list[Role]:
        """The text's roles, plus those of titles a country qualifies ("the president of Panama",
        "Brazil's president, Lula da Silva,") bound to a name a knowledge base knows: the entity
        recogniser misses many foreign names, and lower-case titles ("president") are only read
        next to a name."""
        roles = list(text.roles)
        for title in titles_with_country(text.text):
            overlapping = [
                r for r in roles if r.office.span.start < title.end and title.start < r.office.span.end
            ]
            office = Mention(text.span(title.start, title.end), "OFFICE", title.key)
            known = [r for r in overlapping if self._known(r.person.entity or r.person.span.text)]
            if known:
                # the mentions stage may have cut the country short ("Bissau's prime minister")
                for role in known:
                    place = (role.office.entity or "").partition("|")[2]
                    if country_by_key(place) is None:
                        roles[roles.index(role)] = Role(role.person, office, role.tense, role.when)
                continue
            tense = _tense_before(text.text, title.start)
            person = self._name_near(text, title)
            if person is None or tense == "former":
                continue
            roles = [r for r in roles if r not in overlapping] + [Role(person, office, tense)]
        return roles

    def _known(self, name: str) -> bool:
        return any(layer.find_people(name, limit=1) for layer in self.layers.layers)

    def _name_near(self, text: Text, title: TitleInText) -> Mention | None:
        """A name a knowledge base knows right after the title, after it between commas, or before
        it followed by a comma ("Najib Miqati, the prime minister of Lebanon")."""
        raw = text.text
        candidates: list[tuple[int, int]] = []
        if title.name is not None:
            candidates.append(title.name)
        after = _name_after().match(raw, title.end, title.end + 120)
        if after is not None:  # "Canadian Prime Minister Mark Carney", "Brazil's president, Lula,"
            candidates.append(after.span(1) if after.group(1) else after.span(2))
        window = max(0, title.start - 120)
        before = _name_before().search(raw, window, title.start)
        if before is not None:
            candidates.append(before.span(1))
        for start, end in candidates:
            words = list(re.finditer(r"\S+", raw[start:end]))
            # the longest run of words, from the title's side, that is somebody's name
            spans = [(start, start + w.end()) for w in reversed(words)]
            if start < title.start:
                spans = [(start + w.start(), end) for w in words]
            for a, b in spans:
                name = raw[a:b].rstrip(",.;")
                if self._known(name):
                    return Mention(text.span(a, a + len(name)), "PERSON", name)
        return None

    # -- when ------------------------------------------------------------------------------------

    def _relative_periods(self, doc: Document, text: Text, sentence: Span) -> list[RelativePeriod]:
        cache_key = (text.name, sentence.start)
        if cache_key not in self._relative:
            found: list[RelativePeriod] = []
            for layer in self.layers.layers:  # the first base that resolves a phrase
                found = find_relative_periods(sentence.text, layer, doc.published)
                if found:
                    self._relative_kb[cache_key] = layer
                    break
            self._relative[cache_key] = found
        return self._relative[cache_key]

    def when(self, doc: Document, text: Text, role: Role) -> Period | None:
        """The period a role is stated for (see the module docstring)."""
        if role.when is not None:
            return role.when
        start = role.person.span.start
        for claim in doc.claims:
            if (
                claim.when is not None
                and claim.span.field == text.name
                and claim.span.start <= start < claim.span.end
            ):
                return claim.when
        sentence = text.sentence_at(start)
        if sentence is not None:
            for relative in self._relative_periods(doc, text, sentence):
                # "the Trump administration" in "Secretary of State Rubio of the Trump administration" is
                # about Rubio's own role; only a different person's term dates the sentence.
                if not same_person(relative.person, role.person.entity or role.person.span.text):
                    return relative.period
        if role.tense == "current" and doc.published is not None:
            return Period(doc.published, doc.published)
        return None

    # -- roles -----------------------------------------------------------------------------------

    def _sources_state(self, doc: Document, key: str) -> bool:
        for source in doc.sources:
            if any(same_office(r.office.entity or "", key) for r in source.roles):
                return True
            if not source.roles:
                title = key.partition("|")[0]
                for match in TITLE_PATTERN.finditer(source.text):
                    if match.group(0).lower() == title:
                        return True
        return False

    def _check_role(self, doc: Document, text: Text, role: Role, people: list[str]) -> Finding | None:
        if role.tense == "former":
            return None
        name = role.person.entity or role.person.span.text
        key = role.office.entity or office_key(role.office.span.text)
        period = self.when(doc, text, role) if key else None
        if not key or period is None or self._sources_state(doc, key):
            return None
        written = name_parts(name)
        if written is None:
            return None
        for layer in self.layers.layers:
            found = self._check_role_in(layer, text, role, people, key, name, written.norm, period)
            if found is not _UNKNOWN:
                return found  # type: ignore[return-value]
        return None

    def _check_role_in(
        self,
        kb: KnowledgeBase,
        text: Text,
        role: Role,
        people: list[str],
        key: str,
        name: str,
        norm: str,
        period: Period,
    ) -> Finding | object | None:
        """The finding one layer makes about a role, None when it finds the role right, or
        :data:`_UNKNOWN` when it does not know the office at that date."""
        horizon = self.layers.horizon if self.layers.is_builtin(kb) else None
        beyond = horizon is not None and period.start > horizon
        if beyond:
            period = Period(horizon, horizon)  # type: ignore[arg-type]
        self._on = period.start if period.start == period.end else period.end
        claimed = kb.find_people(name, limit=10)
        if " " not in norm:  # a lone surname: only the people the story names in full
            claimed = [
                p
                for p in claimed
                if any(same_person(p.name, n) for n in people) or _norm(p.name) == norm  # "Henri", "Naruhito"
            ]
            exact = [p for p in claimed if _norm(p.name) == norm]
            claimed = exact or claimed  # King "Ibrahim" of Malaysia, not Prime Minister Anwar Ibrahim
        written = role.person.span.text
        if _norm(written) not in (None, norm):  # "Ibrahim", resolved to "Anwar Ibrahim", is also a king
            claimed += [p for p in kb.find_people(written, limit=10) if _norm(p.name) == _norm(written)]
        if not claimed and " " not in norm and self.layers.is_builtin(kb):
            return None  # a single word nobody in the base is called: not enough to name a person
        offices = self._offices(kb, key, people, claimed)
        if not offices:
            return _UNKNOWN
        claimed_ids = {p.id for p in claimed}
        office_ids = {o.id for o in offices}
        own = [f for p in claimed for f in kb.facts_of(p) if f.office.id in office_ids]
        if any(f.possibly_during(period) for f in own):
            return None
        top = offices[0]
        known = kb.facts_for_office(top, period)
        other = self._other_office(kb, claimed, offices, key, period)
        holder = self._single_holder(kb, top, period, claimed_ids, name)
        found: Finding | None = None
        if other is not None:
            found = self._wrong_office(role, other, holder, period)
        elif holder is not None:
            found = self._wrong_person(text, role, holder, own, period)
        elif own and role.tense == "current":
            found = self._wrong_title(kb, text, role, claimed, own, period)
        elif own:
            found = self._wrong_then_date(text, role, own, period)
        elif not known:
            return _UNKNOWN
        if found is not None and beyond:
            found = found.model_copy(
                update={
                    "severity": Severity.WARNING,
                    "confidence": round(found.confidence * 0.7, 3),
                    "message": f"The story is dated after the knowledge base's last edition; as of "
                    f"{horizon.isoformat()} the knowledge base lists: {found.message}",  # type: ignore[union-attr]
                }
            )
        return found

    def _offices(self, kb: KnowledgeBase, key: str, people: list[str], claimed: list[Person]) -> list[Office]:
        """The offices a role's title names in one base. In the built-in base a title without a
        country ("the President") is read only from the story: it is the office of that title in the
        country where the person named held office, if there is exactly one such country."""
        if "|" in key or not self.layers.is_builtin(kb):
            return kb.rank_offices(key, people)
        title = key
        places = {
            k.partition("|")[2]
            for person in claimed
            for fact in kb.facts_of(person)
            for k in kb.office_keys_of(fact.office)
        } - {""}
        offices = {
            (o.id, place): o for place in sorted(places) for o in kb.offices_for_key(f"{title}|{place}")
        }
        if len(offices) > 1:  # several countries: the one the story names, if it names one
            if self._countries is None:
                texts = self._doc.texts if self._doc is not None else []
                self._countries = {key for t in texts for key in countries_in(t.text)}
            offices = {k: o for k, o in offices.items() if k[1] in self._countries}
        return list(offices.values()) if len(offices) == 1 else []

    def _other_office(
        self, kb: KnowledgeBase, claimed: list[Person], offices: list[Office], key: str, period: Period
    ) -> Fact | None:
        """The office of the same country the person held instead, when it cannot be held together
        with the one the story gives ("Olaf Scholz, the German President": he was chancellor)."""
        places = {k.partition("|")[2] for o in offices for k in kb.office_keys_of(o)} - {""}
        ids = {o.id for o in offices}
        for person in claimed:
            for fact in kb.facts_of(person):
                if fact.office.id in ids:
                    continue
                held = (
                    fact.surely_on(period.start)
                    if period.start == period.end
                    else fact.possibly_during(period)
                )
                if not held:
                    continue
                keys = kb.office_keys_of(fact.office)
                if any(k.partition("|")[2] in places and incompatible_offices(key, k) for k in keys):
                    return fact
        return None

    def _wrong_office(self, role: Role, held: Fact, holder: Fact | None, period: Period) -> Finding:
        message = f"{held.person.name} was {held.office.label} {_describe_period(period)}"
        if holder is not None:
            message += f"; {holder.person.name} held {holder.office.label}"
        evidence = [self._evidence(held), *([self._evidence(holder)] if holder is not None else [])]
        return finding(
            role.office.span,
            FindingKind.WRONG_TITLE,
            message + ".",
            checker=NAME,
            confidence=0.8 if held.origin != "learned" else 0.7,
            evidence=evidence,
            fix=title_in_style_of(held.office.label, role.office.span.text),
        )

    def _single_holder(
        self, kb: KnowledgeBase, office: Office, period: Period, claimed_ids: set[int], name: str
    ) -> Fact | None:
        """The one other person who held ``office`` through ``period``, or None (nobody, or several)."""
        facts = [
            f
            for f in kb.facts_for_office(office, period)
            if f.person.id not in claimed_ids and not same_person(f.person.name, name)
        ]
        if period.start == period.end:
            facts = [f for f in facts if f.surely_on(period.start)]
        else:
            needed = max(1, int(_period_days(period) * MIN_OVERLAP))
            facts = [f for f in facts if f.start is not None and f.overlap_days(period) >= needed]
        holders: dict[str, Fact] = {}
        for fact in facts:
            holder_key = name_parts(fact.person.name)
            holders.setdefault(holder_key.norm if holder_key else fact.person.name, fact)
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _wrong_person(self, text: Text, role: Role, holder: Fact, own: list[Fact], period: Period) -> Finding:
        name = role.person.entity or role.person.span.text
        when = _describe_period(period)
        confidence = 0.9 if own else 0.75
        if holder.origin == "learned":
            confidence -= 0.1
        evidence = [self._evidence(holder), *(self._evidence(f) for f in own[:2])]
        return finding(
            role.person.span,
            FindingKind.WRONG_PERSON_FOR_OFFICE,
            f"{holder.person.name}, not {name}, held {holder.office.label} {when}.",
            checker=NAME,
            confidence=confidence,
            evidence=evidence,
            fix=replacement(role.person.span.text, holder.person.name),
        )

    def _wrong_title(
        self,
        kb: KnowledgeBase,
        text: Text,
        role: Role,
        claimed: list[Person],
        own: list[Fact],
        period: Period,
    ) -> Finding | None:
        ended = [f for f in own if f.latest_end is not None and f.latest_end < period.start]
        if not ended:
            return None
        last = max(ended, key=lambda f: f.latest_end)  # type: ignore[arg-type,return-value]
        current = [
            f
            for p in claimed
            for f in kb.facts_of(p)
            if f.office.id != last.office.id
            and (f.surely_on(period.start) if period.start == period.end else f.possibly_during(period))
        ]
        office_text = role.office.span.text
        if len({f.office.id for f in current}) == 1:
            fix = title_in_style_of(current[0].office.label, office_text)
            message = (
                f"{last.describe()}; {_describe_period(period)} the knowledge base has "
                f"{current[0].person.name} as {current[0].office.label}."
            )
        else:
            fix = f"former {office_text}"
            message = f"{last.describe()}: no longer {_describe_period(period)}."
        return finding(
            role.office.span,
            FindingKind.WRONG_TITLE,
            message,
            checker=NAME,
            confidence=0.8,
            evidence=[self._evidence(last), *(self._evidence(f) for f in current[:1])],
            fix=fix,
        )

    def _wrong_then_date(self, text: Text, role: Role, own: list[Fact], period: Period) -> Finding | None:
        sentence = text.sentence_at(role.person.span.start)
        date = self._date_span(text, sentence, period) if sentence else None
        if date is None:
            return None
        terms = "; ".join(f.describe() for f in own[:3])
        return finding(
            date,
            FindingKind.WRONG_DATE,
            f"{terms}, not {_describe_period(period)}.",
            checker=NAME,
            confidence=0.7,
            evidence=[self._evidence(f) for f in own[:3]],
        )

    def _date_span(self, text: Text, sentence: Span, period: Period) -> Span | None:
        for mention in text.mentions_in(sentence.start, sentence.end, "DATE"):
            if mention.value == period:
                return mention.span
        for match in _YEAR.finditer(sentence.text):
            if int(match.group(0)) == period.start.year:
                return text.span(sentence.start + match.start(), sentence.start + match.end())
        return None

    # -- "Blinken's tenure in 2019" --------------------------------------------------------------

    def _check_tenure_dates(self, doc: Document, text: Text) -> Iterator[Finding]:
        for sentence in text.sentence_spans():
            relatives = [r for r in self._relative_periods(doc, text, sentence) if r.period == r.term]
            if not relatives:
                continue
            layer = self._relative_kb.get((text.name, sentence.start), self.kb)
            for relative in relatives:
                terms = person_terms(layer, relative.person, relative.office)
                for date, period in self._dates_in(text, sentence, relative):
                    needed = max(1, int(_period_days(period) * MIN_OVERLAP))
                    best = max((f.overlap_days(period) for f in terms), default=0)
                    if best >= needed:
                        continue
                    described = "; ".join(f.describe() for f in terms[:3])
                    yield finding(
                        date,
                        FindingKind.WRONG_DATE,
                        f"{described}: {relative.phrase.strip()} cannot be in {date.text}.",
                        checker=NAME,
                        confidence=0.85 if best == 0 else 0.6,
                        evidence=[self._evidence(f) for f in terms[:3]],
                    )

    def _dates_in(self, text: Text, sentence: Span, relative: RelativePeriod) -> list[tuple[Span, Period]]:
        phrase = (sentence.start + relative.start, sentence.start + relative.end)
        found = [
            (m.span, m.value)
            for m in text.mentions_in(sentence.start, sentence.end, "DATE")
            if isinstance(m.value, Period) and not (phrase[0] <= m.span.start < phrase[1])
        ]
        if found or any(m.label == "DATE" for m in text.mentions):
            return found
        years = []
        for match in _YEAR.finditer(sentence.text):
            year = int(match.group(0))
            span = text.span(sentence.start + match.start(), sentence.start + match.end())
            years.append((span, Period(dt.date(year, 1, 1), dt.date(year, 12, 31))))
        return years

    # -- names -----------------------------------------------------------------------------------

    def _check_names(self, doc: Document) -> Iterator[Finding]:
        verdicts: dict[str, tuple[Person, str, float, KnowledgeBase] | None] = {}
        source_text = _plain(" ".join(s.text for s in doc.sources))
        for text in doc.texts:
            for mention in text.mentions:
                if mention.label != "PERSON":
                    continue
                entity = mention.entity or mention.span.text
                if entity not in verdicts:
                    verdicts[entity] = self._misspelling(entity, source_text)
                verdict = verdicts[entity]
                if verdict is None:
                    continue
                person, kb_name, score, layer = verdict
                fix = _fix_for(mention, kb_name)
                if fix is None:
                    continue
                yield finding(
                    mention.span,
                    FindingKind.MISSPELLED_NAME,
                    f"{mention.span.text!r} looks like a misspelling of {kb_name}.",
                    checker=NAME,
                    confidence=min(0.9, 0.7 + 0.02 * (score - MISSPELLING_SCORE)),
                    evidence=[
                        Evidence(
                            origin="knowledge_base",
                            quote=f"{kb_name}" + (f", {person.description}" if person.description else ""),
                            provenance=person_provenance(layer, person),
                        )
                    ],
                    fix=fix,
                )

    def _misspelling(self, name: str, source_text: str) -> tuple[Person, str, float, KnowledgeBase] | None:
        """The person of the knowledge base ``name`` misspells; ``source_text`` is the sources'
        text in :func:`_plain` form: a name the sources write the same way is never a misspelling."""
        key = name_parts(name)
        if key is None or " " not in key.norm or (source_text.strip() and _plain(name) in source_text):
            return None
        if any(layer.find_people(name, limit=1) for layer in self.layers.layers):
            return None  # somebody in a knowledge base has exactly this name
        for layer in self.layers.layers:
            found = self._misspelling_in(layer, name, key.first, key.surname, len(key.norm.split()))
            if found is not None:
                return found
        return None

    def _misspelling_in(
        self, kb: KnowledgeBase, name: str, first: str, surname: str, words: int
    ) -> tuple[Person, str, float, KnowledgeBase] | None:
        matches = []
        for match in kb.similar_people(name, MISSPELLING_SCORE):
            other = name_parts(match.name)
            if (
                other is not None
                and (other.first == first or other.surname == surname)
                and len(other.norm.split()) == words
            ):
                matches.append(match)
        if not matches:
            return None
        best = matches[0]
        rivals = [m for m in matches[1:] if m.score >= best.score - 2 and not same_person(m.name, best.name)]
        if rivals:
            return None  # two people it could be: no fix to offer
        return best.person, best.name, best.score, kb


def _plain(text: str) -> str:
    """Words only, casefolded and without accents, between single spaces (and one at each end):
    "Bashar al-Assad" is written in "president bashar al - assad" of a tokenised source."""
    return " " + " ".join(re.sub(r"[\W_]+", " ", strip_accents(text).casefold()).split()) + " "


def _fix_for(mention: Mention, kb_name: str) -> str | None:
    written = name_parts(mention.span.text)
    right = name_parts(kb_name)
    if written is None or right is None:
        return None
    if " " not in written.norm:
        # A surname (or first name) alone: fix it only if it is the misspelled part.
        if written.norm in (right.first, right.surname):
            return None
        whole = name_parts(mention.entity or "")
        if whole is not None and written.norm == whole.surname:
            return kb_name.split()[-1]
        if whole is not None and written.norm == whole.first:
            return kb_name.split()[0]
        return None
    return None if written.norm == right.norm else kb_name


@lru_cache(maxsize=1)
def _name_after() -> re.Pattern[str]:
    return re.compile(rf"(?:,\s+({NAME_PATTERN})(?=\s*[,.;:)])|\s+({NAME_PATTERN}))")


@lru_cache(maxsize=1)
def _name_before() -> re.Pattern[str]:
    return re.compile(rf"({NAME_PATTERN}),\s+(?:the\s+)?$")


def _norm(name: str) -> str | None:
    parts = name_parts(name)
    return parts.norm if parts else None


def _tense_before(raw: str, start: int) -> str:
    match = re.search(
        r"\b(former|ex|then|late)[\s-]+(?:the\s+)?$", raw[max(0, start - 16) : start], re.IGNORECASE
    )
    if not match:
        return "current"
    return "then" if match.group(1).lower() == "then" else "former"


def _describe_period(period: Period) -> str:
    if period.start == period.end:
        return f"on {period.start.isoformat()}"
    if (period.start.month, period.start.day, period.end.month, period.end.day) == (
        1,
        1,
        12,
        31,
    ) and period.start.year == period.end.year:
        return f"in {period.start.year}"
    return f"from {period.start.isoformat()} to {period.end.isoformat()}"
