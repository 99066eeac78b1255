"""Building findings: the defaults each kind carries, so checkers state only what they know.

After the checkers, :func:`spread_over_entities` extends a finding about who someone is (wrong
person for an office, a misspelled name, an out-of-date title, the headline's actor against the
body's) over every mention of that person in the same role: one finding, every span, one fix.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable

from copydesk.document import Document, Entity, Mention, Period, Span, Text
from copydesk.lexicon.names import normalise_name
from copydesk.lexicon.offices import same_office
from copydesk.schema import (
    CheckedAgainst,
    Evidence,
    Finding,
    FindingKind,
    FindingSpan,
    KnowledgeBaseOut,
    Report,
    Severity,
    Verdict,
)
from copydesk.stages.entities import gender_of_name, pronoun_for, told_by_sources

_VERDICT = {FindingKind.UNSUPPORTED: Verdict.UNSUPPORTED, FindingKind.MACHINE_TEXT: Verdict.UNSUPPORTED}
_SEVERITY = {FindingKind.UNSUPPORTED: Severity.WARNING}


def finding(
    span: Span,
    kind: FindingKind,
    message: str,
    *,
    checker: str,
    confidence: float,
    evidence: list[Evidence] | None = None,
    fix: str | None = None,
    claim: int | None = None,
    severity: Severity | None = None,
    spans: Iterable[tuple[Span, str | None]] = (),
) -> Finding:
    """A finding on ``span`` with the verdict and severity its kind implies; ``spans`` are the other
    places it holds, each with its replacement (None: shown, left as it is)."""
    if span.field not in ("headline", "body"):
        raise ValueError(f"findings point into the story, not into {span.field!r}")
    return Finding(
        field=span.field,
        start=span.start,
        end=span.end,
        text=span.text,
        kind=kind,
        verdict=_VERDICT.get(kind, Verdict.CONTRADICTED),
        severity=severity or _SEVERITY.get(kind, Severity.ERROR),
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        message=message,
        evidence=evidence or [],
        fix=fix,
        checker=checker,
        claim=claim,
        spans=[
            FindingSpan(field=span.field, start=span.start, end=span.end, text=span.text, fix=fix),
            *(
                FindingSpan(
                    field=other.field, start=other.start, end=other.end, text=other.text, fix=other_fix
                )
                for other, other_fix in spans
            ),
        ],
    )


def source_evidence(source: Text, start: int, end: int) -> Evidence:
    """Evidence quoting ``source.text[start:end]``."""
    meta = source.source
    return Evidence(
        origin="source",
        quote=source.text[start:end].strip(),
        source_id=source.name,
        title=(meta.title or None) if meta else None,
        url=meta.url if meta else None,
        start=start,
        end=end,
    )


def sentence_evidence(source: Text, offset: int) -> Evidence:
    """Evidence quoting the sentence of ``source`` that holds character ``offset``."""
    sentence = source.sentence_at(offset)
    if sentence is None:
        return source_evidence(source, offset, offset)
    return source_evidence(source, sentence.start, sentence.end)


# -- one finding, every mention ------------------------------------------------------------------

PERSON_KINDS = frozenset(
    {FindingKind.WRONG_PERSON_FOR_OFFICE, FindingKind.WRONG_PERSON, FindingKind.HEADLINE_CONTRADICTS_BODY}
)
"""Kinds that say the story names the wrong person: the fix replaces the name at every mention."""
NEAR = dt.timedelta(days=120)
"""How far from the story's time a dated sentence may be and still be about the same event."""
_BEFORE_NAME = re.compile(r"\b(?:former|ex|then|late)[\s-]+$", re.IGNORECASE)


def spread_over_entities(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Extend each finding about who someone is over the person's other mentions in the same role
    (not those whose sentence the sources tell with that same person, when the finding rests on
    the sources; for the headline against the body, only on the finding's own side), then merge
    findings of one kind whose places another already lists. A wrong date without a fix
    gets the date the sources give for the same event (:func:`with_sourced_date`)."""
    spread = []
    for found in findings:
        if found.kind == FindingKind.WRONG_DATE and found.fix is None:
            found = with_sourced_date(doc, found)
        if not doc.entities:
            pass
        elif found.kind == FindingKind.WRONG_TITLE:
            found = _spread_title(doc, found)
        elif found.kind == FindingKind.MISSPELLED_NAME:
            found = _spread_spelling(doc, found)
        elif found.kind in PERSON_KINDS:
            found = _spread_person(doc, found)
        spread.append(found)
    return merge_same_places(spread)


def merge_same_places(findings: list[Finding]) -> list[Finding]:
    """Drop a finding whose every place a finding of the same kind already lists (adding its places to
    that one); the first finding of the list, the more specific checker's, stays."""
    kept: list[Finding] = []
    for found in findings:
        places = {(s.field, s.start, s.end) for s in found.spans}
        host = next((k for k in kept if _says_the_same(k, found)), None)
        if host is None:
            kept.append(found)
            continue
        have = {(s.field, s.start, s.end) for s in host.spans}
        extra = [s for s in found.spans if (s.field, s.start, s.end) not in have]
        if extra and places:
            host.spans = _ordered([*host.spans, *extra])
    return kept


def _says_the_same(host: Finding, found: Finding) -> bool:
    """Whether ``host`` already lists ``found``'s place: with the same kind, or as a wrong person
    with a replacement there (so "Pompeo" read as a place is not a second finding)."""
    place = next(
        (s for s in host.spans if (s.field, s.start, s.end) == (found.field, found.start, found.end)), None
    )
    if place is None:
        return False
    if host.kind == found.kind:
        return True
    # "Pompeo" taken for a place by another checker: the wrong person already covers it
    return host.kind in PERSON_KINDS and found.kind not in PERSON_KINDS and place.fix is not None


def _ordered(spans: list[FindingSpan]) -> list[FindingSpan]:
    first, rest = spans[0], spans[1:]
    return [first, *sorted(rest, key=lambda s: (s.field != "headline", s.start))]


def _with_spans(found: Finding, extra: list[FindingSpan]) -> Finding:
    if not extra:
        return found
    have = {(s.field, s.start, s.end) for s in found.spans}
    new = [s for s in extra if (s.field, s.start, s.end) not in have]
    return found.model_copy(update={"spans": _ordered([*found.spans, *new])})


def _entity_at(doc: Document, field: str, start: int, end: int) -> tuple[Entity, Mention] | None:
    for entity in doc.entities:
        for mention in entity.mentions:
            span = mention.span
            if span.field == field and span.start == start and span.end == end:
                return entity, mention
    return None


def replacement_name(written: str, full_name: str) -> str:
    """The name that replaces ``written``: the surname for a surname, else the full name."""
    return full_name.split()[-1] if len(written.split()) == 1 else full_name


def _full_name(doc: Document, name: str) -> str:
    """``name`` in full, from the story's or the sources' people, when it is a surname alone."""
    if len(name.split()) >= 2:
        return name
    for text in (*doc.sources, *doc.texts):
        for mention in text.mentions:
            words = mention.entity.split()
            if mention.label == "PERSON" and len(words) >= 2 and words[-1] == name:
                return mention.entity
    return name


def _spread_person(doc: Document, found: Finding) -> Finding:
    located = _entity_at(doc, found.field, found.start, found.end)
    if located is None:
        return found
    entity, anchor = located
    right = _full_name(doc, found.fix) if found.fix else None
    if right is not None and normalise_name(right) == normalise_name(entity.name):
        return found  # the fix names the same person: not a finding about who it is
    right_gender = gender_of_name(doc, right) if right else None
    from_sources = any(e.origin != "knowledge_base" for e in found.evidence)
    extra = []
    for mention, form in zip(entity.mentions, entity.forms, strict=True):
        span = mention.span
        if span is anchor.span or not same_role(doc, anchor, mention):
            continue
        if found.kind == FindingKind.HEADLINE_CONTRADICTS_BODY and span.field != anchor.span.field:
            continue  # the other side of the contradiction, not another place of this one
        if from_sources and told_by_sources(doc, doc.text(span.field), span) is not None:
            continue  # the sources tell this sentence of this person: the name in another role
        if form == "pronoun":
            if right_gender is None or right_gender == entity.gender or entity.gender is None:
                continue  # the pronoun fits the right person too: nothing to change there
            text = doc.text(span.field).text
            fix = pronoun_for(span.text, right_gender, text[span.end : span.end + 3])
            extra.append(_span(span, fix))
            continue
        extra.append(_span(span, replacement_name(span.text, right) if right else None))
    return _with_spans(found, extra)


def _spread_spelling(doc: Document, found: Finding) -> Finding:
    """A misspelled name is misspelled wherever the story writes it: the whole name, or the
    misspelled word alone ("Antonio" in "Antonio's", not a correctly spelled "Blinken")."""
    located = _entity_at(doc, found.field, found.start, found.end)
    if located is None or not found.fix:
        return found
    entity, anchor = located
    wrong, right = found.text.split(), found.fix.split()
    words = dict(zip(wrong, right, strict=False)) if len(wrong) == len(right) else {}
    extra = []
    for mention, form in zip(entity.mentions, entity.forms, strict=True):
        span = mention.span
        if span is anchor.span or form == "pronoun":
            continue
        if span.text == found.text:
            extra.append(_span(span, found.fix))
        elif span.text in words and words[span.text] != span.text:
            extra.append(_span(span, words[span.text]))
    return _with_spans(found, extra)


def _spread_title(doc: Document, found: Finding) -> Finding:
    """An out-of-date title is out of date wherever the story gives it to the same person."""
    text = doc.text(found.field)
    role = next(
        (r for r in text.roles if (r.office.span.start, r.office.span.end) == (found.start, found.end)), None
    )
    if role is None:
        return found
    located = _entity_at(doc, role.person.span.field, role.person.span.start, role.person.span.end)
    if located is None:
        return found
    entity, _ = located
    extra = []
    for other_text in doc.texts:
        for other in other_text.roles:
            if other.office.span is role.office.span or other.tense != role.tense:
                continue
            if not entity.holds(other.person.span) or not same_office(
                other.office.entity, role.office.entity
            ):
                continue
            extra.append(_span(other.office.span, found.fix))
    return _with_spans(found, extra)


def _span(span: Span, fix: str | None) -> FindingSpan:
    return FindingSpan(field=span.field, start=span.start, end=span.end, text=span.text, fix=fix)


def same_role(doc: Document, anchor: Mention, mention: Mention) -> bool:
    """Whether ``mention`` speaks of the person in the role and time ``anchor`` does.

    Not when the story binds it to another office or to a past one ("Pompeo, who served as
    Secretary of State", "former CIA Director Pompeo"), nor when its sentence is dated away from the
    anchor's ("In 2019, Pompeo visited Mexico").
    """
    text = doc.text(mention.span.field)
    anchor_text = doc.text(anchor.span.field)
    anchor_roles = [r for r in anchor_text.roles if r.person.span is anchor.span]
    for role in text.roles:
        if role.person.span is not mention.span:
            continue
        if role.tense != "current":
            return False
        if anchor_roles and not any(same_office(role.office.entity, a.office.entity) for a in anchor_roles):
            return False
    before = text.text[max(0, mention.span.start - 12) : mention.span.start]
    if _BEFORE_NAME.search(before):
        return False
    if mention.span.field == "headline":
        return True
    around = _sentence_period(doc, anchor_text, anchor.span.start)
    if around is None and doc.published is not None:
        around = Period(doc.published, doc.published)
    here = _sentence_period(doc, text, mention.span.start)
    return not (
        around is not None
        and here is not None
        and (here.end < around.start - NEAR or here.start > around.end + NEAR)
    )


def _sentence_period(doc: Document, text: Text, offset: int) -> Period | None:
    sentence = text.sentence_at(offset)
    if sentence is None:
        return None
    for mention in text.mentions_in(sentence.start, sentence.end, "DATE"):
        if isinstance(mention.value, Period):
            return mention.value
    return None


# -- what the story was checked against ----------------------------------------------------------


def knowledge_base_out(kb: object | None) -> KnowledgeBaseOut | None:
    """The knowledge base's name (what it was built from) and the latest date it knows of; for
    layered bases (the user's over the built-in one), every layer's name and the latest date."""
    if kb is None:
        return None
    layers = getattr(kb, "layers", None) or [kb]
    names, dates = [], []
    for layer in layers:
        name, up_to = _describe_layer(layer)
        names.append(name)
        if up_to is not None:
            dates.append(up_to)
    return KnowledgeBaseOut(name=" and ".join(names), up_to=max(dates) if dates else None)


def _describe_layer(kb: object) -> tuple[str, dt.date | None]:
    name: str | None = None
    latest = ""
    try:
        name = kb.meta("source") or kb.meta("wikidata_dump")  # type: ignore[attr-defined]
        latest = kb.meta("horizon") or ""  # type: ignore[attr-defined]
        if not latest:
            row = kb.execute(  # type: ignore[attr-defined]
                "SELECT max(coalesce(end_date, '')), max(coalesce(start_date, '')) FROM facts"
            ).fetchone()
            latest = max((value or "" for value in row or ()), default="")
    except (AttributeError, sqlite3.Error):
        pass
    try:
        up_to = dt.date.fromisoformat(latest[:10]) if latest else None
    except ValueError:
        up_to = None
    path = getattr(kb, "path", None)
    return name or (str(path) if path else "knowledge base"), up_to


def with_what_was_checked(report: Report, doc: Document, kb: KnowledgeBaseOut | None) -> Report:
    """The report, saying what the story was checked against and which claims nothing could check;
    with nothing to check against, its score is None (not checked)."""
    sources = sum(1 for source in doc.sources if source.text.strip())
    covered = {
        index
        for index, claim in enumerate(report.claims)
        if any(
            s.field == claim.field and s.start < claim.end and claim.start < s.end
            for f in report.findings
            for s in f.spans
        )
    }
    unchecked = [
        index
        for index, claim in enumerate(report.claims)
        if index not in covered
        and (claim.verdict == Verdict.NOT_CHECKED or (claim.support is None and not kb))
    ]
    wrong = {
        index
        for index, claim in enumerate(report.claims)
        if any(
            s.field == claim.field and s.start < claim.end and claim.start < s.end
            for f in report.findings
            if f.severity == Severity.ERROR
            for s in f.spans
        )
    }
    claims = [
        claim.model_copy(update={"verdict": Verdict.NOT_CHECKED})
        if index in unchecked
        else claim.model_copy(update={"verdict": Verdict.CONTRADICTED})
        if index in wrong and claim.verdict != Verdict.CONTRADICTED
        else claim
        for index, claim in enumerate(report.claims)
    ]
    checked = CheckedAgainst(sources=sources, knowledge_base=kb, unchecked_claims=unchecked)
    update: dict[str, object] = {"checked": checked, "claims": claims}
    if not checked.anything:
        update["score"] = None
    return report.model_copy(update=update)


# -- a wrong date gets the date the sources give -------------------------------------------------

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORDS = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset(
    "that this with from have were will would their there which when where about after before during "
    "said says also than them they been into over under while".split()
)
MIN_SHARED_WORDS = 2


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)} - _STOP


def with_sourced_date(doc: Document, found: Finding) -> Finding:
    """A wrong date with the date the sources give for the same event as its fix: the date of a
    source sentence that shares the most words with the words of the story's sentence around it."""
    if not doc.sources:
        return found
    text = doc.text(found.field)
    sentence = next((s for s in text.sentences if s.start <= found.start < s.end), None)
    if sentence is None:
        return found
    words = _content_words(sentence.text) - _content_words(found.text)
    best: tuple[int, str, Text, int] | None = None
    for source in doc.sources:
        dates = [(m.span.start, m.span.end) for m in source.mentions if m.label == "DATE"]
        dates += [(m.start(), m.end()) for m in _YEAR.finditer(source.text)]
        for start, end in dates:
            written = source.text[start:end]
            if _YEAR.fullmatch(found.text.strip()):
                year = _YEAR.search(written)
                if year is None:
                    continue
                written = year.group(0)
            if written.strip().lower() == found.text.strip().lower():
                continue
            source_sentence = source.sentence_at(start)
            lead_from = max(source_sentence.start if source_sentence else 0, start - 80)
            shared = len(words & _content_words(source.text[lead_from:start]))
            if shared >= MIN_SHARED_WORDS and (best is None or shared > best[0]):
                best = (shared, written, source, start)
    if best is None:
        return found
    _, written, source, start = best
    evidence = sentence_evidence(source, start)
    message = f"The sources date this to {written}, not {found.text}."
    return found.model_copy(
        update={
            "fix": written,
            "message": message,
            "evidence": [evidence, *found.evidence],
            "spans": [found.spans[0].model_copy(update={"fix": written}), *found.spans[1:]],
        }
    )


GENERIC_KINDS = frozenset({FindingKind.CONTRADICTED, FindingKind.UNSUPPORTED})


def without_generic_duplicates(findings: list[Finding]) -> list[Finding]:
    """Drop "contradicted"/"unsupported" on a claim that already has a specific finding inside it:
    "wrong date" on "Wednesday" says more than "contradicted" on the whole sentence."""
    specific = [f for f in findings if f.kind not in GENERIC_KINDS]
    return [f for f in findings if f.kind not in GENERIC_KINDS or not _holds_any(f, specific)]


def _holds_any(generic: Finding, specific: list[Finding]) -> bool:
    """Whether a place of a specific finding lies within the stretch the generic one marks (from its
    first marked phrase to its last), or holds all of that stretch."""
    places = [(s.start, s.end) for s in generic.spans if s.field == generic.field]
    start = min((a for a, _ in places), default=generic.start)
    end = max((b for _, b in places), default=generic.end)
    return any(
        p.field == generic.field and (start <= p.start <= p.end <= end or p.start <= start <= end <= p.end)
        for s in specific
        for p in s.spans
    )
