"""The HTTP service, called over real HTTP on a loopback port (uvicorn in a background thread)."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from copydesk import Pipeline, Settings
from copydesk.apps.serve.app import create_app
from copydesk.apps.serve.background import serve_in_background
from copydesk.apps.serve.command import is_loopback
from copydesk.errors import KnowledgeBaseError
from copydesk.schema import SCHEMA_VERSION, Report, StoryIn

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "web"
CHECKERS = ("office", "names", "circumstances", "quotes", "headline")
MAX_BODY = 200_000


def story(name: str = "story.json") -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(checkers=CHECKERS, dense_retrieval=False))


@pytest.fixture(scope="module")
def server(pipeline: Pipeline):
    with (
        serve_in_background(create_app(pipeline, max_body_bytes=MAX_BODY)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


class SlowPipeline(Pipeline):
    """Test double for the time-limit path only: a story mentioning "slow" takes two seconds."""

    finished = threading.Event()

    def check(self, story: StoryIn | dict) -> Report:
        report = super().check(story)
        if "slow" in report.body:
            time.sleep(2)
            self.finished.set()
        return report


class FailingPipeline(Pipeline):
    """Test double for the failure path only: a story about a "broken archive" cannot be checked
    (copydesk's own error), one about a "bug" raises what a bug in a checker would."""

    def check(self, story: StoryIn | dict) -> Report:
        body = story.body if isinstance(story, StoryIn) else str(story.get("body"))
        if "broken archive" in body:
            raise KnowledgeBaseError("kb: the knowledge base cannot be read; rebuild it")
        if "bug" in body:
            raise ZeroDivisionError("division by zero")
        return super().check(story)


FAILURE_KEYS = {"schema", "id", "consistent", "score", "error"}


def test_health_names_the_checkers_and_limits(server: httpx.Client) -> None:
    answer = server.get("/api/health")
    assert answer.status_code == 200
    health = answer.json()
    assert health["status"] == "ok"
    assert health["schema"] == SCHEMA_VERSION
    assert health["checkers"] == list(CHECKERS)
    assert health["max_body_bytes"] == MAX_BODY


def test_check_reports_the_wrong_person_with_span_evidence_and_fix(server: httpx.Client) -> None:
    sent = story()
    answer = server.post("/api/check", json=sent)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["schema"] == SCHEMA_VERSION
    assert report["id"] == "ottawa-visit"
    assert report["consistent"] is False
    wrong = [f for f in report["findings"] if f["kind"] == "wrong_person_for_office"]
    assert wrong, report["findings"]
    finding = wrong[0]
    assert sent["body"][finding["start"] : finding["end"]] == finding["text"] == "Mike Pompeo"
    assert finding["fix"] == "Marco Rubio"
    assert finding["evidence"][0]["title"] == "Rubio lands in Ottawa"
    assert Report.model_validate(report).findings  # the answer is a valid copydesk/1 report


def test_batch_answers_each_story_in_order(server: httpx.Client) -> None:
    answer = server.post("/api/batch", json={"stories": [story(), story("clean_story.json")]})
    assert answer.status_code == 200, answer.text
    reports = answer.json()["reports"]
    assert [r["id"] for r in reports] == ["ottawa-visit", "library-hours"]
    assert reports[0]["findings"] and not reports[1]["findings"]
    assert reports[1]["consistent"] is True


def test_concurrent_checks_share_the_models_safely(pipeline: Pipeline) -> None:
    # Several worker threads run the one shared pipeline at once: every answer must be a report.
    app = create_app(pipeline, workers=4)
    with (
        serve_in_background(app) as url,
        httpx.Client(base_url=url, timeout=120) as client,
        ThreadPoolExecutor(8) as pool,
    ):
        answers = list(pool.map(lambda _: client.post("/api/check", json=story()), range(24)))
    failed = [a.text for a in answers if a.status_code != 200]
    assert not failed, failed[0]
    assert len({json.dumps(a.json()["findings"], sort_keys=True) for a in answers}) == 1


def test_openapi_shows_the_interchange_schemas(server: httpx.Client) -> None:
    spec = server.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"StoryIn", "SourceIn", "Report", "Finding", "Evidence"} <= set(schemas)
    assert "schema" in schemas["Report"]["properties"]
    check = spec["paths"]["/api/check"]["post"]
    assert check["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/StoryIn")
    assert check["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Report")
    assert "/api/batch" in spec["paths"] and "/api/health" in spec["paths"]


def test_too_large_body_gets_413_by_length_and_by_counting(server: httpx.Client) -> None:
    big = dict(story(), body="word " * (MAX_BODY // 4))
    answer = server.post("/api/check", json=big)
    assert answer.status_code == 413
    assert "limit" in answer.json()["detail"]

    payload = json.dumps(big).encode()

    def chunks():  # no Content-Length: the server must count the bytes as they stream in
        for i in range(0, len(payload), 16_384):
            yield payload[i : i + 16_384]

    streamed = server.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert server.get("/api/health").status_code == 200


def test_malformed_json_gets_400_saying_where(server: httpx.Client) -> None:
    answer = server.post(
        "/api/check",
        content=b'{"body": "A story",\n "headline": }',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("malformed JSON")
    assert "line 2" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"headline": "No body"}, "body"),
        ({"body": "Text.", "published": "not a date at all"}, "published"),
        (
            {"body": "Text.", "sources": [{"title": "t", "text": "x", "published": "nonsense date"}]},
            "sources.0.published",
        ),
        ({"body": "Text.", "sources": "not a list"}, "sources"),
    ],
)
def test_invalid_field_gets_422_naming_it(server: httpx.Client, payload: dict, field: str) -> None:
    answer = server.post("/api/check", json=payload)
    assert answer.status_code == 422
    problem = answer.json()
    assert field in [error["field"] for error in problem["errors"]]
    assert field in problem["detail"]


def test_empty_story_gets_422(server: httpx.Client) -> None:
    answer = server.post("/api/check", json={"headline": " ", "body": "\n"})
    assert answer.status_code == 422
    assert "empty" in answer.json()["detail"]


def test_batch_names_the_story_at_fault(server: httpx.Client) -> None:
    answer = server.post("/api/batch", json={"stories": [story(), {"headline": "no body"}]})
    assert answer.status_code == 422
    assert "stories.1.body" in answer.json()["detail"]
    assert server.post("/api/batch", json={"stories": []}).status_code == 422


def test_a_story_that_cannot_be_checked_gets_a_failure_not_a_score(pipeline: Pipeline) -> None:
    failing = FailingPipeline(resources=pipeline.resources)
    stories = [
        {"id": "archive", "body": "The broken archive story."},
        story(),
        {"id": "crash", "headline": "Bug", "body": "A story that meets a bug."},
    ]
    with serve_in_background(create_app(failing)) as url, httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/batch", json={"stories": stories})
        single = client.post("/api/check", json=stories[0])
    assert answer.status_code == 200, answer.text
    archive, checked, crash = answer.json()["reports"]
    assert archive == {
        "schema": SCHEMA_VERSION,
        "id": "archive",
        "consistent": None,
        "score": None,
        "error": "checking failed: kb: the knowledge base cannot be read; rebuild it",
    }
    assert set(crash) == FAILURE_KEYS and crash["score"] is None and crash["consistent"] is None
    assert crash["error"] == "checking failed: ZeroDivisionError: division by zero"
    # the story between the two failures is checked as usual: wrong, with a low score
    assert checked["id"] == "ottawa-visit" and checked["consistent"] is False
    assert isinstance(checked["score"], float) and 0.0 <= checked["score"] < 0.5
    # one story: an HTTP error with the reason, never a verdict or a score
    assert single.status_code == 500 and "knowledge base cannot be read" in single.json()["detail"]
    assert "score" not in single.json()


def test_openapi_shows_the_failure_shape(server: httpx.Client) -> None:
    schemas = server.get("/openapi.json").json()["components"]["schemas"]
    failure = schemas["StoryFailure"]["properties"]
    assert set(failure) == FAILURE_KEYS
    assert failure["score"]["type"] == "null" and failure["consistent"]["type"] == "null"
    items = schemas["BatchOut"]["properties"]["reports"]["items"]["anyOf"]
    assert {item["$ref"].rsplit("/", 1)[1] for item in items} == {"Report", "StoryFailure"}


def test_body_that_is_not_json_gets_415(server: httpx.Client) -> None:
    answer = server.post(
        "/api/check",
        content=b"headline=x&body=y",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 415
    assert "Content-Type: application/json" in answer.json()["detail"]


def test_read_turns_uploads_into_a_story_and_sources(server: httpx.Client) -> None:
    files = [
        ("story", ("story.md", (FIXTURES / "story.md").read_bytes(), "text/markdown")),
        ("sources", ("results.jsonl", (FIXTURES / "results.jsonl").read_bytes(), "application/jsonl")),
    ]
    answer = server.post("/api/read", files=files, data={"published": "2025-08-29"})
    assert answer.status_code == 200, answer.text
    read = answer.json()
    assert read["story"]["headline"] == "Secretary of State Marco Rubio visits Ottawa"
    assert "Mike Pompeo" in read["story"]["body"]
    assert read["story"]["published"] == "2025-08-29"
    assert [s["title"] for s in read["sources"]] == ["Rubio lands in Ottawa", "Fisheries on the agenda"]


def test_read_rejects_a_binary_upload_with_a_message(server: httpx.Client) -> None:
    files = [("story", ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "text/plain"))]
    answer = server.post("/api/read", files=files)
    assert answer.status_code == 422
    assert "photo.txt" in answer.json()["detail"]


def test_page_and_its_files_are_served_with_nothing_from_outside(server: httpx.Client) -> None:
    page = server.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<button id="check-button"' in page.text
    for name in ("app.js", "render.js", "style.css"):
        asset = server.get(f"/static/{name}")
        assert asset.status_code == 200
        assert "innerHTML" not in asset.text
    for text in (page.text, server.get("/static/style.css").text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_a_check_past_the_time_limit_gets_503_and_the_server_goes_on(pipeline: Pipeline) -> None:
    slow = SlowPipeline(resources=pipeline.resources)
    app = create_app(slow, check_timeout_s=0.5, workers=1)
    with serve_in_background(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        started = time.monotonic()
        answer = client.post("/api/check", json={"headline": "A slow story", "body": "This one is slow."})
        assert answer.status_code == 503
        assert time.monotonic() - started < 1.8  # answered at the limit, not when the check ended
        assert "time limit" in answer.json()["detail"]
        assert client.get("/api/health").status_code == 200  # the event loop is not blocked
        assert slow.finished.wait(5)  # the abandoned check ran to its end in its worker
        after = client.post("/api/check", json=story("clean_story.json"))
        assert after.status_code == 200


def test_default_app_builds_its_pipeline_at_start_up() -> None:
    app = create_app(settings=Settings(checkers=("headline",), dense_retrieval=False))
    with serve_in_background(app) as url:
        health = httpx.get(f"{url}/api/health", timeout=30).json()
    assert health["checkers"] == ["headline"]


def test_loopback_detection_for_the_bind_warning() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("example.org")


def test_fix_answers_the_corrected_story_and_its_changes(server: httpx.Client) -> None:
    sent = story()
    answer = server.post("/api/fix", json=sent)
    assert answer.status_code == 200, answer.text
    fixed = answer.json()
    assert fixed["schema"] == SCHEMA_VERSION
    assert "Pompeo" not in fixed["body"]
    assert fixed["body"].startswith("Secretary of State Marco Rubio arrived in Ottawa")
    assert fixed["headline"] == sent["headline"]  # the headline was right
    assert fixed["changes"]
    for change in fixed["changes"]:
        assert sent[change["field"]][change["start"] : change["end"]] == change["old"]
    assert Report.model_validate(fixed["report"]).findings


def test_fix_of_a_clean_story_changes_nothing(server: httpx.Client) -> None:
    sent = story("clean_story.json")
    fixed = server.post("/api/fix", json=sent).json()
    assert fixed["changes"] == []
    assert (fixed["headline"], fixed["body"]) == (sent["headline"], sent["body"])


def test_fix_rejects_bad_input_as_check_does(server: httpx.Client) -> None:
    malformed = server.post("/api/fix", content=b'{"body": ', headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400
    assert "malformed JSON" in malformed.json()["detail"]
    empty = server.post("/api/fix", json={"headline": " ", "body": ""})
    assert empty.status_code == 422
    assert "empty" in empty.json()["detail"]
