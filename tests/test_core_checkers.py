"""The structured checkers, one by one: what each must flag and what it must leave alone.

Each test annotates a small story with the real stages (spaCy parse, mentions, retrieval) and
runs one checker function on it, so a failure points at that checker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from copydesk.checkers.circumstances import check_circumstances
from copydesk.checkers.headline import check_headline
from copydesk.checkers.names import check_names
from copydesk.checkers.office import check_offices
from copydesk.checkers.quotes import check_quotes
from copydesk.document import Document
from copydesk.lexicon.names import misspelling_of, same_person
from copydesk.lexicon.numbers import parse_number, same_number
from copydesk.lexicon.offices import incompatible_offices, office_key
from copydesk.pipeline import Pipeline
from copydesk.schema import Finding, Severity, StoryIn


def annotate(
    pipeline: Pipeline, body: str, *sources: str, headline: str = "", published: str = "2024-06-12"
) -> Document:
    story = StoryIn(
        headline=headline,
        body=body,
        published=published,
        sources=[{"text": text, "published": published} for text in sources],
    )
    return pipeline.annotate(story, needs=["evidence"])


def run(check: Callable[[Document], Iterable[Finding]], doc: Document) -> list[tuple[str, str, str | None]]:
    return [(f.kind.value, f.text, f.fix) for f in check(doc)]


# --- office -------------------------------------------------------------------------------------


def test_office_flags_the_wrong_holder(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Health Minister Anton Weiss opened the clinic on Monday.",
        "Health Minister Clara Jovanovic opened the new clinic on Monday.",
    )
    assert run(check_offices, doc) == [("wrong_person_for_office", "Anton Weiss", "Clara Jovanovic")]


def test_office_fix_follows_the_form_of_the_name(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Weiss, the Health Minister, opened the clinic.",
        "Health Minister Clara Jovanovic opened the new clinic. Anton Weiss is the mayor.",
    )
    assert run(check_offices, doc) == [("wrong_person_for_office", "Weiss", "Jovanovic")]


@pytest.mark.parametrize(
    "body",
    [
        "Health Minister Clara Jovanovic opened the clinic.",
        "Jovanovic, the Health Minister, opened the clinic.",
        "Clara Jovanovic, who is the Health Minister, opened the clinic.",
    ],
)
def test_office_right_holder_is_fine(pipeline: Pipeline, body: str) -> None:
    doc = annotate(pipeline, body, "Health Minister Clara Jovanovic opened the new clinic on Monday.")
    assert run(check_offices, doc) == []


def test_office_former_title_stated_as_former_is_fine(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Former Health Minister Anton Weiss attended the opening.",
        "Health Minister Clara Jovanovic opened the clinic. Former Health Minister Anton Weiss was there.",
    )
    assert run(check_offices, doc) == []


def test_office_former_holder_called_current_is_a_wrong_title(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Senator Ruth Calloway toured the site.",
        "Former Senator Ruth Calloway toured the site on Thursday.",
    )
    assert run(check_offices, doc) == [("wrong_title", "Senator", "former Senator")]


def test_office_two_different_offices_are_not_confused(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Health Minister Clara Jovanovic and Finance Minister Anton Weiss met nurses.",
        "Health Minister Clara Jovanovic met nurses with Finance Minister Anton Weiss.",
    )
    assert run(check_offices, doc) == []


def test_office_incompatible_title_is_an_error(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Prime Minister Elena Marsh spoke at the summit.",
        "President Elena Marsh spoke at the summit on Monday.",
    )
    found = list(check_offices(doc))
    assert [(f.kind.value, f.text, f.fix, f.severity) for f in found] == [
        ("wrong_title", "Prime Minister", "President", Severity.ERROR)
    ]


def test_office_a_second_compatible_title_is_only_a_warning(pipeline: Pipeline) -> None:
    # a person can hold two titles: the sources not naming one does not make it wrong
    doc = annotate(
        pipeline,
        "Foreign Minister Elena Marsh spoke at the summit.",
        "Deputy Prime Minister Elena Marsh spoke at the summit on Monday.",
    )
    found = list(check_offices(doc))
    assert [(f.kind.value, f.severity) for f in found] == [("wrong_title", Severity.WARNING)]


def test_office_is_silent_without_roles_in_the_sources(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, "Health Minister Anton Weiss opened the clinic.", "The clinic opened on Monday.")
    assert run(check_offices, doc) == []


def test_offices_compatibility() -> None:
    assert incompatible_offices("president", "prime minister")
    assert incompatible_offices("senator", "secretary of state|united states")
    assert not incompatible_offices("deputy prime minister", "foreign minister")
    assert not incompatible_offices("senator", "senator")
    assert office_key("UK Environment Secretary") == "environment secretary|united kingdom"
    assert office_key("former Senator") == "senator"


# --- names --------------------------------------------------------------------------------------


def test_names_flags_a_misspelling(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Chief executive Katarina Vlasova presented the results.",
        "Chief executive Katerina Vlasova presented the results on Tuesday.",
    )
    assert run(check_names, doc) == [("misspelled_name", "Katarina Vlasova", "Katerina Vlasova")]


def test_names_similar_names_of_two_people_both_in_the_sources_are_fine(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Marcus Feld presented the plan. Markus Feldt of Hollis Bank praised it.",
        "Finance chief Marcus Feld presented the plan. Analyst Markus Feldt of Hollis Bank praised it.",
    )
    assert run(check_names, doc) == []


def test_names_surname_alone_and_a_different_person_are_fine(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Katerina Vlasova spoke first. Vlasova said sales grew. Peter Smit replied.",
        "Katerina Vlasova said sales grew. Peter Smith, an analyst, asked about costs.",
    )
    # "Smit" for "Smith" is a misspelling; "Vlasova" alone is the same person
    assert run(check_names, doc) == [("misspelled_name", "Peter Smit", "Peter Smith")]


def test_name_helpers() -> None:
    assert same_person("Tomas Reyes", "Midfielder Tomas Reyes")
    assert same_person("Reyes", "Tomas Reyes")
    assert not same_person("Tomas Reyes", "Luka Reyes")
    assert misspelling_of("Antonio Blinken", ["Antony Blinken"]) == "Antony Blinken"
    assert misspelling_of("Jon Smith", ["Jan Smit"]) is None


# --- circumstances ------------------------------------------------------------------------------

FLOOD = (
    "Storm Orla made landfall near Kessling Bay on Tuesday, with gusts of 140 kilometres per hour. "
    "About 52,000 homes lost power, the grid operator said."
)


def test_circumstances_flags_wrong_number_place_and_date(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Storm Orla made landfall near Port Alder on Wednesday. "
        "About 75,000 homes lost power, the grid operator said.",
        FLOOD,
        published="2024-10-17",
    )
    assert sorted(run(check_circumstances, doc)) == [
        ("wrong_date", "Wednesday", "Tuesday"),
        ("wrong_number", "75,000", "52,000"),
        ("wrong_place", "Port Alder", "Kessling Bay"),
    ]


def test_circumstances_accepts_rounded_numbers_and_equal_dates(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Revenue rose to 1.2 million euros on October 15, the company said.",
        "The company said on Tuesday, October 15, that revenue rose to 1,203,000 euros.",
        published="2024-10-17",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_does_not_report_a_number_found_elsewhere_in_the_sources(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "About 38 people were rescued from flooded houses, the fire service said.",
        "About 52 people were rescued from flooded houses, the fire service said.",
        "In a second operation, 38 people were rescued from a stranded bus.",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_weekdays_are_compared(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "The council approved the tram plan on Wednesday.",
        "The council approved the tram plan on Tuesday.",
        published="2024-06-14",
    )
    assert run(check_circumstances, doc) == [("wrong_date", "Wednesday", "Tuesday")]


def test_circumstances_vague_dates_are_not_compared(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "The mayor first proposed the tram last spring.",
        "The mayor first proposed the tram in the spring of last year.",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_wrong_person_for_an_action(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Tomas Reyes captained Eastfield to the cup final in 2022.",
        "Luka Brandt captained Eastfield to the cup final in 2022. "
        "Tomas Reyes played alongside him for three seasons.",
    )
    assert run(check_circumstances, doc) == [("wrong_person", "Tomas Reyes", "Luka Brandt")]


def test_circumstances_attribute_of_another_office_holder(pipeline: Pipeline) -> None:
    """The office checker names the right holder; the attribute itself is flagged here."""
    source = (
        "Finance Minister Clara Jovanovic, the first woman to lead the finance ministry, presented "
        "the budget on Monday. Her predecessor Anton Weiss attended."
    )
    doc = annotate(
        pipeline,
        "Finance Minister Anton Weiss, the first woman to hold the post, presented the budget on Monday.",
        source,
    )
    assert run(check_circumstances, doc) == [("wrong_person", "the first woman to hold the post", None)]
    right = annotate(
        pipeline,
        "Finance Minister Clara Jovanovic, the first woman to hold the post, presented the budget on Monday.",
        source,
    )
    assert run(check_circumstances, right) == []


def test_circumstances_right_person_is_fine_when_others_are_near(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Tomas Reyes played alongside Luka Brandt for three seasons.",
        "Luka Brandt captained Eastfield to the cup final in 2022. "
        "Tomas Reyes played alongside him for three seasons.",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_leaves_alone_what_only_looks_like_a_slot(pipeline: Pipeline) -> None:
    """A possessive place is an owner, "000" is a number split by a stray space, and a one-word
    "person" the sources never name in full is likely not a person at all."""
    doc = annotate(
        pipeline,
        "Around 56,000 dogs were treated for poisoning by vets between 2010 and 2014. "
        "One bookie has taken five bets of more than $10,000 on the party. "
        "The coach came to watch May, the only Gloucester player in England's recent campaign. "
        "Howard Jacobson set up an online account in his own name.",
        "Around 56, 000 dogs were treated for poisoning by vets between 2010 and 2014. "
        "One bookie has taken five bets of more than $ 10, 000 on the party. "
        "The coach was at Kingholm to watch May, the only Gloucester player in the recent campaign. "
        "A dentist is puzzled when someone sets up an online Twitter account in his name.",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_a_decimal_split_by_a_stray_space_is_not_another_number(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Around 1.3 billion chinese people marked the qingming festival, a three-day holiday in china.",
        "The festival was celebrated by thousands of people during the public holiday. Around 1. 3 "
        "billion chinese people marked the qingming festival, a three - day holiday in china, by "
        "watching parades and travelling home.",
    )
    assert run(check_circumstances, doc) == []


def test_circumstances_ignores_opinions_and_unaligned_claims(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, "Perhaps 90,000 homes will lose power next winter. The mayor praised the crews.", FLOOD
    )
    assert run(check_circumstances, doc) == []


# --- quotes -------------------------------------------------------------------------------------

SPEECH = 'The mayor said: "This tram will give every student a quick and cheap ride to class."'


def test_quotes_exact_quote_is_fine(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, 'She said: "This tram will give every student a quick and cheap ride to class."', SPEECH
    )
    assert run(check_quotes, doc) == []


def test_quotes_curly_and_straight_marks_are_the_same(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, "She said: “This tram will give every student a quick and cheap ride to class.”", SPEECH
    )
    assert run(check_quotes, doc) == []


def test_quotes_garbled_quote_gets_the_source_words_as_fix(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, 'She said: "This tram will give every student a fast and free ride to class."', SPEECH
    )
    assert run(check_quotes, doc) == [
        (
            "misquoted",
            "This tram will give every student a fast and free ride to class",
            "This tram will give every student a quick and cheap ride to class",
        )
    ]


def test_quotes_invented_quote_has_no_fix(pipeline: Pipeline) -> None:
    doc = annotate(pipeline, 'She added: "Nobody will ever pay for parking again."', SPEECH)
    assert run(check_quotes, doc) == [("misquoted", "Nobody will ever pay for parking again", None)]


def test_quotes_short_quoted_titles_keep_their_own_marks(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        'The list includes Howard Jacobson\'s "J", Ali Smith\'s "How To Be Both" and Karen Joy '
        'Fowler\'s "We Are All Completely Beside Ourselves".',
        'The shortlist: "J" by Howard Jacobson, "How To Be Both" by Ali Smith and '
        '"We Are All Completely Beside Ourselves" by Karen Joy Fowler.',
    )
    assert run(check_quotes, doc) == []


def test_quotes_short_phrases_and_stories_without_sources_are_left_alone(pipeline: Pipeline) -> None:
    assert run(check_quotes, annotate(pipeline, 'She called it "a good day".', SPEECH)) == []
    assert run(check_quotes, annotate(pipeline, 'She said: "Nobody will ever pay for parking again."')) == []


# --- headline -----------------------------------------------------------------------------------


def test_headline_person_for_office_contradicts_body(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline,
        "Finance Minister Elena Sorensen announced the cut. Jonas Berg criticised it.",
        headline="Finance Minister Jonas Berg announces tax cut",
    )
    assert run(check_headline, doc) == [("headline_contradicts_body", "Jonas Berg", "Elena Sorensen")]


def test_headline_number_contradicts_body(pipeline: Pipeline) -> None:
    doc = annotate(
        pipeline, "The minister announced a 2% cut in income tax.", headline="Minister unveils 3% tax cut"
    )
    assert run(check_headline, doc) == [("headline_contradicts_body", "3%", "2%")]


@pytest.mark.parametrize(
    "headline",
    [
        "Finance Minister Elena Sorensen Announces 2% Tax Cut",
        "Sorensen announces 2% tax cut",
        "Finance Minister Sorensen unveils tax cut",
    ],
)
def test_headline_agreeing_with_body_is_fine(pipeline: Pipeline, headline: str) -> None:
    doc = annotate(
        pipeline, "Finance Minister Elena Sorensen announced a 2% cut in income tax.", headline=headline
    )
    assert run(check_headline, doc) == []


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,203,000", 1_203_000),
        ("1.2 million", 1_200_000),
        ("$4.5bn", 4.5e9),
        ("forty-two", 42),
        ("14 percent", 14),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_same_number_allows_news_rounding_only() -> None:
    assert same_number(1_200_000, 1_203_000)
    assert not same_number(52_000, 75_000)
    assert not same_number(2, 3)
