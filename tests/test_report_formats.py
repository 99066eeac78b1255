"""The HTML report and ClaimReview JSON-LD, rendered directly and through ``copydesk check --format``."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from copydesk.apps.cli import app
from copydesk.reporting import render, render_many
from copydesk.schema import ClaimOut, Evidence, Finding, Report

FIXTURES = Path(__file__).parent / "fixtures" / "web"
HOSTILE = "<script>alert(1)</script>"
DATA_BLOCK = re.compile(r'<script type="application/json" data-copydesk-report="[^"]+">(.*?)</script>', re.S)


def report() -> Report:
    body = (
        f"Secretary of State Mike Pompeo flew to Ottawa on Tuesday. {HOSTILE} Officials\u2028were not told."
    )
    start = body.index("Mike Pompeo")
    tuesday = body.index("Tuesday")
    hostile = body.index(HOSTILE)
    evidence = Evidence(
        origin="source",
        quote="Secretary of State Marco Rubio flew to Ottawa on Monday.",
        source_id="wire",
        title="Wire </script> copy",
        url="https://example.org/wire",
    )
    return Report(
        id="ottawa",
        headline="Pompeo in Ottawa & more",
        body=body,
        published="2025-08-29",
        consistent=False,
        score=0.05,
        claims=[
            ClaimOut(
                field="body",
                start=0,
                end=start + 11,
                text="Mike Pompeo is the Secretary of State",
                verdict="contradicted",
            )
        ],
        findings=[
            Finding(
                field="body",
                start=start,
                end=start + 11,
                text="Mike Pompeo",
                kind="wrong_person_for_office",
                verdict="contradicted",
                severity="error",
                confidence=0.9,
                message="The sources name Marco Rubio as Secretary of State.",
                evidence=[evidence],
                fix="Marco Rubio",
                checker="office",
                claim=0,
            ),
            Finding(
                field="body",
                start=tuesday,
                end=tuesday + 7,
                text="Tuesday",
                kind="wrong_date",
                verdict="contradicted",
                severity="error",
                confidence=0.7,
                fix="Monday",
                checker="circumstances",
                message="The source gives this date as Monday.",
                evidence=[evidence],
            ),
            Finding(
                field="body",
                start=hostile,
                end=hostile + len(HOSTILE),
                text=HOSTILE,
                kind="machine_text",
                verdict="unsupported",
                severity="warning",
                confidence=0.8,
                checker="machine_text",
                message="Leftover markup.",
            ),
        ],
    )


def test_html_embeds_the_report_as_inert_json_that_round_trips() -> None:
    page = render(report(), "html")
    assert HOSTILE not in page  # neither the story's nor the evidence's text can close a script element
    assert "</script> copy" not in page
    assert "\u2028" not in page.split("<noscript>")[0]
    (data,) = DATA_BLOCK.findall(page)
    assert "<" not in data and ">" not in data and "&" not in data
    assert Report.model_validate(json.loads(data)) == report()


def test_html_is_self_contained_and_only_its_own_script_may_run() -> None:
    page = render(report(), "html")
    outside_data = DATA_BLOCK.sub("", page)
    assert "http://" not in outside_data and "https://" not in outside_data
    assert "<link" not in page and " src=" not in outside_data
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "CopydeskView" in script and "mark.finding" in page  # the page's view script and stylesheet


def test_html_without_scripts_still_lists_every_finding_escaped() -> None:
    noscript = render(report(), "html").split("<noscript>")[1].split("</noscript>")[0]
    assert noscript.count("<tr>") == 4  # a header and three findings
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in noscript
    assert "Pompeo in Ottawa &amp; more" in noscript
    assert "<script>" not in noscript


def test_html_for_several_reports_holds_each() -> None:
    second = report().model_copy(update={"id": "second"})
    page = render_many([report(), second], "html")
    assert len(DATA_BLOCK.findall(page)) == 2
    assert 'id="report-1"' in page and 'id="report-2"' in page


def test_claimreview_reviews_only_the_contradicted_claims() -> None:
    reviews = json.loads(render(report(), "claimreview"))
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "Wrong person for the office",
        "Wrong date",
    ]
    first = reviews[0]
    assert first["@context"] == "https://schema.org" and first["@type"] == "ClaimReview"
    assert first["claimReviewed"] == "Mike Pompeo is the Secretary of State"  # the segmented claim
    # no claim around it: the sentence that holds it
    assert reviews[1]["claimReviewed"] == "Secretary of State Mike Pompeo flew to Ottawa on Tuesday."
    assert first["itemReviewed"]["@type"] == "Claim"
    assert first["itemReviewed"]["datePublished"] == "2025-08-29"
    assert first["itemReviewed"]["appearance"]["headline"] == "Pompeo in Ottawa & more"
    assert first["author"] == {"@type": "Organization", "name": "copydesk"}
    rating = first["reviewRating"]
    assert rating["ratingValue"] == rating["worstRating"] == 1 and rating["bestRating"] == 5
    assert "Marco Rubio as Secretary of State" in first["reviewBody"]
    assert "Marco Rubio flew to Ottawa on Monday" in first["reviewBody"]
    assert "Wire </script> copy" in first["reviewBody"]


def test_claimreview_can_be_pasted_into_a_script_element() -> None:
    text = render(report(), "claimreview")
    assert "</script>" not in text and "<" not in text
    assert json.loads(text)[0]["reviewBody"]


def test_claimreview_author_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPYDESK_CLAIMREVIEW_AUTHOR", "The Daily Desk")
    monkeypatch.setenv("COPYDESK_CLAIMREVIEW_URL", "https://desk.example")
    author = json.loads(render(report(), "claimreview"))[0]["author"]
    assert author == {"@type": "Organization", "name": "The Daily Desk", "url": "https://desk.example"}


def test_claimreview_of_a_clean_story_is_an_empty_list_and_many_are_joined() -> None:
    clean = report().model_copy(update={"findings": [], "consistent": True})
    assert json.loads(render(clean, "claimreview")) == []
    assert len(json.loads(render_many([report(), clean, report()], "claimreview"))) == 4


@pytest.mark.slow
def test_cli_writes_the_html_report_and_claimreview(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "report.html"
    # Until main() registers the other sub-commands, typer runs the lone `check` as the app itself.
    check = ["check"] if isinstance(get_command(app), click.Group) else []
    common = ["--checkers", "office,names,circumstances,headline"]
    result = runner.invoke(
        app, [*check, str(FIXTURES / "story.json"), "--format", "html", "-o", str(out), *common]
    )
    assert result.exit_code == 1, result.output  # findings were reported
    (data,) = DATA_BLOCK.findall(out.read_text(encoding="utf-8"))
    written = json.loads(data)
    assert any(f["text"] == "Mike Pompeo" for f in written["findings"])

    result = runner.invoke(app, [*check, str(FIXTURES / "story.json"), "--format", "claimreview", *common])
    assert result.exit_code == 1, result.output
    reviews = json.loads(result.stdout)
    assert any("Pompeo" in r["claimReviewed"] for r in reviews)
    assert all(r["@type"] == "ClaimReview" for r in reviews)


def spread_report(score: float | None = 0.05, checked: dict | None = None) -> Report:
    """A wrong person named three times: one finding, three places, each with its replacement."""
    body = "Secretary of State Mike Pompeo flew to Ottawa. Pompeo met officials. <b>Pompeo</b> left."
    first = body.index("Mike Pompeo")
    second = body.index("Pompeo met")
    third = body.index("Pompeo</b>")
    spans = [
        {"field": "body", "start": first, "end": first + 11, "text": "Mike Pompeo", "fix": "Marco Rubio"},
        {"field": "headline", "start": 0, "end": 6, "text": "Pompeo", "fix": "Rubio"},
        {"field": "body", "start": second, "end": second + 6, "text": "Pompeo", "fix": "Rubio"},
        {"field": "body", "start": third, "end": third + 6, "text": "Pompeo", "fix": "Rubio"},
    ]
    return Report.model_validate(
        {
            "headline": "Pompeo in Ottawa",
            "body": body,
            "consistent": False,
            "score": score,
            "checked": checked,
            "findings": [
                {
                    **spans[0],
                    "kind": "wrong_person_for_office",
                    "verdict": "contradicted",
                    "severity": "error",
                    "confidence": 0.9,
                    "message": "The sources name Marco Rubio, not Mike Pompeo, as Secretary of State.",
                    "checker": "office",
                    "spans": spans,
                }
            ],
        }
    )


def test_terminal_shows_every_place_of_a_finding() -> None:
    text = render(spread_report(), "terminal")
    assert "And 3 more mentions:" in text
    assert "headline 0-6: “Pompeo” → “Rubio”" in text
    assert text.count("[1]") == 4  # every place is marked with the finding's number
    assert "<b>Pompeo[1]</b>" in text  # story text is shown as text, markup and all


def test_terminal_and_html_say_what_the_story_was_checked_against() -> None:
    checked = {"sources": 2, "knowledge_base": {"name": "officials.json", "up_to": "2025-01-21"}}
    text = render(spread_report(checked=checked), "terminal")
    assert "Checked against 2 sources and the knowledge base officials.json (up to 2025-01-21)." in text
    nothing = spread_report(score=None, checked={"sources": 0, "knowledge_base": None})
    text = render(nothing, "terminal")
    assert "Not checked: no sources and no knowledge base" in text
    assert "Score: not checked" in text and "probability" not in text
    page = render(nothing, "html")
    assert "Score: not checked." in page
    assert json.loads(DATA_BLOCK.search(page).group(1).replace("\\u003c", "<"))["score"] is None


def test_html_without_scripts_lists_every_place_escaped() -> None:
    page = render(spread_report(), "html")
    noscript = page[page.index("<noscript>") : page.index("</noscript>")]
    assert "and 3 more mention(s)" in noscript
    assert "&lt;b&gt;Pompeo" in noscript and "<b>Pompeo" not in noscript


def test_a_finding_without_spans_has_its_one_place_as_its_spans() -> None:
    finding = report().findings[0]
    assert [(s.field, s.start, s.end, s.text, s.fix) for s in finding.spans] == [
        (finding.field, finding.start, finding.end, finding.text, finding.fix)
    ]
