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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from copydesk.checkers import Checker, register
from copydesk.document import Document, Mention, Period, Role, Span, Text
from copydesk.findings import finding
from copydesk.knowledge.periods import RelativePeriod, find_relative_periods, person_terms
from copydesk.knowledge.store import Fact, KnowledgeBase, Person
from copydesk.lexicon.names import name_parts, same_person
from copydesk.lexicon.offices import TITLE_PATTERN, office_key, same_office, title_in_style_of
from copydesk.resources import Resources
from copydesk.schema import Evidence, Finding, FindingKind

NAME = "knowledge"
MISSPELLING_SCORE = 88.0
MIN_OVERLAP = 0.1
"""A period that shares less than this fraction of its days with a term is taken as outside it."""

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_SENTENCE = re.compile(r"\S.*?(?:(?<!\b[A-Z])[.!?]+(?=\s|$)|$)", re.DOTALL)
"""Sentences for texts the pipeline did not split; a capital letter before a dot ("U.S.") is no end."""


@register(NAME)
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
    facts = kb.facts_of(person)
    return facts[0].provenance if facts else "learned"


def replacement(span_text: str, full_name: str) -> str:
    """What replaces a person mention: the full name, or the surname for a surname-only mention."""
    return full_name.split()[-1] if len(span_text.split()) == 1 else full_name


def _period_days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _sentences(text: Text) -> list[Span]:
    if text.sentences:
        return text.sentences
    return [text.span(m.start(), m.end()) for m in _SENTENCE.finditer(text.text)]


def _sentence_of(text: Text, start: int) -> Span | None:
    return next((s for s in _sentences(text) if s.start <= start < s.end), None)


class KnowledgeChecker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __call__(self, doc: Document) -> Iterator[Finding]:
        self._relative: dict[tuple[str, int], list[RelativePeriod]] = {}
        people = sorted(
            {m.entity or m.span.text for t in doc.texts for m in t.mentions if m.label == "PERSON"}
        )
        for text in doc.texts:
            for role in text.roles:
                found = self._check_role(doc, text, role, people)
                if found is not None:
                    yield found
            yield from self._check_tenure_dates(doc, text)
        yield from self._check_names(doc)

    # -- when ------------------------------------------------------------------------------------

    def _relative_periods(self, doc: Document, text: Text, sentence: Span) -> list[RelativePeriod]:
        cache_key = (text.name, sentence.start)
        if cache_key not in self._relative:
            found = find_relative_periods(sentence.text, self.kb, doc.published)
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
        sentence = _sentence_of(text, start)
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
        offices = self.kb.rank_offices(key, people)
        if not offices:
            return None
        written = name_parts(name)
        if written is None:
            return None
        claimed = self.kb.find_people(name, limit=10)
        if " " not in written.norm:  # a lone surname: only the people the story names in full
            claimed = [p for p in claimed if any(same_person(p.name, n) for n in people)]
        claimed_ids = {p.id for p in claimed}
        office_ids = {o.id for o in offices}
        own = [f for p in claimed for f in self.kb.facts_of(p) if f.office.id in office_ids]
        if any(f.possibly_during(period) for f in own):
            return None
        top = offices[0]
        holder = self._single_holder(top, period, claimed_ids, name)
        if holder is not None:
            return self._wrong_person(text, role, holder, own, period)
        if not own:
            return None
        if role.tense == "current":
            return self._wrong_title(text, role, claimed, own, period)
        return self._wrong_then_date(text, role, own, period)

    def _single_holder(self, office, period: Period, claimed_ids: set[int], name: str) -> Fact | None:
        """The one other person who held ``office`` through ``period``, or None (nobody, or several)."""
        facts = [
            f
            for f in self.kb.facts_for_office(office, period)
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
        evidence = [fact_evidence(holder), *(fact_evidence(f) for f in own[:2])]
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
        self, text: Text, role: Role, claimed: list[Person], own: list[Fact], period: Period
    ) -> Finding | None:
        ended = [f for f in own if f.latest_end is not None and f.latest_end < period.start]
        if not ended:
            return None
        last = max(ended, key=lambda f: f.latest_end)  # type: ignore[arg-type,return-value]
        current = [
            f
            for p in claimed
            for f in self.kb.facts_of(p)
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
            evidence=[fact_evidence(last), *(fact_evidence(f) for f in current[:1])],
            fix=fix,
        )

    def _wrong_then_date(self, text: Text, role: Role, own: list[Fact], period: Period) -> Finding | None:
        sentence = _sentence_of(text, role.person.span.start)
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
            evidence=[fact_evidence(f) for f in own[:3]],
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
        for sentence in _sentences(text):
            relatives = [r for r in self._relative_periods(doc, text, sentence) if r.period == r.term]
            if not relatives:
                continue
            for relative in relatives:
                terms = person_terms(self.kb, relative.person, relative.office)
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
                        evidence=[fact_evidence(f) for f in terms[:3]],
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
        verdicts: dict[str, tuple[Person, str, float] | None] = {}
        source_text = " ".join(s.text for s in doc.sources)
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
                person, kb_name, score = verdict
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
                            provenance=person_provenance(self.kb, person),
                        )
                    ],
                    fix=fix,
                )

    def _misspelling(self, name: str, source_text: str) -> tuple[Person, str, float] | None:
        key = name_parts(name)
        if key is None or " " not in key.norm or (source_text and name in source_text):
            return None
        if self.kb.find_people(name, limit=1):
            return None  # somebody in the KB has exactly this name
        matches = []
        for match in self.kb.similar_people(name, MISSPELLING_SCORE):
            other = name_parts(match.name)
            if (
                other is not None
                and (other.first == key.first or other.surname == key.surname)
                and len(other.norm.split()) == len(key.norm.split())
            ):
                matches.append(match)
        if not matches:
            return None
        best = matches[0]
        rivals = [m for m in matches[1:] if m.score >= best.score - 2 and not same_person(m.name, best.name)]
        if rivals:
            return None  # two people it could be: no fix to offer
        return best.person, best.name, best.score


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
