import pytest

from tui_app.retry.policy import RetryPolicy
from tui_app.settings import SETTINGS_VERSION, RunSettings, settings_from_record


def test_round_trip_through_dict():
    settings = RunSettings(
        model="test-model-a",
        system="terse",
        max_tokens=77,
        preset="streaming",
        timeout_overrides={"read": 12.5},
        policy=RetryPolicy(max_attempts=6, jitter="equal", deadline=40),
        deadline_override=True,
        scenario="stalls",
    )
    assert RunSettings.from_dict(settings.to_dict()) == settings


def test_effective_values():
    settings = RunSettings(preset="long-form", timeout_overrides={"connect": 2})
    assert settings.timeouts().read == 180 and settings.timeouts().connect == 2
    assert settings.effective_policy().deadline == 600


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"model": "m"},
        {"model": "m", "max_tokens": 5, "preset": "nope"},
        {"model": "m", "max_tokens": 5, "preset": "quick", "policy": {"max_attempts": 0}},
    ],
)
def test_bad_records_raise_value_error(data):
    with pytest.raises(ValueError):
        RunSettings.from_dict(data)


def test_record_carries_a_version_and_the_profile_layout():
    data = RunSettings(preset="streaming", timeout_overrides={"read": 9}).to_dict()
    assert data["settings_version"] == SETTINGS_VERSION == 2
    assert data["timeouts"] == {"read": 9} and data["retry"]["max_attempts"] == 4
    assert data["effective"]["timeouts.read"] == 9 and data["effective"]["retry.deadline"] == 300


V1_RECORD = {  # what sessions recorded before settings_version (the dataclass fields)
    "model": "claude-haiku-4-5",
    "system": None,
    "max_tokens": 300,
    "preset": "long-form",
    "timeout_overrides": {"read": 12.5},
    "policy": {
        "max_attempts": 6,
        "base_delay": 0.5,
        "max_delay": 8.0,
        "jitter": "equal",
        "deadline": 120.0,
        "mid_stream": "continue",
    },
    "deadline_override": False,
    "scenario": "stalls",
    "timeouts": {"connect": 5.0, "read": 12.5, "write": 10.0, "pool": 5.0},
    "effective_deadline": 600,
}


def test_old_records_without_a_version_read_as_version_1():
    settings = settings_from_record(V1_RECORD)
    assert settings == RunSettings.from_dict(V1_RECORD)
    assert (settings.model, settings.max_tokens, settings.scenario) == ("claude-haiku-4-5", 300, "stalls")
    assert settings.timeout_overrides == {"read": 12.5} and not settings.deadline_override
    assert settings.effective_policy().deadline == 600  # the preset's: v1 did not override it
    assert (settings.policy.max_attempts, settings.policy.jitter, settings.policy.mid_stream) == (
        6,
        "equal",
        "continue",
    )
    overridden = settings_from_record({**V1_RECORD, "deadline_override": True, "policy": {"deadline": None}})
    assert overridden.effective_policy().deadline is None


def test_records_from_a_newer_version_say_so():
    with pytest.raises(ValueError, match=r"settings_version is 3, from a newer claude-tui; upgrade to read it"):
        settings_from_record({"settings_version": 3, "model": "m"})


def test_a_v2_record_missing_a_later_setting_takes_its_default():
    data = RunSettings(max_tokens=5).to_dict()
    del data["retry"]["mid_stream"]
    assert settings_from_record(data) == RunSettings(max_tokens=5)


def test_export_reads_settings_of_any_version_through_the_one_reader():
    from tui_app.store.export import _settings

    old, new = _settings(V1_RECORD), _settings(settings_from_record(V1_RECORD).to_dict())
    assert old == new and "up to 6 attempts" in old and "deadline 600.0 s" in old and "`stalls`" in old
    broken = _settings({**V1_RECORD, "preset": "gone"})
    assert broken.startswith('_(recorded settings could not be read: preset must be one of "quick"')
    assert '"preset": "gone"' in broken  # the record itself is still shown
