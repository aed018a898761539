"""Every way a hand-edited profile can be wrong gives one line: the file, the field, the fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui_app.settings import RunSettings
from tui_app.store.profiles import ProfileError, load_profile, profile_path, save_profile

INVALID = {
    # TOML syntax
    "syntax": ('model = "claude\nmax_tokens = 5\n', r"TOML syntax error: .*line 1.*; fix that line"),
    "syntax_line_3": ('model = "m"\n\nmax_tokens = = 5\n', r"TOML syntax error: .*\(at line 3"),
    "duplicate_key": ("max_tokens = 1\nmax_tokens = 2\n", r"TOML syntax error"),
    # wrong types
    "max_tokens_string": ('max_tokens = "1024"\n', r'max_tokens must be an integer between 1 and 1000000, got "1024"'),
    "max_tokens_bool": ("max_tokens = true\n", r"max_tokens must be an integer .*, got true"),
    "max_tokens_float": ("max_tokens = 10.5\n", r"max_tokens must be an integer .*, got 10.5"),
    "max_tokens_zero": ("max_tokens = 0\n", r"max_tokens must be an integer between 1"),
    "model_number": ("model = 5\n", r"model must be a quoted string, got 5"),
    "model_empty": ('model = "  "\n', r'model must not be empty, e.g. "claude-'),
    "system_array": ("system = [1]\n", r"system must be a quoted string, got an array"),
    "model_table": ("[model]\nx = 1\n", r"model must be a quoted string, got a table"),
    "max_attempts_words": (
        '[retry]\nmax_attempts = "three"\n',
        r'retry.max_attempts must be an integer between 1 and 1000, got "three"',
    ),
    "max_attempts_zero": ("[retry]\nmax_attempts = 0\n", r"retry.max_attempts must be an integer between 1"),
    "retry_not_table": ("retry = 5\n", r"retry must be a \[retry\] table, got 5"),
    "timeouts_not_table": ('timeouts = "fast"\n', r'timeouts must be a \[timeouts\] table, got "fast"'),
    # unknown keys, with the closest valid one suggested
    "typo_top": ("modle = 'x'\n", r"modle is not a profile key: did you mean model at the top"),
    "retry_key_at_top": (
        "max_attempts = 3\n",
        r"max_attempts is not a profile key: did you mean max_attempts in the \[retry\] table\?",
    ),
    "typo_in_table": (
        "[retry]\nmax_attempt = 3\n",
        r"retry.max_attempt is not a profile key: did you mean max_attempts in the \[retry\]",
    ),
    "typo_table": ("[retyr]\nmax_attempts = 3\n", r"retyr is not a profile key: did you mean the \[retry\] table\?"),
    "typo_timeout": (
        "[timeouts]\nreed = 3\n",
        r"timeouts.reed is not a profile key: did you mean read in the \[timeouts\]",
    ),
    "nothing_close": (
        "colour = 'blue'\n",
        r"colour is not a profile key: use one of model, max_tokens, .*simulator.scenario",
    ),
    "nested_table": ("[retry.backoff]\nx = 1\n", r"retry.backoff is not a profile key"),
    # timeouts: negative, zero, NaN, inf, huge, text
    "timeout_negative": (
        "[timeouts]\nread = -1\n",
        r"timeouts.read must be a number of seconds > 0 and <= 86400, got -1",
    ),
    "timeout_zero": ("[timeouts]\nconnect = 0\n", r"timeouts.connect must be a number of seconds > 0 .*, got 0"),
    "timeout_nan": ("[timeouts]\nwrite = nan\n", r"timeouts.write must be .*, got nan"),
    "timeout_inf": ("[timeouts]\npool = inf\n", r"timeouts.pool must be .*, got inf"),
    "timeout_huge": ("[timeouts]\nread = 1e12\n", r"timeouts.read must be .* <= 86400, got 1000000000000.0"),
    "timeout_text": ('[timeouts]\nread = "30s"\n', r'timeouts.read must be a number of seconds .*, got "30s"'),
    "timeout_bool": ("[timeouts]\nread = true\n", r"timeouts.read must be .*, got true"),
    "deadline_negative": ("[retry]\ndeadline = -5\n", r"retry.deadline must be a number of seconds > 0"),
    "deadline_zero": ("[retry]\ndeadline = 0\n", r"retry.deadline must be a number of seconds > 0"),
    "deadline_word": (
        '[retry]\ndeadline = "never"\n',
        r'retry.deadline must be a number of seconds or "none", got "never"',
    ),
    "deadline_inf": ("[retry]\ndeadline = inf\n", r"retry.deadline must be .*, got inf"),
    "base_delay_negative": ("[retry]\nbase_delay = -0.5\n", r"retry.base_delay must be a number of seconds >= 0"),
    "max_below_base": (
        "[retry]\nbase_delay = 4\nmax_delay = 1\n",
        r"retry.max_delay must be >= retry.base_delay \(4\), got 1",
    ),
    # unknown names
    "unknown_preset": (
        'preset = "turbo"\n',
        r'preset must be one of "quick", "structured", "long-form", "streaming", got "turbo"',
    ),
    "unknown_jitter": (
        '[retry]\njitter = "fulll"\n',
        r'retry.jitter must be one of "full", "equal", "decorrelated", "none", "sdk", "additive", got "fulll"',
    ),
    "unknown_mid_stream": (
        '[retry]\nmid_stream = "resume"\n',
        r'retry.mid_stream must be one of "restart", "continue", "give-up", got "resume"',
    ),
    "unknown_scenario": (
        '[simulator]\nscenario = "storm"\n',
        r'simulator.scenario is not a known scenario, got "storm": use one of happy, overload-storm',
    ),
    "missing_scenario_file": (
        '[simulator]\nscenario = "nope/x.toml"\n',
        r"simulator.scenario names a file that does not exist: /.*/nope/x.toml",
    ),
    "scenario_number": (
        "[simulator]\nscenario = 3\n",
        r"simulator.scenario must be a scenario name or a .toml/.json file path, got 3",
    ),
    # never an API key
    "api_key": (
        'api_key = "sk-ant-123"\n',
        r"api_key is not allowed: profiles never store the API key; .*ANTHROPIC_API_KEY",
    ),
    "api_key_in_table": ('[retry]\napi_key = "sk-ant-123"\n', r"retry.api_key is not allowed"),
    # encodings
    "not_utf8": (b'model = "caf\xe9"\n', r"is not valid UTF-8 \(byte 0xe9 on line 1\): re-save it as UTF-8"),
    "utf16": ('model = "m"\n'.encode("utf-16"), r"is not valid UTF-8 \(byte 0xff on line 1\)"),
}


@pytest.mark.parametrize("content, pattern", INVALID.values(), ids=INVALID.keys())
def test_invalid_profile_names_file_field_and_fix(profile_file, content, pattern):
    path = profile_file("p", content)
    before = path.read_bytes()
    with pytest.raises(ProfileError) as info:
        load_profile("p")
    message = str(info.value)
    assert message.startswith(f"profile 'p' ({path}): ")
    assert "\n" not in message
    assert re.search(pattern, message), message
    assert path.read_bytes() == before  # never touched


def test_message_matches_the_documented_example(profile_file):
    path = profile_file("fast", '[retry]\nmax_attempts = "three"\n')
    with pytest.raises(ProfileError) as info:
        load_profile("fast")
    assert str(info.value) == (
        f"profile 'fast' ({path}): retry.max_attempts must be an integer between 1 and 1000, got \"three\""
    )
    assert info.value.field == "retry.max_attempts"


def test_relative_scenario_path_is_resolved_from_the_profile_dir(profile_file):
    path = profile_file("p", '[simulator]\nscenario = "scen/storm.toml"\n')
    (path.parent / "scen").mkdir()
    (path.parent / "scen" / "storm.toml").write_text("")
    assert load_profile("p").scenario == str(path.parent / "scen" / "storm.toml")


def test_missing_profile_lists_the_existing_ones():
    save_profile("alpha", RunSettings())
    save_profile("beta", RunSettings())
    with pytest.raises(ProfileError) as info:
        load_profile("gamma")
    assert str(info.value) == (
        f"profile 'gamma' ({profile_path('gamma')}): no such profile (existing profiles: alpha, beta); "
        "create it with `claude-tui profiles save gamma [flags]`"
    )


def test_missing_profile_when_none_exist():
    with pytest.raises(ProfileError, match=r"no profiles are saved yet"):
        load_profile("x")


def test_directory_where_the_file_should_be():
    profile_path("d").mkdir(parents=True)
    with pytest.raises(ProfileError, match=r"profile 'd' \(.*d.toml\): is a directory, not a profile file"):
        load_profile("d")
    with pytest.raises(ProfileError, match="is a directory"):
        save_profile("d", RunSettings())
    assert profile_path("d").is_dir()


def test_unreadable_file(profile_file, monkeypatch):
    path = profile_file("locked", 'model = "m"\n')

    def denied(self):  # chmod 000 does not stop root, so simulate the OS refusing
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ProfileError) as info:
        load_profile("locked")
    assert str(info.value) == f"profile 'locked' ({path}): cannot be read (permission denied): run chmod 600 {path}"


def test_empty_file_is_all_defaults(profile_file):
    profile_file("empty", "")
    assert load_profile("empty") == RunSettings()
