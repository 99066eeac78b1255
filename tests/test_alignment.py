"""Near copies aligned word by word: the changed word is the finding, a rewording is not."""

from __future__ import annotations

from typing import Any

import pytest

from copydesk.checkers.alignment import check_alignment
from copydesk.checkers.circumstances import check_circumstances
from copydesk.checkers.entailment import unbacked_span
from copydesk.document import Text
from copydesk.lexicon.numbers import agrees, bound_of, holds_as_bound, same_number, whole_amount
from copydesk.pipeline import Pipeline, as_story
from copydesk.resources import Settings
from copydesk.schema import FindingKind
from copydesk.stages.alignment import align, tokens


@pytest.fixture(scope="module")
def annotate() -> Pipeline:
    return Pipeline(Settings(checkers=(), dense_retrieval=False))


def _check(annotate: Pipeline, body: str, *sources: str, published: str = "2025-03-01") -> list[Any]:
    story = {
        "headline": "",
        "body": body,
        "published": published,
        "sources": [{"id": f"s{i}", "text": text} for i, text in enumerate(sources, 1)],
    }
    doc = annotate.annotate(as_story(story))
    return [(f.kind, f.text, f.fix) for f in check_alignment(doc)]


def test_tokens_compare_numbers_by_value_and_words_by_lemma() -> None:
    keys = [t.key for t in tokens("1.2 million people; 1,200,000 others rescued")]
    assert keys[0] == keys[2]
    assert tokens("rescued")[0].key == tokens("rescues")[0].key
    assert [t.key for t in tokens("can't")] == ["can", "not"]


def test_alignment_finds_the_one_swapped_word() -> None:
    mine = tokens("Maria Lopez scored four goals on Saturday.")
    theirs = tokens("Maria Lopez scored three goals on Saturday.")
    result = align(mine, theirs)
    assert [(e.op, [t.text for t in e.mine], [t.text for t in e.theirs]) for e in result.edits] == [
        ("replace", ["four"], ["three"])
    ]
    # five words copied; the changed number still stands where the source's does
    assert (result.matched, result.content, result.coverage) == (5, 6, 1.0)


def test_one_word_number_change_next_to_the_same_number_said_of_someone_else(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "Maria Lopez scored four goals as Dunmore Rovers beat Kelso 6-1 on Saturday.",
        "Maria Lopez scored three goals as Dunmore Rovers beat Kelso 6-1 on Saturday. "
        "Her teammate Ana Ruiz scored four goals in the previous match against Tarn.",
    )
    assert found == [(FindingKind.WRONG_NUMBER, "four", "three")]


def test_a_number_another_aligned_source_gives_for_the_same_thing_is_not_reported(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "Maria Lopez scored four goals as Dunmore Rovers beat Kelso 6-1 on Saturday.",
        "Maria Lopez scored three goals as Dunmore Rovers beat Kelso 6-1 on Saturday.",
        "Maria Lopez scored four goals as Dunmore Rovers beat Kelso 6-1 on Saturday, the league said.",
    )
    assert found == []


def test_a_year_moved_by_years_is_a_wrong_date(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "The museum on Quay Street reopened in 2025 after a fire destroyed its east wing.",
        "The museum on Quay Street reopened in 2021 after a fire destroyed its east wing.",
    )
    assert found == [(FindingKind.WRONG_DATE, "2025", "2021")]
    assert not same_number(2025, 2021)
    assert same_number(1_230_456, 1_230_000)


@pytest.mark.parametrize(
    ("body", "source", "expected"),
    [
        # a year one off is not a rounding of it, as 52,000 is of 52,300
        (
            "He was first-team coach when Ally Brant succeeded Walter Kemp in 2010, then went back.",
            "He was first-team coach when Ally Brant succeeded Walter Kemp in 2011, then went back.",
            ("2010", "2011"),
        ),
        # a short sentence copied but for its year
        (
            "Nominations are open for Harbour Heroes 2018.",
            "Nominations are open for Harbour Heroes 2015.",
            ("2018", "2015"),
        ),
        # a year after the day of the month: "2, 2025" is not a number split by a stray space
        (
            "Her family arrived at the court in Sydney on May 2, 2025, for the sentencing hearing.",
            "Her family arrived at the court in Sydney on May 2, 2022, for the sentencing hearing.",
            ("2025", "2022"),
        ),
    ],
)
def test_a_year_one_to_three_years_off_is_a_wrong_date(
    annotate: Pipeline, body: str, source: str, expected: tuple[str, str]
) -> None:
    assert _check(annotate, body, source) == [(FindingKind.WRONG_DATE, *expected)]
    assert agrees(52_000, 52_300, "52,000", "52,300")


def test_a_wrong_place_in_an_otherwise_true_sentence_marks_only_the_place(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "The new bridge over the Arlen river was opened by mayor Tomas Grell in Hallstead on Friday, "
        "and it cost 12 million euros to build.",
        "The new bridge over the Arlen river was opened by mayor Tomas Grell in Vennby on Friday, "
        "and it cost 12 million euros to build.",
    )
    assert found == [(FindingKind.WRONG_PLACE, "Hallstead", "Vennby")]


def test_a_dropped_governing_verb_is_marked_with_the_source_words_as_fix(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "She said she can't teach them enough about the river.",
        "She said she can't wait to teach them enough about the river.",
    )
    assert found == [(FindingKind.CONTRADICTED, "can't teach", "can't wait to teach")]


def test_a_dropped_negation_contradicts(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "The committee said the new stadium would be finished before the 2027 season.",
        "The committee said the new stadium would not be finished before the 2027 season.",
    )
    assert [kind for kind, _, _ in found] == [FindingKind.CONTRADICTED]
    assert "not" in found[0][2]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        # a synonym and a moved clause
        (
            "After a long debate, the housing minister approved the plan to build 300 homes near the "
            "harbour on Tuesday.",
            "The housing minister backed the plan to build 300 homes close to the harbour on Tuesday, "
            "after a long debate.",
        ),
        # reported speech: "will" becomes "would"
        (
            "The mayor said the port would reopen to cargo ships on Monday after the repairs.",
            "The mayor said the port will reopen to cargo ships on Monday after the repairs.",
        ),
        # an approximation of the source's number
        (
            "Rescue teams pulled about 40 people from the flooded houses along the river on Sunday.",
            "Rescue teams pulled 41 people from the flooded houses along the river on Sunday.",
        ),
        # the same amount written otherwise
        (
            "The council said the new tram line will cost 1.2 million euros to build next year.",
            "The council said the new tram line will cost 1,200,000 euros to build next year.",
        ),
        # a capital standing for its country
        (
            "President Noboa asked Washington for help against the gangs in the port city.",
            "President Noboa asked the United States for help against the gangs in the port city.",
        ),
        # a modal for "agree to": the same obligation said another way
        (
            "Clients must release their personal information to a funeral director and a coroner.",
            "Clients also agree to release their personal information to a funeral director and a "
            "coroner for identification purposes.",
        ),
        # a season's years lined up against a count of games: two things, not a changed date
        (
            "Bueno played for Derby County on loan in 2010-11.",
            "Bueno played for Derby on loan five years ago, but with just five goals in 29 games he "
            "looked anything like Champions League material. After returning to Valladolid he moved "
            "to Rayo Vallecano and at the club with one of the lowest budgets in Spanish football he "
            "has had the season of his life.",
        ),
    ],
)
def test_a_rewording_that_keeps_the_meaning_is_not_reported(
    annotate: Pipeline, body: str, source: str
) -> None:
    assert _check(annotate, body, source) == []


@pytest.mark.parametrize(
    ("body", "source", "expected"),
    [
        # a score: aligned by value, the two 20s would pair and hide the swap
        (
            "A late drop-goal from Peter Anscombe edged the Blues 20-23 ahead after the break in Cardiff.",
            "A late drop-goal from Peter Anscombe edged the Blues 23-20 ahead after the break in Cardiff.",
            [("20", "23"), ("23", "20")],
        ),
        # a time at the end of the sentence: the pair is flanked on one side only
        (
            "Receipts from the till showed that drinks were still being served at the bar as late as 49:04.",
            "Receipts from the till showed that drinks were still being served at the bar as late as 04:49.",
            [("49", "04"), ("04", "49")],
        ),
        # a reworded hedge before the last number ("over" for "more than"); 2,000 is no year
        (
            "The network will have at least 2,000 satellites at first, but could later have over 600.",
            "The network will have at least 600 satellites at first, but could later have more than 2,000.",
            [("2,000", "600"), ("600", "2,000")],
        ),
        # two percentages: 1% is not 99% read as a fraction
        (
            "The trader buys 1% of its oil from other firms, and says it has less than 99% of the market.",
            "The trader buys 99% of its oil from other firms, and says it has less than 1% of the market.",
            [("1", "99"), ("99", "1")],
        ),
        # numbers written as words, each bound to what it counts
        (
            "The couple, who wed in Tarnow, had two sons and three daughters before they moved to Lisbon.",
            "The couple, who wed in Tarnow, had three sons and two daughters before they moved to Lisbon.",
            [("two", "three"), ("three", "two")],
        ),
    ],
)
def test_two_swapped_numbers_are_two_wrong_numbers(
    annotate: Pipeline, body: str, source: str, expected: list[tuple[str, str]]
) -> None:
    found = _check(annotate, body, source)
    assert [(text, fix) for _, text, fix in found] == expected
    assert {kind for kind, _, _ in found} == {FindingKind.WRONG_NUMBER}


def test_a_number_moved_with_the_noun_it_counts_is_not_a_wrong_number(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "In March the district council in Vennby hired 12 teachers and 4 nurses for the new school "
        "on Quay Road.",
        "In March the district council in Vennby hired 4 nurses and 12 teachers for the new school "
        "on Quay Road.",
    )
    assert found == []


def test_numbers_align_by_place_and_keep_the_copy_count() -> None:
    result = align(
        tokens("Greece ran out winners, 64-92, in Patras."),
        tokens("Greece ran out winners, 92-64, in Patras."),
    )
    assert [(e.op, e.mine[0].text, e.theirs[0].text) for e in result.edits] == [
        ("replace", "64", "92"),
        ("replace", "92", "64"),
    ]
    assert "64" not in {result.copied[t.start].text for t in result.mine if t.start in result.copied}
    assert result.coverage == 1.0  # a copy with changed numbers is still a copy


def test_unbacked_span_marks_the_words_the_evidence_lacks() -> None:
    body = "The bridge was opened by mayor Tomas Grell in Hallstead on Friday after years of delays."
    own = Text("body", body)
    span = own.span(0, len(body))
    marked = unbacked_span(
        own, span, "The bridge was opened by mayor Tomas Grell in Vennby on Friday after years of delays."
    )
    assert marked.text == "Hallstead"
    # every word backed: the model objects to how they are put together, so the whole claim is marked
    assert unbacked_span(own, span, body).text == body


@pytest.fixture(scope="module")
def with_evidence() -> Pipeline:
    return Pipeline(Settings(checkers=("circumstances",), dense_retrieval=False))


def _circumstances(pipeline: Pipeline, body: str, source: str) -> list[Any]:
    story = {"body": body, "published": "2025-03-01", "sources": [{"id": "s1", "text": source}]}
    doc = pipeline.annotate(as_story(story))
    return [(f.kind, f.text, f.fix) for f in check_circumstances(doc)]


def test_a_number_is_compared_with_the_one_said_of_the_same_person(with_evidence: Pipeline) -> None:
    found = _circumstances(
        with_evidence,
        "In Saturday's win over Kelso, Maria Lopez scored four goals for the Rovers.",
        "Maria Lopez scored three goals for the Rovers in Saturday's win over Kelso. "
        "Ana Ruiz scored four goals for the Rovers last season.",
    )
    assert found == [(FindingKind.WRONG_NUMBER, "four", "three")]


def test_approximations_and_ranges_are_read_as_an_editor_would(with_evidence: Pipeline) -> None:
    source = "Rescue teams pulled 41 people from flooded houses in the town of Mirrow on Sunday."
    assert (
        _circumstances(
            with_evidence,
            "On Sunday rescue teams pulled about 40 people from flooded houses in Mirrow.",
            source,
        )
        == []
    )
    assert agrees(35, 30, "35", "30 to 40")
    assert agrees(0.5, 48, "nearly half", "48%", approximate=True)
    assert not agrees(0.5, 38, "half", "38%", approximate=True)


def test_a_floor_or_ceiling_that_holds_is_not_a_wrong_number(with_evidence: Pipeline) -> None:
    source = "Investigators have begun exhuming 116 bodies from a mass grave near the town of Mirrow."
    assert (
        _circumstances(with_evidence, "Investigators have begun exhuming more than 100 bodies.", source) == []
    )
    assert holds_as_bound(200, 116, bound_of("fewer than "))
    # a floor far under the value says something else, and a ceiling that does not hold is wrong
    assert not holds_as_bound(100, 450, bound_of("more than "))
    assert not holds_as_bound(100, 116, bound_of("under "))
    assert not holds_as_bound(100, 116, None)


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            "The fortress lies about 3,800 km from Moscow near the Mongolian border.",
            "The fortress lies about 3, 800 km from Moscow near the Mongolian border. It was built in 1920.",
        ),
        (
            "The probe will hit the surface at 2.4 miles per second (3.9 km/s), the agency said.",
            "The probe will hit the surface at 2. 4 miles per second ( 3. 9 km/s ), the agency said.",
        ),
    ],
)
def test_digit_groups_split_by_a_stray_space_are_one_number(
    annotate: Pipeline, body: str, source: str
) -> None:
    # tokenised corpora write 3,800 as "3, 800": the same amount, not a 3 where the story has 3,800
    assert _check(annotate, body, source) == []


def test_a_changed_amount_is_still_found_when_the_source_splits_its_digits(annotate: Pipeline) -> None:
    found = _check(
        annotate,
        "The fortress lies 3,900 km from Moscow near the Mongolian border, officials said.",
        "The fortress lies 3, 800 km from Moscow near the Mongolian border, officials said.",
    )
    assert [kind for kind, _, _ in found] == [FindingKind.WRONG_NUMBER]


def test_whole_amount_joins_only_split_digit_groups() -> None:
    raw = "lost $ 36, 000 in 2013. 4 people in 2014, 300 died"
    start = raw.index("000")
    assert raw[slice(*whole_amount(raw, start, start + 3))] == "36, 000"
    year = raw.index("2013")
    assert whole_amount(raw, year, year + 4) == (year, year + 4)
    year = raw.index("2014")
    assert whole_amount(raw, year, year + 4) == (year, year + 4)
    raw = "on May 2, 2025, and 1, 250, 000 people"
    year = raw.index("2025")
    assert whole_amount(raw, year, year + 4) == (year, year + 4)
    start = raw.index("000")
    assert raw[slice(*whole_amount(raw, start, start + 3))] == "1, 250, 000"


def test_a_name_facing_a_name_of_another_kind_is_not_a_swap(annotate: Pipeline) -> None:
    # an age lined up with a team, or with the player's club, is not a date changed
    found = _check(
        annotate,
        "Jack Grealish made his first Premier League start against QPR on Tuesday. The 19-year-old is "
        "hopeful of retaining his place for the April 19 date.",
        "Grealish, 19, was handed his first Premier League start in the 3-3 draw with Queens Park Rangers "
        "and is hopeful of retaining his place for the April 19 date.",
    )
    assert found == []
    found = _check(
        annotate,
        "Chris Copeland, 31, and his wife, Katrine Saltare, were both stabbed outside a New York City club "
        "early on Wednesday.",
        "Injured: Chris Copeland, a player for the Indiana Pacers, and his wife, Katrine Saltare, were both "
        "stabbed outside a New York City club early on Wednesday.",
    )
    assert found == []


def test_a_tense_moved_or_a_bracketed_name_dropped_is_not_a_contradiction(annotate: Pipeline) -> None:
    # the present for what is scheduled: "will" dropped changes the tense, not the fact
    assert (
        _check(
            annotate,
            "Champion jockey Tony McCoy is at Sandown on Saturday for the last time before he retires.",
            "Champion jockey Tony McCoy will be at Sandown on Saturday for the last time before he retires.",
        )
        == []
    )
    # "(VIRS) to reveal" copied as "revealing": no governing verb was dropped
    assert (
        _check(
            annotate,
            "The probe carries an infrared spectrometer revealing the minerals on the surface, the agency "
            "said.",
            "The probe carries an infrared spectrometer (VIRS) to reveal the minerals on the surface, the "
            "agency said.",
        )
        == []
    )
    # "willing to live" copied as "live" drops what governs the verb ("willing" is no "will")
    found = _check(
        annotate,
        "The agency is offering free food and a job to people live in Garnet and work as tour guides.",
        "The agency is offering free food and a job to people willing to live in Garnet and work as tour "
        "guides.",
    )
    assert found == [(FindingKind.CONTRADICTED, "people live", "people willing to live")]
    # a possibility turned into a fact still is one
    found = _check(
        annotate,
        "Champion jockey Tony McCoy will ride at Sandown on Saturday for the last time before he retires.",
        "Champion jockey Tony McCoy may ride at Sandown on Saturday for the last time before he retires.",
    )
    assert [kind for kind, _, _ in found] == [FindingKind.CONTRADICTED]


def test_a_place_the_recogniser_takes_for_a_person_is_still_a_wrong_place(annotate: Pipeline) -> None:
    # "to Forfar" / "to Utah": whatever the labels, a name after "to" or "in" on both sides is where
    found = _check(
        annotate,
        "He is set to be extradited back to Forfar where he faces charges related to the rape of a "
        "student in February.",
        "He is set to be extradited back to Utah where he faces charges related to the rape of a "
        "student in February.",
    )
    assert found == [(FindingKind.WRONG_PLACE, "Forfar", "Utah")]
    found = _check(
        annotate,
        "A judge in Provo signed an arrest warrant on Monday to extradite him back to Forfar.",
        "A judge in Provo signed an arrest warrant on Monday to extradite him back to Utah.",
    )
    assert found == [(FindingKind.WRONG_PLACE, "Forfar", "Utah")]
