"""The machine-text prefilter (public `re` only) and the learned meta-text sentence classifier."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from copydesk.checkers.machine_text import MachineTextChecker, load_library, make_machine_text
from copydesk.document import Document
from copydesk.errors import ModelMissingError
from copydesk.inference import load_encoder
from copydesk.models import MODEL_DIR
from copydesk.patterns import prefilter
from copydesk.patterns.classifier import features, load_classifier, mask_quotes, newsroom_hedge
from copydesk.resources import Resources, Settings
from copydesk.schema import FindingKind, Severity, StoryIn

LIBRARY = load_library()
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `training/` lives at the repository root, outside src/
    sys.path.insert(0, str(ROOT))
STORIES = Path(__file__).parent / "fixtures" / "stories"

# --- the prefilter ---------------------------------------------------------------------------------


def test_the_prefilter_imports_no_private_re_module() -> None:
    tree = ast.parse(Path(prefilter.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert not [name for name in imported if name.startswith(("re.", "sre_")) and "._" in f".{name}"]
    assert "re" in imported


def needles(pattern: str, ignore_case: bool = True) -> list[set[str]]:
    [alternative] = prefilter.gate([pattern], ignore_case)
    return [set(c.singles) | {" ".join(g) for g in c.groups} | set(c.substrings) for c in alternative]


def test_bounded_words_are_word_needles_and_a_word_part_is_a_substring() -> None:
    assert needles(r"\bI(?:'m| am) sorry\b") == [{"sorry"}, {"i"}, {"am", "m"}]
    assert needles(r"\bapologi[sz]e\b")[0] == {"apologi"}  # a substring: the word goes on


def test_a_branch_gives_one_set_of_which_one_must_occur() -> None:
    assert needles(r"\b(?:sorry|apologies)\b") == [{"sorry", "apologies"}]
    # as in Python's parser, the branches' common prefix ("la") moves out of "last|latest"
    assert needles(r"\bas of my (?:last|latest) update\b") == [{"update"}, {"as of my"}, {"st", "test"}]


def test_case_sensitive_patterns_look_for_the_exact_text() -> None:
    [alternative] = prefilter.gate([r"\bTitle:\s"], False)
    assert [c.substrings for c in alternative] == [("Title:",)]


@pytest.mark.parametrize("pattern", [r"(?i)sorry", r"(a)\1", r"(a)?(?(1)b|c)"])
def test_syntax_the_reader_does_not_know_means_no_gate(pattern: str) -> None:
    re.compile(pattern)  # valid Python regexes, only not read by the prefilter
    assert prefilter.gate([pattern], True) == ()


def test_every_gate_lets_its_own_examples_through() -> None:
    for pattern in LIBRARY:
        for text in pattern.examples:
            lowered = text.translate(prefilter.APOSTROPHES).lower()
            scanned = lowered if pattern.ignore_case else text.translate(prefilter.APOSTROPHES)
            words = set(prefilter.WORD.findall(lowered))
            assert prefilter.passes(pattern.gate, scanned, words, {}), (pattern.id, text)


# --- the classifier --------------------------------------------------------------------------------

# Written for these tests, after the training templates: no training template or slot filler
# says any of them this way.
UNSEEN_META_TEXT = [
    # a closing note on how the text was produced and how far to trust it
    "This write-up leans entirely on the handful of clippings supplied, so its accuracy is only as good "
    "as theirs.",
    "I assembled the piece from the press releases in the prompt and could not check any of it myself.",
    # refusing to write the article for want of material
    "I'm not able to produce the requested story, because nothing in the supplied documents concerns "
    "the airport expansion.",
    "Regrettably, the excerpts you gave me are too sparse for a full article on the strike.",
    # limited information
    "The precise attendance figure is not spelled out anywhere in the material I was handed.",
    "None of the snippets you shared mention who chairs the new committee.",
    # knowledge cutoff, offers of help, apologies, chat openers, echoed instructions
    "My information only runs through the spring of 2023, so later rulings are not reflected here.",
    "If it helps, I can also prepare a shorter version for the newsletter.",
    "Apologies, the earlier draft I gave you had the wrong date for the hearing.",
    "Absolutely — below is the revised article you asked me for.",
    "Avoid speculation and keep the piece under 600 words.",
    # written on 2 December 2026, before the model trained with the topic cues was measured
    "Nothing I was sent says when the new terminal will open, so that part is left out.",
    "I've copied the figures above straight from the council's press release without checking them.",
    "I'm afraid the clippings don't cover the second half of the match, so the story ends at half-time.",
    "Apologies for the delay in getting this draft to you.",
    "As far as I know the stadium plan was still awaiting approval, but that may have changed since my "
    "training.",
    "Use the mayor's full title on first reference.",
    "Okay, here's the story, written in the house style you described.",
    "The piece below pulls together what the three wire reports said about the crash.",
    # written on 7 December 2026 (issue 14 item 5), on the ideas held-out recall was lowest on:
    # instructions about the article's form, the writer's knowledge limits, offers, a silent brief
    "Keep the whole thing below 350 words, with a headline that takes no side.",
    "Please write in a calm, factual register suitable for a morning briefing.",
    "Developments from recent months could be absent here, because my knowledge is not current.",
    "Do you want a version with more background on the case?",
    "The notes that came with your request never mention how long the road will stay closed.",
    "Readers should come away knowing what the ruling means for tenants; keep legal terms to a minimum.",
]

NEWSROOM_HEDGES = [
    "The ministry declined to comment on the report.",
    "Mr Okafor could not be reached for comment on Sunday.",
    "Representatives for the singer did not immediately respond to a request for comment.",
    "Details of the settlement were not disclosed.",
    "It is not clear whether the two men knew each other.",
    "It was not immediately clear how many passengers were on board.",
    "Police have not released the names of the victims.",
    "The BBC could not independently verify the footage.",
    "Editor's note: This article has been updated with a statement from the council.",
    "A spokeswoman said the company does not comment on ongoing litigation.",
    "No further information was available on Tuesday night.",
    "I asked her whether she regretted the decision, and she said she did not.",
    "The company did not say when the factory would reopen.",
    "Neither side gave details of the settlement.",
    "The figures could not be independently confirmed.",
    "It was not clear whether the driver had been drinking.",
    # added on 7 December 2026, beside the form-instruction and knowledge-limit training families
    "The company would not say how many staff would lose their jobs.",
    "It is not yet known when the bridge will reopen.",
    "Figures may change as more results come in.",
    "Letters should be no longer than 250 words and may be edited for length.",
    "You can find a full list of the winners at the bottom of this page.",
    "I want to thank the fans for sticking with us this season.",
]


@pytest.fixture(scope="module")
def checker() -> MachineTextChecker:
    return MachineTextChecker(LIBRARY, load_classifier(), load_encoder())


def test_the_shipped_model_is_small_and_recorded() -> None:
    model = MODEL_DIR / "machine_text_classifier.npz"
    assert model.stat().st_size < 2_000_000
    entry = json.loads((MODEL_DIR / "MANIFEST.json").read_text())["machine_text_classifier"]
    assert entry["file"] == model.name and entry["bytes"] == model.stat().st_size


# Known misses of the shipped model (strict: the day it catches one, the test says so).
MISSED = {
    UNSEEN_META_TEXT[11]: "'Nothing I was sent says ...': the material is 'what I was sent' "
    "(logit about 0 against a threshold of 8.2)",
    UNSEEN_META_TEXT[15]: "a knowledge-cutoff hedge that reads like a columnist's (logit about 6.3)",
    UNSEEN_META_TEXT[16]: "a bare style instruction, news words only (logit about 3.2)",
    UNSEEN_META_TEXT[
        22
    ]: "a short question to the person who asked, no word of the training offers (logit about 6.7)",
    UNSEEN_META_TEXT[24]: "an instruction about what readers should learn, in news words (logit about -9)",
}


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=MISSED[s])) if s in MISSED else s
        for s in UNSEEN_META_TEXT
    ],
)
def test_unseen_meta_text_phrasings_are_flagged(sentence: str) -> None:
    assert load_classifier().flags([sentence], load_encoder())[0]


@pytest.mark.parametrize("sentence", NEWSROOM_HEDGES)
def test_newsroom_hedges_are_not_flagged(sentence: str) -> None:
    classifier, encoder = load_classifier(), load_encoder()
    assert not classifier.flags([sentence], encoder)[0]


# Written for these tests in the manner of the benchmarks' model-written summaries: plain news,
# some of it wrong, none of it talk about how it was written.
SUMMARY_SENTENCES = [
    "The film grossed about $181 million worldwide on a production budget of $160 million.",
    "Police in Leeds have arrested a 19-year-old man after a woman was injured in a late-night attack.",
    "The former Arsenal defender has rejoined his first club on a one-year contract.",
    "Shares in the retailer fell sharply after it warned that profits would be lower than expected.",
    "It is unclear whether the two companies will go ahead with the merger.",
    "A spokesman said the family had asked for privacy and declined to comment further.",
    "The report does not say how many patients were affected by the delays.",
    "Organisers apologised for the long queues and promised refunds to those who missed the show.",
]


@pytest.mark.parametrize("sentence", SUMMARY_SENTENCES)
def test_plain_summary_sentences_are_not_flagged(sentence: str) -> None:
    assert not load_classifier().flags([sentence], load_encoder())[0]


def test_flags_and_scores_agree_at_the_threshold() -> None:
    classifier, encoder = load_classifier(), load_encoder()
    sentences = UNSEEN_META_TEXT + NEWSROOM_HEDGES
    logits, scores = classifier.logits(sentences, encoder), classifier.score(sentences, encoder)
    assert list(classifier.flags(sentences, encoder)) == [z >= classifier.threshold_logit for z in logits]
    assert np.all(np.diff(scores[np.argsort(logits)]) >= 0)  # one order
    assert 0.5 < classifier.threshold <= 1.0


def test_a_model_file_of_another_layout_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "old.npz"
    np.savez(old, dimension=np.int64(1 << 17), ngram_weights=np.zeros(4))  # no shape cues recorded
    with pytest.raises(ModelMissingError, match="retrain"):
        load_classifier(old)


def test_training_never_sees_a_held_out_phrasing() -> None:
    # by construction: no training sentence shares four words in a row with a held-out template
    from training.train_machine_text import HELD_OUT, META, _words, meta_text, protected_grams

    grams = protected_grams(META, [])
    assert grams
    training = meta_text(False, per_family=15)
    assert {(kind, family) for kind, family, _ in training}.isdisjoint(
        (kind, family) for kind, families in HELD_OUT.items() for family in families
    )
    for _, _, sentence in training:
        words = _words(sentence)
        assert grams.isdisjoint(zip(words, words[1:], words[2:], words[3:], strict=False)), sentence


def test_every_kind_has_a_family_in_the_fourth_held_out_set() -> None:
    # the set nobody tuned on (issue 14 item 5): one family per kind, held out like the others
    from training.train_machine_text import HELD_FOURTH, HELD_OUT, META, _set_of, meta_text

    assert set(HELD_FOURTH) == set(META)
    assert all(len(families) == 1 and families[0] in HELD_OUT[kind] for kind, families in HELD_FOURTH.items())
    fourth = [(k, f, s) for k, f, s in meta_text(True, per_family=5) if _set_of(f"{k}/{f}") == "fourth"]
    assert {k for k, _, _ in fourth} == set(META)


@pytest.mark.parametrize(
    "sentence",
    [
        "The figures could not be independently confirmed.",
        "The club declined to comment on the reports.",
        "It is not yet clear whether the match will go ahead.",
        "Financial details of the deal were not disclosed.",
        "Representatives for the band did not immediately respond to a request for comment.",
    ],
)
def test_a_newsroom_hedge_alone_in_its_batch_is_never_flagged(sentence: str) -> None:
    # the int8 encoder scores a sentence alone a little differently than among others: the
    # newsroom's own hedges are kept out of the classifier's findings whatever the score
    assert newsroom_hedge(sentence)
    assert not load_classifier().flags([sentence], load_encoder())[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "I could not independently confirm the figures in the notes you sent.",
        "It is unclear from the provided sources whether the talks will resume.",
        "Details of the deal were not disclosed in the supplied documents.",
    ],
)
def test_a_hedge_in_the_machine_s_own_voice_is_still_read(sentence: str) -> None:
    assert not newsroom_hedge(sentence)


def test_quoted_meta_text_is_journalism() -> None:
    assert mask_quotes('The bot wrote: "I cannot browse the web." Then it stopped.') == (
        'The bot wrote: "..." Then it stopped.'
    )
    sentence = '"I am unable to write this article from the documents provided," the chatbot replied.'
    assert not load_classifier().flags([sentence], load_encoder())[0]


def test_features_are_stable_across_processes() -> None:
    # crc32, not Python's salted hash: the model's columns must mean the same in every process
    sentence = "Let me know if you need anything else."
    code = f"from copydesk.patterns.classifier import features; print(features({sentence!r}).tolist())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(other.stdout) == features(sentence).tolist()


def test_the_checker_reports_classified_sentences_as_machine_text_warnings(checker) -> None:
    body = (
        "The council approved the new budget on Tuesday by seven votes to two. "
        "The precise attendance figure is not spelled out anywhere in the material I was handed. "
        "The mayor declined to comment."
    )
    doc = Document.from_story(StoryIn(headline="Council approves budget", body=body))
    [found] = checker(doc)
    assert (
        found.text
        == "The precise attendance figure is not spelled out anywhere in the material I was handed."
    )
    assert found.kind is FindingKind.MACHINE_TEXT
    assert found.severity is Severity.WARNING
    assert found.fix == "" and found.confidence <= 0.9
    assert found.evidence[0].quote.startswith("machine-text classifier")


def test_a_pattern_finding_is_not_reported_twice(checker) -> None:
    body = "Talks ended. The outcome is not detailed in the available search results."
    [found] = checker(Document.from_story(StoryIn(headline="Talks", body=body)))
    assert found.evidence[0].quote.startswith("not-detailed-in-sources")


@pytest.mark.parametrize("path", sorted(STORIES.glob("*.json")), ids=lambda p: p.stem)
def test_fixture_stories_and_their_sources_get_only_their_expected_machine_text(checker, path: Path) -> None:
    story = json.loads(path.read_text(encoding="utf-8"))
    expected = [e["text"] for e in story["expected"] if e["kind"] == "machine_text"]
    body = Document.from_story(StoryIn(headline=story["headline"], body=story["body"]))
    for found in checker(body):
        assert any(text in found.text for text in expected), (found.text, found.evidence)
    for source in story.get("sources", []):
        assert list(checker(Document.from_story(StoryIn(headline="", body=source["text"])))) == []


def test_the_registered_checker_uses_the_classifier_and_can_turn_it_off() -> None:
    body = "Rain fell. I'm not able to produce the requested story, because nothing in the notes concerns it."
    doc = Document.from_story(StoryIn(headline="Rain", body=body))
    on = make_machine_text(Resources())
    off = make_machine_text(Resources(Settings(extra={"machine_text_classifier": False})))
    assert [f.severity for f in on(doc)] == [Severity.WARNING]
    assert list(off(doc)) == []


def test_the_rest_of_a_lead_in_sentence_is_read_by_the_classifier(checker) -> None:
    body = "Talks ended on Friday. Based on the provided sources, I relied only on them to write this story."
    found = checker(Document.from_story(StoryIn(headline="Talks", body=body)))
    assert [f.text for f in found] == [
        "Based on the provided sources, ",
        "I relied only on them to write this story.",
    ]
    assert all(f.fix == "" for f in found)
    plain = "Talks ended on Friday. According to the provided sources, the talks ended without a deal."
    [lead] = checker(Document.from_story(StoryIn(headline="Talks", body=plain)))
    assert lead.text == "According to the provided sources, the"
