"""The timeout advisor's rules, one test each, against hand computation (no table figures)."""

from __future__ import annotations

import re
import tomllib

import pytest

from tui_app import advisor
from tui_app.advisor import Speed, advise, speeds_from_data, thinking_tokens
from tui_app.paths import assets_dir

SPEED = Speed("m", tokens_per_second=50.0, ttft=2.0)


def test_without_streaming_the_read_timeout_must_survive_the_whole_answer():
    advice = advise(SPEED, max_tokens=4000, stream=False, read=30.0, deadline=None)
    assert advice.silence == pytest.approx(2.0 + 4000 / 50)  # TTFT + max_tokens at the model's speed
    assert not advice.ok
    assert advice.line == "read 30 s < ~82 s for 4,000 tokens from m without streaming: stream, or raise read to 130 s"


def test_streaming_the_longest_silence_is_the_first_token():
    advice = advise(SPEED, max_tokens=4000, stream=True, read=30.0, deadline=None, thinking=4000)
    assert advice.silence == pytest.approx(2.0) and advice.ok  # streamed thinking is not silence
    assert advice.line == "read 30 s covers ~2.0 s to the first token; no deadline for 4,000 tokens from m"
    short = advise(SPEED, max_tokens=100, stream=True, read=1.0, deadline=None)
    assert short.line == "read 1 s < ~2.0 s to the first token of m: raise read to 3 s"


def test_thinking_that_is_not_streamed_is_silence_before_the_first_text():
    hidden = Speed("m", tokens_per_second=50.0, ttft=2.0, thinking_shown=False)
    advice = advise(hidden, max_tokens=4000, stream=True, read=30.0, deadline=None, thinking=2000)
    assert advice.silence == pytest.approx(2.0 + 2000 / 50)
    assert advice.line.startswith("read 30 s < ~42 s before the first text of m (its thinking is not streamed)")


def test_the_deadline_must_cover_the_whole_answer_streamed_or_not():
    for stream in (True, False):
        advice = advise(SPEED, max_tokens=4000, stream=stream, read=None, deadline=60.0)
        assert advice.total == pytest.approx(82.0) and not advice.ok
        assert (
            "deadline 60 s < ~82 s for 4,000 tokens from m at ~50 tok/s: raise it to 130 s, or lower max_tokens"
            in advice.line
        )


def test_both_problems_are_one_line_and_a_family_stand_in_is_named():
    stand_in = Speed("m-2", 50.0, 2.0, assumed_from="m-1")
    advice = advise(stand_in, max_tokens=4000, stream=False, read=30.0, deadline=60.0)
    assert advice.line.count(";") == 1 and advice.line.endswith("(m-1's figures)") and "\n" not in advice.line


@pytest.mark.parametrize(
    ("thinking", "default", "expected"),
    [
        (None, False, 0),
        ("off", True, 0),
        (2048, False, 2048),
        (9000, False, 4000),
        ("adaptive", False, 4000),
        (None, True, 4000),
    ],
)
def test_thinking_tokens_are_the_budget_or_up_to_max_tokens(thinking, default, expected):
    assert thinking_tokens(thinking, 4000, thinks_by_default=default) == expected


def test_a_model_takes_its_family_s_figures_and_the_user_s_file_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", str(tmp_path))
    (tmp_path / "speeds.toml").write_text('[models."claude-sonnet-9"]\ntokens_per_second = 10\nttft = 1\n')
    advisor._tables.cache_clear()
    try:
        assert advisor.speed_for("claude-sonnet-9").tokens_per_second == 10  # the user's own
        sonnet = advisor.speed_for("claude-sonnet-8-1")
        assert sonnet is not None and sonnet.assumed_from == "claude-sonnet-4-6"
        assert advisor.speed_for("gpt-something") is None
    finally:
        advisor._tables.cache_clear()


def test_every_shipped_figure_has_a_source_and_a_date():
    data = tomllib.loads((assets_dir() / "model_speeds.toml").read_text(encoding="utf-8"))
    speeds = speeds_from_data(data)
    for model, entry in data["models"].items():
        assert entry["source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["checked"]), model
        assert speeds[model].tokens_per_second > 0 and speeds[model].ttft > 0
    assert set(data["families"].values()) <= set(data["models"])
