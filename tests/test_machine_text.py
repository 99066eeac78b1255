"""The machine-text checker and its curated pattern library."""

from __future__ import annotations

import itertools

import pytest

from copydesk.checkers.machine_text import (
    CATEGORIES,
    MachineTextChecker,
    load_library,
    scan,
    sentence_bounds,
)
from copydesk.document import Document
from copydesk.errors import CopydeskError
from copydesk.pipeline import Pipeline
from copydesk.resources import Settings
from copydesk.schema import FindingKind, Severity, StoryIn, Verdict

LIBRARY = load_library()


def check(headline: str = "", body: str = "") -> list:
    doc = Document.from_story(StoryIn(headline=headline, body=body or "The council met."))
    return list(MachineTextChecker(LIBRARY)(doc))


# --- the library, tested as it grows -------------------------------------------------------------

EXAMPLES = [(p.id, text) for p in LIBRARY for text in p.examples]
COUNTER_EXAMPLES = [(p.id, text) for p in LIBRARY for text in p.counter_examples]


@pytest.mark.parametrize(
    ("pattern_id", "text"), EXAMPLES, ids=[f"{i}:{n}" for n, (i, _) in enumerate(EXAMPLES)]
)
def test_every_example_is_flagged_by_its_pattern(pattern_id: str, text: str) -> None:
    assert pattern_id in {hit.pattern.id for hit in scan(text)}


@pytest.mark.parametrize(
    ("pattern_id", "text"), COUNTER_EXAMPLES, ids=[f"{i}:{n}" for n, (i, _) in enumerate(COUNTER_EXAMPLES)]
)
def test_no_pattern_flags_a_counter_example(pattern_id: str, text: str) -> None:
    flagged = [(hit.pattern.id, text[hit.start : hit.end]) for hit in scan(text)]
    assert flagged == []


def test_library_is_curated_across_every_category() -> None:
    assert 60 <= len(LIBRARY) <= 120
    assert {p.category for p in LIBRARY} == set(CATEGORIES)
    assert len({p.id for p in LIBRARY}) == len(LIBRARY)


def test_every_pattern_gets_a_prefilter() -> None:
    # A pattern without a gate runs its regex on every story: slow, so keep it the exception.
    assert [p.id for p in LIBRARY if not p.gate] == []


def write_library(tmp_path, pattern: str) -> str:
    path = tmp_path / "lib.toml"
    path.write_text('[categories.refusal]\ndescription = "d"\nfix = "delete_sentence"\n\n' + pattern)
    return str(path)


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (
            "[[pattern]]\nid = 'x'\ncategory = 'refusal'\nmessage = 'm'\nregex = '(unclosed'\n"
            "examples = ['a']\ncounter_examples = ['b']\n",
            "bad regular expression",
        ),
        (
            "[[pattern]]\nid = 'x'\ncategory = 'refusal'\nmessage = 'm'\nregex = 'a'\nexamples = ['a']\n",
            "counter_examples",
        ),
        ("[[pattern]]\nid = 'x'\ncategory = 'gossip'\nmessage = 'm'\nregex = 'a'\n", "unknown category"),
        (
            "[[pattern]]\nid = 'x'\ncategory = 'refusal'\nmessage = 'm'\nregex = 'a'\nfix = 'rewrite'\n"
            "examples = ['a']\ncounter_examples = ['b']\n",
            "unknown fix",
        ),
        ("[[pattern]\n", "not valid TOML"),
        (
            "[[pattern]]\nid = 'x'\ncategory = 'refusal'\nmessage = 'm'\nregex = 'a'\nconfidence = 'high'\n"
            "examples = ['a']\ncounter_examples = ['b']\n",
            "confidence must be a number",
        ),
    ],
)
def test_a_broken_library_is_named_in_one_line(tmp_path, pattern: str, problem: str) -> None:
    with pytest.raises(CopydeskError, match=problem) as caught:
        load_library(write_library(tmp_path, pattern))
    assert "\n" not in str(caught.value)


def test_duplicate_ids_are_refused(tmp_path) -> None:
    entry = "[[pattern]]\nid = 'x'\ncategory = 'refusal'\nmessage = 'm'\nregex = 'a'\nexamples = ['a']\n"
    entry += "counter_examples = ['b']\n"
    with pytest.raises(CopydeskError, match="used twice"):
        load_library(write_library(tmp_path, entry + entry))


# --- whole stories -------------------------------------------------------------------------------

CLEAN_HEADLINE = "Chatbot maker apologises after assistant invents court ruling"

CLEAN_BODY = """\
Lumen Labs, the Oslo start-up behind the Fjord chatbot, apologised on Thursday after its assistant \
told a user that a court in Bergen had banned electric scooters, a ruling that never existed.

The error came to light when a local councillor, Ingrid Sæther, asked the chatbot about transport \
rules and shared its answer online. The reply began: "As an AI language model, I cannot give legal \
advice, but the Bergen District Court banned scooters in 2023." A second screenshot showed the \
assistant adding, "I'm sorry, but I can't browse the internet to check."

"We got this wrong and we are sorry," said Mats Lie, the company's chief executive. He said the \
assistant would now show the sources it relied on, and that answers about courts would carry a \
warning.

Researchers at the University of Bergen said the case showed how such systems fill gaps when \
their search results are thin. Google changed how its own search results display court records \
last year, they noted, after similar complaints.

Sæther said she had received an apology by email. "It's a brilliant [sic] system until it isn't," \
she wrote on social media, where users mocked replies such as 'as of my last knowledge update'.

The company, which employs 40 people, said the fix would reach all users by Monday. Its shares \
are not listed. The city council will discuss scooter rules again on 12 March, a spokesperson said, \
and residents can send comments until the end of February.

Lie said the firm had asked an outside auditor to review 1,000 recent answers. The auditor is \
expected to report in April, and the company said it would publish the findings in full.
"""


def test_a_clean_story_about_ai_gets_no_finding() -> None:
    assert check(CLEAN_HEADLINE, CLEAN_BODY) == []


LEAKY_BODY = (
    "Mexico's economy minister flew to Washington on Monday for talks on steel tariffs. "
    "The specific Mexican counterpart he met with is not detailed in the available search results. "
    "Officials said a second round would follow on [insert date]. "
    "Both sides described the meeting as constructive. "
    "Let me know if you would like a shorter version."
)


def test_three_leaks_give_three_findings_with_exact_spans() -> None:
    findings = check("Mexico and US hold tariff talks", LEAKY_BODY)
    assert [(f.field, f.text, f.fix) for f in findings] == [
        (
            "body",
            "The specific Mexican counterpart he met with is not detailed in the available search results.",
            "",
        ),
        ("body", "[insert date]", None),  # a placeholder needs the missing fact, not a deletion
        ("body", "Let me know if you would like a shorter version.", ""),
    ]
    for found in findings:
        assert LEAKY_BODY[found.start : found.end] == found.text
        assert found.kind is FindingKind.MACHINE_TEXT
        assert found.verdict is Verdict.UNSUPPORTED
        assert found.severity is Severity.ERROR
        assert found.checker == "machine_text"
        assert found.evidence and found.evidence[0].origin == "pattern"


def test_leaks_are_found_and_fixed_by_deletion() -> None:
    body = (
        "The bridge reopened on Friday after a two-year repair. "
        "As of my last knowledge update, the project cost $12 million. "
        "Drivers welcomed the news. (Word count: 450)"
    )
    findings = check("Bridge reopens", body)
    assert [(f.text, f.fix) for f in findings] == [
        ("As of my last knowledge update, the project cost $12 million.", ""),
        (" (Word count: 450)", ""),
    ]
    fixed = body
    for found in sorted(findings, key=lambda f: f.start, reverse=True):
        fixed = fixed[: found.start] + found.fix + fixed[found.end :]
    assert fixed == "The bridge reopened on Friday after a two-year repair.  Drivers welcomed the news."


@pytest.mark.parametrize(
    ("headline", "flagged"),
    [
        ("Title: Council Approves New Budget", "Title: "),
        (
            "Certainly! Here is a headline for your story: Council Approves Budget",
            "Certainly! Here is a headline for your story: ",
        ),
        ("Council approves budget <|endoftext|>", " <|endoftext|>"),
    ],
)
def test_headline_leaks_are_found_in_the_headline(headline: str, flagged: str) -> None:
    findings = check(headline, "The council approved the budget on Tuesday.")
    assert [(f.field, f.text, f.fix) for f in findings] == [("headline", flagged, "")]


def test_quoted_speech_is_journalism_but_a_quoted_placeholder_is_not() -> None:
    body = (
        'The bot replied, "I apologize, but I cannot browse the internet." '
        'The minister said: "We will meet [Spokesperson Name] next week."'
    )
    assert [f.text for f in check("Bot story", body)] == ["[Spokesperson Name]"]


def test_curly_quotes_and_apostrophes() -> None:
    quoted = "The reply read “I’m sorry, but I can’t help with that,” according to the complaint."
    assert check("Complaint", quoted) == []
    bare = "I’m sorry, but I can’t help with that."
    assert [f.text for f in check("Story", bare)] == [bare]


def test_an_unclosed_quote_runs_to_the_end_of_its_paragraph() -> None:
    body = '"As an AI language model, I have no view on the vote, the chatbot wrote.\n\nThe vote passed.'
    assert check("Vote", body) == []


def test_markdown_of_a_markdown_story_is_not_flagged() -> None:
    # .md stories keep their Markdown in the body; only chat labels are artefacts
    body = (
        "The bridge over **Kelso harbour** reopened, the [council](https://example.org) said.\n\n## Cost\n\n"
    )
    assert check("Bridge reopens", body + "Repairs cost 4.2 million euros.") == []
    assert [f.text for f in check("Bridge reopens", body + "**Key points:** it cost 4.2 million.")] == [
        "**Key points:** "
    ]


def test_segmenter_sentences_are_used_when_present() -> None:
    body = "Talks ended. Details are not given in the provided sources, officials said, so. Next."
    doc = Document.from_story(StoryIn(headline="Talks", body=body))
    # a segmenter that joined the last two sentences: the finding follows its bounds
    start = body.index("Details")
    doc.body.sentences = [doc.body.span(0, 12), doc.body.span(start, len(body))]
    [found] = MachineTextChecker(LIBRARY)(doc)
    assert found.text == body[start:]


def test_overlapping_matches_become_one_finding_with_all_evidence() -> None:
    body = "I'm sorry, but as an AI language model I cannot browse the internet."
    [found] = check("Story", body)
    assert found.text == body
    pattern_ids = {e.quote.split(" ")[0] for e in found.evidence}
    assert pattern_ids >= {"im-sorry-but", "as-an-ai-language-model", "cannot-browse"}


def test_weak_patterns_report_warnings() -> None:
    [found] = check("Story", "I cannot verify the accuracy of this information.")
    assert found.severity is Severity.WARNING
    assert found.confidence < 0.8


def test_fallback_sentences_keep_abbreviations_together() -> None:
    text = "Mr. Ebrard met U.S. officials in Washington. Talks resume in May.\nNext line"
    assert [text[a:b] for a, b in sentence_bounds(text)] == [
        "Mr. Ebrard met U.S. officials in Washington.",
        "Talks resume in May.",
        "Next line",
    ]


# --- the plug-in ---------------------------------------------------------------------------------


def test_registered_checker_runs_from_the_registry() -> None:
    [(name, checker)] = Pipeline(Settings(checkers=("machine_text",))).checkers
    doc = Document.from_story(StoryIn(headline="Vote", body="The vote passed. I hope this helps!"))
    assert name == "machine_text"
    assert [f.text for f in checker(doc)] == ["I hope this helps!"]


def test_another_library_can_be_configured(tmp_path) -> None:
    path = write_library(
        tmp_path,
        "[[pattern]]\nid = 'house-style'\ncategory = 'refusal'\nmessage = 'No.'\nphrases = ['we regret']\n"
        "examples = ['We regret this.']\ncounter_examples = ['They regret it.']\n",
    )
    settings = Settings(checkers=("machine_text",), extra={"machine_text_patterns": path})
    [(_, checker)] = Pipeline(settings).checkers
    doc = Document.from_story(StoryIn(headline="Note", body="Prices rose. We regret the error."))
    assert [(f.text, f.message) for f in checker(doc)] == [("We regret the error.", "No.")]


# --- spans: the meta words, not the content they introduce ----------------------------------------


def segmented(body: str, *cuts: int) -> Document:
    """A story whose segmenter cut the body only at ``cuts`` (as spaCy may: across a line break)."""
    doc = Document.from_story(StoryIn(headline="Summary", body=body))
    bounds = [0, *cuts, len(body)]
    doc.body.sentences = [doc.body.span(a, b) for a, b in itertools.pairwise(bounds)]
    return doc


def test_a_preamble_span_stops_at_its_colon_even_when_the_segmenter_joins_the_lines() -> None:
    body = (
        "Here is a concise summary of the passage, covering the core pieces of information:\n\n"
        "The film grossed $181 million on a budget of $160 million."
    )
    [found] = MachineTextChecker(LIBRARY)(segmented(body))
    assert found.text == "Here is a concise summary of the passage, covering the core pieces of information:"
    assert found.fix == ""


def test_a_preamble_on_the_same_line_stops_at_its_colon() -> None:
    body = "The summary below covers the core pieces of information: the film grossed $181 million."
    [found] = MachineTextChecker(LIBRARY)(segmented(body))
    assert found.text == "The summary below covers the core pieces of information:"


def test_a_passage_sentence_on_the_next_line_is_its_own_finding() -> None:
    body = (
        "Here's a concise summary of the passage:\n\nThe passage discusses the 2014 Booker Prize shortlist."
    )
    found = MachineTextChecker(LIBRARY)(segmented(body))
    assert [f.text for f in found] == ["Here's a concise summary of the passage:", "The passage discusses"]


def test_the_passage_describes_marks_only_its_meta_words_and_leaves_the_rewrite_to_the_editor() -> None:
    [found] = check("Match", "The passage describes a football match between Morton and Alloa.")
    assert found.text == "The passage describes"
    assert found.fix is None  # deleting the words would leave "a football match between ...": no sentence
    assert found.kind is FindingKind.MACHINE_TEXT


@pytest.mark.parametrize(
    ("body", "marked", "fixed"),
    [
        (
            "The passage also mentions that the shortlist has been criticised as weak.",
            "The passage also mentions that the",
            "The shortlist has been criticised as weak.",
        ),
        (
            "According to the provided sources, the talks ended on Friday.",
            "According to the provided sources, the",
            "The talks ended on Friday.",
        ),
        (
            "In the provided passage, Morton scored four goals against Alloa.",
            "In the provided passage, ",
            "Morton scored four goals against Alloa.",
        ),
    ],
)
def test_meta_words_that_open_a_sentence_of_content_are_deleted_alone(
    body: str, marked: str, fixed: str
) -> None:
    [found] = check("Story", body)
    assert found.text == marked
    assert body[: found.start] + found.fix + body[found.end :] == fixed


def test_a_sentence_that_is_all_meta_text_is_still_marked_whole() -> None:
    for body in (
        "The passage does not provide any details about the plot of the novel.",
        "According to the provided sources, the exact cost is not detailed in the available search results.",
    ):
        [found] = check("Story", body)
        assert found.text == body
        assert found.fix == ""
