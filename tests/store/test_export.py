"""Exports: Markdown that reads like the run, JSON that is `show --json`."""

from __future__ import annotations

import json

import pytest

from tui_app import present
from tui_app.settings import RunSettings
from tui_app.store.export import export_session

from .conftest import gave_up, overloaded_then_ok


def test_markdown_has_prompt_settings_timeline_and_answer(store, record):
    settings = RunSettings(preset="streaming", system="Be brief.").to_dict()
    events = overloaded_then_ok(answer="**Hello** world")
    sid = record(events, prompt="Say hello", system="Be brief.", settings=settings)
    md = export_session(store.get_session(sid), "md")
    for line in (
        present.attempt_error_line(events[2], 4),
        present.backoff_line(events[3]),
        present.success_line(events[-1]),
    ):
        assert f"| {line} |" in md  # the same wording as the live stderr lines
    assert md.startswith(f"# Session {sid} — ok\n")
    for fragment in (
        "| Attempts | 2 |",
        "| Tokens | 12 in / 7 out |",
        "## Prompt\n\n**System:**\n\n```text\nBe brief.\n```\n\n```text\nSay hello\n```",
        "- Timeouts (preset `streaming`): connect 5.0 s, read 90.0 s",
        "deadline 300.0 s, mid-stream: restart",
        "| 0.6 s | attempt 2: first token after 0.1 s |",
        "| 0.6 s | attempt 2: streamed 15 chars in 4 chunks |",
        "## Answer\n\n**Hello** world\n",
    ):
        assert fragment in md, fragment


def test_failed_session_has_no_answer_but_says_why(store, record):
    md = export_session(store.get_session(record(gave_up())), "md")
    assert "| Status | failed (max_attempts: overloaded_error) |" in md
    assert present.give_up_line(gave_up()[-1]) in md and "_No answer (failed)._" in md
    assert "_(not recorded)_" in md  # no settings were given


def test_interrupted_session_shows_the_partial_text_fenced_safely(store, record):
    events = overloaded_then_ok(answer="a ``` b ```` c", chunks=2)[:-1]
    md = export_session(store.get_session(record(events)), "md")
    assert "_No complete answer (interrupted); text of the last attempt so far:_" in md
    assert "`````text\na ``` b ```` c\n`````" in md


def test_json_is_the_detail_with_event_dicts(store, record):
    events = overloaded_then_ok()
    detail = store.get_session(record(events))
    data = json.loads(export_session(detail, "json"))
    assert data["response"] == detail.response and data["status"] == "ok"
    assert data["events"] == [json.loads(json.dumps(e.to_dict())) for e in events]
    assert data["events"][2]["error"] == "overloaded_error"  # the flat JSONL fields are there


def test_unknown_format(store, record):
    with pytest.raises(ValueError, match="unknown export format 'pdf': use one of md, json"):
        export_session(store.get_session(record([])), "pdf")
