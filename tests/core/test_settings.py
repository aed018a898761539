import pytest

from tui_app.retry.policy import RetryPolicy
from tui_app.settings import RunSettings


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
