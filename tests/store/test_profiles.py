"""Profiles: round-trip, names, listing, deleting, atomic and private writes."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tui_app import paths
from tui_app.retry.policy import JITTERS, MID_STREAM_POLICIES, RetryPolicy
from tui_app.settings import RunSettings
from tui_app.store.profiles import (
    ProfileError,
    delete_profile,
    list_profiles,
    load_profile,
    profile_path,
    save_profile,
)
from tui_app.timeouts import TIMEOUT_FIELDS, load_presets


def test_default_settings_round_trip():
    save_profile("plain", RunSettings())
    assert load_profile("plain") == RunSettings()


def test_full_settings_round_trip(tmp_path):
    scenario = tmp_path / "my scenario.toml"
    scenario.write_text("")
    settings = RunSettings(
        model="test-model-a",
        system='Be terse.\nNever say "certainly" — ünïcode ok.\n\t\\ too',
        max_tokens=4096,
        preset="streaming",
        timeout_overrides={"read": 45.0, "connect": 2.5},
        policy=RetryPolicy(
            max_attempts=7, base_delay=0.25, max_delay=4.0, jitter="decorrelated", deadline=None, mid_stream="continue"
        ),
        deadline_override=True,
        scenario=str(scenario),
    )
    save_profile("full", settings)
    assert load_profile("full") == settings


def test_file_is_readable_toml_in_the_documented_layout():
    save_profile("fast", RunSettings(preset="streaming", timeout_overrides={"read": 45.0}, scenario="overload-storm"))
    text = profile_path("fast").read_text()
    assert text.startswith("# claude-tui profile")
    for line in (
        'preset = "streaming"',
        "[timeouts]",
        "read = 45.0",
        "[retry]",
        'jitter = "full"',
        "[simulator]",
        'scenario = "overload-storm"',
    ):
        assert line in text
    assert "deadline" not in text  # not overridden: the preset's deadline applies


def test_preset_deadline_applies_unless_overridden(profile_file):
    profile_file("p", 'preset = "long-form"\n')
    assert load_profile("p").effective_policy().deadline == load_presets()["long-form"].deadline
    profile_file("q", 'preset = "long-form"\n[retry]\ndeadline = 12\n')
    assert load_profile("q").effective_policy().deadline == 12.0


@st.composite
def run_settings(draw) -> RunSettings:
    seconds = st.floats(min_value=0.001, max_value=86400, allow_nan=False)
    base = draw(st.floats(min_value=0, max_value=100, allow_nan=False))
    deadline = draw(st.one_of(st.none(), seconds))
    return RunSettings(
        model=draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        system=draw(st.one_of(st.none(), st.text(min_size=1, max_size=200))),
        max_tokens=draw(st.integers(1, 1_000_000)),
        preset=draw(st.sampled_from(list(load_presets()))),
        timeout_overrides=draw(st.dictionaries(st.sampled_from(TIMEOUT_FIELDS), seconds)),
        policy=RetryPolicy(
            max_attempts=draw(st.integers(1, 1000)),
            base_delay=base,
            max_delay=base + draw(st.floats(min_value=0, max_value=100, allow_nan=False)),
            jitter=draw(st.sampled_from(JITTERS)),
            deadline=deadline,
            mid_stream=draw(st.sampled_from(MID_STREAM_POLICIES)),
        ),
        deadline_override=draw(st.booleans()) or deadline is None,
        scenario=draw(st.sampled_from([None, "happy", "overload-storm"])),
    )


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(settings=run_settings())
def test_any_valid_settings_round_trip(settings):
    save_profile("any", settings)
    if not settings.deadline_override:  # then policy.deadline is unused (the preset's applies) and not saved
        settings = settings.with_(policy=settings.policy.with_(deadline=RetryPolicy().deadline))
    assert load_profile("any") == settings


def test_files_are_private():
    path = save_profile("p", RunSettings())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.profiles_dir().stat().st_mode) == 0o700


def test_never_stores_an_api_key(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    path = save_profile("p", RunSettings())
    assert "sk-ant" not in path.read_text() and "api_key" not in path.read_text()


def _entries() -> list[str]:
    return sorted(p.name for p in paths.profiles_dir().iterdir())


@pytest.mark.parametrize("fail_at", ["replace", "fsync"])
def test_interrupted_save_keeps_the_old_file_and_leaks_no_temp(monkeypatch, fail_at):
    path = save_profile("p", RunSettings(max_tokens=111))
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, fail_at, boom)
        with pytest.raises(ProfileError, match="cannot write: No space left on device"):
            save_profile("p", RunSettings(max_tokens=222))
    assert path.read_bytes() == before
    assert _entries() == ["p.toml"]
    assert load_profile("p").max_tokens == 111


def test_interrupt_mid_save_leaks_no_temp(monkeypatch):
    """A KeyboardInterrupt mid-write (not just an OSError) is cleaned up too."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            save_profile("new", RunSettings())
    assert _entries() == []


def test_save_replaces_a_valid_profile():
    save_profile("p", RunSettings(max_tokens=1))
    save_profile("p", RunSettings(max_tokens=2))
    assert load_profile("p").max_tokens == 2


def test_save_refuses_to_overwrite_an_invalid_file_unless_forced(profile_file):
    path = profile_file("p", "max_tokens = 'lots'\n# my notes\n")
    before = path.read_bytes()
    with pytest.raises(ProfileError) as info:
        save_profile("p", RunSettings())
    assert "existing file is invalid (max_tokens must be" in str(info.value) and "--force" in str(info.value)
    assert path.read_bytes() == before
    save_profile("p", RunSettings(), force=True)
    assert load_profile("p") == RunSettings()


def test_save_refuses_settings_it_could_not_load_back():
    with pytest.raises(ProfileError, match=r"cannot save: timeouts.read must be a number of seconds > 0 and <= 86400"):
        save_profile("p", RunSettings(timeout_overrides={"read": 1e9}))
    assert not profile_path("p").exists()


def test_list_profiles_sorted_and_skips_temp_files(profile_file):
    save_profile("b", RunSettings())
    save_profile("a", RunSettings())
    profile_file("broken", "model = \n")
    (paths.profiles_dir() / ".a.toml.123.tmp").write_text("")
    (paths.profiles_dir() / "notes.txt").write_text("")
    assert list_profiles() == ["a", "b", "broken"]


def test_list_profiles_without_directory():
    assert list_profiles() == []


def test_delete_profile_even_an_invalid_one(profile_file):
    profile_file("broken", "model = \n")
    delete_profile("broken")
    assert list_profiles() == []


def test_delete_missing_profile_lists_existing():
    save_profile("keep", RunSettings())
    with pytest.raises(ProfileError, match=r"no such profile \(existing profiles: keep\)"):
        delete_profile("gone")


def test_delete_refuses_a_directory():
    paths.ensure_private_dir(paths.profiles_dir() / "d.toml")
    with pytest.raises(ProfileError, match="is a directory"):
        delete_profile("d")
    assert (paths.profiles_dir() / "d.toml").is_dir()


@pytest.mark.parametrize("name", ["", ".hidden", "../escape", "a/b", "a b", "x" * 65, "nul\0", "é", "-x", "--force"])
def test_unsafe_names_are_rejected(name):
    for call in (load_profile, delete_profile, lambda n: save_profile(n, RunSettings())):
        with pytest.raises(ProfileError, match="is not a valid profile name: use letters, digits"):
            call(name)


@pytest.mark.parametrize("name", ["fast", "Fast_2", "a.b", "a-", "_x", "x" * 64])
def test_safe_names_are_accepted(name):
    save_profile(name, RunSettings())
    assert load_profile(name) == RunSettings()
