"""The entailment checker: support from the best passage, findings below the learned lines."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from copydesk.checkers import entailment
from copydesk.document import Claim, Document, Mention, Passage, Text
from copydesk.errors import ModelMissingError
from copydesk.findings import finding
from copydesk.inference import SCORER_FILE
from copydesk.models import MODEL_DIR
from copydesk.pipeline import Pipeline, without_generic_duplicates
from copydesk.protocols import Scorer
from copydesk.resources import Resources, Settings
from copydesk.schema import FindingKind, Severity, StoryIn
from copydesk.stages import support
from copydesk.stages.alignment import tokens

SOURCE = (
    "The Riverton library reopened on Saturday after a two-year renovation. "
    "The city spent 4 million dollars on the work. Head librarian Ana Ortiz said the reading room seats 120."
)


def _document(body_claims: list[str], with_sources: bool = True) -> Document:
    """A document as retrieve leaves it: one claim per sentence, every source sentence as evidence."""
    body = " ".join(body_claims)
    story = StoryIn(body=body, sources=[{"id": "wire", "text": SOURCE}] if with_sources else [])
    doc = Document.from_story(story)
    passages = []
    start = 0
    for sentence in SOURCE.split(". "):
        begin = SOURCE.index(sentence, start)
        passages.append(Passage("wire", begin, begin + len(sentence), sentence))
        start = begin + len(sentence)
    for number, text in enumerate(body_claims):
        begin = body.index(text)
        doc.claims.append(Claim(doc.body.span(begin, begin + len(text)), text, number))
        doc.evidence[number] = list(passages)
    return doc


class WordOverlapScorer:
    """A stand-in for the cross-encoder: the share of the claim's words found in the passage."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[str, str]]] = []

    def score(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.calls.append(list(pairs))
        out = []
        for premise, hypothesis in pairs:
            words = hypothesis.lower().rstrip(".").split()
            out.append(sum(w in premise.lower() for w in words) / len(words))
        return np.asarray(out, dtype=np.float32)


def _resources(scorer: Scorer, checkers: tuple[str, ...] = ("entailment",)) -> Resources:
    return Resources(Settings(checkers=checkers), scorer=scorer)


def test_stage_scores_each_pair_once_and_puts_the_best_passage_first() -> None:
    doc = _document(["The city spent 4 million dollars on the work.", "Mayor Bob Grant resigned yesterday."])
    scorer = WordOverlapScorer()
    support.score_support(doc, _resources(scorer))
    asked = [pair for call in scorer.calls for pair in call]
    # 2 claims x (3 windows + the stretch of source that spans them), no repeats: the first
    # windows do not settle either claim, so the second round scores the rest
    assert len(scorer.calls) == 2
    assert len(asked) == len(set(asked)) == 8
    assert doc.support[0] == pytest.approx(1.0)
    assert doc.evidence[0][0].text.startswith("The city spent")
    assert doc.support[1] < 0.5


def test_a_claim_its_best_ranked_passage_supports_is_settled_without_its_other_passages() -> None:
    claims = ["The city spent 4 million dollars on the work.", "Mayor Bob Grant resigned yesterday."]
    doc = _document(claims)
    doc.evidence[0] = [doc.evidence[0][1], doc.evidence[0][0], doc.evidence[0][2]]  # "The city spent" first
    scorer = WordOverlapScorer()
    support.score_support(doc, _resources(scorer))
    asked = [pair for call in scorer.calls for pair in call]
    assert [premise for premise, claim in asked if claim == claims[0]] == [doc.evidence[0][0].text]
    assert doc.support[0] == pytest.approx(1.0)
    assert len([pair for pair in asked if pair[1] == claims[1]]) == 4  # unsettled: every passage

    # accurate mode scores every passage of every claim, in one call
    doc = _document(claims)
    doc.evidence[0] = [doc.evidence[0][1], doc.evidence[0][0], doc.evidence[0][2]]
    scorer = WordOverlapScorer()
    support.score_support(doc, Resources(Settings(checkers=("entailment",), model="accurate"), scorer=scorer))
    assert len(scorer.calls) == 1 and len(scorer.calls[0]) == 8


def test_identical_pairs_are_scored_once() -> None:
    doc = _document(
        ["The city spent 4 million dollars on the work.", "The city spent 4 million dollars on the work."]
    )
    scorer = WordOverlapScorer()
    support.score_support(doc, _resources(scorer))
    asked = [pair for call in scorer.calls for pair in call]
    assert len(asked) == len(set(asked)) == 4  # 3 windows and their stretch, once for both claims


def test_checker_flags_the_weak_claim_with_the_best_passage_as_evidence() -> None:
    doc = _document(["The city spent 4 million dollars on the work.", "Mayor Bob Grant resigned yesterday."])
    resources = _resources(WordOverlapScorer())
    support.score_support(doc, resources)
    check = entailment.make_entailment_checker(resources)
    findings = list(check(doc))
    assert [f.claim for f in findings] == [1]
    (found,) = findings
    assert found.kind in (FindingKind.CONTRADICTED, FindingKind.UNSUPPORTED)
    assert found.text == "Mayor Bob Grant resigned yesterday."
    assert found.evidence[0].source_id == "wire"
    assert found.evidence[0].quote == doc.evidence[1][0].text
    assert found.confidence == pytest.approx(1 - doc.support[1], abs=1e-3)


def test_findings_follow_the_thresholds() -> None:
    # "renovation" is about what the source talks about: a low support reads as "says otherwise"
    doc = _document(
        ["The city spent 4 million dollars on the work.", "The Riverton library closed for good."]
    )
    support.score_support(doc, _resources(WordOverlapScorer()))
    supports = entailment.supports_of(doc)
    low = doc.support[1]
    kinds = [f.kind for f in entailment.entailment_findings(doc, supports, low + 0.01, low + 0.02)]
    assert kinds == [FindingKind.CONTRADICTED]
    found = list(entailment.entailment_findings(doc, supports, low - 0.01, low + 0.01))
    assert [f.kind for f in found] == [FindingKind.UNSUPPORTED]
    assert found[0].severity == Severity.WARNING
    assert list(entailment.entailment_findings(doc, supports, low - 0.02, low - 0.01)) == []


def test_a_claim_about_something_the_sources_never_discuss_is_unsupported_not_contradicted() -> None:
    doc = _document(["Mayor Bob Grant resigned yesterday."])
    support.score_support(doc, _resources(WordOverlapScorer()))
    low = doc.support[0]
    found = list(entailment.entailment_findings(doc, entailment.supports_of(doc), low + 0.01, low + 0.02))
    assert [(f.kind, f.severity) for f in found] == [(FindingKind.UNSUPPORTED, Severity.WARNING)]


def test_checker_scores_claims_itself_when_the_stage_did_not_run() -> None:
    doc = _document(["Mayor Bob Grant resigned yesterday."])
    check = entailment.make_entailment_checker(_resources(WordOverlapScorer()))
    assert [f.claim for f in check(doc)] == [0]
    assert doc.support == {}  # the checker wrote nothing


def test_no_sources_no_findings() -> None:
    doc = _document(["Mayor Bob Grant resigned yesterday."], with_sources=False)
    scorer = WordOverlapScorer()
    resources = _resources(scorer)
    support.score_support(doc, resources)
    assert list(entailment.make_entailment_checker(resources)(doc)) == []
    assert scorer.calls == []


def test_support_is_not_scored_when_no_checker_needs_it() -> None:
    scorer = WordOverlapScorer()
    pipeline = Pipeline(resources=_resources(scorer, checkers=("machine_text",)))
    doc = pipeline.verify(
        {"body": "Mayor Bob Grant resigned yesterday.", "sources": [{"text": "Mayor Bob Grant resigned."}]}
    )
    assert "support" not in [stage.name for stage in pipeline.plan]
    assert doc.support == {} and scorer.calls == []


def test_missing_model_turns_the_checker_off_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(self: Resources) -> None:
        raise ModelMissingError("Model file entailment.onnx is missing.")

    monkeypatch.setattr(Resources, "scorer", property(missing))
    monkeypatch.setattr(support, "_warned", False)
    with caplog.at_level(logging.WARNING):
        assert entailment.make_entailment_checker(Resources()) is None
        assert entailment.make_entailment_checker(Resources()) is None
    assert sum("entailment checker is off" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.slow
@pytest.mark.skipif(not (MODEL_DIR / SCORER_FILE).is_file(), reason=f"model file {SCORER_FILE} not built yet")
def test_shipped_model_supports_a_true_claim_more_than_a_contradicted_one() -> None:
    from copydesk.inference import load_scorer

    doc = _document(
        ["The city spent 4 million dollars on the work.", "The city spent 40 million dollars on the work."]
    )
    resources = _resources(load_scorer(1))
    support.score_support(doc, resources)
    assert doc.support[0] > 0.5
    assert doc.support[0] > doc.support[1] + 0.2
    findings = list(entailment.make_entailment_checker(resources)(doc))
    assert 1 in [f.claim for f in findings] and 0 not in [f.claim for f in findings]


def test_claims_are_scored_in_the_passage_terms_for_pronouns_and_capitals() -> None:
    from copydesk.pipeline import Pipeline

    source = (
        "Secretary of State Marco Rubio arrived in Quito on Monday. Rubio will meet President "
        "Daniel Noboa, who has asked the United States for help."
    )
    story = StoryIn(
        headline="Visit",
        body="Marco Rubio arrived in Quito on Monday. He will meet Noboa, who asked Washington for help.",
        published="2025-08-29",
        sources=[{"id": "wire", "text": source}],
    )
    doc = Pipeline(Settings(checkers=(), dense_retrieval=False)).annotate(story, needs=["evidence"])
    worded = {
        claim.text: support.claim_in_terms_of(doc, i, doc.evidence[i][0])
        for i, claim in enumerate(doc.claims)
        if doc.evidence.get(i)
    }
    assert worded["He will meet Noboa."] == "Rubio will meet Noboa."
    assert worded["Noboa asked Washington for help."] == "Noboa asked the United States for help."
    assert worded["Marco Rubio arrived in Quito on Monday."] == "Marco Rubio arrived in Quito on Monday."


def test_a_claim_fused_from_adjacent_sentences_is_scored_against_both() -> None:
    source = (
        "The ministry released trade figures on Thursday. Exports of wheat rose by 12 percent in the first "
        "quarter. The total reached a record 3.1 million tonnes. Barley exports fell slightly."
    )
    doc = Pipeline(Settings(checkers=(), dense_retrieval=False)).annotate(
        StoryIn(body="Exports of wheat rose to a record.", sources=[{"id": "wire", "text": source}])
    )
    sentences = doc.sources[0].sentences
    assert len(sentences) == 4
    single = Passage("wire", sentences[1].start, sentences[1].end, sentences[1].text)
    claim = "Exports of wheat rose by 12 percent to a record 3.1 million tonnes."
    wanted = {t.key for t in tokens(claim) if t.content}
    grown = support.fused(doc, single, wanted)
    assert grown is not None
    assert grown.text == source[sentences[1].start : sentences[2].end]
    # every word found: no neighbour is added
    assert support.fused(doc, grown, wanted) is None
    assert grown in support.candidates(doc, [single], claim)


def _marked(
    claim: str,
    evidence: str,
    mentions: tuple[tuple[str, str], ...] = (),
    sources: tuple[str, ...] = (),
) -> list[str]:
    own = Text("body", claim)
    for name, label in mentions:
        start = claim.index(name)
        own.mentions.append(Mention(own.span(start, start + len(name)), label, name))
    return [span.text for span in entailment.unbacked_spans(own, own.span(0, len(claim)), evidence, sources)]


SPAN_CASES = json.loads((Path(__file__).parent / "fixtures" / "spans_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SPAN_CASES, ids=[case["name"] for case in SPAN_CASES])
def test_the_marked_words_of_a_claim(case: dict) -> None:
    mentions = tuple((name, label) for name, label in case["mentions"])
    assert _marked(case["claim"], case["evidence"], mentions, tuple(case["sources"])) == case["marked"]


def test_a_wrong_place_in_a_true_sentence_is_the_only_thing_the_finding_marks() -> None:
    case = SPAN_CASES[0]
    claim, source = case["claim"], case["sources"][0]
    doc = Document.from_story(StoryIn(body=claim, sources=[{"id": "wire", "text": source}]))
    for name, label in case["mentions"]:
        start = claim.index(name)
        doc.body.mentions.append(Mention(doc.body.span(start, start + len(name)), label, name))
    doc.claims.append(Claim(doc.body.span(0, len(claim)), claim, 0))
    begin = source.index(case["evidence"])
    best = Passage("wire", begin, begin + len(case["evidence"]), case["evidence"])
    (found,) = entailment.entailment_findings(doc, {0: (0.03, best)}, 0.2, 0.5)
    assert found.kind == FindingKind.CONTRADICTED
    assert [(span.text, claim[span.start : span.end]) for span in found.spans] == [
        ("Portsmouth", "Portsmouth")
    ]


def test_a_changed_place_marks_the_place_alone() -> None:
    assert _marked(
        "The bridge was opened by mayor Tomas Grell in Hallstead on Friday after years of delays.",
        "Work ended in May. The bridge was opened by mayor Tomas Grell in Vennby on Friday after years "
        "of delays.",
    ) == ["Hallstead"]


def test_an_added_clause_is_marked_to_the_end_of_the_claim() -> None:
    assert _marked(
        "The council approved the budget on Monday, ending a month of protests by farmers.",
        "The council approved the budget on Monday. Farmers had asked for more.",
    ) == ["ending a month of protests by farmers."]


def test_changes_far_apart_are_marked_apart_and_a_name_is_marked_whole() -> None:
    claim = "Head librarian Maria Ortiz said on Monday that the reading room now seats 200."
    evidence = "Head librarian Ana Ortiz said on Monday that the reading room now seats 120."
    assert _marked(claim, evidence) == ["Maria", "200."]
    assert _marked(claim, evidence, (("Maria Ortiz", "PERSON"),)) == ["Maria Ortiz", "200."]


def test_a_claim_whose_words_are_all_backed_is_marked_whole() -> None:
    # the model objects to how the words are put together: no single word is to blame
    claim = "Ortiz opened the library that Grell closed."
    assert _marked(claim, "Grell opened the library that Ortiz closed.") == [claim]


def test_a_finding_points_at_every_unbacked_phrase() -> None:
    claim = "Head librarian Maria Ortiz said the reading room, rebuilt in the spring, seats 200."
    doc = _document([claim])
    supports = {0: (0.05, Passage("wire", 0, len(SOURCE), SOURCE))}
    (found,) = entailment.entailment_findings(doc, supports, 0.2, 0.5)
    assert [span.text for span in found.spans] == ["Maria", "rebuilt in the spring, seats 200."]
    assert found.text == "Maria"


def test_a_specific_finding_inside_or_over_the_marked_stretch_replaces_the_generic_one() -> None:
    own = Text("body", "Head librarian Maria Ortiz said on Monday that the reading room now seats 200.")
    generic = finding(
        own.span(15, 20),
        FindingKind.CONTRADICTED,
        "not supported",
        checker="entailment",
        confidence=0.9,
        spans=[(own.span(74, 78), None)],
    )
    date = finding(
        own.span(34, 40), FindingKind.WRONG_DATE, "wrong day", checker="circumstances", confidence=0.8
    )
    elsewhere = Text("headline", "Ortiz opens reading room on Monday")
    other = finding(
        elsewhere.span(28, 34), FindingKind.WRONG_DATE, "wrong day", checker="circumstances", confidence=0.8
    )
    assert without_generic_duplicates([generic, date]) == [date]
    assert without_generic_duplicates([generic, other]) == [generic, other]
    leaked = finding(
        own.span(0, len(own.text)), FindingKind.MACHINE_TEXT, "leaked", checker="machine_text", confidence=0.9
    )
    assert without_generic_duplicates([generic, leaked]) == [leaked]
