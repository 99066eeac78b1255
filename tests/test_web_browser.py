"""The web page and the HTML report in real headless Chromium (Debian's package, driven by Playwright).

Screenshots go to artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from copydesk import Pipeline, Settings
from copydesk.apps.serve.app import create_app
from copydesk.apps.serve.background import serve_in_background
from copydesk.reporting import render
from copydesk.schema import Evidence, Finding, Report

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "web"
ARTIFACTS = ROOT / "artifacts"
CHECKERS = ("office", "names", "circumstances", "quotes", "headline")
HOSTILE = '<script>alert("story")</script><img src=x onerror="alert(\'img\')">'

sync_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip("needs Debian's chromium: apt-get install -y chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    app = create_app(Pipeline(Settings(checkers=CHECKERS, dense_retrieval=False)))
    with serve_in_background(app) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []  # every alert() the page tries to open
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.external = []  # every request that leaves the machine
    page.on(
        "request",
        lambda request: (
            page.external.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "file://", "data:"))
            else None
        ),
    )
    yield page
    context.close()


def test_paste_check_read_the_evidence_and_apply_the_fix(page, base_url: str) -> None:
    story = json.loads((FIXTURES / "story.json").read_text(encoding="utf-8"))
    page.goto(base_url + "/")
    page.fill("#headline", story["headline"])
    page.fill("#body", story["body"])
    page.fill("#published", story["published"])
    page.fill("#sources-text", (FIXTURES / "sources.txt").read_text(encoding="utf-8"))
    page.evaluate("""() => {
        window.sawProgress = false;
        const progress = document.getElementById('progress');
        new MutationObserver(() => { if (!progress.hidden) window.sawProgress = true; })
            .observe(progress, {attributes: true});
    }""")
    page.click("#check-button")

    mark = page.locator("#report mark.finding", has_text="Mike Pompeo")
    mark.wait_for(timeout=60_000)
    assert page.evaluate("window.sawProgress") is True
    page.locator("#progress").wait_for(state="hidden")
    assert page.locator("#check-button").is_enabled()
    assert page.locator("#report .legend").inner_text().count("Wrong person for the office") == 1
    # not colour alone: the tag is drawn from it. The body's "Mike Pompeo" holds two findings: the
    # sources name Rubio for the office, and the headline (which the sources side with) does too.
    assert mark.get_attribute("data-tag").split(" · ") == ["headline", "person"]
    assert page.locator(".finding-list li").count() >= 2

    mark.hover()
    popover = page.locator("#report .popover")
    popover.wait_for(state="visible")
    # two checkers may agree on the same words: the popover shows every finding on them
    assert any("Marco Rubio" in message for message in popover.locator(".reason").all_inner_texts())
    quotes = popover.locator("blockquote").all_inner_texts()
    assert any("Marco Rubio arrived in Ottawa on Monday" in quote for quote in quotes)
    link = popover.locator("cite a").first
    assert link.inner_text() == "Rubio lands in Ottawa"
    assert link.get_attribute("href") == "https://example.org/wire/rubio-ottawa"
    assert "%" in popover.locator(".confidence").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-popover.png"), full_page=True)

    page.mouse.move(5, 5)  # leave the highlight: a hover popover closes
    popover.wait_for(state="hidden")
    mark.focus()
    page.keyboard.press("Enter")  # keyboard users open the same popover
    popover.wait_for(state="visible")
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")

    page.locator(".finding-list button", has_text="“Mike Pompeo”").first.click()
    popover.wait_for(state="visible")
    popover.get_by_role("button", name="Apply fix").click()
    body = page.input_value("#body")
    assert body.startswith("Secretary of State Marco Rubio arrived in Ottawa")
    assert "Mike Pompeo" not in body
    assert page.locator("#report mark.finding", has_text="Mike Pompeo").count() == 0
    assert "Marco Rubio arrived" in page.locator("#report .story-body").inner_text()
    tuesday = page.locator("#report mark.finding", has_text="Tuesday")  # later findings moved with the text
    if tuesday.count():
        assert tuesday.first.inner_text().endswith("Tuesday")
    page.screenshot(path=str(ARTIFACTS / "web-page-fixed.png"), full_page=True)
    assert page.dialogs == [] and page.external == []


def test_apply_all_fixes_changes_every_place_and_undo_restores_the_story(page, base_url: str) -> None:
    story = json.loads((FIXTURES / "story.json").read_text(encoding="utf-8"))
    body = story["body"].replace(" for talks with", ". Pompeo met")
    page.goto(base_url + "/")
    page.fill("#headline", story["headline"])
    page.fill("#body", body)
    page.fill("#published", story["published"])
    page.fill("#sources-text", (FIXTURES / "sources.txt").read_text(encoding="utf-8"))
    page.click("#check-button")
    page.locator("#report mark.finding", has_text="Mike Pompeo").wait_for(timeout=60_000)
    # every place of the wrong person is highlighted, the surname alone too
    assert page.locator("#report mark.finding", has_text="Pompeo").count() >= 2

    apply_all = page.get_by_role("button", name="Apply all fixes")
    assert apply_all.is_visible()
    apply_all.click()
    fixed = page.input_value("#body")
    assert "Pompeo" not in fixed
    assert fixed.startswith("Secretary of State Marco Rubio arrived in Ottawa")
    assert "Rubio met Canadian officials" in fixed
    assert "Applied all fixes" in page.locator("#status").inner_text()
    assert page.locator("#report mark.finding", has_text="Pompeo").count() == 0
    assert "Marco Rubio" in page.locator("#report .story-body").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-all-fixed.png"), full_page=True)

    page.get_by_role("button", name="Undo").click()
    assert page.input_value("#body") == body
    assert page.input_value("#headline") == story["headline"]
    assert page.locator("#report mark.finding", has_text="Mike Pompeo").count() == 1
    assert page.get_by_role("button", name="Undo").count() == 0
    assert page.get_by_role("button", name="Apply all fixes").is_visible()
    assert page.dialogs == [] and page.external == []


def test_page_shows_a_hostile_story_as_text(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#headline", HOSTILE)
    page.fill("#body", f"The council met on Monday. {HOSTILE} It adjourned at noon.")
    page.fill("#sources-text", f"Minutes {HOSTILE}\nThe council met on Monday and adjourned at noon.")
    page.click("#check-button")
    page.locator("#report .story-body").wait_for(timeout=60_000)
    assert HOSTILE in page.locator("#report .story-headline").inner_text()
    assert HOSTILE in page.locator("#report .story-body").inner_text()
    assert page.locator("#report script, #report img").count() == 0
    assert page.dialogs == []


def test_page_says_what_is_wrong_with_an_empty_story(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.click("#check-button")
    message = page.locator("#message")
    message.wait_for(state="visible")
    assert "empty" in message.inner_text()
    assert page.locator("#result").is_hidden()


def hand_made_report() -> Report:
    body = f"Minister Jane Doe said {HOSTILE} the bridge opened in 2019 at a cost of 40 million."
    headline = "Bridge opens </script><script>alert('headline')</script>"

    def at(text: str, part: str) -> tuple[int, int]:
        start = text.index(part)
        return start, start + len(part)

    claim_start, claim_end = at(body, "the bridge opened in 2019 at a cost of 40 million")
    year_start, year_end = at(body, "2019")
    hostile_start, hostile_end = at(body, HOSTILE)
    evidence = Evidence(
        origin="source",
        quote="The bridge opened in 2021. <b>bold</b> \u2028 end",
        source_id="s1",
        title="Council <minutes>",
        url="javascript:alert('link')",
    )
    findings = [
        Finding(
            field="body",
            start=claim_start,
            end=claim_end,
            text=body[claim_start:claim_end],
            kind="unsupported",
            verdict="unsupported",
            severity="warning",
            confidence=0.55,
            message="Nothing in the sources gives the cost.",
            checker="test",
        ),
        Finding(
            field="body",
            start=year_start,
            end=year_end,
            text="2019",
            kind="wrong_date",
            verdict="contradicted",
            severity="error",
            confidence=0.9,
            fix="2021",
            message="The source says the bridge opened in 2021.",
            evidence=[evidence],
            checker="test",
        ),
        Finding(
            field="body",
            start=hostile_start,
            end=hostile_end,
            text=HOSTILE,
            kind="machine_text",
            verdict="unsupported",
            severity="warning",
            confidence=0.8,
            fix="",
            message="Markup <script> left in the story.",
            checker="test",
        ),
    ]
    return Report(
        id="bridge",
        headline=headline,
        body=body,
        published="2025-08-29",
        consistent=False,
        score=0.1,
        findings=findings,
    )


def test_html_report_shows_overlaps_and_never_runs_story_text(page, tmp_path: Path) -> None:
    report = hand_made_report()
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    page.goto(path.as_uri())
    page.locator(".report-grid").wait_for()
    assert page.locator(".story-headline").inner_text() == report.headline
    assert HOSTILE in page.locator(".story-body").inner_text()
    assert page.locator(".report script, .report img, .report b").count() == 0

    year = page.locator("mark.finding", has_text="2019")
    assert "overlap" in year.get_attribute("class")  # inside the unsupported claim: both findings cover it
    assert "group-circumstance" in year.get_attribute("class")  # coloured by the error, not the warning
    year.click()
    popover = page.locator(".popover")
    popover.wait_for(state="visible")
    assert popover.locator(".detail").count() == 2
    assert "<b>bold</b>" in popover.locator("blockquote").inner_text()
    assert popover.locator("cite a").count() == 0  # a javascript: URL is not made a link
    assert "Council <minutes>" in popover.locator("cite").inner_text()
    page.screenshot(path=str(ARTIFACTS / "html-report.png"), full_page=True)

    popover.get_by_role("button", name="Apply fix").first.click()
    assert "opened in 2021 at a cost" in page.locator(".story-body").inner_text()
    # the claim around the fix stretches with it and is still highlighted, now as one piece
    claim = page.locator("mark.finding", has_text="the bridge opened in 2021 at a cost of 40 million")
    assert claim.count() == 1
    # removing the leftover markup before the claim moves the claim's highlight with its words
    page.locator("mark.finding", has_text="alert").first.click()
    popover.get_by_role("button", name="Apply fix").click()
    assert HOSTILE not in page.locator(".story-body").inner_text()
    # the deleted text takes the space that joined it to the next word: no double space is left
    assert page.locator(".story-body").inner_text().startswith("Minister Jane Doe said the bridge")
    assert claim.inner_text().endswith("the bridge opened in 2021 at a cost of 40 million")
    assert page.dialogs == [] and page.external == []
