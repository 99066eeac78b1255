from __future__ import annotations

import json
from pathlib import Path

from copydesk.pipeline import Pipeline

STORIES = Path(__file__).parent / "fixtures" / "stories"


def _story(name: str) -> dict:
    story = json.loads((STORIES / f"{name}.json").read_text(encoding="utf-8"))
    story.pop("expected", None)
    story.pop("known_false_positives", None)
    return story


def test_a_report_does_not_depend_on_the_stories_checked_before_it() -> None:
    # Resumed and parallel batches check stories in other orders and processes than a plain run;
    # their reports must be the same.
    fresh = Pipeline().check(_story("wrong_date_storm"))
    warmed = Pipeline()
    warmed.check(_story("correct_council_vote"))
    warmed.check(_story("wrong_number_place_storm"))  # shares its sources with the storm story
    assert warmed.check(_story("wrong_date_storm")).model_dump() == fresh.model_dump()
